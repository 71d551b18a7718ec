"""Validated codings: their shape, their checking, reading them from JSON Lines, and the calibrated
classifier that turns evidence into a probability.

A coding is given either as a mapping shaped like a line of the development set
(``{"determinants": [...], "strategies": [...], "approach": ..., "themes": [...]}``) or as a flat
iterable of ids of any kind (``["D5.1.2", "S4.1.5", "groupes-defavorises", "acces-aux-soins"]``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from equisante.errors import EquisanteError, Location
from equisante.grid.errors import GridError
from equisante.grid.reference import Grid

FAMILY_KINDS = {"determinants": "determinant", "strategies": "strategy", "themes": "theme"}
#: The kinds of grid codes, as a sentence names them.
KIND_WORDS = {"determinant": "un déterminant", "strategy": "une stratégie", "theme": "une thématique",
              "approach": "une approche"}


@dataclass(frozen=True)
class Coding:
    """The validated codes of one action: sets of ids per family; ``approach`` is None when unknown."""

    determinants: frozenset[str] = frozenset()
    strategies: frozenset[str] = frozenset()
    themes: frozenset[str] = frozenset()
    approach: str | None = None

    def ids(self, family: str) -> frozenset[str]:
        if family == "approach":
            return frozenset([self.approach]) if self.approach else frozenset()
        return getattr(self, family)


@dataclass(frozen=True)
class LabelledAction:
    """An action text with its validated coding (one line of a JSONL file)."""

    text: str
    coding: Coding
    source: str = ""
    group: str | None = None
    line: int | None = None
    extra: dict = field(default_factory=dict, compare=False)


def make_coding(grid: Grid, codes, *, index: int = 1) -> Coding:
    """Check and sort ``codes`` (mapping or flat iterable of ids) into a :class:`Coding`."""
    families: dict[str, set[str]] = {"determinants": set(), "strategies": set(), "themes": set()}
    approaches: list[str] = []

    def add(id_, expected: str | None) -> None:
        if not isinstance(id_, str) or not grid.is_valid(id_):
            raise GridError("grid_code_invalid", index=index,
                            why=f"identifiant « {id_} » inconnu dans la grille {grid.version}")
        kind = grid.node(id_).kind
        if expected is not None and kind != expected:
            raise GridError("grid_code_invalid", index=index, why=f"« {id_} » n'est pas {KIND_WORDS.get(expected, expected)}")
        if kind == "approach":
            approaches.append(id_)
        else:
            families[{v: k for k, v in FAMILY_KINDS.items()}[kind]].add(id_)

    if isinstance(codes, Mapping):
        unknown = set(codes) - {"determinants", "strategies", "themes", "approach"}
        if unknown:
            listed = ", ".join(sorted(unknown))
            why = f"champs inconnus : {listed}" if len(unknown) > 1 else f"champ inconnu : {listed}"
            raise GridError("grid_code_invalid", index=index, why=why)
        for family, kind in FAMILY_KINDS.items():
            values = codes.get(family) or []
            if isinstance(values, str) or not isinstance(values, Iterable):
                raise GridError("grid_code_invalid", index=index,
                                why=f"« {family} » doit être une liste d'identifiants")
            for value in values:
                add(value, kind)
        if codes.get("approach") is not None:
            add(codes["approach"], "approach")
    elif isinstance(codes, str) or not isinstance(codes, Iterable):
        raise GridError("grid_code_invalid", index=index,
                        why="les codes doivent être une liste d'identifiants ou un dictionnaire")
    else:
        for value in codes:
            add(value, None)
    if len(set(approaches)) > 1:
        raise GridError("grid_code_invalid", index=index, why=f"plusieurs types d'approche ({', '.join(approaches)})")
    return Coding(frozenset(families["determinants"]), frozenset(families["strategies"]),
                  frozenset(families["themes"]), approaches[0] if approaches else None)


def make_actions(grid: Grid, examples: Iterable) -> list[LabelledAction]:
    """Validated examples as :class:`LabelledAction`: ``(text, codes)`` pairs or LabelledAction."""
    out = []
    for index, example in enumerate(examples, start=1):
        if isinstance(example, LabelledAction):
            out.append(example)
            continue
        try:
            text, codes = example
        except (TypeError, ValueError):
            raise GridError("grid_code_invalid", index=index, why="une paire (texte, codes) est attendue") from None
        if not isinstance(text, str) or not text.strip():
            raise GridError("grid_code_invalid", index=index, why="texte vide")
        out.append(LabelledAction(text.strip(), make_coding(grid, codes, index=index)))
    return out


def read_jsonl(path: str | Path, grid: Grid) -> list[LabelledAction]:
    """Read a JSONL development set (one object per line: ``text``, ``determinants``, ``strategies``,
    ``approach``, ``themes``, optional ``source`` and ``group``). Blank lines are skipped; a faulty line
    raises :class:`GridError` ``grid_jsonl_invalid`` with its line number."""
    path = Path(path)
    if not path.is_file():
        raise EquisanteError("file_not_found", path=str(path))
    actions = []
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        if not line.strip():
            continue
        where = Location(source=str(path), line=number)
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            why = f"JSON invalide ({exc.msg}, colonne {exc.colno})"
            raise GridError("grid_jsonl_invalid", where, why=why) from None
        if not isinstance(record, dict):
            raise GridError("grid_jsonl_invalid", where, why="un objet JSON est attendu")
        text = record.get("text")
        if not isinstance(text, str) or not text.strip():
            raise GridError("grid_jsonl_invalid", where, why="champ « text » absent ou vide")
        codes = {k: record.get(k) for k in ("determinants", "strategies", "themes", "approach")}
        try:
            coding = make_coding(grid, codes, index=number)
        except GridError as exc:
            raise GridError("grid_jsonl_invalid", where, why=exc.params.get("why", exc.message)) from None
        extra = {k: v for k, v in record.items() if k not in {"text", "determinants", "strategies", "themes",
                                                                "approach", "source", "group"}}
        actions.append(LabelledAction(text.strip(), coding, str(record.get("source") or ""),
                                      record.get("group"), number, extra))
    return actions


class Calibrator:
    """Logistic regression from evidence features to the probability that a target applies.

    Fitted on the validated examples (features computed leaving each example out of its own
    neighbours); ``coef``/``intercept`` can also be given directly (the shipped defaults).
    """

    def __init__(self, coef: np.ndarray | None = None, intercept: float = 0.0):
        self.coef = None if coef is None else np.asarray(coef, dtype=float)
        self.intercept = float(intercept)

    @classmethod
    def fit(cls, features: np.ndarray, labels: np.ndarray, *, C: float = 1.0) -> "Calibrator":
        from sklearn.linear_model import LogisticRegression

        labels = np.asarray(labels, dtype=int)
        if labels.min() == labels.max():  # one class only: no information, a flat prior
            p = np.clip(labels.mean(), 0.01, 0.99)
            return cls(np.zeros(features.shape[1]), float(np.log(p / (1 - p))))
        model = LogisticRegression(C=C, solver="newton-cholesky", max_iter=200)  # many rows, few features
        model.fit(features, labels)
        return cls(model.coef_[0], float(model.intercept_[0]))

    def predict(self, features: np.ndarray) -> np.ndarray:
        z = features @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def to_dict(self) -> dict:
        return {"coef": [round(float(c), 6) for c in self.coef], "intercept": round(self.intercept, 6)}

    @classmethod
    def from_dict(cls, data: Mapping) -> "Calibrator":
        return cls(np.array(data["coef"], dtype=float), float(data["intercept"]))
