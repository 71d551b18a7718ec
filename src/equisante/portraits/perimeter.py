"""The portrait of a contract's perimeter (``/portraits/contrat/<code>/``).

A contract's perimeter is a list of territories (communes, EPCI, zones, with the QPV inside them). Its
portrait is built from what is already published, never from a new aggregate:

- when one stored territory covers exactly the perimeter's communes (the perimeter is one territory,
  one commune with its QPV, or communes that make up an EPCI or a zone), the perimeter's portrait *is*
  that territory's portrait, whose values carry the confidentiality decision stored with them
  (:mod:`equisante.indicators.withholding`);
- otherwise no value is computed for the whole perimeter — adding counts over an ad-hoc list of
  communes could give back a withheld count, since the stored decision protects only published
  territories — and the page shows the rates, proportions and indices already published for each
  member territory, read through :func:`equisante.portal.publication.published`, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from equisante.indicators.models import Indicator, Value
from equisante.portal import publication
from equisante.territories.levels import Level
from equisante.territories.models import Territory

#: Indicators shown in the members' table at most (the rest are on each member's own portrait).
MAX_INDICATORS = 12
GROUPINGS = (Level.EPCI.value, Level.ZONE.value)
OVERLAYS = (Level.QPV.value, Level.IRIS.value)


@dataclass
class MemberTable:
    indicators: list = field(default_factory=list)  # [(indicator, period)]
    rows: list = field(default_factory=list)  # [{"territory": t, "cells": [Published | None]}]


def communes_of(members: list[Territory]) -> set[int]:
    """Ids of the communes the perimeter covers: communes listed, communes of listed EPCI and zones."""
    ids = {m.pk for m in members if m.level == Level.COMMUNE.value}
    groups = [m.pk for m in members if m.level in GROUPINGS]
    if groups:
        ids |= set(Territory.objects.filter(level=Level.COMMUNE.value, memberships__group__in=groups)
                   .values_list("pk", flat=True))
    return ids


def covering_territory(members: list[Territory]) -> Territory | None:
    """The stored territory whose portrait is the perimeter's (see the module docstring), or None."""
    if not members:
        return None
    if len(members) == 1:
        return members[0]
    communes = communes_of(members)
    if not communes:
        return None
    overlays = [m for m in members if m.level in OVERLAYS]
    if any(m.parent_id is not None and m.parent_id not in communes and m.parent_id not in {x.pk for x in overlays}
           for m in overlays):
        return None  # a quarter outside the communes: the perimeter is not one territory
    if len(communes) == 1:
        return Territory.objects.get(pk=next(iter(communes)))
    listed = [m for m in members if m.level in GROUPINGS]
    candidates = listed + list(Territory.objects.filter(level__in=GROUPINGS, members__member__in=communes)
                               .distinct().order_by("level", "code"))
    for candidate in candidates:
        mine = set(Territory.objects.filter(level=Level.COMMUNE.value, memberships__group=candidate)
                   .values_list("pk", flat=True))
        if mine == communes:
            return candidate
    return None


def member_table(members: list[Territory]) -> MemberTable:
    """The published rates, proportions and indices of each member territory, latest period of each
    indicator (all sexes, all ages); counts are left out — they belong to each member's own portrait."""
    if not members:
        return MemberTable()
    values = list(Value.objects.filter(territory__in=members, sex="", age_band="")
                  .select_related("indicator").order_by("indicator__label", "-period"))
    latest: dict[int, str] = {}
    for value in values:
        if not publication.is_count(value.indicator):
            latest.setdefault(value.indicator_id, value.period)
    chosen = list(Indicator.objects.filter(pk__in=latest).order_by("theme", "label")[:MAX_INDICATORS])
    by_key = {(v.indicator_id, v.territory_id): v for v in values if latest.get(v.indicator_id) == v.period}
    rows = []
    for territory in members:
        cells = []
        for indicator in chosen:
            value = by_key.get((indicator.pk, territory.pk))
            cells.append(publication.published(value, indicator=indicator, territory=territory) if value
                         else publication.missing(indicator, territory, latest[indicator.pk]))
        rows.append({"territory": territory, "cells": cells})
    return MemberTable([(indicator, latest[indicator.pk]) for indicator in chosen], rows)
