"""Automatic coding suggestions for an action text, explained by their evidence.

For every target of a family (determinant nodes, strategy nodes, themes, approach types) the text
gets a few pieces of evidence, each computed so that it also speaks for the target's ancestors
(a text about « D2.2.4 Logement » is also about D2.2 and D2):

- lexicon: the grid's own words found in the text (labels, published aliases, keywords, short
  examples; :mod:`equisante.grid.lexicon`);
- grid texts: embedding similarity with the target's label and definition, and with the grid's
  examples (the seed examples, each coded with its own node);
- validated codings: similarity with the nearest actions people have coded, and their vote.

A logistic regression per family (:class:`~equisante.grid.learning.Calibrator`) turns that evidence
into a probability; the system proposes a target only when its probability reaches the threshold,
and for the hierarchical families only the most specific such nodes (their ancestors are implied).
The calibrators are refitted on the validated codings once there are enough of them
(``min_calibration``), with each example's evidence computed without itself; below that, the
shipped calibration (``data/calibration-<version>.json``, fitted the same way on the development
set) is used.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from importlib import resources
from typing import Iterable, NamedTuple

import numpy as np

from equisante.grid.embeddings import default_embedder, load_cache
from equisante.grid.errors import GridError
from equisante.grid.learning import Calibrator, LabelledAction, make_actions
from equisante.grid.lexicon import Lexicon, Match
from equisante.grid.reference import Grid, Node, load_grid

#: Family name → kind of its targets.
FAMILIES = {"determinants": "determinant", "strategies": "strategy", "themes": "theme", "approach": "approach"}

#: Names of the evidence features, in the order of the calibrators' coefficients.
FEATURES = ("lexique_sous_arbre", "lexique_propre", "definition", "definition_ecart", "exemples_grille",
            "vote_valides", "proximite_valides", "pertinence", "niveau_2", "niveau_3", "niveau_4")

DEFAULT_THRESHOLD = 0.5
#: Similarities of e5 are compressed: unrelated French sentences sit near 0.83–0.86, related ones
#: above 0.88. Features are expressed in twentieths of cosine around this centre.
CENTRE = 0.88
SCALE = 20.0
FLOOR = 0.80  # similarity given to a target that no example carries
#: Neighbour vote: kernel exp((s − 1)/TAU) over the NEIGHBOURS nearest validated codings, against a
#: background pseudo-neighbour at BACKGROUND carrying nothing (so that far neighbours vote little).
TAU = 0.02
NEIGHBOURS = 7
BACKGROUND = 0.89
#: Validated codings needed before the calibrators are refitted on them.
MIN_CALIBRATION = 30


class Neighbour(NamedTuple):
    """A similar coded text: a validated action (« validé ») or an example of the grid (« grille »)."""

    text: str
    codes: tuple[str, ...]
    similarity: float
    origin: str


@dataclass(frozen=True)
class Evidence:
    """Why a target is proposed: the words matched and the nearest coded texts that carry it."""

    label: str
    matches: tuple[Match, ...] = ()
    neighbours: tuple[Neighbour, ...] = ()

    def describe(self) -> str:
        """One French line: « mots : … ; proches : … »."""
        parts = []
        if self.matches:
            words = ", ".join(f"« {m.quote} »" for m in self.matches)
            parts.append(f"mots : {words}")
        if self.neighbours:
            near = "; ".join(f"« {_short(n.text)} » ({n.origin}, {_decimal(n.similarity)})" for n in self.neighbours)
            parts.append(f"proches : {near}")
        return " — ".join(parts) if parts else "similarité globale du texte"

    def to_dict(self) -> dict:
        return {
            "label": self.label,
            "matches": [{"quote": m.quote, "cue": m.phrase, "cue_source": m.source, "cue_target": m.target,
                         "start": m.start, "end": m.end} for m in self.matches],
            "neighbours": [{"text": n.text, "codes": list(n.codes), "similarity": round(n.similarity, 4),
                            "origin": n.origin} for n in self.neighbours],
        }


class Suggestion(NamedTuple):
    """A proposed code: ``(node_id, score, evidence)``; the score is a calibrated probability."""

    node_id: str
    score: float
    evidence: Evidence


@dataclass(frozen=True)
class Suggestions:
    """What the system proposes for one text, best first, at most ``k`` per family."""

    text: str
    determinants: list[Suggestion]
    strategies: list[Suggestion]
    approach: Suggestion | None
    themes: list[Suggestion]
    threshold: float
    grid_version: str

    def ids(self, family: str) -> list[str]:
        """Proposed ids of a family (``determinants``, ``strategies``, ``themes``, ``approach``)."""
        if family == "approach":
            return [self.approach.node_id] if self.approach else []
        return [s.node_id for s in getattr(self, family)]

    def to_dict(self) -> dict:
        def one(s: Suggestion) -> dict:
            return {"id": s.node_id, "score": round(s.score, 4), "evidence": s.evidence.to_dict()}

        return {"text": self.text, "grid_version": self.grid_version, "threshold": self.threshold,
                "determinants": [one(s) for s in self.determinants], "strategies": [one(s) for s in self.strategies],
                "approach": one(self.approach) if self.approach else None, "themes": [one(s) for s in self.themes]}


def _decimal(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def _short(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _prototype_texts(node: Node) -> list[str]:
    head = f"{node.label} : {node.detail}" if node.detail else node.label
    return [head, node.definition] if node.definition else [head]


def reference_texts(grid: Grid) -> list[str]:
    """Every grid text the suggestions embed (labels, definitions, examples): the shipped vector cache."""
    texts = []
    for node in grid.nodes.values():
        texts += _prototype_texts(node) + list(node.examples)
    return texts


def _masked_max(sims: np.ndarray, mask: np.ndarray, floor: float = FLOOR) -> np.ndarray:
    """For each row of ``sims`` (n × B) and each column of ``mask`` (B × T): the largest similarity
    among the B entries the mask selects (``floor`` when none, or when all are lower)."""
    n, t = sims.shape[0], mask.shape[1]
    out = np.full((n, t), floor, dtype=np.float32)
    if sims.shape[1] == 0:
        return out
    chunk = max(1, 4_000_000 // max(1, sims.shape[1] * t))
    for start in range(0, n, chunk):
        block = sims[start:start + chunk]
        values = np.where(mask[None, :, :], block[:, :, None], floor).max(axis=1)
        out[start:start + chunk] = np.maximum(values, floor)
    return out


class _Family:
    """The fixed part of one family: targets, subtree matrix, lexicon, grid texts and seed examples."""

    def __init__(self, grid: Grid, name: str):
        self.name = name
        self.kind = FAMILIES[name]
        self.targets: list[Node] = grid.of_kind(self.kind)
        self.ids = [n.id for n in self.targets]
        self.index = {id_: i for i, id_ in enumerate(self.ids)}
        t = len(self.ids)
        # sub[i, j]: target j lies in the subtree of target i (itself included)
        self.sub = np.eye(t, dtype=bool)
        for j, node in enumerate(self.targets):
            for ancestor in grid.ancestors(node.id):
                self.sub[self.index[ancestor.id], j] = True
        # ids of each target's subtree (itself included): the matches shown as its evidence
        self.subtrees = [frozenset(np.array(self.ids)[self.sub[i]]) for i in range(t)]
        self.levels = np.array([n.level for n in self.targets])
        self.hierarchical = self.kind in ("determinant", "strategy")
        self.lexicon = Lexicon.from_targets(self.targets)
        self.proto_texts, proto_owner = [], []
        self.seed_texts, seed_owner = [], []
        for j, node in enumerate(self.targets):
            for text in _prototype_texts(node):
                self.proto_texts.append(text)
                proto_owner.append(j)
            for text in node.examples:
                self.seed_texts.append(text)
                seed_owner.append(j)
        # mask (texts × targets): the text belongs to the target's subtree
        self.proto_mask = self.sub[:, proto_owner].T.copy()
        self.seed_mask = self.sub[:, seed_owner].T.copy()
        self.seed_owner = np.array(seed_owner)
        self._memo: dict[str, list[Match]] = {}

    def matches(self, text: str) -> list[Match]:
        """Lexicon matches of ``text`` (memoised: evaluations match the same texts many times)."""
        found = self._memo.get(text)
        if found is None:
            found = self.lexicon.match(text)
            if len(self._memo) > 20_000:
                self._memo.clear()
            self._memo[text] = found
        return found

    def closure_matrix(self, codings: list[frozenset[str]]) -> np.ndarray:
        """(examples × targets) booleans: the target is coded or is an ancestor of a code."""
        y = np.zeros((len(codings), len(self.ids)), dtype=bool)
        for i, codes in enumerate(codings):
            for code in codes:
                y[i] |= self.sub[:, self.index[code]]
        return y


_FAMILY_CACHE: dict[int, tuple[Grid, dict[str, _Family]]] = {}


def _families(grid: Grid) -> dict[str, _Family]:
    """The families of a grid, built once per grid object (they do not depend on the examples)."""
    cached = _FAMILY_CACHE.get(id(grid))
    if cached is None or cached[0] is not grid:
        cached = (grid, {name: _Family(grid, name) for name in FAMILIES})
        _FAMILY_CACHE[id(grid)] = cached
    return cached[1]


@dataclass
class _Bank:
    """Validated codings as matrices (replaced as a whole on each retraining)."""

    actions: list[LabelledAction] = field(default_factory=list)
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 384), dtype=np.float32))
    closures: dict[str, np.ndarray] = field(default_factory=dict)
    known: dict[str, np.ndarray] = field(default_factory=dict)  # rows whose coding is known for the family
    groups: list = field(default_factory=list)


class Suggester:
    """Coding suggestions from the grid and from validated codings.

    ``use_validated``: whether validated codings serve as neighbours (False measures what the grid
    alone gives, the calibrators still being fitted on the validated codings).
    """

    def __init__(self, grid: Grid | None = None, *, embedder=None, threshold: float = DEFAULT_THRESHOLD,
                 examples: Iterable = (), min_calibration: int = MIN_CALIBRATION, use_validated: bool = True):
        self.grid = grid or load_grid()
        self.embedder = embedder if embedder is not None else default_embedder()
        self.threshold = float(threshold)
        self.min_calibration = min_calibration
        self.use_validated = use_validated
        self.families = _families(self.grid)
        self._vectors: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # family → (definitions, seed examples)
        self._lock = threading.RLock()
        self._bank = _Bank()
        self._calibrators: dict[str, Calibrator] | None = None  # shipped defaults, read on first use
        self._ready = False
        examples = list(examples)
        if examples:
            self.learn(examples)

    # --- learning --------------------------------------------------------------------------------

    @property
    def validated(self) -> list[LabelledAction]:
        """The validated codings the suggester currently learns from."""
        return list(self._bank.actions)

    def learn(self, examples: Iterable) -> "Suggester":
        """Retrain on the grid's seed examples plus ``examples`` (replacing earlier validated codings):
        an iterable of ``(text, codes)`` pairs, ``codes`` being a flat iterable of ids or a mapping
        ``{"determinants", "strategies", "approach", "themes"}``, or of :class:`LabelledAction`."""
        actions = make_actions(self.grid, examples)
        self._retrain(actions)
        return self

    def add_validated(self, text: str, codes) -> "Suggester":
        """Add one validated coding and retrain."""
        actions = make_actions(self.grid, [(text, codes)])
        self._retrain(self._bank.actions + actions)
        return self

    def _retrain(self, actions: list[LabelledAction]) -> None:
        self._ensure_ready()
        bank = _Bank(actions=list(actions))
        if actions:
            bank.vectors = self.embedder.embed([a.text for a in actions])
        for name, fam in self.families.items():
            codings = [a.coding.ids(name) for a in actions]
            bank.closures[name] = fam.closure_matrix(codings)
            if name == "approach":
                bank.known[name] = np.array([a.coding.approach is not None for a in actions], dtype=bool)
            else:
                bank.known[name] = np.ones(len(actions), dtype=bool)
        bank.groups = [a.group if a.group is not None else ("#", i) for i, a in enumerate(actions)]
        if len(actions) >= self.min_calibration:
            calibrators = self._fit_calibrators(bank)
        else:
            calibrators = default_calibrators(self.grid.version, with_examples=bool(actions) and self.use_validated)
        with self._lock:
            self._bank = bank
            self._calibrators = calibrators

    def _fit_calibrators(self, bank: _Bank) -> dict[str, Calibrator]:
        """Fit one calibrator per family on the bank, each example's evidence computed without itself
        (nor the examples of its group) among the neighbours."""
        codes = {g: i for i, g in enumerate(dict.fromkeys(bank.groups))}
        group = np.array([codes[g] for g in bank.groups])
        exclude = group[:, None] == group[None, :]
        texts = [a.text for a in bank.actions]
        calibrators = {}
        for name, fam in self.families.items():
            rows = bank.known[name]
            if not rows.any():
                calibrators[name] = default_calibrators(self.grid.version, with_examples=True)[name]
                continue
            x = self._features(fam, texts, bank.vectors, bank, exclude=exclude)
            y = bank.closures[name]
            calibrators[name] = Calibrator.fit(x[rows].reshape(-1, len(FEATURES)), y[rows].reshape(-1))
        return calibrators

    def _current_calibrators(self) -> dict[str, Calibrator]:
        with self._lock:
            if self._calibrators is None:
                self._calibrators = default_calibrators(self.grid.version, with_examples=False)
            return self._calibrators

    # --- evidence --------------------------------------------------------------------------------

    def _ensure_ready(self) -> None:
        if self._ready:
            return
        with self._lock:
            if self._ready:
                return
            load_cache(self.embedder, self.grid.version)
            for name, fam in self.families.items():
                self._vectors[name] = (self.embedder.embed(fam.proto_texts), self.embedder.embed(fam.seed_texts))
            self._ready = True

    def _features(self, fam: _Family, texts: list[str], vectors: np.ndarray, bank: _Bank,
                  exclude: np.ndarray | None = None, bank_sims: np.ndarray | None = None) -> np.ndarray:
        """(texts × targets × features) evidence of every target for every text.

        ``bank_sims``: ``vectors @ bank.vectors.T`` when the caller already has it (the same for
        every family)."""
        n, t = len(texts), len(fam.ids)
        x = np.zeros((n, t, len(FEATURES)), dtype=np.float64)
        own = np.zeros((n, t))
        for i, text in enumerate(texts):
            for m in fam.matches(text):
                own[i, fam.index[m.target]] += m.weight
        x[:, :, 0] = 1 - np.exp(-(own @ fam.sub.T.astype(float)))
        x[:, :, 1] = 1 - np.exp(-own)
        proto_vectors, seed_vectors = self._vectors[fam.name]
        proto = _masked_max(vectors @ proto_vectors.T, fam.proto_mask)
        x[:, :, 2] = (proto - CENTRE) * SCALE
        x[:, :, 3] = (proto - proto.max(axis=1, keepdims=True)) * SCALE
        seed_sims = vectors @ seed_vectors.T
        x[:, :, 4] = (_masked_max(seed_sims, fam.seed_mask) - CENTRE) * SCALE
        # how close the text is to the grid's own texts at all (not to validated codings: a near-copy of
        # a validated action must not make every target look less likely)
        topical = np.maximum(proto.max(axis=1), seed_sims.max(axis=1) if seed_sims.size else FLOOR)
        known = bank.known.get(fam.name)
        if self.use_validated and len(bank.actions) and known is not None and known.any():
            sims = vectors @ bank.vectors.T if bank_sims is None else bank_sims
            if exclude is not None:
                sims = np.where(exclude, -1.0, sims)
            sims = np.where(known[None, :], sims, -1.0)
            y = bank.closures[fam.name]
            x[:, :, 5] = _vote(sims, y)
            best = _masked_max(sims, y)
            x[:, :, 6] = np.maximum(best - CENTRE, 0) * SCALE
        x[:, :, 7] = (topical - CENTRE)[:, None] * SCALE
        for level, column in ((2, 8), (3, 9), (4, 10)):
            x[:, :, column] = (fam.levels == level)[None, :]
        return x

    def _evidence(self, fam: _Family, j: int, text: str, vector: np.ndarray, bank: _Bank) -> Evidence:
        target = fam.targets[j]
        subtree = fam.subtrees[j]
        matches = tuple(m for m in fam.matches(text) if m.target in subtree)
        near: list[Neighbour] = []
        if self.use_validated and len(bank.actions):
            carriers = np.flatnonzero(bank.closures[fam.name][:, j] & bank.known[fam.name])
            sims = bank.vectors[carriers] @ vector
            for i in np.argsort(-sims)[:3]:
                action = bank.actions[carriers[i]]
                c = action.coding
                codes = tuple(sorted(c.determinants)) + tuple(sorted(c.strategies)) + \
                    ((c.approach,) if c.approach else ()) + tuple(sorted(c.themes))
                near.append(Neighbour(action.text, codes, float(sims[i]), "validé"))
        carriers = np.flatnonzero(fam.seed_mask[:, j])
        sims = self._vectors[fam.name][1][carriers] @ vector
        for i in np.argsort(-sims)[:2]:
            owner = fam.ids[fam.seed_owner[carriers[i]]]
            near.append(Neighbour(fam.seed_texts[carriers[i]], (owner,), float(sims[i]), "grille"))
        near.sort(key=lambda nb: -nb.similarity)
        return Evidence(target.label, matches, tuple(nb for nb in near[:3] if nb.similarity >= CENTRE))

    # --- suggestions -----------------------------------------------------------------------------

    def probabilities(self, text: str) -> dict[str, dict[str, float]]:
        """Calibrated probability of every target, by family (ancestors at least as probable as
        their descendants)."""
        self._ensure_ready()
        bank, calibrators = self._bank, self._current_calibrators()
        vector = self.embedder.embed([text])
        out = {}
        for name, fam in self.families.items():
            p = self._probabilities(fam, text, vector, bank, calibrators[name])
            out[name] = dict(zip(fam.ids, p.tolist()))
        return out

    def _probabilities(self, fam: _Family, text: str, vector: np.ndarray, bank: _Bank,
                       calibrator: Calibrator, bank_sims: np.ndarray | None = None) -> np.ndarray:
        x = self._features(fam, [text], vector, bank, bank_sims=bank_sims)[0]
        p = calibrator.predict(x)
        if fam.hierarchical:
            p = (fam.sub * p[None, :]).max(axis=1)
        return p

    def suggest(self, text: str, *, k: int = 5) -> Suggestions:
        """The codes the system would propose for ``text``: at most ``k`` per family, best first, only
        those whose probability reaches the threshold; the most specific nodes of each branch."""
        if not isinstance(text, str) or not text.strip():
            raise GridError("grid_text_empty")
        _check_k(k)
        text = text.strip()
        self._ensure_ready()
        bank, calibrators = self._bank, self._current_calibrators()
        vector = self.embedder.embed([text])
        return self._suggest_one(text, vector, k, bank, calibrators)

    def suggest_many(self, texts: Iterable[str], *, k: int = 5) -> list[Suggestions]:
        """:meth:`suggest` for each of ``texts``, in order, with the same results, faster for many
        texts: the new texts are embedded several at a time, one per CPU (embedding is most of the
        cost; see :class:`~equisante.grid.embeddings.E5Embedder`). Every text is checked before any
        work; all texts see the same validated codings, even if another thread adds one meanwhile."""
        if isinstance(texts, str):
            raise GridError("grid_argument_invalid", argument="texts", value=_short(texts, 40),
                            accepted="une liste de textes (pour un seul texte : suggest)")
        texts = list(texts)
        for index, text in enumerate(texts, start=1):
            if not isinstance(text, str) or not text.strip():
                raise GridError("grid_text_empty_in_batch", index=index, count=len(texts))
        _check_k(k)
        texts = [t.strip() for t in texts]
        if not texts:
            return []
        self._ensure_ready()
        bank, calibrators = self._bank, self._current_calibrators()
        vectors = self.embedder.embed(texts)
        done: dict[str, Suggestions] = {}  # a text given twice is suggested once
        out = []
        for i, text in enumerate(texts):
            if text not in done:
                # a fresh one-row copy, exactly what suggest() computes with
                done[text] = self._suggest_one(text, vectors[i:i + 1].copy(), k, bank, calibrators)
            out.append(done[text])
        return out

    def _suggest_one(self, text: str, vector: np.ndarray, k: int, bank: _Bank,
                     calibrators: dict[str, Calibrator]) -> Suggestions:
        """Suggestions for one checked, stripped text whose (1 × 384) vector is known."""
        # similarity to the validated codings: computed once, shared by the four families
        bank_sims = vector @ bank.vectors.T if self.use_validated and len(bank.actions) else None
        chosen: dict[str, list[Suggestion]] = {}
        for name, fam in self.families.items():
            p = self._probabilities(fam, text, vector, bank, calibrators[name], bank_sims)
            keep = p >= self.threshold
            if name == "approach":
                best = int(np.argmax(p))
                keep = np.zeros_like(keep)
                keep[best] = p[best] >= self.threshold
            elif fam.hierarchical:
                # most specific: drop a node when one of its descendants is kept
                below = (fam.sub & ~np.eye(len(p), dtype=bool)) & keep[None, :]
                keep = keep & ~below.any(axis=1)
            order = [j for j in np.argsort(-p, kind="stable") if keep[j]][:k]
            found = [Suggestion(fam.ids[j], float(p[j]), self._evidence(fam, j, text, vector[0], bank))
                     for j in order]
            if name == "approach":
                # the approach is a judgement on who the action is for: propose it only when the text or a
                # validated neighbour says so, not from the mere prevalence of targeted actions
                found = [f for f in found
                         if f.evidence.matches or any(n.origin == "validé" for n in f.evidence.neighbours)]
            chosen[name] = found
        return Suggestions(text, chosen["determinants"], chosen["strategies"],
                           chosen["approach"][0] if chosen["approach"] else None, chosen["themes"],
                           self.threshold, self.grid.version)


def _check_k(k) -> None:
    if not isinstance(k, int) or k < 1:
        raise GridError("grid_argument_invalid", argument="k", value=k, accepted="un entier ≥ 1")


def _vote(sims: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Kernel vote of the nearest neighbours for each target, against a background that carries nothing."""
    m = min(NEIGHBOURS, sims.shape[1])
    top = np.argpartition(-sims, m - 1, axis=1)[:, :m]
    s = np.take_along_axis(sims, top, axis=1)
    w = np.where(s > -1, np.exp((s - 1) / TAU), 0.0)
    background = np.exp((BACKGROUND - 1) / TAU)
    votes = np.einsum("nm,nmt->nt", w, y[top].astype(float))
    return votes / (background + w.sum(axis=1, keepdims=True))


# --- shipped calibration ---------------------------------------------------------------------------

def calibration_path(version: str):
    return resources.files("equisante.grid") / "data" / f"calibration-{version}.json"


_DEFAULTS: dict[str, dict] = {}


def default_calibrators(version: str, *, with_examples: bool) -> dict[str, Calibrator]:
    """The shipped calibrators: « avec_exemples » (validated neighbours present) or « sans_exemples »."""
    if version not in _DEFAULTS:
        path = calibration_path(version)
        try:
            _DEFAULTS[version] = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise GridError("grid_data_invalid", version=version, why=f"calibration absente ({path.name})") from None
    data = _DEFAULTS[version]
    if list(data.get("features", [])) != list(FEATURES):
        raise GridError("grid_data_invalid", version=version, why="calibration calculée pour d'autres variables")
    part = data["avec_exemples" if with_examples else "sans_exemples"]
    return {name: Calibrator.from_dict(part[name]) for name in FAMILIES}


def write_default_calibration(path_jsonl, version: str = "v1") -> str:
    """Fit the shipped calibrators on a labelled JSONL file and write ``data/calibration-<version>.json``:
    ``python -m equisante.grid.maintenance calibration tests/grid/fixtures/labelled_actions.jsonl``."""
    from equisante.grid.learning import read_jsonl

    grid = load_grid(version)
    actions = read_jsonl(path_jsonl, grid)
    data = {"features": list(FEATURES), "fitted_on": f"{len(actions)} actions codées", "threshold": DEFAULT_THRESHOLD}
    for part, use in (("avec_exemples", True), ("sans_exemples", False)):
        suggester = Suggester(grid, min_calibration=1, use_validated=use)
        suggester.learn(actions)
        data[part] = {name: c.to_dict() for name, c in suggester._calibrators.items()}
    target = calibration_path(version)
    with open(str(target), "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")
    _DEFAULTS.pop(version, None)
    return str(target)


_DEFAULT_SUGGESTER: dict[str, Suggester] = {}
_DEFAULT_LOCK = threading.Lock()


def default_suggester(version: str = "v1") -> Suggester:
    """The process-wide suggester of ``version`` (no validated codings until the application teaches it)."""
    with _DEFAULT_LOCK:
        if version not in _DEFAULT_SUGGESTER:
            _DEFAULT_SUGGESTER[version] = Suggester(load_grid(version))
        return _DEFAULT_SUGGESTER[version]


def suggest(text: str, *, k: int = 5, version: str = "v1") -> Suggestions:
    """Coding suggestions for ``text`` from the process-wide suggester (see :class:`Suggester`)."""
    return default_suggester(version).suggest(text, k=k)


def suggest_many(texts: Iterable[str], *, k: int = 5, version: str = "v1") -> list[Suggestions]:
    """:func:`suggest` for many texts at once (same results, in order; see :meth:`Suggester.suggest_many`)."""
    return default_suggester(version).suggest_many(texts, k=k)

