"""Search text for the public database of actions (pure Python): French words folded (no accents,
lower case, ligatures split) and reduced to their stem with the Snowball French stemmer, so that
« prévention », « PREVENTION » and « préventions » all match.

>>> stems("Ateliers de prévention bucco-dentaire")
['ateli', 'prevent', 'bucco', 'dentair']
>>> normalise_document("Écoles maternelles")
' ecol maternel '
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

#: Words too common to help a search (folded).
STOP_WORDS = frozenset("""
a au aux avec ce ces dans de des du elle en et eux il je la le les leur lui ma mais me meme mes moi mon ne nos
notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous c d j l m n
s t y est sont ete etre afin chez lors ainsi
""".split())

_WORD = re.compile(r"[a-z0-9]+")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "’": "'"})


def fold(text: str) -> str:
    """Lower case, without accents or ligatures."""
    text = (text or "").translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("french")


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The stem of one folded word (the stemmer reads accents; on folded words it stays consistent
    since documents and queries are folded the same way)."""
    return _stemmer().stemWord(word)


def words(text: str) -> list[str]:
    """The folded words of ``text`` minus stop words."""
    return [w for w in _WORD.findall(fold(text)) if w not in STOP_WORDS]


def stems(text: str) -> list[str]:
    """The stems of the words of ``text``, in order (duplicates kept)."""
    return [stem(w) for w in words(text)]


def normalise_document(text: str) -> str:
    """The stored search text of a document: its distinct stems between spaces, with a space at each
    end so that a stem is searched as `` stem `` (whole stems only)."""
    return " " + " ".join(dict.fromkeys(stems(text))) + " "


def query_terms(query: str) -> list[str]:
    """The distinct stems of a query (all must be found)."""
    return list(dict.fromkeys(stems(query)))
