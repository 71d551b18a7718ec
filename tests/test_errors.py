"""The error catalogue: complete, French, documented."""

from __future__ import annotations

import string
from pathlib import Path

from equisante.errors import InputRejected, Location, Problem, catalogue

DOCS = Path(__file__).resolve().parent.parent / "docs" / "errors.md"


def test_every_code_is_unique_and_has_french_texts():
    kinds = catalogue()
    codes = [k.code for k in kinds]
    assert len(codes) == len(set(codes))
    assert len(kinds) >= 4
    for k in kinds:
        assert k.title and k.template, k.code
        assert k.code == k.code.lower() and " " not in k.code


def test_every_code_is_documented():
    text = DOCS.read_text(encoding="utf-8")
    missing = [k.code for k in catalogue() if f"`{k.code}`" not in text]
    assert not missing, f"codes absents de docs/errors.md : {missing} (régénérer avec scripts/document_errors.py)"


def test_problem_says_where_and_why():
    problem = Problem("file_not_found", {"path": "x.csv"}, Location(source="x.csv", line=3, column="code"))
    text = str(problem)
    assert "ligne 3" in text and "colonne « code »" in text and "x.csv" in text and "[file_not_found]" in text


def test_rejection_report_lists_problems_and_says_nothing_was_imported():
    problems = [Problem("file_not_found", {"path": f"f{i}"}, Location(line=i)) for i in range(60)]
    report = InputRejected("communes.geojson", problems).report(limit=5)
    assert "Problèmes trouvés : 60 ;" in report and "rien n'a été importé" in report
    assert report.count("\n  - ") == 5 and report.endswith("  … et 55 autres problèmes.")


def test_templates_only_use_named_fields():
    for k in catalogue():
        fields = [f for _, f, _, _ in string.Formatter().parse(k.template) if f is not None]
        assert all(f and not f.isdigit() for f in fields), k.code
