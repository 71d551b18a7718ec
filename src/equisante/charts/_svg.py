"""Writing SVG text: escaping, elements, the accessible frame of a chart (pure).

Charts are built as strings, not DOM trees: they are small, written once, and a string can be put
as is into an HTML page, a standalone report or a PDF (WeasyPrint reads inline SVG).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Fonts: the DSFR's Marianne where the page has it, else common sans-serif fonts.
FONT_FAMILY = "Marianne, Arial, 'Liberation Sans', Helvetica, sans-serif"
FONT_SIZE = 12
#: Average advance of a character as a share of the font size (sans-serif, mixed case and digits):
#: enough to reserve room for labels without measuring text.
CHAR_WIDTH = 0.58
TEXT = "#161616"
MUTED = "#595959"  # contrast 7:1 on white
GRID = "#dddddd"
AXIS = "#666666"

_ID_SAFE = re.compile(r"[^A-Za-z0-9_-]")


def escape(text: object) -> str:
    """``text`` safe inside SVG/XML content and attribute values."""
    return (
        str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def safe_id(text: str) -> str:
    """An XML id made of letters, digits, ``-`` and ``_`` (starting with a letter)."""
    cleaned = _ID_SAFE.sub("-", str(text)) or "chart"
    return cleaned if cleaned[0].isalpha() else f"c-{cleaned}"


def number(value: float) -> str:
    """A coordinate written briefly (two decimals at most, no trailing zeros)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def attributes(**attrs: object) -> str:
    """`` name="value"`` pairs; ``None`` and ``False`` are left out; ``font_size`` → ``font-size``
    (a trailing underscore is dropped: ``class_`` → ``class``)."""
    parts = []
    for key, value in attrs.items():
        if value is None or value is False:
            continue
        name = key.rstrip("_").replace("_", "-")
        if value is True:
            value = name
        elif isinstance(value, float):
            value = number(value)
        parts.append(f' {name}="{escape(value)}"')
    return "".join(parts)


def element(name: str, content: str | None = None, **attrs: object) -> str:
    """``<name …/>`` or ``<name …>content</name>`` (``content`` is already SVG: not escaped)."""
    if content is None:
        return f"<{name}{attributes(**attrs)}/>"
    return f"<{name}{attributes(**attrs)}>{content}</{name}>"


def text(x: float, y: float, content: str, *, anchor: str = "start", size: int = FONT_SIZE, weight: str | None = None,
         fill: str = TEXT, baseline: str | None = None, **attrs: object) -> str:
    """A ``<text>`` element (``content`` is escaped)."""
    return element("text", escape(content), x=float(x), y=float(y), text_anchor=anchor if anchor != "start" else None,
                   font_size=size if size != FONT_SIZE else None, font_weight=weight, fill=fill,
                   dominant_baseline=baseline, **attrs)


def text_width(content: str, size: int = FONT_SIZE) -> float:
    """Estimated width in pixels of ``content`` at ``size``."""
    return len(content) * size * CHAR_WIDTH


def wrap(content: str, width: float, size: int = FONT_SIZE, max_lines: int = 2) -> list[str]:
    """``content`` cut into lines of at most ``width`` pixels (estimated), at spaces; the last line
    ends with « … » when the text does not fit in ``max_lines``."""
    limit = max(int(width / (size * CHAR_WIDTH)), 4)
    words = content.split()
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if len(candidate) <= limit or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        kept = lines[:max_lines]
        last = kept[-1]
        kept[-1] = (last[: limit - 1].rstrip() if len(last) >= limit else last) + "…"
        return kept
    return [line if len(line) <= limit else line[: limit - 1] + "…" for line in lines]


def document(*, width: float, height: float, title: str, description: str, body: Iterable[str], chart_id: str,
             kind: str, defs: str = "") -> str:
    """The complete ``<svg>`` of a chart: an image with an accessible name (``<title>``) and a text
    alternative (``<desc>``), sized by its ``viewBox`` so that it scales with its container.

    ``kind`` goes into ``data-chart`` (tests and styles find a chart by it)."""
    chart_id = safe_id(chart_id)
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg"{attributes(id=chart_id, viewBox=f"0 0 {number(width)} {number(height)}", width=float(width), height=float(height), role="img", aria_labelledby=f"{title_id} {desc_id}", font_family=FONT_FAMILY, font_size=FONT_SIZE, class_="eq-chart", data_chart=kind)}>'
        f'<title id="{title_id}">{escape(title)}</title>'
        f'<desc id="{desc_id}">{escape(description)}</desc>'
    )
    defs_text = f"<defs>{defs}</defs>" if defs else ""
    return head + defs_text + "".join(body) + "</svg>"


def hatch_pattern(pattern_id: str, colour: str = "#555555") -> str:
    """A diagonal hatching used for values withheld by statistical confidentiality."""
    return (
        f'<pattern id="{escape(pattern_id)}" patternUnits="userSpaceOnUse" width="6" height="6" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{colour}" stroke-width="2"/></pattern>'
    )
