"""Confidence limits for counts and proportions (UK public-health methods, PHEindicatormethods).

Reference: R package PHEindicatormethods v2.1.0, functions ``byars_lower``, ``byars_upper``,
``wilson_lower``, ``wilson_upper`` and the exact Poisson limits used by ``calculate_rate``.
All functions are vectorised: they take scalars or arrays (NumPy, lists, pandas Series) and return
a float for scalar input, else a float64 array of the broadcast shape. Missing values give NaN.

- Byar's limits approximate the Poisson limits of a count ``x`` (good from about 10 events):
  ``lower = x (1 − 1/(9x) − z/(3√x))³``, ``upper = (x+1) (1 − 1/(9(x+1)) + z/(3√(x+1)))³``.
- Exact Poisson limits: ``lower = χ²((1−c)/2; 2x)/2`` (0 when x = 0),
  ``upper = χ²(c + (1−c)/2; 2x+2)/2``.
- Wilson score limits of a proportion ``x/n`` (returned as a fraction of 1, not multiplied):
  ``(2x + z² ∓ z√(z² + 4x(1 − x/n))) / (2(n + z²))``.

Limits are in the unit of ``x`` (a count) for Byar's and exact limits; divide by a denominator and
multiply as needed. The functions refuse negative counts and, for Wilson, non-positive
denominators or ``x > n``, with a catalogued French error.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from equisante.stats._common import as_levels, z_value
from equisante.stats.errors import StatsInputError

__all__ = [
    "byars_lower",
    "byars_upper",
    "exact_poisson_lower",
    "exact_poisson_upper",
    "wilson_lower",
    "wilson_upper",
    "poisson_limits",
]

#: Below this many events, rates and ratios use the exact Poisson limits instead of Byar's.
EXACT_BELOW = 10


def _level(confidence) -> float:
    levels = as_levels(confidence)
    if len(levels) != 1:
        raise StatsInputError("confidence_invalid", value=confidence)
    return levels[0]


def _counts(x, argument: str = "x") -> np.ndarray:
    values = np.asarray(x, dtype=float)
    negative = values < 0
    if negative.any():
        position = int(np.flatnonzero(negative.ravel())[0])
        raise StatsInputError("value_negative", argument=argument, value=float(values.ravel()[position]),
                              position=position)
    return values


def _result(values: np.ndarray, *inputs):
    if all(np.ndim(i) == 0 for i in inputs):
        return float(values)
    return values


# --- unchecked kernels (inputs already validated, z or level already resolved) -----------------

def _byars_lower(x: np.ndarray, z: float) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        out = x * (1 - 1 / (9 * x) - z / (3 * np.sqrt(x))) ** 3
    return np.where(x == 0, 0.0, out)


def _byars_upper(x: np.ndarray, z: float) -> np.ndarray:
    x1 = x + 1
    return x1 * (1 - 1 / (9 * x1) + z / (3 * np.sqrt(x1))) ** 3


def _exact_lower(x: np.ndarray, level: float) -> np.ndarray:
    # chi2.ppf(p, 2x) / 2 is the inverse of the regularised lower incomplete gamma function of x.
    p = (1 - level) / 2
    with np.errstate(invalid="ignore"):
        out = special.gammaincinv(np.where(x > 0, x, 1.0), p)
    return np.where(x == 0, 0.0, np.where(np.isnan(x), np.nan, out))


def _exact_upper(x: np.ndarray, level: float) -> np.ndarray:
    p = level + (1 - level) / 2
    return special.gammaincinv(x + 1, p)


def _wilson(x: np.ndarray, n: np.ndarray, z: float, sign: float) -> np.ndarray:
    z2 = z * z
    with np.errstate(divide="ignore", invalid="ignore"):
        root = np.sqrt(z2 + 4 * x * (1 - x / n))
        return (2 * x + z2 + sign * z * root) / (2 * (n + z2))


def poisson_limits(x: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper limits of counts ``x``: exact Poisson when x < 10, Byar's otherwise."""
    z = z_value(level)
    exact = x < EXACT_BELOW
    lower = np.where(exact, _exact_lower(x, level), _byars_lower(x, z))
    upper = np.where(exact, _exact_upper(x, level), _byars_upper(x, z))
    return lower, upper


def poisson_method(x: np.ndarray) -> np.ndarray:
    """``"Exact"`` (x < 10), ``"Byars"`` (x ≥ 10) or None (x missing), per element."""
    x = np.asarray(x, dtype=float)
    return np.where(np.isnan(x), None, np.where(x < EXACT_BELOW, "Exact", "Byars")).astype(object)


# --- public API --------------------------------------------------------------------------------

def byars_lower(x, confidence: float = 0.95):
    """Lower Byar's limit of the count(s) ``x`` (events; 0 for x = 0). Approximate for x < 10."""
    level = _level(confidence)
    values = _counts(x)
    return _result(_byars_lower(values, z_value(level)), x)


def byars_upper(x, confidence: float = 0.95):
    """Upper Byar's limit of the count(s) ``x`` (events)."""
    level = _level(confidence)
    values = _counts(x)
    return _result(_byars_upper(values, z_value(level)), x)


def exact_poisson_lower(x, confidence: float = 0.95):
    """Lower exact Poisson limit of the count(s) ``x`` (events): χ²((1−c)/2; 2x)/2, 0 for x = 0."""
    level = _level(confidence)
    values = _counts(x)
    return _result(_exact_lower(values, level), x)


def exact_poisson_upper(x, confidence: float = 0.95):
    """Upper exact Poisson limit of the count(s) ``x`` (events): χ²(c + (1−c)/2; 2x+2)/2."""
    level = _level(confidence)
    values = _counts(x)
    return _result(_exact_upper(values, level), x)


def _check_proportion(x, n) -> tuple[np.ndarray, np.ndarray]:
    xs = _counts(x)
    ns = np.asarray(n, dtype=float)
    xs, ns = np.broadcast_arrays(xs, ns)
    bad = ns <= 0
    if bad.any():
        position = int(np.flatnonzero(bad.ravel())[0])
        raise StatsInputError("value_not_positive", argument="n", value=float(ns.ravel()[position]),
                              position=position)
    above = xs > ns
    if above.any():
        position = int(np.flatnonzero(above.ravel())[0])
        raise StatsInputError("value_exceeds_denominator", value=float(xs.ravel()[position]),
                              denominator=float(ns.ravel()[position]), position=position)
    return xs, ns


def wilson_lower(x, n, confidence: float = 0.95):
    """Lower Wilson score limit of the proportion ``x/n`` (a fraction between 0 and 1)."""
    level = _level(confidence)
    xs, ns = _check_proportion(x, n)
    return _result(_wilson(xs, ns, z_value(level), -1.0), x, n)


def wilson_upper(x, n, confidence: float = 0.95):
    """Upper Wilson score limit of the proportion ``x/n`` (a fraction between 0 and 1)."""
    level = _level(confidence)
    xs, ns = _check_proportion(x, n)
    return _result(_wilson(xs, ns, z_value(level), +1.0), x, n)
