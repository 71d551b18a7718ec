"""Read a register of grants (CSV or XLSX, one row per grant) into plain records (pure).

Columns (French names accepted): ``code`` (``territoire``), ``level`` (``niveau``, default
``commune``), ``year`` (``annee``), ``programme``, ``funder`` (``financeur``), ``amount``
(``montant``, € — decimal comma accepted, spaces ignored), optional ``reference`` and ``note``.
Every problem is reported with its line and column; the caller imports nothing when there is one.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from equisante import tables
from equisante.allocation import errors as _catalogue  # noqa: F401 — declares the codes used here
from equisante.errors import Location, Problem

REQUIRED = ("code", "year", "programme", "funder", "amount")
OPTIONAL = ("level", "reference", "note")
ALIASES = {
    "territoire": "code", "code_territoire": "code", "niveau": "level", "annee": "year", "année": "year",
    "financeur": "funder", "montant": "amount", "montant_eur": "amount", "référence": "reference",
    "ref": "reference",
}
LEVELS = ("region", "departement", "epci", "commune", "iris", "qpv", "zone")


@dataclass
class GrantRecord:
    line: int
    code: str
    level: str
    year: int
    programme: str
    funder: str
    amount: Decimal
    reference: str = ""
    note: str = ""


def _header(name) -> str:
    key = str(name or "").strip().lower().replace(" ", "_").replace("-", "_")
    return ALIASES.get(key, key)


def rows_of(source, name: str | None = None) -> tuple[list[tuple[int, list]], str, list[Problem]]:
    """(line, cells) of every row (header first), the display name, and the problems of the file."""
    try:
        data, display = tables.load(source, name)
    except tables.TableError as exc:
        return [], name or "fichier", [Problem("allocation_grant_file_unreadable",
                                               {"name": name or "fichier", "reason": exc.message})]
    if data is None:
        return [], display, [Problem("allocation_grant_file_unreadable", {"name": display,
                                                                          "reason": "fichier absent ou illisible"})]
    kind = tables.workbook_kind(display, data)
    try:
        if kind == "xlsx":
            tables.check_workbook(data, kind)
            from openpyxl import load_workbook

            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
            rows = [(i, [tables.strip_neutraliser(v) for v in values])
                    for i, values in enumerate(sheet.iter_rows(values_only=True), start=1)
                    if any(v not in (None, "") for v in values)]
        elif kind is None:
            text = tables.decode(data)
            rows = [(line, [tables.strip_neutraliser(c) for c in cells]) for line, cells in tables.csv_rows(text)]
        else:
            return [], display, [Problem("allocation_grant_file_unreadable",
                                         {"name": display, "reason": f"format {kind} non pris en charge (CSV ou XLSX)"})]
    except tables.TableError as exc:
        return [], display, [Problem("allocation_grant_file_unreadable", {"name": display, "reason": exc.message})]
    except Exception as exc:  # a damaged workbook: reported, never a crash
        return [], display, [Problem("allocation_grant_file_unreadable", {"name": display, "reason": str(exc)})]
    return rows, display, []


def _amount(value) -> Decimal | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = repr(value)
    text = str(value or "").strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("€", "")
    text = text.replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
        return None
    return amount.quantize(Decimal("0.01"))


def _year(value) -> int | None:
    try:
        number = float(str(value).strip().replace(",", "."))
    except (TypeError, ValueError):
        return None
    if number != int(number) or not 1990 <= number <= 2100:
        return None
    return int(number)


def read_grants(source, name: str | None = None) -> tuple[list[GrantRecord], list[Problem]]:
    """Records and problems (with line and column) of a grants file."""
    rows, display, problems = rows_of(source, name)
    if problems:
        return [], problems
    if not rows:
        return [], [Problem("allocation_grant_file_unreadable", {"name": display, "reason": "fichier vide"})]
    header_line, header = rows[0]
    columns = [_header(c) for c in header]
    expected = ", ".join(REQUIRED + OPTIONAL)
    for column in REQUIRED:
        if column not in columns:
            problems.append(Problem("allocation_grant_column_missing", {"column": column, "expected": expected},
                                    Location(source=display, line=header_line, column=column)))
    if problems:
        return [], problems
    records, seen = [], {}
    for line, cells in rows[1:]:
        row = {c: (cells[i] if i < len(cells) else None) for i, c in enumerate(columns)}

        def bad(column, expected_text):
            problems.append(Problem("allocation_grant_value_invalid",
                                    {"value": "" if row.get(column) is None else row.get(column),
                                     "expected": expected_text}, Location(source=display, line=line, column=column)))

        code = str(row.get("code") or "").strip()
        if code.endswith(".0") and code[:-2].isdigit():
            code = code[:-2]
        if not code:
            bad("code", "un code de territoire")
        level = str(row.get("level") or "commune").strip().lower() or "commune"
        if level not in LEVELS:
            bad("level", "un niveau (" + ", ".join(LEVELS) + ")")
        year = _year(row.get("year"))
        if year is None:
            bad("year", "une année entre 1990 et 2100")
        programme = str(row.get("programme") or "").strip()
        if not programme:
            bad("programme", "un nom de programme")
        funder = str(row.get("funder") or "").strip()
        if not funder:
            bad("funder", "un financeur")
        amount = _amount(row.get("amount"))
        if amount is None:
            bad("amount", "un montant en euros positif ou nul (virgule décimale acceptée)")
        reference = str(row.get("reference") or "").strip()
        if reference:
            if reference in seen:
                problems.append(Problem("allocation_grant_reference_repeated",
                                        {"reference": reference, "where": f"ligne {seen[reference]}"},
                                        Location(source=display, line=line, column="reference")))
            seen.setdefault(reference, line)
        if code and level in LEVELS and year is not None and programme and funder and amount is not None:
            records.append(GrantRecord(line, code, level, year, programme[:200], funder[:200], amount,
                                       reference[:120], str(row.get("note") or "").strip()[:300]))
    return records, problems
