"""The thin Django side of the records path: the store's communes, and the import of computed values.

Everything else in :mod:`equisante.records` is pure. Values enter the store through the normal
validated import of :mod:`equisante.indicators.importing` (a catalogue line and a long-layout file made
in memory): the same checks, the same all-or-nothing rule, the same confidentiality as any import.
"""

from __future__ import annotations

import io

import pandas as pd

from equisante.errors import EquisanteError
from equisante.records.compute import catalogue_table, value_table
from equisante.records.definition import Definition

__all__ = ["commune_codes", "store_population", "import_indicator"]


def commune_codes(vintage: int | None = None) -> tuple[int | None, list[str]]:
    """(vintage, codes) of the store's communes: of ``vintage``, else of the most recent vintage."""
    from equisante.territories.models import Territory

    communes = Territory.objects.filter(level="commune")
    if vintage is None:
        latest = communes.order_by("-vintage").values_list("vintage", flat=True).first()
        if latest is None:
            return None, []
        vintage = int(latest)
    return vintage, sorted(communes.filter(vintage=vintage).values_list("code", flat=True))


def store_population(vintage: int, codes: list[str]) -> pd.DataFrame | None:
    """``commune, sex, age_band, population, deprivation`` for the generator: the demonstration region's
    own structure when the store holds it, else the store's populations spread over the 19 ESP bands."""
    from equisante.demo.generator import generate_region
    from equisante.records.synthetic import population_of_region
    from equisante.territories.models import Population

    if codes and all("X" in code for code in codes):  # only the fictional region's codes contain an X
        try:
            region = generate_region(n_communes=len(codes), with_iris=False)
            if sorted(region.communes["code"]) == sorted(codes):
                return population_of_region(region)
        except ValueError:
            pass
    rows = (Population.objects.filter(territory__level="commune", territory__vintage=vintage)
            .order_by("territory__code", "-year").values_list("territory__code", "population"))
    totals: dict[str, int] = {}
    for code, population in rows:
        totals.setdefault(code, population)
    if not totals:
        return None
    from equisante.stats import ESP2013

    shares = ESP2013 / ESP2013.sum()
    labels = [f"{a}-{a + 4}" for a in range(0, 90, 5)] + ["90+"]
    records = []
    for code, total in totals.items():
        for sex in ("F", "H"):
            for label, share in zip(labels, shares):
                records.append((code, sex, label, max(0, round(total * share / 2)), 0.0))
    return pd.DataFrame(records, columns=["commune", "sex", "age_band", "population", "deprivation"])


def import_indicator(definition: Definition, values: pd.DataFrame, *, vintage: int | None, progress=None):
    """Import the catalogue line and the values of ``definition`` (all or nothing); the import report."""
    from equisante.indicators.importing import import_values

    table = value_table(values, definition, vintage=vintage)
    if table.empty:
        raise EquisanteError("records_no_territories", vintage=vintage if vintage is not None else "—")
    values_csv = _csv(table)
    catalogue_csv = _csv(catalogue_table(definition))
    return import_values(values_csv, catalogue=catalogue_csv, name=f"{definition.code} (enregistrements)",
                         vintage=vintage, progress=progress)


def _csv(frame: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8")
