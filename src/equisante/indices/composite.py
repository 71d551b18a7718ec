"""A user-defined composite index: chosen variables, direction, weights and normalisation.

Each variable is first normalised over the territories given, then oriented so that a higher
score is always better, then averaged with the weights (divided by their sum):

- ``minmax``: (x − min) / (max − min), in [0, 1]; an *adverse* variable gives 1 − that;
- ``zscore``: (x − mean) / sd (sd with divisor N); an adverse variable gives its opposite;
- ``rank``: (rank − 1) / (N − 1) with average ranks for ties, in [0, 1]; adverse: 1 − that.

**Higher composite = more favourable (better)**, whatever the variables' own polarity. With
``minmax`` and ``rank`` the composite lies in [0, 1]; with ``zscore`` it is centred on 0. A
territory missing any variable gets no composite (no silent re-weighting).

Directions use the indicators' polarity vocabulary: ``favourable`` (higher is better) and
``adverse`` (higher is worse); ``higher_is_better`` / ``higher_is_worse`` are accepted too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from equisante.indices._validate import numeric, plain
from equisante.indices.errors import IndicesInputError

__all__ = ["CompositeSpec", "composite", "NORMALISATIONS"]

NORMALISATIONS = ("minmax", "zscore", "rank")
_DIRECTIONS = {
    "favourable": "favourable",
    "higher_is_better": "favourable",
    "adverse": "adverse",
    "higher_is_worse": "adverse",
}


@dataclass(frozen=True)
class CompositeSpec:
    """What to combine: ``variables`` maps each column to its direction (``favourable`` or
    ``adverse``); ``weights`` maps columns to non-negative weights (default: equal weights);
    ``normalisation`` is ``minmax``, ``zscore`` or ``rank``; ``name`` is the output column."""

    variables: Mapping[str, str]
    weights: Mapping[str, float] | None = None
    normalisation: str = "minmax"
    name: str = "composite"
    label: str = ""
    _weights: dict[str, float] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        if not isinstance(self.variables, Mapping) or not self.variables:
            _invalid("variables doit associer au moins une colonne à son sens (favourable ou adverse)")
        directions = {}
        for column, direction in self.variables.items():
            if not isinstance(column, str) or not column:
                _invalid(f"nom de colonne invalide : {column!r}")
            key = direction.strip().lower() if isinstance(direction, str) else direction
            if key not in _DIRECTIONS:
                _invalid(f"sens {direction!r} de « {column} » inconnu ; sens acceptés : favourable "
                         "(plus élevé = mieux), adverse (plus élevé = moins bien)")
            directions[column] = _DIRECTIONS[key]
        object.__setattr__(self, "variables", directions)
        if self.normalisation not in NORMALISATIONS:
            _invalid(f"normalisation {self.normalisation!r} inconnue ; valeurs acceptées : minmax, zscore, rank")
        if not isinstance(self.name, str) or not self.name:
            _invalid("le nom de la colonne produite (name) doit être un texte non vide")
        raw = {column: 1.0 for column in directions} if self.weights is None else self.weights
        if not isinstance(raw, Mapping):
            _invalid("weights doit associer chaque colonne à un poids")
        unknown = [c for c in raw if c not in directions]
        if unknown:
            _invalid(f"poids donné pour une variable absente de variables : {unknown[0]!r}")
        weights = {}
        for column in directions:
            if column not in raw:
                _invalid(f"aucun poids pour « {column} » (donner un poids à chaque variable, ou aucun)")
            try:
                weight = float(raw[column])
            except (TypeError, ValueError):
                weight = float("nan")
            if not np.isfinite(weight) or weight < 0:
                _invalid(f"le poids de « {column} » ({raw[column]!r}) doit être un nombre positif ou nul")
            weights[column] = weight
        total = sum(weights.values())
        if total <= 0:
            _invalid("la somme des poids doit être strictement positive")
        object.__setattr__(self, "_weights", {c: w / total for c, w in weights.items()})

    @property
    def normalised_weights(self) -> dict[str, float]:
        """The weights divided by their sum (they add up to 1)."""
        return dict(self._weights)

    @classmethod
    def from_dict(cls, data: Mapping) -> CompositeSpec:
        """A spec from configuration (e.g. YAML/JSON): ``variables`` is either a mapping
        column → direction, or a list of ``{"column", "direction", "weight"}`` entries."""
        if isinstance(data, CompositeSpec):
            return data
        if not isinstance(data, Mapping):
            _invalid("la spécification doit être un dictionnaire")
        known = {"variables", "weights", "normalisation", "name", "label"}
        extra = sorted(set(data) - known)
        if extra:
            _invalid(f"clé inconnue : {extra[0]!r} (clés acceptées : {', '.join(sorted(known))})")
        variables = data.get("variables")
        weights = data.get("weights")
        if isinstance(variables, (list, tuple)):
            entries, variables, listed = variables, {}, {}
            for entry in entries:
                if not isinstance(entry, Mapping) or "column" not in entry or "direction" not in entry:
                    _invalid("chaque variable doit avoir au moins « column » et « direction »")
                variables[entry["column"]] = entry["direction"]
                if "weight" in entry:
                    listed[entry["column"]] = entry["weight"]
            if listed:
                if weights is not None:
                    _invalid("poids donnés deux fois (dans variables et dans weights)")
                weights = listed
        return cls(variables=variables, weights=weights,
                   normalisation=data.get("normalisation", "minmax"),
                   name=data.get("name", "composite"), label=data.get("label", ""))


def composite(df: pd.DataFrame, spec: CompositeSpec | Mapping, *, keep_components: bool = False) -> pd.DataFrame:
    """The composite index of each row of ``df``; higher = more favourable.

    ``spec`` is a :class:`CompositeSpec` or its dictionary form. Returns a copy of ``df`` with
    the column ``spec.name`` (and, with ``keep_components``, one ``<name>__<column>`` column per
    variable holding its oriented normalised score). ``attrs["method"]`` records the
    normalisation, directions, weights and the parameters (min/max, mean/sd) used.
    """
    spec = CompositeSpec.from_dict(spec)
    if spec.name in df.columns:
        raise IndicesInputError("indices_argument_invalid", argument="spec.name", value=spec.name,
                                accepted="un nom de colonne absent des données")
    scores = {}
    parameters = {}
    for column, direction in spec.variables.items():
        values = numeric(df, column, argument=f"spec.variables[{column!r}]")
        score, params = _normalise(values, spec.normalisation, column)
        if direction == "adverse":
            score = -score if spec.normalisation == "zscore" else 1.0 - score
        scores[column] = score
        parameters[column] = params

    weights = spec.normalised_weights
    total = np.zeros(len(df))
    for column, score in scores.items():
        total = total + weights[column] * score  # NaN propagates: no silent re-weighting

    out = df.copy()
    if keep_components:
        for column, score in scores.items():
            out[f"{spec.name}__{column}"] = score
    out[spec.name] = total
    out.attrs["method"] = {
        "name": spec.label or "indice composite",
        "normalisation": spec.normalisation,
        "directions": dict(spec.variables),
        "weights": weights,
        "parameters": parameters,
        "territories_missing": int(np.count_nonzero(np.isnan(total))),
        "direction": "plus élevé = plus favorable",
        "range": "[0, 1]" if spec.normalisation in ("minmax", "rank") else "centré sur 0",
    }
    return out


def _normalise(values: np.ndarray, method: str, column: str) -> tuple[np.ndarray, dict]:
    present = values[~np.isnan(values)]
    if present.size < 2:
        raise IndicesInputError("indices_too_few_territories", count=int(present.size), minimum=2,
                                why=f"normaliser « {column} »")
    if method == "minmax":
        low, high = float(present.min()), float(present.max())
        _not_constant(high - low, low, column, method)
        return (values - low) / (high - low), {"min": low, "max": high}
    if method == "zscore":
        mean = float(present.mean())
        std = float(present.std())  # divisor N: the territories are the whole set, not a sample
        _not_constant(std, mean, column, method)
        return (values - mean) / std, {"mean": mean, "std": std}
    ranks = pd.Series(values).rank(method="average", na_option="keep").to_numpy(dtype=float)
    _not_constant(float(present.max() - present.min()), float(present[0]), column, method)
    return (ranks - 1.0) / (present.size - 1.0), {"n": int(present.size)}


def _not_constant(spread: float, level: float, column: str, method: str) -> None:
    if spread <= 1e-12 * max(1.0, abs(level)):
        raise IndicesInputError("indices_constant_variable", column=column, value=plain(level),
                                why=f"la normalisation {method} est impossible sur une variable constante")


def _invalid(why: str):
    raise IndicesInputError("indices_spec_invalid", why=why)
