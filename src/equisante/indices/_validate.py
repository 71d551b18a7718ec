"""Input checks shared by the index functions (pure NumPy/pandas).

Unit convention of the whole package: a *share* (proportion) is given **in percent, in [0, 100]**
by default (as INSEE publishes census shares); functions that take shares accept
``unit="fraction"`` for values in [0, 1]. Incomes are euros (any positive currency unit works).
Missing values (NaN) are allowed and give a missing index for that territory.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from equisante.numbers import french_number
import pandas as pd

from equisante.indices.errors import IndicesInputError

UNITS = {"percent": 100.0, "fraction": 1.0}
_UNIT_TEXT = {"percent": "en pourcentage (entre 0 et 100)", "fraction": "en fraction (entre 0 et 1)"}


def require_columns(df: pd.DataFrame, columns: dict[str, str]) -> None:
    """``columns`` maps argument name → column name; the first absent column is refused."""
    if not isinstance(df, pd.DataFrame):
        raise IndicesInputError("indices_argument_invalid", argument="df", value=type(df).__name__,
                                accepted="un DataFrame pandas")
    for argument, column in columns.items():
        if not isinstance(column, str) or column not in df.columns:
            raise IndicesInputError("indices_column_missing", column=column, argument=argument)


def numeric(df: pd.DataFrame, column: str, *, argument: str) -> np.ndarray:
    """The values of ``column`` as float64 (NaN for missing); booleans and text are refused."""
    require_columns(df, {argument: column})
    series = df[column]
    if pd.api.types.is_bool_dtype(series) or not (
        pd.api.types.is_numeric_dtype(series) or series.isna().all()
    ):
        raise IndicesInputError("indices_column_not_numeric", column=column, argument=argument)
    values = series.to_numpy(dtype=float, na_value=np.nan)
    # An infinite value is a data error, not a measurement: treat it as non-numeric input.
    if np.isinf(values).any():
        raise IndicesInputError("indices_column_not_numeric", column=column, argument=argument)
    return values


def check_unit(unit: str) -> float:
    """The upper bound of a share for ``unit`` ("percent" → 100, "fraction" → 1)."""
    if unit not in UNITS:
        raise IndicesInputError("indices_argument_invalid", argument="unit", value=unit,
                                accepted="« percent » (0 à 100) ou « fraction » (0 à 1)")
    return UNITS[unit]


def refuse_rows(df: pd.DataFrame, mask: np.ndarray, code: str, column: str, values: np.ndarray, **params) -> None:
    """Raise ``code`` naming the first row where ``mask`` is true (and the count), if any."""
    hits = np.flatnonzero(mask)
    if hits.size == 0:
        return
    row = int(hits[0])
    raise IndicesInputError(code, column=column, row=row + 1, label=str(df.index[row]),
                            value=plain(values[row]), count=int(hits.size), **params)


def check_share(df: pd.DataFrame, column: str, values: np.ndarray, unit: str) -> None:
    """Refuse shares outside [0, 100] (percent) or [0, 1] (fraction); NaN passes."""
    upper = check_unit(unit)
    with np.errstate(invalid="ignore"):
        bad = (values < 0) | (values > upper)
    refuse_rows(df, bad, "indices_proportion_out_of_range", column, values,
                upper=plain(upper), unit_text=_UNIT_TEXT[unit])


def check_nonnegative(df: pd.DataFrame, column: str, values: np.ndarray, why: str) -> None:
    with np.errstate(invalid="ignore"):
        bad = values < 0
    refuse_rows(df, bad, "indices_value_negative", column, values, why=why)


def check_positive(df: pd.DataFrame, column: str, values: np.ndarray, why: str) -> None:
    with np.errstate(invalid="ignore"):
        bad = values <= 0
    refuse_rows(df, bad, "indices_value_not_positive", column, values, why=why)


def weights_column(df: pd.DataFrame, column: str, *, argument: str) -> np.ndarray:
    """Population weights: numeric, present on every row, non-negative."""
    values = numeric(df, column, argument=argument)
    refuse_rows(df, np.isnan(values), "indices_value_missing", column, values,
                why="chaque territoire doit avoir une population (poids)")
    check_nonnegative(df, column, values, why="une population (poids) est positive ou nulle")
    return values


def column_list(columns: str | Iterable[str] | None) -> list[str]:
    if columns is None:
        return []
    if isinstance(columns, str):
        return [columns]
    return list(columns)


def plain(value) -> float | int:
    """A number as printed in messages: 12 rather than 12.0."""
    value = float(value)
    return int(value) if value.is_integer() else value


def number_fr(value: float, digits: int = 3) -> str:
    """A number written the French way (decimal comma), trailing zeros removed: 0.52 → "0,52"."""
    return french_number(value, digits)
