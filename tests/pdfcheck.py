"""Checks that a PDF of the product is accessible: tagged (structure tree, ``/MarkInfo``), PDF/UA-1,
in French (``/Lang``), titled (metadata title shown by viewers: ``/DisplayDocTitle``), with a
heading hierarchy that skips no level, header cells in its tables and an alternative text on every
figure. Read with pypdf (a development dependency)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject


def _resolve(item):
    return item.get_object() if isinstance(item, IndirectObject) else item


def structure(root: DictionaryObject) -> list[DictionaryObject]:
    """Every structure element under ``root``, in reading order."""
    found: list[DictionaryObject] = []
    stack = [_resolve(root.get("/K"))]
    seen: set[int] = set()
    while stack:
        item = _resolve(stack.pop())
        if isinstance(item, ArrayObject):
            stack.extend(reversed(list(item)))
        elif isinstance(item, DictionaryObject) and "/S" in item:
            if id(item) in seen:
                continue
            seen.add(id(item))
            found.append(item)
            kids = item.get("/K")
            if kids is not None:
                stack.append(kids)
    return found


def check_accessible_pdf(data: bytes, *, title: Iterable[str] = (), figures: bool = False) -> PdfReader:
    """Assert that ``data`` is an accessible PDF whose title holds every word of ``title``;
    ``figures``: the document must have at least one figure (a chart). Returns the reader."""
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    catalog = reader.trailer["/Root"]
    # tagged
    assert "/StructTreeRoot" in catalog, "PDF non balisé (pas d'arbre de structure)"
    assert bool(catalog["/MarkInfo"]["/Marked"]) is True
    # language and title
    assert str(catalog["/Lang"]) == "fr"
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"]) is True
    metadata_title = reader.metadata.title or ""
    assert metadata_title.strip(), "titre absent des métadonnées"
    for words in title:
        assert words in metadata_title, (words, metadata_title)
    # PDF/UA-1 identification in the XMP metadata, with the same title
    xmp = catalog["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r'pdfuaid:part(="1"|>1<)', xmp), "identification PDF/UA-1 absente"
    assert metadata_title in xmp.replace("&amp;", "&").replace("&#x27;", "'").replace("&apos;", "'")
    # the structure: headings in order, tables with header cells, figures with a text
    elements = structure(catalog["/StructTreeRoot"])
    kinds = [str(e["/S"]) for e in elements]
    headings = [int(k[2]) for k in kinds if len(k) == 3 and k.startswith("/H") and k[2].isdigit()]
    assert headings and headings[0] == 1, headings[:5]
    assert headings.count(1) == 1, "un seul titre de niveau 1"
    current = 1
    for level in headings:
        assert level <= current + 1, f"niveau de titre sauté : h{level} après h{current}"
        current = level
    if "/Table" in kinds:
        assert "/TH" in kinds
    for element in elements:
        if str(element["/S"]) == "/Figure":
            assert str(element.get("/Alt", "")).strip(), "figure sans texte de remplacement"
    if figures:
        assert "/Figure" in kinds
    return reader


def page_texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() or "" for page in reader.pages]


HEADINGS = {"h1", "h2", "h3", "h4"}
CONTENT = {"table", "figure", "svg", "ul", "ol", "dl"}


def stranded_headings(html: str) -> list[str]:
    """Headings left at the foot of a page: after the last heading of a page there is no table,
    figure, chart or list on that page (what the heading announces went to the next page).
    Lays out ``html`` with WeasyPrint, as the PDF is laid out."""
    from weasyprint import HTML

    document = HTML(string=html).render()
    stranded = []
    for number, page in enumerate(document.pages[:-1]):
        order: list[tuple[str, object]] = []
        seen: set[int] = set()

        def walk(box):
            element = getattr(box, "element", None)
            tag = getattr(box, "element_tag", None)
            if element is not None and id(element) not in seen and tag in HEADINGS | CONTENT | {"p"}:
                seen.add(id(element))
                order.append((tag, element))
            for child in getattr(box, "children", None) or []:
                walk(child)

        walk(page._page_box)
        last = max((i for i, (tag, _e) in enumerate(order) if tag in HEADINGS), default=None)
        if last is None:
            continue
        if not any(tag in CONTENT for tag, _e in order[last + 1:]):
            element = order[last][1]
            stranded.append(f"page {number + 1} : {''.join(element.itertext()).strip()}")
    return stranded
