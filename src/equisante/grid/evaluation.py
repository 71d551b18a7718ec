"""Held-out evaluation of the coding suggestions on a labelled JSONL file.

Every example is predicted by a suggester that learnt from the other examples only: leave-one-out
by default, or k folds. Examples that share a ``group`` (two descriptions of the same action) are
always held out together, so that an action never helps to predict itself.

Scores are micro-averaged precision, recall and F1 over the examples, for determinants and
strategies at three depths (« niveau 1 »: predictions and truths mapped to D1…D6 / S1…S5;
« niveau 2 »; « complet »: the ids as coded), for themes, and for the approach type (over the
examples whose approach is known).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from equisante.grid.errors import GridError
from equisante.grid.learning import LabelledAction, read_jsonl
from equisante.grid.reference import Grid, load_grid
from equisante.grid.suggest import DEFAULT_THRESHOLD, Suggester

LEVELS = ("niveau 1", "niveau 2", "complet")
FAMILY_LABELS = {"determinants": "Déterminants", "strategies": "Stratégies", "themes": "Thèmes",
                 "approach": "Type d'approche"}


@dataclass(frozen=True)
class Score:
    """Micro-averaged counts of one family at one depth."""

    family: str
    level: str
    tp: int
    fp: int
    fn: int
    examples: int

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    """Scores of a held-out evaluation, with its settings and the predictions."""

    path: str
    examples: int
    k: int
    folds: str
    threshold: float
    validated_neighbours: bool
    grid_version: str
    scores: list[Score]
    ms_per_suggestion: float
    predictions: list[dict] = field(default_factory=list, repr=False)

    def score(self, family: str, level: str = "complet") -> Score:
        for s in self.scores:
            if s.family == family and s.level == level:
                return s
        raise KeyError((family, level))

    def table(self) -> str:
        """The scores as a French text table."""
        def pct(v):
            return "—" if v is None else f"{100 * v:5.1f} %".replace(".", ",")

        lines = [
            f"Évaluation des suggestions de codage — {self.path}",
            f"{self.examples} actions codées ; validation : {self.folds} ; k = {self.k} ; "
            f"seuil = {format(self.threshold, 'g').replace('.', ',')} ; "
            f"grille {self.grid_version} ; voisins validés : {'oui' if self.validated_neighbours else 'non'}",
            "",
            f"{'Famille':<17} {'Niveau':<10} {'Précision':>10} {'Rappel':>9} {'F1':>9} {'VP':>5} {'FP':>5} {'FN':>5}",
        ]
        for s in self.scores:
            lines.append(f"{FAMILY_LABELS[s.family]:<17} {s.level:<10} {pct(s.precision):>10} {pct(s.recall):>9} "
                         f"{pct(s.f1):>9} {s.tp:>5} {s.fp:>5} {s.fn:>5}")
        lines += ["", f"Durée moyenne d'une suggestion (vecteur du texte déjà calculé) : {self.ms_per_suggestion:.0f} ms",
                  "VP : codes proposés et validés ; FP : proposés à tort ; FN : validés mais non proposés."]
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {
            "path": self.path, "examples": self.examples, "k": self.k, "folds": self.folds,
            "threshold": self.threshold, "validated_neighbours": self.validated_neighbours,
            "grid_version": self.grid_version, "ms_per_suggestion": round(self.ms_per_suggestion, 1),
            "scores": [{"family": s.family, "level": s.level, "precision": s.precision, "recall": s.recall,
                        "f1": s.f1, "tp": s.tp, "fp": s.fp, "fn": s.fn, "examples": s.examples} for s in self.scores],
        }


def make_folds(actions: list[LabelledAction], folds: int | None) -> list[list[int]]:
    """Indices of the held-out examples of each fold; a group is never split. ``None``: one fold per
    group (leave-one-out); an integer: groups dealt in turn into that many folds."""
    groups: dict = {}
    for i, action in enumerate(actions):
        groups.setdefault(action.group if action.group is not None else ("#", i), []).append(i)
    members = list(groups.values())
    if folds is None:
        return members
    if folds < 2 or folds > len(members):
        raise GridError("grid_argument_invalid", argument="folds", value=folds,
                        accepted=f"un entier entre 2 et {len(members)}, ou rien (une action à la fois)")
    out: list[list[int]] = [[] for _ in range(folds)]
    for n, indices in enumerate(members):
        out[n % folds].extend(indices)
    return out


def _at_level(grid: Grid, ids, level: str) -> set[str]:
    if level == "complet":
        return set(ids)
    depth = 1 if level == "niveau 1" else 2
    return {grid.at_level(i, depth) for i in ids}


def evaluate(path, *, k: int = 5, folds: int | None = None, threshold: float = DEFAULT_THRESHOLD,
             grid: Grid | None = None, embedder=None, validated_neighbours: bool = True) -> Report:
    """Evaluate the suggestions on the labelled JSONL file ``path`` without ever training on the
    example being predicted (see the module docstring). ``validated_neighbours=False`` measures
    what the grid alone gives (lexicon, definitions, seed examples), the calibration still being
    learnt from the training examples."""
    grid = grid or load_grid()
    actions = read_jsonl(path, grid)
    split = make_folds(actions, folds)
    if len(actions) < 3 or len(split) < 2:
        raise GridError("grid_dataset_too_small", count=len(actions), path=str(path), minimum=3,
                        why="une évaluation sur exemples mis de côté")
    predicted: dict[int, object] = {}
    elapsed = 0.0
    for held_out in split:
        held = set(held_out)
        train = [a for i, a in enumerate(actions) if i not in held]
        suggester = Suggester(grid, embedder=embedder, threshold=threshold, min_calibration=1,
                              use_validated=validated_neighbours)
        suggester.learn(train)
        for i in held_out:
            start = time.perf_counter()
            predicted[i] = suggester.suggest(actions[i].text, k=k)
            elapsed += time.perf_counter() - start
    scores = []
    for family in ("determinants", "strategies", "themes", "approach"):
        levels = LEVELS if family in ("determinants", "strategies") else ("complet",)
        for level in levels:
            tp = fp = fn = n = 0
            for i, action in enumerate(actions):
                truth_ids = action.coding.ids(family)
                pred_ids = predicted[i].ids(family)
                if family == "approach" and not truth_ids:
                    continue  # approach unknown: nothing to score
                truth, pred = _at_level(grid, truth_ids, level), _at_level(grid, pred_ids, level)
                tp += len(truth & pred)
                fp += len(pred - truth)
                fn += len(truth - pred)
                n += 1
            scores.append(Score(family, level, tp, fp, fn, n))
    rows = [{"text": a.text, "source": a.source,
             "truth": {f: sorted(a.coding.ids(f)) for f in ("determinants", "strategies", "themes", "approach")},
             "predicted": {f: predicted[i].ids(f) for f in ("determinants", "strategies", "themes", "approach")}}
            for i, a in enumerate(actions)]
    description = "une action (ou un groupe) à la fois" if folds is None else f"{folds} blocs"
    return Report(str(Path(path)), len(actions), k, description, threshold, validated_neighbours, grid.version,
                  scores, 1000 * elapsed / max(1, len(actions)), rows)
