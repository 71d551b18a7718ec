"""Tabular exports shared by the pages, the command line and the API (pure: pandas and openpyxl).

One vocabulary: ``--format csv|xlsx`` on the command line, ``?format=csv|xlsx`` on pages; column
names are the snake_case names of the import formats, so an export can be re-imported.
CSV is UTF-8 with a BOM (opens correctly in spreadsheet software), comma-separated, dot decimals.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def to_csv_bytes(table: pd.DataFrame) -> bytes:
    """The table as UTF-8 CSV (with BOM), no index."""
    return table.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


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
    return buffer.getvalue()


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
