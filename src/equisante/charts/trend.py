"""The trend chart: one or more series over periods, with confidence intervals (pure).

Periods are categories in the given order (``2019``, ``2020``, ``2021``, or pooled periods such as
``2017-2019``): equally spaced, because pooled periods have no single date. Each series has its own
colour, dash pattern and marker shape; a gap in a line means a period without a publishable value.
"""

from __future__ import annotations

from collections.abc import Sequence

from equisante.charts._parts import (describe, label_place, marker, short_value, tick_label_width, tooltip,
                                     value_words, vertical_axis, whisker_vertical)
from equisante.charts._svg import AXIS, FONT_SIZE, MUTED, document, element, text, wrap
from equisante.charts.model import SERIES_STYLES, Series
from equisante.charts.scales import extent, linear_scale

__all__ = ["trend_chart"]


def trend_chart(
    series: Sequence[Series],
    periods: Sequence[str],
    *,
    title: str,
    description: str = "",
    unit: str = "",
    decimals: int | None = None,
    zero: bool = False,
    width: int = 640,
    height: int = 320,
    chart_id: str = "trend-chart",
) -> str:
    """Lines over ``periods`` (categories, in order), one per :class:`~equisante.charts.model.Series`
    (its points are matched to periods by ``Datum.label``). Points carry CI whiskers; the first
    highlighted series is labelled with its values. ``zero``: start the value axis at zero.
    Returns the SVG text."""
    legend_rows = (len(series) + 1) // 2
    top, right = 28, 16
    bottom = 40 + 18 * legend_rows
    values = []
    for line in series:
        for point in line.points:
            if point.drawn:
                values.append(point.value)
                if point.has_interval:
                    values += [point.lower, point.upper]
    low, high = extent(values, include=[0.0] if zero else []) or (0.0, 1.0)
    scale = linear_scale(low, high, height - bottom, top, zero=zero)
    left = max(40.0, tick_label_width(scale) + 14)
    plot_right = width - right
    step = (plot_right - left) / max(len(periods), 1)

    def x_at(index: int) -> float:
        return left + step * (index + 0.5)

    body = [vertical_axis(scale, left, plot_right, label=unit, label_y=top - 12)]
    body.append(element("line", x1=left, x2=plot_right, y1=height - bottom, y2=height - bottom, stroke=AXIS))
    for index, period in enumerate(periods):
        for line_no, words in enumerate(wrap(str(period), step - 2, max_lines=1)):
            body.append(text(x_at(index), height - bottom + 16 + line_no * 13, words, anchor="middle",
                             class_="eq-chart__label"))
    position = {str(p): i for i, p in enumerate(periods)}
    labelled = next((i for i, s in enumerate(series) if s.highlight), None)
    nudge = 4 * len(series) - 4  # whiskers of several series at one period are spread apart
    # every marker's box, so that the value labels are set where they cover none
    obstacles = []
    for number, line in enumerate(series):
        offset = -nudge / 2 + 8 * number if len(series) > 1 else 0
        half = (9 if line.highlight else 7) * 0.65 + 1
        for point in line.points:
            if point.drawn and str(point.label) in position:
                cx, cy = x_at(position[str(point.label)]) + offset, scale(point.value)
                obstacles.append((cx - half, cy - half, cx + half, cy + half))
    for number, line in enumerate(series):
        style = SERIES_STYLES[number % len(SERIES_STYLES)]
        offset = -nudge / 2 + 8 * number if len(series) > 1 else 0
        placed = sorted(((position[str(p.label)], p) for p in line.points if str(p.label) in position),
                        key=lambda item: item[0])
        parts, commands, previous = [], [], None
        for index, point in placed:
            if not point.drawn:
                previous = None
                continue
            x, y = x_at(index) + offset, scale(point.value)
            commands.append(("L" if previous is not None and previous == index - 1 else "M") + f"{x:.2f} {y:.2f}")
            previous = index
        if commands:
            parts.append(element("path", d="".join(commands), fill="none", stroke=style["colour"],
                                 stroke_width=3 if line.highlight else 2, stroke_dasharray=style["dash"],
                                 class_="eq-chart__line"))
        for index, point in placed:
            x = x_at(index) + offset
            tip = tooltip(f"{line.label}, {point.label} : {value_words(point, unit, decimals)}")
            if not point.drawn:
                parts.append(element("g", tip + text(x, height - bottom - 6 - 12 * number, short_value(point),
                                                     anchor="middle", size=FONT_SIZE - 2, fill=MUTED,
                                                     font_style="italic"),
                                     class_="eq-chart__point", data_period=str(point.label), data_state=point.state))
                continue
            y = scale(point.value)
            mark = ""
            if point.has_interval:
                mark += whisker_vertical(x, scale(point.lower), scale(point.upper), cap=3, colour=style["colour"])
            mark += marker(style["marker"], x, y, 9 if line.highlight else 7, style["colour"],
                           filled=point.state != "unstable")
            if number == labelled:
                words = short_value(point, decimals=decimals)
                lx, ly, anchor = label_place(words, x, y, obstacles, (left + 2, top - 14, width - 2, height - bottom))
                mark += text(lx, ly, words, anchor=anchor, weight="bold", class_="eq-chart__value")
            parts.append(element("g", tip + mark, class_="eq-chart__point", data_period=str(point.label),
                                 data_value=repr(float(point.value)), data_state=point.state))
        body.append(element("g", "".join(parts), class_="eq-chart__series", data_series=line.label))
    body.append(_legend(series, left, height - 18 * legend_rows + 4, (plot_right - left) / 2))
    return document(width=width, height=height, title=title, chart_id=chart_id, kind="trend",
                    description=_alternative(title, description, series, periods, unit, decimals), body=body)


def _legend(series: Sequence[Series], left: float, top: float, column: float) -> str:
    parts = []
    for number, line in enumerate(series):
        style = SERIES_STYLES[number % len(SERIES_STYLES)]
        x = left + column * (number % 2)
        y = top + 18 * (number // 2)
        parts.append(element("line", x1=x, x2=x + 26, y1=y - 4, y2=y - 4, stroke=style["colour"], stroke_width=2,
                             stroke_dasharray=style["dash"]))
        parts.append(marker(style["marker"], x + 13, y - 4, 7, style["colour"]))
        for words in wrap(line.label, column - 40, max_lines=1):
            parts.append(text(x + 32, y, words, size=FONT_SIZE - 1))
    return element("g", "".join(parts), class_="eq-chart__legend", aria_hidden="true")


def _alternative(title, description, series, periods, unit, decimals) -> str:
    words = (description.strip() + " ") if description else f"{title}. "
    for line in series:
        by_period = {str(p.label): p for p in line.points}
        items = [f"{period} : {value_words(by_period[str(period)], unit, decimals)}" for period in periods
                 if str(period) in by_period]
        words += f"{line.label} — " + describe(items) + ". "
    return words.strip()
