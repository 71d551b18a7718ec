"""Read a register of grants (CSV, XLSX or ODS, one row per grant) into plain records (pure).

Columns, under their French headers (:data:`HEADERS`, what the template and the exports write; the
English names and the older spellings of :data:`ALIASES` are read too): « Code du territoire »,
« Niveau » (default ``commune``), « Année », « Programme », « Financeur », « Montant (€) » (decimal
comma accepted, spaces ignored), optional « Référence » and « Note ». The file is read by the shared
table reader (:func:`equisante.tables.read_rows`: encodings, separators, limits). Every problem is
reported with its line and its column's French header; the caller imports nothing when there is one.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from equisante import tables
from equisante.allocation import errors as _catalogue  # noqa: F401 — declares the codes used here
from equisante.errors import Location, Problem

REQUIRED = ("code", "year", "programme", "funder", "amount")
OPTIONAL = ("level", "reference", "note")
#: French header of each column (template, messages).
HEADERS = {"code": "Code du territoire", "level": "Niveau", "year": "Année", "programme": "Programme",
           "funder": "Financeur", "amount": "Montant (€)", "reference": "Référence", "note": "Note"}
#: Other accepted spellings (folded by :func:`equisante.tables.fold_header`).
ALIASES = {"code": ["territoire", "code territoire", "code"], "level": ["niveau"], "year": ["annee", "année"],
           "funder": ["financeur"], "amount": ["montant", "montant_eur", "montant (€)", "montant en euros"],
           "reference": ["référence", "ref"]}
#: One example row of the template (:mod:`equisante.imports_templates`).
EXAMPLE = {"code": "01001", "level": "commune", "year": 2024, "programme": "Prévention des addictions",
           "funder": "ARS", "amount": 12500.5, "reference": "ARS-2024-001", "note": "Exemple à remplacer"}
LEVELS = ("region", "departement", "epci", "commune", "iris", "qpv", "zone")
_LOOKUP = tables.header_lookup(HEADERS, ALIASES)


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
    folded = tables.fold_header(name)
    return _LOOKUP.get(folded, folded)


def rows_of(source, name: str | None = None) -> tuple[list[tuple[int, list]], str, list[Problem]]:
    """(line, cells) of every row (header first), the display name, and the problems of the file."""
    display = name or str(getattr(source, "name", "") or "fichier")
    try:
        display, _kind, rows = tables.read_rows(source, name)
    except tables.TableError as exc:
        return [], display, [exc.problem(display)]
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
    expected = ", ".join(f"« {HEADERS[c]} »" for c in REQUIRED + OPTIONAL)
    for column in REQUIRED:
        if column not in columns:
            problems.append(Problem("allocation_grant_column_missing", {"column": HEADERS[column],
                                                                        "expected": expected},
                                    Location(source=display, line=header_line, column=HEADERS[column])))
    if problems:
        return [], problems
    records, seen = [], {}
    for line, cells in rows[1:]:
        row = {c: (cells[i] if i < len(cells) else None) for i, c in enumerate(columns)}

        def bad(column, expected_text):
            problems.append(Problem("allocation_grant_value_invalid",
                                    {"value": "" if row.get(column) is None else row.get(column),
                                     "expected": expected_text},
                                    Location(source=display, line=line, column=HEADERS[column])))

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
                                        Location(source=display, line=line, column=HEADERS["reference"])))
            seen.setdefault(reference, line)
        if code and level in LEVELS and year is not None and programme and funder and amount is not None:
            records.append(GrantRecord(line, code, level, year, programme[:200], funder[:200], amount,
                                       reference[:120], str(row.get("note") or "").strip()[:300]))
    return records, problems
