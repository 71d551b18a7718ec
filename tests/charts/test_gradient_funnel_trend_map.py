"""The gradient chart, the funnel plot, the trend chart and the static map."""

from __future__ import annotations

import json

import numpy as np
import pytest

from charts.helpers import all_text, axis_map, check_accessible, find_all, parse, path_numbers
from equisante.charts import (Datum, LegendItem, MapArea, Series, choropleth_map, funnel_plot, gradient_chart,
                              relative_ranks, trend_chart)

SVG = "{http://www.w3.org/2000/svg}"


def test_relative_ranks_follow_population_shares():
    assert relative_ranks([1, 1, 2]) == [(0.0, 0.125, 0.25), (0.25, 0.375, 0.5), (0.5, 0.75, 1.0)]


def _quintiles():
    values = [30.0, 27.0, 25.0, 22.0, 20.0]
    weights = [1000, 1200, 900, 1100, 800]
    return [Datum(f"Q{i}", v, v - 2, v + 2, weight=w, key=f"q{i}") for i, (v, w) in enumerate(zip(values, weights), 1)]


def test_gradient_chart_places_groups_by_rank_and_draws_the_regression_line():
    groups = _quintiles()
    svg = gradient_chart(groups, title="Gradient", intercept=31.0, slope=-11.0, unit="%",
                         annotation="IIP = −11,0", chart_id="g1")
    root = parse(svg)
    check_accessible(root)
    y = axis_map(root, "y")
    marks = {g.get("data-key"): g for g in find_all(root, "g", "eq-chart__group")}
    ranks = relative_ranks([g.weight for g in groups])
    for datum, (_start, middle, _end) in zip(groups, ranks):
        group = marks[datum.key]
        assert float(group.get("data-rank")) == pytest.approx(middle, abs=1e-6)
        rect = group.find(f"{SVG}rect")
        assert float(rect.get("y")) == pytest.approx(y(datum.value), abs=0.05)
    # widths follow the population shares
    widths = [float(marks[g.key].find(f"{SVG}rect").get("width")) for g in groups]
    assert widths[1] > widths[0] > widths[4]
    line = find_all(root, "line", "eq-chart__regression")[0]
    assert float(line.get("y1")) == pytest.approx(y(31.0), abs=0.05)
    assert float(line.get("y2")) == pytest.approx(y(20.0), abs=0.05)
    desc = root.find(f"{SVG}desc").text
    assert "de 31,0\u00a0% au rang 0 à 20,0\u00a0% au rang 1" in desc
    assert "IIP = −11,0" in all_text(root)


def test_gradient_chart_points_style_and_missing_group():
    groups = _quintiles()
    groups[2] = Datum("Q3", None, state="suppressed", weight=900, key="q3")
    root = parse(gradient_chart(groups, title="t", style="points"))
    marks = {g.get("data-key"): g for g in find_all(root, "g", "eq-chart__group")}
    assert marks["q3"].find(f"{SVG}circle") is None and "secret stat." in all_text(marks["q3"])
    assert marks["q1"].find(f"{SVG}circle") is not None
    assert not find_all(root, "line", "eq-chart__regression")  # no line without intercept and slope
    with pytest.raises(ValueError):
        gradient_chart(groups, title="t", style="pie")


def _limits():
    x = np.linspace(0, 10_000, 100)
    spread = lambda k: k * 300 / np.sqrt(np.maximum(x, 1))  # noqa: E731
    return {"x": x, "lower_2s": 20 - spread(2), "upper_2s": 20 + spread(2), "lower_3s": 20 - spread(3),
            "upper_3s": 20 + spread(3)}


def test_funnel_plot_places_points_and_limits():
    points = [Datum(f"C{i}", 18 + i % 5, weight=1000 + 800 * i, key=f"c{i}") for i in range(10)]
    points.append(Datum("Ma commune", 31.0, weight=5000, highlight=True, key="me", note="au-dessus"))
    points.append(Datum("Cachée", None, state="suppressed", weight=3000, key="hidden"))
    svg = funnel_plot(points, _limits(), baseline=20.0, title="Entonnoir", unit="%", x_label="Population")
    root = parse(svg)
    check_accessible(root)
    y, x = axis_map(root, "y"), axis_map(root, "x")
    marks = {g.get("data-key"): g for g in find_all(root, "g", "eq-chart__point")}
    assert "hidden" not in marks and len(marks) == 11
    me = marks["me"]
    diamond = path_numbers(me.find(f"{SVG}path").get("d"))
    # the diamond's top and bottom vertices share the point's abscissa; its middle row is at the value
    assert diamond[0] == pytest.approx(x(5000), abs=0.05)
    assert (diamond[3]) == pytest.approx(y(31.0), abs=0.05)
    assert "Ma commune" in all_text(me)
    assert len(find_all(root, "path", "eq-chart__limit")) == 4
    baseline = find_all(root, "line", "eq-chart__baseline")[0]
    assert float(baseline.get("y1")) == pytest.approx(y(20.0), abs=0.05)
    desc = root.find(f"{SVG}desc").text
    assert "Ma commune : 31,0\u00a0%" in desc and "1 sans valeur publiable" in desc


def test_funnel_plot_with_curves_on_their_own_abscissae():
    limits = _limits()
    limits["x_upper_3s"] = limits["x"] * 1.1
    svg = funnel_plot([Datum("A", 20.0, weight=4000)], limits, baseline=20.0, title="t")
    parse(svg)
    with pytest.raises(ValueError):
        funnel_plot([], {"x": [1]}, baseline=1.0, title="t")


def test_trend_chart_series_gaps_and_legend():
    periods = ["2019", "2020", "2021"]
    series = [
        Series("Commune", [Datum("2019", 10.0, 8.0, 12.0), Datum("2020", None, state="suppressed"),
                           Datum("2021", 12.0, 10.0, 14.0)], highlight=True),
        Series("Département", [Datum(p, v, v - 0.5, v + 0.5) for p, v in zip(periods, [9.0, 9.5, 9.8])]),
    ]
    root = parse(trend_chart(series, periods, title="Évolution", unit="%"))
    check_accessible(root)
    y = axis_map(root, "y")
    lines = {g.get("data-series"): g for g in find_all(root, "g", "eq-chart__series")}
    commune = lines["Commune"]
    path = commune.find(f"{SVG}path").get("d")
    assert path.count("M") == 2  # the withheld year breaks the line
    point = next(p for p in find_all(commune, "g", "eq-chart__point") if p.get("data-period") == "2021")
    assert float(point.get("data-value")) == 12.0
    marker = point.find(f"{SVG}circle")
    assert float(marker.get("cy")) == pytest.approx(y(12.0), abs=0.05)
    withheld = next(p for p in find_all(commune, "g", "eq-chart__point") if p.get("data-period") == "2020")
    assert withheld.get("data-state") == "suppressed" and "secret stat." in all_text(withheld)
    legend = find_all(root, "g", "eq-chart__legend")[0]
    assert "Commune" in all_text(legend) and "Département" in all_text(legend)
    # series differ by more than colour: dash pattern and marker shape
    dep_path = lines["Département"].find(f"{SVG}path")
    assert dep_path.get("stroke-dasharray") and commune.find(f"{SVG}path").get("stroke-dasharray") is None
    assert lines["Département"].find(f"{SVG}g/{SVG}rect") is not None  # square markers


def _square(x, y, size=0.1):
    return {"type": "Polygon", "coordinates": [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]}


def test_static_map_draws_areas_states_outline_and_legend():
    areas = [
        MapArea("a", "A", _square(4.0, 45.0), fill="#fbf6c1", value_text="10,0 %"),
        MapArea("b", "B", _square(4.1, 45.0), fill="#2c4d98", value_text="20,0 %"),
        MapArea("c", "C", _square(4.2, 45.0), state="suppressed"),
        MapArea("d", "D", _square(4.3, 45.0), state="missing"),
        MapArea("e", "E", {"type": "MultiPolygon", "coordinates": [_square(4.4, 45.0)["coordinates"]]},
                fill="#5fbcac", state="unstable"),
        MapArea("all", "Tout", _square(4.0, 45.0, 0.5), outline=True),
    ]
    legend = [LegendItem("de 10,0 à 15,0 %", "#fbf6c1", count=1), LegendItem("Secret statistique", state="suppressed",
                                                                              count=1)]
    root = parse(choropleth_map(areas, title="Carte", legend=legend, legend_title="Légende (unité : %)"))
    check_accessible(root)
    shapes = {p.get("data-key"): p for p in find_all(root, "path", "eq-chart__area")}
    assert set(shapes) == {"a", "b", "c", "d", "e"}
    assert shapes["c"].get("fill").startswith("url(#") and shapes["d"].get("fill") == "#ffffff"
    assert shapes["d"].get("stroke-dasharray") and shapes["e"].get("fill-opacity") == "0.5"
    assert len(find_all(root, "path", "eq-chart__outline")) == 1
    # equal squares side by side get equal widths on the projection
    widths = []
    for key in ("a", "b"):
        numbers = path_numbers(shapes[key].get("d"))
        xs = numbers[0::2]
        widths.append(max(xs) - min(xs))
    assert widths[0] == pytest.approx(widths[1], abs=0.2)
    legend_text = all_text(find_all(root, "g", "eq-chart__legend")[0])
    assert "Légende (unité : %)" in legend_text and "Secret statistique (1)" in legend_text
    assert "A : 10,0 %" in root.find(f"{SVG}desc").text


def test_static_map_without_geometry():
    root = parse(choropleth_map([MapArea("a", "A", None)], title="Carte"))
    assert "indisponible" in all_text(root)


def test_geometry_from_json_text_is_accepted_as_mapping():
    geometry = json.loads(json.dumps(_square(1.0, 2.0)))
    parse(choropleth_map([MapArea("a", "A", geometry, fill="#000000")], title="t"))
