"""Every PDF of the product is written here: tagged and accessible (PDF/UA-1), in French, titled.

Portraits, ISTS profiles, reviews (bilans), allocation notes and notification letters are HTML
documents that WeasyPrint turns into PDF. :func:`render_pdf` is the one place that does it, so that
every file gets the same accessibility features:

- a *tagged* PDF (structure tree: headings, paragraphs, lists, tables with their header cells,
  figures with their alternative text), marked as such (``/MarkInfo``), PDF/UA-1 variant;
- the document language (``/Lang fr``), taken from ``<html lang="fr">`` (French when absent);
- a title in the metadata (``<title>`` of the page, or ``title=``), that viewers show instead of
  the file name (``/DisplayDocTitle``); the description, author and generator go with it.

Charts are inline SVG: their ``<title>`` becomes the figure's alternative text; the numbers stay in
the table printed beside each chart.
"""

from __future__ import annotations

#: The PDF variant: PDF/UA-1 (ISO 14289-1), universal accessibility.
PDF_VARIANT = "pdf/ua-1"
LANGUAGE = "fr"
AUTHOR = "equisante"


def render_pdf(document: str, *, title: str | None = None, description: str | None = None,
               base_url: str | None = None) -> bytes:
    """The HTML ``document`` as an accessible PDF (bytes).

    ``title``: the title written in the PDF's metadata (default: the document's ``<title>``);
    ``description``: its subject (default: ``<meta name="description">``)."""
    from weasyprint import HTML  # heavy import: only when a PDF is asked for

    rendered = HTML(string=document, base_url=base_url).render(pdf_tags=True, pdf_variant=PDF_VARIANT)
    metadata = rendered.metadata
    if title:
        metadata.title = title
    if not metadata.title:
        metadata.title = AUTHOR
    if description:
        metadata.description = description
    if not metadata.lang:
        metadata.lang = LANGUAGE
    if not metadata.authors:
        metadata.authors = [AUTHOR]
    metadata.generator = metadata.generator or AUTHOR
    return rendered.write_pdf(pdf_tags=True, pdf_variant=PDF_VARIANT)
