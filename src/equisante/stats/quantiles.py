"""Assign areas to quantiles (deciles, quintiles…) by the PHE method.

Reference: R package PHEindicatormethods v2.1.0, ``phe_quantile`` (OHID technical guide "Assigning
deprivation categories"). Within each group of N areas with a value, areas are ranked (ties get the
lowest rank) and quantile = floor((nq + 1) − ceiling(((N + 1) − rank) / (N / nq))), 0 becoming 1.

Direction (as the reference): with ``invert=True`` (default) the ranking is done on
``max − value``, so **the highest value gets quantile 1** ("lowest quantile represents highest
values"); with ``invert=False`` **the lowest value gets quantile 1**. For a deprivation score where
higher means more deprived, ``invert=True`` puts the most deprived areas in quantile 1.
Areas with a missing value get no quantile; a group with fewer areas (with a value) than ``n``
gets no quantile at all (NaN), as the reference does.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from equisante.stats._common import require_columns
from equisante.stats._frame import Groups, numeric_column
from equisante.stats.errors import StatsInputError

__all__ = ["quantiles", "direction_sentence"]


def direction_sentence(invert: bool, n: int) -> str:
    """The explicit French statement of the direction, e.g. for deciles and ``invert=True``:
    "quantile 1 = valeurs les plus élevées ; quantile 10 = valeurs les plus faibles"."""
    high, low = ("les plus élevées", "les plus faibles") if invert else ("les plus faibles", "les plus élevées")
    return f"quantile 1 = valeurs {high} ; quantile {n} = valeurs {low}"


def quantiles(
    df: pd.DataFrame,
    value: str,
    *,
    n: int = 10,
    invert: bool | str = True,
    by: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """The rows of ``df`` with their quantile (1…``n``) of ``value`` within each ``by`` group.

    ``invert``: True (highest value → quantile 1), False (lowest value → quantile 1), or the name
    of a boolean column giving the direction per group (it must be constant within a group).
    Output: every input column (same row order), then ``quantile`` (float64, NaN when not
    assigned), ``quantiles`` (``n``), ``quantile_invert`` (bool) and ``quantile_direction`` (the
    direction stated in French, e.g. "quantile 1 = valeurs les plus élevées ; quantile 10 = valeurs
    les plus faibles").
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise StatsInputError("quantiles_invalid", value=n)
    n = int(n)
    values = numeric_column(df, value, argument="value")
    groups = Groups(df, by)
    flip = _invert_per_row(df, invert, groups)

    has_value = ~np.isnan(values)
    count = groups.count(has_value).astype(float)[groups.codes]
    maximum = np.full(groups.size, -np.inf)
    np.maximum.at(maximum, groups.codes[has_value], values[has_value])
    adjusted = np.where(flip, maximum[groups.codes] - values, values)
    ranks = (
        pd.Series(adjusted, index=df.index)
        .groupby(groups.codes)
        .rank(method="min", na_option="keep")
        .to_numpy(dtype=float)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        q = np.floor((n + 1) - np.ceil(((count + 1) - ranks) / (count / n)))
    q = np.where(q == 0, 1.0, q)
    q = np.where(count < n, np.nan, q)

    out = df.copy()
    out["quantile"] = q.astype(np.float64)
    out["quantiles"] = n
    out["quantile_invert"] = flip
    out["quantile_direction"] = np.where(flip, direction_sentence(True, n), direction_sentence(False, n)).astype(object)
    return out


def _invert_per_row(df: pd.DataFrame, invert, groups: Groups) -> np.ndarray:
    if isinstance(invert, (bool, np.bool_)):
        return np.full(len(df), bool(invert))
    if not isinstance(invert, str):
        raise StatsInputError("invert_invalid", value=invert)
    require_columns(df, [invert])
    column = df[invert]
    if pd.api.types.is_bool_dtype(column) and not column.isna().any():
        flags = column.to_numpy(dtype=bool)
    else:
        mapped = column.map(_as_bool)
        if mapped.isna().any():
            bad = column[mapped.isna()].iloc[0]
            raise StatsInputError("invert_invalid", value=bad)
        flags = mapped.to_numpy(dtype=bool)
    per_group_true = groups.count(flags)
    per_group_all = groups.count()
    mixed = np.flatnonzero((per_group_true > 0) & (per_group_true < per_group_all))
    if mixed.size:
        raise StatsInputError("invert_not_constant", column=invert, group=groups.describe(int(mixed[0])))
    return flags


def _as_bool(value):
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, float, np.integer, np.floating)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in {"true", "vrai", "oui", "1", "yes"}:
            return True
        if text in {"false", "faux", "non", "0", "no"}:
            return False
    return None
