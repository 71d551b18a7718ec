"""The funnel plot: each area's value against its size, with control limits around the overall value
(pure).

The limits are computed elsewhere (``equisante.stats.funnel_limits``, PHE method): this module only
draws them. Points are peers (grey) and the highlighted area(s) (larger, coloured, named); an area
outside the 3-standard-deviation limits differs beyond what chance explains.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from equisante.charts._parts import (describe, horizontal_axis, marker, tick_label_width, tick_texts, tooltip,
                                     value_words, vertical_axis)
from equisante.charts._svg import FONT_SIZE, MUTED, TEXT, document, element, text, text_width
from equisante.charts.model import BLUE, GREY, VERMILION, Datum
from equisante.charts.numbers import format_number, is_number, with_unit
from equisante.charts.scales import extent, linear_scale
from equisante.numbers import plural

__all__ = ["funnel_plot", "LIMIT_KEYS"]

#: Keys of the ``limits`` mapping: abscissae and the four limit curves (same length). A curve may
#: have its own abscissae under ``x_<curve>`` (``x_lower_2s``…): rate limits are computed per number
#: of events, and each curve then sits at its own populations.
LIMIT_KEYS = ("x", "lower_2s", "upper_2s", "lower_3s", "upper_3s")
_LINES = (
    ("3s", "Limites à 3 écarts-types (99,8 %)", BLUE, "2 3"),
    ("2s", "Limites à 2 écarts-types (95 %)", BLUE, "7 4"),
)


def funnel_plot(
    points: Sequence[Datum],
    limits: Mapping[str, Sequence[float]],
    *,
    baseline: float,
    title: str,
    description: str = "",
    unit: str = "",
    x_label: str = "Effectif (dénominateur)",
    baseline_label: str = "Valeur d'ensemble",
    decimals: int | None = None,
    width: int = 640,
    height: int = 400,
    highlight_colour: str = VERMILION,
    chart_id: str = "funnel-plot",
) -> str:
    """A funnel plot.

    ``points``: one :class:`~equisante.charts.model.Datum` per area, ``weight`` = its size on the
    horizontal axis (population, expected events…), ``value`` on the vertical axis; areas without a
    drawable value or weight are left out (and counted in the text alternative). ``limits``: the
    control-limit curves (keys :data:`LIMIT_KEYS`, in the units of the values, ``x`` in the units
    of ``weight``; optional ``x_<curve>`` abscissae per curve). ``baseline``: the overall value (solid line). Returns the SVG text."""
    missing = [key for key in LIMIT_KEYS if key not in limits]
    if missing:
        raise ValueError(f"limites incomplètes, il manque : {', '.join(missing)}")
    drawn = [p for p in points if p.drawn and is_number(p.weight) and p.weight > 0]
    left_out = len(points) - len(drawn)
    curves = {}
    for key in LIMIT_KEYS[1:]:
        xs = limits.get(f"x_{key}", limits["x"])
        curves[key] = [(float(x), float(y)) for x, y in zip(xs, limits[key], strict=True)
                       if is_number(x) and is_number(y)]
    x_extent = extent([p.weight for p in drawn], include=[0.0])
    x_low, x_high = x_extent if x_extent else (0.0, 1.0)
    x_high = max(x_high, 1.0)
    # the value axis spans the points and the limits over the sizes the points have: near zero the
    # limits run off to infinity and would flatten everything else
    smallest = min((float(p.weight) for p in drawn), default=0.0)
    y_values = [p.value for p in drawn] + [baseline]
    for key in ("lower_3s", "upper_3s"):
        y_values += [y for x, y in curves[key] if smallest <= x <= x_high * 1.05]
    low, high = extent(y_values) or (0.0, 1.0)
    top, bottom, right = 30, 84, 16
    y_scale = linear_scale(low, high, height - bottom, top)
    left = max(44.0, tick_label_width(y_scale) + 14)
    x_scale = linear_scale(0.0, x_high, left, width - right)
    # the last tick label is centred on the plot's right edge: keep room for its right half
    last = tick_texts(x_scale, 0)[-1][1] if x_scale.ticks() else ""
    right = max(right, text_width(last, FONT_SIZE - 1) / 2 + 6)
    x_scale = linear_scale(0.0, x_high, left, width - right)
    body = [vertical_axis(y_scale, left, width - right, label=unit, label_y=top - 14),
            horizontal_axis(x_scale, top, height - bottom, decimals=0, label=x_label)]
    clip_id = f"{chart_id}-plot"
    defs = element("clipPath", element("rect", x=left, y=top, width=width - right - left, height=height - bottom - top),
                   id=clip_id)
    lines = []
    for tag, _label, colour, dash in _LINES:
        for side in ("lower", "upper"):
            path = _path(curves[f"{side}_{tag}"], x_scale, y_scale, x_high * 1.05)
            if path:
                lines.append(element("path", d=path, fill="none", stroke=colour, stroke_width=1.5,
                                     stroke_dasharray=dash, class_=f"eq-chart__limit eq-chart__limit--{side}-{tag}"))
    by = y_scale(baseline)
    lines.append(element("line", x1=left, x2=width - right, y1=by, y2=by, stroke=TEXT, stroke_width=1.5,
                         class_="eq-chart__baseline", data_value=repr(float(baseline))))
    body.append(element("g", "".join(lines), clip_path=f"url(#{clip_id})"))
    peers, highlighted = [], []
    for point in drawn:
        x, y = x_scale(point.weight), y_scale(point.value)
        tip = tooltip(f"{point.label} : {value_words(point, unit, decimals)} ; effectif "
                      f"{format_number(point.weight, 0)}" + (f" — {point.note}" if point.note else ""))
        attrs = {"class_": "eq-chart__point" + (" eq-chart__point--highlight" if point.highlight else ""),
                 "data_key": point.key or point.label, "data_value": repr(float(point.value)),
                 "data_weight": repr(float(point.weight)), "data_state": point.state}
        if point.highlight:
            # the name on the side where it fits (a large area sits at the right edge)
            if x + 10 + text_width(point.label) > width - right:
                name = text(x - 10, y - 8, point.label, anchor="end", weight="bold")
            else:
                name = text(x + 10, y - 8, point.label, weight="bold")
            mark = marker("diamond", x, y, 12, highlight_colour) + name
            highlighted.append(element("g", tip + mark, **attrs))
        else:
            mark = marker("circle", x, y, 6, GREY, filled=point.state != "unstable")
            peers.append(element("g", tip + mark, fill_opacity=0.7, **attrs))
    body.append("".join(peers) + "".join(highlighted))
    body.append(_legend(left, height - 6, width - right, baseline_label))
    return document(width=width, height=height, title=title, chart_id=chart_id, kind="funnel", defs=defs,
                    description=_alternative(title, description, points, drawn, left_out, baseline, baseline_label,
                                             unit, decimals), body=body)


def _path(curve, x_scale, y_scale, x_max: float) -> str:
    """The curve as a path, cut a little beyond the largest area (the reference's axis runs on to a
    round number); points are sorted by abscissa, as parametric curves need not be."""
    commands = []
    for x, y in sorted(curve):
        if x > x_max:
            break
        commands.append(("M" if not commands else "L") + f"{x_scale(x):.2f} {y_scale(y):.2f}")
    return "".join(commands)


def _legend(left: float, bottom: float, right: float, baseline_label: str) -> str:
    """The key of the lines, wrapped onto a second row when it does not fit (last row at ``bottom``)."""
    items = [(baseline_label, TEXT, None)] + [(label, colour, dash) for _tag, label, colour, dash in _LINES]
    placed, x, row = [], left, 0
    for label, colour, dash in items:
        width = 32 + text_width(label, FONT_SIZE - 1)
        if x > left and x + width > right:
            row, x = row + 1, left
        placed.append((x, row, label, colour, dash))
        x += width
    parts = []
    for x, line, label, colour, dash in placed:
        y = bottom - 16 * (row - line)
        parts.append(element("line", x1=x, x2=x + 22, y1=y - 4, y2=y - 4, stroke=colour, stroke_width=1.5,
                             stroke_dasharray=dash))
        parts.append(text(x + 26, y, label, size=FONT_SIZE - 1, fill=MUTED))
    return element("g", "".join(parts), class_="eq-chart__legend", aria_hidden="true")


def _alternative(title, description, points, drawn, left_out, baseline, baseline_label, unit, decimals) -> str:
    words = (description.strip() + " ") if description else f"{title}. "
    words += f"{baseline_label} : {with_unit(format_number(baseline, decimals), unit)}. "
    chosen = [p for p in drawn if p.highlight]
    if chosen:
        words += ("Territoire mis en évidence : " if len(chosen) == 1 else "Territoires mis en évidence : ") + describe(
            [f"{p.label} : {value_words(p, unit, decimals)}" + (f", {p.note}" if p.note else "") for p in chosen]) + ". "
    words += plural(len(drawn), "territoire placé", "territoires placés")
    if left_out:
        words += f", {left_out} sans valeur publiable ({'non placé' if left_out < 2 else 'non placés'})"
    return words + "."
