"""Import territories (GeoJSON boundaries, INSEE COG files), memberships and populations
(application layer).

All or nothing: the reader checks the input (:mod:`equisante.territories.reading`), then the
database checks run (each parent or member exists); at the first problem the whole input is refused
with :class:`~equisante.errors.InputRejected` and nothing is written. Otherwise everything is
written in one transaction with bulk upserts keyed on (level, code, vintage) — ``INSERT … ON
CONFLICT DO UPDATE``, on SQLite (≥ 3.24) as on PostgreSQL. Only new and changed rows are sent, so
re-importing the same file changes nothing and reports every territory as unchanged.

What an import writes: name, ``fictional`` and, when the input has them, geometry and bounding box
(GeoJSON), parent (``parent_field``, ``parent_from_code`` or a COG parent column), zone type and
populations (one year). What it leaves: the fields the input lacks (a COG import keeps the
geometries of an earlier GeoJSON import, an import without parents keeps the links made before) and
the territories absent from the input (an import adds and updates, it never deletes).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from equisante.errors import InputRejected, Location, Problem
from equisante.numbers import plural
from equisante.territories.levels import PARENT_LEVEL, Level, parse_level
from equisante.territories.models import Membership, Population, Territory
from equisante.territories.reading import (
    DEFAULT_TOLERANCE,
    Reading,
    TerritoryRecord,
    read_cog,
    read_geojson,
    read_memberships,
)
from equisante.territories.reading._common import Source, clean_zone_type, who

#: ``progress(stage, done, total)``: called while reading, checking and writing (stage in French).
Progress = Callable[[str, int, int], None]

#: Vintage (COG edition year) given to territories when the caller names none: the model's default.
DEFAULT_VINTAGE: int = Territory._meta.get_field("vintage").default
#: Plausible COG editions (the code officiel géographique dates from 1943).
VINTAGE_RANGE = (1943, 2100)
#: Plausible census years (INSEE's historical series start in 1876).
POPULATION_YEARS = (1800, 2100)
#: Levels whose code begins with the parent's code (``parent_from_code``).
PARENT_FROM_CODE = {Level.COMMUNE: Level.DEPARTEMENT, Level.IRIS: Level.COMMUNE}
#: Rows per INSERT statement (SQLite lowers it further to stay under its parameter limit).
BATCH = 1000

# (singular, plural, feminine) of each level in the French summaries.
_NOUNS = {
    Level.REGION: ("région", "régions", True),
    Level.DEPARTEMENT: ("département", "départements", False),
    Level.EPCI: ("EPCI", "EPCI", False),
    Level.COMMUNE: ("commune", "communes", True),
    Level.IRIS: ("IRIS", "IRIS", False),
    Level.QPV: ("quartier prioritaire", "quartiers prioritaires", False),
    Level.ZONE: ("zone", "zones", True),
}


def _n(count: int) -> str:
    """A count with French thousands separators (narrow no-break space): 35 357."""
    return f"{count:,}".replace(",", "\u202f")


def _agreed(word: str, count: int, feminine: bool) -> str:
    """``word`` (a masculine singular participle) agreed in gender and number (singular below 2,
    as in « 0 mise à jour », « 2 mises à jour »)."""
    head, _, tail = word.partition(" ")
    head += "e" if feminine else ""
    if abs(count) >= 2:
        head += "" if head.endswith("s") else "s"
    return f"{head} {tail}".strip()


def _counted(count: int, singular: str, plural_form: str) -> str:
    """« 1 ligne ignorée », « 1 276 lignes ignorées »: the count with its thousands separators."""
    return plural(count, singular, plural_form, number=_n(count))


@dataclass
class PopulationCounts:
    """Population rows written by an import (one year)."""

    year: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportReport:
    """What a territory import did (counts of territories)."""

    source: str
    level: str
    vintage: int
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    repaired: int = 0
    skipped: int = 0
    linked: int = 0
    unlinked: int = 0
    populations: PopulationCounts | None = None

    def summary(self) -> str:
        """French summary, e.g. « 1 276 communes importées (1 276 créées, 0 mise à jour) »."""
        singular, plural_noun, feminine = _NOUNS[Level(self.level)]
        noun = singular if abs(self.total) < 2 else plural_noun
        line = (f"{_n(self.total)} {noun} {_agreed('importé', self.total, feminine)} "
                f"({_n(self.created)} {_agreed('créé', self.created, feminine)}, "
                f"{_n(self.updated)} {_agreed('mis à jour', self.updated, feminine)}")
        if self.unchanged:
            line += f", {_n(self.unchanged)} {_agreed('inchangé', self.unchanged, feminine)}"
        lines = [line + f") — millésime {self.vintage}, {self.source}."]
        if self.repaired:
            lines.append(_counted(self.repaired, "géométrie invalide réparée", "géométries invalides réparées")
                         + " (option --repair).")
        if self.linked or self.unlinked:
            linked = _agreed("rattaché", self.linked, feminine)
            text = _counted(self.linked, f"{singular} {linked} à son parent",
                            f"{plural_noun} {linked} à leur parent")
            if self.unlinked:
                text += f" ; {_n(self.unlinked)} sans parent (parent déduit du code absent de la base)"
            lines.append(text + ".")
        if self.skipped:
            lines.append(_counted(self.skipped, "ligne ignorée", "lignes ignorées")
                         + " (communes déléguées, associées ou arrondissements municipaux : TYPECOM autre que "
                         "ceux demandés).")
        if self.populations is not None:
            p = self.populations
            lines.append(f"Populations {p.year} : {_counted(p.created, 'créée', 'créées')}, "
                         f"{_counted(p.updated, 'mise à jour', 'mises à jour')}, "
                         f"{_counted(p.unchanged, 'inchangée', 'inchangées')}.")
        return "\n".join(lines)


@dataclass
class MembershipReport:
    """What a membership import did (counts of member → group links)."""

    source: str
    member_level: str
    group_level: str
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0

    def summary(self) -> str:
        member, group = (_NOUNS[Level(self.member_level)][0], _NOUNS[Level(self.group_level)][0])
        total = _counted(self.total, f"appartenance {member} → {group} importée",
                         f"appartenances {member} → {group} importées")
        line = (f"{total} ({_counted(self.created, 'créée', 'créées')}, "
                f"{_counted(self.updated, 'mise à jour', 'mises à jour')}, "
                f"{_counted(self.unchanged, 'inchangée', 'inchangées')}) — {self.source}.")
        if self.skipped:
            line += ("\n" + _counted(self.skipped, "ligne ignorée", "lignes ignorées")
                     + " (commune hors EPCI : ZZZZZZZZZ).")
        return line


# --- Entry points --------------------------------------------------------------------------------


def import_territories(
    path: Source,
    *,
    level: str | Level,
    vintage: int = DEFAULT_VINTAGE,
    code_field: str = "code",
    name_field: str = "nom",
    parent_field: str | None = None,
    parent_level: str | Level | None = None,
    parent_from_code: bool = False,
    population_field: str | None = None,
    population_year: int | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    repair: bool = False,
    fictional: bool = False,
    zone_type: str = "",
    progress: Progress | None = None,
    name: str | None = None,
) -> ImportReport:
    """Import a GeoJSON FeatureCollection of territories of one ``level``; all or nothing.

    Parents: ``parent_field`` names the property holding the parent's code (every parent must
    exist, in the database or — same level — in the file, else the input is refused);
    ``parent_from_code`` derives it from the code (commune → département: the first 2 characters,
    3 for overseas ``97…``; IRIS → commune: the first 5) and links only the parents that exist
    (the others are counted in ``ImportReport.unlinked``). ``parent_level`` defaults to the level's
    parent in the hierarchy. ``population_field``/``population_year``: populations to store.
    ``tolerance`` (degrees), ``repair``: see :func:`~equisante.territories.reading.read_geojson`.
    ``fictional``: demonstration territories (official code formats not enforced).
    """
    display = _display(path, name)
    lvl, parent_lvl, problems = _check_options(
        display, level, vintage, parent_level, parent_from_code=parent_from_code,
        wants_parent=bool(parent_field or parent_from_code), population_field=population_field,
        population_year=population_year, zone_type=zone_type)
    if problems:
        raise InputRejected(display, problems)
    reading = read_geojson(
        path, code_field=code_field, name_field=name_field, parent_field=parent_field,
        population_field=population_field, level=lvl.value, check_codes=not fictional,
        tolerance=tolerance, repair=repair, name=name, progress=progress)
    if reading.problems:
        raise InputRejected(reading.source, reading.problems)
    if parent_from_code:
        derive = _parent_code(lvl)
        for record in reading.records:
            record.parent = derive(record.code)
    mode = "field" if parent_field else ("code" if parent_from_code else None)
    return _import(reading, lvl, vintage, parent_lvl if mode else None, strict_parents=mode == "field",
                   geometry=True, population_year=population_year if population_field else None,
                   fictional=fictional, zone_type=zone_type, progress=progress)


def import_cog(
    path: Source,
    *,
    level: str | Level,
    vintage: int = DEFAULT_VINTAGE,
    code_column: str | None = None,
    name_column: str | None = None,
    parent_column: str | None = None,
    parent_level: str | Level | None = None,
    link_parents: bool = True,
    population_column: str | None = None,
    population_year: int | None = None,
    typecom: Iterable[str] = ("COM",),
    fictional: bool = False,
    zone_type: str = "",
    progress: Progress | None = None,
    name: str | None = None,
) -> ImportReport:
    """Import an INSEE COG CSV (régions, départements, communes) or a generic ``code, nom[, parent]``
    table of one ``level``; all or nothing.

    Parents come from the COG's parent column (départements: ``REG``, communes: ``DEP``) or
    ``parent_column`` and must exist in the database (import régions, then départements, then
    communes); ``link_parents=False`` ignores them. ``typecom``: commune kinds kept (default: ``COM``
    only). Territories keep the geometry of an earlier GeoJSON import.
    """
    display = _display(path, name)
    lvl, parent_lvl, problems = _check_options(
        display, level, vintage, parent_level, parent_from_code=False, wants_parent=False,
        population_field=population_column, population_year=population_year, zone_type=zone_type)
    if problems:
        raise InputRejected(display, problems)
    reading = read_cog(
        path, level=lvl.value, code_column=code_column, name_column=name_column,
        parent_column=parent_column if link_parents else "", population_column=population_column,
        typecom=typecom, check_codes=not fictional, name=name, progress=progress)
    if reading.problems:
        raise InputRejected(reading.source, reading.problems)
    has_parents = link_parents and any(r.parent for r in reading.records)
    if has_parents and parent_level is None and reading.parent_levels:
        # A table exported by equisante names its parents' level: it wins over the default hierarchy.
        named = {parse_level(v) for v in reading.parent_levels}
        if len(named) != 1 or None in named:
            raise InputRejected(reading.source, [Problem("territory_parent_level_mixed", {
                "levels": ", ".join(sorted(reading.parent_levels))}, Location(source=reading.source))])
        parent_lvl = named.pop()
    if has_parents and parent_lvl is None:
        raise InputRejected(reading.source, [Problem("territory_parent_level_missing", {"level": lvl.value},
                                                     Location(source=reading.source))])
    return _import(reading, lvl, vintage, parent_lvl if has_parents else None, strict_parents=True,
                   geometry=False, population_year=population_year if population_column else None,
                   fictional=fictional, zone_type=zone_type, progress=progress)


def import_memberships(
    path: Source,
    *,
    member_level: str | Level,
    group_level: str | Level,
    vintage: int | None = None,
    member_column: str | None = None,
    group_column: str | None = None,
    share_column: str | None = None,
    check_codes: bool = True,
    progress: Progress | None = None,
    name: str | None = None,
) -> MembershipReport:
    """Import a membership table (member code, group code, optional share); all or nothing.

    Members and groups must exist at their levels: at ``vintage`` when given, else at the most
    recent vintage holding each code. A link is keyed on (member, group): re-importing updates the
    share, and links absent from the file are kept.
    """
    display = _display(path, name)
    problems: list[Problem] = []
    levels = []
    for given in (member_level, group_level):
        parsed = parse_level(str(given))
        if parsed is None:
            problems.append(_level_problem(display, given))
        levels.append(parsed)
    if vintage is not None:
        problems += _vintage_problems(display, vintage)
    if problems:
        raise InputRejected(display, problems)
    member_lvl, group_lvl = levels
    reading = read_memberships(
        path, member_column=member_column, group_column=group_column, share_column=share_column,
        member_level=member_lvl.value, group_level=group_lvl.value, check_codes=check_codes,
        name=name, progress=progress)
    if reading.problems:
        raise InputRejected(reading.source, reading.problems)
    records = reading.records
    _step(progress, "vérification", 0, len(records))
    members = _ids_by_code(member_lvl, {r.member for r in records}, vintage)
    groups = _ids_by_code(group_lvl, {r.group for r in records}, vintage)
    at = f", millésime {vintage}" if vintage is not None else ""
    for record in records:
        if record.member not in members:
            problems.append(Problem("territory_member_unknown", {"code": record.member, "level": member_lvl.value,
                                                                 "vintage": at}, record.location))
        if record.group not in groups:
            problems.append(Problem("territory_group_unknown", {"code": record.group, "level": group_lvl.value,
                                                                "vintage": at}, record.location))
    if problems:
        raise InputRejected(reading.source, problems)
    _step(progress, "vérification", len(records), len(records))

    report = MembershipReport(reading.source, member_lvl.value, group_lvl.value, total=len(records),
                              skipped=reading.skipped)
    existing = {
        (m, g): share
        for m, g, share in Membership.objects.filter(
            member__level=member_lvl.value, group__level=group_lvl.value).values_list("member_id", "group_id", "share")
    }
    to_write = []
    for record in records:
        key = (members[record.member], groups[record.group])
        before = existing.get(key)
        if before is None:
            report.created += 1
        elif before != record.share:
            report.updated += 1
        else:
            report.unchanged += 1
            continue
        to_write.append(Membership(member_id=key[0], group_id=key[1], share=record.share, source=reading.source))
    with transaction.atomic():
        _upsert(Membership, to_write, ["member", "group"], ["share", "source"], progress)
        if to_write:
            _decide_confidentiality_again()
    return report


# --- Shared machinery ----------------------------------------------------------------------------


def _decide_confidentiality_again() -> None:
    """New links between territories relate more published cells: what may be published of every
    indicator is decided again, in the import's transaction."""
    from equisante.indicators import withholding
    from equisante.indicators.models import Value

    if Value.objects.exists():
        withholding.refresh()


def _display(path: Source, name: str | None) -> str:
    if name:
        return name
    if isinstance(path, (str, os.PathLike)):
        return Path(path).name
    return Path(str(getattr(path, "name", "fichier"))).name


def _level_problem(source: str, given) -> Problem:
    accepted = ", ".join(level.value for level in Level)
    return Problem("territory_level_unknown", {"level": given, "accepted": accepted}, Location(source=source))


def _vintage_problems(source: str, vintage) -> list[Problem]:
    low, high = VINTAGE_RANGE
    if isinstance(vintage, bool) or not isinstance(vintage, int) or not low <= vintage <= high:
        return [Problem("territory_vintage_invalid", {"vintage": vintage, "minimum": low, "maximum": high},
                        Location(source=source))]
    return []


def _check_options(source, level, vintage, parent_level, *, parent_from_code, wants_parent,
                   population_field, population_year, zone_type=""):
    """(level, parent level, problems) for the options of a territory import."""
    problems: list[Problem] = []
    lvl = parse_level(str(level))
    if lvl is None:
        problems.append(_level_problem(source, level))
    problems += _vintage_problems(source, vintage)
    parent_lvl = None
    if parent_level is not None:
        parent_lvl = parse_level(str(parent_level))
        if parent_lvl is None:
            problems.append(_level_problem(source, parent_level))
    elif lvl is not None:
        parent_lvl = PARENT_LEVEL.get(lvl)
    if lvl is not None and wants_parent and parent_lvl is None and parent_level is None:
        problems.append(Problem("territory_parent_level_missing", {"level": lvl.value}, Location(source=source)))
    if lvl is not None and parent_from_code and (lvl not in PARENT_FROM_CODE or parent_lvl != PARENT_FROM_CODE[lvl]):
        supported = ", ".join(f"{a.value} → {b.value}" for a, b in PARENT_FROM_CODE.items())
        problems.append(Problem("territory_parent_from_code_unsupported", {"level": lvl.value, "supported": supported},
                                Location(source=source)))
    if zone_type:
        _, why = clean_zone_type(zone_type)
        if why is not None:
            problems.append(Problem("territory_zone_type_invalid", {"value": f"« {zone_type[:50]} »", "reason": why},
                                    Location(source=source)))
    if population_field and population_year is None:
        problems.append(Problem("territory_population_year_missing", {"field": population_field},
                                Location(source=source)))
    elif population_field:
        low, high = POPULATION_YEARS
        plausible = isinstance(population_year, int) and not isinstance(population_year, bool) and (
            low <= population_year <= high)
        if not plausible:
            problems.append(Problem("territory_population_year_invalid", {"year": population_year, "minimum": low,
                                                                          "maximum": high}, Location(source=source)))
    return lvl, parent_lvl, problems


def _parent_code(level: Level) -> Callable[[str], str]:
    if level == Level.COMMUNE:
        # Overseas départements have 3-character codes (971…976) and so do their communes' prefixes.
        return lambda code: code[:3] if code.startswith("97") else code[:2]
    return lambda code: code[:5]  # IRIS → commune


def _step(progress: Progress | None, stage: str, done: int, total: int) -> None:
    if progress is not None:
        progress(stage, done, total)


def _ids_by_code(level: Level, codes: set[str], vintage: int | None) -> dict[str, int]:
    """Territory id of each code at ``level``: at ``vintage``, else (None) the most recent holding it.

    Fetches the whole level and filters here: a ``code IN (…)`` of 35,000 codes would pass
    SQLite's parameter limit."""
    rows = Territory.objects.filter(level=level.value)
    if vintage is not None:
        rows = rows.filter(vintage=vintage)
    found: dict[str, tuple[int, int]] = {}
    for code, row_vintage, pk in rows.values_list("code", "vintage", "id").iterator(chunk_size=5000):
        if code in codes and (code not in found or row_vintage > found[code][0]):
            found[code] = (row_vintage, pk)
    return {code: pk for code, (_, pk) in found.items()}


def _parent_ids(level: Level, codes: set[str], vintage: int) -> dict[str, int]:
    """Parent id of each code at ``level``: the same vintage when it exists there, else the most
    recent vintage holding the code (parents' codes outlive many COG editions)."""
    same = _ids_by_code(level, codes, vintage)
    others = _ids_by_code(level, codes - set(same), None) if len(same) < len(codes) else {}
    return {**others, **same}


#: Fields compared to decide between "updated" and "unchanged".
_GEOMETRY_FIELDS = ["geometry", "min_lon", "min_lat", "max_lon", "max_lat"]


def _import(reading: Reading, level: Level, vintage: int, parent_level: Level | None, *, strict_parents: bool,
            geometry: bool, population_year: int | None, fictional: bool, zone_type: str,
            progress: Progress | None) -> ImportReport:
    records: list[TerritoryRecord] = reading.records
    report = ImportReport(reading.source, level.value, vintage, total=len(records), repaired=reading.repaired,
                          skipped=reading.skipped)
    _step(progress, "vérification", 0, len(records))

    # Parents: ids of those in the database; same-level parents may also come from the file.
    parents: dict[str, int] = {}
    pending: dict[str, str] = {}  # child code → parent code created by this import
    if parent_level is not None:
        wanted = {r.parent for r in records if r.parent}
        parents = _parent_ids(parent_level, wanted, vintage)
        in_file = {r.code for r in records} if parent_level == level else set()
        problems = []
        for record in records:
            if not record.parent or record.parent in parents:
                continue
            if record.parent in in_file:
                pending[record.code] = record.parent
            elif strict_parents:
                problems.append(Problem("territory_parent_missing", {
                    "parent": record.parent, "territory": who(record.code, record.name),
                    "parent_level": parent_level.value, "vintage": vintage}, record.location))
            else:
                record.parent = None
                report.unlinked += 1
        if problems:
            raise InputRejected(reading.source, problems)
        report.linked = sum(1 for r in records if r.parent)

    write_zone_type = bool(zone_type) or any(r.zone_type for r in records)
    fields = ["name", "fictional"] + (["zone_type"] if write_zone_type else [])
    fields += ["parent"] if parent_level is not None else []
    fields += _GEOMETRY_FIELDS if geometry else []
    compared = ["name", "fictional", "zone_type", "parent_id"] + _GEOMETRY_FIELDS
    existing = {
        row["code"]: row
        for row in Territory.objects.filter(level=level.value, vintage=vintage)
        .values("code", "id", *compared).iterator(chunk_size=2000)
    }
    to_write: list[Territory] = []
    for record in records:
        values = {"name": record.name, "fictional": fictional}
        if write_zone_type:
            values["zone_type"] = record.zone_type or zone_type
        if parent_level is not None:
            # A parent created by this very import gets its id after the insert (``pending``).
            values["parent_id"] = parents.get(record.parent) if record.parent else None
        if geometry:
            bbox = record.bbox or (None, None, None, None)
            values.update(geometry=record.geometry or "", min_lon=bbox[0], min_lat=bbox[1],
                          max_lon=bbox[2], max_lat=bbox[3])
        before = existing.get(record.code)
        if before is None:
            report.created += 1
        elif record.code in pending or any(before[k] != v for k, v in values.items()):
            report.updated += 1
        else:
            report.unchanged += 1
            continue
        to_write.append(Territory(level=level.value, code=record.code, vintage=vintage, **values))
    _step(progress, "vérification", len(records), len(records))

    with transaction.atomic():
        _upsert(Territory, to_write, ["level", "code", "vintage"], fields + ["updated_at"], progress)
        needs_ids = bool(pending) or population_year is not None
        ids = {}
        if needs_ids:
            ids = dict(Territory.objects.filter(level=level.value, vintage=vintage).values_list("code", "id"))
        for child, parent in pending.items():
            Territory.objects.filter(pk=ids[child]).update(parent_id=ids[parent])
        if pending:
            _decide_confidentiality_again()
        if population_year is not None:
            report.populations = _write_populations(records, ids, level, vintage, population_year, reading.source,
                                                    progress)
    return report


def _upsert(model, objects: Sequence, unique: list[str], update: list[str], progress: Progress | None) -> None:
    """INSERT … ON CONFLICT (unique) DO UPDATE SET (update), in batches, reporting progress."""
    total = len(objects)
    _step(progress, "écriture", 0, total)
    for start in range(0, total, BATCH * 5):
        chunk = objects[start:start + BATCH * 5]
        model.objects.bulk_create(chunk, batch_size=BATCH, update_conflicts=True, unique_fields=unique,
                                  update_fields=update)
        _step(progress, "écriture", start + len(chunk), total)


def _write_populations(records: list[TerritoryRecord], ids: dict[str, int], level: Level, vintage: int, year: int,
                       source: str, progress: Progress | None) -> PopulationCounts:
    counts = PopulationCounts(year)
    existing = dict(
        Population.objects.filter(year=year, territory__level=level.value, territory__vintage=vintage)
        .values_list("territory_id", "population"))
    rows = []
    for record in records:
        if record.population is None:
            continue
        territory_id = ids[record.code]
        before = existing.get(territory_id)
        if before is None:
            counts.created += 1
        elif before != record.population:
            counts.updated += 1
        else:
            counts.unchanged += 1
            continue
        rows.append(Population(territory_id=territory_id, year=year, population=record.population, source=source))
    _upsert(Population, rows, ["territory", "year"], ["population", "source"], progress)
    return counts
