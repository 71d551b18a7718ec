"""A small, hand-checkable data set for the prioritisation tests (built with the ORM).

Région XT ⊃ départements XT1 (communes C1, C2, C3) and XT2 (C4, C5); EPCI XTE1 = C1 + C2;
QPV XTQ1 inside C2 (a quarter of its population); ZIP zone XTZ1 = C1 + C2.

IDH-2 inputs (life expectancy 2019-2021, diploma share 2021, income 2021) are those of the worked
example of docs/indices.md plus C5: observed bounds life 78–86, diploma 55–85, income 14,000–30,000,
so IDH-2 = 0, 1/3, 0.5972, 1 and (0.375 + 0.3333 + 0.375) / 3 = 0.3611 for C5.

FDep inputs are exact linear functions of income (bac = 20 + income/1000, blue collar =
50 − income/1000, unemployment = 40 − income/1000): every correlation is ±1, the loadings are ±½
and FDep = −2 × z(income), z with divisor N (mean 20,800, sd √28,160,000).
An older income period (2020) exists with other values, to check the choice of period.
"""

from __future__ import annotations

from equisante.indicators import withholding
from equisante.indicators.models import Indicator, Value
from equisante.territories.models import Membership, Population, Territory

from portal.sample import square

LIFE = {"C1": 78, "C2": 80, "C3": 83, "C4": 86, "C5": 81}
DIPLOMA = {"C1": 55, "C2": 70, "C3": 75, "C4": 85, "C5": 65}
INCOME = {"C1": 14000, "C2": 18000, "C3": 22000, "C4": 30000, "C5": 20000}
POPULATION = {"C1": 1000, "C2": 3000, "C3": 2000, "C4": 4000, "C5": 1000}
IDH2 = {"C1": 0.0, "C2": 1 / 3, "C3": (0.625 + 2 / 3 + 0.5) / 3, "C4": 1.0, "C5": (0.375 + 1 / 3 + 0.375) / 3}
NAMES = {"C1": "Aubrac", "C2": "Belmont", "C3": "Cendras", "C4": "Durfort", "C5": "Estaing"}
CODES = {
    "life_expectancy": "t-esperance-vie", "diploma_share": "t-part-diplomes", "income": "t-revenu",
    "bac_share": "t-part-bac", "blue_collar_share": "t-part-ouvriers", "unemployment": "t-chomage",
}


def _territory(level, code, name, parent=None, x=None, y=None, size=0.1, **extra):
    fields = {"level": level, "code": code, "name": name, "parent": parent, "fictional": True, **extra}
    if x is not None:
        geometry, bbox = square(x, y, size)
        fields.update(geometry=geometry, min_lon=bbox[0], min_lat=bbox[1], max_lon=bbox[2], max_lat=bbox[3])
    return Territory.objects.create(**fields)


def build() -> dict:
    """Create the sample; returns territories by code and indicators by role."""
    region = _territory("region", "XT", "Région d'essai", x=2.0, y=45.0, size=0.5)
    d1 = _territory("departement", "XT1", "Premier", region, x=2.0, y=45.0, size=0.3)
    d2 = _territory("departement", "XT2", "Second", region, x=2.3, y=45.0, size=0.2)
    positions = {"C1": (2.0, 45.0), "C2": (2.1, 45.0), "C3": (2.0, 45.1), "C4": (2.3, 45.0), "C5": (2.4, 45.0)}
    communes = {}
    for code, (x, y) in positions.items():
        communes[code] = _territory("commune", code, NAMES[code], d1 if code in ("C1", "C2", "C3") else d2, x=x, y=y)
    epci = _territory("epci", "XTE1", "CC d'essai", d1, x=2.0, y=45.0, size=0.2)
    qpv = _territory("qpv", "XTQ1", "Quartier des Essais", communes["C2"], x=2.12, y=45.02, size=0.04)
    zone = _territory("zone", "XTZ1", "ZIP d'essai", None, x=2.0, y=45.0, size=0.2, zone_type="ZIP")
    for member in ("C1", "C2"):
        Membership.objects.create(member=communes[member], group=epci)
        Membership.objects.create(member=communes[member], group=zone)
    Membership.objects.create(member=communes["C2"], group=qpv, share=0.25)
    for code, population in POPULATION.items():
        Population.objects.create(territory=communes[code], year=2021, population=population)
        Population.objects.create(territory=communes[code], year=2015, population=population // 2)

    def indicator(role, label, unit, polarity):
        return Indicator.objects.create(code=CODES[role], label=label, unit=unit, polarity=polarity,
                                        multiplier=100 if unit == "%" else 1, fictional=True)

    indicators = {
        "life_expectancy": indicator("life_expectancy", "Espérance de vie", "années", "favourable"),
        "diploma_share": indicator("diploma_share", "Part des diplômés", "%", "favourable"),
        "income": indicator("income", "Revenu médian par UC", "€", "favourable"),
        "bac_share": indicator("bac_share", "Part des bacheliers", "%", "favourable"),
        "blue_collar_share": indicator("blue_collar_share", "Part des ouvriers", "%", "neutral"),
        "unemployment": indicator("unemployment", "Taux de chômage", "%", "adverse"),
    }
    rows = []
    for code, commune in communes.items():
        income = INCOME[code]
        by_role = {
            ("life_expectancy", "2019-2021"): LIFE[code],
            ("diploma_share", "2021"): DIPLOMA[code],
            ("income", "2021"): income,
            ("income", "2020"): income * 2,  # an older period: must not be picked for 2021
            ("bac_share", "2021"): 20 + income / 1000,
            ("blue_collar_share", "2021"): 50 - income / 1000,
            ("unemployment", "2021"): 40 - income / 1000,
        }
        for (role, period), value in by_role.items():
            rows.append(Value(indicator=indicators[role], territory=commune, period=period, value=float(value),
                              state="ok"))
    Value.objects.bulk_create(rows)
    withholding.refresh()  # as every import does: decide what may be published
    territories = {t.code: t for t in (region, d1, d2, *communes.values(), epci, qpv, zone)}
    return {"territories": territories, "indicators": indicators}


def define_indices() -> dict:
    """IDH-2 and FDep definitions over the sample's indicators."""
    from equisante.prioritisation.definitions import standard_definitions
    from equisante.prioritisation.models import IndexDefinition

    codes = dict(CODES)
    # EDI is not in the sample: give it placeholder codes, it is not defined below
    out = {}
    for data in standard_definitions({**{k: f"x-{k}" for k in (
            "overcrowding", "no_heating", "non_owner", "foreign", "no_car", "unskilled_workers",
            "large_households", "low_education", "single_parent")}, **codes}):
        if data["code"] == "edi":
            continue
        out[data["code"]] = IndexDefinition.objects.create(**data, fictional=True)
    return out


def build_with_indices() -> dict:
    """:func:`build` with IDH-2 and FDep computed for communes and départements and the eligibility rule
    « IDH-2 < 0,52 » (C1, C2, C5 eligible): what allocation scenarios read."""
    from equisante.prioritisation import rules
    from equisante.prioritisation.computing import compute

    built = build()
    built["definitions"] = define_indices()
    rules.save_rule(built["definitions"]["idh2"], code="cls-idh2", label="IDH-2 < 0,52", operator="<",
                    threshold=0.52, valid_from="2011-01-01", eligibility=True, primary=True)
    for level in ("commune", "departement"):
        compute("idh2", level)
        compute("fdep", level)
    return built
