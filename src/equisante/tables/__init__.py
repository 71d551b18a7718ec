"""The one reader of tables for every importer (pure Python: no Django).

Territories (GeoJSON, COG CSV), indicators (CSV, XLSX, ODS), action sheets (CSV, XLSX) and any later
importer get their bytes, text, CSV rows and workbook rows from here, so that they share:

- **formats**: ``.gz`` (gzip, recognised by its magic number whatever the name), encodings (UTF-8 with
  or without BOM, UTF-16 with BOM, else Windows-1252 then ISO-8859-1), separators (``;``, tab, ``,``,
  ``|`` guessed on the first line), XLSX and ODS workbooks recognised by their content;
- **limits** (:class:`Limits`, from the environment): decompressed size (``EQUISANTE_IMPORT_MAX_MB``,
  default 500), rows (``EQUISANTE_IMPORT_MAX_ROWS``, default 1,000,000) and columns
  (``EQUISANTE_IMPORT_MAX_COLUMNS``, default 500). A gzip file is inflated by bounded chunks and
  refused as soon as it passes the limit; a workbook is refused from its archive's declared sizes and
  a streamed count of its rows *before* it is parsed; CSV rows are counted while they are read. A
  2 GiB gzip bomb or a zip bomb disguised as XLSX is refused in bounded memory and time;
- **messages**: a file of binary content is called so (``import_binary_file``), never « Fichier vide ».

Every refusal is a :class:`TableError` carrying a catalogue code and its parameters; each importer
turns it into one of its :class:`~equisante.errors.Problem` (with its own file name and location).
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from equisante.errors import Location, Problem
from equisante.tables import errors as _catalogue  # noqa: F401 — declares the codes used here

__all__ = ["Limits", "TableError", "load", "gunzip", "decode", "separator_of", "csv_rows", "workbook_kind",
           "check_workbook", "strip_neutraliser"]

MB = 1024 * 1024
#: Control characters that never occur in real text (binary content or a wrong encoding).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
SEPARATORS = (";", "\t", ",", "|")
GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Limits:
    """What an import may hold; :meth:`from_environment` reads the operator's settings."""

    max_bytes: int = 500 * MB
    max_rows: int = 1_000_000
    max_columns: int = 500

    @classmethod
    def from_environment(cls) -> Limits:
        env = os.environ
        return cls(max_bytes=int(float(env.get("EQUISANTE_IMPORT_MAX_MB", "500")) * MB),
                   max_rows=int(env.get("EQUISANTE_IMPORT_MAX_ROWS", "1000000")),
                   max_columns=int(env.get("EQUISANTE_IMPORT_MAX_COLUMNS", "500")))

    @property
    def max_mb(self) -> str:
        return f"{self.max_bytes / MB:g}"


def limits(given: Limits | None = None) -> Limits:
    return given or Limits.from_environment()


class TableError(Exception):
    """A refusal of the input: a catalogue code, its parameters and (maybe) a line."""

    def __init__(self, code: str, line: int | None = None, **params: Any):
        self.code, self.line, self.params = code, line, params
        super().__init__(code)

    def problem(self, source: str | None = None, location: Location | None = None) -> Problem:
        """The refusal as a :class:`Problem` located in ``source`` (or at ``location``)."""
        where = location or Location(source=source, line=self.line)
        return Problem(self.code, dict(self.params), where)


# --- bytes -------------------------------------------------------------------------------------------

def load(source: str | Path | bytes | BinaryIO, name: str | None = None, *, limit: Limits | None = None,
         ) -> tuple[bytes | None, str]:
    """(bytes, display name) of ``source`` (a path, bytes or a binary stream), gunzipped when it is
    gzip whatever its name; ``None`` bytes when the file cannot be read. Raises :class:`TableError`
    beyond the size limit or for a damaged archive."""
    bound = limits(limit)
    if isinstance(source, (bytes, bytearray, memoryview)):
        data, display = bytes(source), name or "fichier"
    elif hasattr(source, "read"):
        display = name or Path(str(getattr(source, "name", "fichier"))).name
        try:
            raw = source.read(bound.max_bytes + 1)
        except OSError:
            return None, display
        data = raw.encode("utf-8") if isinstance(raw, str) else bytes(raw)
    else:
        path = Path(source)
        display = name or path.name
        try:
            if path.stat().st_size > bound.max_bytes:
                raise TableError("import_too_large", limit=bound.max_mb)
            data = path.read_bytes()
        except OSError:
            return None, display
    if len(data) > bound.max_bytes:
        raise TableError("import_too_large", limit=bound.max_mb)
    if data[:2] == GZIP_MAGIC:
        data = gunzip(data, limit=bound)
    return data, display


def gunzip(data: bytes, *, limit: Limits | None = None) -> bytes:
    """Inflate gzip ``data`` (several members allowed) by bounded chunks: never more than the size
    limit plus one chunk in memory, whatever the compression ratio."""
    bound = limits(limit)
    out = bytearray()
    pending = data
    chunk = 1 * MB
    while pending:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            while pending:
                out += inflater.decompress(pending, chunk)
                if len(out) > bound.max_bytes:
                    raise TableError("import_too_large", limit=bound.max_mb)
                pending = inflater.unconsumed_tail
                if inflater.eof:
                    break
            if not inflater.eof:
                raise TableError("import_archive_corrupt", reason="archive tronquée")
        except zlib.error as exc:
            reason = "somme de contrôle incorrecte" if "check" in str(exc) else "données compressées altérées"
            raise TableError("import_archive_corrupt", reason=reason) from None
        pending = inflater.unused_data.lstrip(b"\x00")
        if pending and pending[:2] != GZIP_MAGIC:
            break  # trailing garbage after the last member: ignored, as gzip(1) does
    return bytes(out)


# --- text --------------------------------------------------------------------------------------------

def decode(data: bytes) -> str:
    """Text of a file: UTF-16 when it has a BOM, else UTF-8 (BOM optional), else Windows-1252, else
    ISO-8859-1. Raises :class:`TableError` ``import_binary_file`` when the text holds control
    characters (binary content, or UTF-16 without BOM)."""
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise TableError("encoding_invalid", data.count(b"\n", 0, exc.start) + 1,
                             byte=f"0x{data[exc.start]:02x}", position=exc.start) from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
    bad = CONTROL.search(text)
    if bad is not None:
        position = bad.start()
        # Many control characters (random bytes, an image, an archive): a binary file. A stray one in
        # real text: a wrong encoding, reported with its line.
        code = "import_binary_file" if looks_binary(data) else "encoding_invalid"
        raise TableError(code, text.count("\n", 0, position) + 1, byte=f"0x{ord(bad.group()):02x}", position=position)
    return text


def looks_binary(data: bytes, sample: int = 4096) -> bool:
    """Whether ``data`` is binary content rather than text: at least four control bytes, and more
    than 5 % of its first ``sample`` bytes."""
    head = data[:sample]
    if not head:
        return False
    controls = sum(1 for b in head if b < 9 or 13 < b < 32 or b == 11 or b == 12 or b == 127)
    return controls >= 4 and controls > 0.05 * len(head)


def separator_of(text: str, candidates: tuple[str, ...] = SEPARATORS) -> str:
    """The separator of a CSV: the candidate most frequent on the first non-blank line (``,`` on ties
    and when none occurs)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return max(candidates, key=lambda s: (first.count(s), s == ","))


def csv_rows(text: str, *, separator: str | None = None, limit: Limits | None = None,
             ) -> Iterator[tuple[int, list[str]]]:
    """(first line, cells) of each non-blank row of a CSV text, counted against the limits while they
    are read. Raises :class:`TableError` ``csv_malformed`` (with ``reason``) for a broken CSV."""
    bound = limits(limit)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator or separator_of(text))
    previous, count = 0, 0
    try:
        for cells in reader:
            start, previous = previous + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue
            count += 1
            if count > bound.max_rows + 1:  # the header is not a data row
                raise TableError("import_too_many_rows", limit=bound.max_rows)
            if len(cells) > bound.max_columns:
                raise TableError("import_too_many_columns", start, count=len(cells), limit=bound.max_columns)
            yield start, cells
    except csv.Error as exc:
        reason = str(exc)
        if "field larger than field limit" in reason:
            reason = "une cellule dépasse la taille maximale ; guillemet non fermé ?"
        elif "unexpected end of data" in reason or "EOF" in reason:
            reason = "guillemet non fermé en fin de fichier"
        raise TableError("csv_malformed", previous + 1, reason=reason) from None


def strip_neutraliser(value: Any) -> Any:
    """Undo the export's formula neutralisation (:mod:`equisante.exports`): ``'=x`` back to ``=x``."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value


# --- workbooks ---------------------------------------------------------------------------------------

def workbook_kind(display: str, data: bytes) -> str | None:
    """``xlsx`` or ``ods`` when ``data`` is a workbook (by content, else by name), ``xls`` for the old
    binary Excel format, None otherwise."""
    suffix = Path(display).suffix.lower()
    if data[:4] == ZIP_MAGIC:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "mimetype" in archive.namelist() and b"opendocument.spreadsheet" in archive.read("mimetype")[:100]:
                    return "ods"
        except (zipfile.BadZipFile, OSError, KeyError, ValueError):
            pass
        return "ods" if suffix == ".ods" else "xlsx"
    if suffix in (".xlsx", ".xlsm", ".ods"):
        return "ods" if suffix == ".ods" else "xlsx"
    if data[:8] == OLE_MAGIC or suffix == ".xls":
        return "xls"
    return None


_ROW_TAG = {"xlsx": re.compile(rb"<(?:\w+:)?row[\s>/]"), "ods": re.compile(rb"<table:table-row[\s>/]")}
_OVERLAP = 64  # longer than any row tag: a tag cut between two blocks is counted once


def check_workbook(data: bytes, kind: str, *, limit: Limits | None = None) -> None:
    """Refuse a workbook that would take too much to parse, *before* parsing it: the declared
    uncompressed size of its parts, then the rows of its sheets counted on a bounded stream. Raises
    :class:`TableError`; an unreadable archive is left to the parser (which reports it)."""
    bound = limits(limit)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    with archive:
        members = archive.infolist()
        # zipfile never inflates a member beyond its declared size: checking the sizes bounds the work.
        if sum(m.file_size for m in members) > bound.max_bytes:
            raise TableError("import_too_large", limit=bound.max_mb)
        sheets = [m for m in members if (kind == "xlsx" and m.filename.startswith("xl/worksheets/")
                                         and m.filename.endswith(".xml"))
                  or (kind == "ods" and m.filename == "content.xml")]
        tag = _ROW_TAG.get(kind, _ROW_TAG["xlsx"])
        for member in sheets:
            rows, carry = 0, b""
            try:
                with archive.open(member) as stream:
                    while True:
                        block = stream.read(4 * MB)
                        window = carry + block
                        last = not block
                        safe = len(window) if last else max(0, len(window) - _OVERLAP)
                        rows += sum(1 for m in tag.finditer(window) if m.start() < safe)
                        if rows > bound.max_rows + 1:
                            raise TableError("import_too_many_rows", limit=bound.max_rows)
                        if last:
                            break
                        carry = window[safe:]
            except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
                return


# --- one table of rows, whatever the format ------------------------------------------------------------

def unreadable_reason(exc: BaseException) -> str:
    """Why a workbook could not be opened, in French words (never a Python exception name)."""
    if isinstance(exc, zipfile.BadZipFile):
        return "le fichier n'est pas un classeur valide : archive endommagée ou fichier d'un autre format"
    if isinstance(exc, KeyError):
        return "une partie du classeur est absente : fichier incomplet ou enregistré par un logiciel incompatible"
    if isinstance(exc, OSError):
        return "le fichier ne peut pas être lu"
    return "le contenu du classeur n'est pas conforme au format XLSX ou ODS"


def read_rows(source: str | Path | bytes | BinaryIO, name: str | None = None, *,
              formats: tuple[str, ...] = ("csv", "xlsx", "ods"), limit: Limits | None = None,
              ) -> tuple[str, str, list[tuple[int, list[Any]]]]:
    """(display name, format, rows) of the first sheet of a CSV, XLSX or ODS file, each row as (line as
    a spreadsheet shows it, cells), blank rows left out, export neutralisation undone. Everything goes
    through the limits of this module. Raises :class:`TableError` (French message by its code)."""
    bound = limits(limit)
    data, display = load(source, name, limit=bound)
    if data is None:
        raise TableError("file_not_found", path=display)
    kind = workbook_kind(display, data) or "csv"
    if kind not in formats:
        raise TableError("format_unknown", format=kind.upper(), accepted=", ".join(f.upper() for f in formats))
    if kind == "csv":
        text = decode(data)
        rows = [(line, [strip_neutraliser(c) for c in cells]) for line, cells in csv_rows(text, limit=bound)]
        return display, kind, rows
    check_workbook(data, kind, limit=bound)
    if kind == "xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 — any failure of the parser is a damaged file
            raise TableError("import_workbook_unreadable", reason=unreadable_reason(exc)) from None
        try:
            raw = list(book.worksheets[0].iter_rows(values_only=True))
        except Exception as exc:  # noqa: BLE001
            raise TableError("import_workbook_unreadable", reason=unreadable_reason(exc)) from None
        finally:
            book.close()
    else:
        import pandas as pd

        try:
            frame = pd.read_excel(io.BytesIO(data), engine="odf", header=None, dtype=object, sheet_name=0)
        except Exception as exc:  # noqa: BLE001
            raise TableError("import_workbook_unreadable", reason=unreadable_reason(exc)) from None
        raw = [[None if (isinstance(v, float) and v != v) else v for v in row]
               for row in frame.itertuples(index=False, name=None)]
    rows = []
    for line, cells in enumerate(raw, start=1):
        cells = [strip_neutraliser(c) for c in cells]
        while cells and (cells[-1] is None or (isinstance(cells[-1], str) and not cells[-1].strip())):
            cells.pop()
        if not cells:
            continue
        if len(rows) >= bound.max_rows + 1:
            raise TableError("import_too_many_rows", limit=bound.max_rows)
        if len(cells) > bound.max_columns:
            raise TableError("import_too_many_columns", line, count=len(cells), limit=bound.max_columns)
        rows.append((line, cells))
    return display, kind, rows


def fold_header(text: Any) -> str:
    """A column name folded for matching: lower case, no accents, words joined by ``_``."""
    import unicodedata

    folded = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", folded).strip("_")


def header_lookup(headers: dict[str, str], aliases: dict[str, list[str]] | None = None) -> dict[str, str]:
    """Folded column name → column key, accepting for each key its French header (``headers``), the key
    itself (the English names of earlier files) and its ``aliases``."""
    lookup: dict[str, str] = {}
    for key, names in (aliases or {}).items():
        lookup.update({fold_header(n): key for n in names})
    for key in headers:
        lookup[fold_header(key)] = key
    for key, header in headers.items():
        lookup[fold_header(header)] = key
    return lookup
