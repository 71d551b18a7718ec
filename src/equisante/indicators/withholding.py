"""Stored confidentiality decisions: what may be published of each indicator, decided once.

For each indicator, every stored value is a cell of one cube (territory × period × sex × age band);
:mod:`equisante.confidentiality.cube` relates the cells (sexes, age bands, pooled periods, territory
hierarchy and zones) and :mod:`equisante.confidentiality.suppression` decides primary and secondary
withholding over the whole cube. The decision is written on each value (``Value.withheld``) with the
threshold it used (``Indicator.withholding_threshold``); pages, exports, portraits, reports, maps
and the API read it through :mod:`equisante.portal.publication`.

:func:`refresh` runs in the caller's transaction: an import or a correction writes its values and
their new decisions atomically (no moment when a page shows a new value under the old decision).
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from equisante.confidentiality.cube import build_cube
from equisante.confidentiality.suppression import decide
from equisante.indicators.models import Indicator, Value
from equisante.indicators.reading import indicator_kind
from equisante.territories.levels import Level
from equisante.territories.models import Membership, Territory

#: Levels whose nested parent holds them whole (a QPV sits in part of its commune).
WHOLE_CHILD_LEVELS = {Level.DEPARTEMENT, Level.EPCI, Level.COMMUNE, Level.IRIS}
BATCH = 2000


def threshold() -> int:
    return int(getattr(settings, "EQUISANTE_CONFIDENTIALITY_THRESHOLD", 10))


@dataclass
class IndicatorDecision:
    """What one refresh decided for one indicator."""

    code: str
    cells: int = 0
    primary: int = 0
    secondary: int = 0
    changed: int = 0
    relations: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


@dataclass
class RefreshReport:
    threshold: int
    indicators: list[IndicatorDecision] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def cells(self) -> int:
        return sum(d.cells for d in self.indicators)

    @property
    def primary(self) -> int:
        return sum(d.primary for d in self.indicators)

    @property
    def secondary(self) -> int:
        return sum(d.secondary for d in self.indicators)

    @property
    def changed(self) -> int:
        return sum(d.changed for d in self.indicators)


def cell_count(numerator, denominator, value, *, kind: str, multiplier: float) -> float:
    """The count a value rests on: its numerator; for a count indicator its value; for a proportion
    or a rate without numerator, value × denominator / multiplier (what a published value and its
    denominator give back). NaN when none is known."""
    if numerator is not None and not _nan(numerator):
        return float(numerator)
    if value is None or _nan(value):
        return math.nan
    if kind == "count":
        return float(value)
    if kind in ("proportion", "rate") and denominator is not None and not _nan(denominator) and multiplier:
        return round(float(value) * float(denominator) / float(multiplier), 6)
    return math.nan


def _nan(number) -> bool:
    return isinstance(number, float) and math.isnan(number)


def territory_links() -> pd.DataFrame:
    """Every link of the territory store: ``child``, ``parent``, ``share``, ``child_level``."""
    nested = pd.DataFrame(
        list(Territory.objects.filter(parent__isnull=False).values_list("id", "parent_id", "level")),
        columns=["child", "parent", "child_level"])
    nested["share"] = np.where(nested["child_level"].isin([lv.value for lv in WHOLE_CHILD_LEVELS]), 1.0, 0.5)
    members = pd.DataFrame(
        list(Membership.objects.values_list("member_id", "group_id", "share", "member__level")),
        columns=["child", "parent", "share", "child_level"])
    links = pd.concat([nested, members], ignore_index=True)
    links["child_level"] = links["child_level"].astype(str)
    return links.drop_duplicates(["child", "parent"], keep="last")[["child", "parent", "share", "child_level"]]


def decide_indicator(indicator: Indicator, links: pd.DataFrame, limit: int) -> tuple[IndicatorDecision, dict[int, str]]:
    """The decision for every value of ``indicator``: ``{value id: "" | "primary" | "secondary"}``."""
    started = time.perf_counter()
    rows = list(Value.objects.filter(indicator=indicator).order_by("id").values_list(
        "id", "territory_id", "period", "sex", "age_band", "numerator", "denominator", "value", "state", "withheld"))
    result = IndicatorDecision(code=indicator.code, cells=len(rows))
    if not rows:
        return result, {}
    frame = pd.DataFrame(rows, columns=["id", "territory", "period", "sex", "age_band", "numerator", "denominator",
                                        "value", "state", "withheld"])
    kind = indicator_kind(indicator.unit)
    frame["count"] = [cell_count(n, d, v, kind=kind, multiplier=indicator.multiplier)
                      for n, d, v in zip(frame["numerator"], frame["denominator"], frame["value"], strict=True)]
    frame["flagged"] = frame["state"].eq("suppressed")
    cube = build_cube(frame, links, threshold=limit)
    decision = decide(cube)
    for relation in cube.relations:
        result.relations[relation.dimension] = result.relations.get(relation.dimension, 0) + 1
    stored = slice(0, cube.stored)
    reasons = np.where(decision.primary[stored], "primary", np.where(decision.secondary[stored], "secondary", ""))
    result.primary = int(np.count_nonzero(decision.primary[stored]))
    result.secondary = int(np.count_nonzero(decision.secondary[stored]))
    new = dict(zip(frame["id"].tolist(), reasons.tolist(), strict=True))
    old = dict(zip(frame["id"].tolist(), frame["withheld"].tolist(), strict=True))
    changed = {pk: reason for pk, reason in new.items() if old[pk] != reason}
    result.changed = len(changed)
    result.seconds = time.perf_counter() - started
    return result, changed


def refresh(indicators: Iterable[Indicator | str | int] | None = None, *, progress=None) -> RefreshReport:
    """Decide again, and store, what may be published of ``indicators`` (all when None).

    Runs in one transaction (joined when the caller has one). ``progress(stage, done, total)`` is
    called after each indicator."""
    limit = threshold()
    report = RefreshReport(threshold=limit)
    started = time.perf_counter()
    chosen = _indicators(indicators)
    links = territory_links() if chosen else pd.DataFrame(columns=["child", "parent", "share", "child_level"])
    with transaction.atomic():
        for done, indicator in enumerate(chosen, start=1):
            decided, changed = decide_indicator(indicator, links, limit)
            _write(changed)
            Indicator.objects.filter(pk=indicator.pk).update(withholding_threshold=limit,
                                                             withholding_updated_at=timezone.now())
            indicator.withholding_threshold = limit
            report.indicators.append(decided)
            if progress is not None:
                progress("secret statistique", done, len(chosen))
    report.seconds = time.perf_counter() - started
    return report


def refresh_stale(*, progress=None) -> RefreshReport:
    """Refresh the indicators decided with another threshold than the configured one (or never)."""
    stale = Indicator.objects.exclude(withholding_threshold=threshold())
    stale = list(stale) + list(Indicator.objects.filter(withholding_threshold__isnull=True).exclude(
        pk__in=[i.pk for i in stale]))
    return refresh(stale, progress=progress) if stale else RefreshReport(threshold=threshold())


def ensure_current(indicator: Indicator) -> bool:
    """Refresh ``indicator``'s decisions when they were taken with another threshold. True if it did."""
    if indicator.withholding_threshold == threshold():
        return False
    refresh([indicator])
    return True


def _indicators(indicators) -> list[Indicator]:
    if indicators is None:
        return list(Indicator.objects.order_by("code"))
    objects, codes, ids = [], set(), set()
    for item in indicators:
        if isinstance(item, Indicator):
            objects.append(item)
        elif isinstance(item, int):
            ids.add(item)
        else:
            codes.add(str(item))
    if codes or ids:
        objects += list(Indicator.objects.filter(code__in=codes)) + list(Indicator.objects.filter(pk__in=ids))
    unique = {i.pk: i for i in objects}
    return sorted(unique.values(), key=lambda i: i.code)


def _write(changed: dict[int, str]) -> None:
    by_reason: dict[str, list[int]] = {}
    for pk, reason in changed.items():
        by_reason.setdefault(reason, []).append(pk)
    for reason, pks in by_reason.items():
        for start in range(0, len(pks), BATCH):
            Value.objects.filter(pk__in=pks[start:start + BATCH]).update(withheld=reason)


@dataclass
class AuditFinding:
    """What the visitor's attack finds on one indicator as it is stored."""

    code: str
    withheld: int = 0
    exposed: list[tuple] = field(default_factory=list)  # (territory id, period, sex, age band)
    small_published: list[tuple] = field(default_factory=list)


def audit(indicators: Iterable[Indicator | str | int] | None = None) -> list[AuditFinding]:
    """Attack what is stored as a visitor would: solve every relation between published cells and list
    the withheld counts it pins down, and the published cells whose count is small (both must be
    empty). See :mod:`equisante.confidentiality.audit`."""
    from equisante.confidentiality import small_count
    from equisante.confidentiality.audit import exposed_cells

    limit = threshold()
    chosen = _indicators(indicators)
    links = territory_links() if chosen else None
    findings = []
    for indicator in chosen:
        rows = list(Value.objects.filter(indicator=indicator).order_by("id").values_list(
            "territory_id", "period", "sex", "age_band", "numerator", "denominator", "value", "state", "withheld"))
        finding = AuditFinding(code=indicator.code)
        findings.append(finding)
        if not rows:
            continue
        frame = pd.DataFrame(rows, columns=["territory", "period", "sex", "age_band", "numerator", "denominator",
                                            "value", "state", "withheld"])
        kind = indicator_kind(indicator.unit)
        frame["count"] = [cell_count(n, d, v, kind=kind, multiplier=indicator.multiplier)
                          for n, d, v in zip(frame["numerator"], frame["denominator"], frame["value"], strict=True)]
        frame["flagged"] = frame["state"].eq("suppressed") | frame["withheld"].ne("")
        cube = build_cube(frame, links, threshold=limit)
        unknown = cube.primary | cube.hidden
        unknown[: cube.stored] |= frame["withheld"].ne("").to_numpy()
        finding.withheld = int(np.count_nonzero(unknown[: cube.stored]))
        for cell in exposed_cells([(r.total, r.parts) for r in cube.relations], unknown):
            if cell < cube.stored or small_count(cube.count[cell], limit):
                finding.exposed.append(cube.keys[cell])
        shown = ~unknown[: cube.stored]
        finding.small_published = [cube.keys[i] for i in np.flatnonzero(shown) if small_count(cube.count[i], limit)]
    return findings
