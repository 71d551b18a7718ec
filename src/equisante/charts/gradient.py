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
#: Written on a chart whose small groups were widened (their width no longer follows their population).
STRETCHED = "Petits groupes élargis (population sous chaque groupe)"


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
    populations = all(is_number(g.weight) and g.weight > 0 for g in groups) and len(groups) > 0
    spans = relative_ranks(weights)
    top, right = (44 if annotation else 28), 16
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
    # the ticks (hence the room of their labels) do not depend on the pixel range
    left = max(40.0, tick_label_width(linear_scale(low, high, 1.0, 0.0, zero=style == "bars")) + 14)
    plot_right = width - right
    # each group gets at least the room its label and value need: a quintile of few people beside a
    # crowded one stays readable; the rank axis is then stretched piecewise (population written)
    needed = max((_room(g, decimals) for g in groups), default=0.0)
    bounds = _widths([end - start for start, _m, end in spans], needed / max(plot_right - left, 1.0))
    stretched = any(abs(b - s[0]) > 1e-9 for b, s in zip(bounds, spans, strict=False))
    edges = [s[0] for s in spans] + [1.0]
    places = bounds + [1.0]
    labels = [wrap(g.label, max((places[i + 1] - places[i]) * (plot_right - left) - 2, 1), FONT_SIZE - 1, max_lines=3)
              for i, g in enumerate(groups)]
    label_rows = max((len(lines) for lines in labels), default=1)
    # group labels (and populations), then the rank ticks, then the axis label
    rank_offset = 16 + 13 * (label_rows - 1) + (13 if populations else 0) + 21
    bottom = rank_offset + 22
    scale = linear_scale(low, high, height - bottom, top, zero=style == "bars")

    def x_at(rank: float) -> float:
        """Pixel of a relative rank: linear within each group (piecewise when widths were widened)."""
        for index in range(len(spans)):
            r0, r1 = edges[index], edges[index + 1]
            if rank <= r1 + 1e-12 or index == len(spans) - 1:
                share = (rank - r0) / (r1 - r0) if r1 > r0 else 0.5
                return left + (places[index] + share * (places[index + 1] - places[index])) * (plot_right - left)
        return left + rank * (plot_right - left)

    body = [vertical_axis(scale, left, plot_right, label=unit, label_y=top - 12 if not annotation else top - 4)]
    if annotation:
        body.append(text(left, 16, annotation, weight="bold", class_="eq-chart__annotation"))
    base_y = scale(max(scale.low, 0.0)) if style == "bars" else scale.start
    total = sum(weights) if populations else 0.0
    marks = []
    for index, (group, (_start, middle, _end)) in enumerate(zip(groups, spans, strict=True)):
        x0 = left + places[index] * (plot_right - left)
        x1 = left + places[index + 1] * (plot_right - left)
        xm = (x0 + x1) / 2
        parts = [tooltip(f"{group.label} : {value_words(group, unit, decimals)}"
                         + (f" ; {_population_words(group.weight, total)}" if populations else ""))]
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
            parts.append(text(xm, top_of_mark - 6, short_value(group, decimals=decimals), anchor="middle",
                              class_="eq-chart__value"))
        else:
            parts.append(text(xm, base_y - 6, short_value(group), anchor="middle", fill=MUTED, font_style="italic",
                              class_="eq-chart__value eq-chart__state"))
        label_lines = labels[index]
        for line_no, words in enumerate(label_lines):
            parts.append(text(xm, height - bottom + 16 + line_no * 13, words, anchor="middle", size=FONT_SIZE - 1,
                              class_="eq-chart__label"))
        if populations:
            parts.append(text(xm, height - bottom + 16 + len(label_lines) * 13, _population_short(group.weight),
                              anchor="middle", size=FONT_SIZE - 2, fill=MUTED, class_="eq-chart__population"))
        marks.append(element("g", "".join(parts), class_="eq-chart__group", data_key=group.key or group.label,
                             data_value=repr(float(group.value)) if group.drawn else None, data_state=group.state,
                             data_rank=repr(round(middle, 6)),
                             data_population=repr(float(group.weight)) if populations else None))
    body.append("".join(marks))
    body.append(element("line", x1=left, x2=plot_right, y1=base_y, y2=base_y, stroke=AXIS, stroke_width=1))
    for rank in ((0.0, 1.0) if stretched else (0.0, 0.5, 1.0)):
        body.append(text(x_at(rank), height - bottom + rank_offset, format_number(rank, 1), anchor="middle",
                         size=FONT_SIZE - 1, fill=MUTED, aria_hidden="true"))
    body.append(text((left + plot_right) / 2, height - 6, axis_label, anchor="middle", size=FONT_SIZE - 1, fill=MUTED))
    if stretched:
        body.append(text(plot_right, top - 12 if not annotation else top - 4, STRETCHED, anchor="end",
                         size=FONT_SIZE - 1, fill=MUTED, class_="eq-chart__note"))
    if line:
        if stretched:
            ranks = edges
            d = "".join(("M" if i == 0 else "L") + f"{x_at(r):.2f} {scale(intercept + slope * r):.2f}"
                        for i, r in enumerate(ranks))
            body.append(element("path", d=d, fill="none", stroke=line_colour, stroke_width=2.5,
                                stroke_dasharray="8 4", class_="eq-chart__regression",
                                data_intercept=repr(float(intercept)), data_slope=repr(float(slope))))
        else:
            y0, y1 = scale(intercept), scale(intercept + slope)
            body.append(element("line", x1=x_at(0.0), x2=x_at(1.0), y1=y0, y2=y1, stroke=line_colour,
                                stroke_width=2.5, stroke_dasharray="8 4", class_="eq-chart__regression",
                                data_intercept=repr(float(intercept)), data_slope=repr(float(slope))))
    return document(width=width, height=height, title=title, chart_id=chart_id, kind="gradient",
                    description=_alternative(title, description, groups, unit, decimals, intercept, slope, annotation),
                    body=body)


def _room(group: Datum, decimals: int | None) -> float:
    """Width a group needs: its longest label word and its value label, with a margin."""
    words = [text_width(word, FONT_SIZE - 1) for word in group.label.split()] or [0.0]
    value = text_width(short_value(group, decimals=decimals) if group.drawn else short_value(group))
    population = text_width(_population_short(group.weight), FONT_SIZE - 2) if is_number(group.weight) else 0.0
    return max(max(words), value, population) + 8


def _widths(shares: Sequence[float], minimum: float) -> list[float]:
    """Left edges (0–1) of groups whose widths are their ``shares``, each widened to at least
    ``minimum`` (capped at an equal share) and the others narrowed in proportion."""
    count = len(shares)
    if not count:
        return []
    minimum = min(max(minimum, 0.0), 1.0 / count)
    widths = list(shares)
    fixed: set[int] = set()
    for _round in range(count):
        free = [i for i in range(count) if i not in fixed]
        room = 1.0 - minimum * len(fixed)
        weight = sum(shares[i] for i in free)
        for i in free:
            widths[i] = room * shares[i] / weight if weight > 0 else room / len(free)
        short = {i for i in free if widths[i] < minimum - 1e-12}
        if not short:
            break
        fixed |= short
        for i in fixed:
            widths[i] = minimum
    edges, before = [], 0.0
    for width in widths:
        edges.append(before)
        before += width
    return edges


def _population_short(weight: float | None) -> str:
    return f"{format_number(weight, 0)}\u00a0hab." if is_number(weight) else ""


def _population_words(weight: float | None, total: float) -> str:
    share = 100 * float(weight) / total if is_number(weight) and total else None
    return (f"{format_number(weight, 0)} habitants"
            + (f" ({format_number(share, 1)}\u00a0% de la population)" if share is not None else ""))


def _alternative(title, description, groups, unit, decimals, intercept, slope, annotation) -> str:
    words = (description.strip() + " ") if description else f"{title}. "
    words += "Groupes du plus défavorisé au moins défavorisé : "
    populations = all(is_number(g.weight) and g.weight > 0 for g in groups)
    total = sum(float(g.weight) for g in groups) if populations else 0.0
    words += describe([f"{g.label} : {value_words(g, unit, decimals)}"
                       + (f" ({_population_words(g.weight, total)})" if populations else "") for g in groups]) + "."
    if is_number(intercept) and is_number(slope):
        words += (f" Droite de régression de l'indice de pente : de {with_unit(format_number(intercept, decimals), unit)}"
                  f" au rang 0 à {with_unit(format_number(intercept + slope, decimals), unit)} au rang 1.")
    if annotation:
        words += f" {annotation}"
    return words
