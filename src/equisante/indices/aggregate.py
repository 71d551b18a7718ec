"""Population-weighted means of an index over supra-level territories.

STATS_METHODS §8: the FDep of an EPCI, a département or a region is the mean of its communes'
FDep weighted by their population — not the FDep recomputed on aggregated variables, and not the
plain mean of communes (which would let thousands of small villages outweigh a city).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from equisante.indices._validate import column_list, numeric, require_columns, weights_column
from equisante.indices.errors import IndicesInputError

__all__ = ["weighted_mean_by"]


def weighted_mean_by(
    df: pd.DataFrame,
    value: str,
    population: str,
    by: str | Iterable[str],
) -> pd.DataFrame:
    """Σ(value × population) / Σ population for each group of the ``by`` columns.

    Rows whose ``value`` is missing are left out of both sums (their population is reported
    apart). ``population`` must be present and ≥ 0 on every row. Returns one row per group,
    sorted by the ``by`` columns: the ``by`` columns, ``value`` (the weighted mean, NaN when no
    population has a value), ``population`` (total population of the rows with a value),
    ``population_missing`` (population of the rows without a value), ``territories`` (rows with
    a value) and ``territories_missing``.
    """
    keys = column_list(by)
    if not keys:
        raise IndicesInputError("indices_argument_required", argument="by",
                                why="(les colonnes du niveau supérieur, par ex. le code du département)")
    require_columns(df, {f"by[{i}]": column for i, column in enumerate(keys)})
    values = numeric(df, value, argument="value")
    weights = weights_column(df, population, argument="population")
    if value in keys or population in keys or value == population:
        raise IndicesInputError("indices_argument_invalid", argument="by", value=keys,
                                accepted="des colonnes distinctes de value et population")

    grouped = df[keys].groupby(keys, sort=True, dropna=False, observed=True)
    codes = grouped.ngroup().to_numpy(dtype=np.intp)
    size = int(codes.max()) + 1 if codes.size else 0
    has = ~np.isnan(values)
    filled = np.where(has, values, 0.0)
    weighted_sum = np.bincount(codes, weights=filled * np.where(has, weights, 0.0), minlength=size)
    covered = np.bincount(codes, weights=np.where(has, weights, 0.0), minlength=size)
    uncovered = np.bincount(codes, weights=np.where(has, 0.0, weights), minlength=size)
    counted = np.bincount(codes, weights=has.astype(float), minlength=size)
    total_rows = np.bincount(codes, minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(covered > 0, weighted_sum / covered, np.nan)

    # One representative row per group gives the key values in group-number order.
    first = np.full(size, -1, dtype=np.intp)
    first[codes[::-1]] = np.arange(len(codes))[::-1]
    out = df[keys].iloc[first].reset_index(drop=True)
    out[value] = mean
    out[population] = covered
    out[f"{population}_missing"] = uncovered
    out["territories"] = counted.astype(np.int64)
    out["territories_missing"] = (total_rows - counted).astype(np.int64)
    out.attrs["method"] = {
        "name": "moyenne pondérée par la population",
        "formula": f"Σ({value} × {population}) / Σ {population}, territoires sans valeur exclus",
        "value": value,
        "population": population,
        "by": keys,
    }
    return out
