"""The dot chart: a few areas compared on several items, one row per item (pure).

Each row has a faint guide line and one marker per series (a contract, its département, the whole
region…): series differ by colour *and* marker shape, the highlighted one is larger and has its
value written beside it (where it covers no other marker). Suited to shares on a common scale
(0–100 %), where a table of percentages is hard to compare at a glance.
"""

from __future__ import annotations

from collections.abc import Sequence

from equisante.charts._parts import describe, horizontal_axis, label_place, marker, short_value, tooltip, value_words
from equisante.charts._svg import FONT_SIZE, GRID, MUTED, document, element, text, wrap
from equisante.charts.model import SERIES_STYLES, Series
from equisante.charts.scales import extent, linear_scale

__all__ = ["dot_chart"]


def dot_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    description: str = "",
    unit: str = "",
    decimals: int | None = None,
    low: float | None = 0.0,
    high: float | None = None,
    width: int = 640,
    row_height: int = 30,
    label_width: float = 210,
    axis_label: str = "",
    chart_id: str = "dot-chart",
) -> str:
    """One row per item of ``categories``, one marker per :class:`~equisante.charts.model.Series`
    (its points matched to the rows by ``Datum.label``). ``low``/``high``: ends the value axis must
    include (0 by default; e.g. ``high=100`` for shares). Values of the highlighted series are
    written. Returns the SVG text."""
    styles = [SERIES_STYLES[i % len(SERIES_STYLES)] for i in range(len(series))]
    top = 12 + 18 * len(series) + 10
    bottom = 40 if axis_label else 26
    height = top + bottom + row_height * max(len(categories), 1)
    right = 24
    left = label_width + 10
    values = [p.value for line in series for p in line.points if p.drawn]
    found = extent(values, include=[v for v in (low, high) if v is not None])
    lo, hi = found if found else (0.0, 1.0)
    scale = linear_scale(lo, hi, left, width - right)
    body = [_legend(series, styles, 10, 12 + 12, width - 20),
            horizontal_axis(scale, top, height - bottom, label=axis_label or unit)]
    row_of = {str(c): i for i, c in enumerate(categories)}
    middle = [top + row_height * (i + 0.5) for i in range(len(categories))]
    rows = []
    for index, category in enumerate(categories):
        y = middle[index]
        parts = [element("line", x1=left, x2=width - right, y1=y, y2=y, stroke=GRID, stroke_width=1)]
        lines = wrap(str(category), label_width - 4)
        first = y + 4 - (len(lines) - 1) * 7
        for line_no, words in enumerate(lines):
            parts.append(text(label_width, first + line_no * 14, words, anchor="end", class_="eq-chart__label"))
        rows.append(element("g", "".join(parts), class_="eq-chart__row", data_key=str(category)))
    body.append("".join(rows))
    # marker boxes first, so that value labels avoid every marker
    obstacles, placed = [], []
    for number, line in enumerate(series):
        size = 11 if line.highlight else 8
        for point in line.points:
            index = row_of.get(str(point.label))
            if index is None:
                continue
            if point.drawn:
                x = scale(point.value)
                half = size * 0.65 + 1
                obstacles.append((x - half, middle[index] - half, x + half, middle[index] + half))
            placed.append((number, line, point, index, size))
    marks = []
    for number, line, point, index, size in placed:
        style = styles[number]
        y = middle[index]
        tip = tooltip(f"{line.label}, {point.label} : {value_words(point, unit, decimals)}")
        if not point.drawn:
            continue  # written in the text alternative and the table; a row may lack one series
        x = scale(point.value)
        mark = marker(style["marker"], x, y, size, style["colour"], filled=point.state != "unstable",
                      class_="eq-chart__mark")
        if line.highlight:
            words = short_value(point, decimals=decimals)
            places = [(x + 9, y + 4, "start"), (x - 9, y + 4, "end"), (x, y - 9, "middle"), (x, y + 17, "middle")]
            lx, ly, anchor = label_place(words, x, y, obstacles, (left, y - row_height / 2, width, y + row_height / 2),
                                         places)
            mark += text(lx, ly, words, anchor=anchor, weight="bold", class_="eq-chart__value")
        marks.append(element("g", tip + mark, class_="eq-chart__point", data_series=line.label,
                             data_key=str(point.label), data_value=repr(float(point.value)), data_state=point.state))
    body.append("".join(marks))
    return document(width=width, height=height, title=title, chart_id=chart_id, kind="dots",
                    description=_alternative(title, description, categories, series, unit, decimals), body=body)


def _legend(series: Sequence[Series], styles, left: float, top: float, column: float) -> str:
    """One series a row: names of areas (« Ensemble du département … ») are long."""
    parts = []
    for number, line in enumerate(series):
        style = styles[number]
        x, y = left, top + 18 * number
        parts.append(marker(style["marker"], x + 6, y - 4, 11 if line.highlight else 8, style["colour"]))
        for words in wrap(line.label, column - 24, size=FONT_SIZE - 1, max_lines=1):
            parts.append(text(x + 18, y, words, size=FONT_SIZE - 1, weight="bold" if line.highlight else None,
                              fill="#161616" if line.highlight else MUTED))
    return element("g", "".join(parts), class_="eq-chart__legend", aria_hidden="true")


def _alternative(title, description, categories, series, unit, decimals) -> str:
    words = (description.strip() + " ") if description else f"{title}. "
    for line in series:
        by_label = {str(p.label): p for p in line.points}
        items = [f"{c} : {value_words(by_label[str(c)], unit, decimals)}" for c in categories if str(c) in by_label]
        words += f"{line.label} — " + describe(items) + ". "
    return words.strip()
