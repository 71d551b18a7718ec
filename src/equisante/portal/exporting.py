"""Every table of the pages can be downloaded: the same view answers ``?format=csv|xlsx`` with the
table as a file (through :func:`equisante.exports.render`), named ``equisante-<what>-<date>.<ext>``."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify

from equisante.exports import FORMATS, render

#: Formats a page may be asked for; ``geojson`` is offered by map pages only.
TABLE_FORMATS = tuple(FORMATS)


def requested_format(request, allowed: tuple[str, ...] = TABLE_FORMATS) -> str | None:
    """The export format asked for by ``?format=``, or None for the HTML page (unknown formats too)."""
    fmt = request.GET.get("format", "").strip().lower()
    return fmt if fmt in allowed else None


def filename(stem: str, fmt: str) -> str:
    """``equisante-<stem>-<YYYY-MM-DD>.<fmt>`` (local date), ``stem`` made file-safe."""
    return f"equisante-{slugify(stem)}-{timezone.localdate().isoformat()}.{fmt}"


def table_response(table: pd.DataFrame, fmt: str, stem: str, *, notes: Mapping[str, str] | None = None) -> HttpResponse:
    """``table`` as a downloadable CSV or XLSX file."""
    options = {}
    if fmt == "xlsx":
        options["notes"] = dict(notes or {}) or None
        # Empty cells as "": the exports helper sizes columns from str() of the cells, which fails on
        # missing values under pandas 3; "" is read back as an empty cell.
        table = table.astype(object).where(table.notna(), "")
    data, content_type = render(table, fmt, **options)
    return attachment(data, content_type, filename(stem, fmt))


def attachment(data: bytes | str, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
