"""The shared table reader: formats, encodings, separators, limits, bombs refused in bounded memory."""

from __future__ import annotations

import gzip
import io
import time
import tracemalloc
import zipfile

import pytest

from equisante import tables
from equisante.tables import Limits, TableError

pytestmark = pytest.mark.core

SMALL = Limits(max_bytes=20 * tables.MB, max_rows=1000, max_columns=20)


def _refused(function, *args, **kwargs) -> TableError:
    with pytest.raises(TableError) as caught:
        function(*args, **kwargs)
    return caught.value


def test_gzip_is_recognised_by_content_and_encodings_fall_back():
    text = "code;nom\n01001;L'Abergement-Clémenciat\n"
    data, name = tables.load(gzip.compress(text.encode("cp1252")), "communes.csv")
    assert name == "communes.csv" and tables.decode(data) == text
    assert tables.decode(b"\xef\xbb\xbf" + text.encode()) == text
    assert tables.decode(text.encode("utf-16")) == text
    assert tables.separator_of(text) == ";" and tables.separator_of("a\tb\n") == "\t"


def test_gzip_bomb_is_refused_in_bounded_memory_and_time():
    bomb = gzip.compress(b"\x00" * (200 * tables.MB), 9)  # 200 MiB behind ~200 KB
    assert len(bomb) < 1 * tables.MB
    tracemalloc.start()
    started = time.perf_counter()
    try:
        error = _refused(tables.load, bomb, "communes.geojson.gz", limit=SMALL)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert error.code == "import_too_large" and error.params["limit"] == "20"
    assert peak < 3 * SMALL.max_bytes  # the limit plus bounded chunks, never the 200 MiB
    assert time.perf_counter() - started < 30


def _xlsx_bomb(rows: int) -> bytes:
    """An XLSX whose sheet holds ``rows`` rows, written straight as XML (compresses ~1000:1)."""
    row = b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>'
    sheet = io.BytesIO()
    sheet.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b"<sheetData>")
    for i in range(1, rows + 1):
        sheet.write(row % (i, i))
    sheet.write(b"</sheetData></worksheet>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", sheet.getvalue())
    return out.getvalue()


def test_zip_bomb_as_xlsx_is_refused_by_its_declared_size_before_parsing():
    data = _xlsx_bomb(400_000)  # ~25 MB of XML behind a small archive
    tracemalloc.start()
    try:
        error = _refused(tables.check_workbook, data, "xlsx", limit=Limits(max_bytes=5 * tables.MB))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert error.code == "import_too_large" and peak < 2 * len(data) + tables.MB


def test_too_many_rows_in_a_workbook_are_counted_on_a_stream():
    data = _xlsx_bomb(5_000)
    tracemalloc.start()
    try:
        error = _refused(tables.check_workbook, data, "xlsx", limit=SMALL)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert error.code == "import_too_many_rows" and error.params["limit"] == 1000
    assert peak < 20 * tables.MB
    tables.check_workbook(_xlsx_bomb(900), "xlsx", limit=SMALL)  # under the limit: accepted


def test_csv_limits_on_rows_and_columns_with_the_line():
    many = "a,b\n" + "1,2\n" * 1001
    assert _refused(lambda: list(tables.csv_rows(many, limit=SMALL))).code == "import_too_many_rows"
    assert len(list(tables.csv_rows("a,b\n" + "1,2\n" * 1000, limit=SMALL))) == 1001
    wide = "a,b\n1,2\n" + ",".join("x" * 30) + "\n"
    error = _refused(lambda: list(tables.csv_rows(wide, limit=SMALL)))
    assert error.code == "import_too_many_columns" and error.line == 3 and error.params["count"] == 30


def test_random_bytes_are_called_a_binary_file_not_an_empty_one():
    import random

    noise = random.Random(7).randbytes(20_000)
    error = _refused(tables.decode, noise)
    assert error.code == "import_binary_file"
    problem = error.problem("bruit.csv")
    assert "binaire" in problem.title and "vide" not in problem.message


def test_a_stray_control_character_is_an_encoding_problem_with_its_line():
    error = _refused(tables.decode, b"code,nom\n01001,Ain\x81\n")
    assert error.code == "encoding_invalid" and error.line == 2 and "0x81" in error.problem("f.csv").message


def test_damaged_gzip_is_reported():
    data = gzip.compress(b"code\n01001\n" * 100)
    assert _refused(tables.load, data[: len(data) // 2], "x.gz").code == "import_archive_corrupt"


def test_limits_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("EQUISANTE_IMPORT_MAX_MB", "2")
    monkeypatch.setenv("EQUISANTE_IMPORT_MAX_ROWS", "10")
    monkeypatch.setenv("EQUISANTE_IMPORT_MAX_COLUMNS", "3")
    assert Limits.from_environment() == Limits(2 * tables.MB, 10, 3)
    assert _refused(tables.load, b"x" * (3 * tables.MB)).code == "import_too_large"


def test_export_neutralisation_is_undone_on_import():
    assert tables.strip_neutraliser("'=HYPERLINK(1)") == "=HYPERLINK(1)"
    assert tables.strip_neutraliser("'apostrophe") == "'apostrophe"


# --- every importer goes through the reader ----------------------------------------------------------

@pytest.fixture
def small_limits(monkeypatch):
    monkeypatch.setenv("EQUISANTE_IMPORT_MAX_MB", "20")
    monkeypatch.setenv("EQUISANTE_IMPORT_MAX_ROWS", "1000")


def test_territory_reader_refuses_a_geojson_gzip_bomb_in_bounded_memory(small_limits):
    from equisante.territories.reading import read_geojson

    bomb = gzip.compress(b" " * (100 * tables.MB), 9)
    tracemalloc.start()
    try:
        records, problems = read_geojson(bomb, name="communes.geojson.gz")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert records == [] and [p.code for p in problems] == ["import_too_large"]
    assert "communes.geojson.gz" in str(problems[0]) and peak < 60 * tables.MB


def test_indicator_reader_refuses_an_xlsx_with_too_many_rows_before_parsing_it(small_limits):
    from equisante.indicators.reading import read_values

    started = time.perf_counter()
    reading = read_values(_xlsx_bomb(50_000), name="valeurs.xlsx")
    assert [p.code for p in reading.problems] == ["import_too_many_rows"]
    assert time.perf_counter() - started < 20


def test_indicator_and_territory_readers_call_random_bytes_binary(tmp_path):
    import random

    from equisante.indicators.reading import read_values
    from equisante.territories.reading import read_cog

    noise = random.Random(3).randbytes(5_000)
    assert [p.code for p in read_values(noise, name="valeurs.csv").problems] == ["import_binary_file"]
    assert [p.code for p in read_cog(noise, name="communes.csv", level="commune").problems] == ["import_binary_file"]


def test_action_sheet_reader_refuses_binary_and_too_many_rows(small_limits):
    import random

    from equisante.actionsheets.exchange import read_action_sheets
    from equisante.errors import InputRejected

    with pytest.raises(InputRejected) as caught:
        read_action_sheets(random.Random(5).randbytes(5_000), name="fiches.csv")
    assert [p.code for p in caught.value.problems] == ["import_binary_file"]
    with pytest.raises(InputRejected) as caught:
        read_action_sheets(_xlsx_bomb(5_000), name="fiches.xlsx")
    assert [p.code for p in caught.value.problems] == ["import_too_many_rows"]
