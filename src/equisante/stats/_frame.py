"""Grouping and validation helpers of the PHE-style statistics (pure NumPy/pandas).

A :class:`Groups` object numbers the groups of a table once (``by`` columns, sorted, missing keys
kept as their own group) and then sums any column per group with :func:`numpy.bincount`, which is
what makes the functions fast on tens of thousands of areas: no Python loop per group.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from equisante.stats._common import by_columns, require_columns
from equisante.stats.errors import StatsInputError

_LEADING_INT = re.compile(r"\d+")


class Groups:
    """The groups of ``df`` by the ``by`` columns (one single group when ``by`` is empty).

    ``codes`` gives each row its group number (0..size-1, in sorted key order); ``keys`` is a
    DataFrame of the ``by`` columns, one row per group, in group-number order.
    """

    def __init__(self, df: pd.DataFrame, by: str | Iterable[str] | None):
        self.by = by_columns(by)
        require_columns(df, self.by)
        if not self.by:
            self.codes = np.zeros(len(df), dtype=np.intp)
            self.size = 1
            self.keys = pd.DataFrame(index=range(1))
            return
        if len(self.by) == 1 and self._factorize_strings(df[self.by[0]]):
            return
        grouped = df.groupby(self.by, sort=True, dropna=False, observed=True)
        self.codes = grouped.ngroup().to_numpy(dtype=np.intp)
        sizes = grouped.size()
        self.size = len(sizes)
        keys = sizes.index.to_frame(index=False)
        keys.columns = self.by
        self.keys = keys.reset_index(drop=True)

    def _factorize_strings(self, column: pd.Series) -> bool:
        """Fast path for one text key (the usual area code): hash, then sort the distinct keys only.
        Same numbering as ``groupby(sort=True, dropna=False)``; False when not applicable."""
        if not (pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column)):
            return False
        values = column.to_numpy()
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        try:
            order = np.argsort(uniques, kind="stable")
        except TypeError:  # mixed types that cannot be compared: let pandas decide
            return False
        rank = np.empty(len(uniques), dtype=np.intp)
        rank[order] = np.arange(len(uniques))
        missing = codes < 0
        self.codes = np.where(missing, len(uniques), rank[np.maximum(codes, 0)]).astype(np.intp)
        keys = list(np.asarray(uniques, dtype=object)[order])
        if missing.any():
            keys.append(np.nan)
        self.size = len(keys)
        self.keys = pd.DataFrame({self.by[0]: pd.Series(keys, dtype=column.dtype)})
        return True

    def sum(self, values: np.ndarray, *, skipna: bool = False) -> np.ndarray:
        """Sum per group; a missing value makes the group's sum missing unless ``skipna``."""
        values = np.asarray(values, dtype=float)
        if skipna:
            values = np.where(np.isnan(values), 0.0, values)
        return np.bincount(self.codes, weights=values, minlength=self.size)

    def count(self, mask: np.ndarray | None = None) -> np.ndarray:
        """Number of rows per group (of rows where ``mask`` is true, when given)."""
        if mask is None:
            return np.bincount(self.codes, minlength=self.size)
        return np.bincount(self.codes, weights=np.asarray(mask, dtype=float), minlength=self.size).astype(np.int64)

    def any(self, mask: np.ndarray) -> np.ndarray:
        """Whether ``mask`` is true for at least one row of each group."""
        return self.count(mask) > 0

    def position(self) -> np.ndarray:
        """Position of each row within its group (0-based, in row order)."""
        order = np.argsort(self.codes, kind="stable")
        starts = np.concatenate(([0], np.cumsum(np.bincount(self.codes, minlength=self.size))[:-1]))
        position = np.empty(len(self.codes), dtype=np.intp)
        position[order] = np.arange(len(self.codes)) - starts[self.codes[order]]
        return position

    def describe(self, group: int) -> str:
        """A French description of group number ``group`` (for error messages)."""
        if not self.by:
            return "l'ensemble des données"
        row = self.keys.iloc[group]
        return ", ".join(f"{column} = {row[column]!r}" for column in self.by)

    def frame(self) -> pd.DataFrame:
        """A copy of the key columns (empty frame with one row when ungrouped)."""
        return self.keys.copy()


def numeric_column(df: pd.DataFrame, column: str, *, argument: str) -> np.ndarray:
    """The values of ``column`` as float64; a non-numeric column is refused (argument named)."""
    require_columns(df, [column])
    series = df[column]
    if pd.api.types.is_bool_dtype(series) or not (
        pd.api.types.is_numeric_dtype(series) or series.isna().all()
    ):
        raise StatsInputError("column_not_numeric", column=column, argument=argument)
    return series.to_numpy(dtype=float, na_value=np.nan)


def first_row(mask: np.ndarray) -> int | None:
    """Index of the first true element of ``mask`` (None when there is none)."""
    hits = np.flatnonzero(mask)
    return int(hits[0]) if hits.size else None


def refuse_rows(mask: np.ndarray, code: str, df: pd.DataFrame, column: str, values: np.ndarray, **params) -> None:
    """Raise ``code`` naming the first offending row (1-based data row, plus the count) if any."""
    row = first_row(mask)
    if row is None:
        return
    raise StatsInputError(
        code,
        column=column,
        row=row + 1,
        label=_row_label(df, row),
        value=_plain(values[row]),
        count=int(np.count_nonzero(mask)),
        **params,
    )


def _row_label(df: pd.DataFrame, row: int) -> str:
    index = df.index[row]
    return str(index)


def _plain(value) -> float | int:
    value = float(value)
    return int(value) if value.is_integer() else value


def leading_integer(labels: Sequence | np.ndarray | pd.Series, *, column: str) -> np.ndarray:
    """The first integer of each age-band label (``"05-09"`` → 5, ``"90+"`` → 90, 85 → 85)."""
    series = pd.Series(labels)
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        values = series.to_numpy(dtype=float, na_value=np.nan)
        if np.isnan(values).any():
            raise StatsInputError("age_band_missing", column=column)
        return values.astype(np.int64)
    codes, uniques = pd.factorize(series.to_numpy(), sort=False)  # hash-based: fast on many rows, few labels
    if (codes < 0).any():
        raise StatsInputError("age_band_missing", column=column)
    parsed = np.empty(len(uniques), dtype=np.int64)
    for i, label in enumerate(uniques):  # one pass per distinct label, not per row
        match = _LEADING_INT.search(str(label))
        if match is None:
            raise StatsInputError("age_band_unreadable", column=column, label=label)
        parsed[i] = int(match.group())
    return parsed[codes]


def as_vector(values, *, argument: str) -> np.ndarray:
    """A 1-D float array from a list, tuple, array or Series (refused when not numeric)."""
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise StatsInputError("vector_not_numeric", argument=argument) from None
    if array.ndim != 1:
        raise StatsInputError("vector_not_numeric", argument=argument)
    return array


def output_frame(groups: Groups, columns: dict[str, np.ndarray | list | str]) -> pd.DataFrame:
    """The result table: the group keys then ``columns`` in order (float arrays kept float64)."""
    out = groups.frame()
    for name, values in columns.items():
        if isinstance(values, np.ndarray) and values.dtype.kind in "fiu":
            out[name] = values.astype(np.float64, copy=False)
        else:
            out[name] = values
    return out
