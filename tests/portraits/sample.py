"""A small fictional area for the portrait tests, built with the ORM.

Région 76 « Région Portrait » ⊃ départements 34 « Littoral » and 30 « Garrigue ».
34 ⊃ communes 34001…34016; 30 ⊃ communes 30001…30004.
EPCI 200000100 « CA du Littoral » groups 34001…34012; EPCI 200000200 groups 34013…34016;
EPCI 200000300 groups 30001…30004 (three EPCI: the funnel of an EPCI has peers).
Zone CLS01 « Périmètre CLS des Étangs » (périmètre de CLS, no parent) groups 34001…34006.
Commune 34001 ⊃ IRIS 340010101…340010106.

Every territory gets a population (2021) and a deprivation score ``z`` (higher = more deprived)
that drives its values, so that gradients have a known direction:

- ``chomage`` (%, adverse): unemployed / active, proportion; rises with ``z``;
- ``revenu`` (€, favourable): median income, no interval; falls with ``z``;
- ``logement-social`` (%, neutral), ``diplomes`` (%, favourable);
- ``mortalite`` (crude rate per 100,000, adverse): deaths / population, years 2019, 2020, 2021 and
  the pooled 2019-2021; rises with ``z``;
- ``depistage`` (%, favourable): screened / invited; falls with ``z``.

Supra-communal values are sums of numerators and denominators over the communes, so that totals
are exact. Commune 34012 « Petit-Hameau » is small: its yearly deaths are below 10 (withheld by the
primary rule), which must trigger secondary suppression.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from equisante import stats
from equisante.indicators import withholding
from equisante.indicators.models import Indicator, Value
from equisante.territories.models import Membership, Population, Territory

YEARS = ("2019", "2020", "2021")
POOLED = "2019-2021"
SMALL = "34012"


def square(x: float, y: float, size: float = 0.05) -> dict:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"geometry": json.dumps({"type": "Polygon", "coordinates": [ring]}),
            "min_lon": x, "min_lat": y, "max_lon": x + size, "max_lat": y + size}


def _commune_specs() -> list[dict]:
    specs = []
    for i in range(1, 17):
        code = f"340{i:02d}"
        population = 400 if code == SMALL else 2_000 + 700 * ((i * 7) % 11)
        z = ((i * 5) % 16) / 7.5 - 1.0  # spread between -1 and 1, not sorted by code
        specs.append({"code": code, "name": f"Commune {i:02d}" if code != SMALL else "Petit-Hameau",
                      "dept": "34", "population": population, "z": z, "x": 3.0 + 0.05 * ((i - 1) % 4),
                      "y": 43.5 + 0.05 * ((i - 1) // 4)})
    for i in range(1, 5):
        specs.append({"code": f"300{i:02d}", "name": f"Garrigue {i}", "dept": "30", "population": 3_000 + 500 * i,
                      "z": (i - 2.5) / 2, "x": 4.0 + 0.05 * i, "y": 43.8})
    return specs


def _counts(population: float, z: float, *, year_index: int = 0) -> dict:
    """Numerators and denominators of one territory (deterministic)."""
    active = round(population * 0.45)
    invited = round(population * 0.30)
    households = round(population * 0.42)
    adults = round(population * 0.70)
    deaths = [round(population * (0.0095 + 0.0035 * z) * (1 + 0.04 * (k - 1))) for k in range(3)]
    return {
        "chomage": (round(active * (0.09 + 0.04 * z)), active),
        "logement-social": (round(households * (0.18 + 0.08 * z)), households),
        "diplomes": (round(adults * (0.74 - 0.08 * z)), adults),
        "depistage": (round(invited * (0.34 - 0.06 * z)), invited),
        "deaths": deaths,
        "population": population,
        "revenu": 21_500 - 2_800 * z,
    }


INDICATORS = [
    ("chomage", "Taux de chômage des 15-64 ans", "%", "adverse", 100, "Conditions socio-économiques"),
    ("revenu", "Revenu fiscal médian par unité de consommation", "€", "favourable", 1, "Conditions socio-économiques"),
    ("logement-social", "Part des ménages locataires d'un logement social", "%", "neutral", 100,
     "Conditions socio-économiques"),
    ("diplomes", "Part des diplômés parmi les 15 ans ou plus", "%", "favourable", 100, "Conditions socio-économiques"),
    ("mortalite", "Taux brut de mortalité toutes causes", "pour 100 000", "adverse", 100_000, "Mortalité"),
    ("depistage", "Participation au dépistage du cancer colorectal", "%", "favourable", 100, "Prévention"),
]


def _proportion(x: float, n: float, multiplier: float) -> tuple[float, float, float]:
    out = stats.proportion(pd.DataFrame({"x": [x], "n": [n]}), "x", "n", multiplier=multiplier).iloc[0]
    return float(out["value"]), float(out["lower"]), float(out["upper"])


def _rate(x: float, n: float) -> tuple[float, float, float]:
    out = stats.rate(pd.DataFrame({"x": [x], "n": [n]}), "x", "n", multiplier=100_000).iloc[0]
    return float(out["value"]), float(out["lower"]), float(out["upper"])


def _values_for(territory: Territory, counts: dict, indicators: dict) -> list[Value]:
    rows = []
    for code in ("chomage", "logement-social", "diplomes", "depistage"):
        x, n = counts[code]
        value, lower, upper = _proportion(x, n, 100)
        rows.append(Value(indicator=indicators[code], territory=territory, period="2021", numerator=x, denominator=n,
                          value=value, lower=lower, upper=upper, state="ok"))
    rows.append(Value(indicator=indicators["revenu"], territory=territory, period="2021", value=counts["revenu"],
                      denominator=counts["population"], state="ok"))
    population = counts["population"]
    for year, deaths in zip(YEARS, counts["deaths"], strict=True):
        value, lower, upper = _rate(deaths, population)
        rows.append(Value(indicator=indicators["mortalite"], territory=territory, period=year, numerator=deaths,
                          denominator=population, value=value, lower=lower, upper=upper, state="ok"))
    pooled = sum(counts["deaths"])
    value, lower, upper = _rate(pooled, population * 3)
    rows.append(Value(indicator=indicators["mortalite"], territory=territory, period=POOLED, numerator=pooled,
                      denominator=population * 3, value=value, lower=lower, upper=upper, state="ok"))
    return rows


def _sum(parts: list[dict]) -> dict:
    total = {"population": sum(p["population"] for p in parts),
             "deaths": [sum(p["deaths"][k] for p in parts) for k in range(3)],
             "revenu": float(np.average([p["revenu"] for p in parts], weights=[p["population"] for p in parts]))}
    for code in ("chomage", "logement-social", "diplomes", "depistage"):
        total[code] = (sum(p[code][0] for p in parts), sum(p[code][1] for p in parts))
    return total


def build_portrait_sample(*, fictional: bool = True) -> dict:
    """Create the sample; returns territories by code, indicators by code and counts by code."""
    f = {"fictional": fictional}
    region = Territory.objects.create(level="region", code="76", name="Région Portrait",
                                      **square(2.9, 43.4, 1.5), **f)
    departements = {
        "34": Territory.objects.create(level="departement", code="34", name="Littoral", parent=region,
                                       **square(2.95, 43.45, 0.4), **f),
        "30": Territory.objects.create(level="departement", code="30", name="Garrigue", parent=region,
                                       **square(3.95, 43.75, 0.3), **f),
    }
    indicators = {code: Indicator.objects.create(code=code, label=label, unit=unit, polarity=polarity,
                                                 multiplier=multiplier, theme=theme, **f)
                  for code, label, unit, polarity, multiplier, theme in INDICATORS}
    territories = {"76": region, **departements}
    counts: dict[str, dict] = {}
    values: list[Value] = []
    for spec in _commune_specs():
        commune = Territory.objects.create(level="commune", code=spec["code"], name=spec["name"],
                                           parent=departements[spec["dept"]], **square(spec["x"], spec["y"]), **f)
        territories[spec["code"]] = commune
        counts[spec["code"]] = _counts(spec["population"], spec["z"])
        counts[spec["code"]]["z"] = spec["z"]
    epcis = {
        "200000100": ("CA du Littoral", "34", [f"340{i:02d}" for i in range(1, 13)]),
        "200000200": ("CC des Vignes", "34", [f"340{i:02d}" for i in range(13, 17)]),
        "200000300": ("CC de la Garrigue", "30", [f"300{i:02d}" for i in range(1, 5)]),
    }
    groups = {}
    for code, (name, dept, members) in epcis.items():
        epci = Territory.objects.create(level="epci", code=code, name=name, parent=departements[dept], **f)
        territories[code] = epci
        groups[code] = members
    zone = Territory.objects.create(level="zone", code="CLS01", name="Périmètre CLS des Étangs",
                                    zone_type="périmètre de CLS", **f)
    territories["CLS01"] = zone
    groups["CLS01"] = [f"340{i:02d}" for i in range(1, 7)]
    for code, members in groups.items():
        Membership.objects.bulk_create([Membership(member=territories[m], group=territories[code]) for m in members])
        counts[code] = _sum([counts[m] for m in members])
    for dept in ("34", "30"):
        counts[dept] = _sum([counts[c] for c in counts if len(c) == 5 and c.startswith(dept)])
    counts["76"] = _sum([counts["34"], counts["30"]])
    # IRIS of 34001: six parts of the commune with their own deprivation
    iris_pop = [500, 600, 700, 800, 900, 1000]
    base = territories["34001"]
    for k, population in enumerate(iris_pop, start=1):
        code = f"34001010{k}"
        iris = Territory.objects.create(level="iris", code=code, name=f"Quartier {k}", parent=base,
                                        **square(3.0 + 0.008 * k, 43.5, 0.008), **f)
        territories[code] = iris
        counts[code] = _counts(population, (k - 3.5) / 2.5)
        counts[code]["z"] = (k - 3.5) / 2.5
    for code, territory in territories.items():
        if code in counts:
            values += _values_for(territory, counts[code], indicators)
            Population.objects.create(territory=territory, year=2021, population=counts[code]["population"])
    Value.objects.bulk_create(values)
    # a deprivation measure stored as an indicator (the score z itself; higher = more deprived)
    score = Indicator.objects.create(code="defavorisation", label="Score de défavorisation", unit="score",
                                     polarity="adverse", multiplier=1, theme="Défavorisation", **f)
    indicators["defavorisation"] = score
    Value.objects.bulk_create([Value(indicator=score, territory=territories[code], period="2021", value=data["z"],
                                     state="ok")
                               for code, data in counts.items() if "z" in data])
    withholding.refresh()  # as every import does: decide what may be published
    return {"territories": territories, "indicators": indicators, "counts": counts}
