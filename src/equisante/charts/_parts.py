"""Pieces shared by the chart builders: value axes, whiskers, markers, the words of a value (pure)."""

from __future__ import annotations

from collections.abc import Sequence

from equisante.charts._svg import AXIS, FONT_SIZE, GRID, MUTED, element, escape, text, text_width
from equisante.charts.model import STATE_NAMES, STATE_SHORT, Datum
from equisante.charts.numbers import auto_decimals, format_number, is_number, step_decimals, with_unit
from equisante.charts.scales import LinearScale


def tick_texts(scale: LinearScale, decimals: int | None = None) -> list[tuple[float, str]]:
    """Each tick of ``scale`` with its French label (as many decimals as the step needs)."""
    places = step_decimals(scale.step) if decimals is None else decimals
    return [(tick, format_number(tick, places)) for tick in scale.ticks()]


def tick_label_width(scale: LinearScale, decimals: int | None = None) -> float:
    return max((text_width(label, FONT_SIZE - 1) for _, label in tick_texts(scale, decimals)), default=0.0)


def vertical_axis(scale: LinearScale, left: float, right: float, *, decimals: int | None = None,
                  label: str = "", label_y: float | None = None) -> str:
    """Horizontal grid lines with their tick labels on the left of a vertical value axis."""
    parts = []
    for tick, words in tick_texts(scale, decimals):
        y = scale(tick)
        parts.append(element("line", x1=left, x2=right, y1=y, y2=y, stroke=GRID, stroke_width=1))
        parts.append(text(left - 6, y + 4, words, anchor="end", size=FONT_SIZE - 1, fill=MUTED))
    if label:
        parts.append(text(left, label_y if label_y is not None else scale.end - 10, label, size=FONT_SIZE - 1, fill=MUTED))
    return element("g", "".join(parts), class_="eq-chart__axis eq-chart__axis--y", aria_hidden="true")


def horizontal_axis(scale: LinearScale, top: float, bottom: float, *, decimals: int | None = None,
                    label: str = "", label_x: float | None = None) -> str:
    """Vertical grid lines with their tick labels under a horizontal value axis."""
    parts = []
    for tick, words in tick_texts(scale, decimals):
        x = scale(tick)
        parts.append(element("line", x1=x, x2=x, y1=top, y2=bottom, stroke=GRID, stroke_width=1))
        parts.append(text(x, bottom + 14, words, anchor="middle", size=FONT_SIZE - 1, fill=MUTED))
    parts.append(element("line", x1=scale.start, x2=scale.end, y1=bottom, y2=bottom, stroke=AXIS, stroke_width=1))
    if label:
        parts.append(text(label_x if label_x is not None else scale.end, bottom + 30, label, anchor="end",
                          size=FONT_SIZE - 1, fill=MUTED))
    return element("g", "".join(parts), class_="eq-chart__axis eq-chart__axis--x", aria_hidden="true")


def whisker_vertical(x: float, y_low: float, y_high: float, cap: float = 5, colour: str = "#161616") -> str:
    """A confidence interval drawn as a vertical segment with caps."""
    path = (f"M{x - cap:.2f} {y_low:.2f}H{x + cap:.2f}M{x:.2f} {y_low:.2f}V{y_high:.2f}"
            f"M{x - cap:.2f} {y_high:.2f}H{x + cap:.2f}")
    return element("path", d=path, stroke=colour, stroke_width=1.5, fill="none", class_="eq-chart__ci")


def whisker_horizontal(y: float, x_low: float, x_high: float, cap: float = 5, colour: str = "#161616") -> str:
    """A confidence interval drawn as a horizontal segment with caps."""
    path = (f"M{x_low:.2f} {y - cap:.2f}V{y + cap:.2f}M{x_low:.2f} {y:.2f}H{x_high:.2f}"
            f"M{x_high:.2f} {y - cap:.2f}V{y + cap:.2f}")
    return element("path", d=path, stroke=colour, stroke_width=1.5, fill="none", class_="eq-chart__ci")


def marker(shape: str, x: float, y: float, size: float, colour: str, *, filled: bool = True, **attrs: object) -> str:
    """A point marker: ``circle``, ``square``, ``diamond`` or ``triangle`` of about ``size`` pixels."""
    fill = colour if filled else "#ffffff"
    r = size / 2
    if shape == "square":
        return element("rect", x=x - r, y=y - r, width=size, height=size, fill=fill, stroke=colour, stroke_width=1.5,
                       **attrs)
    if shape == "diamond":
        d = f"M{x:.2f} {y - r * 1.25:.2f}L{x + r * 1.25:.2f} {y:.2f}L{x:.2f} {y + r * 1.25:.2f}L{x - r * 1.25:.2f} {y:.2f}Z"
        return element("path", d=d, fill=fill, stroke=colour, stroke_width=1.5, **attrs)
    if shape == "triangle":
        d = f"M{x:.2f} {y - r * 1.2:.2f}L{x + r * 1.2:.2f} {y + r:.2f}L{x - r * 1.2:.2f} {y + r:.2f}Z"
        return element("path", d=d, fill=fill, stroke=colour, stroke_width=1.5, **attrs)
    return element("circle", cx=x, cy=y, r=r, fill=fill, stroke=colour, stroke_width=1.5, **attrs)


def value_words(datum: Datum, unit: str = "", decimals: int | None = None) -> str:
    """The value with its unit and interval in words, or the state: « 12,3 % (IC 95 % : 10,1 à
    14,6) », « secret statistique (valeur masquée) »."""
    if not datum.drawn:
        return STATE_NAMES.get(datum.state, datum.state)
    places = decimals
    words = with_unit(format_number(datum.value, places), unit)
    if datum.has_interval:
        interval_places = places if places is not None else _decimals_of(datum.value)
        words += (f" (IC 95 % : {format_number(datum.lower, interval_places)} à "
                  f"{format_number(datum.upper, interval_places)})")
    if datum.state == "unstable":
        words += ", valeur fragile"
    return words


def short_value(datum: Datum, unit: str = "", decimals: int | None = None, *, with_units: bool = False) -> str:
    """The label written beside a mark: the number, or a short state (« secret stat. », « n.d. »)."""
    if not datum.drawn:
        return STATE_SHORT.get(datum.state, datum.state)
    words = format_number(datum.value, decimals)
    return with_unit(words, unit) if with_units else words


def _decimals_of(value: float | None) -> int | None:
    return auto_decimals(value) if is_number(value) else None


def tooltip(content: str) -> str:
    """A ``<title>`` child: the words a pointer shows over a mark (screen readers use ``<desc>``)."""
    return f"<title>{escape(content)}</title>"


def describe(items: Sequence[str], limit: int = 60) -> str:
    """Items joined by « ; », the list cut after ``limit`` items with the number left out."""
    shown = list(items[:limit])
    if len(items) > limit:
        shown.append(f"et {len(items) - limit} autres")
    return " ; ".join(shown)


def label_box(x: float, y: float, words: str, anchor: str = "start", size: int = FONT_SIZE) -> tuple:
    """Estimated box (x0, y0, x1, y1) of a text whose baseline starts at ``x, y``."""
    width = text_width(words, size)
    x0 = x - width if anchor == "end" else x - width / 2 if anchor == "middle" else x
    return (x0, y - size * 0.8, x0 + width, y + size * 0.25)


def overlaps(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def label_place(words: str, x: float, y: float, obstacles: Sequence[tuple], frame: tuple,
                places: Sequence[tuple] = ()) -> tuple[float, float, str]:
    """Where to write a point's value: the first of a few places around the point (above right,
    above left, below right, below left, farther up or down) that covers no marker and stays in
    the plot; above right when none is free. ``frame``: (x0, y0, x1, y1) the label must stay in;
    ``places``: other candidates (x, y, anchor), in order of preference."""
    candidates = list(places) if places else [
        (x + 8, y - 8, "start"), (x - 8, y - 8, "end"), (x + 8, y + 16, "start"), (x - 8, y + 16, "end"),
        (x, y - 14, "middle"), (x, y + 22, "middle"), (x + 8, y - 20, "start"), (x - 8, y - 20, "end"),
        (x + 8, y + 28, "start"), (x - 8, y + 28, "end")]
    for cx, cy, anchor in candidates:
        box = label_box(cx, cy, words, anchor, FONT_SIZE)
        inside = box[0] >= frame[0] and box[2] <= frame[2] and box[1] >= frame[1] and box[3] <= frame[3]
        if inside and not any(overlaps(box, other) for other in obstacles):
            return cx, cy, anchor
    return candidates[0]
