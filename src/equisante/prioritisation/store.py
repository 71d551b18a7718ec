"""Reading the inputs of an index from the indicator store (territories, populations, values).

The index functions of :mod:`equisante.indices` take one row per territory; this module builds
that table from :class:`~equisante.indicators.models.Value` rows (whole population: no sex, no
age band) and :class:`~equisante.territories.models.Population`.

Confidentiality: an input value that may not be published (:mod:`equisante.confidentiality`) is
treated as **missing** — an index computed on it could give it back (IDH-2 with known bounds is
invertible) — so the territory gets no index for that computation.

Periods: each input takes the most recent period of its indicator whose last year is at most
the reference year (an exact match first). Census-like variables ("2021") and pooled health
periods ("2019-2021") can thus feed one index of reference year 2021; the periods actually used
are recorded with the result.
"""

from __future__ import annotations

import equisante.prioritisation.problems  # noqa: F401  (declares the error codes raised here)

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from equisante.confidentiality import is_withheld
from equisante.errors import EquisanteError
from equisante.indicators.models import Indicator, Value
from equisante.indicators.reading import indicator_kind
from equisante.territories.levels import PARENT_LEVEL, Level
from equisante.territories.models import Membership, Population, Territory

_PERIOD = re.compile(r"^\s*(\d{4})(?:\s*[-–/]\s*(\d{4}))?\s*$")


def period_end(period: str) -> int | None:
    """Last year of a period label: "2021" → 2021, "2019-2021" → 2021; None if it is not one."""
    match = _PERIOD.match(str(period))
    if not match:
        return None
    return int(match.group(2) or match.group(1))


def confidentiality_threshold() -> int:
    from django.conf import settings

    return int(getattr(settings, "EQUISANTE_CONFIDENTIALITY_THRESHOLD", 10))


@dataclass
class Inputs:
    """The table given to an index function, and where its numbers come from."""

    frame: pd.DataFrame  # territory_id, code, name, population, one column per role
    periods: dict[str, str]  # indicator code → period used
    reference_year: int
    withheld: int  # input values withheld (confidentiality), treated as missing
    vintage: int | None


def available_periods(indicator: Indicator, level: str) -> list[str]:
    return sorted(
        Value.objects.filter(indicator=indicator, territory__level=level, sex="", age_band="")
        .order_by().values_list("period", flat=True).distinct()
    )


def choose_period(periods: list[str], reference_year: int | None) -> str | None:
    """The period to use for a reference year: the latest whose last year ≤ the reference year
    (among equal last years, the shortest period, i.e. the single year)."""
    dated = [(period_end(p), p) for p in periods if period_end(p) is not None]
    if reference_year is not None:
        dated = [(end, p) for end, p in dated if end <= reference_year]
    if not dated:
        return None
    return max(dated, key=lambda item: (item[0], -_span(item[1])))[1]


def _span(period: str) -> int:
    match = _PERIOD.match(period)
    return 0 if not match or not match.group(2) else int(match.group(2)) - int(match.group(1))


def default_reference_year(indicators: dict[str, Indicator], level: str) -> int | None:
    """The most recent year for which every input has a period ending at or before it."""
    ends = []
    for indicator in indicators.values():
        years = [period_end(p) for p in available_periods(indicator, level)]
        years = [y for y in years if y is not None]
        if not years:
            return None
        ends.append(max(years))
    return min(ends) if ends else None


def resolve_indicators(index_code: str, codes: dict[str, str]) -> dict[str, Indicator]:
    """Role → Indicator, refusing a code absent from the catalogue."""
    found = {i.code: i for i in Indicator.objects.filter(code__in=set(codes.values()))}
    out = {}
    for role, code in codes.items():
        if code not in found:
            raise EquisanteError("prioritisation_indicator_unknown", index=index_code, indicator=code, role=role)
        out[role] = found[code]
    return out


def read_inputs(index_code: str, codes: dict[str, str], level: str, period: str | None = None) -> Inputs:
    """One row per territory of ``level`` having a value for at least one input; one column per
    role (NaN where missing or withheld), plus ``population`` (the latest year ≤ the reference
    year, else the earliest one after; NaN when none is stored)."""
    indicators = resolve_indicators(index_code, codes)
    if period is None:
        reference_year = default_reference_year(indicators, level)
        if reference_year is None:
            role, indicator = next((r, i) for r, i in indicators.items() if not available_periods(i, level))
            raise _no_values(index_code, role, indicator, level, None)
    else:
        reference_year = period_end(period)
        if reference_year is None:
            raise EquisanteError("prioritisation_period_invalid", period=period)

    threshold = confidentiality_threshold()
    periods: dict[str, str] = {}
    columns: dict[str, dict[int, float]] = {}
    withheld = 0
    for role, indicator in indicators.items():
        chosen = choose_period(available_periods(indicator, level), reference_year)
        if chosen is None:
            raise _no_values(index_code, role, indicator, level, period)
        periods[indicator.code] = chosen
        count_like = indicator_kind(indicator.unit or "") == "count"
        rows = Value.objects.filter(indicator=indicator, territory__level=level, period=chosen, sex="",
                                    age_band="").values_list("territory_id", "value", "numerator", "state", "withheld")
        column = {}
        for territory_id, value, numerator, state, stored in rows:
            if stored or is_withheld(state, numerator, threshold=threshold, value=value, is_count=count_like):
                withheld += 1
                column[territory_id] = np.nan
            elif value is None or state == "missing":
                column[territory_id] = np.nan
            else:
                column[territory_id] = float(value)
        columns[role] = column

    ids = sorted(set().union(*[set(c) for c in columns.values()]))
    # every territory of the level, then those with values: no IN list of tens of thousands of ids
    territories = {t[0]: {"code": t[1], "name": t[2], "vintage": t[3]} for t in
                   Territory.objects.filter(level=level).values_list("id", "code", "name", "vintage")}
    territories = {i: territories[i] for i in ids}
    frame = pd.DataFrame({
        "territory_id": ids,
        "code": [territories[i]["code"] for i in ids],
        "name": [territories[i]["name"] for i in ids],
    })
    for role in codes:
        frame[role] = [columns[role].get(i, np.nan) for i in ids]
    frame["population"] = populations(ids, reference_year, level=level)
    vintages = {t["vintage"] for t in territories.values()}
    return Inputs(frame=frame, periods=periods, reference_year=reference_year, withheld=withheld,
                  vintage=max(vintages) if vintages else None)


def _no_values(index_code, role, indicator, level, period) -> EquisanteError:
    available = sorted({p for p in Value.objects.filter(indicator=indicator, sex="", age_band="")
                        .values_list("period", flat=True)})
    return EquisanteError("prioritisation_no_values", indicator=indicator.code, role=role, index=index_code,
                          level=level, period_text=f" jusqu'à la période {period}" if period else "",
                          available=", ".join(available) or "aucune")


def populations(territory_ids: list[int], year: int | None, *, level: str | None = None) -> list[float]:
    """Population of each territory: the latest year ≤ ``year``, else the earliest after (NaN if none).
    ``level`` (the territories' level) lets the query select by level rather than by a long id list."""
    chosen: dict[int, tuple[int, int]] = {}
    query = (Population.objects.filter(territory__level=level) if level
             else Population.objects.filter(territory_id__in=territory_ids))
    for territory_id, y, population in query.values_list("territory_id", "year", "population"):
        # rank: years up to the reference first (latest first), then later years (earliest first)
        rank = (0, -y) if year is None or y <= year else (1, y)
        if territory_id not in chosen or rank < chosen[territory_id][0]:
            chosen[territory_id] = (rank, population)
    return [float(chosen[i][1]) if i in chosen else np.nan for i in territory_ids]


def links_to(level: str, children: list[int], child_level: str) -> pd.DataFrame:
    """How territories of ``child_level`` (ids ``children``) belong to territories of ``level``:
    columns ``child``, ``parent``, ``share``. Along the nested hierarchy (commune → département →
    région) the share is 1; for overlays (EPCI, QPV, zones) it is the membership's share."""
    wanted = set(children)
    depth = _ancestor_depth(child_level, level)
    if depth is not None:
        field = "__".join(["parent"] * depth) + "_id" if depth > 1 else "parent_id"
        rows = Territory.objects.filter(level=child_level).values_list("id", field)
        return pd.DataFrame([(c, p, 1.0) for c, p in rows if p is not None and c in wanted],
                            columns=["child", "parent", "share"])
    rows = Membership.objects.filter(member__level=child_level, group__level=level).values_list(
        "member_id", "group_id", "share")
    return pd.DataFrame([r for r in rows if r[0] in wanted], columns=["child", "parent", "share"])


def _ancestor_depth(level: str, ancestor: str) -> int | None:
    depth, current = 0, Level(level)
    while current in PARENT_LEVEL:
        current = PARENT_LEVEL[current]
        depth += 1
        if current == ancestor:
            return depth
    return None


def reachable(level: str, base_level: str) -> bool:
    """Can values of ``base_level`` be averaged into ``level``? (ancestors, or overlays)."""
    return _ancestor_depth(base_level, level) is not None or level in (Level.EPCI, Level.QPV, Level.ZONE)
