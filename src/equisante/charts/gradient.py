"""The social gradient chart: an indicator across deprivation quantiles, with the regression line of
the slope index of inequality (pure).

The horizontal axis is the *relative rank* in the population ordered from the most deprived (0) to
the least deprived (1), as in the PHE slope index of inequality: each quantile occupies a width
equal to its population share, and its value is drawn at the middle of that width. The line
``value = intercept + slope × rank`` is the weighted regression behind the SII (``slope`` = SII in
the units of the values; ``intercept`` = modelled value at the most deprived end).
"""

from __future__ import annotations

from collections.abc import Sequence

from equisante.charts._parts import (describe, marker, short_value, tick_label_width, tooltip, value_words,
                                     vertical_axis, whisker_vertical)
from equisante.charts._svg import AXIS, FONT_SIZE, MUTED, TEXT, document, element, text, text_width, wrap
from equisante.charts.model import BLUE, VERMILION, Datum
from equisante.charts.numbers import format_number, is_number, with_unit
from equisante.charts.scales import extent, linear_scale

__all__ = ["gradient_chart", "relative_ranks"]

STYLES = ("bars", "points")


def relative_ranks(weights: Sequence[float]) -> list[tuple[float, float, float]]:
    """``(start, middle, end)`` of each group on the 0–1 relative-rank axis, from its weight
    (population): the groups are laid side by side in the given order (most deprived first)."""
    total = float(sum(w for w in weights if is_number(w) and w > 0))
    spans, before = [], 0.0
    for weight in weights:
        share = float(weight) / total if total and is_number(weight) and weight > 0 else 0.0
        spans.append((before, before + share / 2, before + share))
        before += share
    return spans


def gradient_chart(
    groups: Sequence[Datum],
    *,
    title: str,
    intercept: float | None = None,
    slope: float | None = None,
    description: str = "",
    unit: str = "",
    annotation: str = "",
    axis_label: str = "Rang relatif : 0 = population la plus défavorisée, 1 = la moins défavorisée",
    decimals: int | None = None,
    style: str = "bars",
    width: int = 640,
    height: int = 340,
    colour: str = BLUE,
    line_colour: str = VERMILION,
    chart_id: str = "gradient-chart",
) -> str:
    """The gradient of an indicator across ordered groups (quintiles of deprivation…).

    ``groups``: one :class:`~equisante.charts.model.Datum` per group, **most deprived first**, with
    ``weight`` = the group's population (its width on the rank axis; equal widths when absent).
    ``intercept``/``slope``: the SII regression line (omitted when None). ``annotation``: a line of
    text written above the plot (e.g. the SII and RII with their intervals). ``style``: ``bars``
    (bars from zero, for rates and proportions) or ``points`` (points with an axis fitted to the
    data, for life expectancy, incomes…). Returns the SVG text."""
    if style not in STYLES:
        raise ValueError(f"style inconnu : {style!r} (styles : {', '.join(STYLES)})")
    weights = [g.weight if is_number(g.weight) and g.weight > 0 else 1.0 for g in groups]
    spans = relative_ranks(weights)
    top = 44 if annotation else 28
    bottom, right = 72, 16
    values = []
    for g in groups:
        if g.drawn:
            values.append(g.value)
            if g.has_interval:
                values += [g.lower, g.upper]
    line = is_number(intercept) and is_number(slope)
    if line:
        values += [intercept, intercept + slope]
    found = extent(values, include=[0.0] if style == "bars" else [])
    low, high = found if found else (0.0, 1.0)
    scale = linear_scale(low, high, height - bottom, top, zero=style == "bars")
    left = max(40.0, tick_label_width(scale) + 14)
    plot_right = width - right

    def x_at(rank: float) -> float:
        return left + rank * (plot_right - left)

    body = [vertical_axis(scale, left, plot_right, label=unit, label_y=top - 12 if not annotation else top - 4)]
    if annotation:
        body.append(text(left, 16, annotation, weight="bold", class_="eq-chart__annotation"))
    base_y = scale(max(scale.low, 0.0)) if style == "bars" else scale.start
    marks = []
    for group, (start, middle, end) in zip(groups, spans, strict=True):
        x0, xm, x1 = x_at(start), x_at(middle), x_at(end)
        parts = [tooltip(f"{group.label} : {value_words(group, unit, decimals)}")]
        if group.drawn:
            y = scale(group.value)
            top_of_mark = y
            if style == "bars":
                gap = min(4.0, (x1 - x0) * 0.1)
                style_attrs = {"fill": colour, "stroke": colour}
                if group.state == "unstable":
                    style_attrs.update(fill_opacity=0.45, stroke=TEXT, stroke_dasharray="4 2")
                parts.append(element("rect", x=x0 + gap / 2, y=min(y, base_y), width=max(x1 - x0 - gap, 1.0),
                                     height=max(abs(base_y - y), 0.5), class_="eq-chart__mark", **style_attrs))
            else:
                parts.append(marker("circle", xm, y, 9, colour, filled=group.state != "unstable",
                                    class_="eq-chart__mark"))
            if group.has_interval:
                parts.append(whisker_vertical(xm, scale(group.lower), scale(group.upper)))
                top_of_mark = min(top_of_mark, scale(group.upper))
            words = short_value(group, decimals=decimals)
            # a group narrower than its label (a quintile of few people) keeps its value in the
            # tooltip, the text alternative and the table: overlapping labels would be unreadable
            if text_width(words) <= x1 - x0 + 4:
                parts.append(text(xm, top_of_mark - 6, words, anchor="middle", class_="eq-chart__value"))
        elif text_width(short_value(group)) <= x1 - x0 + 4:
            parts.append(text(xm, base_y - 6, short_value(group), anchor="middle", fill=MUTED, font_style="italic",
                              class_="eq-chart__value eq-chart__state"))
        label_lines = wrap(group.label, max(x1 - x0 - 2, 1))
        if all(text_width(line, FONT_SIZE - 1) <= x1 - x0 + 2 for line in label_lines):
            for index, words in enumerate(label_lines):
                parts.append(text(xm, height - bottom + 16 + index * 13, words, anchor="middle", size=FONT_SIZE - 1,
                                  class_="eq-chart__label"))
        marks.append(element("g", "".join(parts), class_="eq-chart__group", data_key=group.key or group.label,
                             data_value=repr(float(group.value)) if group.drawn else None, data_state=group.state,
                             data_rank=repr(round(middle, 6))))
    body.append("".join(marks))
    body.append(element("line", x1=left, x2=plot_right, y1=base_y, y2=base_y, stroke=AXIS, stroke_width=1))
    for rank in (0.0, 0.5, 1.0):
        body.append(text(x_at(rank), height - 22, format_number(rank, 1), anchor="middle", size=FONT_SIZE - 1,
                         fill=MUTED, aria_hidden="true"))
    body.append(text((left + plot_right) / 2, height - 6, axis_label, anchor="middle", size=FONT_SIZE - 1, fill=MUTED))
    if line:
        y0, y1 = scale(intercept), scale(intercept + slope)
        body.append(element("line", x1=x_at(0.0), x2=x_at(1.0), y1=y0, y2=y1, stroke=line_colour, stroke_width=2.5,
                            stroke_dasharray="8 4", class_="eq-chart__regression",
                            data_intercept=repr(float(intercept)), data_slope=repr(float(slope))))
    return document(width=width, height=height, title=title, chart_id=chart_id, kind="gradient",
                    description=_alternative(title, description, groups, unit, decimals, intercept, slope, annotation),
                    body=body)


def _alternative(title, description, groups, unit, decimals, intercept, slope, annotation) -> str:
    words = (description.strip() + " ") if description else f"{title}. "
    words += "Groupes du plus défavorisé au moins défavorisé : "
    words += describe([f"{g.label} : {value_words(g, unit, decimals)}" for g in groups]) + "."
    if is_number(intercept) and is_number(slope):
        words += (f" Droite de régression de l'indice de pente : de {with_unit(format_number(intercept, decimals), unit)}"
                  f" au rang 0 à {with_unit(format_number(intercept + slope, decimals), unit)} au rang 1.")
    if annotation:
        words += f" {annotation}"
    return words
