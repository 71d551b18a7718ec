"""Write a generated demonstration region into the database (application layer).

:func:`load_region` writes a :class:`~equisante.demo.generator.DemoRegion` in ONE transaction,
through the product's own importers, so that the demonstration data pass the checks any user's
data pass:

1. territories, level by level (région, départements, EPCI, communes, IRIS, QPV, ZIP zones) with
   :func:`~equisante.territories.importing.import_territories` fed GeoJSON: geometries simplified
   and bounding boxes computed as for any import, every territory flagged ``fictional``;
2. memberships (commune → EPCI, QPV, zone) with
   :func:`~equisante.territories.importing.import_memberships`;
3. populations of every year (persons);
4. the indicator catalogue (:func:`~equisante.indicators.importing.import_catalogue`, indicators
   flagged ``fictional``) and the values of :func:`equisante.demo.values.indicator_values`
   (:func:`~equisante.indicators.importing.import_values`);
5. the demonstration data of other areas: each module of :data:`EXTRA_LOADERS` that exists.

Demo data are recognised by their codes: territories flagged ``fictional`` whose code starts with
``X`` (no official code contains that letter) and indicators whose code starts with ``demo-``.
:func:`clear_demo` removes exactly those (their memberships, populations and values go with them).
"""

from __future__ import annotations

import importlib
import io
import json
import time
from dataclasses import dataclass, field

import pandas as pd
from django.db import transaction

import equisante.demo.problems  # noqa: F401  (declares the demo_* catalogue entries)
from equisante.demo.generator import DemoRegion
from equisante.demo.values import indicator_values
from equisante.errors import EquisanteError
from equisante.indicators.importing import import_catalogue, import_values
from equisante.indicators.models import Indicator
from equisante.indicators.reading import CATALOGUE_COLUMNS
from equisante.territories.importing import import_memberships, import_territories
from equisante.territories.levels import ORDER, Level
from equisante.territories.models import Population, Territory

#: Modules of other areas that add their own demonstration data. Each exposes ``clear() -> None``
#: (remove what it added; called before the demo territories are deleted) and
#: ``load(region) -> str`` (add its data for ``region``; returns a French summary line). A module
#: that does not exist is skipped.
EXTRA_LOADERS = ["equisante.prioritisation.demo", "equisante.contracts.demo", "equisante.followup.demo",
                 "equisante.calls.demo", "equisante.allocation.demo"]

#: The demonstration account (README): created when absent, never modified when present.
DEMO_USERNAME = "admin"
DEMO_PASSWORD = "equisante-demo"
#: Prefixes that mark demo data (territory codes, indicator codes).
TERRITORY_PREFIX = "X"
INDICATOR_PREFIX = "demo-"

#: Levels in the order they must be written (a parent before its children); parent level of each.
_LOAD_ORDER = [Level.REGION, Level.DEPARTEMENT, Level.EPCI, Level.COMMUNE, Level.IRIS, Level.QPV, Level.ZONE]
_NOUNS = {
    "region": ("région", "régions"), "departement": ("département", "départements"), "epci": ("EPCI", "EPCI"),
    "commune": ("commune", "communes"), "iris": ("IRIS", "IRIS"),
    "qpv": ("quartier prioritaire", "quartiers prioritaires"), "zone": ("zone ZIP", "zones ZIP"),
}


@dataclass
class LoadReport:
    """What :func:`load_region` wrote (counts) and how long it took (seconds)."""

    seed: int
    name: str
    territories: dict[str, int] = field(default_factory=dict)
    memberships: int = 0
    populations: int = 0
    years: tuple[int, ...] = ()
    indicators: int = 0
    values: int = 0
    values_by_state: dict[str, int] = field(default_factory=dict)
    replaced: bool = False
    extras: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    withholding: object | None = None  # equisante.indicators.withholding.RefreshReport

    def summary(self) -> str:
        """French summary, one line per kind of data."""
        parts = [f"{_n(count)} {_NOUNS[level][0 if count == 1 else 1]}"
                 for level, count in self.territories.items() if count]
        states = self.values_by_state
        lines = [
            f"{self.name} {'remplacée' if self.replaced else 'chargée'} (graine {self.seed}) — données fictives.",
            f"Territoires : {', '.join(parts)} (codes contenant « X », signalés « fictif »).",
            f"Appartenances : {_n(self.memberships)} ; populations : {_n(self.populations)} "
            f"({self.years[0]} à {self.years[-1]}).",
            f"Indicateurs : {_n(self.indicators)} (codes demo-…) ; valeurs : {_n(self.values)} avec intervalles de "
            f"confiance à 95 % ({_n(states.get('ok', 0))} disponibles, {_n(states.get('unstable', 0))} fragiles, "
            f"{_n(states.get('suppressed', 0))} non publiables).",
        ]
        if self.withholding is not None:
            decided = self.withholding
            lines.append(f"Secret statistique (seuil {decided.threshold}) : {_n(decided.primary)} valeurs masquées "
                         f"(secret primaire) et {_n(decided.secondary)} masquées en complément (secret secondaire) "
                         f"sur {_n(decided.cells)}.")
        lines += self.extras
        return "\n".join(lines)


def _n(count: int) -> str:
    return f"{count:,}".replace(",", "\u202f")


# --- what is there ----------------------------------------------------------------------------------

def demo_territories():
    """The demo territories in the database (fictional, code starting with ``X``)."""
    return Territory.objects.filter(fictional=True, code__startswith=TERRITORY_PREFIX)


def demo_indicators():
    """The demo indicators in the database (code starting with ``demo-``)."""
    return Indicator.objects.filter(code__startswith=INDICATOR_PREFIX)


def existing_demo_region() -> Territory | None:
    """The demo région already in the database, or None."""
    return demo_territories().filter(level=Level.REGION.value).order_by("code").first()


def refuse_if_loaded() -> None:
    """Raise ``demo_exists`` (French message naming ``--replace``) when a demo région is loaded."""
    previous = existing_demo_region()
    if previous is not None:
        raise EquisanteError("demo_exists", name=previous.name, code=previous.code,
                             communes=demo_territories().filter(level=Level.COMMUNE.value).count())


def has_territories() -> bool:
    """Does the database hold any territory at all (demo or not)?"""
    return Territory.objects.exists()


# --- writing -------------------------------------------------------------------------------------------

def load_region(region: DemoRegion, *, replace: bool = False) -> LoadReport:
    """Write ``region`` into the database in one transaction (see the module doc).

    When a demo région is already there: refused with ``demo_exists`` (nothing changes), unless
    ``replace``: then every extra loader's ``clear()`` runs, the previous demo data are deleted and
    the new region written, all in the same transaction.
    """
    report = LoadReport(seed=region.seed, name=region.name, years=region.years)
    started = time.perf_counter()
    with transaction.atomic():
        if existing_demo_region() is not None:
            if not replace:
                refuse_if_loaded()
            clear_demo()
            report.replaced = True
        mark = time.perf_counter()
        report.territories = _write_territories(region)
        report.memberships = _write_memberships(region)
        report.populations = _write_populations(region)
        report.seconds["territoires"] = time.perf_counter() - mark

        mark = time.perf_counter()
        values = indicator_values(region)
        report.seconds["calcul des valeurs"] = time.perf_counter() - mark
        mark = time.perf_counter()
        report.indicators = _write_catalogue(region)
        report.values = _write_values(region, values)
        # what may be published, decided once over each indicator's whole cube
        from equisante.indicators import withholding

        mark_withholding = time.perf_counter()
        report.withholding = withholding.refresh(list(demo_indicators()))
        report.seconds["secret statistique"] = time.perf_counter() - mark_withholding
        report.values_by_state = values["state"].value_counts().to_dict()
        report.seconds["indicateurs"] = time.perf_counter() - mark

        mark = time.perf_counter()
        for module in _extra_modules():
            begun = time.perf_counter()
            report.extras.append(module.load(region))
            report.seconds[module.__name__] = time.perf_counter() - begun
        report.seconds["autres données"] = time.perf_counter() - mark
    report.seconds["total"] = time.perf_counter() - started
    return report


def clear_demo() -> dict[str, int]:
    """Remove the demo data: first each extra loader's own (``clear()``), then the demo indicators
    and territories with their values, memberships and populations. Returns the counts deleted.
    Runs inside the caller's transaction when there is one."""
    with transaction.atomic():
        for module in _extra_modules():
            module.clear()
        indicators = demo_indicators().count()
        territories = demo_territories().count()
        demo_indicators().delete()
        demo_territories().delete()
    return {"indicators": indicators, "territories": territories}


def ensure_demo_user() -> bool:
    """Create the demonstration superuser ``admin`` / ``equisante-demo`` when no ``admin`` exists;
    an existing account is left as it is (its password may have been changed). True if created."""
    from django.contrib.auth import get_user_model

    model = get_user_model()
    if model.objects.filter(username=DEMO_USERNAME).exists():
        return False
    model.objects.create_superuser(username=DEMO_USERNAME, email="", password=DEMO_PASSWORD)
    return True


def _extra_modules():
    """The extra loader modules that exist, in the order of :data:`EXTRA_LOADERS`."""
    modules = []
    for name in EXTRA_LOADERS:
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:  # the module exists but something it needs does not: a real error
                raise
    return modules


def _write_territories(region: DemoRegion) -> dict[str, int]:
    """Every territory, a level at a time, through the GeoJSON importer (parents first)."""
    counts = {}
    table = region.territories
    for level in _LOAD_ORDER:
        rows = table[table["level"] == level.value]
        if rows.empty:
            continue
        features = []
        for row in rows.itertuples(index=False):
            properties = {"code": row.code, "nom": row.name}
            if row.parent_code:
                properties["parent"] = row.parent_code
            features.append({"type": "Feature", "properties": properties, "geometry": region.geometries[row.code]})
        data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
        has_parent = bool(rows["parent_code"].astype(bool).any())
        zone_type = str(rows["zone_type"].iloc[0]) if level == Level.ZONE else ""
        report = import_territories(
            data, level=level, vintage=region.vintage, parent_field="parent" if has_parent else None,
            fictional=True, zone_type=zone_type, name=f"demo-{level.value}.geojson")
        counts[level.value] = report.total
    return {lv.value: counts.get(lv.value, 0) for lv in ORDER}


def _write_memberships(region: DemoRegion) -> int:
    """Commune → EPCI, QPV (share of the commune's population) and zone, through the importer."""
    total = 0
    links = region.memberships
    for (member_level, group_level), rows in links.groupby(["member_level", "group_level"], sort=True):
        table = rows.rename(columns={"member_code": "member", "group_code": "group"})[["member", "group", "share"]]
        report = import_memberships(
            _csv(table), member_level=member_level, group_level=group_level, vintage=region.vintage,
            member_column="member", group_column="group", share_column="share", check_codes=False,
            name=f"demo-{member_level}-{group_level}.csv")
        total += report.total
    return total


def _write_populations(region: DemoRegion) -> int:
    """Population of every territory and year (persons)."""
    ids = {(level, code): pk for level, code, pk in
           demo_territories().filter(vintage=region.vintage).values_list("level", "code", "id")}
    rows = [Population(territory_id=ids[(r.level, r.code)], year=int(r.year), population=int(r.population),
                       source=f"{region.name} — données fictives")
            for r in region.populations.itertuples(index=False)]
    Population.objects.bulk_create(rows, batch_size=1000, update_conflicts=True,
                                   unique_fields=["territory", "year"], update_fields=["population", "source"])
    return len(rows)


def _write_catalogue(region: DemoRegion) -> int:
    """The demo indicators, through the catalogue importer, then flagged ``fictional``."""
    catalogue = region.catalogue[CATALOGUE_COLUMNS]
    import_catalogue(_csv(catalogue), name="demo-catalogue.csv")
    Indicator.objects.filter(code__in=list(catalogue["code"])).update(fictional=True)
    return len(catalogue)


def _write_values(region: DemoRegion, values: pd.DataFrame) -> int:
    """The computed values, through the values importer (long layout)."""
    report = import_values(_csv(values), layout="long", vintage=region.vintage, name="demo-valeurs.csv")
    return report.rows


def _csv(frame: pd.DataFrame) -> bytes:
    """A table as the importers read it: UTF-8, ``;``-separated, full float precision."""
    buffer = io.StringIO()
    frame.to_csv(buffer, sep=";", index=False)
    return buffer.getvalue().encode("utf-8")
