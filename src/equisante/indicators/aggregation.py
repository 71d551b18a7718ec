"""Aggregation of indicator values from a level to a parent level (communes → département, IRIS →
commune, communes → EPCI or QPV…).

Counts add up, ratios do not: the parent's numerator and denominator are the sums of its children's
(each weighted by the child's ``share`` in the group for memberships, 1 along the nested hierarchy),
per stratum (sex × age band), and the parent's value and 95 % limits are recomputed from them with
:mod:`equisante.stats` — Wilson score limits for a proportion, exact Poisson / Byar's limits for a
rate (PHEindicatormethods ``calculate_proportion`` / ``calculate_rate``), in the indicator's unit
(``multiplier``). Counts (unit « nombre », « décès »…) sum their values and get no limits.

A parent is computed only when every one of its children has the counts: a partial sum would be
biased low, so incomplete parents are reported and left alone. Children with a
``suppressed`` state still count when their counts are stored (the parent is not suppressed).

:func:`sum_to_parents` is the pure summing step (pandas only); :func:`aggregate_to_parent` reads
and writes the database (Django is imported there, so that this module imports without it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from equisante.errors import EquisanteError
from equisante.indicators.reading import indicator_kind
from equisante.indicators.states import State
from equisante.numbers import plural
from equisante.territories.levels import ORDER, Level, parse_level

STRATUM = ["sex", "age_band"]


def sum_to_parents(
    values: pd.DataFrame, links: pd.DataFrame, *, columns: Sequence[str] = ("numerator", "denominator")
) -> pd.DataFrame:
    """Sum children's counts into their parents, per stratum (pure).

    ``values``: one row per child and stratum, columns ``child``, ``sex``, ``age_band`` and
    ``columns`` (NaN when unknown). ``links``: columns ``child``, ``parent`` and optional ``share``
    (weight of the child in the parent, 1 by default).
    Returns one row per parent and stratum present in ``values``: ``parent``, ``sex``, ``age_band``,
    each of ``columns`` summed as Σ share × count over the children that have all ``columns``,
    ``children`` (number of linked children), ``reported`` (those with all ``columns``) and
    ``complete`` (every linked child reported).
    """
    columns = list(columns)
    links = links.copy()
    if "share" not in links:
        links["share"] = 1.0
    links = links[["child", "parent", "share"]].drop_duplicates(["child", "parent"])
    strata = values[STRATUM].drop_duplicates()
    expected = links.merge(strata, how="cross")
    merged = expected.merge(values[["child", *STRATUM, *columns]], on=["child", *STRATUM], how="left")
    reported = merged[columns].notna().all(axis=1)
    weighted = merged[["parent", *STRATUM]].copy()
    for column in columns:
        weighted[column] = np.where(reported, merged[column].astype(float) * merged["share"].astype(float), 0.0)
    weighted["children"] = 1
    weighted["reported"] = reported.astype(int)
    grouped = weighted.groupby(["parent", *STRATUM], sort=True, dropna=False).sum().reset_index()
    grouped["complete"] = grouped["reported"] == grouped["children"]
    return grouped[["parent", *STRATUM, *columns, "children", "reported", "complete"]]


@dataclass
class AggregationReport:
    """What an aggregation did: values written and parents left alone (with why)."""

    indicator: str
    period: str
    from_level: str
    to_level: str
    method: str = ""
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: list[str] = field(default_factory=list)  # parent values differing but not replaced
    incomplete: list[str] = field(default_factory=list)  # parents missing some children
    orphans: list[str] = field(default_factory=list)  # children with values but no parent

    def summary(self) -> str:
        lines = [
            f"{self.indicator} {self.period} : {self.from_level} → {self.to_level} ({self.method}) — "
            f"{plural(self.created, 'valeur créée', 'valeurs créées')}, {plural(self.updated, 'modifiée')}, "
            f"{plural(self.unchanged, 'inchangée')}."
        ]
        if self.incomplete:
            lines.append(f"Non calculés (enfants sans données) : {', '.join(self.incomplete[:20])}"
                         + (" …" if len(self.incomplete) > 20 else ""))
        if self.kept:
            lines.append(f"Conservés (valeur existante différente, replace=False) : {', '.join(self.kept[:20])}")
        if self.orphans:
            lines.append(f"Sans rattachement : {', '.join(self.orphans[:20])}")
        return "\n".join(lines)


def aggregate_to_parent(
    indicator,
    period: str,
    *,
    from_level: str,
    to_level: str,
    confidence: float = 0.95,
    replace: bool = False,
) -> AggregationReport:
    """Compute ``indicator``'s values at ``to_level`` for ``period`` from those at ``from_level``.

    ``indicator``: an :class:`~equisante.indicators.models.Indicator` or its code. Children reach
    their parent along ``Territory.parent`` (nested levels, any depth: IRIS → commune → département
    → région); when no child does, through ``Membership`` (EPCI, QPV, zones) weighted by ``share``.
    A parent value already stored and different (e.g. one imported from the producer) is kept
    unless ``replace``. Written in one transaction; running it twice changes nothing.
    """
    from django.db import transaction

    from equisante import stats
    from equisante.indicators import withholding
    from equisante.indicators.importing import same_values
    from equisante.indicators.models import Indicator, Value
    from equisante.territories.models import Territory

    if not isinstance(indicator, Indicator):
        code = str(indicator)
        indicator = Indicator.objects.filter(code=code).first()
        if indicator is None:
            raise EquisanteError("indicator_unknown", code=code)
    source_level, target_level = _level(from_level), _level(to_level)
    kind = indicator_kind(indicator.unit)
    if kind not in ("proportion", "rate", "count"):
        raise EquisanteError("indicator_not_aggregatable", code=indicator.code, unit=indicator.unit)
    report = AggregationReport(indicator.code, period, source_level, target_level)

    links = _links(source_level, target_level)
    columns = ["value"] if kind == "count" else ["numerator", "denominator"]
    rows = Value.objects.filter(indicator=indicator, period=period, territory__level=source_level)
    values = pd.DataFrame(
        list(rows.values_list("territory_id", "sex", "age_band", *columns)), columns=["child", *STRATUM, *columns]
    )
    for column in columns:
        values[column] = pd.to_numeric(values[column], errors="coerce").astype(float)
    orphans = set(values["child"]) - set(links["child"])
    names = _codes(Territory, set(links["parent"]) | orphans)
    report.orphans = sorted(names.get(c, str(c)) for c in orphans)
    if values.empty:
        report.method = "aucune valeur"
        return report

    summed = sum_to_parents(values, links, columns=columns)
    incomplete = summed[~summed["complete"]]
    report.incomplete = [_describe(names.get(r.parent, str(r.parent)), r.sex, r.age_band) for r in incomplete.itertuples()]
    complete = summed[summed["complete"]].reset_index(drop=True)
    computed = _compute(complete, kind, indicator.multiplier, confidence, stats)
    report.method = {"proportion": "Wilson", "rate": "Poisson exact / Byar", "count": "somme"}[kind]

    existing = {
        (t, s, a): (pk, rest)
        for pk, t, s, a, *rest in Value.objects.filter(
            indicator=indicator, period=period, territory__level=target_level
        ).values_list("id", "territory_id", "sex", "age_band", "numerator", "denominator", "value", "lower", "upper", "state")
    }
    to_write = []
    for row in computed.itertuples(index=False):
        fields = (row.numerator, row.denominator, row.value, row.lower, row.upper, row.state)
        before = existing.get((row.parent, row.sex, row.age_band))
        if before is not None and same_values(before[1], fields):
            report.unchanged += 1
            continue
        if before is not None and not replace:
            report.kept.append(_describe(names.get(row.parent, str(row.parent)), row.sex, row.age_band))
            continue
        report.created += before is None
        report.updated += before is not None
        to_write.append(Value(
            indicator=indicator, territory_id=int(row.parent), period=period, sex=row.sex, age_band=row.age_band,
            numerator=row.numerator, denominator=row.denominator, value=row.value, lower=row.lower,
            upper=row.upper, state=row.state,
        ))
    with transaction.atomic():
        Value.objects.bulk_create(
            to_write, batch_size=2000, update_conflicts=True,
            unique_fields=["indicator", "territory", "period", "sex", "age_band"],
            update_fields=["numerator", "denominator", "value", "lower", "upper", "state"],
        )
        if to_write:
            withholding.refresh([indicator])
    return report


def _compute(summed: pd.DataFrame, kind: str, multiplier: float, confidence: float, stats) -> pd.DataFrame:
    """Value, limits and state of each complete parent row (None where undefined)."""
    out = summed[["parent", *STRATUM]].copy()
    if kind == "count":
        out["numerator"] = out["denominator"] = out["lower"] = out["upper"] = None
        out["value"] = summed["value"].astype(float)
        out["state"] = State.OK.value
        return _nullable(out)
    out["numerator"] = summed["numerator"].astype(float)
    out["denominator"] = summed["denominator"].astype(float)
    if kind == "proportion":
        # Σ share·x ≤ Σ share·n holds for each child; guard against rounding at equality.
        out["numerator"] = np.minimum(out["numerator"], out["denominator"])
    out["value"] = out["lower"] = out["upper"] = np.nan
    out["state"] = State.MISSING.value  # no ratio without a denominator
    usable = out["denominator"] > 0
    if usable.any():
        frame = pd.DataFrame({
            "row": np.flatnonzero(usable.to_numpy()),
            "x": out.loc[usable, "numerator"].to_numpy(),
            "n": out.loc[usable, "denominator"].to_numpy(),
        })
        method = stats.proportion if kind == "proportion" else stats.rate
        result = method(frame, "x", "n", by="row", confidence=confidence, multiplier=multiplier).set_index("row")
        rows = result.index.to_numpy()
        for column in ("value", "lower", "upper"):
            out.loc[rows, column] = result[column].to_numpy()
        out.loc[rows, "state"] = State.OK.value
    return _nullable(out)


def _nullable(frame: pd.DataFrame) -> pd.DataFrame:
    """NaN → None in the number columns (what the database stores)."""
    frame = frame.astype(object)
    return frame.where(pd.notna(frame), None)


def _links(source_level: str, target_level: str) -> pd.DataFrame:
    """child → parent links (with share) between the two levels: nested hierarchy first, then memberships."""
    from equisante.territories.models import Membership, Territory

    parents, levels = {}, {}
    for pk, parent, level in Territory.objects.exclude(level=source_level).values_list("id", "parent_id", "level"):
        parents[pk], levels[pk] = parent, level
    rows = []
    for child, parent in Territory.objects.filter(level=source_level).values_list("id", "parent_id"):
        seen = 0
        while parent is not None and seen < len(ORDER) + 2:
            if levels.get(parent) == target_level:
                rows.append((child, parent, 1.0))
                break
            parent, seen = parents.get(parent), seen + 1
    if not rows:
        rows = list(Membership.objects.filter(member__level=source_level, group__level=target_level)
                    .values_list("member_id", "group_id", "share"))
    if not rows:
        raise EquisanteError("indicator_levels_not_linked", from_level=source_level, to_level=target_level)
    return pd.DataFrame(rows, columns=["child", "parent", "share"])


def _codes(territory_model, ids: set) -> dict:
    """id → code of the given territories (in chunks: SQLite limits the parameters of a query)."""
    ids = sorted(int(i) for i in ids)
    codes = {}
    for start in range(0, len(ids), 500):
        codes.update(territory_model.objects.filter(id__in=ids[start:start + 500]).values_list("id", "code"))
    return codes


def _level(text: str) -> str:
    level = parse_level(text)
    if level is None:
        raise EquisanteError("indicator_level_unknown", text=text, accepted=", ".join(lv.value for lv in ORDER))
    return Level(level).value


def _describe(code: str, sex: str, age_band: str) -> str:
    stratum = [s for s in ({"F": "femmes", "H": "hommes"}.get(sex, ""), age_band) if s]
    return f"{code} ({', '.join(stratum)})" if stratum else code
