"""Statistical confidentiality of published values (pure: no Django).

A value is *withheld* when its state is ``suppressed`` (set by the producer of the data), or when
the count it rests on — its numerator, or the value itself for an indicator that is a count — is
between 1 and ``threshold − 1`` (``EQUISANTE_CONFIDENTIALITY_THRESHOLD``). A withheld value is
published with its state ``suppressed`` and blank value, numerator and confidence limits: the limits
and the numerator would let anyone recompute the value. The denominator (a population) stays.

Every page and export goes through :func:`publish` (one record) or :func:`publish_frame` (a table).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

SUPPRESSED = "suppressed"
#: Fields blanked on a withheld value.
WITHHELD_FIELDS = ("value", "numerator", "lower", "upper")


def _number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def small_count(count: Any, threshold: int) -> bool:
    """Is ``count`` between 1 and ``threshold − 1``? (0 is publishable: it reveals no one.)"""
    number = _number(count)
    return number is not None and 0 < number < threshold


def is_withheld(state: str | None, numerator: Any = None, *, threshold: int, value: Any = None, is_count: bool = False) -> bool:
    """Must this value be withheld? ``is_count``: the indicator is itself a count (its value is one)."""
    if state == SUPPRESSED:
        return True
    if small_count(numerator, threshold):
        return True
    return is_count and small_count(value, threshold)


def publish(record: Mapping[str, Any], *, threshold: int, is_count: bool = False) -> dict[str, Any]:
    """A copy of ``record`` (keys ``state``, ``numerator``, ``value``, ``lower``, ``upper``…) fit for
    publication: withheld values get state ``suppressed`` and ``None`` in :data:`WITHHELD_FIELDS`."""
    published = dict(record)
    if is_withheld(record.get("state"), record.get("numerator"), threshold=threshold,
                   value=record.get("value"), is_count=is_count):
        published["state"] = SUPPRESSED
        for field in WITHHELD_FIELDS:
            if field in published:
                published[field] = None
    return published


def publish_frame(frame, *, threshold: int, count_indicators: frozenset[str] | set[str] = frozenset()):
    """A copy of a values table (pandas; columns ``state``, ``numerator``, ``value``, ``lower``,
    ``upper``, and ``indicator`` when ``count_indicators`` is given) with withheld values blanked."""
    import numpy as np

    table = frame.copy()
    numerator = _numeric(table, "numerator")
    value = _numeric(table, "value")
    withheld = table["state"].astype(str).eq(SUPPRESSED) | ((numerator > 0) & (numerator < threshold)).fillna(False)
    if count_indicators and "indicator" in table:
        counts = table["indicator"].isin(list(count_indicators))
        withheld |= counts & ((value > 0) & (value < threshold)).fillna(False)
    withheld = withheld.to_numpy(dtype=bool)
    for field in WITHHELD_FIELDS:
        if field in table:
            table[field] = table[field].where(~withheld)
    table.loc[withheld, "state"] = SUPPRESSED
    table.attrs["withheld"] = int(np.count_nonzero(withheld))
    return table


def _numeric(table, column: str):
    import pandas as pd

    if column not in table:
        return pd.Series(float("nan"), index=table.index)
    return pd.to_numeric(table[column], errors="coerce")
