"""Key indicators of a portrait against the reference area, grouped into determinants and health.

Significance rule (stated on every output): the territory differs significantly from the reference
area when the reference value lies outside the territory's 95 % confidence interval — the rule of
the UK public-health profiles (Fingertips) for comparing an area with its benchmark, which treats the
benchmark as fixed (it rests on a far larger population). The words say whether the difference is
favourable given the indicator's polarity (:func:`equisante.portal.publication.compare`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from equisante import charts
from equisante.charts import Datum
from equisante.indicators.models import Indicator
from equisante.portal import publication
from equisante.portraits import periods as period_rules
from equisante.portraits import values as published_values
from equisante.portraits.families import FAMILIES, SIDES, Family, family_of

#: Symbols repeating the comparison in the tables (the words always follow them).
MARKERS = {"better": "▲", "worse": "▼", "higher": "△", "lower": "▽", "similar": "=", "none": "·"}


@dataclass
class KeyRow:
    """One indicator of the portrait: the territory's value at its period, the reference area's
    value at the same period, the comparison, and the value indexed on the reference (= 100)."""

    indicator: Indicator
    family: Family
    cell: published_values.Cell
    reference: published_values.Cell | None
    comparison: tuple[str, str]
    periods: dict

    @property
    def marker(self) -> str:
        return MARKERS.get(self.comparison[0], "")

    @property
    def indexed(self) -> Datum:
        """The value as an index of the reference value (reference = 100), with its interval."""
        ref = self.reference
        label = self.indicator.label
        note = f"{self.marker} {self.comparison[1]}"
        if not self.cell.shown or ref is None or not ref.shown or not ref.value:
            state = self.cell.state if not self.cell.shown else "missing"
            return Datum(label=label, value=None, state=state, key=self.indicator.code, note=note)
        scale = 100.0 / ref.value
        lower = self.cell.lower * scale if self.cell.lower is not None else None
        upper = self.cell.upper * scale if self.cell.upper is not None else None
        return Datum(label=label, value=self.cell.value * scale, lower=lower, upper=upper, state=self.cell.state,
                     key=self.indicator.code, note=note)


def family_overrides() -> dict:
    return dict(getattr(settings, "EQUISANTE_PORTRAIT_FAMILIES", {}) or {})


def key_rows(territory, reference, stored: dict, indicators: dict[int, Indicator]) -> list[KeyRow]:
    """One row per indicator that has a value for the territory, at its preferred period (the latest,
    pooled on ties); the reference value is taken at the same period."""
    overrides = family_overrides()
    rows = []
    periods_of: dict[int, set] = {}
    for (indicator_id, territory_id, period) in stored:
        if territory_id == territory.pk:
            periods_of.setdefault(indicator_id, set()).add(period)
    for indicator_id, periods in periods_of.items():
        indicator = indicators[indicator_id]
        cells = published_values.over_periods(stored, indicator, territory)
        period = period_rules.preferred(periods) or sorted(periods)[-1]
        reference_cell = None
        if reference is not None:
            reference_cells = published_values.over_periods(stored, indicator, reference)
            reference_cell = reference_cells.get(period)
        comparison = publication.compare(cells[period], reference_cell, indicator.polarity)
        rows.append(KeyRow(indicator=indicator, family=family_of(indicator.code, indicator.label, indicator.theme,
                                                                 overrides=overrides),
                           cell=cells[period], reference=reference_cell, comparison=comparison, periods=cells))
    order = {family.code: i for i, family in enumerate(FAMILIES)}
    rows.sort(key=lambda r: (order[r.family.code], r.indicator.label.lower()))
    return rows


def by_side(rows: list[KeyRow]) -> list[dict]:
    """``[{"side", "label", "families": [{"family", "rows"}]}]``: determinants, then health."""
    out = []
    for side, label in SIDES.items():
        families = []
        for family in FAMILIES:
            if family.side != side:
                continue
            members = [r for r in rows if r.family.code == family.code]
            if members:
                families.append({"family": family, "rows": members})
        out.append({"side": side, "label": label, "families": families,
                    "count": sum(len(f["rows"]) for f in families)})
    return out


def side_chart(side: dict, territory, reference, *, chart_id: str) -> str:
    """Horizontal bars of the indexed values of one side (determinants or health)."""
    bars = [row.indexed for family in side["families"] for row in family["rows"]]
    if not bars or reference is None:
        return ""
    title = _("%(side)s : %(name)s rapporté à %(reference)s (= 100)") % {
        "side": side["label"], "name": territory.name, "reference": reference.name}
    description = _(
        "Chaque barre donne la valeur du territoire divisée par celle de %(reference)s, multipliée par 100, "
        "avec son intervalle de confiance à 95 %% ; au-delà de 100, la valeur du territoire est plus élevée."
    ) % {"reference": reference.name}
    return charts.horizontal_bars(bars, title=title, description=description, baseline=100.0, reference=100.0,
                                  reference_label=reference.name, decimals=0, chart_id=chart_id, width=480,
                                  label_width=190,
                                  axis_label=_("indice (%(reference)s = 100)") % {"reference": reference.name})
