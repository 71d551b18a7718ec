"""A scenario computed from the store: territories, populations, need measure, deprivation classes,
the allocation, the flat per-capita share with the same total, and the comparisons (application layer).

The pure rules are in :mod:`equisante.allocation.rules`, :mod:`.needs`, :mod:`.comparison`; this module
only reads the database (territories, populations, index values, published indicator values) into one
table and calls them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from equisante.allocation.adjustments import Adjustment, apply_adjustments
from equisante.allocation.comparison import class_table, summary
from equisante.allocation.errors import AllocationError
from equisante.allocation.models import RESOURCE_UNITS, Scenario
from equisante.allocation.needs import class_weights, deprivation_classes, linear_gradient, proportional_weights
from equisante.allocation.rules import allocate
from equisante.indicators.views import ancestor_depth, within
from equisante.stats import sii
from equisante.territories.models import Membership, Population, Territory

CLASSES = 5


@dataclass
class Measure:
    """Values of a need measure or of a deprivation index by territory id."""

    kind: str
    code: str
    label: str
    period: str
    higher_is_worse: bool
    values: dict[int, float] = field(default_factory=dict)
    unit: str = ""


@dataclass
class Result:
    scenario: Scenario
    frame: pd.DataFrame
    measure: Measure | None
    deprivation: Measure | None
    summary: dict
    flat_summary: dict
    classes: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def unit_word(self) -> str:
        return RESOURCE_UNITS.get(self.scenario.resource, "")

    def gains(self, n: int = 10) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The ``n`` territories gaining most, and losing most, against the flat share."""
        table = self.frame.assign(difference=self.frame["allocation"] - self.frame["flat"])
        winners = table[table["difference"] > 0].sort_values("difference", ascending=False).head(n)
        losers = table[table["difference"] < 0].sort_values("difference").head(n)
        return winners, losers


def territories(scenario: Scenario) -> pd.DataFrame:
    """The territories of the scenario with their latest population (up to ``population_year``) and
    their département code (for adjustments by département)."""
    query = Territory.objects.filter(level=scenario.level)
    if scenario.area_id:
        query = query.filter(within(scenario.area, scenario.level))
    if scenario.zone_id:
        members = Membership.objects.filter(group_id=scenario.zone_id).values_list("member_id", flat=True)
        query = query.filter(pk__in=list(members))
    if scenario.selection:
        query = query.filter(code__in=[str(c) for c in scenario.selection])
    fields = ["id", "code", "name"]
    depth = ancestor_depth(scenario.level, "departement")
    if depth:
        fields.append("__".join(["parent"] * depth) + "__code")
    rows = list(query.order_by("code").values_list(*fields))
    frame = pd.DataFrame(rows, columns=["territory_id", "code", "name"] + (["departement"] if depth else []))
    if not depth:
        frame["departement"] = frame["code"] if scenario.level == "departement" else ""
    populations = Population.objects.filter(territory_id__in=frame["territory_id"].tolist())
    if scenario.population_year:
        populations = populations.filter(year__lte=scenario.population_year)
    pops = pd.DataFrame(list(populations.values_list("territory_id", "year", "population")),
                        columns=["territory_id", "year", "population"])
    latest = pops.sort_values("year").drop_duplicates("territory_id", keep="last")
    frame = frame.merge(latest[["territory_id", "population", "year"]], on="territory_id", how="left")
    frame = frame.rename(columns={"year": "population_year"})
    frame["population"] = pd.to_numeric(frame["population"], errors="coerce").fillna(0.0).astype(float)
    return frame


def index_measure(code: str, level: str, period: str = "") -> Measure | None:
    from equisante.prioritisation.models import IndexDefinition, IndexResult, IndexValue

    definition = IndexDefinition.objects.filter(code=code).first()
    if definition is None:
        return None
    results = IndexResult.objects.filter(definition=definition, level=level)
    result = (results.filter(period=period).first() if period else None) or results.order_by("-period").first()
    if result is None:
        return None
    values = dict(IndexValue.objects.filter(result=result, value__isnull=False).values_list("territory_id", "value"))
    return Measure("index", code, definition.label, result.period, definition.higher_is_worse, values)


def indicator_measure(code: str, level: str, period: str = "") -> Measure | None:
    """Published values only (statistical confidentiality applied): a withheld value counts as missing."""
    from equisante.indicators.models import Indicator, Value
    from equisante.portal.publication import published

    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        return None
    stored = Value.objects.filter(indicator=indicator, territory__level=level, sex="", age_band="")
    if not period:
        period = stored.order_by("-period").values_list("period", flat=True).first() or ""
    values = {}
    for value in stored.filter(period=period).select_related("territory"):
        shown = published(value, indicator=indicator)
        if shown.shown:
            values[value.territory_id] = float(shown.value)
    return Measure("indicator", code, indicator.label, period, indicator.polarity != "favourable", values,
                   unit=indicator.unit)


def measure_for(kind: str, code: str, level: str, period: str = "") -> Measure | None:
    if not code:
        return None
    if kind == "index":
        return index_measure(code, level, period)
    if kind == "indicator":
        return indicator_measure(code, level, period)
    return None


def default_deprivation(level: str) -> str:
    """The index used to rank territories by deprivation when the scenario names none: the first of
    IDH-2, FDep, EDI, then any index, computed at ``level``."""
    from equisante.prioritisation.models import IndexResult

    codes = list(IndexResult.objects.filter(level=level).values_list("definition__code", flat=True).distinct())
    for preferred in ("idh2", "fdep", "edi"):
        if preferred in codes:
            return preferred
    return sorted(codes)[0] if codes else ""


def adjustments_of(scenario: Scenario) -> list[Adjustment]:
    return [Adjustment.from_dict(a) for a in scenario.adjustments or []]


def _attach(frame: pd.DataFrame, measure: Measure | None, column: str) -> None:
    frame[column] = frame["territory_id"].map(measure.values if measure else {}).astype(float)


def build(scenario: Scenario) -> Result:
    """Compute the scenario (raises :class:`AllocationError` with a French message when impossible)."""
    frame = territories(scenario)
    if frame.empty:
        raise AllocationError("allocation_empty", total=scenario.total)
    notes = []
    measure = measure_for(scenario.measure_kind, scenario.measure, scenario.level, scenario.measure_period)
    if scenario.measure and measure is None:
        notes.append(_("La mesure « %(code)s » n'a pas de valeur au niveau choisi : aucune pondération par le "
                       "besoin.") % {"code": scenario.measure})
    deprivation_code = scenario.deprivation or (scenario.measure if scenario.measure_kind == "index" else "") \
        or default_deprivation(scenario.level)
    deprivation = index_measure(deprivation_code, scenario.level) if deprivation_code else None
    _attach(frame, measure, "measure")
    _attach(frame, deprivation, "deprivation")
    if deprivation is not None and frame["deprivation"].notna().sum() >= CLASSES:
        frame["deprivation_class"] = deprivation_classes(frame, "deprivation",
                                                         higher_is_worse=deprivation.higher_is_worse, n=CLASSES)
        frame["deprivation_rank"] = -frame["deprivation"] if deprivation.higher_is_worse else frame["deprivation"]
    else:
        frame["deprivation_class"] = np.nan
        frame["deprivation_rank"] = np.nan
        notes.append(_("Aucun indice de défavorisation calculé pour au moins %(n)s de ces territoires : pas de "
                       "comparaison par classe.") % {"n": CLASSES})

    weighting = scenario.weighting
    if weighting == "gradient":
        source = measure if measure is not None else deprivation
        if source is not None and frame["territory_id"].map(source.values).notna().sum() >= CLASSES:
            classes = frame["deprivation_class"] if source is deprivation else pd.Series(
                deprivation_classes(frame, "measure", higher_is_worse=source.higher_is_worse, n=CLASSES))
            frame["need_class"] = classes.to_numpy()
            frame["weight"] = class_weights(frame["need_class"], linear_gradient(CLASSES, scenario.gradient_high,
                                                                                 scenario.gradient_low))
        else:
            frame["need_class"] = np.nan
            frame["weight"] = 1.0
            notes.append(_("Pas assez de valeurs pour former des classes : part égale par habitant."))
    elif weighting == "priority":
        from datetime import date

        from equisante.allocation.register import priority_territories

        code = scenario.measure if scenario.measure_kind == "index" and scenario.measure else deprivation_code
        eligible = priority_territories(code, scenario.level, scenario.applies_on or date.today()) if code else set()
        if not eligible:
            notes.append(_("Aucun territoire prioritaire selon une règle d'éligibilité de l'indice « %(code)s » : "
                           "part égale par habitant.") % {"code": code or "—"})
        frame["need_class"] = np.where(frame["territory_id"].isin(eligible), 1, 2)
        frame["weight"] = np.where(frame["territory_id"].isin(eligible), scenario.gradient_high, scenario.gradient_low)
    elif weighting == "proportional" and measure is not None:
        if not measure.higher_is_worse:
            raise AllocationError("allocation_gradient_invalid", value=measure.label,
                                  why="plus la valeur est élevée, plus la situation est favorable : une répartition "
                                      "proportionnelle donnerait plus aux mieux lotis ; choisir un gradient par classe")
        frame["weight"] = proportional_weights(frame["measure"])
    else:
        frame["weight"] = 1.0
    missing = int(frame["measure"].isna().sum()) if measure is not None else 0
    if measure is not None and missing and weighting != "flat":
        notes.append(ngettext("%(n)s territoire sans valeur de la mesure reçoit le poids 1.",
                               "%(n)s territoires sans valeur de la mesure reçoivent le poids 1.", missing) % {"n": missing})

    frame = apply_adjustments(frame, adjustments_of(scenario), on=scenario.applies_on, weight="weight")
    out = allocate(frame, scenario.total, weight="adjusted_weight", floor=scenario.floor, cap=scenario.cap,
                   unit=scenario.unit)
    flat = allocate(frame, scenario.total, unit=scenario.unit)
    out["flat"] = flat["allocation"].to_numpy()
    people = out["population"].where(out["population"] > 0)
    out["per_capita"] = out["allocation"] / people
    out["flat_per_capita"] = out["flat"] / people
    out["difference"] = out["allocation"] - out["flat"]
    scenario_summary = summary(out, allocation="allocation")
    flat_summary = summary(out, allocation="flat")
    classes = _classes(out)
    if scenario.outcome_indicator:
        outcome = indicator_measure(scenario.outcome_indicator, scenario.level, scenario.outcome_period)
        _attach(out, outcome, "outcome")
        scenario_summary["outcome"] = outcome
    return Result(scenario, out, measure, deprivation, scenario_summary, flat_summary, classes, notes)


def _classes(out: pd.DataFrame) -> pd.DataFrame:
    if not out["deprivation_class"].notna().any():
        return pd.DataFrame()
    a = class_table(out, allocation="allocation")
    b = class_table(out, allocation="flat")[["deprivation_class", "allocation", "allocation_share", "per_capita"]]
    return a.merge(b.rename(columns={"allocation": "flat", "allocation_share": "flat_share",
                                     "per_capita": "flat_per_capita"}), on="deprivation_class")


def gradient_by_class(frame: pd.DataFrame, value: str, *, seed: int = 1) -> dict:
    """Population-weighted mean of ``value`` per deprivation class (``table``), and, when the five classes
    are all present, the SII across classes (class 1 = most deprived) with a 95 % interval (``sii``,
    ``lower``, ``upper``; None otherwise). The standard error of each class mean comes from the spread of
    its territories (weighted standard deviation / √territories). Empty when no class has a value."""
    data = frame[["deprivation_class", "population", value]].dropna()
    data = data[data["population"] > 0]
    if data.empty:
        return {}
    rows = []
    for k, group in data.groupby("deprivation_class"):
        w, x = group["population"].to_numpy(float), group[value].to_numpy(float)
        mean = float(np.average(x, weights=w))
        sd = float(np.sqrt(np.average((x - mean) ** 2, weights=w))) if len(x) > 1 else 0.0
        rows.append({"quantile": int(k), "population": float(w.sum()), "value": mean,
                     "se": max(sd / np.sqrt(len(x)), 1e-9 * max(abs(mean), 1.0))})
    table = pd.DataFrame(rows)
    out = {"table": table, "sii": None, "lower": None, "upper": None}
    if len(table) >= CLASSES:
        row = sii(table, "quantile", "population", "value", se="se", repetitions=10_000, seed=seed).iloc[0]
        out.update(sii=float(row["sii"]), lower=float(row["sii_lower"]), upper=float(row["sii_upper"]))
    return out
