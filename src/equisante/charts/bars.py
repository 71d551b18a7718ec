"""Bar charts with confidence-interval whiskers: vertical (few categories) and horizontal (many, or
long labels) (pure).

Bars start at ``baseline`` (0 by default, so that lengths compare; 100 for an index where the
reference area is 100). Fragile values are drawn lighter with a dashed outline; withheld and missing
values draw no bar and write their state instead. Each bar is a ``<g class="eq-chart__bar">`` with
``data-key``, ``data-value`` and ``data-state`` and a tooltip.
"""

from __future__ import annotations

from collections.abc import Sequence

from equisante.charts._parts import (describe, horizontal_axis, short_value, tick_label_width, tooltip,
                                     value_words, vertical_axis, whisker_horizontal, whisker_vertical)
from equisante.charts._svg import AXIS, FONT_SIZE, MUTED, TEXT, document, element, text, wrap
from equisante.charts.model import BLUE, VERMILION, Datum
from equisante.charts.numbers import format_number, is_number, with_unit
from equisante.charts.scales import extent, linear_scale

__all__ = ["bar_chart", "horizontal_bars"]


def _limits(bars: Sequence[Datum], reference: float | None, baseline: float) -> tuple[float, float]:
    values = []
    for bar in bars:
        if bar.drawn:
            values.append(bar.value)
            if bar.has_interval:
                values += [bar.lower, bar.upper]
    found = extent(values, include=[baseline] + ([reference] if is_number(reference) else []))
    return found if found else (baseline, baseline + 1)


def _alternative(title: str, description: str, bars: Sequence[Datum], unit: str, decimals: int | None,
                 reference: float | None, reference_label: str) -> str:
    items = [f"{bar.label} : {value_words(bar, unit, decimals)}" + (f" ({bar.note})" if bar.note else "")
             for bar in bars]
    words = (description.strip() + " ") if description else f"{title}. "
    words += "Valeurs : " + describe(items) + "."
    if is_number(reference):
        words += f" {reference_label or 'Référence'} : {with_unit(format_number(reference, decimals), unit)}."
    return words


def _bar_style(bar: Datum, colour: str) -> dict:
    style = {"fill": colour, "stroke": colour, "stroke_width": 1}
    if bar.state == "unstable":
        style.update(fill_opacity=0.45, stroke_dasharray="4 2", stroke=TEXT)
    return style


def bar_chart(
    bars: Sequence[Datum],
    *,
    title: str,
    description: str = "",
    unit: str = "",
    reference: float | None = None,
    reference_label: str = "",
    decimals: int | None = None,
    width: int = 640,
    height: int = 320,
    baseline: float = 0.0,
    colour: str = BLUE,
    highlight_colour: str = VERMILION,
    chart_id: str = "bar-chart",
) -> str:
    """Vertical bars, one per :class:`~equisante.charts.model.Datum`, with CI whiskers and value labels.

    ``unit`` is written in the text alternative and at the top of the value axis; ``reference``
    draws a dashed horizontal line (the value of the enclosing area…) named ``reference_label``.
    ``decimals``: decimals of the values (None: automatic). Highlighted bars take ``highlight_colour``
    and a bold label. Returns the SVG text."""
    top, bottom, right = 28, 48, 16
    low, high = _limits(bars, reference, baseline)
    scale = linear_scale(low, high, height - bottom, top, zero=False)
    left = max(40.0, tick_label_width(scale) + 14)
    plot_width = width - left - right
    band = plot_width / max(len(bars), 1)
    bar_width = min(band * 0.62, 90)
    body = [vertical_axis(scale, left, width - right, label=unit, label_y=top - 12)]
    base_y = scale(baseline)
    marks = []
    for index, bar in enumerate(bars):
        centre = left + band * (index + 0.5)
        fill = highlight_colour if bar.highlight else colour
        parts = [tooltip(f"{bar.label} : {value_words(bar, unit, decimals)}")]
        label_y = base_y - 6
        if bar.drawn:
            y = scale(bar.value)
            parts.append(element("rect", x=centre - bar_width / 2, y=min(y, base_y), width=bar_width,
                                 height=max(abs(base_y - y), 0.5), class_="eq-chart__mark", **_bar_style(bar, fill)))
            top_of_mark = min(y, base_y)
            if bar.has_interval:
                y_low, y_high = scale(bar.lower), scale(bar.upper)
                parts.append(whisker_vertical(centre, y_low, y_high))
                top_of_mark = min(top_of_mark, y_high)
            label_y = top_of_mark - 6 if bar.value >= baseline else max(y, base_y) + 14
            parts.append(text(centre, label_y, short_value(bar, decimals=decimals), anchor="middle",
                              weight="bold" if bar.highlight else None, class_="eq-chart__value"))
        else:
            parts.append(text(centre, base_y - 6, short_value(bar), anchor="middle", fill=MUTED,
                              font_style="italic", class_="eq-chart__value eq-chart__state"))
        for line, words in enumerate(wrap(bar.label, band - 4)):
            parts.append(text(centre, height - bottom + 16 + line * 14, words, anchor="middle",
                              weight="bold" if bar.highlight else None, class_="eq-chart__label"))
        marks.append(element("g", "".join(parts), class_="eq-chart__bar", data_key=bar.key or bar.label,
                             data_value=repr(float(bar.value)) if bar.drawn else None, data_state=bar.state))
    body.append("".join(marks))
    body.append(element("line", x1=left, x2=width - right, y1=base_y, y2=base_y, stroke=AXIS, stroke_width=1))
    if is_number(reference):
        body.append(_reference_horizontal(scale(reference), left, width - right, reference, reference_label, unit,
                                          decimals))
    return document(width=width, height=height, title=title, chart_id=chart_id, kind="bars",
                    description=_alternative(title, description, bars, unit, decimals, reference, reference_label),
                    body=body)


def _reference_horizontal(y: float, left: float, right: float, value: float, label: str, unit: str,
                          decimals: int | None) -> str:
    words = f"{label or 'Référence'} : {with_unit(format_number(value, decimals), unit)}"
    return element("g", element("line", x1=left, x2=right, y1=y, y2=y, stroke=TEXT, stroke_width=1.5,
                                stroke_dasharray="6 4")
                   + text(right, y - 5, words, anchor="end", size=FONT_SIZE - 1, fill=TEXT),
                   class_="eq-chart__reference", data_value=repr(float(value)))


def horizontal_bars(
    bars: Sequence[Datum],
    *,
    title: str,
    description: str = "",
    unit: str = "",
    reference: float | None = None,
    reference_label: str = "",
    decimals: int | None = None,
    width: int = 640,
    row_height: int = 30,
    label_width: float | None = None,
    baseline: float = 0.0,
    axis_label: str = "",
    colour: str = BLUE,
    highlight_colour: str = VERMILION,
    chart_id: str = "horizontal-bars",
) -> str:
    """Horizontal bars, one row per :class:`~equisante.charts.model.Datum` (labels on the left,
    wrapped on two lines), with CI whiskers, value labels and an optional vertical ``reference``
    line. With ``baseline=100`` and values indexed on a reference area (= 100), bars grow left or
    right of the reference: a compact way to set indicators of different units side by side.
    Returns the SVG text."""
    label_width = label_width if label_width is not None else min(width * 0.4, 260)
    top, right = 26, 56
    bottom = 40 if axis_label else 26
    height = top + bottom + row_height * max(len(bars), 1)
    low, high = _limits(bars, reference, baseline)
    left = label_width + 10
    scale = linear_scale(low, high, left, width - right, zero=False)
    body = [horizontal_axis(scale, top, height - bottom, label=axis_label)]
    base_x = scale(baseline)
    marks = []
    for index, bar in enumerate(bars):
        middle = top + row_height * (index + 0.5)
        fill = highlight_colour if bar.highlight else colour
        parts = [tooltip(f"{bar.label} : {value_words(bar, unit, decimals)}" + (f" — {bar.note}" if bar.note else ""))]
        lines = wrap(bar.label, label_width - 4)
        first = middle + 4 - (len(lines) - 1) * 7
        for line, words in enumerate(lines):
            parts.append(text(label_width, first + line * 14, words, anchor="end",
                              weight="bold" if bar.highlight else None, class_="eq-chart__label"))
        if bar.drawn:
            x = scale(bar.value)
            thickness = row_height * 0.55
            parts.append(element("rect", x=min(x, base_x), y=middle - thickness / 2, width=max(abs(x - base_x), 0.5),
                                 height=thickness, class_="eq-chart__mark", **_bar_style(bar, fill)))
            end = max(x, base_x)
            if bar.has_interval:
                parts.append(whisker_horizontal(middle, scale(bar.lower), scale(bar.upper), cap=4))
                end = max(end, scale(bar.upper))
            parts.append(text(end + 5, middle + 4, short_value(bar, decimals=decimals),
                              weight="bold" if bar.highlight else None, class_="eq-chart__value"))
        else:
            parts.append(text(base_x + 5, middle + 4, short_value(bar), fill=MUTED, font_style="italic",
                              class_="eq-chart__value eq-chart__state"))
        marks.append(element("g", "".join(parts), class_="eq-chart__bar", data_key=bar.key or bar.label,
                             data_value=repr(float(bar.value)) if bar.drawn else None, data_state=bar.state))
    body.append("".join(marks))
    body.append(element("line", x1=base_x, x2=base_x, y1=top, y2=height - bottom, stroke=AXIS, stroke_width=1))
    if is_number(reference):
        x = scale(reference)
        words = f"{reference_label or 'Référence'} : {with_unit(format_number(reference, decimals), unit)}"
        body.append(element("g", element("line", x1=x, x2=x, y1=top - 6, y2=height - bottom, stroke=TEXT,
                                         stroke_width=1.5, stroke_dasharray="6 4")
                            + text(x, top - 10, words, anchor="middle", size=FONT_SIZE - 1),
                            class_="eq-chart__reference", data_value=repr(float(reference))))
    return document(width=width, height=height, title=title, chart_id=chart_id, kind="horizontal-bars",
                    description=_alternative(title, description, bars, unit, decimals, reference, reference_label),
                    body=body)
