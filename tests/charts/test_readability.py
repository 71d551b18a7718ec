"""Charts stay readable on awkward data: unbalanced quintiles, large axis values, crowded trend points."""

from __future__ import annotations

import numpy as np
import pytest

from charts.helpers import all_text, find_all, parse, path_numbers
from equisante.charts import Datum, Series, funnel_plot, gradient_chart, trend_chart
from equisante.charts._svg import FONT_SIZE, text_width
from equisante.charts.gradient import STRETCHED
from equisante.charts.numbers import format_number

SVG = "{http://www.w3.org/2000/svg}"


def _view_width(root) -> float:
    return float(root.get("viewBox").split()[2])


def _text_box(element) -> tuple[float, float, float, float]:
    """Estimated box of a ``<text>``: same character width as the builders use."""
    size = float(element.get("font-size") or FONT_SIZE)
    words = element.text or ""
    width = text_width(words, size)
    x, y = float(element.get("x")), float(element.get("y"))
    anchor = element.get("text-anchor") or "start"
    x0 = x - width if anchor == "end" else x - width / 2 if anchor == "middle" else x
    return x0, y - size * 0.8, x0 + width, y + size * 0.25


def _marker_box(element) -> tuple[float, float, float, float]:
    if element.tag == f"{SVG}circle":
        cx, cy, r = (float(element.get(k)) for k in ("cx", "cy", "r"))
        return cx - r, cy - r, cx + r, cy + r
    if element.tag == f"{SVG}rect":
        x, y, w, h = (float(element.get(k)) for k in ("x", "y", "width", "height"))
        return x, y, x + w, y + h
    numbers = path_numbers(element.get("d"))
    xs, ys = numbers[0::2], numbers[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# --- gradient ----------------------------------------------------------------------------------------

LABELS = ["Q1 (plus défavorisé)", "Q2", "Q3", "Q4", "Q5 (moins défavorisé)"]


def _groups(populations, values=(30.0, 27.0, 25.0, 22.0, 20.0)):
    return [Datum(label, value, value - 1.5, value + 1.5, weight=population, key=f"q{i}")
            for i, (label, value, population) in enumerate(zip(LABELS, values, populations), 1)]


def test_unbalanced_quintiles_keep_every_label_value_and_population():
    # Q1 holds 196 698 of 217 000 inhabitants: the four others share 9 %
    populations = [196_698, 5_200, 5_100, 5_000, 5_002]
    groups = _groups(populations)
    root = parse(gradient_chart(groups, title="Gradient", intercept=31.0, slope=-11.0, unit="%", chart_id="g"))
    marks = {g.get("data-key"): g for g in find_all(root, "g", "eq-chart__group")}
    assert len(marks) == 5
    for datum in groups:
        group = marks[datum.key]
        labels = " ".join(t.text for t in find_all(group, "text", "eq-chart__label"))
        assert labels == datum.label  # whole label, never cut nor left out
        values = [t.text for t in find_all(group, "text", "eq-chart__value")]
        assert values == [format_number(datum.value)]
        population = find_all(group, "text", "eq-chart__population")[0].text
        assert population == f"{format_number(datum.weight, 0)}\u00a0hab."
        # the bar is wide enough for each line of its label and for its value
        bar = group.find(f"{SVG}rect")
        width = float(bar.get("width"))
        for text in find_all(group, "text"):
            if text.get("class") != "eq-chart__population":
                box = _text_box(text)
                assert box[2] - box[0] <= width + 4, (datum.key, text.text, width)
        assert float(group.get("data-population")) == datum.weight
    # texts of neighbouring groups do not overlap
    boxes = [[_text_box(t) for t in find_all(marks[d.key], "text")] for d in groups]
    for left, right in zip(boxes, boxes[1:]):
        assert not any(_overlap(a, b) for a in left for b in right)
    # the stretch is said on the chart and the populations are in the text alternative
    assert STRETCHED in all_text(root)
    desc = root.find(f"{SVG}desc").text
    assert "196\u00a0698 habitants (90,6\u00a0% de la population)" in desc
    # the SII line still goes from the value at rank 0 to the value at rank 1 (piecewise: stretched ranks)
    path = find_all(root, "path", "eq-chart__regression")[0]
    numbers = path_numbers(path.get("d"))
    ys = numbers[1::2]
    assert ys == sorted(ys)  # 31 at the most deprived end down to 20: pixels grow downwards
    assert len(ys) == 6  # one vertex at each group edge


def test_balanced_quintiles_keep_widths_proportional_and_a_straight_line():
    root = parse(gradient_chart(_groups([1000, 1200, 900, 1100, 800]), title="t", intercept=31.0, slope=-11.0))
    assert STRETCHED not in all_text(root)
    assert find_all(root, "line", "eq-chart__regression")
    widths = [float(g.find(f"{SVG}rect").get("width")) for g in find_all(root, "g", "eq-chart__group")]
    assert widths[1] > widths[3] > widths[0] > widths[2] > widths[4]


def test_gradient_annotation_is_written_once():
    sentence = "IIP = −11,0 points (IC 95 % : −14,0 à −8,0) ; IRI = 0,42"
    root = parse(gradient_chart(_groups([1000] * 5), title="t", annotation=sentence))
    visible = "".join(t.text or "" for t in find_all(root, "text"))
    assert visible.count(sentence) == 1


# --- funnel ------------------------------------------------------------------------------------------

def test_funnel_last_tick_is_written_whole_inside_the_chart():
    x = np.linspace(1, 260_000, 200)
    spread = lambda k: k * 3000 / np.sqrt(x)  # noqa: E731
    limits = {"x": x, "lower_2s": 20 - spread(2), "upper_2s": 20 + spread(2), "lower_3s": 20 - spread(3),
              "upper_3s": 20 + spread(3)}
    points = [Datum(f"T{i}", 20 + (i % 3), weight=20_000 * i + 5_000) for i in range(1, 12)]
    root = parse(funnel_plot(points, limits, baseline=20.0, title="Entonnoir", x_label="Population"))
    width = _view_width(root)
    axis = next(g for g in find_all(root, "g") if "eq-chart__axis--x" in (g.get("class") or ""))
    ticks = [t for t in axis if t.tag == f"{SVG}text" and t.text and t.text[0].isdigit()]
    assert ticks[-1].text == "250\u00a0000"  # French thousands separator, every digit
    for tick in ticks:
        x0, _y0, x1, _y1 = _text_box(tick)
        assert 0 <= x0 and x1 <= width, tick.text


# --- trend -------------------------------------------------------------------------------------------

def test_trend_value_labels_cover_no_marker():
    periods = ["2017", "2018", "2019", "2020", "2021"]
    # three series almost on top of each other: the labels of the first must find free room
    series = [Series(name, [Datum(p, v + shift, v + shift - 0.4, v + shift + 0.4) for p, v in
                            zip(periods, [10.0, 10.5, 11.0, 10.8, 11.2])], highlight=(i == 0))
              for i, (name, shift) in enumerate([("Commune", 0.0), ("Département", 0.1), ("Région", -0.1)])]
    root = parse(trend_chart(series, periods, title="Évolution", unit="%"))
    width = _view_width(root)
    markers = []
    for point in find_all(root, "g", "eq-chart__point"):
        for child in point:
            if child.tag in (f"{SVG}circle", f"{SVG}rect") or (child.tag == f"{SVG}path"
                                                                 and "eq-chart__ci" not in (child.get("class") or "")):
                markers.append(_marker_box(child))
    labels = find_all(root, "text", "eq-chart__value")
    assert len(labels) == len(periods)
    for label in labels:
        box = _text_box(label)
        assert not any(_overlap(box, m) for m in markers), label.text
        assert 0 <= box[0] and box[2] <= width


@pytest.mark.parametrize("values", [[5.0, 50.0], [50.0, 5.0], [1000.0, 1000.0]])
def test_trend_labels_stay_inside_the_chart(values):
    periods = ["2020", "2021"]
    root = parse(trend_chart([Series("A", [Datum(p, v) for p, v in zip(periods, values)], highlight=True)],
                             periods, title="t"))
    for label in find_all(root, "text", "eq-chart__value"):
        box = _text_box(label)
        assert 0 <= box[0] and box[2] <= _view_width(root)


# --- dots --------------------------------------------------------------------------------------------

def test_dot_chart_compares_areas_with_shapes_and_free_value_labels():
    from equisante.charts import dot_chart

    items = ["Rattrapage", "Nivellement", "Réduction du gradient"]
    series = [Series("CLS de la Veyle", [Datum(i, v) for i, v in zip(items, [20.0, 40.0, 41.0])], highlight=True),
              Series("Ensemble du département Ain", [Datum(i, v, state="ok" if v else "missing")
                                                     for i, v in zip(items, [21.0, 35.0, None])]),
              Series("Ensemble des contrats comparés", [Datum(i, v) for i, v in zip(items, [19.5, 30.0, 25.0])])]
    root = parse(dot_chart(items, series, title="Comparaison", unit="%", decimals=1, high=100.0))
    check = root.find(f"{SVG}desc").text
    assert "Ensemble du département Ain — Rattrapage : 21,0\u00a0%" in check and "donnée manquante" in check
    points = find_all(root, "g", "eq-chart__point")
    assert len(points) == 8  # the missing value draws nothing
    # three series, three marker shapes
    shapes = {p.get("data-series"): p[1].tag for p in points}
    assert len(set(shapes.values())) == 3
    markers = [_marker_box(p[1]) for p in points]
    labels = find_all(root, "text", "eq-chart__value")
    assert [t.text for t in labels] == ["20,0", "40,0", "41,0"]
    for label in labels:
        box = _text_box(label)
        assert not any(_overlap(box, m) for m in markers), label.text
        assert box[2] <= _view_width(root)
    legend = all_text(find_all(root, "g", "eq-chart__legend")[0])
    assert all(line.label in legend for line in series)  # whole names, not cut
