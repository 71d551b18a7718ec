"""Bar charts: valid, accessible SVG; bars, whiskers and reference where the values say."""

from __future__ import annotations

import pytest

from charts.helpers import all_text, axis_map, check_accessible, find_all, parse, path_numbers
from equisante.charts import Datum, bar_chart, horizontal_bars

BARS = [
    Datum("Commune A", 12.5, 10.0, 15.0, highlight=True, key="A"),
    Datum("Département", 25.0, 24.0, 26.0, key="D"),
    Datum("Commune B", None, state="suppressed", key="B"),
    Datum("Commune C", 7.5, 2.0, 14.0, state="unstable", key="C"),
    Datum("Commune D", None, state="missing", key="E"),
]


def _groups(root):
    return {g.get("data-key"): g for g in find_all(root, "g", "eq-chart__bar")}


def test_bar_chart_is_valid_accessible_svg():
    svg = bar_chart(BARS, title="Taux de chômage", unit="%", reference=10.0, reference_label="Région",
                    chart_id="test-bars")
    root = parse(svg)
    check_accessible(root)
    assert root.get("data-chart") == "bars" and root.get("id") == "test-bars"
    desc = root.find("{http://www.w3.org/2000/svg}desc").text
    # the text alternative carries every value in French, with its interval, and every state
    assert "Commune A : 12,5\u00a0% (IC 95 % : 10,0 à 15,0)" in desc
    assert "Commune B : secret statistique" in desc
    assert "Commune D : donnée manquante" in desc
    assert "valeur fragile" in desc
    assert "Région : 10,0\u00a0%" in desc


def test_bars_stand_where_their_values_say():
    root = parse(bar_chart(BARS, title="t", unit="%"))
    y = axis_map(root, "y")
    groups = _groups(root)
    for key, value, lower, upper in [("A", 12.5, 10.0, 15.0), ("D", 25.0, 24.0, 26.0), ("C", 7.5, 2.0, 14.0)]:
        group = groups[key]
        rect = group.find("{http://www.w3.org/2000/svg}rect")
        top, height = float(rect.get("y")), float(rect.get("height"))
        assert top == pytest.approx(y(value), abs=0.05)
        assert top + height == pytest.approx(y(0), abs=0.05)  # bars start at zero
        whisker = path_numbers(find_all(group, "path", "eq-chart__ci")[0].get("d"))
        ys = set(round(v, 1) for v in whisker[1::2])
        assert round(y(lower), 1) in ys and round(y(upper), 1) in ys
        assert float(group.get("data-value")) == value
    # heights are proportional to the values (zero baseline)
    a = float(groups["A"].find("{http://www.w3.org/2000/svg}rect").get("height"))
    d = float(groups["D"].find("{http://www.w3.org/2000/svg}rect").get("height"))
    assert d / a == pytest.approx(2.0, rel=1e-3)


def test_states_are_shown_distinctly():
    root = parse(bar_chart(BARS, title="t", unit="%"))
    groups = _groups(root)
    assert groups["B"].find("{http://www.w3.org/2000/svg}rect") is None  # no bar for a withheld value
    assert "secret stat." in all_text(groups["B"]) and groups["B"].get("data-state") == "suppressed"
    assert "n.d." in all_text(groups["E"]) and groups["E"].get("data-value") is None
    unstable = groups["C"].find("{http://www.w3.org/2000/svg}rect")
    assert unstable.get("stroke-dasharray") and float(unstable.get("fill-opacity")) < 1
    highlighted = groups["A"].find("{http://www.w3.org/2000/svg}rect").get("fill")
    plain = groups["D"].find("{http://www.w3.org/2000/svg}rect").get("fill")
    assert highlighted != plain
    # labels in French: « 12,5 » written above the bar
    assert "12,5" in all_text(groups["A"])


def test_reference_line_sits_at_its_value():
    root = parse(bar_chart(BARS, title="t", reference=10.0, reference_label="Région"))
    y = axis_map(root, "y")
    reference = find_all(root, "g", "eq-chart__reference")[0]
    line = reference.find("{http://www.w3.org/2000/svg}line")
    assert float(line.get("y1")) == pytest.approx(y(10.0), abs=0.05)
    assert "Région : 10,0" in all_text(reference)


def test_horizontal_bars_around_a_baseline_of_100():
    bars = [Datum("Logement social", 112.0, 104.0, 120.0, key="L"), Datum("Chômage", 85.0, 80.0, 90.0, key="C"),
            Datum("Revenu <médian> & co", None, state="suppressed", key="R")]
    svg = horizontal_bars(bars, title="Indice", baseline=100.0, reference=100.0, reference_label="Département")
    root = parse(svg)
    check_accessible(root)
    x = axis_map(root, "x")
    groups = _groups(root)
    above = groups["L"].find("{http://www.w3.org/2000/svg}rect")
    below = groups["C"].find("{http://www.w3.org/2000/svg}rect")
    assert float(above.get("x")) == pytest.approx(x(100), abs=0.05)
    assert float(above.get("x")) + float(above.get("width")) == pytest.approx(x(112), abs=0.05)
    assert float(below.get("x")) == pytest.approx(x(85), abs=0.05)
    assert float(below.get("x")) + float(below.get("width")) == pytest.approx(x(100), abs=0.05)
    # labels with markup characters are escaped, not interpreted
    assert "Revenu <médian> & co" in all_text(groups["R"])


def test_long_labels_are_wrapped():
    long = "Part des ménages locataires d'un logement social dans l'ensemble des résidences principales"
    root = parse(horizontal_bars([Datum(long, 50.0)], title="t", width=500))
    labels = [t for t in find_all(root, "text", "eq-chart__label")]
    assert 1 < len(labels) <= 2
