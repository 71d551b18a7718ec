"""Read territories from INSEE « Code officiel géographique » (COG) CSV files, and membership tables.

COG files (from the 2019 edition on; column names in any case):

- régions: ``REG, CHEFLIEU, TNCC, NCC, NCCENR, LIBELLE``;
- départements: ``DEP, REG, CHEFLIEU, TNCC, NCC, NCCENR, LIBELLE`` (parent: ``REG``);
- communes: ``TYPECOM, COM, REG, DEP, CTCD, ARR, TNCC, NCC, NCCENR, LIBELLE, CAN, COMPARENT``
  (parent: ``DEP``). Only ``TYPECOM == COM`` rows are kept by default: the same file lists
  communes déléguées and associées (``COMD``, ``COMA``, sharing codes with communes) and the
  municipal arrondissements of Paris, Lyon and Marseille (``ARM``).

Other levels (EPCI, IRIS, QPV, zones) are read from a generic table ``code, nom[, parent]``
(also ``CODGEO``/``LIBGEO``, ``libelle``, ``name``), and so are régions, départements and communes
when their COG columns are absent. The name is ``LIBELLE``, else ``NCCENR``.
The table written by ``equisante export territories`` (``level, code, name, vintage, parent_level,
parent, zone_type``) reads as such a table: ``parent_level`` and ``zone_type`` are used when present;
so does the French table of the territory pages and of the template (« Code », « Nom », « Territoire
parent », « Niveau du parent », « Type de zone »).

Membership tables: one row per (member, group[, share]), e.g. INSEE's commune → EPCI composition
(``CODGEO``, ``EPCI``) or a generic ``member, group, share``; with unknown headers, a table of two or
three columns is read by position. ``share`` (0 < share ≤ 1, decimal comma accepted) defaults to 1.

Separator: ``;``, ``,`` or tab, whichever the header holds most. Encoding: UTF-8 (BOM optional),
UTF-16 with BOM, else Windows-1252. Lines are numbered from 1 (the header).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from equisante import tables
from equisante.errors import Location
from equisante.territories.reading._common import (
    MembershipRecord,
    Progress,
    Reading,
    Source,
    TerritoryRecord,
    clean_code,
    clean_name,
    clean_population,
    clean_zone_type,
    code_format_problem,
    decode,
    describe_value,
    load_bytes,
    step,
    who,
)

#: Candidate columns by level: (code, name, parent); the first present is used.
COG_COLUMNS: dict[str, tuple[Sequence[str], Sequence[str], Sequence[str]]] = {
    "region": (["REG", "REGION"], ["LIBELLE", "NCCENR"], []),
    "departement": (["DEP"], ["LIBELLE", "NCCENR"], ["REG", "REGION"]),
    "commune": (["COM"], ["LIBELLE", "NCCENR"], ["DEP"]),
}
GENERIC_COLUMNS = (["CODE", "CODGEO"], ["NOM", "LIBELLE", "LIBGEO", "NAME", "NCCENR"],
                   ["PARENT", "TERRITOIRE PARENT", "CODE DU PARENT"])
#: Columns of the territories export, by their code and their French header (``equisante.exports``).
ZONE_TYPE_COLUMNS = ["ZONE_TYPE", "TYPE DE ZONE"]
PARENT_LEVEL_COLUMNS = ["PARENT_LEVEL", "NIVEAU DU PARENT"]
MEMBER_COLUMNS = ["MEMBER", "MEMBRE", "CODGEO", "COM", "CODE_MEMBRE", "CODE_COMMUNE"]
GROUP_COLUMNS = ["GROUP", "GROUPE", "EPCI", "SIREN_EPCI", "CODE_GROUPE", "QPV", "CODE_QPV", "ZONE"]
SHARE_COLUMNS = ["SHARE", "PART", "PART_POP", "POIDS"]
#: INSEE's group code for a commune that belongs to no EPCI (single-commune islands).
NO_GROUP = "ZZZZZZZZZ"
_SEPARATORS = {";": "point-virgule", ",": "virgule", "\t": "tabulation"}


@dataclass
class _Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (line of the row's start, cells)
    separator: str

    def find(self, candidates: Iterable[str]) -> int | None:
        folded = [h.strip().upper() for h in self.header]
        for wanted in candidates:
            if wanted and wanted.strip().upper() in folded:
                return folded.index(wanted.strip().upper())
        return None

    def found(self) -> str:
        return ", ".join(h for h in self.header if h.strip()) or "aucune"


def read_cog(
    source: Source,
    *,
    level: str,
    code_column: str | None = None,
    name_column: str | None = None,
    parent_column: str | None = None,
    population_column: str | None = None,
    typecom: Iterable[str] = ("COM",),
    check_codes: bool = True,
    name: str | None = None,
    progress: Progress | None = None,
) -> Reading:
    """Read and check a COG (or generic ``code, nom``) CSV of territories of one ``level``.

    ``*_column`` override the default columns (``parent_column=""``: ignore the parent).
    ``typecom``: commune kinds kept when the file has a ``TYPECOM`` column (``COM``, ``ARM``,
    ``COMD``, ``COMA``). ``check_codes``: refuse codes outside the official format of ``level``.
    """
    reading = Reading(source="")
    step(progress, "lecture", 0, 1)
    table = _table(source, name, reading)
    if table is None:
        return reading
    # COG columns first, then the generic ones: an exported table (code, name, parent) reads at any level.
    codes, names, parents = (list(cog) + [c for c in generic if c not in cog]
                             for cog, generic in zip(COG_COLUMNS.get(level, ([], [], [])), GENERIC_COLUMNS))
    code_at = table.find([code_column] if code_column else codes)
    name_at = table.find([name_column] if name_column else names)
    parent_at = None if parent_column == "" else table.find([parent_column] if parent_column else parents)
    population_at = table.find([population_column]) if population_column else None
    # Columns of ``equisante export territories``: each row's zone type and its parent's level.
    zone_type_at = table.find(ZONE_TYPE_COLUMNS)
    parent_level_at = table.find(PARENT_LEVEL_COLUMNS) if parent_at is not None else None
    missing = []
    if code_at is None:
        missing.append(code_column or " ou ".join(codes))
    if name_at is None:
        missing.append(name_column or " ou ".join(names))
    if parent_column and parent_at is None:
        missing.append(parent_column)
    if population_column and population_at is None:
        missing.append(population_column)
    if missing:
        expected = [f"code ({code_column or codes[0]})", f"nom ({name_column or names[0]})"]
        if parent_column or parents:
            expected.append(f"parent ({parent_column})" if parent_column else f"parent facultatif ({parents[0]})")
        if population_column:
            expected.append(f"population ({population_column})")
        what = f"fichier du COG, niveau « {level} »" if level in COG_COLUMNS else f"niveau « {level} »"
        reading.add("territory_columns_missing", Location(source=reading.source, line=1),
                    missing=", ".join(missing), what=what, expected=", ".join(expected), found=table.found())
        return reading
    kinds = {k.strip().upper() for k in typecom}
    typecom_at = table.find(["TYPECOM"]) if level == "commune" else None
    header = table.header
    seen: dict[str, int] = {}
    for line, cells in table.rows:
        location = Location(source=reading.source, line=line)
        if len(cells) > len(header):
            reading.add("territory_row_too_long", location, found=len(cells), expected=len(header),
                        separator=_SEPARATORS[table.separator])
            continue
        cells = cells + [""] * (len(header) - len(cells))
        if typecom_at is not None and cells[typecom_at].strip().upper() not in kinds:
            reading.skipped += 1
            continue
        code = _code(cells[code_at], header[code_at], location, level if check_codes else None, reading)
        name_value, why = clean_name(cells[name_at])
        if name_value is None:
            column = header[name_at]
            if why is None:
                reading.add("territory_name_missing", _at(location, column), territory=who(code, None), field=column)
            else:
                reading.add("territory_name_invalid", _at(location, column), territory=who(code, None), reason=why)
        parent = None
        if parent_at is not None:
            parent, why = clean_code(cells[parent_at])
            if why is not None:
                reading.add("territory_code_invalid", _at(location, header[parent_at]),
                            value=describe_value(cells[parent_at]), field=header[parent_at], reason=why)
        population = None
        if population_at is not None:
            population, valid = clean_population(cells[population_at])
            if not valid:
                reading.add("territory_population_invalid", _at(location, header[population_at]),
                            territory=who(code, name_value), value=describe_value(cells[population_at]))
        zone_type = None
        if zone_type_at is not None:
            zone_type, why = clean_zone_type(cells[zone_type_at])
            if why is not None:
                reading.add("territory_zone_type_invalid", _at(location, header[zone_type_at]),
                            value=describe_value(cells[zone_type_at]), reason=why)
        if parent and parent_level_at is not None and cells[parent_level_at].strip():
            reading.parent_levels.add(cells[parent_level_at].strip())
        if code is None or name_value is None:
            continue
        first = seen.setdefault(code, line)
        if first != line:
            reading.add("territory_code_duplicate", location, code=code, first=f"ligne {first}", second=f"ligne {line}")
            continue
        reading.records.append(TerritoryRecord(code=code, name=name_value, location=location, parent=parent,
                                               population=population, zone_type=zone_type))
    if not reading.records and not reading.problems:
        reading.add("territory_file_empty")
    step(progress, "lecture", 1, 1)
    return reading


def read_memberships(
    source: Source,
    *,
    member_column: str | None = None,
    group_column: str | None = None,
    share_column: str | None = None,
    member_level: str | None = None,
    group_level: str | None = None,
    check_codes: bool = True,
    name: str | None = None,
    progress: Progress | None = None,
) -> Reading:
    """Read and check a membership table: records ``MembershipRecord(member, group, share)``.

    Rows whose group is INSEE's ``ZZZZZZZZZ`` (no EPCI) are skipped and counted. ``member_level`` and
    ``group_level`` serve the official code-format checks.
    """
    reading = Reading(source="")
    step(progress, "lecture", 0, 1)
    table = _table(source, name, reading)
    if table is None:
        return reading
    member_at = table.find([member_column] if member_column else MEMBER_COLUMNS)
    group_at = table.find([group_column] if group_column else GROUP_COLUMNS)
    share_at = table.find([share_column] if share_column else SHARE_COLUMNS)
    by_position = (member_at is None or group_at is None) and member_at in (None, 0) and group_at in (None, 1)
    if by_position and not (member_column or group_column) and 2 <= len(table.header) <= 3:
        # Headers not (all) recognised: member, group[, share] by position.
        member_at, group_at = 0, 1
        share_at = 2 if len(table.header) == 3 else None
    missing = [label for label, at in [("membre", member_at), ("groupe", group_at)] if at is None]
    if share_column and share_at is None:
        missing.append(share_column)
    if missing:
        expected = (f"membre ({member_column or ' ou '.join(MEMBER_COLUMNS)}), "
                    f"groupe ({group_column or ' ou '.join(GROUP_COLUMNS)}), "
                    f"part facultative ({share_column or ' ou '.join(SHARE_COLUMNS)})")
        reading.add("territory_columns_missing", Location(source=reading.source, line=1),
                    missing=", ".join(missing), what="table d'appartenance", expected=expected, found=table.found())
        return reading
    header = table.header
    seen: dict[tuple[str, str], int] = {}
    for line, cells in table.rows:
        location = Location(source=reading.source, line=line)
        if len(cells) > len(header):
            reading.add("territory_row_too_long", location, found=len(cells), expected=len(header),
                        separator=_SEPARATORS[table.separator])
            continue
        cells = cells + [""] * (len(header) - len(cells))
        if cells[group_at].strip().upper() == NO_GROUP:
            reading.skipped += 1
            continue
        member = _code(cells[member_at], header[member_at], location, member_level if check_codes else None, reading)
        group = _code(cells[group_at], header[group_at], location, group_level if check_codes else None, reading)
        share = 1.0
        if share_at is not None:
            share = _share(cells[share_at])
            if share is None:
                reading.add("territory_share_invalid", _at(location, header[share_at]), value=cells[share_at].strip())
        if member is None or group is None or share is None:
            continue
        first = seen.setdefault((member, group), line)
        if first != line:
            reading.add("territory_membership_duplicate", location, member=member, group=group,
                        first=f"ligne {first}", second=f"ligne {line}")
            continue
        reading.records.append(MembershipRecord(member=member, group=group, location=location, share=share))
    if not reading.records and not reading.problems:
        reading.add("territory_file_empty")
    step(progress, "lecture", 1, 1)
    return reading


def _table(source: Source, name: str | None, reading: Reading) -> _Table | None:
    """Header and rows of a CSV; None with a problem when it cannot be read."""
    data = load_bytes(source, name, reading)
    if data is None:
        return None
    text = decode(data, reading)
    if text is None:
        return None
    separator = tables.separator_of(text, tuple(_SEPARATORS))
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    header_line = 1
    try:
        for start, cells in tables.csv_rows(text, separator=separator):
            if header is None:
                header, header_line = [c.strip().lstrip("\ufeff") for c in cells], start
            else:
                rows.append((start, cells))
    except tables.TableError as exc:
        if exc.code == "csv_malformed":
            reading.add("territory_csv_malformed", Location(source=reading.source, line=exc.line), **exc.params)
        else:
            reading.problems.append(exc.problem(reading.source))
        return None
    if header is None or not rows:
        reading.add("territory_file_empty", Location(source=reading.source, line=header_line if header else None))
        return None
    return _Table(header, rows, separator)


def _at(location: Location, column: str) -> Location:
    return Location(source=location.source, line=location.line, column=column)


def _code(raw: str, column: str, location: Location, level: str | None, reading: Reading) -> str | None:
    code, why = clean_code(raw)
    where = _at(location, column)
    if code is None:
        if why is None:
            reading.add("territory_code_missing", where, field=column, hint="")
        else:
            reading.add("territory_code_invalid", where, value=describe_value(raw), field=column, reason=why)
        return None
    bad = code_format_problem(code, level)
    if bad is not None:
        reading.add("territory_code_format", where, code=code, level=bad[0], expected=bad[1])
        return None
    return code


def _share(raw: str) -> float | None:
    text = raw.strip().replace(",", ".")
    if not text:
        return 1.0
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and 0 < value <= 1 else None
