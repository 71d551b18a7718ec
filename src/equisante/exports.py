"""Tabular exports shared by the pages, the command line and the API (pure: pandas and openpyxl).

One vocabulary: ``--format csv|xlsx`` on the command line, ``?format=csv|xlsx`` on pages; column
names are the snake_case names of the import formats, so an export can be re-imported.
CSV is UTF-8 with a BOM (opens correctly in spreadsheet software), comma-separated, dot decimals.

Formula injection: a text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
would be run as a formula by a spreadsheet. Every export goes through this module, which neutralises
such cells in one place: in CSV the text gets a leading apostrophe (``'=HYPERLINK(…)``, which
spreadsheets show as text and :mod:`equisante.tables` strips again on import); in XLSX the cell is
written as a text cell (never a formula), its content unchanged. Numbers stay numbers (``-3.5`` is not
touched, in a numeric column or as text that reads as a number).
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


#: First characters that make a spreadsheet read a cell as a formula (or a DDE command).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    """Whether ``value`` is text a spreadsheet would run as a formula (numbers written as text are not)."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return False
    try:
        float(value.replace(",", ".", 1))
    except ValueError:
        return True
    return not value.strip() or value[0] in "\t\r" or value.strip().lower() in {"nan", "inf", "-inf", "+inf"}


def neutralise(value):
    """``value`` made inert for a CSV reader: formula-like text gets a leading apostrophe; carriage
    returns inside a text become line feeds (so that the CSV writer quotes the cell)."""
    if is_formula_like(value):
        value = "'" + value
    if isinstance(value, str) and "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def neutralised(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` whose text cells and column names are inert (see :func:`neutralise`)."""
    columns = [neutralise(str(c)) if isinstance(c, str) else c for c in table.columns]
    text_columns = [c for c in table.columns if not pd.api.types.is_numeric_dtype(table[c].dtype)
                    and not pd.api.types.is_datetime64_any_dtype(table[c].dtype)]
    if not text_columns and columns == list(table.columns):
        return table
    table = table.copy()
    for column in text_columns:
        if table[column].map(lambda v: is_formula_like(v) or (isinstance(v, str) and "\r" in v)).any():
            table[column] = table[column].map(neutralise).astype(object)
    table.columns = columns
    return table


def to_csv_bytes(table: pd.DataFrame) -> bytes:
    """The table as UTF-8 CSV (with BOM), no index, formula-like cells neutralised."""
    return neutralised(table).to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def csv_row(values) -> list:
    """One row for :func:`csv.writer`, neutralised: for the few writers that stream CSV row by row."""
    return [neutralise(v) for v in values]


def to_xlsx_bytes(tables: pd.DataFrame | Mapping[str, pd.DataFrame], *, notes: Mapping[str, str] | None = None) -> bytes:
    """The table(s) as an XLSX workbook: one sheet per table (sheet names cut to 31 characters), and
    an optional ``notes`` sheet (key → text) stating sources, units and rules applied."""
    if isinstance(tables, pd.DataFrame):
        tables = {"donnees": tables}
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, table in tables.items():
            table.to_excel(writer, sheet_name=_sheet_name(name), index=False)
            _fit_columns(writer.sheets[_sheet_name(name)], table)
        if notes:
            pd.DataFrame({"note": list(notes), "texte": list(notes.values())}).to_excel(
                writer, sheet_name="notes", index=False
            )
        for sheet in writer.sheets.values():
            _no_formulas(sheet)
    return buffer.getvalue()


def _no_formulas(sheet) -> None:
    """Every cell openpyxl took for a formula (text beginning with ``=``) becomes a text cell."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def render(table: pd.DataFrame, fmt: str, **options) -> tuple[bytes, str]:
    """Bytes and content type of ``table`` in format ``fmt`` (``csv`` or ``xlsx``)."""
    if fmt == "csv":
        return to_csv_bytes(table), FORMATS["csv"]
    if fmt == "xlsx":
        return to_xlsx_bytes(table, **options), FORMATS["xlsx"]
    raise ValueError(f"format inconnu : {fmt!r} (formats acceptés : {', '.join(FORMATS)})")


def _sheet_name(name: str) -> str:
    cleaned = "".join("_" if c in "[]:*?/\\" else c for c in str(name))
    return cleaned[:31] or "donnees"


def _fit_columns(sheet, table: pd.DataFrame) -> None:
    from openpyxl.utils import get_column_letter

    for index, column in enumerate(table.columns, start=1):
        sample = table[column].head(200).map(lambda v: "" if pd.isna(v) else str(v))
        width = max([len(str(column))] + [len(v) for v in sample]) + 2
        sheet.column_dimensions[get_column_letter(index)].width = min(width, 60)
