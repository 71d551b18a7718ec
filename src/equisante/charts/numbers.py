"""Numbers written the French way on charts: decimal comma, no-break space between thousands,
the minus sign (−) rather than a hyphen (pure).

Rounding is half away from zero, as published tables round (Python's ``round`` goes to even).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

#: Thousands separator: the no-break space that French typography and Django's French format use.
THOUSANDS = "\u00a0"
MINUS = "\u2212"


def is_number(value: object) -> bool:
    """Is ``value`` a finite number (not None, not NaN, not infinite)?"""
    if value is None or isinstance(value, bool):
        return False
    try:
        return math.isfinite(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def auto_decimals(value: float) -> int:
    """Decimals for one value: one in general, three below 1 in absolute value (indices, ratios),
    none for values of 10,000 or more (incomes, populations)."""
    size = abs(float(value))
    if size >= 10_000:
        return 0
    if size >= 1 or size == 0:
        return 1
    return 3


def format_number(value: float | None, decimals: int | None = None, *, sign: bool = False) -> str:
    """``value`` in French notation (``1 234,5``); "" when it is not a number.

    ``decimals``: fixed number of decimals, or None for :func:`auto_decimals`. ``sign``: write
    ``+`` before positive values (differences, slopes)."""
    if not is_number(value):
        return ""
    value = float(value)  # type: ignore[arg-type]
    if decimals is None:
        decimals = auto_decimals(value)
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    negative = rounded < 0
    digits = f"{abs(rounded):f}"
    whole, _, fraction = digits.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = THOUSANDS.join(groups) + ("," + fraction if fraction else "")
    if negative and any(ch not in "0," + THOUSANDS for ch in text):
        return MINUS + text
    if sign and rounded > 0:
        return "+" + text
    return text


def with_unit(text: str, unit: str) -> str:
    """``12,3 %``, ``912,3 pour 100 000`` (no-break space before the unit); ``text`` alone when
    either is empty."""
    if not text or not unit:
        return text
    return f"{text}\u00a0{unit}"


def step_decimals(step: float) -> int:
    """Decimals needed to tell apart ticks ``step`` apart (0.25 → 2, 2.5 → 1, 50 → 0)."""
    if step <= 0 or not math.isfinite(step):
        return 0
    decimals = 0
    while decimals < 6 and abs(round(step * 10**decimals) - step * 10**decimals) > 1e-9 * max(1.0, step * 10**decimals):
        decimals += 1
    return decimals
