"""``equisante grid …`` on the click group itself."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from equisante.cli.grid import grid

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "labelled_actions.jsonl"


def run(*args):
    return CliRunner().invoke(grid, [str(a) for a in args], catch_exceptions=False)


def test_suggest_prints_codes_with_their_evidence_in_french():
    result = run("suggest", "Aide aux démarches d'accès aux droits de santé")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Déterminants (sur quoi agit-on ?)" in out and "Stratégies (comment agit-on ?)" in out
    assert "D5.1.2" in out and "Administrative (Le système de soins › Accessibilité)" in out
    assert "mots : « " in out and "à valider" in out


def test_suggest_json_and_k():
    result = run("suggest", "Ateliers cuisine pour familles en situation de précarité", "--k", "1", "--json")
    data = json.loads(result.output)
    assert len(data["strategies"]) <= 1 and data["themes"][0]["id"] == "nutrition"


def test_suggest_refuses_an_empty_text():
    result = run("suggest", "   ")
    assert result.exit_code != 0 and "Texte vide" in result.output


def test_suggest_on_gibberish_says_nothing_passes_the_threshold():
    result = run("suggest", "xqzt blorf wug plonk")
    assert result.exit_code == 0 and result.output.count("aucune proposition au-dessus du seuil") >= 3


def test_evaluate_prints_a_french_table(tmp_path):
    small = tmp_path / "small.jsonl"
    small.write_text("\n".join(FIXTURE.read_text(encoding="utf-8").splitlines()[:12]) + "\n", encoding="utf-8")
    result = run("evaluate", small, "--k", "3", "--folds", "3")
    assert result.exit_code == 0, result.output
    assert "Précision" in result.output and "Stratégies" in result.output and "3 blocs" in result.output
    data = json.loads(run("evaluate", small, "--folds", "3", "--json", "--grid-only").output)
    assert data["validated_neighbours"] is False and data["examples"] == 12


def test_evaluate_reports_a_faulty_file_with_its_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "Maraude", "strategies": ["S4.1.1"]}\n{"text": "", "strategies": []}\n', encoding="utf-8")
    result = run("evaluate", bad)
    assert result.exit_code != 0 and "ligne 2" in result.output
    missing = run("evaluate", tmp_path / "absent.jsonl")
    assert missing.exit_code != 0 and "introuvable" in missing.output
