"""The text of a PDF, for tests: with pypdf when installed, else ``pdftotext`` when present, else a
small reader of the PDFs WeasyPrint writes (compressed streams, Type 0 fonts with a ToUnicode map,
text shown by ``Tj`` / ``TJ`` with hexadecimal strings).

Word spacing differs between the three, so tests compare text with :func:`squash` (white space
removed): a table row « Accès aux soins | 2 | 40,0 % » reads ``Accèsauxsoins240,0%`` in every case.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import zlib


def squash(text: str) -> str:
    """``text`` without any white space (no-break spaces included)."""
    return re.sub(r"\s+", "", text.replace("\u00a0", " ").replace("\u202f", " "))


def pdf_text(data: bytes) -> str:
    """All the text of the PDF ``data``, page after page."""
    try:
        import pypdf  # noqa: PLC0415  (optional)
    except ImportError:
        pypdf = None
    if pypdf is not None:
        import io

        return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    if shutil.which("pdftotext"):
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(data)
            handle.flush()
            return subprocess.run(["pdftotext", "-layout", handle.name, "-"], check=True, capture_output=True,
                                  text=True).stdout
    return weasyprint_pdf_text(data)


def page_count(data: bytes) -> int:
    """Pages of a PDF (its page objects, packed ones included)."""
    return sum(1 for body in _objects(data).values() if re.search(rb"/Type\s*/Page(?![s\w])", body))


# --- the fallback reader ----------------------------------------------------------------------------

_OBJECT = re.compile(rb"(\d+)\s+0\s+obj(.*?)endobj", re.S)
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_FONT_DICT = re.compile(rb"/Font\s*(?:<<(.*?)>>|(\d+)\s+0\s+R)", re.S)
_FONT_REF = re.compile(rb"/([\w+-]+)\s+(\d+)\s+0\s+R")
_TO_UNICODE = re.compile(rb"/ToUnicode\s+(\d+)\s+0\s+R")
_TOKEN = re.compile(rb"\[(.*?)\]\s*TJ|<([0-9a-fA-F\s]*)>\s*Tj|/([\w+-]+)\s+[\d.]+\s+Tf|"
                    rb"[-\d.]+\s+[-\d.]+\s+[-\d.]+\s+[-\d.]+\s+[-\d.]+\s+([-\d.]+)\s+Tm", re.S)


def _objects(data: bytes) -> dict[int, bytes]:
    """Every object by number, those packed in object streams (``/Type /ObjStm``) included."""
    objects = {int(m.group(1)): m.group(2) for m in _OBJECT.finditer(data)}
    for body in list(objects.values()):
        if b"/ObjStm" not in body[:200]:
            continue
        packed, first = _stream(body), re.search(rb"/First\s+(\d+)", body)
        if packed is None or first is None:
            continue
        header = [int(x) for x in packed[:int(first.group(1))].split()]
        offsets = [(header[i], int(first.group(1)) + header[i + 1]) for i in range(0, len(header) - 1, 2)]
        for k, (number, start) in enumerate(offsets):
            end = offsets[k + 1][1] if k + 1 < len(offsets) else len(packed)
            objects.setdefault(number, packed[start:end])
    return objects


def _stream(body: bytes) -> bytes | None:
    match = _STREAM.search(body)
    if match is None:
        return None
    raw = match.group(1)
    if b"FlateDecode" in body[:match.start()]:
        try:
            return zlib.decompress(raw)
        except zlib.error:
            return None
    return raw


def _utf16(hexdigits: bytes) -> str:
    return bytes.fromhex(hexdigits.decode()).decode("utf-16-be", errors="replace")


def _cmap(text: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            mapping[int(src, 16)] = _utf16(dst)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", text, re.S):
        for low, high, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            start = int(dst, 16)
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping[code] = chr(start + offset)
    return mapping


def weasyprint_pdf_text(data: bytes) -> str:
    """Text of a PDF written by WeasyPrint (not a general PDF reader)."""
    objects = _objects(data)
    unicode_maps: dict[int, dict[int, str]] = {}
    for number, body in objects.items():
        match = _TO_UNICODE.search(body)
        if match:
            stream = _stream(objects.get(int(match.group(1)), b""))
            unicode_maps[number] = _cmap(stream or b"")
    fonts: dict[bytes, dict[int, str]] = {}
    for body in objects.values():
        for inline, reference in _FONT_DICT.findall(body):
            block = inline or objects.get(int(reference or 0), b"")
            for name, number in _FONT_REF.findall(block):
                fonts[name] = unicode_maps.get(int(number), {})
    out = []
    for body in objects.values():
        content = _stream(body)
        if not content or (b"Tj" not in content and b"TJ" not in content):
            continue
        current: dict[int, str] = {}
        last_y = None
        for array, single, font, y in _TOKEN.findall(content):
            if font:
                current = fonts.get(font, {})
            elif y:
                if last_y is not None and y != last_y:
                    out.append("\n")
                elif last_y is not None:
                    out.append(" ")
                last_y = y
            else:
                for hexdigits in re.findall(rb"<([0-9a-fA-F\s]*)>", array) if array else [single]:
                    digits = re.sub(rb"\s", b"", hexdigits)
                    for i in range(0, len(digits) - 3, 4):
                        out.append(current.get(int(digits[i:i + 4], 16), "\ufffd"))
        out.append("\n")
    return "".join(out)
