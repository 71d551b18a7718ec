"""Need weights: a gradient by class (priority or deprivation class), or a measure itself (pure)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from equisante.allocation.errors import AllocationError
from equisante.stats import quantiles

__all__ = ["linear_gradient", "class_weights", "deprivation_classes", "proportional_weights"]


def linear_gradient(classes: int, highest: float = 1.5, lowest: float = 1.0) -> dict[int, float]:
    """Weights from ``highest`` for class 1 (most deprived, or first priority) down to ``lowest`` for
    the last class, evenly spaced: ``linear_gradient(5, 1.5, 1.0)`` → 1,5 ; 1,375 ; 1,25 ; 1,125 ; 1."""
    if classes < 1:
        raise AllocationError("allocation_gradient_invalid", value=classes, why="il faut au moins une classe")
    if highest < 0 or lowest < 0:
        raise AllocationError("allocation_gradient_invalid", value=f"{highest} → {lowest}",
                              why="les poids doivent être positifs ou nuls")
    if classes == 1:
        return {1: float(highest)}
    step = (highest - lowest) / (classes - 1)
    return {k: float(highest - step * (k - 1)) for k in range(1, classes + 1)}


def class_weights(classes, gradient: Mapping[int, float], missing: float = 1.0) -> np.ndarray:
    """The weight of each territory's class (``missing`` for a territory without a class)."""
    values = pd.to_numeric(pd.Series(classes), errors="coerce").to_numpy(float)
    out = np.full(len(values), float(missing))
    for k, w in gradient.items():
        out[values == k] = float(w)
    return out


def deprivation_classes(frame: pd.DataFrame, value: str, *, higher_is_worse: bool, n: int = 5,
                        population: str | None = "population") -> np.ndarray:
    """Class 1 (most deprived) to ``n`` of each territory by ``value`` (NaN without a value).

    With ``population`` (a column of ``frame``), classes hold about the same **population** (each
    territory goes to the class of the middle of its population on the cumulative scale, from the most
    deprived): the usual reading of an allocation by quintile. Without it (or when the column is absent),
    about the same **number of territories** (PHE method, :func:`equisante.stats.quantiles`)."""
    if population is None or population not in frame.columns:
        table = quantiles(frame[[value]].reset_index(drop=True), value, n=n, invert=bool(higher_is_worse))
        return table["quantile"].to_numpy(float)
    x = pd.to_numeric(frame[value], errors="coerce").to_numpy(float)
    w = np.clip(pd.to_numeric(frame[population], errors="coerce").fillna(0).to_numpy(float), 0, None)
    out = np.full(len(x), np.nan)
    known = np.flatnonzero(~np.isnan(x))
    if known.size == 0:
        return out
    key = -x[known] if higher_is_worse else x[known]  # ascending: most deprived first
    order = known[np.lexsort((known, key))]
    weights = w[order]
    total = weights.sum()
    if total <= 0:
        weights, total = np.ones(len(order)), float(len(order))
    middle = (np.cumsum(weights) - weights / 2) / total
    out[order] = np.minimum(np.floor(middle * n) + 1, n)
    return out


def proportional_weights(values, missing: float | None = None) -> np.ndarray:
    """Weights proportional to a measure where more means more need (mean weight 1); a missing value
    gets ``missing`` (the mean, 1, when None)."""
    x = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(float)
    if np.any(x[~np.isnan(x)] < 0):
        raise AllocationError("allocation_gradient_invalid", value="proportionnel",
                              why="la mesure a des valeurs négatives : choisir un gradient par classe")
    mean = np.nanmean(x) if np.any(~np.isnan(x)) else np.nan
    if not mean or np.isnan(mean):
        return np.ones(len(x))
    out = x / mean
    return np.where(np.isnan(out), 1.0 if missing is None else missing, out)
