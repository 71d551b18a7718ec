"""Coding action sheets on the grid: checking codes, the grid as a tree for the pages, automatic
suggestions recorded with the decision people take, and learning from validated codings.

Suggestions come from :class:`equisante.grid.Suggester`. The application keeps one suggester per
process and grid version, taught with every validated coding stored in the database
(:func:`validated_examples`); it is retaught when that set changes (another process, an import),
so a coding validated on one page improves the suggestions of the next sheet.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass

from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from equisante.actionsheets.model import SECTORS
from equisante.errors import kind
from equisante.grid import GridError, Suggester, load_grid

import equisante.contracts.problems  # noqa: F401  (declares the codes used below)

#: Coding families stored on a sheet → the kind of grid target they hold.
FAMILY_KIND = {"determinants": "determinant", "strategies": "strategy", "approach": "approach", "themes": "theme"}
_EXPECTED = {"determinant": "un déterminant", "strategy": "une stratégie", "approach": "un type d'approche",
             "theme": "une thématique"}
#: Suggestions shown per family.
K = 5


def coding_problems(version: str, *, determinants=(), strategies=(), approach="", themes=(),
                    partner_sectors=()) -> dict[str, list[str]]:
    """French messages by field for every code that is not of the right kind in grid ``version``."""
    try:
        grid = load_grid(version)
    except GridError:
        from equisante.grid import available_versions

        return {"grid_version": [kind("contract_grid_version_unknown").render(
            version=version, available=", ".join(available_versions()))]}
    problems: dict[str, list[str]] = {}
    values = {"determinants": determinants, "strategies": strategies, "themes": themes,
              "approach": [approach] if approach else []}
    for field, ids in values.items():
        if not isinstance(ids, (list, tuple)):
            problems.setdefault(field, []).append(_("Une liste d'identifiants est attendue."))
            continue
        expected = FAMILY_KIND[field]
        for code in ids:
            if not isinstance(code, str) or not grid.is_valid(code) or grid.node(code).kind != expected:
                problems.setdefault(field, []).append(kind("contract_code_invalid").render(
                    code=code, expected=_EXPECTED[expected], version=grid.version))
    for code in partner_sectors or ():
        if code not in SECTORS:
            problems.setdefault("partner_sectors", []).append(kind("contract_sector_unknown").render(
                code=code, accepted=", ".join(SECTORS)))
    return problems


def ordered(version: str, ids) -> list[str]:
    """``ids`` without duplicates, in grid order (D1, D1.1, D2…), so that stored codings compare."""
    grid = load_grid(version)
    position = {node_id: i for i, node_id in enumerate(grid.nodes)}
    return sorted(dict.fromkeys(ids), key=lambda x: position.get(x, len(position)))


# --- the grid as a tree ------------------------------------------------------------------------------

@dataclass
class TreeNode:
    node: object
    children: list

    @property
    def id(self) -> str:
        return self.node.id


def tree(version: str, kind_name: str) -> list[TreeNode]:
    """The determinant or strategy nodes of the grid as nested :class:`TreeNode`\\ s, in grid order."""
    grid = load_grid(version)

    def build(node):
        return TreeNode(node, [build(child) for child in grid.children(node.id)])

    return [build(node) for node in grid.children(None) if node.kind == kind_name]


def label(version: str, node_id: str) -> str:
    """« D5.1.2 Administrative », or the id itself when the grid does not know it."""
    grid = load_grid(version)
    if not grid.is_valid(node_id):
        return node_id
    node = grid.node(node_id)
    if node.kind in ("determinant", "strategy"):
        return f"{node.id} {node.label}"
    return node.label


def path_label(version: str, node_id: str) -> str:
    """The node and its ancestors: « D2 Conditions de vie › D2.3 Accès aux ressources › D2.3.1 Logement »."""
    grid = load_grid(version)
    if not grid.is_valid(node_id):
        return node_id
    chain = list(reversed(grid.ancestors(node_id))) + [grid.node(node_id)]
    return " › ".join(f"{n.id} {n.label}" for n in chain)


# --- learning from validated codings ------------------------------------------------------------------

def validated_examples(version: str = "v1", *, exclude=None) -> list[tuple[str, dict]]:
    """Every validated coding stored for grid ``version``: ``(text, codes)`` pairs for
    :meth:`equisante.grid.Suggester.learn`."""
    from equisante.contracts.models import ActionSheet

    queryset = ActionSheet.objects.filter(coding_validated_at__isnull=False, grid_version=version).order_by("pk")
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude)
    out = []
    for sheet in queryset.only("title", "objectives", "description", "determinants", "strategies", "approach",
                               "themes"):
        text = sheet.coding_text()
        if not text:
            continue
        out.append((text, {"determinants": list(sheet.determinants), "strategies": list(sheet.strategies),
                           "approach": sheet.approach or None, "themes": list(sheet.themes)}))
    return out


def _stamp(version: str) -> tuple:
    """What identifies the set of validated codings (count, latest validation, latest edit)."""
    from equisante.contracts.models import ActionSheet

    return tuple(ActionSheet.objects.filter(coding_validated_at__isnull=False, grid_version=version).aggregate(
        n=Count("pk"), validated=Max("coding_validated_at"), edited=Max("updated_at")).values())


_SUGGESTERS: dict[str, tuple[tuple, Suggester]] = {}
_LOCK = threading.Lock()


def preload_vectors(embedder, texts) -> set[str]:
    """Seed ``embedder`` with the stored vectors of ``texts``; returns the keys not stored yet."""
    import numpy as np

    from equisante.contracts.models import TextVector
    from equisante.grid.embeddings import MODEL_ID, text_key

    keys = {text_key(t) for t in texts}
    if not keys or not hasattr(embedder, "preload"):
        return keys
    found = list(TextVector.objects.filter(model=MODEL_ID, key__in=keys).values_list("key", "vector"))
    if found:
        embedder.preload([k for k, _ in found], np.stack([np.frombuffer(bytes(v), dtype=np.float32) for _, v in found]))
    return keys - {k for k, _ in found}


def store_vectors(embedder, texts) -> int:
    """Keep the vectors of ``texts`` in the database (embedding those not in the embedder's memo)."""
    import numpy as np

    from equisante.contracts.models import TextVector
    from equisante.grid.embeddings import MODEL_ID, text_key

    texts = list(dict.fromkeys(texts))
    if not texts:
        return 0
    vectors = embedder.embed(texts)
    rows = [TextVector(key=text_key(t), model=MODEL_ID, vector=np.asarray(v, dtype=np.float32).tobytes())
            for t, v in zip(texts, vectors)]
    TextVector.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def suggester(version: str = "v1") -> Suggester:
    """The process's suggester for grid ``version``, taught with the validated codings now stored.

    The vectors of the validated texts come from the database when they were computed before (by
    any process); the new ones are computed once and stored."""
    from equisante.grid.embeddings import text_key

    stamp = _stamp(version)
    with _LOCK:
        cached = _SUGGESTERS.get(version)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        instance = cached[1] if cached is not None else Suggester(load_grid(version))
        examples = validated_examples(version)
        missing = preload_vectors(instance.embedder, [text for text, _ in examples])
        instance.learn(examples)
        store_vectors(instance.embedder, [text for text, _ in examples if text_key(text) in missing])
        _SUGGESTERS[version] = (stamp, instance)
        return instance


def warm_up(version: str = "v1") -> Suggester:
    """Teach the suggester now and store the vectors (after a bulk load: the first page that asks for
    suggestions then answers at once)."""
    forget_suggesters()
    return suggester(version)


def suggester_for(sheet) -> Suggester:
    """The suggester to read ``sheet`` with: the shared one, or — when the sheet's own validated
    coding is among the examples — one taught without it (a sheet must not be its own evidence)."""
    shared = suggester(sheet.grid_version)
    if sheet.coding_validated_at is None or sheet.pk is None:
        return shared
    own = sheet.coding_text()
    if not any(action.text == own for action in shared.validated):
        return shared
    return Suggester(shared.grid, embedder=shared.embedder).learn(
        validated_examples(sheet.grid_version, exclude=sheet.pk))


def forget_suggesters() -> None:
    """Drop the process's suggesters (tests, after a bulk change)."""
    with _LOCK:
        _SUGGESTERS.clear()


# --- suggestions shown to people ---------------------------------------------------------------------

def text_hash(sheet) -> str:
    return hashlib.sha256(f"{sheet.grid_version}\n{sheet.coding_text()}".encode()).hexdigest()


def current_suggestions(sheet):
    """The suggestions already computed for the sheet's present text (a queryset, maybe empty)."""
    return sheet.suggestions.filter(text_hash=text_hash(sheet), grid_version=sheet.grid_version).select_related(
        "decided_by")


def propose(sheet, user=None, *, refresh: bool = False):
    """Compute (or reuse) and record the suggestions for ``sheet``'s title, objectives and description.

    Nothing is applied to the coding: each record waits for a person's decision. Returns the records
    of the present text, by family and rank."""
    from equisante.contracts.models import SuggestionRecord

    existing = current_suggestions(sheet)
    if existing.exists() and not refresh:
        return existing
    text = sheet.coding_text()
    if not text.strip():
        return existing
    result = suggester_for(sheet).suggest(text, k=K)
    digest = text_hash(sheet)
    if refresh:
        existing.filter(decision="en-attente").delete()
    records = []
    for family in ("determinants", "strategies", "themes"):
        for rank, item in enumerate(getattr(result, family), start=1):
            records.append(_record(sheet, family, item, rank, digest, user))
    if result.approach is not None:
        records.append(_record(sheet, "approach", result.approach, 1, digest, user))
    decided = set(existing.exclude(decision="en-attente").values_list("family", "node_id"))
    SuggestionRecord.objects.bulk_create([r for r in records if (r.family, r.node_id) not in decided])
    return current_suggestions(sheet)


def _record(sheet, family, item, rank, digest, user):
    from equisante.contracts.models import SuggestionRecord

    return SuggestionRecord(sheet=sheet, family=family, node_id=item.node_id, score=float(item.score),
                            evidence=item.evidence.describe(), evidence_data=item.evidence.to_dict(),
                            grid_version=sheet.grid_version, text_hash=digest, rank=rank,
                            shown_to=user if user is not None and user.is_authenticated else None)


def decide(record, accepted: bool, user) -> None:
    """Record a person's decision on a suggestion (the coding itself changes only when saved)."""
    from equisante.contracts.history import record_change

    record.decision = "acceptee" if accepted else "rejetee"
    record.decided_by = user if user is not None and user.is_authenticated else None
    record.decided_at = timezone.now()
    record.save(update_fields=["decision", "decided_by", "decided_at"])
    verb = _("acceptée") if accepted else _("rejetée")
    record_change(record.sheet.contract, "suggestion", user, sheet=record.sheet, version=record.sheet.version,
                  note=_("Suggestion %(code)s (score %(score)s) %(verb)s") % {
                      "code": label(record.grid_version, record.node_id),
                      "score": f"{record.score:.2f}".replace(".", ","), "verb": verb})
