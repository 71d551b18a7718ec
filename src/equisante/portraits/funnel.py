"""The funnel plot of a portrait: the territory among its peers (same level, same région) for the
studied indicator, with the PHE control limits (``equisante.stats.funnel_limits`` and
``funnel_significance``) computed from the peers' published values only.

- proportions (``%``): numerators and denominators, Wilson limits around Σx/Σn;
- rates: events and the rate, Poisson limits; a rate whose label or definition says it is
  standardised is treated as a directly standardised rate (``dsr``: fewer than 10 events is "not
  applicable"), any other as a crude rate; pooled periods count their years (``2019-2021``: 3);
- other indicators (life expectancy, incomes, indices) have no funnel: their values do not rest on
  counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from django.utils.translation import gettext as _

from equisante import charts, stats
from equisante.charts import Datum
from equisante.portal import publication
from equisante.portraits import periods as period_rules
from equisante.portraits.families import fold
from equisante.portraits.values import Cell

@dataclass
class FunnelResult:
    statistic: str = ""
    points: list[Datum] = field(default_factory=list)
    table: pd.DataFrame | None = None
    svg: str = ""
    baseline: float | None = None
    significance: str = ""
    significance_words: str = ""
    reason: str = ""
    peers: int = 0
    placed: int = 0
    method: str = ""


def is_standardised(indicator) -> bool:
    text = fold(f"{indicator.label} {indicator.definition}")
    return "standardis" in text


def funnel(territory, cells: list[Cell], indicator, period: str, *, chart_id: str = "portrait-funnel") -> FunnelResult:
    """The funnel of ``territory`` among ``cells`` (the published values of its peers, itself included)."""
    kind = publication.kind_of(indicator.unit)
    result = FunnelResult(peers=len(cells))
    usable = [c for c in cells if c.shown and c.numerator is not None and c.denominator is not None
              and c.denominator > 0]
    if kind not in ("proportion", "rate"):
        result.reason = _("Pas de graphique en entonnoir pour cet indicateur : sa valeur ne repose pas sur un "
                          "effectif (numérateur et dénominateur).")
        return result
    if len(usable) < 3:
        result.reason = _("Trop peu de territoires comparables avec un numérateur et un dénominateur publiables "
                          "(%(n)s) pour tracer un entonnoir.") % {"n": len(usable)}
        return result
    frame = pd.DataFrame({
        "code": [c.territory.code for c in usable], "name": [c.territory.name for c in usable],
        "numerator": [float(c.numerator) for c in usable], "denominator": [float(c.denominator) for c in usable],
        "value": [float(c.value) for c in usable], "state": [c.state for c in usable],
    })
    multiplier = float(indicator.multiplier or 1)
    try:
        if kind == "proportion":
            limits = stats.funnel_limits(frame, "numerator", "denominator", statistic="proportion",
                                         multiplier=multiplier)
            marked = stats.funnel_significance(frame, "numerator", "denominator", statistic="proportion")
            x = frame["denominator"].to_numpy()
            curves = {"x": limits["population"].to_numpy()}
            for key in charts.LIMIT_KEYS[1:]:
                curves[key] = limits[f"{key}_limit"].to_numpy()
            result.statistic = _("proportion (limites de Wilson)")
            x_label = indicator.denominator_label or _("Dénominateur")
        else:
            rate_type = "dsr" if is_standardised(indicator) else "crude"
            years = period_rules.years_of_data(period)
            limits = stats.funnel_limits(frame, "numerator", "denominator", statistic="rate", rate="value",
                                         rate_type=rate_type, multiplier=multiplier, years_of_data=years)
            marked = stats.funnel_significance(frame, "numerator", "denominator", statistic="rate", rate="value",
                                               rate_type=rate_type, multiplier=multiplier)
            placed = stats.funnel_points(frame, "numerator", "value", rate_type=rate_type, years_of_data=years,
                                         multiplier=multiplier, denominator="denominator")
            x = placed["denominator_derived"].to_numpy()
            curves = {"x": limits["events"].to_numpy()}
            for key in charts.LIMIT_KEYS[1:]:
                curves[f"x_{key}"] = limits[f"{key}_population_1_year"].to_numpy()
                curves[key] = limits[f"{key}_limit"].to_numpy()
            result.statistic = (_("taux standardisé (limites de Poisson)") if rate_type == "dsr"
                                else _("taux brut (limites de Poisson)"))
            x_label = _("Population annuelle (dérivée des événements et du taux)")
    except ValueError as error:  # StatsInputError: data the method refuses
        result.reason = str(error)
        return result
    result.baseline = float(limits["baseline"].iloc[0]) if "baseline" in limits else None
    result.method = str(limits["method"].iloc[0])
    labels = dict(zip(marked["code"], marked["significance"].astype(str), strict=True))
    words = dict(zip(marked["code"], marked["significance_fr"], strict=True))
    frame["x"] = x
    frame["significance"] = frame["code"].map(labels)
    frame["significance_fr"] = frame["code"].map(words)
    result.table = frame
    result.placed = int(pd.notna(frame["x"]).sum())
    for row, cell in zip(frame.itertuples(index=False), usable, strict=True):
        highlight = cell.territory.pk == territory.pk
        result.points.append(Datum(label=cell.territory.name, value=cell.value, state=cell.state,
                                   weight=float(row.x) if pd.notna(row.x) else None, highlight=highlight,
                                   key=cell.territory.code, note=row.significance_fr if highlight else ""))
        if highlight:
            result.significance = row.significance
            result.significance_words = row.significance_fr
    if result.baseline is None:
        return result
    title = _("%(label)s (%(period)s) : %(name)s parmi les territoires comparables") % {
        "label": indicator.label, "period": period, "name": territory.name}
    description = _("Graphique en entonnoir : chaque point est un territoire de même niveau, placé selon son effectif "
                    "et sa valeur ; les courbes sont les limites de contrôle à 95 %% et 99,8 %% autour de la valeur "
                    "d'ensemble.")
    result.svg = charts.funnel_plot(result.points, curves, baseline=result.baseline, title=title,
                                    description=description, unit=indicator.unit, x_label=x_label,
                                    baseline_label=_("Valeur d'ensemble des territoires comparables"),
                                    chart_id=chart_id)
    return result
