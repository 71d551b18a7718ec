"""A small territory tree with geometry, a catalogue and values, built with the ORM (shared by the
page tests and the browser tests).

Région 84 « Région Test » ⊃ départements 01 « Ain » and 69 « Rhône »;
01 ⊃ communes 01001 « L'Abergement-Clémenciat », 01002 « Saint-Étienne-du-Bois », 01003 « Ambérieu »;
69 ⊃ communes 69001 « Affoux », 69002 « Œuilly »; EPCI 200000001 groups 01001 and 01002;
QPV QP001 holds a quarter of 01002.

Indicators: ``mortalite`` (rate per 100,000, adverse), ``depistage`` (%, favourable),
``deces`` (a count). Among the commune values of ``mortalite`` 2021: 01003 is ``suppressed`` with
a stored value of 4321.5 and numerator 4 (that must never be published), 69001 is ``unstable``,
69002 is ``missing``. :data:`SECRET` holds the stored numbers that must never appear.
"""

from __future__ import annotations

import json

from equisante.indicators import withholding
from equisante.indicators.models import Indicator, Value
from equisante.territories.models import Membership, Population, Territory

#: Numbers stored for the suppressed value (value, numerator, lower, upper): never published.
SECRET = (4321.5, 4.0, 4011.25, 4689.75)


def square(x: float, y: float, size: float = 0.1) -> tuple[str, list[float]]:
    """GeoJSON text of a square polygon with its lower-left corner at (x, y), and its bbox."""
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]}), [x, y, x + size, y + size]


def _territory(level, code, name, parent=None, x=None, y=None, size=0.1, **extra):
    fields = {"level": level, "code": code, "name": name, "parent": parent, **extra}
    if x is not None:
        geometry, bbox = square(x, y, size)
        fields.update(geometry=geometry, min_lon=bbox[0], min_lat=bbox[1], max_lon=bbox[2], max_lat=bbox[3])
    return Territory.objects.create(**fields)


def build_sample(*, fictional: bool = False) -> dict:
    """Create the sample; returns territories by code and indicators by code."""
    f = {"fictional": fictional}
    region = _territory("region", "84", "Région Test", x=4.0, y=45.0, size=0.4, **f)
    d01 = _territory("departement", "01", "Ain", region, x=4.0, y=45.0, size=0.2, **f)
    d69 = _territory("departement", "69", "Rhône", region, x=4.2, y=45.0, size=0.2, **f)
    communes = [
        _territory("commune", "01001", "L'Abergement-Clémenciat", d01, x=4.0, y=45.0, **f),
        _territory("commune", "01002", "Saint-Étienne-du-Bois", d01, x=4.1, y=45.0, **f),
        _territory("commune", "01003", "Ambérieu", d01, x=4.0, y=45.1, **f),
        _territory("commune", "69001", "Affoux", d69, x=4.2, y=45.0, **f),
        _territory("commune", "69002", "Œuilly", d69, x=4.3, y=45.0, **f),
    ]
    epci = _territory("epci", "200000001", "CC de la Veyle", d01, **f)
    qpv = _territory("qpv", "QP001", "Quartier des Tilleuls", communes[1], **f)
    Membership.objects.create(member=communes[0], group=epci)
    Membership.objects.create(member=communes[1], group=epci)
    Membership.objects.create(member=communes[1], group=qpv, share=0.25)
    for territory, population in [(region, 250_000), (d01, 120_000), (d69, 130_000), (communes[1], 2_345)]:
        Population.objects.create(territory=territory, year=2020, population=population - 100)
        Population.objects.create(territory=territory, year=2021, population=population)

    mortalite = Indicator.objects.create(
        code="mortalite", label="Mortalité générale", unit="pour 100 000 habitants", multiplier=100_000,
        polarity="adverse", theme="Mortalité", definition="Décès toutes causes rapportés à la population.",
        source="Source fictive de test", levels="region,departement,commune", **f,
    )
    depistage = Indicator.objects.create(
        code="depistage", label="Participation au dépistage", unit="%", multiplier=100, polarity="favourable",
        theme="Prévention", levels="commune", **f,
    )
    deces = Indicator.objects.create(code="deces", label="Décès", unit="nombre", multiplier=1, polarity="adverse",
                                     theme="Mortalité", levels="commune", **f)
    rows = [
        # territory, indicator, period, value, lower, upper, numerator, denominator, state
        (region, mortalite, "2021", 900.0, 880.0, 920.0, 2250, 250_000, "ok"),
        (d01, mortalite, "2021", 850.0, 820.0, 880.0, 1020, 120_000, "ok"),
        (d69, mortalite, "2021", 946.2, 915.0, 977.0, 1230, 130_000, "ok"),
        (d01, mortalite, "2020", 840.0, 810.0, 870.0, 1008, 120_000, "ok"),
        (communes[0], mortalite, "2021", 1234.5, 1100.0, 1380.0, 300, 24_300, "ok"),
        (communes[1], mortalite, "2021", 812.3, 760.0, 866.0, 19, 2_345, "ok"),
        (communes[2], mortalite, "2021", *SECRET[:1], SECRET[2], SECRET[3], SECRET[1], 95, "suppressed"),
        (communes[3], mortalite, "2021", 1500.0, 900.0, 2300.0, 15, 1_000, "unstable"),
        (communes[4], mortalite, "2021", None, None, None, None, None, "missing"),
        (communes[1], mortalite, "2020", 700.0, 650.0, 750.0, 16, 2_300, "ok"),
        (communes[0], depistage, "2021", 35.5, 33.0, 38.0, 355, 1000, "ok"),
        (communes[1], depistage, "2021", 41.2, 39.0, 43.5, 412, 1000, "ok"),
        (communes[2], depistage, "2021", 28.9, 26.0, 31.8, 289, 1000, "ok"),
        (communes[1], deces, "2021", 19.0, None, None, None, None, "ok"),
        (communes[3], deces, "2021", 3.0, None, None, None, None, "ok"),  # a small count: withheld
    ]
    Value.objects.bulk_create([
        Value(territory=t, indicator=i, period=p, value=v, lower=lo, upper=up, numerator=n, denominator=d, state=s)
        for t, i, p, v, lo, up, n, d, s in rows
    ])
    Value.objects.create(territory=communes[1], indicator=mortalite, period="2021", sex="F", value=790.0,
                         lower=720.0, upper=860.0, numerator=9, denominator=1_200, state="ok")
    territories = {t.code: t for t in (region, d01, d69, *communes, epci, qpv)}
    indicators = {i.code: i for i in (mortalite, depistage, deces)}
    withholding.refresh()  # as every import does: decide what may be published
    return {"territories": territories, "indicators": indicators}
