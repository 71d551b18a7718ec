"""A profile (or the overview) as files: a standalone HTML report, a PDF and an XLSX workbook.

The HTML report is one document with its styles inline and its charts as inline SVG: it opens
offline, prints, and WeasyPrint turns the same text into the PDF (as the territory portraits do).
The workbook (XLSX or ODS) is :func:`equisante.portfolio.to_xlsx` of the same report: one sheet per
table, French headers and typed cells, and an « À propos » sheet (source, date, data selection,
confidentiality rule, settings of the checks).
"""

from __future__ import annotations

from django.template.loader import render_to_string

from equisante.exports import FORMATS as TABLE_TYPES
from equisante.exports import About
from equisante.portfolio import to_xlsx
from equisante.portfolio.report import SOURCE
from equisante.profiles.presentation import Presentation

FORMATS = ("html", "pdf", "xlsx", "ods")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": TABLE_TYPES["xlsx"],
    "ods": TABLE_TYPES["ods"],
}


def html(presentation: Presentation, *, pdf: bool = False, extra: dict | None = None) -> str:
    """The standalone report (no script, no external file)."""
    context = {"p": presentation, "pdf": pdf}
    context.update(extra or {})
    return render_to_string("profiles/report.html", context)


def pdf(presentation: Presentation, *, extra: dict | None = None) -> bytes:
    """The report as PDF (WeasyPrint, A4; the charts stay vectors)."""
    from equisante.pdf import render_pdf

    return render_pdf(html(presentation, pdf=True, extra=extra), title=presentation.title)


def xlsx(presentation: Presentation, fmt: str = "xlsx") -> bytes:
    """Every table of the report, one workbook sheet each, and the « À propos » sheet."""
    from equisante.portal.exporting import threshold

    generated = presentation.generated
    if getattr(generated, "tzinfo", None) is not None:
        from django.utils import timezone

        generated = timezone.localtime(generated).replace(tzinfo=None)
    about = About(source=SOURCE, title=presentation.title, exported=generated, threshold=threshold(),
                  filters=[("Sélection", " ".join(presentation.selection))])
    return to_xlsx(presentation.report, about=about, fmt=fmt)


def render(presentation: Presentation, fmt: str, *, extra: dict | None = None) -> bytes:
    """The report in ``fmt`` (one of :data:`FORMATS`) as bytes."""
    if fmt == "html":
        return html(presentation, extra=extra).encode("utf-8")
    if fmt == "pdf":
        return pdf(presentation, extra=extra)
    if fmt in ("xlsx", "ods"):
        return xlsx(presentation, fmt)
    raise ValueError(f"format {fmt!r}")
