"""Coding suggestions: clear cases, the confidence threshold, evidence, learning from validated codings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from equisante.grid import GridError, Suggester, load_grid, suggest
from equisante.grid.learning import read_jsonl
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "labelled_actions.jsonl"


@pytest.fixture(scope="module")
def grid():
    return load_grid()


def top_levels(grid, suggestions):
    return {grid.top_level(s.node_id) for s in suggestions}


def test_access_to_rights_proposes_the_care_system_and_social_support(grid):
    s = suggest("Aide aux démarches d'accès aux droits de santé pour les familles du quartier")
    assert "D5" in top_levels(grid, s.determinants)
    assert "D5.1.2" in s.ids("determinants")  # accessibilité administrative
    assert "S4.1.5" in s.ids("strategies")  # accompagnement / suivi social
    assert "acces-aux-soins" in s.ids("themes")
    evidence = s.determinants[0].evidence
    assert evidence.matches and any("droits" in m.quote for m in evidence.matches)


def test_cooking_workshops_propose_nutrition_and_health_education(grid):
    s = suggest("Ateliers cuisine pour familles en situation de précarité")
    assert "nutrition" in s.ids("themes")
    assert "S1.2" in s.ids("strategies")
    assert {"D4.1.5", "D2.3.4"} & set(s.ids("determinants"))
    assert s.approach is not None and s.approach.node_id == "groupes-defavorises"


@pytest.mark.parametrize("text, family, expected", [
    ("Amélioration de la qualité de l'air intérieur dans les logements sociaux", "determinants", "D2.2.4"),
    ("Amélioration de la qualité de l'air intérieur dans les logements sociaux", "themes", "sante-environnement"),
    ("Maraudes et équipe mobile auprès des personnes sans abri", "strategies", "S4.1.1"),
    ("Réalisation d'un diagnostic local de santé partagé avec les habitants", "strategies", "S5.2.1"),
    ("Campagne de vaccination contre le papillomavirus au collège", "themes", "vaccin"),
    ("Groupe de parole pour les aidants de personnes atteintes de cancer", "strategies", "S4.1.4"),
])
def test_clear_cases(text, family, expected):
    assert expected in suggest(text).ids(family)


@pytest.mark.parametrize("text", ["xqzt blorf wug plonk", "Lorem ipsum dolor sit amet, consectetur adipiscing",
                                  "Le match de football aura lieu dimanche au stade"])
def test_gibberish_gets_few_or_no_suggestions(text):
    s = suggest(text)
    total = len(s.determinants) + len(s.strategies) + len(s.themes) + (s.approach is not None)
    assert total <= 1


def test_only_what_passes_the_threshold_best_first_at_most_k_most_specific(grid):
    text = ("Prévention, écoute et accompagnement des parents : groupes de parole, entretiens individuels, "
            "ateliers de prévention et aide aux démarches administratives")
    s = Suggester(grid, threshold=0.5).suggest(text, k=2)
    for family in ("determinants", "strategies", "themes"):
        items = getattr(s, family)
        assert len(items) <= 2
        scores = [x.score for x in items]
        assert scores == sorted(scores, reverse=True) and all(0.5 <= x <= 1 for x in scores)
        ids = [x.node_id for x in items]
        assert all(grid.is_valid(i) for i in ids)
        for i in ids:  # no proposed node is an ancestor of another one
            assert not any(a.id in ids for a in grid.ancestors(i))
    lenient = Suggester(grid, threshold=0.2).suggest(text, k=10)
    strict = Suggester(grid, threshold=0.9).suggest(text, k=10)
    assert len(strict.strategies) <= len(lenient.strategies)


def test_evidence_and_serialisation():
    s = suggest("Maraudes et équipe mobile auprès des personnes sans abri")
    item = next(x for x in s.strategies if x.node_id == "S4.1.1")
    node_id, score, evidence = item  # a (node_id, score, evidence) triple
    assert evidence.label == "Développement de consultations/services hors structures de santé"
    assert "mots :" in evidence.describe() and "« Maraudes »" in evidence.describe()
    data = json.loads(json.dumps(s.to_dict(), ensure_ascii=False))
    assert data["grid_version"] == "v1" and data["strategies"][0]["evidence"]["matches"]


def test_empty_text_and_bad_k_are_refused():
    with pytest.raises(GridError) as err:
        suggest("   ")
    assert err.value.code == "grid_text_empty" and "vide" in str(err.value)
    with pytest.raises(GridError) as err:
        suggest("Ateliers cuisine", k=0)
    assert err.value.code == "grid_argument_invalid"


def test_learning_from_a_validated_coding_changes_the_suggestion(grid):
    text = "Programme Kiwi pour les seniors du quartier des Tilleuls"
    suggester = Suggester(grid)
    assert "D3.1" not in suggester.suggest(text).ids("determinants")
    suggester.add_validated("Programme Kiwi pour les seniors du quartier des Tilleuls, chaque jeudi",
                            ["D3.1", "S2.1", "sante-bien-etre"])
    after = suggester.suggest(text)
    assert "D3.1" in after.ids("determinants")
    assert "S2" in {grid.top_level(i) for i in after.ids("strategies")}
    near = after.determinants[0].evidence.neighbours
    assert near and near[0].origin == "validé" and "D3.1" in near[0].codes
    suggester.learn([])  # learning replaces the validated codings: back to the grid alone
    assert "D3.1" not in suggester.suggest(text).ids("determinants")


def test_learn_accepts_mappings_and_pairs_and_checks_the_codes(grid):
    suggester = Suggester(grid)
    suggester.learn([
        ("Atelier mémoire pour les retraités", {"determinants": ["D4.2.1"], "strategies": ["S1.2"],
                                               "approach": "universalisme", "themes": ["sante-bien-etre"]}),
        ("Permanence d'aide à l'ouverture des droits", ["D5.1.2", "S4.1.5", "acces-aux-soins"]),
    ])
    assert [a.coding.approach for a in suggester.validated] == ["universalisme", None]
    with pytest.raises(GridError) as err:
        suggester.learn([("Un texte", ["D5.1.2"]), ("Un autre", ["D9.9"])])
    assert err.value.code == "grid_code_invalid" and "n° 2" in str(err.value) and "D9.9" in str(err.value)
    with pytest.raises(GridError):
        suggester.learn([("Un texte", {"determinants": ["S1.2"]})])  # a strategy among determinants
    with pytest.raises(GridError):
        suggester.learn([("Un texte", ["universalisme", "groupes-defavorises"])])  # two approaches


def test_enough_validated_codings_refit_the_calibration(grid):
    actions = read_jsonl(FIXTURE, grid)
    suggester = Suggester(grid, min_calibration=30).learn(actions)
    s = suggester.suggest("Création d'une maison de santé pluriprofessionnelle dans un quartier sous-doté")
    assert any(i.startswith(("S4.2", "S4.4")) for i in s.ids("strategies"))
    assert "D5" in {grid.top_level(i) for i in s.ids("determinants")}
