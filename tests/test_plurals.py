"""No pseudo-plural (« fiche(s) », « créée(s) ») in what people read: messages, errors and templates say
the singular or the plural (``equisante.numbers.plural``, ``ngettext``, ``{% blocktranslate count %}``)."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

from equisante.numbers import plural

SOURCE = Path(__file__).resolve().parents[1] / "src" / "equisante"
PSEUDO = re.compile(r"\w\((s|e|es)\)")


def test_plural_follows_the_french_rule():
    assert [plural(n, "ligne") for n in (0, 1, 2)] == ["0 ligne", "1 ligne", "2 lignes"]
    assert plural(3, "mise à jour", "mises à jour") == "3 mises à jour"
    assert plural(1.5, "jour") == "1.5 jour" and plural(1234, "valeur", number="1 234") == "1 234 valeurs"
    with pytest.raises(ValueError):
        plural(2, "ligne concernée")  # a phrase needs its plural written out


def _messages(path: Path):
    """String literals of a module, docstrings and other triple-quoted texts (English) left out."""
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    for token in tokens:
        if token.type == tokenize.STRING and not re.match(r"^[rRbBfFuU]*('''|\"\"\")", token.string):
            yield token.start[0], token.string


def test_no_pseudo_plural_in_messages_and_templates():
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        found += [f"{path.relative_to(SOURCE)}:{line}" for line, text in _messages(path) if PSEUDO.search(text)]
    for path in sorted(SOURCE.rglob("*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if PSEUDO.search(re.sub(r"\{#.*?#\}", "", line)):
                found.append(f"{path.relative_to(SOURCE)}:{number}")
    assert not found, "pluriels « (s) » dans les textes :\n" + "\n".join(found)
