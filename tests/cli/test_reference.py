"""``docs/cli.md`` embeds the ``--help`` of every command: it must match the command line (Datasette
style). Regenerate with ``.venv/bin/python -m equisante.cli.reference > docs/cli.md``."""

from __future__ import annotations

from pathlib import Path

from equisante.cli.reference import markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def test_the_reference_document_is_the_help_of_every_command():
    assert DOC.read_text(encoding="utf-8") == markdown(), (
        "docs/cli.md est périmé : lancer « .venv/bin/python -m equisante.cli.reference > docs/cli.md »")


def test_the_reference_covers_every_command():
    text = DOC.read_text(encoding="utf-8")
    for command in ("equisante export", "equisante import territories", "equisante indices rules except",
                    "equisante stats summary-measures", "equisante records indicators"):
        assert f"## `{command}`" in text
    assert "Usage:" not in text and "Utilisation : equisante export" in text
