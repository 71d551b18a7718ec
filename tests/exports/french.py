"""Checks shared by the tests of the exports: a workbook a French reader can use as it is."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl

#: English column names and values the exports used to show (none may appear as a header or a value).
ENGLISH = {"theme", "theme_label", "n_actions", "share", "family", "rule", "polarity", "value", "code", "label",
           "TRUE", "FALSE", "True", "False", "adverse", "neutral", "favourable", "suppressed", "primary", "secondary",
           "missing", "numerator", "denominator", "lower", "upper", "state", "indicator", "level", "name", "period",
           "determinants", "health", "status", "kind", "contract", "approach", "strategy", "determinant", "notes"}
SNAKE = re.compile(r"^[a-z]+(_[a-z0-9]+)+$")
NUMBER_TEXT = re.compile(r"^-?\d+[.,]\d+$")


def digits_of(number_format: str) -> int | None:
    """Digits after the decimal point shown by an XLSX number format (percent: two more in the value)."""
    if number_format in ("General", "@"):
        return None
    match = re.search(r"0\.(0+)", number_format)
    digits = len(match.group(1)) if match else 0
    return digits + 2 if "%" in number_format else digits


def assert_french_xlsx(data: bytes, *, numeric_headers: tuple[str, ...] = ()) -> openpyxl.Workbook:
    """French headers and values, typed and rounded numbers, header frozen, « À propos » with the rule."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames[-1] == "À propos", book.sheetnames
    seen_numbers = 0
    for sheet in book.worksheets[:-1]:
        assert not SNAKE.match(sheet.title) and sheet.title not in ENGLISH, sheet.title
        assert sheet.freeze_panes == "A2", (sheet.title, sheet.freeze_panes)
        rows = list(sheet.iter_rows())
        header = [c.value for c in rows[0]]
        for cell in rows[0]:
            assert cell.font.bold, (sheet.title, cell.value)
            assert isinstance(cell.value, str) and cell.value not in ENGLISH and not SNAKE.match(cell.value), \
                (sheet.title, cell.value)
        for row in rows[1:]:
            for title, cell in zip(header, row, strict=False):
                value = cell.value
                if isinstance(value, str):
                    assert value not in ENGLISH, (sheet.title, title, value)
                    assert not NUMBER_TEXT.match(value), (sheet.title, title, value)  # a number written as text
                    if title in numeric_headers:
                        raise AssertionError(f"{sheet.title} / {title} : {value!r} est du texte")
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    seen_numbers += 1
                    digits = digits_of(cell.number_format)
                    assert digits is not None, (sheet.title, title, value, "sans format de nombre")
                    assert round(value, digits) == value, (sheet.title, title, value, cell.number_format)
    assert seen_numbers, "aucun nombre dans le classeur"
    about = {r[0]: r[1] for r in book["À propos"].iter_rows(min_row=2, values_only=True)}
    assert {"Source", "Date de l'export", "Filtres appliqués", "Secret statistique"} <= set(about), about
    assert "seuil 10" in about["Secret statistique"] and "secret statistique" in about["Secret statistique"]
    assert ".py" not in about["Source"] and "seed" not in about["Source"].lower()
    return book


def assert_french_ods(data: bytes) -> dict:
    """The ODS workbook read back (pandas, odf engine): same French sheets, headers and typed cells."""
    import pandas as pd

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        content = archive.read("content.xml").decode()
        settings = archive.read("settings.xml").decode()
    assert 'office:value-type="float"' in content
    assert "VerticalSplitPosition" in settings  # the header row is frozen
    sheets = pd.read_excel(io.BytesIO(data), engine="odf", sheet_name=None)
    assert list(sheets)[-1] == "À propos"
    for name, frame in list(sheets.items())[:-1]:
        for column in frame.columns:
            assert column not in ENGLISH and not SNAKE.match(str(column)), (name, column)
        for column in frame.columns:
            for value in frame[column].dropna():
                assert value not in ENGLISH, (name, column, value)
    about = dict(zip(sheets["À propos"]["Rubrique"], sheets["À propos"]["Texte"], strict=True))
    assert "seuil 10" in about["Secret statistique"]
    return sheets


def read_back(content: bytes, fmt: str = "csv", sheet: int | str = 0):
    """An export read back under the column keys and coded values the code builds it with, so that the
    tests comparing numbers across pages, API and files keep comparing them. Every key whose French
    header matches gets the column (« Secret » is both ``suppression`` and ``secret``)."""
    import pandas as pd

    from equisante import exports

    if fmt == "csv":
        text = content.decode("utf-8-sig")
        frame = pd.read_csv(io.StringIO(text), sep=";", dtype=str, keep_default_na=False)
    else:
        frame = pd.read_excel(io.BytesIO(content), sheet_name=sheet, dtype=object,
                              engine="odf" if fmt == "ods" else None)
    out = {}
    for header in frame.columns:
        keys = [k for k, c in exports.COLUMNS.items() if header in (c.header, exports.csv_header(c))] or [header]
        for key in keys:
            column = exports.COLUMNS.get(key)
            values = frame[header]
            if column is not None and column.values:
                reverse = {}
                for code, label in column.values.items():
                    reverse.setdefault(label, code)
                values = values.map(lambda v, r=reverse: r.get(v, v))
            if column is not None and fmt == "csv" and column.kind in (exports.INTEGER, exports.DECIMAL,
                                                                        exports.EUROS, exports.PERCENTAGE):
                values = values.map(lambda v: v.replace(",", ".") if isinstance(v, str) else v)
            if column is not None and column.kind == exports.BOOLEAN:
                values = values.map(lambda v: {"oui": "True", "non": "False"}.get(v, v) if fmt == "csv"
                                    else {"oui": True, "non": False}.get(v, v))
            out.setdefault(key, values)
    return pd.DataFrame(out)
