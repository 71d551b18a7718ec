"""Readers of indicator files: the catalogue and the values (pure: no Django).

A reader turns a CSV, XLSX or ODS file into plain records and a list of
:class:`~equisante.errors.Problem` (one per faulty cell or line, with its line as the user sees it:
the header is line 1 of a CSV; in a spreadsheet the line is the row number). It never stops at the
first problem, so that one run lists everything to fix; the importer refuses the file as a whole when
the list is not empty. Formats: ``docs/import-formats.md``.

CSV: UTF-8 (with or without BOM), UTF-16 with BOM, or Latin-1 / Windows-1252; separator ``;``,
``,`` or tab, guessed from the header line. Numbers accept a decimal comma (``12,5``) as well as a
decimal point, and spaces as thousands separators (``12 345``); a number with both a comma and a
point is refused as ambiguous. An empty cell is a missing number.

Two layouts for values:

- **long**: one line per value, columns ``indicator``, ``level``, ``code``, ``period``, optional
  ``sex``, ``age_band``, ``vintage``, ``numerator``, ``denominator``, ``value``, ``lower``, ``upper``,
  ``state`` (and ``name``, ignored);
- **wide**: one line per territory (``level``, ``code``, optional ``period``, ``sex``, ``age_band``,
  ``vintage``, ``name``), one column per indicator code holding its value, plus optional
  ``CODE__numerator``, ``CODE__denominator``, ``CODE__lower``, ``CODE__upper``, ``CODE__state``
  columns (two underscores). An indicator whose cells are all empty on a line gives no record.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

import equisante.indicators.problems  # noqa: F401  (declares the catalogue entries used below)
from equisante import tables
from equisante.errors import Location, Problem
from equisante.indicators.states import Polarity, State
from equisante.territories.levels import ORDER, Level, parse_level

#: Reading stops after this many problems (a wholly wrong file would otherwise list one per cell).
MAX_PROBLEMS = 1000

LAYOUTS = ("long", "wide")

#: Columns of the long layout, in export order (``name`` is informative and ignored on import).
LONG_COLUMNS = [
    "indicator", "level", "code", "name", "vintage", "period", "sex", "age_band",
    "numerator", "denominator", "value", "lower", "upper", "state",
]
#: Columns identifying a line of the wide layout (every other column is an indicator).
WIDE_KEY_COLUMNS = ["level", "code", "name", "vintage", "period", "sex", "age_band"]
#: Parts of an indicator in the wide layout: ``CODE`` alone is its value, ``CODE__part`` the others.
WIDE_PARTS = ["value", "numerator", "denominator", "lower", "upper", "state"]
WIDE_SEPARATOR = "__"
NUMBER_FIELDS = ("numerator", "denominator", "value", "lower", "upper")

#: Columns of the catalogue, in export order.
CATALOGUE_COLUMNS = [
    "code", "label", "definition", "source", "unit", "polarity", "multiplier",
    "numerator_label", "denominator_label", "theme", "levels",
]
#: Maximum lengths of the catalogue's text columns (those of the database).
CATALOGUE_LIMITS = {
    "code": 64, "label": 255, "source": 255, "unit": 64, "numerator_label": 255,
    "denominator_label": 255, "theme": 120, "levels": 120,
}

# Accepted spellings of the column names, folded (lower case, no accents, "_" between words).
_VALUE_ALIASES = {
    "indicator": ["indicator", "indicateur", "code_indicateur", "indicator_code"],
    "level": ["level", "niveau"],
    "code": ["code", "code_territoire", "territory_code", "codgeo", "code_geo"],
    "name": ["name", "nom", "libelle_territoire", "territory_name", "nom_territoire"],
    "vintage": ["vintage", "millesime"],
    "period": ["period", "periode", "annee", "year"],
    "sex": ["sex", "sexe"],
    "age_band": ["age_band", "classe_age", "classe_d_age", "tranche_age", "tranche_d_age", "age"],
    "numerator": ["numerator", "numerateur"],
    "denominator": ["denominator", "denominateur"],
    "value": ["value", "valeur"],
    "lower": ["lower", "borne_inf", "borne_inferieure", "ic_inf"],
    "upper": ["upper", "borne_sup", "borne_superieure", "ic_sup"],
    "state": ["state", "etat", "statut"],
}
_CATALOGUE_ALIASES = {
    "code": ["code", "code_indicateur"],
    "label": ["label", "libelle", "nom"],
    "definition": ["definition"],
    "source": ["source"],
    "unit": ["unit", "unite"],
    "polarity": ["polarity", "polarite", "sens"],
    "multiplier": ["multiplier", "multiplicateur"],
    "numerator_label": ["numerator_label", "libelle_numerateur", "numerateur"],
    "denominator_label": ["denominator_label", "libelle_denominateur", "denominateur"],
    "theme": ["theme", "thematique"],
    "levels": ["levels", "niveaux"],
}

def _with_export_headers(aliases: dict[str, list[str]]) -> dict[str, list[str]]:
    """``aliases`` plus the French headers the exports write (:data:`equisante.exports.COLUMNS`), so that an
    export is read back as it is."""
    from equisante.exports import COLUMNS, csv_header
    from equisante.tables import fold_header as _fold_name

    out = {}
    for key, names in aliases.items():
        extra = [_fold_name(COLUMNS[key].header), _fold_name(csv_header(COLUMNS[key]))] if key in COLUMNS else []
        out[key] = list(dict.fromkeys(names + extra))
    return out


_VALUE_ALIASES = _with_export_headers(_VALUE_ALIASES)
_CATALOGUE_ALIASES = _with_export_headers(_CATALOGUE_ALIASES)

_STATE_WORDS = {
    State.OK: ["ok", "disponible", "valeur disponible", "publiee"],
    State.SUPPRESSED: ["suppressed", "secret", "secret statistique", "masque", "confidentiel"],
    State.UNSTABLE: ["unstable", "fragile", "valeur fragile", "instable", "fragile (a lire avec prudence)"],
    State.MISSING: ["missing", "manquant", "manquante", "donnee manquante", "absent", "nd", "non disponible"],
}
_POLARITY_WORDS = {
    Polarity.FAVOURABLE: ["favourable", "favorable", "positive", "positif"],
    Polarity.ADVERSE: ["adverse", "defavorable", "negative", "negatif"],
    Polarity.NEUTRAL: ["neutral", "neutre", "contexte"],
}
_SEX_WORDS = {
    "F": ["f", "femme", "femmes", "feminin", "2"],
    "H": ["h", "homme", "hommes", "masculin", "m", "1"],
    "": ["", "ensemble", "tous", "total", "t", "e"],
}
_ALL_AGES = {"", "ensemble", "tous", "tous ages", "total"}

_PERIOD_YEAR = re.compile(r"^(\d{4})$")
_PERIOD_RANGE = re.compile(r"^(\d{4})\s*[-–/]\s*(\d{4})$")
_PERIOD_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_PERIOD_QUARTER = re.compile(r"^(\d{4})-[TtQq]([1-4])$")
_AGE_RANGE = re.compile(r"^(\d{1,3})\s*(?:-|a)\s*(\d{1,3})(?:\s*ans)?$")
_AGE_OPEN = re.compile(r"^(\d{1,3})\s*(?:\+|ans\s+et\s+plus|\s+et\s+plus)$")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_CODE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_SPACES = {" ", "\u00a0", "\u202f", "\u2009", "'"}  # thousands separators seen in French files


# --- Records -------------------------------------------------------------------------------------


@dataclass(slots=True)
class ValueRecord:
    """One value as read: what the importer writes once the territory and indicator are resolved.

    ``state`` is None when the file gives none (the importer then derives it); numbers are in the
    indicator's unit (``value``, ``lower``, ``upper``) or counts (``numerator``, ``denominator``).
    ``columns`` maps each field to the column heading it came from (for messages).
    """

    line: int
    indicator: str
    level: str
    code: str
    period: str
    sex: str = ""
    age_band: str = ""
    vintage: int | None = None
    numerator: float | None = None
    denominator: float | None = None
    value: float | None = None
    lower: float | None = None
    upper: float | None = None
    state: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    computed: bool = False  # value computed from numerator and denominator by finalise_values

    @property
    def key(self) -> tuple:
        return (self.indicator, self.level, self.code, self.vintage, self.period, self.sex, self.age_band)

    def describe_key(self) -> str:
        parts = [self.indicator, f"{self.level} {self.code}", self.period]
        parts.append({"F": "femmes", "H": "hommes"}.get(self.sex, "ensemble"))
        parts.append(self.age_band or "tous âges")
        return ", ".join(parts)


@dataclass(slots=True)
class CatalogueRecord:
    """One indicator of a catalogue file. ``present`` lists the columns the file has: the importer
    leaves the other fields of an existing indicator untouched. ``multiplier`` is already defaulted
    from the unit when the cell is empty."""

    line: int
    code: str
    label: str = ""
    definition: str = ""
    source: str = ""
    unit: str = ""
    polarity: str = Polarity.ADVERSE.value
    multiplier: float = 1.0
    numerator_label: str = ""
    denominator_label: str = ""
    theme: str = ""
    levels: str = ""
    present: frozenset[str] = frozenset()


@dataclass
class Reading:
    """What a reader returns: the source's display name, records, problems and the layout used.

    ``records`` holds the lines read without a problem, even when other lines have some, so that
    the importer can check them against the database and report everything in one pass; a file
    with problems is never imported.
    """

    source: str
    records: list = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    layout: str | None = None


@dataclass(frozen=True)
class IndicatorInfo:
    """What the value checks need to know of an indicator: its unit, multiplier and kind."""

    code: str
    unit: str = ""
    multiplier: float = 1.0

    @property
    def kind(self) -> str:
        return indicator_kind(self.unit)


# --- Units ---------------------------------------------------------------------------------------


def indicator_kind(unit: str) -> str:
    """What an indicator's unit says about it: ``proportion`` (a share, ``%``: numerator ≤
    denominator), ``rate`` (events per N, ``pour 100 000``, ``‰``), ``count`` (a number of
    persons or events) or ``other`` (a mean, an index, euros…: not a ratio of counts)."""
    unit = unit or ""
    text = _fold(unit)
    if "%" in unit or text in {"pourcentage", "pourcent", "percent", "percentage", "proportion", "fraction", "part"}:
        return "proportion"
    if (
        "‰" in unit
        or "‱" in unit
        or re.search(r"(^|\s)(pour|p\.|per)\s*(\d|mille|cent)", text)
        or re.search(r"/\s*\d", text)
        or text.startswith(("taux", "rate"))
    ):
        return "rate"
    if text.split(" ")[0] in {"nombre", "effectif", "effectifs", "count", "nb", "n", "personnes", "habitants",
                              "individus", "cas", "deces", "naissances", "evenements", "sejours", "patients"}:
        return "count"
    return "other"


def default_multiplier(unit: str) -> float:
    """The multiplier a unit implies: 100 for ``%``, N for « pour N … », 1000 for ``‰``, else 1."""
    text = _fold(unit)
    if "%" in (unit or "") or text in {"pourcentage", "pourcent", "percent", "percentage"}:
        return 100.0
    if "‰" in (unit or "") or re.search(r"(pour|p\.|per)\s*mille", text):
        return 1000.0
    if "‱" in (unit or ""):
        return 10000.0
    match = re.search(r"(?:pour|p\.|per|/)\s*(\d[\d\s.\u00a0\u202f]*)", unit or "")
    if match:
        digits = re.sub(r"\D", "", match.group(1))
        if digits and int(digits) > 0:
            return float(int(digits))
    return 1.0


# --- Public readers ------------------------------------------------------------------------------


def read_values(
    source: str | Path | bytes | BinaryIO,
    *,
    layout: str | None = None,
    period: str | None = None,
    sheet: str | None = None,
    name: str | None = None,
) -> Reading:
    """Read a values file (CSV, XLSX or ODS) in the ``long`` or ``wide`` layout (None: guessed from
    the header: an ``indicator`` column means long). ``period`` fills the period where the file has
    no ``period`` column or an empty cell. ``sheet``: sheet name (or 1-based position) of a workbook,
    the first one by default. ``name``: name shown in messages when ``source`` is bytes or a stream.
    """
    reading = Reading(source="")
    table = _load(source, sheet=sheet, name=name, reading=reading)
    if table is None:
        return reading
    problems = _Collector(reading.source)
    try:
        if layout not in (None, *LAYOUTS):
            problems.add("indicator_layout_invalid", layout=layout)
            return _done(reading, problems)
        period_option = None
        if period is not None and str(period).strip():
            period_option = _parse_period(str(period))
            if period_option is None:
                problems.add("indicator_period_invalid", column="--period", text=period)
                return _done(reading, problems)
        folded = [_fold_name(h) for h in table.header]
        if layout is None:
            # An ``indicator`` column means long; so do ``value``, ``numerator``… columns without
            # it (a misspelt ``indicator`` heading is then reported as missing, not read as wide).
            long_only = {a for f in ("indicator", *NUMBER_FIELDS, "state") for a in _VALUE_ALIASES[f]}
            layout = "long" if any(f in long_only for f in folded) else "wide"
        reading.layout = layout
        if layout == "long":
            reading.records = _read_long(table, period_option, problems)
        else:
            reading.records = _read_wide(table, period_option, problems)
        _check_duplicates(reading.records, problems)
    except _TooMany:
        pass
    return _done(reading, problems)


def read_catalogue(source: str | Path | bytes | BinaryIO, *, sheet: str | None = None, name: str | None = None) -> Reading:
    """Read a catalogue file (CSV, XLSX or ODS): one line per indicator, columns
    :data:`CATALOGUE_COLUMNS` (``code`` and ``label`` required)."""
    reading = Reading(source="")
    table = _load(source, sheet=sheet, name=name, reading=reading)
    if table is None:
        return reading
    problems = _Collector(reading.source)
    try:
        index = _map_columns(table, _CATALOGUE_ALIASES, problems)
        missing = [c for c in ("code", "label") if c not in index]
        if missing:
            problems.add(
                "indicator_columns_missing", line=table.header_line, missing=", ".join(missing),
                layout="catalogue", expected=", ".join(CATALOGUE_COLUMNS), found=_found(table.header),
            )
            return _done(reading, problems)
        headings = {canonical: str(table.header[position]).strip() for canonical, position in index.items()}
        seen: dict[str, int] = {}
        for line, cells in table.rows:
            if not _check_row_length(line, cells, len(table.header), problems):
                continue
            record = _catalogue_record(line, cells, index, headings, problems)
            if record is None:
                continue
            if record.code in seen:
                problems.add("indicator_catalogue_duplicate", line=line, column=table.header[index["code"]],
                             code=record.code, first_line=seen[record.code])
                continue
            seen[record.code] = line
            reading.records.append(record)
    except _TooMany:
        pass
    return _done(reading, problems)


def finalise_values(records: Iterable[ValueRecord], indicators: Mapping[str, IndicatorInfo], *, source: str = "") -> list[Problem]:
    """Check values against the catalogue and complete them, in place; return the problems.

    Refused: an indicator absent from ``indicators``; for a proportion, a numerator above its
    denominator or a value outside 0 – multiplier. Completed: an empty value with a numerator and a
    positive denominator becomes ``numerator / denominator × multiplier``; an absent state becomes
    ``ok`` when there is a value and ``missing`` otherwise. A line stating ``ok`` without any value is
    refused.
    """
    problems = _Collector(source)
    try:
        for record in records:
            info = indicators.get(record.indicator)
            if info is None:
                problems.add("indicator_unknown", line=record.line, column=record.columns.get("indicator"),
                             code=record.indicator)
                continue
            kind = info.kind
            if kind == "proportion":
                if (record.numerator is not None and record.denominator is not None
                        and record.numerator > record.denominator):
                    problems.add("indicator_numerator_above_denominator", line=record.line,
                                 column=record.columns.get("numerator"), numerator=_show(record.numerator),
                                 denominator=_show(record.denominator), indicator=record.indicator, unit=info.unit)
                for part in ("value", "lower", "upper"):
                    number = getattr(record, part)
                    if number is not None and not 0 <= number <= info.multiplier * (1 + 1e-9):
                        problems.add("indicator_value_out_of_range", line=record.line,
                                     column=record.columns.get(part), value=_show(number),
                                     indicator=record.indicator, unit=info.unit, maximum=_show(info.multiplier))
            if (record.value is None and record.state in (None, State.OK, State.UNSTABLE)
                    and record.numerator is not None and record.denominator):
                record.value = record.numerator / record.denominator * info.multiplier
                record.computed = True
            if record.state is None:
                record.state = State.OK.value if record.value is not None else State.MISSING.value
            elif record.state == State.OK and record.value is None:
                problems.add("indicator_value_required", line=record.line, column=record.columns.get("state"))
    except _TooMany:
        pass
    return list(problems)


# --- Loading a table -----------------------------------------------------------------------------


@dataclass
class _Table:
    header: list[str]
    header_line: int
    rows: list[tuple[int, list[Any]]]


class _TooMany(Exception):
    """Raised by the collector when :data:`MAX_PROBLEMS` is reached."""


class _Collector(list):
    """A list of problems that knows the source and stops the reading when it grows too long."""

    def __init__(self, source: str):
        super().__init__()
        self.source = source

    def add(self, code: str, /, *, line: int | None = None, column: str | None = None, **params: Any) -> None:
        if len(self) >= MAX_PROBLEMS:
            self.append(Problem("indicator_problems_truncated", {"limit": MAX_PROBLEMS},
                                Location(source=self.source, line=line)))
            raise _TooMany
        self.append(Problem(code, params, Location(source=self.source, line=line, column=column)))


def _done(reading: Reading, problems: _Collector) -> Reading:
    reading.problems.extend(problems)
    reading.problems.sort(key=_problem_order)
    return reading


def _problem_order(problem: Problem) -> tuple:
    """File order: by line (file-wide problems first), the truncation notice last."""
    return (problem.code == "indicator_problems_truncated", problem.location.line or 0)


def _load(source, *, sheet, name, reading: Reading) -> _Table | None:
    """Read the file into a header and rows of raw cells; None (with a problem) when impossible."""
    try:
        data, display = tables.load(source, name)
    except tables.TableError as exc:
        display = _display_name(source, name)
        reading.source = display
        reading.problems.append(exc.problem(display))
        return None
    reading.source = display
    problems = _Collector(display)
    if data is None:
        problems.add("file_not_found", path=display)
        reading.problems.extend(problems)
        return None
    kind = _format_of(display, data)
    if kind in ("xlsx", "ods"):
        table = _sheet_table(data, kind, sheet, problems)
    elif kind == "csv":
        table = _csv_table(data, problems)
    else:
        problems.add("format_unknown", format=kind, accepted="CSV, XLSX, ODS")
        table = None
    if table is not None and not table.rows:
        problems.add("indicator_file_empty", path=display)
        table = None
    reading.source = problems.source  # a sheet's name is added to the file's
    reading.problems.extend(problems)
    return table if not problems else None


def _display_name(source, name: str | None) -> str:
    if name:
        return name
    if isinstance(source, (bytes, bytearray)):
        return "fichier"
    if hasattr(source, "read"):
        return Path(str(getattr(source, "name", "fichier"))).name
    return Path(source).name


def _format_of(display: str, data: bytes) -> str:
    kind = tables.workbook_kind(display, data)
    if kind == "xls":
        return "xls (Excel 97-2003)"
    return kind or "csv"


def _decode(data: bytes, problems: _Collector) -> str | None:
    """Text of a CSV (:func:`equisante.tables.decode`); None with a problem for binary content or a
    wrong encoding."""
    try:
        return tables.decode(data)
    except tables.TableError as exc:
        problems.add(exc.code, line=exc.line if exc.code == "import_binary_file" else None, **exc.params)
        return None


def _csv_table(data: bytes, problems: _Collector) -> _Table | None:
    text = _decode(data, problems)
    if text is None:
        return None
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: first.count(sep) for sep in (";", "\t", ",")}
    delimiter = max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ","
    header: list[str] | None = None
    header_line = 0
    rows: list[tuple[int, list[Any]]] = []
    try:
        # a quoted field may span lines: each row comes with the line it starts on
        for line, cells in tables.csv_rows(text, separator=delimiter):
            cells = [tables.strip_neutraliser(c) for c in cells]
            if header is None:
                header, header_line = cells, line
            else:
                rows.append((line, cells))
    except tables.TableError as exc:
        code = "indicator_csv_malformed" if exc.code == "csv_malformed" else exc.code
        problems.add(code, line=exc.line, **exc.params)
        return None
    if header is None:
        return _Table([], 0, [])
    return _Table(header, header_line, rows)


def _sheet_table(data: bytes, kind: str, sheet: str | None, problems: _Collector) -> _Table | None:
    import pandas as pd  # only workbooks need it

    engine = "openpyxl" if kind == "xlsx" else "odf"
    try:  # sizes and rows checked before anything is parsed (zip bombs)
        tables.check_workbook(data, kind)
    except tables.TableError as exc:
        problems.add(exc.code, line=exc.line, **exc.params)
        return None
    # A workbook is untrusted input parsed by third-party code: any failure means "unreadable".
    try:
        book = pd.ExcelFile(io.BytesIO(data), engine=engine)
        names = [str(n) for n in book.sheet_names]
    except Exception as exc:  # noqa: BLE001
        problems.add("indicator_spreadsheet_unreadable", path=problems.source, reason=_reason(exc))
        return None
    if not names:
        problems.add("indicator_file_empty", path=problems.source)
        return None
    wanted = names[0]
    if sheet is not None:
        wanted = _choose_sheet(names, str(sheet))
        if wanted is None:
            problems.add("indicator_sheet_not_found", sheet=sheet, available=", ".join(f"« {n} »" for n in names))
            return None
    try:
        frame = pd.read_excel(book, sheet_name=book.sheet_names[names.index(wanted)], header=None, dtype=object)
    except Exception as exc:  # noqa: BLE001
        problems.add("indicator_spreadsheet_unreadable", path=problems.source, reason=_reason(exc))
        return None
    problems.source = f"{problems.source}, feuille « {wanted} »"
    bound = tables.Limits.from_environment()
    if frame.shape[1] > bound.max_columns:
        problems.add("import_too_many_columns", line=1, count=frame.shape[1], limit=bound.max_columns)
        return None
    header: list[str] | None = None
    header_line = 0
    rows: list[tuple[int, list[Any]]] = []
    # pandas keeps blank rows (header=None): position i is sheet row i + 1.
    for position, values in enumerate(frame.itertuples(index=False, name=None)):
        cells = [None if _is_blank(v) else tables.strip_neutraliser(v) for v in values]
        if all(c is None for c in cells):
            continue
        if header is None:
            header, header_line = [_text(c) for c in cells], position + 1
        else:
            rows.append((position + 1, cells))
    while header and header[-1] == "":
        header.pop()
    if header is None:
        return _Table([], 0, [])
    return _Table(header, header_line, rows)


def _choose_sheet(names: list[str], wanted: str) -> str | None:
    if wanted in names:
        return wanted
    folded = {_fold(n): n for n in names}
    if _fold(wanted) in folded:
        return folded[_fold(wanted)]
    if wanted.strip().isdigit() and 1 <= int(wanted) <= len(names):
        return names[int(wanted) - 1]
    return None


def _reason(exc: Exception) -> str:
    """Why a workbook could not be read, in French (never a Python exception name)."""
    from equisante.tables import unreadable_reason

    return unreadable_reason(exc)


# --- Columns -------------------------------------------------------------------------------------


def _map_columns(table: _Table, aliases: Mapping[str, list[str]], problems: _Collector) -> dict[str, int]:
    """Canonical column → position, for the headings that name a known column (others are ignored)."""
    lookup = {alias: canonical for canonical, names in aliases.items() for alias in names}
    positions: dict[str, list[int]] = {}
    for position, heading in enumerate(table.header):
        canonical = lookup.get(_fold_name(heading))
        if canonical:
            positions.setdefault(canonical, []).append(position)
    for canonical, found in positions.items():
        if len(found) > 1:
            problems.add("indicator_column_duplicate", line=table.header_line, column=canonical,
                         count=len(found), positions=", ".join(str(p + 1) for p in found))
    return {canonical: found[0] for canonical, found in positions.items()}


def _found(header: list[str]) -> str:
    shown = [f"« {h} »" for h in header if str(h).strip()]
    return ", ".join(shown[:30]) + (" …" if len(shown) > 30 else "") if shown else "aucune"


def _cell(cells: list[Any], position: int | None) -> Any:
    if position is None or position >= len(cells):
        return None
    value = cells[position]
    return None if _is_blank(value) else value


def _check_row_length(line: int, cells: list[Any], width: int, problems: _Collector) -> bool:
    extra = [c for c in cells[width:] if not _is_blank(c)]
    if extra:
        last = max(i for i, c in enumerate(cells) if not _is_blank(c))
        problems.add("indicator_row_too_long", line=line, found=last + 1, expected=width)
        return False
    return True


# --- Long and wide layouts -----------------------------------------------------------------------


def _read_long(table: _Table, period_option: str | None, problems: _Collector) -> list[ValueRecord]:
    index = _map_columns(table, _VALUE_ALIASES, problems)
    required = ["indicator", "level", "code"] + ([] if period_option else ["period"])
    missing = [c for c in required if c not in index]
    if "value" not in index and not {"numerator", "denominator"} <= set(index):
        missing.append("value (ou numerator et denominator)")
    if missing:
        problems.add(
            "indicator_columns_missing", line=table.header_line, missing=", ".join(missing), layout="format long",
            expected="indicator, level, code, period, value ou numerator et denominator (facultatives : "
                     "sex, age_band, vintage, lower, upper, state, name)",
            found=_found(table.header),
        )
        return []
    columns = {canonical: str(table.header[position]).strip() for canonical, position in index.items()}
    records = []
    for line, cells in table.rows:
        if not _check_row_length(line, cells, len(table.header), problems):
            continue
        keys = _row_keys(line, cells, index, columns, period_option, problems)
        indicator = _text(_cell(cells, index["indicator"]))
        if not indicator:
            problems.add("indicator_cell_required", line=line, column=columns["indicator"])
            keys = None
        parts = _row_parts(line, cells, {f: index.get(f) for f in (*NUMBER_FIELDS, "state")}, columns, problems)
        if keys is None or parts is None:
            continue
        records.append(ValueRecord(line=line, indicator=indicator, **keys, **parts, columns=columns))
    return records


def _read_wide(table: _Table, period_option: str | None, problems: _Collector) -> list[ValueRecord]:
    key_aliases = {k: _VALUE_ALIASES[k] for k in WIDE_KEY_COLUMNS}
    lookup = {alias: canonical for canonical, names in key_aliases.items() for alias in names}
    part_lookup = {alias: part for part in WIDE_PARTS for alias in _VALUE_ALIASES[part]}
    index = _map_columns(table, key_aliases, problems)
    indicators: dict[str, dict[str, int]] = {}  # code → part → position
    headings: dict[str, dict[str, str]] = {}
    for position, heading in enumerate(table.header):
        raw = str(heading).strip()
        if _fold_name(raw) in lookup:
            continue
        if not raw:
            if any(not _is_blank(_cell(cells, position)) for _, cells in table.rows):
                problems.add("indicator_wide_column_invalid", line=table.header_line,
                             column=f"n° {position + 1} (sans titre)", parts=", ".join(WIDE_PARTS))
            continue
        code, part = raw, "value"
        if WIDE_SEPARATOR in raw:
            code, suffix = raw.rsplit(WIDE_SEPARATOR, 1)
            part = part_lookup.get(_fold_name(suffix))
        if not code or part is None:
            problems.add("indicator_wide_column_invalid", line=table.header_line, column=raw, parts=", ".join(WIDE_PARTS))
            continue
        if part in indicators.get(code, {}):
            problems.add("indicator_column_duplicate", line=table.header_line, column=raw, count=2,
                         positions=f"{indicators[code][part] + 1}, {position + 1}")
            continue
        indicators.setdefault(code, {})[part] = position
        headings.setdefault(code, {})[part] = raw
    required = ["level", "code"] + ([] if period_option else ["period"])
    missing = [c for c in required if c not in index]
    if not indicators:
        missing.append("au moins une colonne d'indicateur (CODE ou CODE__numerator et CODE__denominator)")
    if missing:
        problems.add(
            "indicator_columns_missing", line=table.header_line, missing=", ".join(missing), layout="format large",
            expected="level, code, period (ou --period), puis une colonne par indicateur : CODE (valeur), "
                     "CODE__numerator, CODE__denominator, CODE__lower, CODE__upper, CODE__state "
                     "(facultatives : sex, age_band, vintage, name)",
            found=_found(table.header),
        )
        return []
    key_columns = {canonical: str(table.header[position]).strip() for canonical, position in index.items()}
    records = []
    for line, cells in table.rows:
        if not _check_row_length(line, cells, len(table.header), problems):
            continue
        keys = _row_keys(line, cells, index, key_columns, period_option, problems)
        for code, positions in indicators.items():
            if all(_is_blank(_cell(cells, p)) for p in positions.values()):
                continue  # an empty indicator cell imports nothing in this layout
            columns = {**key_columns, **headings[code], "indicator": headings[code].get("value", code)}
            parts = _row_parts(line, cells, positions, columns, problems)
            if keys is None or parts is None:
                continue
            records.append(ValueRecord(line=line, indicator=code, **keys, **parts, columns=columns))
    return records


def _row_keys(line, cells, index, columns, period_option, problems) -> dict | None:
    """Territory, period and stratum of a line (None when one of them is faulty)."""
    ok = True
    level_text = _text(_cell(cells, index.get("level")))
    level = _level_of(level_text) if level_text else None
    if not level_text:
        problems.add("indicator_cell_required", line=line, column=columns["level"])
        ok = False
    elif level is None:
        problems.add("indicator_level_unknown", line=line, column=columns["level"], text=level_text,
                     accepted=", ".join(lv.value for lv in ORDER))
        ok = False
    code = _text(_cell(cells, index.get("code")))
    if not code:
        problems.add("indicator_cell_required", line=line, column=columns["code"])
        ok = False
    period = period_option
    period_text = _text(_cell(cells, index.get("period")))
    if period_text:
        period = _parse_period(period_text)
        if period is None:
            problems.add("indicator_period_invalid", line=line, column=columns["period"], text=period_text)
            ok = False
    elif period_option is None:
        problems.add("indicator_period_missing", line=line, column=columns.get("period"))
        ok = False
    sex_text = _text(_cell(cells, index.get("sex")))
    sex = _sex_of(sex_text)
    if sex is None:
        problems.add("indicator_sex_unknown", line=line, column=columns.get("sex"), text=sex_text)
        ok = False
    age_text = _text(_cell(cells, index.get("age_band")))
    age_band = _parse_age_band(age_text)
    if age_band is None:
        problems.add("indicator_age_band_invalid", line=line, column=columns.get("age_band"), text=age_text)
        ok = False
    vintage = None
    vintage_cell = _cell(cells, index.get("vintage"))
    if vintage_cell is not None:
        vintage = _parse_year(vintage_cell)
        if vintage is None:
            problems.add("indicator_vintage_invalid", line=line, column=columns.get("vintage"), text=_text(vintage_cell))
            ok = False
    if not ok:
        return None
    return {"level": level, "code": code, "period": period, "sex": sex, "age_band": age_band,
            "vintage": vintage}


def _row_parts(line, cells, positions: Mapping[str, int | None], columns, problems) -> dict | None:
    """Numbers and state of one value (None when one of them is faulty)."""
    ok = True
    parts: dict[str, Any] = {}
    for part in NUMBER_FIELDS:
        raw = _cell(cells, positions.get(part))
        number, valid = _parse_number(raw)
        if not valid:
            problems.add("indicator_value_not_numeric", line=line, column=columns.get(part), text=_text(raw)[:80])
            ok = False
        parts[part] = number
    for part, label in (("numerator", "numérateur"), ("denominator", "dénominateur")):
        if parts[part] is not None and parts[part] < 0:
            problems.add("indicator_count_negative", line=line, column=columns.get(part), part=label,
                         value=_show(parts[part]))
            ok = False
    if (parts["denominator"] == 0 and parts["numerator"] is not None and parts["numerator"] > 0):
        problems.add("indicator_denominator_zero", line=line, column=columns.get("denominator"),
                     numerator=_show(parts["numerator"]))
        ok = False
    low, value, high = parts["lower"], parts["value"], parts["upper"]
    bounds = [b for b in (low, value, high) if b is not None]
    if len(bounds) >= 2 and any(a > b * (1 + 1e-9) + 1e-12 for a, b in zip(bounds, bounds[1:])):
        problems.add("indicator_limits_inconsistent", line=line, column=columns.get("lower"),
                     lower=_show(low), value=_show(value), upper=_show(high))
        ok = False
    state_text = _text(_cell(cells, positions.get("state")))
    state = None
    if state_text:
        state = _state_of(state_text)
        if state is None:
            problems.add("indicator_state_unknown", line=line, column=columns.get("state"), text=state_text,
                         accepted="ok (disponible), suppressed (secret), unstable (fragile), missing (manquant)")
            ok = False
    parts["state"] = state.value if isinstance(state, State) else state
    return parts if ok else None


def _check_duplicates(records: list[ValueRecord], problems: _Collector) -> None:
    # Within one line keys differ (a code repeated among wide columns is a column problem).
    seen: dict[tuple, int] = {}
    for record in records:
        first = seen.setdefault(record.key, record.line)
        if first != record.line:
            problems.add("indicator_duplicate_row", line=record.line, column=record.columns.get("indicator"),
                         first_line=first, key=record.describe_key())


# --- Catalogue lines -----------------------------------------------------------------------------

_RESERVED_CODES = {alias for names in _VALUE_ALIASES.values() for alias in names}


def _catalogue_record(line, cells, index, headings, problems: _Collector) -> CatalogueRecord | None:
    ok = True

    def text(column: str) -> str:
        nonlocal ok
        value = _text(_cell(cells, index.get(column)))
        limit = CATALOGUE_LIMITS.get(column)
        if limit and len(value) > limit:
            problems.add("indicator_text_too_long", line=line, column=headings.get(column), limit=limit,
                         length=len(value))
            ok = False
        return value

    code = text("code")
    if not code:
        problems.add("indicator_cell_required", line=line, column=headings["code"])
        ok = False
    elif not _CODE.match(code) or WIDE_SEPARATOR in code or _fold_name(code) in _RESERVED_CODES:
        problems.add("indicator_code_invalid", line=line, column=headings["code"], text=code,
                     reserved=", ".join(sorted(_VALUE_ALIASES)))
        ok = False
    label = text("label")
    if not label:
        problems.add("indicator_cell_required", line=line, column=headings["label"])
        ok = False
    fields = {c: text(c) for c in ("definition", "source", "unit", "numerator_label", "denominator_label", "theme")}
    polarity_text = text("polarity")
    polarity = Polarity.ADVERSE
    if polarity_text:
        polarity = _lookup_word(polarity_text, _POLARITY_WORDS)
        if polarity is None:
            problems.add("indicator_polarity_unknown", line=line, column=headings.get("polarity"), text=polarity_text)
            ok = False
    raw_multiplier = _cell(cells, index.get("multiplier"))
    multiplier, valid = _parse_number(raw_multiplier)
    if not valid or (multiplier is not None and multiplier <= 0):
        problems.add("indicator_multiplier_invalid", line=line, column=headings.get("multiplier"),
                     text=_text(raw_multiplier))
        ok = False
    if multiplier is None:
        multiplier = default_multiplier(fields["unit"])
    levels_text = text("levels")
    levels: list[str] = []
    for word in re.split(r"[,;|/]", levels_text):
        if not word.strip():
            continue
        level = parse_level(word)
        if level is None:
            problems.add("indicator_level_unknown", line=line, column=headings.get("levels"), text=word.strip(),
                         accepted=", ".join(lv.value for lv in ORDER))
            ok = False
        elif level.value not in levels:
            levels.append(level.value)
    if not ok:
        return None
    return CatalogueRecord(line=line, code=code, label=label, polarity=Polarity(polarity).value,
                           multiplier=float(multiplier), levels=",".join(levels), present=frozenset(headings),
                           **fields)


# --- Cells ---------------------------------------------------------------------------------------


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, (int, bytes, date)):
        return False
    try:  # pandas' NaT / NA, NumPy's NaN
        import pandas as pd

        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _text(value: Any) -> str:
    """A cell as text: numbers without a spurious ``.0``, dates as ISO dates."""
    if isinstance(value, str):
        return value.strip()
    if _is_blank(value):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, str):  # NumPy scalar
        return _text(value.item())
    return str(value).strip()


def _parse_number(value: Any) -> tuple[float | None, bool]:
    """(number, valid): an empty cell is (None, True); text accepts a decimal comma and spaces."""
    if isinstance(value, str) and _NUMBER.match(value):  # the common case, fast
        number = float(value)
        return (number, True) if math.isfinite(number) else (None, False)
    if _is_blank(value):
        return None, True
    if isinstance(value, bool):
        return None, False
    if isinstance(value, (int, float)) or (hasattr(value, "item") and not isinstance(value, str)):
        try:
            number = float(value)
        except (TypeError, ValueError, OverflowError):
            return None, False
        return (number, True) if math.isfinite(number) else (None, False)
    if not isinstance(value, str):
        return None, False
    text = "".join(c for c in value.strip() if c not in _SPACES).replace("\u2212", "-")
    if "," in text:
        if "." in text or text.count(",") > 1:
            return None, False  # "1.234,5" or "1,234.5": ambiguous, refused
        text = text.replace(",", ".")
    if not _NUMBER.match(text):
        return None, False
    number = float(text)
    return (number, True) if math.isfinite(number) else (None, False)


@lru_cache(maxsize=4096)
def _level_of(text: str) -> str | None:
    level = parse_level(text)
    return None if level is None else Level(level).value


@lru_cache(maxsize=256)
def _sex_of(text: str) -> str | None:
    return _lookup_word(text, _SEX_WORDS)


@lru_cache(maxsize=256)
def _state_of(text: str) -> State | None:
    return _lookup_word(text, _STATE_WORDS)


@lru_cache(maxsize=4096)
def _parse_period(text: str) -> str | None:
    """The normalised period (``2021``, ``2019-2021``, ``2021-03``, ``2021-T2``) or None."""
    text = text.strip()
    if (m := _PERIOD_YEAR.match(text)) and _year_ok(m.group(1)):
        return m.group(1)
    if (m := _PERIOD_RANGE.match(text)) and _year_ok(m.group(1)) and _year_ok(m.group(2)) and m.group(1) < m.group(2):
        return f"{m.group(1)}-{m.group(2)}"
    if (m := _PERIOD_MONTH.match(text)) and _year_ok(m.group(1)) and 1 <= int(m.group(2)) <= 12:
        return f"{m.group(1)}-{m.group(2)}"
    if (m := _PERIOD_QUARTER.match(text)) and _year_ok(m.group(1)):
        return f"{m.group(1)}-T{m.group(2)}"
    return None


def _year_ok(text: str) -> bool:
    return 1900 <= int(text) <= 2100


def _parse_year(value: Any) -> int | None:
    text = _text(value)
    return int(text) if re.fullmatch(r"\d{4}", text) and _year_ok(text) else None


@lru_cache(maxsize=4096)
def _parse_age_band(text: str) -> str | None:
    """``0-4``, ``90+`` (normalised without zero padding), ``""`` for all ages; None when unreadable."""
    folded = _fold(text)
    if folded in _ALL_AGES:
        return ""
    # Folding drops the en dash: match on a lighter normalisation.
    folded = " ".join(str(text).lower().replace("–", "-").replace("à", "a").split())
    if m := _AGE_RANGE.match(folded):
        low, high = int(m.group(1)), int(m.group(2))
        return f"{low}-{high}" if low <= high else None
    if m := _AGE_OPEN.match(folded):
        return f"{int(m.group(1))}+"
    return None


def _lookup_word(text: str, words: Mapping[Any, list[str]]):
    folded = _fold(text)
    for target, accepted in words.items():
        if folded in accepted:
            return target
    return None


def _fold(text: Any) -> str:
    """Lower case, accents removed, blanks collapsed (for comparing words)."""
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return " ".join(text.lower().split())


def _fold_name(text: Any) -> str:
    """A column heading folded: ``Classe d'âge`` → ``classe_d_age``."""
    return re.sub(r"[^a-z0-9]+", "_", _fold(text)).strip("_")


def _show(number: float | None) -> str:
    """A number for a French message: ``12,5``; ``—`` when absent."""
    if number is None:
        return "—"
    text = str(int(number)) if float(number).is_integer() and abs(number) < 1e15 else f"{number:.6g}"
    return text.replace(".", ",")
