"""Import of the indicator catalogue and values, and the tables that export them (application layer).

Everything is checked before anything is written: the reader's problems (cells, columns, duplicates),
then the database references (each territory exists at its level, each indicator is in the
catalogue or in the catalogue file imported with the values) and the checks that need the catalogue
(a proportion's numerator never exceeds its denominator). At the first problem the whole input is
refused with :class:`~equisante.errors.InputRejected` and nothing is written; otherwise everything is
written in one transaction with bulk operations. A value is identified by its stratum (indicator,
territory, period, sex, age band): re-importing a file updates what changed and leaves the rest, so
importing the same file twice changes nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pandas as pd
from django.db import connection, transaction
from django.utils import timezone

from equisante.errors import InputRejected, Location, Problem
from equisante.indicators import withholding
from equisante.indicators.models import Indicator, Value
from equisante.indicators.reading import (
    CATALOGUE_COLUMNS,
    LONG_COLUMNS,
    CatalogueRecord,
    IndicatorInfo,
    ValueRecord,
    finalise_values,
    read_catalogue,
    read_values,
)
from equisante.indicators.states import State
from equisante.numbers import plural
from equisante.territories.levels import Level
from equisante.territories.models import Territory

#: ``progress(stage, done, total)``: called while checking and writing (stage in French).
Progress = Callable[[str, int, int], None]

Source = str | Path | bytes | BinaryIO

#: Value fields written for each stratum (besides the key).
VALUE_FIELDS = ["numerator", "denominator", "value", "lower", "upper", "state"]
KEY_FIELDS = ["indicator", "territory", "period", "sex", "age_band"]
CATALOGUE_FIELDS = [c for c in CATALOGUE_COLUMNS if c != "code"]
BATCH = 2000
#: Usual length of the official codes: a code that lost its leading zeros in a spreadsheet
#: ("1001" for commune 01001) is looked up padded when the code as written is unknown.
CODE_LENGTHS = {Level.REGION: 2, Level.DEPARTEMENT: 2, Level.COMMUNE: 5, Level.IRIS: 9, Level.EPCI: 9}


@dataclass
class CatalogueReport:
    """What a catalogue import did (counts of indicators)."""

    source: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    codes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.source} : {plural(len(self.codes), 'indicateur lu', 'indicateurs lus')} — "
                f"{plural(self.created, 'créé')}, {plural(self.updated, 'modifié')}, "
                f"{plural(self.unchanged, 'inchangé')}.")


@dataclass
class ImportReport:
    """What a values import did (counts of values, i.e. strata)."""

    source: str
    layout: str | None = None
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    indicators: list[str] = field(default_factory=list)
    periods: list[str] = field(default_factory=list)
    catalogue: CatalogueReport | None = None

    def summary(self) -> str:
        layout = {"long": "format long", "wide": "format large"}.get(self.layout or "", "")
        lines = [self.catalogue.summary()] if self.catalogue else []
        lines.append(
            f"{self.source} : {plural(self.rows, 'valeur lue', 'valeurs lues')} ({layout}) — "
            f"{plural(self.created, 'créée')}, {plural(self.updated, 'modifiée')}, "
            f"{plural(self.unchanged, 'inchangée')}."
        )
        if self.indicators:
            lines.append(f"Indicateurs : {', '.join(self.indicators)} ; périodes : {', '.join(self.periods)}.")
        return "\n".join(lines)


# --- Catalogue -----------------------------------------------------------------------------------


def import_catalogue(path: Source, *, sheet: str | None = None, name: str | None = None) -> CatalogueReport:
    """Import a catalogue file (format: ``docs/import-formats.md``); all or nothing.

    An indicator is identified by its code: a new code is created, a known one is updated — only the
    columns present in the file, so that a catalogue without ``definition`` keeps the definitions.
    """
    reading = read_catalogue(path, sheet=sheet, name=name)
    if reading.problems:
        raise InputRejected(reading.source, reading.problems)
    with transaction.atomic():
        return _write_catalogue(reading.source, reading.records)


def import_values(
    path: Source,
    *,
    layout: str | None = None,
    period: str | None = None,
    sheet: str | None = None,
    progress: Progress | None = None,
    catalogue: Source | None = None,
    vintage: int | None = None,
    name: str | None = None,
) -> ImportReport:
    """Import a values file (long or wide layout, CSV, XLSX or ODS); all or nothing.

    ``layout``: ``"long"``, ``"wide"`` or None (guessed). ``period`` fills an absent period column.
    ``sheet``: the workbook's sheet (first by default). ``catalogue``: a catalogue file imported in
    the same transaction, whose indicators the values may use. ``vintage``: COG vintage of the
    territories when the file has no ``vintage`` column (default: the most recent holding the code).

    Completion: a value computed from counts (numerator / denominator × multiplier) gets confidence
    limits at 95 % when the file gives none — Wilson for a proportion, exact Poisson / Byar's for a
    rate, through :mod:`equisante.stats`, as aggregated values do.
    """
    report = ImportReport(source="")
    catalogue_reading = read_catalogue(catalogue, sheet=None) if catalogue is not None else None
    reading = read_values(path, layout=layout, period=period, sheet=sheet, name=name)
    report.source, report.layout = reading.source, reading.layout
    catalogue_problems = list(catalogue_reading.problems) if catalogue_reading else []
    problems: list[Problem] = catalogue_problems + reading.problems
    # The lines read without a problem are checked against the database even when others have
    # problems, so that one run lists everything to fix.
    records: list[ValueRecord] = reading.records
    catalogue_records: list[CatalogueRecord] = catalogue_reading.records if catalogue_reading else []

    _step(progress, "vérification", 0, len(records))
    infos = _indicator_infos(records, catalogue_records)
    checked = finalise_values(records, infos, source=reading.source)
    if catalogue_problems:  # a faulty catalogue line would make its indicator look unknown: say it once
        checked = [p for p in checked if p.code != "indicator_unknown"]
    problems += checked
    territories, unresolved = _resolve_territories(records, vintage, reading.source)
    problems += unresolved
    problems += _duplicate_strata(records, territories, reading.source)
    if problems:
        problems.sort(key=lambda p: (p.location.source != reading.source, p.location.line or 0))
        raise InputRejected(reading.source, problems)
    _complete_limits(records, infos)
    _step(progress, "vérification", len(records), len(records))

    with transaction.atomic():
        if catalogue_reading is not None:
            report.catalogue = _write_catalogue(catalogue_reading.source, catalogue_records)
        report.rows = len(records)
        report.created, report.updated, report.unchanged = _write_values(records, territories, progress)
        if report.created or report.updated:
            # what may be published is decided again with the new values, in the same transaction
            withholding.refresh(sorted({r.indicator for r in records}), progress=progress)
    report.indicators = sorted({r.indicator for r in records})
    report.periods = sorted({r.period for r in records})
    return report


def _step(progress: Progress | None, stage: str, done: int, total: int) -> None:
    if progress is not None:
        progress(stage, done, total)


# --- Checks that need the database ---------------------------------------------------------------


def _catalogue_fields(record: CatalogueRecord, existing: Indicator | None) -> dict:
    """The fields an indicator will have once ``record`` is imported: a new indicator takes every
    field from the record (defaults for absent columns); a known one only the columns present."""
    fields = {name: getattr(record, name) for name in CATALOGUE_FIELDS}
    if existing is None:
        return fields
    kept = {name: getattr(existing, name) for name in CATALOGUE_FIELDS if name not in record.present}
    if "multiplier" not in record.present and "unit" in record.present and record.unit != existing.unit:
        kept.pop("multiplier", None)  # a new unit without a multiplier column implies its multiplier
    return {**fields, **kept}


def _indicator_infos(records: Iterable[ValueRecord], catalogue: Sequence[CatalogueRecord]) -> dict[str, IndicatorInfo]:
    codes = {r.indicator for r in records} | {c.code for c in catalogue}
    known = {i.code: i for i in Indicator.objects.filter(code__in=codes)} if codes else {}
    infos = {code: IndicatorInfo(code, i.unit, i.multiplier) for code, i in known.items()}
    for record in catalogue:
        fields = _catalogue_fields(record, known.get(record.code))
        infos[record.code] = IndicatorInfo(record.code, fields["unit"], fields["multiplier"])
    return infos


def _resolve_territories(records: list[ValueRecord], vintage: int | None, source: str):
    """Territory id of each record (None when unknown) and the problems for the unknown ones."""
    wanted: dict[str, set[str]] = {}
    for record in records:
        wanted.setdefault(record.level, set()).add(record.code)
    found: dict[tuple[str, str], dict[int, int]] = {}  # (level, code) → vintage → id
    for level, codes in wanted.items():
        candidates = set(codes) | {_padded(level, c) for c in codes}
        candidates = sorted(c for c in candidates if c)
        for start in range(0, len(candidates), 500):
            rows = Territory.objects.filter(level=level, code__in=candidates[start:start + 500])
            for code, year, pk in rows.values_list("code", "vintage", "id"):
                found.setdefault((level, code), {})[year] = pk
    ids: list[int | None] = []
    problems = []
    for record in records:
        choices = found.get((record.level, record.code)) or found.get((record.level, _padded(record.level, record.code)))
        year = record.vintage if record.vintage is not None else vintage
        pk = None
        if choices:
            pk = choices.get(year) if year is not None else choices[max(choices)]
        if pk is None:
            problems.append(Problem(
                "indicator_territory_unknown",
                {"level": record.level, "code": record.code,
                 "vintage": f"millésime {year}" if year is not None else "aucun millésime"},
                Location(source=source, line=record.line, column=record.columns.get("code")),
            ))
        ids.append(pk)
    return ids, problems


def _padded(level: str, code: str) -> str:
    length = CODE_LENGTHS.get(Level(level))
    if length and code.isdigit() and len(code) < length:
        return code.zfill(length)
    return ""


def _duplicate_strata(records: list[ValueRecord], territories: list[int | None], source: str) -> list[Problem]:
    """Lines that differ as written but fall on one stratum (a code written with and without its
    leading zero, or with and without its vintage)."""
    seen: dict[tuple, int] = {}
    problems = []
    for record, territory in zip(records, territories):
        if territory is None:
            continue
        key = (record.indicator, territory, record.period, record.sex, record.age_band)
        first = seen.setdefault(key, record.line)
        if first != record.line:
            problems.append(Problem(
                "indicator_duplicate_row", {"first_line": first, "key": record.describe_key()},
                Location(source=source, line=record.line, column=record.columns.get("code")),
            ))
    return problems


def _complete_limits(records: list[ValueRecord], infos: dict[str, IndicatorInfo]) -> None:
    """95 % limits for the values computed from counts (proportions and rates only)."""
    from equisante import stats

    todo: dict[str, list[ValueRecord]] = {}
    for record in records:
        info = infos[record.indicator]
        if (record.computed and record.lower is None and record.upper is None
                and info.kind in ("proportion", "rate") and record.denominator):
            todo.setdefault(record.indicator, []).append(record)
    for code, chosen in todo.items():
        info = infos[code]
        frame = pd.DataFrame({
            "row": range(len(chosen)),
            "x": [r.numerator for r in chosen],
            "n": [r.denominator for r in chosen],
        })
        method = stats.proportion if info.kind == "proportion" else stats.rate
        result = method(frame, "x", "n", by="row", confidence=0.95, multiplier=info.multiplier)
        result = result.set_index("row").sort_index()
        for record, lower, upper in zip(chosen, result["lower"], result["upper"]):
            record.lower, record.upper = float(lower), float(upper)


# --- Writing -------------------------------------------------------------------------------------


def _write_catalogue(source: str, records: list[CatalogueRecord]) -> CatalogueReport:
    report = CatalogueReport(source=source, codes=[r.code for r in records])
    existing = {i.code: i for i in Indicator.objects.filter(code__in=report.codes)}
    now = timezone.now()
    new, changed = [], []
    for record in records:
        indicator = existing.get(record.code)
        fields = _catalogue_fields(record, indicator)
        if indicator is None:
            new.append(Indicator(code=record.code, **fields))
        elif any(getattr(indicator, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(indicator, k, v)
            indicator.updated_at = now
            changed.append(indicator)
    Indicator.objects.bulk_create(new, batch_size=500)
    if changed:
        Indicator.objects.bulk_update(changed, [*CATALOGUE_FIELDS, "updated_at"], batch_size=500)
    report.created, report.updated = len(new), len(changed)
    report.unchanged = len(records) - len(new) - len(changed)
    return report


def _write_values(records: list[ValueRecord], territories: list[int], progress: Progress | None) -> tuple[int, int, int]:
    """Upsert the values; returns (created, updated, unchanged)."""
    indicator_ids = dict(Indicator.objects.filter(code__in={r.indicator for r in records}).values_list("code", "id"))
    periods = {r.period for r in records}
    # One plain query on the (indicator, period) index: no join and no server-side cursor, whose
    # fast-start plans PostgreSQL makes very slow on hundreds of thousands of rows.
    query = Value.objects.filter(indicator_id__in=set(indicator_ids.values()), period__in=periods).values_list(
        "indicator_id", "territory_id", "period", "sex", "age_band", *VALUE_FIELDS
    )
    existing: dict[tuple, tuple] = {row[:5]: row[5:] for row in query}
    to_write: list[tuple] = []
    created = updated = 0
    for record, territory in zip(records, territories):
        key = (indicator_ids[record.indicator], territory, record.period, record.sex, record.age_band)
        fields = tuple(getattr(record, name) for name in VALUE_FIELDS)
        before = existing.get(key)
        if before is not None and same_values(before, fields):
            continue
        if before is None:
            created += 1
        else:
            updated += 1
        to_write.append(key + fields)
    for start in range(0, len(to_write), BATCH):
        _write_batch(to_write[start:start + BATCH])
        _step(progress, "écriture", min(start + BATCH, len(to_write)), len(to_write))
    return created, updated, len(records) - created - updated


def _write_batch(rows: list[tuple]) -> None:
    """Insert or update rows of (indicator id, territory id, period, sex, age band, *VALUE_FIELDS).

    On SQLite (≥ 3.24) and PostgreSQL an ``INSERT … ON CONFLICT (stratum) DO UPDATE`` statement
    (executed many times on SQLite, fed by COPY on PostgreSQL), without model instances: a whole
    import of 351,500 values took 10 s on SQLite this way, 27 s with ``bulk_create``. Other
    databases use ``bulk_create``.
    """
    if connection.vendor not in ("sqlite", "postgresql"):
        names = ["indicator_id", "territory_id", "period", "sex", "age_band", *VALUE_FIELDS]
        Value.objects.bulk_create(
            [Value(**dict(zip(names, row))) for row in rows], update_conflicts=True,
            unique_fields=KEY_FIELDS, update_fields=VALUE_FIELDS,
        )
        return
    quote = connection.ops.quote_name
    fields = [Value._meta.get_field(name) for name in [*KEY_FIELDS, *VALUE_FIELDS]]
    columns = ", ".join(quote(f.column) for f in fields)
    conflict = ", ".join(quote(f.column) for f in fields[:len(KEY_FIELDS)])
    updates = ", ".join(f"{quote(f.column)} = excluded.{quote(f.column)}" for f in fields[len(KEY_FIELDS):])
    upsert = f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
    table = quote(Value._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and hasattr(cursor.cursor, "copy"):  # psycopg 3
            # COPY into a temporary table then one INSERT … SELECT: about twice as fast as
            # executemany here (351,500 values: 15 s instead of 35 s). The table is dropped at the
            # end of the import's transaction (this function always runs inside one).
            load = quote("equisante_value_load")
            definition = ", ".join(f"{quote(f.column)} {f.db_type(connection)}" for f in fields)
            cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {load} ({definition}) ON COMMIT DROP")
            with cursor.cursor.copy(f"COPY {load} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {load} {upsert}")
            cursor.execute(f"TRUNCATE {load}")
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) {upsert}", rows)


def same_values(before: Sequence, after: Sequence) -> bool:
    """Whether two tuples of stored fields are equal, numbers to 12 significant digits: a workbook
    keeps at most 15 to 17 of them, so a value exported to XLSX and re-imported is « unchanged »."""
    for a, b in zip(before, after, strict=True):
        if isinstance(a, float) and isinstance(b, float):
            if not math.isclose(a, b, rel_tol=1e-12, abs_tol=0.0):
                return False
        elif a != b:
            return False
    return True


# --- Export tables (the import formats, so that an export can be re-imported) ----------------------


def catalogue_frame(codes: Iterable[str] | None = None) -> pd.DataFrame:
    """The catalogue as a table with the columns of the catalogue format (sorted by code)."""
    query = Indicator.objects.order_by("code")
    if codes:
        query = query.filter(code__in=list(codes))
    rows = list(query.values_list(*CATALOGUE_COLUMNS))
    frame = pd.DataFrame(rows, columns=CATALOGUE_COLUMNS)
    _whole_numbers(frame, ["multiplier"])
    return frame


def _whole_numbers(frame: pd.DataFrame, columns: Iterable[str]) -> None:
    """Write columns holding only whole numbers without decimals (``100``, not ``100.0``)."""
    for column in columns:
        numbers = pd.to_numeric(frame[column], errors="coerce").astype("float64")
        present = numbers.dropna()
        if len(present) and (present == present.round()).all() and (present.abs() < 2**53).all():
            frame[column] = numbers.round().astype("Int64")
        else:
            frame[column] = numbers


def values_frame(
    *, level: str | None = None, indicators: Iterable[str] | None = None, period: str | None = None,
    published: bool = False,
) -> pd.DataFrame:
    """Values as a table in the long import format (``name`` is the territory's name, ignored on
    import). Counts that are whole numbers are written without decimals.

    ``published``: only what may be published — the stored confidentiality decisions applied
    (withheld values blanked with state ``suppressed``) and a last column ``secret`` saying why."""
    query = Value.objects.order_by("indicator__code", "territory__level", "territory__code", "period", "sex", "age_band")
    if level:
        query = query.filter(territory__level=level)
    if indicators:
        query = query.filter(indicator__code__in=list(indicators))
    if period:
        query = query.filter(period=period)
    rows = query.values_list(
        "indicator__code", "territory__level", "territory__code", "territory__name", "territory__vintage",
        "period", "sex", "age_band", *VALUE_FIELDS, "withheld",
    )
    frame = pd.DataFrame(list(rows.iterator(chunk_size=5000)), columns=[*LONG_COLUMNS, "withheld"])
    if published:
        frame = _published(frame)
    else:
        frame = frame.drop(columns=["withheld"])
    for column in ("value", "lower", "upper"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    _whole_numbers(frame, ["numerator", "denominator"])
    frame["state"] = frame["state"].astype(str).where(frame["state"].notna(), State.MISSING.value)
    return frame


def _published(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (with the stored decision in ``withheld``) as it may be published."""
    from equisante.confidentiality import SUPPRESSED, WITHHELD_FIELDS, small_count
    from equisante.indicators.reading import indicator_kind

    limit = withholding.threshold()
    counts = {i.code: indicator_kind(i.unit) == "count" for i in Indicator.objects.all()}
    reasons = []
    for row in frame.itertuples(index=False):
        reason = row.withheld or ""
        count = row.value if counts.get(row.indicator) else row.numerator
        if not reason and (row.state == SUPPRESSED or small_count(row.numerator, limit) or small_count(count, limit)):
            reason = "primary"
        reasons.append(reason)
    withheld = pd.Series(reasons, index=frame.index).ne("")
    frame = frame.drop(columns=["withheld"])
    for column in WITHHELD_FIELDS:
        frame[column] = frame[column].astype(object).where(~withheld, None)
    frame.loc[withheld, "state"] = SUPPRESSED
    frame["secret"] = [{"primary": "primaire", "secondary": "secondaire"}.get(r, "") for r in reasons]
    return frame
