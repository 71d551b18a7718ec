"""A profile (or the overview) as files: a standalone HTML report, a PDF and an XLSX workbook.

The HTML report is one document with its styles inline and its charts as inline SVG: it opens
offline, prints, and WeasyPrint turns the same text into the PDF (as the territory portraits do).
The workbook is :func:`equisante.portfolio.to_xlsx` of the same report: one sheet per table, with
French label columns, and a ``notes`` sheet.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from equisante.portfolio import to_xlsx
from equisante.profiles.presentation import Presentation

FORMATS = ("html", "pdf", "xlsx")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def html(presentation: Presentation, *, pdf: bool = False, extra: dict | None = None) -> str:
    """The standalone report (no script, no external file)."""
    context = {"p": presentation, "pdf": pdf}
    context.update(extra or {})
    return render_to_string("profiles/report.html", context)


def pdf(presentation: Presentation, *, extra: dict | None = None) -> bytes:
    """The report as PDF (WeasyPrint, A4; the charts stay vectors)."""
    from weasyprint import HTML

    return HTML(string=html(presentation, pdf=True, extra=extra)).write_pdf()


def xlsx(presentation: Presentation) -> bytes:
    """Every table of the report, one workbook sheet each, and the notes."""
    return to_xlsx(presentation.report)


def render(presentation: Presentation, fmt: str, *, extra: dict | None = None) -> bytes:
    """The report in ``fmt`` (one of :data:`FORMATS`) as bytes."""
    if fmt == "html":
        return html(presentation, extra=extra).encode("utf-8")
    if fmt == "pdf":
        return pdf(presentation, extra=extra)
    if fmt == "xlsx":
        return xlsx(presentation)
    raise ValueError(f"format {fmt!r}")
