"""Funnel-plot limits and significance (PHEindicatormethods v2.1.0 ``calculate_funnel_limits``,
``assign_funnel_significance``, ``calculate_funnel_points``); published values copied here so that
they are checked without ../shared."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from equisante.stats import funnel_limits, funnel_points, funnel_significance, wilson_lower, wilson_upper
from equisante.stats.errors import StatsInputError
from equisante.stats.funnel import LEVELS, SIGNIFICANCE_FR, _poisson_edge, _r_nchar, _wilson_edge

RTOL = 1e-6

# testdata_funnel_rate_input_funnels.csv: events and DSR per 100,000 over 3 years (50 areas)
EV = [414, 462, 178, 525, 194, 937, 817, 117, 298, 228, 243, 13, 373, 664, 601, 602, 767, 708, 90, 952, 347, 648,
      988, 354, 839, 25, 518, 425, 648, 765, 210, 931, 589, 592, 554, 870, 372, 843, 142, 543, 489, 620, 774, 904,
      936, 841, 22, 922, 955, 308]
RATE = [184, 102, 83, 118, 121, 125, 112, 190, 146, 140, 87, 70, 90, 139, 109, 65, 165, 143, 55, 135, 135, 88, 167,
        99, 83, 53, 62, 118, 176, 101, 71, 138, 74, 84, 161, 79, 189, 170, 159, 113, 191, 116, 200, 171, 128, 134,
        185, 100, 123, 155]


def test_proportion_limit_kernel_published_rows():
    # testdata_funnel_prop_outputs.csv, baseline 80.642448 %: population, lower 2s, lower 3s
    average = 0.80642448
    for population, lower2, lower3 in [(1, 3.204264, 0.0), (3, 35.933491, 10.150815), (5, 46.011039, 26.039864)]:
        assert max(0.0, _wilson_edge(0.975, population, average, "low", 100)) == pytest.approx(lower2, abs=2e-6)
        assert max(0.0, _wilson_edge(0.999, population, average, "low", 100)) == pytest.approx(lower3, abs=2e-6)
    # last row: population 110,000
    assert _wilson_edge(0.975, 110_000, average, "low", 100) == pytest.approx(80.408963, abs=2e-6)
    assert _wilson_edge(0.999, 110_000, average, "high", 100) == pytest.approx(81.010578, abs=2e-6)


def test_poisson_edges_reproduce_the_reference_bisection():
    # testdata_funnel_ratio_outputs.csv, 1 observed event: expected events at each limit
    assert _poisson_edge(np.array([1.0]), 0.025, "high")[0] == pytest.approx(5.571644585, rel=RTOL)
    assert _poisson_edge(np.array([1.0]), 0.025, "low")[0] == pytest.approx(0.025317898, rel=RTOL)
    # The reference stops its bisection at a tolerance of 1e-7: 0.001000547, not the exact
    # −ln(0.999) = 0.0010005003 (a 5e-5 relative gap that the published tables carry).
    assert _poisson_edge(np.array([1.0]), 0.001, "low")[0] == pytest.approx(0.001000547, rel=RTOL)
    # 328 events: its truncated Poisson series decides one bisection step differently from the
    # exact tail probability; the published figure is reproduced.
    assert _poisson_edge(np.array([328.0]), 0.001, "low")[0] == pytest.approx(274.8700809, rel=1e-9)


def test_r_number_width_used_for_axis_rounding():
    assert _r_nchar(28500) == 5 and _r_nchar(100000) == 5  # R writes 1e+05
    assert _r_nchar(10000) == 5 and _r_nchar(1200000) == 7 and _r_nchar(3000000) == 5


def test_rate_limits_published_rows():
    data = pd.DataFrame({"ev": EV, "rate": RATE})
    out = funnel_limits(data, "ev", rate="rate", multiplier=1e5, statistic="rate", rate_type="dsr", years_of_data=3)
    assert len(out) == 100
    first = out.iloc[0]
    np.testing.assert_allclose(
        first[["events", "lower_2s_population_1_year", "lower_2s_limit", "upper_2s_population_1_year",
               "upper_2s_limit", "lower_3s_population_1_year", "lower_3s_limit", "upper_3s_population_1_year",
               "upper_3s_limit", "baseline"]].to_numpy(float),
        [1, 1598.675694, 20.85059119, 7.264481402, 4588.535848, 2649.348525, 12.58170943, 0.287087625, 116108.569,
         116.1720835], rtol=RTOL)
    assert out.loc[9, "events"] == 10 and out.loc[9, "upper_2s_limit"] == pytest.approx(242.2579623, rel=RTOL)
    assert first["statistic"] == "rate (dsr per 100,000)" and first["method"] == "Poisson"
    assert out["events"].is_monotonic_increasing


def test_proportion_limits_shape_and_order():
    rng = np.random.default_rng(3)
    n = rng.integers(1000, 60000, size=60)
    data = pd.DataFrame({"x": rng.binomial(n, 0.3), "n": n})
    out = funnel_limits(data, "x", "n", statistic="proportion", multiplier=100)
    assert list(out.columns) == ["population", "lower_2s_limit", "upper_2s_limit", "lower_3s_limit",
                                 "upper_3s_limit", "baseline", "statistic", "method"]
    assert out["population"].is_monotonic_increasing and out["population"].iloc[0] == 1
    assert (out["lower_3s_limit"] <= out["lower_2s_limit"]).all()
    assert (out["lower_2s_limit"] <= out["baseline"]).all() and (out["baseline"] <= out["upper_2s_limit"]).all()
    assert (out["upper_2s_limit"] <= out["upper_3s_limit"]).all()
    assert out["baseline"].iloc[0] == pytest.approx(100 * data["x"].sum() / data["n"].sum())


def test_proportion_significance_agrees_with_wilson_intervals():
    # A proportion is beyond the limit for its population exactly when its own Wilson interval
    # excludes the overall value (independent check of the closed form).
    rng = np.random.default_rng(11)
    n = rng.integers(200, 20000, size=300)
    x = rng.binomial(n, rng.uniform(0.25, 0.35, size=300))
    data = pd.DataFrame({"area": np.arange(300), "x": x, "n": n})
    out = funnel_significance(data, "x", "n", statistic="proportion")
    average = x.sum() / n.sum()
    high3 = wilson_lower(x, n, 0.998) > average
    high2 = wilson_lower(x, n, 0.95) > average
    low3 = wilson_upper(x, n, 0.998) < average
    low2 = wilson_upper(x, n, 0.95) < average
    expected = np.select([high3, high2, low3, low2], LEVELS[:4], default="Not significant")
    assert out["significance"].astype(str).tolist() == expected.tolist()
    assert out["significance_fr"].tolist() == [SIGNIFICANCE_FR[s] for s in expected]
    assert list(out.columns[:3]) == ["area", "x", "n"]


def test_ratio_significance_published_rows():
    data = pd.DataFrame({"obs": [8, 151, 159, 191, 124],
                         "expected": [6.239860227, 106.4429719, 232.9329036, 184.0963855, 183.894409]})
    out = funnel_significance(data, "obs", "expected", statistic="ratio")
    assert out["significance"].astype(str).tolist() == [
        "Not significant", "High (0.001)", "Low (0.001)", "Not significant", "Low (0.001)"]
    assert list(out["significance"].cat.categories) == LEVELS


# testdata_funnel_rate_dsr_inputs.csv: count, DSR per 100,000, population, crude rate per 100,000,
# published significance (DSR, crude) — H3 = "High (0.001)", L2 = "Low (0.025)", NA = not applicable…
RATE_ROWS = [
    (2419, 907.6174266, 264102, 915.9339952, "H3", "H3"), (2337, 948.5620216, 259711, 899.8463677, "H3", "H3"),
    (2291, 799.9690496, 289247, 792.056616, "H3", "H3"), (2242, 852.5637927, 265029, 845.9451607, "H3", "H3"),
    (2218, 868.5358183, 284649, 779.2052668, "H3", "H3"), (2159, 769.6242217, 293578, 735.409329, "H3", "H3"),
    (2130, 752.3254955, 286718, 742.8902266, "H2", "H3"), (2111, 710.2689402, 307381, 686.7698394, "NS", "NS"),
    (2105, 815.3530325, 274145, 767.8418355, "H3", "H3"), (2083, 717.7035916, 297424, 700.3469794, "NS", "H2"),
    (2078, 755.8016993, 272628, 762.2107781, "H3", "H3"), (2062, 825.9742848, 269656, 764.6779601, "H3", "H3"),
    (2061, 702.2972468, 294692, 699.3742619, "NS", "H2"), (2033, 785.6210132, 277710, 732.0586223, "H3", "H3"),
    (2033, 743.6763018, 259213, 784.2970839, "H2", "H3"), (2010, 781.8323058, 285516, 703.9885681, "H3", "H2"),
    (2004, 772.6781064, 269449, 743.7400027, "H3", "H3"), (2002, 652.3391553, 290888, 688.2373972, "L3", "NS"),
    (1977, 648.4969973, 287112, 688.5814595, "L3", "NS"), (1944, 727.5777428, 286492, 678.5529788, "NS", "NS"),
    (1932, 625.6551186, 287012, 673.1425864, "L3", "NS"), (1922, 688.5582424, 291277, 659.8529922, "NS", "NS"),
    (1912, 662.4465438, 289859, 659.631062, "L2", "NS"), (1881, 627.1624732, 289653, 649.3977276, "L3", "NS"),
    (1844, 657.1114147, 282519, 652.6994645, "L2", "NS"), (1835, 724.8456714, 274220, 669.1707388, "NS", "NS"),
    (1833, 659.7820553, 280271, 654.009869, "L2", "NS"), (1825, 654.7053631, 284206, 642.1398563, "L3", "NS"),
    (1816, 624.4435507, 274508, 661.5472045, "L3", "NS"), (1809, 646.7588823, 288384, 627.2886152, "L3", "L2"),
    (1798, 703.1689982, 287072, 626.3237097, "NS", "L2"), (1754, 567.9922764, 282744, 620.3491498, "L3", "L3"),
    (1746, 617.7750715, 289208, 603.7177395, "L3", "L3"), (1709, 610.8327232, 287736, 593.9472294, "L3", "L3"),
    (1694, 608.5089462, 296175, 571.9591458, "L3", "L3"), (1688, 662.3775859, 303255, 556.6272609, "L2", "L3"),
    (1649, 667.6454503, 285959, 576.6560941, "L2", "L3"), (1553, 604.1141693, 274661, 565.4242867, "L3", "L3"),
    (1332, 469.5645784, 281425, 473.3054988, "L3", "L3"), (0, np.nan, 297820, 0, "NA", "L3"),
]
CODES = {"H3": "High (0.001)", "H2": "High (0.025)", "L3": "Low (0.001)", "L2": "Low (0.025)",
         "NS": "Not significant", "NA": "Not applicable for events less than 10 for dsrs"}


@pytest.mark.parametrize("rate_type, rate_column, label_index", [("dsr", "dsr", 4), ("crude", "crude", 5)])
def test_rate_significance_published_rows(rate_type, rate_column, label_index):
    data = pd.DataFrame([r[:4] for r in RATE_ROWS], columns=["count", "dsr", "pop", "crude"])
    out = funnel_significance(data, "count", "pop", statistic="rate", rate=rate_column, rate_type=rate_type,
                              multiplier=1e5)
    assert out["significance"].astype(str).tolist() == [CODES[r[label_index]] for r in RATE_ROWS]


def test_funnel_points_published_rows():
    data = pd.DataFrame({"ev": EV, "rate": RATE})
    data.loc[data["ev"] == 988, "ev"] = 5  # fewer than 10 events: not plotted for a DSR
    out = funnel_points(data, "ev", "rate", rate_type="dsr", years_of_data=3, multiplier=1e5)
    assert out.loc[0, "denominator_derived"] == pytest.approx(75000, rel=1e-12)
    assert out.loc[1, "denominator_derived"] == pytest.approx(150980.3922, rel=RTOL)
    assert np.isnan(out.loc[22, "rate_chart"]) and np.isnan(out.loc[22, "denominator_derived"])


@pytest.mark.parametrize("call, code", [
    (lambda d: funnel_limits(d, "x", "n", statistic="pop", multiplier=100), "argument_invalid"),
    (lambda d: funnel_limits(d, "x", "n", statistic=None), "argument_required"),
    (lambda d: funnel_limits(d, "x", "n", statistic="proportion"), "argument_required"),
    (lambda d: funnel_limits(d, "x", statistic="proportion", multiplier=100), "argument_required"),
    (lambda d: funnel_limits(d, "x", "n", statistic="ratio"), "argument_required"),
    (lambda d: funnel_limits(d, "x", statistic="rate", rate="r", rate_type="dsr", multiplier=100),
     "argument_required"),
    (lambda d: funnel_limits(d.assign(x=[0, 100, 20]), "x", statistic="rate", rate="r", rate_type="dsr",
                             multiplier=100, years_of_data=1), "funnel_zero_events"),
    (lambda d: funnel_limits(d.assign(x=[np.nan, 100, 20]), "x", "n", statistic="proportion", multiplier=100),
     "values_missing"),
    (lambda d: funnel_significance(d.assign(n=[100, 100, 0]), "x", "n", statistic="proportion"),
     "denominator_not_positive"),
    (lambda d: funnel_significance(d.assign(x=[65, -80, 30]), "x", "n", statistic="proportion"),
     "count_negative"),
    (lambda d: funnel_significance(d.assign(n=[100, 100, 20]), "x", "n", statistic="proportion"),
     "numerator_exceeds_denominator"),
    (lambda d: funnel_significance(d, "x", statistic="rate", rate="r", rate_type="crude"), "argument_required"),
    (lambda d: funnel_significance(d.assign(x=[0, 100, 20]), "x", statistic="rate", rate="r", rate_type="crude",
                                   multiplier=100), "funnel_zero_events"),
    (lambda d: funnel_significance(d.assign(x=[0, 100, 20], n=[0, 1, 1]), "x", "n", statistic="rate", rate="r",
                                   rate_type="crude", multiplier=100), "denominator_not_positive"),
    (lambda d: funnel_significance(d.assign(r=[np.nan, 1.0, 1.0]), "x", statistic="rate", rate="r",
                                   rate_type="dsr", multiplier=100), "values_missing"),
])
def test_invalid_calls_are_refused(call, code):
    data = pd.DataFrame({"area": ["A1", "A2", "A3"], "x": [65, 80, 30], "n": [100, 100, 200], "r": [50.0, 25, 15]})
    with pytest.raises(StatsInputError) as caught:
        call(data)
    assert caught.value.code == code
    assert "{" not in str(caught.value)
