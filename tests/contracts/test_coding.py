"""Coding helpers: the grid tree, suggestions recorded once per text and never applied, decisions
kept in the history, a validated sheet never its own evidence."""

from __future__ import annotations

from equisante.contracts import coding, services
from equisante.contracts.models import ActionSheet, ChangeRecord, SuggestionRecord
from equisante.grid import load_grid


def test_tree_follows_the_grid():
    tree = coding.tree("v1", "determinant")
    assert [t.id for t in tree] == ["D1", "D2", "D3", "D4", "D5", "D6"]
    d5 = tree[4]
    assert [c.id for c in d5.children] == [n.id for n in load_grid("v1").children("D5")]
    assert [t.id for t in coding.tree("v1", "strategy")] == ["S1", "S2", "S3", "S4", "S5"]
    assert coding.path_label("v1", "D2.3.1") == ("D2 Conditions de vie › D2.3 Accès aux ressources (hors services "
                                                 "de santé) › D2.3.1 Logement")


def test_suggestions_are_recorded_once_per_text_and_not_applied(registry):
    sheet = registry["sheets"]["FA-1.2"]
    first = list(coding.propose(sheet))
    assert first and all(r.decision == "en-attente" for r in first)
    assert {r.family for r in first} <= {"determinants", "strategies", "approach", "themes"}
    assert all(0 <= r.score <= 1 and r.evidence for r in first)
    again = list(coding.propose(sheet))
    assert [r.pk for r in again] == [r.pk for r in first]  # same text: the same records
    stored = ActionSheet.objects.get(pk=sheet.pk)
    assert (stored.determinants, stored.strategies, stored.themes, stored.approach) == ([], [], [], "")
    # a new text gets new suggestions; the old ones stay on record
    services.update_sheet(sheet, {"title": "Dépistage visuel et auditif en maternelle"}, expected_version=1)
    fresh = list(coding.propose(ActionSheet.objects.get(pk=sheet.pk)))
    assert {r.pk for r in fresh}.isdisjoint({r.pk for r in first})
    assert SuggestionRecord.objects.filter(pk__in=[r.pk for r in first]).count() == len(first)


def test_decisions_are_kept_and_survive_a_refresh(registry):
    sheet = registry["sheets"]["FA-1.2"]
    records = list(coding.propose(sheet))
    accepted = records[0]
    coding.decide(accepted, True, registry["users"]["coord01"])
    refreshed = list(coding.propose(sheet, refresh=True))
    kept = [r for r in refreshed if r.node_id == accepted.node_id and r.family == accepted.family]
    assert len(kept) == 1 and kept[0].decision == "acceptee" and kept[0].decided_by.username == "coord01"
    note = ChangeRecord.objects.filter(sheet=sheet, action="suggestion").latest("at").note
    assert note.startswith("Suggestion ") and note.endswith("acceptée")


def test_a_validated_sheet_is_not_its_own_evidence(registry):
    sheet = registry["sheets"]["FA-1.1"]  # validated in the sample
    assert any(a.text == sheet.coding_text() for a in coding.suggester("v1").validated)
    for record in coding.propose(sheet):
        texts = [n["text"] for n in record.evidence_data.get("neighbours", [])]
        assert sheet.coding_text() not in texts


def test_vectors_of_validated_sheets_are_stored_and_reused(registry):
    from equisante.contracts.models import TextVector
    from equisante.grid import Suggester, load_grid
    from equisante.grid.embeddings import text_key

    sheet = registry["sheets"]["FA-1.1"]
    taught = coding.warm_up()
    assert TextVector.objects.filter(key=text_key(sheet.coding_text())).count() == 1
    assert len(taught.validated) == 1

    class Counting:
        """An embedder that records what it had to compute."""

        def __init__(self, inner):
            self.inner, self.memo, self.computed = inner, {}, []

        def preload(self, keys, vectors):
            self.memo.update(zip(keys, vectors))

        def embed(self, texts):
            import numpy as np

            self.computed += [t for t in texts if text_key(t) not in self.memo]
            return np.stack([self.memo.get(text_key(t), None) if text_key(t) in self.memo
                             else self.inner.embed([t])[0] for t in texts])

    fresh = Counting(taught.embedder)
    missing = coding.preload_vectors(fresh, [sheet.coding_text()])
    assert missing == set() and sheet.coding_text() not in fresh.computed
    Suggester(load_grid("v1"), embedder=fresh).learn(coding.validated_examples("v1"))
    assert sheet.coding_text() not in fresh.computed  # read from the database, not embedded again
