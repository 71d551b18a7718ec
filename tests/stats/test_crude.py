"""Proportions, rates and means (values published with PHEindicatormethods v2.1.0, copied here so
that they are checked without ../shared)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from equisante.stats import mean, proportion, rate
from equisante.stats.errors import StatsInputError

RTOL = 1e-6

AREAS = pd.DataFrame({
    "area": [f"Area{i}" for i in range(1, 9)],
    "x": [1, 5, 20, 65, 9856, 7776456, 222, 999],
    "n": [100, 100, 100, 100, 12345, 7564336536, 3215, 3456],
})

# testdata_Prop, multiplier 100: value, lower95, upper95, lower99.8, upper99.8
PERCENTAGES = {
    "Area1": (1.0, 0.176743, 5.448620, 0.087307, 10.455445),
    "Area4": (65.0, 55.254443, 73.635752, 49.549466, 77.835406),
    "Area5": (79.837991, 79.121018, 80.536401, 78.699241, 80.930614),
    "Area8": (28.906250, 27.418951, 30.440390, 26.583996, 31.344754),
}
# testdata_Rate, multiplier 100000
RATES = {
    "Area1": (1000.0, 25.317808, 5571.643391, 1.000500, 9233.413476, "Exact"),
    "Area2": (5000.0, 1623.486390, 11668.332079, 739.371732, 16454.745204, "Exact"),
    "Area3": (20000.0, 12211.428835, 30889.880369, 8922.802365, 38085.035625, "Byars"),
    "Area6": (102.804203, 102.731960, 102.876483, 102.690317, 102.918176, "Byars"),
    "Area7": (6905.132193, 6026.574878, 7875.729371, 5560.737695, 8461.046682, "Byars"),
}


def test_proportion_published_rows():
    out = proportion(AREAS, "x", "n", by="area", confidence=(0.95, 0.998), multiplier=100).set_index("area")
    for area, expected in PERCENTAGES.items():
        got = out.loc[area, ["value", "lower_95_0", "upper_95_0", "lower_99_8", "upper_99_8"]].to_numpy(float)
        np.testing.assert_allclose(got, expected, rtol=RTOL, atol=5e-7)
    assert out.loc["Area6", "value"] == pytest.approx(0.102804, abs=5e-7)


def test_proportion_grouped_sums_rows_first():
    doubled = pd.concat([AREAS, AREAS])  # testdata_Prop_g: each area twice
    out = proportion(doubled, "x", "n", by="area").set_index("area")
    assert out.loc["Area1", ["numerator", "denominator"]].tolist() == [2, 200]
    np.testing.assert_allclose(out.loc["Area1", ["value", "lower", "upper"]].to_numpy(float),
                               [0.01, 0.002747, 0.035722], atol=5e-7)
    np.testing.assert_allclose(out.loc["Area7", ["value", "lower", "upper"]].to_numpy(float),
                               [0.069051, 0.063108, 0.075509], atol=5e-7)


def test_output_shape_and_labels():
    out = proportion(AREAS, "x", "n", by="area")
    assert list(out.columns) == ["area", "value", "lower", "upper", "numerator", "denominator", "method",
                                 "confidence"]
    assert (out["method"] == "Wilson").all() and (out["confidence"] == "95%").all()
    assert all(out[c].dtype == np.float64 for c in ["value", "lower", "upper", "numerator", "denominator"])
    two = rate(AREAS, "x", "n", confidence=(0.95, 0.998))
    assert len(two) == 1  # no grouping: one row
    assert list(two.columns)[:5] == ["value", "lower_95_0", "upper_95_0", "lower_99_8", "upper_99_8"]
    assert two["confidence"].iloc[0] == "95%, 99.8%"


def test_rate_published_rows():
    out = rate(AREAS, "x", "n", by="area", confidence=(0.95, 0.998)).set_index("area")
    for area, (*values, method) in RATES.items():
        got = out.loc[area, ["value", "lower_95_0", "upper_95_0", "lower_99_8", "upper_99_8"]].to_numpy(float)
        np.testing.assert_allclose(got, values, rtol=RTOL)
        assert out.loc[area, "method"] == method


def test_rate_with_more_events_than_population_is_allowed():
    # testdata_Rate, Area12: 250 events for 220 person-years
    out = rate(pd.DataFrame({"x": [250], "n": [220]}), "x", "n")
    np.testing.assert_allclose(out[["value", "lower", "upper"]].iloc[0].to_numpy(float),
                               [113636.363636, 99984.947385, 128631.144875], rtol=RTOL)


def test_missing_values_give_missing_results():
    data = pd.DataFrame({"area": ["A09", "A10", "A11", "A1"], "x": [np.nan, 10, np.nan, 3],
                         "n": [100, np.nan, np.nan, 50]})
    for function in (proportion, rate):
        out = function(data, "x", "n", by="area").set_index("area")
        assert out.loc[["A09", "A10", "A11"], ["value", "lower", "upper"]].isna().all().all()
        assert out.loc["A1", ["value", "lower", "upper"]].notna().all()
    methods = rate(data, "x", "n", by="area").set_index("area")["method"]
    assert methods["A1"] == "Exact" and methods["A10"] == "Byars" and pd.isna(methods["A09"])


VALUES_1 = [33.09375, 48.38596, 64.83495, 67.98475, 22.93556, 71.23587, 38.78465, 82.37927]
VALUES_2 = [5555.66666, 6666.77777, 4444.88888, 2222.99999, 3333.88888, 5555.44444, 6666.33333, 7777.44444,
            5555.99999, 8888.33333, 2222.55555, 4444.33333, 6666.22222, 4444.11111, 4444.22222, 5555.11111,
            7777.22222, 9999.77777]
MEANS = pd.DataFrame({"area": ["Area1"] * 8 + ["Area2"] * 18, "values": VALUES_1 + VALUES_2})


def test_mean_published_rows():
    out = mean(MEANS, "values", by="area", confidence=(0.95, 0.998)).set_index("area")
    cols = ["sum", "n", "sd", "value", "lower_95_0", "upper_95_0", "lower_99_8", "upper_99_8"]
    np.testing.assert_allclose(out.loc["Area1", cols].to_numpy(float),
                               [429.63476, 8, 20.975575, 53.704345, 36.168325, 71.240365, 18.216705, 89.191985],
                               rtol=RTOL)
    np.testing.assert_allclose(out.loc["Area2", cols].to_numpy(float),
                               [102221.33324, 18, 2117.831716, 5678.962958, 4625.790022, 6732.135893,
                                3859.077100, 7498.848816], rtol=RTOL)
    whole = mean(MEANS, "values", confidence=(0.95, 0.998)).iloc[0]
    np.testing.assert_allclose(whole[cols].to_numpy(float),
                               [102650.968, 26, 3171.801812, 3948.114154, 2666.995677, 5229.232631, 1801.953539,
                                6094.274769], rtol=RTOL)
    assert whole["method"] == "Student t"


def test_mean_single_value_group_has_no_limits():
    out = mean(pd.DataFrame({"g": ["a", "b", "b"], "v": [3.0, 1.0, 2.0]}), "v", by="g").set_index("g")
    assert out.loc["a", "value"] == 3.0 and np.isnan(out.loc["a", "lower"]) and np.isnan(out.loc["a", "sd"])
    assert out.loc["b", "lower"] < 1.5 < out.loc["b", "upper"]


def test_grouping_on_several_columns():
    data = pd.DataFrame({"year": [2020, 2020, 2021, 2021], "sex": ["F", "H", "F", "F"], "x": [1, 2, 3, 4],
                         "n": [10, 10, 10, 10]})
    out = proportion(data, "x", "n", by=["year", "sex"])
    assert out[["year", "sex"]].values.tolist() == [[2020, "F"], [2020, "H"], [2021, "F"]]
    assert out["numerator"].tolist() == [1, 2, 7]


@pytest.mark.parametrize("function, data, code", [
    (proportion, {"x": [-1, 2], "n": [10, 10]}, "count_negative"),
    (proportion, {"x": [1, 2], "n": [10, 0]}, "denominator_not_positive"),
    (proportion, {"x": [1, 20], "n": [10, 10]}, "numerator_exceeds_denominator"),
    (rate, {"x": [-65], "n": [100]}, "count_negative"),
    (rate, {"x": [65], "n": [-100]}, "denominator_not_positive"),
    (rate, {"x": [65], "n": [0]}, "denominator_not_positive"),
    (rate, {"x": ["a"], "n": [10]}, "column_not_numeric"),
])
def test_invalid_rows_are_refused(function, data, code):
    with pytest.raises(StatsInputError) as caught:
        function(pd.DataFrame(data), "x", "n")
    assert caught.value.code == code
    text = str(caught.value)
    assert "«" in text and "{" not in text


def test_invalid_arguments_are_refused():
    data = pd.DataFrame({"x": [1], "n": [10]})
    for kwargs, code in [({"multiplier": 0}, "multiplier_invalid"), ({"multiplier": "cent"}, "multiplier_invalid"),
                         ({"confidence": 0.5}, "confidence_invalid"), ({"by": "absent"}, "column_missing")]:
        with pytest.raises(StatsInputError) as caught:
            rate(data, "x", "n", **kwargs)
        assert caught.value.code == code
    with pytest.raises(StatsInputError):
        mean(data, "absent")
