"""Periods of the indicator store as a portrait reads them (pure).

A period is a year (``2021``), a pooled range of years (``2019-2021``), a month (``2021-03``) or a
quarter (``2021-T2``). A pooled range is the total of the single years it covers: publishing it
beside all but one of those years would give the missing year back (secondary suppression).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4})-(\d{4})$")
_SUB_YEAR = re.compile(r"^(\d{4})-(T?\d{1,2})$")


def span(period: str) -> tuple[int, int] | None:
    """First and last year of ``period`` (a month or quarter: its year twice); None if unreadable."""
    text = str(period).strip()
    if m := _YEAR.match(text):
        return int(m.group(1)), int(m.group(1))
    if m := _RANGE.match(text):
        return int(m.group(1)), int(m.group(2))
    if m := _SUB_YEAR.match(text):
        return int(m.group(1)), int(m.group(1))
    return None


def is_year(period: str) -> bool:
    return bool(_YEAR.match(str(period).strip()))


def years_of_data(period: str) -> int:
    """How many years a period covers (1 for a year, a month or a quarter; 3 for ``2019-2021``)."""
    found = span(period)
    if found is None or not _RANGE.match(str(period).strip()):
        return 1
    return found[1] - found[0] + 1


def chronological(periods: Iterable[str]) -> list[str]:
    """Periods in time order: by last year, then shorter first (``2021`` before ``2019-2021``)."""
    def key(period: str):
        found = span(period) or (0, 0)
        return (found[1], found[1] - found[0], str(period))
    return sorted(set(periods), key=key)


def preferred(periods: Iterable[str]) -> str | None:
    """The period a portrait shows by default: the latest (by last year), the longest pooled range
    on ties, because pooling several years makes small-area values less fragile."""
    candidates = [p for p in periods if span(p) is not None]
    if not candidates:
        return None
    return max(candidates, key=lambda p: (span(p)[1], span(p)[1] - span(p)[0], p))


def pooled_breakdowns(periods: Iterable[str]) -> list[tuple[str, list[str]]]:
    """Each pooled range among ``periods`` with the single years it covers, when all of them are
    there too (``[("2019-2021", ["2019", "2020", "2021"])]``)."""
    present = set(periods)
    out = []
    for period in sorted(present):
        m = _RANGE.match(str(period))
        if not m:
            continue
        years = [str(y) for y in range(int(m.group(1)), int(m.group(2)) + 1)]
        if all(y in present for y in years):
            out.append((period, years))
    return out


def trend_periods(periods: Iterable[str]) -> list[str]:
    """The periods a trend chart draws: the single years when there are at least two, else every
    period in time order (pooled ranges and single years are not mixed on one line when avoidable)."""
    ordered = chronological(periods)
    years = [p for p in ordered if is_year(p)]
    return years if len(years) >= 2 else ordered
