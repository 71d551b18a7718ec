"""Lexicon rules: the grid's own words (labels, published aliases, keywords, short examples) matched
in a French text, accent- and case-insensitively, with a light stemming so that plurals and feminine
forms match (« isolées » ~ « isolé », « sociaux » ~ « social »).

A match keeps the words of the text it covers (the evidence shown to a person) and the cue that it
matched. When two cues overlap, the longest wins: « qualité de l'air intérieur » is a housing cue and
must not also count as the outdoor-air cue « qualité de l'air ».
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

#: Words that carry no meaning for the matching. « sans », « plus », « tous » are kept on purpose:
#: « sans abri », « les plus éloignées », « tous les enfants » are cues.
STOPWORDS = frozenset(
    "le la les l de des du d un une et ou en a au aux pour par sur dans avec ce ces cet cette son sa ses "
    "leur leurs qui que qu y se s est sont etre il elle ils elles on n ne lui eux dont".split()
)

_TOKEN = re.compile(r"[a-z0-9]+")

#: Weight of a cue by where it comes from and whether it has one word or several (before sharing).
SOURCE_WEIGHTS = {
    "libellé": (1.0, 0.6),
    "libellé publié": (1.0, 0.6),
    "mot-clé": (0.8, 0.5),
    "exemple": (0.8, 0.5),
}
SOURCE_ORDER = {"libellé": 0, "libellé publié": 1, "mot-clé": 2, "exemple": 3}
#: Examples longer than this (in meaningful words) are left to the embeddings: they never match verbatim.
MAX_EXAMPLE_WORDS = 4


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    lowered = char.lower()
    if lowered in ("œ", "æ"):
        return "oe" if lowered == "œ" else "ae"
    return "".join(c for c in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(c))


def fold(text: str) -> tuple[str, list[int]]:
    """Lower-case, accent-free text with ligatures spelt out, and for each of its characters the index
    of the character of ``text`` it comes from (to quote the original words back)."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        piece = _fold_char(char)
        chars.append(piece)
        origin.extend([index] * len(piece))
    return "".join(chars), origin


def stem(word: str) -> str:
    """A deliberately light French stemmer: plural, then feminine/past-participle endings."""
    if len(word) > 5 and word.endswith("aux"):
        return word[:-3] + "al"
    if len(word) > 3 and word[-1] in "sx":
        word = word[:-1]
    while len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


@dataclass(frozen=True)
class Token:
    stem: str
    start: int  # character offsets in the original text
    end: int


def tokenize(text: str) -> list[Token]:
    """Meaningful stemmed words of ``text`` with their positions in it (stop words dropped)."""
    return list(_tokens(text))


@functools.lru_cache(maxsize=2048)
def _tokens(text: str) -> tuple[Token, ...]:
    # memoised: the four families' lexicons match the same text one after the other
    folded, origin = fold(text)
    tokens = []
    for m in _TOKEN.finditer(folded):
        word = m.group()
        if word in STOPWORDS:
            continue
        tokens.append(Token(stem(word), origin[m.start()], origin[m.end() - 1] + 1))
    return tuple(tokens)


def key(text: str) -> tuple[str, ...]:
    """The stemmed word sequence that identifies a phrase (used for cues and label look-ups)."""
    return tuple(t.stem for t in tokenize(text))


def normalise_label(text: str) -> str:
    """Label comparison key: folded, punctuation-free, leading numbering (« 2. ») dropped."""
    folded, _ = fold(text)
    words = _TOKEN.findall(folded)
    while words and words[0].isdigit():
        words = words[1:]
    return " ".join(words)


@dataclass(frozen=True)
class Cue:
    """One phrase of the grid that points at a target (node, approach or theme)."""

    target: str
    phrase: str
    source: str  # libellé, libellé publié, mot-clé, exemple
    words: tuple[str, ...]
    weight: float


@dataclass(frozen=True)
class Match:
    """A cue found in a text: the words of the text (``quote``) and the cue they matched."""

    target: str
    quote: str
    phrase: str
    source: str
    weight: float
    start: int
    end: int


class Lexicon:
    """Cues of a set of targets, matched in texts. A cue shared by several targets of the same set is
    weighted down by their number (« Logement » names two nodes; « alimentation » two as well)."""

    def __init__(self, cues: Iterable[Cue], ancestors: dict[str, set[str]] | None = None):
        ancestors = ancestors or {}
        raw = list(cues)
        sharing: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for cue in raw:
            sharing[cue.words].add(cue.target)
        # a cue that a node shares with one of its ancestors stays on the node only: evidence for a node
        # already counts for its ancestors, and the node must not be weighted down by its own parent
        for words, targets in sharing.items():
            covered = {a for t in targets for a in ancestors.get(t, ()) if a in targets}
            sharing[words] = targets - covered
        raw = [c for c in raw if c.target in sharing[c.words]]
        best: dict[tuple[str, tuple[str, ...]], Cue] = {}
        for cue in raw:
            weighted = Cue(cue.target, cue.phrase, cue.source, cue.words, cue.weight / len(sharing[cue.words]))
            k = (cue.target, cue.words)
            kept = best.get(k)
            rank = (weighted.weight, -SOURCE_ORDER[weighted.source])
            if kept is None or rank > (kept.weight, -SOURCE_ORDER[kept.source]):
                best[k] = weighted
        self.cues = list(best.values())
        self._ancestors = ancestors
        self._by_first: dict[str, list[Cue]] = defaultdict(list)
        for cue in self.cues:
            self._by_first[cue.words[0]].append(cue)

    @classmethod
    def from_targets(cls, targets: Iterable) -> "Lexicon":
        """Cues from the label, published aliases, keywords and short examples of each target (objects
        with ``id``, ``parent``, ``label``, ``aliases``, ``keywords``, ``examples``). « Autres » labels
        give none."""
        targets = list(targets)
        parents = {t.id: getattr(t, "parent", None) for t in targets}
        ancestors: dict[str, set[str]] = {}
        for t in targets:
            chain, p = set(), parents.get(t.id)
            while p is not None:
                chain.add(p)
                p = parents.get(p)
            ancestors[t.id] = chain
        cues = []
        for target in targets:
            phrases = [(target.label, "libellé")]
            phrases += [(alias, "libellé publié") for alias in target.aliases]
            phrases += [(word, "mot-clé") for word in target.keywords]
            phrases += [(example, "exemple") for example in target.examples]
            for phrase, source in phrases:
                words = key(phrase)
                if not words or words == ("autr",):
                    continue
                if source == "exemple" and len(words) > MAX_EXAMPLE_WORDS:
                    continue
                if source.startswith("libellé") and len(words) > 6:
                    continue  # long headings never occur verbatim in an action sheet
                multi, single = SOURCE_WEIGHTS[source]
                cues.append(Cue(target.id, phrase, source, words, multi if len(words) > 1 else single))
        return cls(cues, ancestors)

    def match(self, text: str) -> list[Match]:
        """Every cue found in ``text``; a match inside a longer overlapping match is dropped."""
        tokens = _tokens(text)
        stems = [t.stem for t in tokens]
        found: list[tuple[int, int, Cue]] = []
        for i, word in enumerate(stems):
            for cue in self._by_first.get(word, ()):
                n = len(cue.words)
                if tuple(stems[i:i + n]) == cue.words:
                    found.append((i, i + n, cue))
        # a match inside a longer one is dropped, unless the longer one only speaks for an ancestor
        # (a broader node): « diagnostic local » stays evidence for the situation analysis node
        def inside_longer(i, j, cue):
            broader = self._ancestors.get(cue.target, ())
            return any(a <= i and j <= b and (b - a) > (j - i) and other.target not in broader for a, b, other in found)

        kept = [(i, j, cue) for i, j, cue in found if not inside_longer(i, j, cue)]
        return [
            Match(cue.target, text[tokens[i].start:tokens[j - 1].end], cue.phrase, cue.source, cue.weight,
                  tokens[i].start, tokens[j - 1].end)
            for i, j, cue in kept
        ]
