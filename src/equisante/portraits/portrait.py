"""The portrait of a territory ("diagnostic partagé"), assembled once for the page, the standalone
report, the PDF and the table exports, so that they all show the same published numbers.

Sections: the composite indices and class; key indicators against the reference area (determinants
beside health); for one *studied* indicator, its map over the sub-territories, its social gradient
across deprivation quintiles (SII, RII), its funnel plot among peers and its trend.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

import pandas as pd
from django.db.models import Count
from django.utils.translation import gettext as _

from equisante import charts
from equisante.charts import Datum, LegendItem, MapArea, Series
from equisante.confidentiality import rule_statement
from equisante.indicators.models import Indicator, Value
from equisante.maps import METHODS
from equisante.portal import mapping, publication
from equisante.portraits import comparison, inequality, scope
from equisante.portraits import deprivation as deprivation_measures
from equisante.portraits import funnel as funnel_section
from equisante.portraits import periods as period_rules
from equisante.portraits import values as published_values
from equisante.portraits.families import HEALTH_STATUS, PREVENTION, family_of
from equisante.portraits.indices import IndexSummary, indices_for
from equisante.territories.levels import LABELS, PLURALS, Level

CLASSES = 5
#: Levels whose territories tile their région: the région's value is then the total of the peers of
#: the funnel plot, and the peers are protected against it (secondary suppression).
PARTITIONS_REGION = (Level.DEPARTEMENT, Level.EPCI, Level.COMMUNE)


@dataclass
class Options:
    """What the reader chose (query string ``indicateur``, ``defavorisation``, ``classes``,
    ``periode``): the studied indicator, the deprivation measure of the quintiles, the
    classification of the map and the period (codes; empty or unknown = the default)."""

    focus: str = ""
    deprivation: str = ""
    method: str = "quantiles"
    period: str = ""

    @classmethod
    def from_query(cls, query) -> Options:
        method = query.get("classes", "quantiles")
        return cls(focus=query.get("indicateur", "").strip(), deprivation=query.get("defavorisation", "").strip(),
                   method=method if method in METHODS else "quantiles", period=query.get("periode", "").strip())


@dataclass
class Choice:
    """An option of the page's form: its code (query-string value) and its label."""

    code: str
    label: str
    count: int = 0


@dataclass
class Portrait:
    """Everything a portrait shows, computed once by :func:`build`: the page, the report, the PDF
    and the exports read the same published cells (``Cell``: value and state after primary and
    secondary suppression)."""

    territory: object
    reference: object | None
    region: object | None
    options: Options
    indices: IndexSummary
    key_rows: list
    sides: list
    side_charts: dict
    threshold: int
    sub_level: str | None = None
    sub_territories: list = field(default_factory=list)
    focus: Indicator | None = None
    focus_period: str = ""
    focus_periods: list[str] = field(default_factory=list)
    focus_choices: list[Choice] = field(default_factory=list)
    deprivation: deprivation_measures.Measure | None = None
    deprivation_choices: list[Choice] = field(default_factory=list)
    sub_where: object = None
    cells: list = field(default_factory=list)
    total: object | None = None
    suppression: object | None = None
    map: mapping.MapData | None = None
    map_too_big: bool = False
    gradient: inequality.GradientResult | None = None
    gradient_svg: str = ""
    funnel: funnel_section.FunnelResult | None = None
    trend_svg: str = ""
    trend_periods: list[str] = field(default_factory=list)
    trend_rows: list = field(default_factory=list)
    population: object | None = None
    other_levels: list = field(default_factory=list)

    # --- words ------------------------------------------------------------------------------------

    @property
    def level_label(self) -> str:
        return str(LABELS[Level(self.territory.level)])

    @property
    def sub_plural(self) -> str:
        return str(PLURALS[Level(self.sub_level)]) if self.sub_level else ""

    @property
    def sub_words(self) -> str:
        """The sub-territories inside a sentence: « communes », but « IRIS » stays an acronym."""
        plural = self.sub_plural
        return plural if plural.isupper() else plural.lower()

    @property
    def rule(self) -> str:
        """The confidentiality rule, and how the portrait's aggregates respect it."""
        return rule_statement(self.threshold) + " " + _(
            "Les quintiles de défavorisation agrègent toutes les valeurs, masquées comprises, et sont protégés de la "
            "même façon (un quintile ne permet pas de retrouver un sous-territoire masqué) ; l'entonnoir ne place et "
            "ne compte que les valeurs publiables.")

    @property
    def secondary_count(self) -> int:
        count = sum(1 for c in self.cells if getattr(c, "suppression", None) == "secondary")
        count += sum(1 for row in self.key_rows for c in row.periods.values() if c.suppression == "secondary")
        return count

    @property
    def fictional(self) -> bool:
        return bool(self.territory.fictional)

    @property
    def sii_text(self) -> str:
        gradient = self.gradient
        if gradient is None or not gradient.computed:
            return ""
        unit = self.focus.unit if self.focus else ""
        unit_sii = _("points") if unit == "%" else unit
        return _("IIP (SII) = %(sii)s (IC 95 %% : %(low)s à %(high)s) ; IRI (RII) = %(rii)s (IC 95 %% : %(rlow)s à "
                 "%(rhigh)s)") % {
            "sii": charts.with_unit(charts.format_number(gradient.sii, sign=True), unit_sii),
            "low": charts.format_number(gradient.sii_lower), "high": charts.format_number(gradient.sii_upper),
            "rii": charts.format_number(gradient.rii, 2), "rlow": charts.format_number(gradient.rii_lower, 2),
            "rhigh": charts.format_number(gradient.rii_upper, 2)}

    @property
    def gradient_reading(self) -> str:
        """The SII in a sentence, with what its sign means for this indicator."""
        gradient = self.gradient
        if gradient is None or not gradient.computed or self.focus is None:
            return ""
        unit = self.focus.unit
        start = charts.with_unit(charts.format_number(gradient.intercept), unit)
        end = charts.with_unit(charts.format_number(gradient.intercept + gradient.slope), unit)
        words = _("Du quintile le plus défavorisé au moins défavorisé, la valeur modélisée passe de %(start)s à "
                  "%(end)s.") % {"start": start, "end": end}
        if gradient.sii_lower <= 0 <= gradient.sii_upper:
            return words + " " + _("L'intervalle de l'indice de pente contient 0 : pas de gradient démontré.")
        rising = gradient.sii > 0
        polarity = self.focus.polarity
        if polarity == "neutral":
            return words
        deprived_worse = (polarity == "adverse" and not rising) or (polarity == "favourable" and rising)
        return words + " " + (_("La situation est significativement moins favorable là où la population est plus "
                                "défavorisée : gradient social.") if deprived_worse else
                              _("La situation est significativement plus favorable là où la population est plus "
                                "défavorisée (gradient inversé)."))


# --- choices --------------------------------------------------------------------------------------


def _sub_indicators(where, indicators) -> dict[int, int]:
    """Indicators that have values for the sub-territories (all sexes and ages): ``{id: 1}``.

    One existence test per indicator: each walks the (indicator, territory) index and stops at the
    first value, where counting every value of a thousand communes would read them all."""
    found = {}
    for indicator_id in indicators:
        if Value.objects.filter(where, indicator_id=indicator_id, sex="", age_band="").exists():
            found[indicator_id] = 1
    return found


def _focus_default(candidates: list[Indicator], counts: dict[int, int]) -> Indicator | None:
    """Health status first, then indicators that rest on counts (a funnel is possible), then those
    with values for the sub-territories."""
    def key(indicator: Indicator):
        family = family_of(indicator.code, indicator.label, indicator.theme, overrides=comparison.family_overrides())
        health = 2 if family is HEALTH_STATUS else (1 if family is PREVENTION else 0)
        counted = publication.kind_of(indicator.unit) in ("proportion", "rate")
        return (health, counted, counts.get(indicator.pk, 0), -len(indicator.label))
    return max(candidates, key=key) if candidates else None


def _best_period(indicator: Indicator, where) -> str:
    """The period with the most values among the territories ``where`` selects (the latest, pooled,
    on ties)."""
    counts = Counter(dict(
        Value.objects.filter(where, indicator=indicator, sex="", age_band="").order_by()
        .values("period").annotate(n=Count("id")).values_list("period", "n")))
    if not counts:
        return ""
    most = max(counts.values())
    return period_rules.preferred([p for p, n in counts.items() if n == most]) or ""


# --- sections -------------------------------------------------------------------------------------


def _cells_for(where, indicator, period) -> dict[int, dict]:
    return published_values.stored_rows(indicator, period, where)


def _sub_section(portrait: Portrait, own_cells: dict, stored: dict, own_stored: dict) -> None:
    """Cells of the sub-territories for the studied indicator, protected with the territory's value as
    their total."""
    subs = portrait.sub_territories
    focus, period = portrait.focus, portrait.focus_period
    total = own_cells.get(period)
    cells, new_total, decision = published_values.breakdown([stored.get(t.pk) for t in subs], subs, focus, period,
                                                            total)
    portrait.cells, portrait.suppression = cells, decision
    if new_total is not total and new_total is not None:
        # nothing else protected a sub-territory: the territory's value is withheld, everywhere, and
        # its other periods are protected again (a pooled range minus the other years would give it)
        withheld = {p: c.suppression or "primary" for p, c in own_cells.items() if c.state == "suppressed"}
        withheld[period] = "secondary"
        own_cells.update(published_values.over_periods(own_stored, focus, portrait.territory, withheld=withheld))
        for row in portrait.key_rows:
            if row.indicator.pk == focus.pk:
                row.periods.update(own_cells)
                row.cell = own_cells[row.cell.period]
                row.comparison = publication.compare(row.cell, row.reference, focus.polarity)
    portrait.total = own_cells.get(period)


def _map_section(portrait: Portrait) -> None:
    """The choropleth of the sub-territories' published values (drawn last: the gradient may withhold
    more of them)."""
    subs, focus = portrait.sub_territories, portrait.focus
    if mapping.too_many(len(subs)):
        portrait.map_too_big = True
        return
    if any(t.geometry for t in subs):
        portrait.map = mapping.choropleth(portrait.cells, polarity=focus.polarity, unit=focus.unit,
                                          method=portrait.options.method, k=CLASSES, outline=portrait.territory)


def _withhold(cell: published_values.Cell) -> published_values.Cell:
    """``cell`` withheld by secondary suppression (its population stays)."""
    return published_values.Cell(
        indicator=cell.indicator, territory=cell.territory, period=cell.period, sex=cell.sex, age_band=cell.age_band,
        numerator=None, denominator=cell.denominator, value=None, lower=None, upper=None, state="suppressed",
        suppression="secondary")


def _gradient_section(portrait: Portrait, stored: dict) -> None:
    """Quintiles of deprivation and the SII of the studied indicator. The quintile values use the
    stored numbers of every sub-territory; the sub-territories that the quintiles would expose are
    withheld on the page as well (secondary suppression)."""
    subs, focus, measure = portrait.sub_territories, portrait.focus, portrait.deprivation
    if measure is None or not subs:
        return
    span = period_rules.span(portrait.focus_period)
    pops = scope.populations(portrait.sub_where, year=span[1] if span else None)
    counting = publication.is_count(focus)
    rows = []
    for territory, cell in zip(subs, portrait.cells, strict=True):
        value = stored.get(territory.pk) or {}
        # the census population first; else the one stored with the index or the indicator's denominator
        population = pops.get(territory.pk) or measure.populations.get(territory.pk)
        # published values only: a quintile made of withheld counts, set beside the other pages'
        # tables, could give them back (confidentiality holds across every output)
        usable = value.get("value") is not None and value.get("state") != "missing" and cell.shown
        rows.append({
            "code": territory.code, "name": territory.name, "population": population,
            "deprivation": measure.values.get(territory.pk),
            "value": value["value"] if usable else None, "lower": value["lower"] if usable else None,
            "upper": value["upper"] if usable else None, "numerator": value["numerator"] if usable else None,
            "denominator": value["denominator"] if usable else None, "hidden": not cell.shown,
            "count": (value["value"] if counting else value["numerator"]) if usable else None,
        })
    frame = pd.DataFrame(rows, columns=list(inequality.COLUMNS))
    kind = publication.kind_of(focus.unit)
    result = inequality.social_gradient(
        frame, higher_is_worse=measure.higher_is_worse, kind=kind, multiplier=float(focus.multiplier or 1),
        pooled=not funnel_section.is_standardised(focus), deprivation_label=measure.label,
        threshold=portrait.threshold)
    if result.withheld_codes:
        portrait.cells = [_withhold(c) if c.territory.code in result.withheld_codes and c.shown else c
                          for c in portrait.cells]
    portrait.gradient = result
    if not result.quintiles["value"].notna().any():
        return
    groups = []
    for row in result.quintiles.itertuples(index=False):
        label = _("Q%(q)s") % {"q": row.quintile}
        if row.quintile == 1:
            label = _("Q1 (plus défavorisé)")
        elif row.quintile == inequality.QUINTILES:
            label = _("Q%(q)s (moins défavorisé)") % {"q": row.quintile}
        has_value = pd.notna(row.value)
        groups.append(Datum(label=label, value=float(row.value) if has_value else None,
                            lower=float(row.lower) if has_value and pd.notna(row.lower) else None,
                            upper=float(row.upper) if has_value and pd.notna(row.upper) else None,
                            state="ok" if has_value else row.state, weight=float(row.population) or None,
                            key=f"q{row.quintile}"))
    title = _("%(label)s (%(period)s) selon la défavorisation des %(subs)s de %(name)s") % {
        "label": focus.label, "period": portrait.focus_period, "subs": portrait.sub_words,
        "name": portrait.territory.name}
    portrait.gradient_svg = charts.gradient_chart(
        groups, title=title, intercept=result.intercept, slope=result.slope, unit=focus.unit,
        # the SII/RII sentence is printed once, under the chart (page and report), not in it as well
        description=result.direction,
        style="bars" if kind in ("proportion", "rate") else "points", chart_id="portrait-gradient")


def _funnel_section(portrait: Portrait, stored_peers: dict, peers: list) -> None:
    focus, period = portrait.focus, portrait.focus_period
    total = None
    if portrait.region is not None and portrait.territory.level in PARTITIONS_REGION:
        # the peers are the région's territories of the level: the région's value is their total
        stored = published_values.load([focus.pk], [portrait.region.pk])
        total = published_values.over_periods(stored, focus, portrait.region).get(period)
    cells, _total, _decision = published_values.breakdown([stored_peers.get(t.pk) for t in peers], peers, focus,
                                                          period, total)
    # the territory's own cell as the portrait publishes it (its years and sub-territories may withhold it)
    own = portrait.total
    cells = [own if own is not None and c.territory.pk == portrait.territory.pk else c for c in cells]
    portrait.funnel = funnel_section.funnel(portrait.territory, cells, focus, period)


def _trend_section(portrait: Portrait, own_cells: dict) -> None:
    focus = portrait.focus
    areas = [(portrait.territory, own_cells, True)]
    for area in (portrait.reference, portrait.region):
        if area is not None and area.pk != portrait.territory.pk and all(area.pk != a.pk for a, _c, _h in areas):
            stored = published_values.load([focus.pk], [area.pk])
            areas.append((area, published_values.over_periods(stored, focus, area), False))
    periods = period_rules.trend_periods([p for _a, cells, _h in areas for p in cells])
    if not periods:
        return
    series, rows = [], []
    for area, cells, highlight in areas:
        points = []
        for period in periods:
            cell = cells.get(period) or published_values.missing_cell(focus, area, period)
            points.append(Datum(label=period, value=cell.value if cell.shown else None,
                                lower=cell.lower if cell.shown else None, upper=cell.upper if cell.shown else None,
                                state=cell.state, key=area.code))
            rows.append(cell)
        series.append(Series(label=area.name, points=points, highlight=highlight))
    portrait.trend_periods = periods
    portrait.trend_rows = rows
    if len(periods) >= 2:
        title = _("Évolution de « %(label)s »") % {"label": focus.label}
        portrait.trend_svg = charts.trend_chart(series, periods, title=title, unit=focus.unit,
                                                chart_id="portrait-trend")


# --- assembly -------------------------------------------------------------------------------------


def build(territory, options: Options | None = None) -> Portrait:
    """The portrait of ``territory`` for the reader's ``options``."""
    options = options or Options()
    reference = scope.reference_area(territory)
    region = scope.region_of(territory)
    own_ids = [t.pk for t in (territory, reference, region) if t is not None]
    indicators = {i.pk: i for i in Indicator.objects.all()}
    stored = published_values.load(indicators, own_ids)
    rows = comparison.key_rows(territory, reference, stored, indicators)
    sides = comparison.by_side(rows)
    portrait = Portrait(
        territory=territory, reference=reference, region=region, options=options, indices=indices_for(territory),
        key_rows=rows, sides=sides, side_charts={}, threshold=publication.threshold(),
        sub_level=scope.sub_level(territory), population=territory.populations.order_by("-year").first(),
        other_levels=scope.other_levels(territory),
    )
    portrait.sub_territories = scope.places(scope.sub_territories(territory))
    # values of the sub-territories are selected through a join: a région has a thousand communes
    portrait.sub_where = scope.within(territory)
    sub_ids = [t.pk for t in portrait.sub_territories]
    counts = _sub_indicators(portrait.sub_where, indicators) if sub_ids else {}
    own_indicator_ids = {indicator_id for (indicator_id, territory_id, _p) in stored if territory_id == territory.pk}
    candidates = sorted((indicators[i] for i in own_indicator_ids | set(counts)), key=lambda i: i.label.lower())
    portrait.focus_choices = [Choice(i.code, i.label, counts.get(i.pk, 0)) for i in candidates]
    by_code = {i.code: i for i in candidates}
    portrait.focus = by_code.get(options.focus) or _focus_default(candidates, counts)
    if sub_ids:
        measures = deprivation_measures.index_measures(portrait.sub_level, portrait.sub_where) + \
            deprivation_measures.indicator_candidates(counts, exclude=portrait.focus)
        portrait.deprivation_choices = [Choice(m.key, m.label, m.count) for m in measures]
        chosen = next((m for m in measures if m.key == options.deprivation), None)
        measure = chosen or deprivation_measures.default(measures)
        if measure is not None and measure.kind == "indicator":
            measure = deprivation_measures.load_indicator(measure, portrait.sub_where)
        portrait.deprivation = measure
    if portrait.focus is not None:
        _focus_sections(portrait, stored, counts)
    # drawn last: the studied indicator's sections may have withheld one more value of the territory
    for side in sides:
        side["chart"] = comparison.side_chart(side, territory, reference, chart_id=f"portrait-{side['side']}") \
            if side["count"] else ""
    portrait.side_charts = {side["side"]: side["chart"] for side in sides}
    return portrait


def _focus_sections(portrait: Portrait, stored: dict, counts: dict) -> None:
    """Map, gradient, funnel and trend of the studied indicator."""
    territory, focus = portrait.territory, portrait.focus
    where = portrait.sub_where
    own_cells = published_values.over_periods(stored, focus, territory)
    available = set(own_cells) | set(
        Value.objects.filter(where, indicator=focus, sex="", age_band="").order_by()
        .values_list("period", flat=True).distinct())
    portrait.focus_periods = period_rules.chronological(available)[::-1]
    if portrait.options.period in available:
        portrait.focus_period = portrait.options.period
    else:
        # by default the period with the most sub-territory values (pooled years often), else the latest
        portrait.focus_period = (_best_period(focus, where) if counts.get(focus.pk) else "") or \
            period_rules.preferred(own_cells) or ""
    if portrait.sub_territories:
        stored_subs = _cells_for(where, focus, portrait.focus_period)
        _sub_section(portrait, own_cells, stored_subs, stored)
        _gradient_section(portrait, stored_subs)
        _map_section(portrait)
    peers = scope.places(scope.peers(territory).order_by("name", "code"), geometry=False)
    stored_peers = _cells_for(scope.among_peers(territory), focus, portrait.focus_period)
    if portrait.total is None:
        portrait.total = own_cells.get(portrait.focus_period)
    _funnel_section(portrait, stored_peers, peers)
    _trend_section(portrait, own_cells)


def quintile_rows(portrait: Portrait) -> list[dict]:
    """The quintile table in words (French numbers), most deprived first."""
    if portrait.gradient is None or portrait.focus is None:
        return []
    kind = publication.kind_of(portrait.focus.unit)
    rows = []
    for row in portrait.gradient.quintiles.itertuples(index=False):
        label = _("Q1 (plus défavorisé)") if row.quintile == 1 else (
            _("Q%(q)s (moins défavorisé)") % {"q": row.quintile} if row.quintile == inequality.QUINTILES
            else _("Q%(q)s") % {"q": row.quintile})
        has_value = pd.notna(row.value)
        value = publication.with_unit(publication.format_number(row.value, kind), portrait.focus.unit) \
            if has_value else (_("secret statistique") if row.state == "suppressed" else "")
        ci = ""
        if has_value and pd.notna(row.lower) and pd.notna(row.upper):
            decimals = publication.decimals_for(row.value, kind)
            ci = _("%(low)s à %(high)s") % {"low": publication.format_number(row.lower, decimals=decimals),
                                             "high": publication.format_number(row.upper, decimals=decimals)}
        rows.append({"quintile": int(row.quintile), "label": label, "territories": int(row.territories),
                     "population": publication.format_number(row.population, "count"), "value": value, "ci": ci})
    return rows


# --- static map (reports) -------------------------------------------------------------------------


def static_map(portrait: Portrait) -> str:
    """The map of the studied indicator as SVG, for the report and the PDF (same classes and colours
    as the interactive map: they come from the same GeoJSON)."""
    if portrait.map is None or portrait.map.empty:
        return ""
    collection = json.loads(portrait.map.geojson)
    areas = []
    for feature in collection["features"]:
        props = feature["properties"]
        outline = props.get("role") == "outline"
        fill = props.get("fill") or "#ffffff"
        areas.append(MapArea(key=props.get("code", ""), label=props.get("name", ""), geometry=feature.get("geometry"),
                             fill=fill if not fill.startswith("url(") else "#ffffff",
                             state=props.get("state", "ok"), value_text=props.get("value") or props.get("state_name", ""),
                             outline=outline))
    states = {"unstable": "unstable", "suppressed": "suppressed", "missing": "missing"}
    legend = [LegendItem(label=entry.label, colour=entry.colour, state=states.get(entry.kind, "ok"), count=entry.count)
              for entry in portrait.map.legend if entry.kind == "class" or entry.count]
    unit = portrait.focus.unit if portrait.focus else ""
    title = _("%(label)s (%(period)s) par %(sub)s") % {
        "label": portrait.focus.label, "period": portrait.focus_period, "sub": portrait.sub_words}
    legend_title = _("Légende (unité : %(unit)s)") % {"unit": unit} if unit else _("Légende")
    return charts.choropleth_map(areas, title=title, legend=legend, legend_title=legend_title,
                                 chart_id="portrait-static-map")

