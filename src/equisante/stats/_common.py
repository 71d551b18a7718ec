"""Shared plumbing of the statistics core: confidence levels, grouping and the output shape.

Every public function of ``equisante.stats`` returns one row per group with the ``by`` columns first,
then ``value``, ``lower``, ``upper`` (or one pair of limits per confidence level), the totals used,
then ``method`` and ``confidence``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import stats as sps

from equisante.stats.errors import StatsInputError


def as_levels(confidence: float | Sequence[float]) -> list[float]:
    """Confidence level(s) as a list of fractions in (0.9, 1); 95 (percent) is read as 0.95."""
    levels = [confidence] if np.isscalar(confidence) else list(confidence)
    if not levels:
        raise StatsInputError("confidence_invalid", value=confidence)
    out = []
    for level in levels:
        level = float(level)
        if level >= 90:  # given in percent
            level = level / 100
        if not 0.9 <= level < 1:
            raise StatsInputError("confidence_invalid", value=confidence)
        out.append(level)
    return out


def z_value(confidence: float) -> float:
    """Two-sided normal quantile for ``confidence`` (1.959964 for 0.95, 3.090232 for 0.998)."""
    return float(sps.norm.ppf(1 - (1 - confidence) / 2))


def limit_columns(levels: list[float]) -> list[tuple[str, str]]:
    """Names of the limit columns: ``lower``/``upper`` for one level, ``lower_95_0``… for several."""
    if len(levels) == 1:
        return [("lower", "upper")]
    return [(f"lower_{_tag(c)}", f"upper_{_tag(c)}") for c in levels]


def confidence_label(levels: list[float]) -> str:
    """Human label of the level(s), e.g. ``95%`` or ``95%, 99.8%``."""
    return ", ".join(f"{c * 100:g}%" for c in levels)


def _tag(confidence: float) -> str:
    return f"{confidence * 100:.1f}".replace(".", "_")


def by_columns(by: str | Iterable[str] | None) -> list[str]:
    """The grouping columns as a list (empty for no grouping)."""
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(by)


def require_columns(df: pd.DataFrame, columns: Iterable[str]) -> None:
    """Raise a catalogued error naming the first column absent from ``df``."""
    for column in columns:
        if column not in df.columns:
            raise StatsInputError("column_missing", column=column)


def describe_group(columns: Sequence[str], values: Sequence) -> str:
    """French description of one group for error messages, e.g. ``Period = 2010, sexe = 'F'``
    (NumPy scalars shown as plain Python values; ``l'ensemble des données`` when ungrouped)."""
    if not columns:
        return "l'ensemble des données"
    parts = []
    for column, value in zip(columns, values):
        if isinstance(value, np.generic):
            value = value.item()
        parts.append(f"{column} = {value!r}")
    return ", ".join(parts)
