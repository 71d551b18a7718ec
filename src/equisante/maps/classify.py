"""Classification of values into classes for choropleth maps: quantiles and Jenks natural breaks (pure).

A classification is a list of ``bounds`` ``[b0, b1, …, bk]`` (``b0`` the minimum, ``bk`` the
maximum): class 0 holds ``b0 ≤ v ≤ b1``, class ``j > 0`` holds ``b(j) < v ≤ b(j+1)``. Bounds are
always values of the data, so that a legend never shows a number that no territory has.
Fewer classes than asked are returned when the data have fewer distinct values.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

METHODS = ("quantiles", "jenks")

#: Above this many values, Jenks runs on evenly spaced order statistics: the exact algorithm needs
#: n² memory and time, and breaks computed on 2,000 order statistics differ from exact ones by less
#: than the spacing of those statistics.
JENKS_MAX_POINTS = 2000


@dataclass(frozen=True)
class Classification:
    """Bounds, the class of each value (``None`` where the value is missing) and the size of each class."""

    method: str
    bounds: tuple[float, ...]
    classes: tuple[int | None, ...]
    counts: tuple[int, ...]

    @property
    def k(self) -> int:
        return len(self.counts)

    def intervals(self) -> list[tuple[float, float]]:
        """``(low, high)`` of each class."""
        return [(self.bounds[i], self.bounds[i + 1]) for i in range(self.k)]


def _clean(values: Iterable[float | None]) -> np.ndarray:
    return np.array([np.nan if v is None else float(v) for v in values], dtype=float)


def quantile_bounds(values: Iterable[float | None], k: int = 5) -> list[float]:
    """Bounds of ``k`` classes holding about as many values each (missing values ignored).

    The upper bound of class ``j`` is the value of rank ``ceil(n·(j+1)/k)`` in the sorted data;
    ties never straddle two classes, so classes may be fewer than ``k``.
    """
    data = np.sort(_finite(values))
    if data.size == 0:
        return []
    if k < 1:
        raise ValueError("k doit être au moins 1")
    n = data.size
    uppers = [data[max(int(np.ceil(n * (j + 1) / k)) - 1, 0)] for j in range(k)]
    return _bounds(data[0], uppers)


def jenks_bounds(values: Iterable[float | None], k: int = 5) -> list[float]:
    """Bounds of ``k`` classes minimising the within-class sum of squared deviations (Fisher's exact
    optimal partition of sorted data, known in cartography as Jenks natural breaks)."""
    data = np.sort(_finite(values))
    if data.size == 0:
        return []
    if k < 1:
        raise ValueError("k doit être au moins 1")
    distinct = np.unique(data)
    if distinct.size <= k:
        return _bounds(distinct[0], list(distinct))
    if data.size > JENKS_MAX_POINTS:
        positions = np.linspace(0, data.size - 1, JENKS_MAX_POINTS).round().astype(int)
        data = data[positions]
    ends = _fisher_class_ends(data, k)
    return _bounds(data[0], [data[e] for e in ends])


def _fisher_class_ends(data: np.ndarray, k: int) -> list[int]:
    """Indexes (in sorted ``data``) of the last value of each of the ``k`` optimal classes.

    Dynamic programming over ``cost[c][j]``: least total within-class squared deviation of
    ``data[0..j]`` split into ``c+1`` classes. The squared deviation of any run ``data[i..j]`` comes
    from prefix sums, so each step is one vectorised minimum over the start of the last class.
    """
    n = data.size
    s1 = np.concatenate([[0.0], np.cumsum(data)])
    s2 = np.concatenate([[0.0], np.cumsum(data * data)])
    i = np.arange(n)[:, None]  # start of a run
    j = np.arange(n)[None, :]  # end of a run (inclusive)
    length = (j - i + 1).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        ssd = (s2[j + 1] - s2[i]) - (s1[j + 1] - s1[i]) ** 2 / length
    ssd = np.where(j >= i, np.maximum(ssd, 0.0), np.inf)  # rounding can give tiny negatives

    cost = ssd[0].copy()  # one class: the run data[0..j]
    starts = []  # starts[c][j]: start of the last class in the best split of data[0..j] into c+2 classes
    for _ in range(1, k):
        # candidate: previous classes cover data[0..i-1], the last class is data[i..j] (i ≥ 1)
        candidate = cost[:-1, None] + ssd[1:, :]
        best = np.argmin(candidate, axis=0)
        cost = candidate[best, np.arange(n)]
        starts.append(best + 1)
    ends = [n - 1]
    end = n - 1
    for c in range(k - 2, -1, -1):
        start = int(starts[c][end])
        end = start - 1
        ends.append(end)
    return sorted(ends)


def _finite(values: Iterable[float | None]) -> np.ndarray:
    data = _clean(values)
    return data[np.isfinite(data)]


def _bounds(low: float, uppers: Sequence[float]) -> list[float]:
    bounds = [float(low)]
    for upper in uppers:
        # the first class may hold the minimum alone (many ties at the bottom): [low, low]
        if float(upper) > bounds[-1] or len(bounds) == 1:
            bounds.append(float(upper))
    return bounds


def assign(values: Iterable[float | None], bounds: Sequence[float]) -> list[int | None]:
    """The class of each value for ``bounds`` (right-closed intervals), ``None`` for missing values.
    Values outside the bounds go to the nearest end class."""
    data = _clean(values)
    if len(bounds) < 2:
        return [None if not np.isfinite(v) else 0 for v in data] if bounds else [None] * data.size
    inner = np.asarray(bounds[1:-1], dtype=float)
    indexes = np.searchsorted(inner, data, side="left")
    return [int(c) if np.isfinite(v) else None for v, c in zip(data, indexes, strict=True)]


def classify(values: Sequence[float | None], k: int = 5, method: str = "quantiles") -> Classification:
    """Classify ``values`` into at most ``k`` classes by ``method`` (``quantiles`` or ``jenks``)."""
    if method not in METHODS:
        raise ValueError(f"méthode de classification inconnue : {method!r} (méthodes : {', '.join(METHODS)})")
    bounds = quantile_bounds(values, k) if method == "quantiles" else jenks_bounds(values, k)
    if len(bounds) == 1:  # a single distinct value: one class [v, v]
        bounds = [bounds[0], bounds[0]]
    classes = assign(values, bounds) if bounds else [None] * len(values)
    size = max(len(bounds) - 1, 0)
    counts = [0] * size
    for c in classes:
        if c is not None:
            counts[c] += 1
    return Classification(method=method, bounds=tuple(bounds), classes=tuple(classes), counts=tuple(counts))
