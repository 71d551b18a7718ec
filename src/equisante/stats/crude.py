"""Crude statistics with confidence limits: proportions, rates and means (PHE methods).

References: R package PHEindicatormethods v2.1.0, ``calculate_proportion`` (Wilson score limits),
``calculate_rate`` (exact Poisson limits below 10 events, Byar's from 10) and ``calculate_mean``
(Student t). Rows are first summed per group (``by`` columns); a missing numerator or denominator
in a group makes that group's result missing (NaN), as in the reference.

Direction: these functions only describe; whether a higher value is better or worse depends on the
indicator (its polarity), not on the method.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import stats as sps

from equisante.stats._common import as_levels, confidence_label, limit_columns, z_value
from equisante.stats._frame import Groups, numeric_column, output_frame, refuse_rows
from equisante.stats.confidence import _wilson, poisson_limits, poisson_method
from equisante.stats.errors import StatsInputError

__all__ = ["proportion", "rate", "mean", "check_multiplier"]


def check_multiplier(multiplier) -> float:
    """The multiplier as a positive float (refused otherwise)."""
    try:
        value = float(multiplier)
    except (TypeError, ValueError):
        raise StatsInputError("multiplier_invalid", value=multiplier) from None
    if not np.isfinite(value) or value <= 0 or isinstance(multiplier, bool):
        raise StatsInputError("multiplier_invalid", value=multiplier)
    return value


def proportion(
    df: pd.DataFrame,
    x: str,
    n: str,
    *,
    by: str | Iterable[str] | None = None,
    confidence: float | Sequence[float] = 0.95,
    multiplier: float = 1,
) -> pd.DataFrame:
    """Proportion ``Σx / Σn × multiplier`` per group with Wilson score limits.

    ``x``: column of cases (numerator), ``n``: column of the population at risk (denominator,
    > 0, and ``x ≤ n`` on every row). ``multiplier`` 1 gives a fraction, 100 a percentage.
    Output: ``by`` columns, ``value``, ``lower``, ``upper`` (one pair per confidence level),
    ``numerator``, ``denominator``, ``method`` ("Wilson"), ``confidence``.
    Reference: PHEindicatormethods ``calculate_proportion``.
    """
    levels = as_levels(confidence)
    mult = check_multiplier(multiplier)
    xs = numeric_column(df, x, argument="x")
    ns = numeric_column(df, n, argument="n")
    refuse_rows(xs < 0, "count_negative", df, x, xs)
    refuse_rows(ns <= 0, "denominator_not_positive", df, n, ns)
    refuse_rows(xs > ns, "numerator_exceeds_denominator", df, x, xs, denominator_column=n)
    groups = Groups(df, by)
    num = groups.sum(xs)
    den = groups.sum(ns)
    with np.errstate(divide="ignore", invalid="ignore"):
        columns: dict[str, object] = {"value": num / den * mult}
    for level, (low, high) in zip(levels, limit_columns(levels)):
        z = z_value(level)
        columns[low] = _wilson(num, den, z, -1.0) * mult
        columns[high] = _wilson(num, den, z, +1.0) * mult
    columns["numerator"] = num
    columns["denominator"] = den
    columns["method"] = "Wilson"
    columns["confidence"] = confidence_label(levels)
    return output_frame(groups, columns)


def rate(
    df: pd.DataFrame,
    x: str,
    n: str,
    *,
    by: str | Iterable[str] | None = None,
    confidence: float | Sequence[float] = 0.95,
    multiplier: float = 100_000,
) -> pd.DataFrame:
    """Crude rate ``Σx / Σn × multiplier`` per group (e.g. events per 100,000 person-years).

    Limits: exact Poisson limits of ``Σx`` when it is below 10 (``method`` "Exact"), Byar's
    otherwise ("Byars"), divided by ``Σn`` and multiplied. ``x`` ≥ 0, ``n`` > 0.
    Output: ``by`` columns, ``value``, ``lower``, ``upper``, ``numerator``, ``denominator``,
    ``method``, ``confidence``. Reference: PHEindicatormethods ``calculate_rate``.
    """
    levels = as_levels(confidence)
    mult = check_multiplier(multiplier)
    xs = numeric_column(df, x, argument="x")
    ns = numeric_column(df, n, argument="n")
    refuse_rows(xs < 0, "count_negative", df, x, xs)
    refuse_rows(ns <= 0, "denominator_not_positive", df, n, ns)
    groups = Groups(df, by)
    num = groups.sum(xs)
    den = groups.sum(ns)
    with np.errstate(divide="ignore", invalid="ignore"):
        columns: dict[str, object] = {"value": num / den * mult}
        for level, (low, high) in zip(levels, limit_columns(levels)):
            lower, upper = poisson_limits(num, level)
            columns[low] = np.where(den > 0, lower / den * mult, np.nan)
            columns[high] = np.where(den > 0, upper / den * mult, np.nan)
    columns["numerator"] = num
    columns["denominator"] = den
    columns["method"] = poisson_method(num)
    columns["confidence"] = confidence_label(levels)
    return output_frame(groups, columns)


def mean(
    df: pd.DataFrame,
    value: str,
    *,
    by: str | Iterable[str] | None = None,
    confidence: float | Sequence[float] = 0.95,
) -> pd.DataFrame:
    """Mean of ``value`` per group with Student t limits: ``mean ± t(1−α/2; n−1) · sd/√n``.

    ``sd`` is the sample standard deviation (n − 1 denominator). A group containing a missing value
    gets a missing mean (as the reference); a group of one row gets no limits.
    Output: ``by`` columns, ``value``, ``lower``, ``upper``, ``sum``, ``n``, ``sd``, ``method``
    ("Student t"), ``confidence``. Reference: PHEindicatormethods ``calculate_mean``.
    """
    levels = as_levels(confidence)
    values = numeric_column(df, value, argument="value")
    groups = Groups(df, by)
    count = groups.count().astype(float)
    total = groups.sum(values)
    with np.errstate(divide="ignore", invalid="ignore"):
        average = total / count
    deviation = values - average[groups.codes]
    with np.errstate(divide="ignore", invalid="ignore"):
        sd = np.sqrt(groups.sum(deviation * deviation) / (count - 1))
        sd = np.where(count > 1, sd, np.nan)
        se = sd / np.sqrt(count)
    columns: dict[str, object] = {"value": average}
    for level, (low, high) in zip(levels, limit_columns(levels)):
        with np.errstate(invalid="ignore"):
            t = np.where(count > 1, sps.t.ppf(level + (1 - level) / 2, np.maximum(count - 1, 1)), np.nan)
        columns[low] = average - t * se
        columns[high] = average + t * se
    columns["sum"] = total
    columns["n"] = count
    columns["sd"] = sd
    columns["method"] = "Student t"
    columns["confidence"] = confidence_label(levels)
    return output_frame(groups, columns)
