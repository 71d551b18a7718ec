"""Where the money went: the register of grants read against need (application layer).

For each year: the total handed out at a level of territories (grants to territories of other levels
are counted apart), the share that went to priority territories (eligible under the eligibility rule
of the deprivation index in force on 1 July of the year) and to contract towns (territories in the
perimeter of a local health contract, directly or through an EPCI or a zone of the perimeter),
spending per inhabitant by deprivation quintile, its slope index of inequality and its concentration
index (with 95 % intervals) — the question « did funding follow deprivation? ».
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from equisante.allocation.building import CLASSES, default_deprivation, gradient_by_class, index_measure
from equisante.allocation.comparison import class_table, concentration
from equisante.allocation.models import Grant
from equisante.allocation.needs import deprivation_classes
from equisante.territories.models import Membership, Population, Territory


@dataclass
class YearFigures:
    year: int
    total: float
    outside: float  # handed out to territories of another level
    grants: int
    priority_share: float | None
    contract_share: float | None
    most_deprived_share: float | None
    most_deprived_population_share: float | None
    per_capita: float | None
    classes: pd.DataFrame = field(default_factory=pd.DataFrame)
    concentration: dict = field(default_factory=dict)
    gradient: dict = field(default_factory=dict)


def grants_frame(query=None) -> pd.DataFrame:
    query = Grant.objects.all() if query is None else query
    rows = list(query.values_list("id", "territory_id", "territory__code", "territory__name", "territory__level",
                                  "year", "programme", "funder", "amount", "source"))
    frame = pd.DataFrame(rows, columns=["id", "territory_id", "code", "name", "level", "year", "programme",
                                        "funder", "amount", "source"])
    frame["amount"] = pd.to_numeric(frame["amount"], errors="coerce").astype(float)
    return frame


def contract_territories(level: str) -> set[int]:
    """Ids of the territories of ``level`` in the perimeter of a (live) contract, directly or as a
    member of a territory of the perimeter (an EPCI, a zone)."""
    from equisante.contracts.models import Contract

    perimeter = set(Contract.objects.values_list("perimeter__id", flat=True)) - {None}
    members = set(Membership.objects.filter(group_id__in=perimeter).values_list("member_id", flat=True))
    children = set(Territory.objects.filter(parent_id__in=perimeter).values_list("id", flat=True))
    ids = perimeter | members | children
    return set(Territory.objects.filter(pk__in=ids, level=level).values_list("id", flat=True))


def priority_territories(index_code: str, level: str, on: date) -> set[int]:
    """Ids of the territories eligible on ``on`` under the eligibility rule of the index (empty when none)."""
    from equisante.prioritisation.classing import classify
    from equisante.prioritisation.models import IndexDefinition, PriorityRule
    from equisante.prioritisation.results import latest_result

    definition = IndexDefinition.objects.filter(code=index_code).first()
    if definition is None:
        return set()
    rule = PriorityRule.objects.filter(index=definition, eligibility=True).order_by("-primary", "-valid_from").first()
    result = latest_result(definition, level)
    if rule is None or result is None:
        return set()
    rows = classify(result, rule, on=on).rows
    return set(rows.loc[rows["eligible"].fillna(False).astype(bool), "territory_id"])


def populations(ids: list[int], year: int) -> dict[int, float]:
    rows = Population.objects.filter(territory_id__in=ids, year__lte=year).values_list("territory_id", "year",
                                                                                         "population")
    table = pd.DataFrame(list(rows), columns=["territory_id", "year", "population"])
    if table.empty:
        rows = Population.objects.filter(territory_id__in=ids).values_list("territory_id", "year", "population")
        table = pd.DataFrame(list(rows), columns=["territory_id", "year", "population"])
        latest = table.sort_values("year").drop_duplicates("territory_id", keep="first")
    else:
        latest = table.sort_values("year").drop_duplicates("territory_id", keep="last")
    return dict(zip(latest["territory_id"], latest["population"].astype(float)))


def analyse(level: str = "commune", *, index: str = "", grants: pd.DataFrame | None = None) -> dict:
    """Figures year by year (see the module docstring). Returns ``years`` (list of :class:`YearFigures`,
    newest first), ``index`` (the deprivation :class:`~equisante.allocation.building.Measure`) and
    ``level``."""
    grants = grants_frame() if grants is None else grants
    index = index or default_deprivation(level)
    deprivation = index_measure(index, level) if index else None
    territories = pd.DataFrame(list(Territory.objects.filter(level=level).values_list("id", "code", "name")),
                               columns=["territory_id", "code", "name"])
    contracts = contract_territories(level)
    years = []
    for year in sorted(grants["year"].unique(), reverse=True) if len(grants) else []:
        of_year = grants[grants["year"] == year]
        inside = of_year[of_year["level"] == level]
        spent = inside.groupby("territory_id")["amount"].sum()
        frame = territories.copy()
        frame["allocation"] = frame["territory_id"].map(spent).fillna(0.0)
        frame["population"] = frame["territory_id"].map(populations(frame["territory_id"].tolist(), int(year)))
        frame["population"] = frame["population"].fillna(0.0)
        total = float(inside["amount"].sum())
        priority = priority_territories(index, level, date(int(year), 7, 1)) if index else set()
        figures = YearFigures(year=int(year), total=total, outside=float(of_year["amount"].sum()) - total,
                              grants=int(len(of_year)),
                              priority_share=(float(frame.loc[frame["territory_id"].isin(priority), "allocation"].sum())
                                              / total) if total and priority else None,
                              contract_share=(float(frame.loc[frame["territory_id"].isin(contracts),
                                                              "allocation"].sum()) / total) if total else None,
                              most_deprived_share=None, most_deprived_population_share=None,
                              per_capita=total / frame["population"].sum() if frame["population"].sum() else None)
        if deprivation is not None:
            frame["deprivation"] = frame["territory_id"].map(deprivation.values).astype(float)
            known = frame[frame["deprivation"].notna()].reset_index(drop=True)
            if len(known) >= CLASSES and total:
                known["deprivation_class"] = deprivation_classes(known, "deprivation",
                                                                 higher_is_worse=deprivation.higher_is_worse)
                known["deprivation_rank"] = -known["deprivation"] if deprivation.higher_is_worse else known["deprivation"]
                table = class_table(known)
                figures.classes = table
                if len(table):
                    figures.most_deprived_share = float(table.iloc[0]["allocation_share"])
                    figures.most_deprived_population_share = float(table.iloc[0]["population_share"])
                figures.concentration = concentration(known, rank="deprivation_rank")
                people = known["population"].where(known["population"] > 0)
                known["per_capita"] = known["allocation"] / people
                figures.gradient = gradient_by_class(known, "per_capita", seed=int(year))
        years.append(figures)
    return {"years": years, "index": deprivation, "level": level,
            "programmes": sorted(grants["programme"].unique()) if len(grants) else []}


def year_table(years: list[YearFigures]) -> pd.DataFrame:
    """One row per year, for the export."""
    rows = []
    for y in years:
        rows.append({
            "year": y.year, "total": y.total, "outside_level": y.outside, "grants": y.grants,
            "priority_share": y.priority_share, "contract_share": y.contract_share,
            "most_deprived_quintile_share": y.most_deprived_share,
            "most_deprived_quintile_population_share": y.most_deprived_population_share,
            "per_capita": y.per_capita,
            "concentration_index": y.concentration.get("value", np.nan),
            "concentration_lower": y.concentration.get("lower", np.nan),
            "concentration_upper": y.concentration.get("upper", np.nan),
            "sii_per_capita": _number(y.gradient.get("sii")),
            "sii_lower": _number(y.gradient.get("lower")), "sii_upper": _number(y.gradient.get("upper")),
        })
    return pd.DataFrame(rows)


def _number(value) -> float:
    return np.nan if value is None else float(value)
