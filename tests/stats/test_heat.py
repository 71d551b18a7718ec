"""WHO HEAT Plus summary measures (``equisante.stats.summary_measures``; R package healthequal).

The worked fixture of STATS_METHODS §7 (published values) is reproduced to a relative tolerance of
1e-6; the other measures are checked against figures computed by hand from the formulas, the
logistic SII against statsmodels, the analytic variances against Monte-Carlo simulation.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from equisante.stats import concentration_index, summary_measures
from equisante.stats.errors import StatsInputError
from equisante.stats.heat import DEFAULT_NON_ORDERED, DEFAULT_ORDERED, MEASURES, _truncated_draws, logistic_fit

RTOL = 1e-6
POP = [78, 91, 162, 103, 105]
Y = [20.0, 30.0, 40.0, 50.0, 60.0]
SIGMA = [5.0, 7.0, 10.0, 12.0, 14.0]

#: Published values of the worked fixture (ordered dimension, favourable indicator, scale 100).
PUBLISHED = {
    "ACI": (7.3284202, 0.29368517),
    "RCI": (0.17776859, 0.0071240491),
    "SII": (44.44502, 0.02190822),  # se on the 0–1 scale
    "RII": (3.159506, 0.07644001),  # se of ln RII
    "PAF": (45.544548, 0.10689361),  # se on the fraction scale
    "PAR": (18.775509, 4.4066348),
}


def fixture(**extra) -> pd.DataFrame:
    return pd.DataFrame({"subgroup": ["Q1", "Q2", "Q3", "Q4", "Q5"], "order": [1, 2, 3, 4, 5], "pop": POP,
                         "y": Y, "se": SIGMA, **extra})


def measures_of(out: pd.DataFrame) -> pd.DataFrame:
    return out.set_index("measure")


# ------------------------------------------------------------------------------------- published fixture


def test_worked_fixture_reproduces_published_values():
    out = measures_of(summary_measures(fixture(), "y", "se", "pop", order="order", favourable=True, scale=100,
                                       seed=1))
    assert list(out.index) == list(DEFAULT_ORDERED)
    for code in ("ACI", "RCI", "RII", "PAR"):
        estimate, se = PUBLISHED[code]
        assert out.loc[code, "estimate"] == pytest.approx(estimate, rel=RTOL), code
        assert out.loc[code, "se"] == pytest.approx(se, rel=RTOL), code
    # SII is reported in the units of the estimate (×scale), its se too: the published se is /scale.
    assert out.loc["SII", "estimate"] == pytest.approx(PUBLISHED["SII"][0], rel=RTOL)
    assert out.loc["SII", "se"] / 100 == pytest.approx(PUBLISHED["SII"][1], rel=RTOL)
    # PAF is in %, its se too: the published se is on the fraction scale.
    assert out.loc["PAF", "estimate"] == pytest.approx(PUBLISHED["PAF"][0], rel=RTOL)
    assert out.loc["PAF", "se"] / 100 == pytest.approx(PUBLISHED["PAF"][1], rel=RTOL)


def test_worked_fixture_literal_figures_of_our_code():
    """Our own figures at full precision (the published ones are rounded and agree within 1e-6)."""
    out = measures_of(summary_measures(fixture(), "y", "se", "pop", order="order", seed=1))
    expected = {"ACI": (7.32842032073413, 0.293685441202), "RCI": (0.17776861174058, 0.007124052782),
                "SII": (44.44501910152, 2.19082139272), "RII": (3.159505715626, 0.07644000691),
                "PAF": (45.54455445544, 10.68936202298), "PAR": (18.77551020408, 4.406634956413),
                "D": (40.0, 14.866068747318506), "R": (3.0, 0.3419714088)}
    for code, (estimate, se) in expected.items():
        assert out.loc[code, "estimate"] == pytest.approx(estimate, rel=1e-9), code
        assert out.loc[code, "se"] == pytest.approx(se, rel=1e-9), code


def test_reference_of_paf_for_ordered_favourable_is_most_advantaged():
    mu = np.dot(POP, Y) / sum(POP)  # 41.2244898
    out = measures_of(summary_measures(fixture(), "y", "se", "pop", order="order", measures=["PAF", "PAR"]))
    assert out.loc["PAR", "estimate"] == pytest.approx(60 - mu, rel=1e-12)
    assert out.loc["PAF", "estimate"] == pytest.approx((60 - mu) / mu * 100, rel=1e-12)


def test_limits_of_fixture():
    out = measures_of(summary_measures(fixture(), "y", "se", "pop", order="order", seed=1))
    z = 1.959963984540054
    for code in ("D", "ACI", "RCI", "SII", "PAF", "PAR"):
        row = out.loc[code]
        assert row.lower == pytest.approx(row.estimate - z * row.se, rel=1e-12)
        assert row.upper == pytest.approx(row.estimate + z * row.se, rel=1e-12)
    for code in ("R", "RII"):  # log scale
        row = out.loc[code]
        assert row.lower == pytest.approx(row.estimate * np.exp(-z * row.se), rel=1e-12)
        assert row.upper == pytest.approx(row.estimate * np.exp(z * row.se), rel=1e-12)
    assert out.loc["ACI", "method"] == "regression"
    assert out.loc["SII", "method"] == "delta (HC1)"
    assert out.loc["R", "method"] == "delta (log scale)"


# ------------------------------------------------------------------------------- independent cross-checks


def test_logistic_sii_matches_statsmodels_glm():
    pop = np.array(POP, dtype=float)
    share = pop / pop.sum()
    rank = np.cumsum(share) - share / 2
    events = np.round(np.array(Y) / 100 * pop)
    assert list(events) == [16, 27, 65, 52, 63]
    # glm(cbind(y, pop − y) ~ rank, weights = pop, binomial): prior weights pop·pop
    fit = sm.GLM(np.column_stack([events, pop - events]), sm.add_constant(rank), family=sm.families.Binomial(),
                 var_weights=pop).fit(cov_type="HC0", tol=1e-14)
    beta, cov = logistic_fit(events, pop, pop ** 2, rank)
    np.testing.assert_allclose(beta, fit.params, rtol=1e-9)
    np.testing.assert_allclose(cov, fit.cov_params() * 5 / 3, rtol=1e-7)  # HC1 = HC0 · n/(n − k)
    v0, v1 = 1 / (1 + np.exp(-fit.params[0])), 1 / (1 + np.exp(-fit.params.sum()))
    assert (v1 - v0) * 100 == pytest.approx(PUBLISHED["SII"][0], rel=RTOL)
    assert v1 / v0 == pytest.approx(PUBLISHED["RII"][0], rel=RTOL)


def test_linear_sii_matches_statsmodels_wls():
    pop = np.array(POP, dtype=float)
    share = pop / pop.sum()
    rank = np.cumsum(share) - share / 2
    fit = sm.WLS(np.array(Y), sm.add_constant(rank), weights=pop).fit(cov_type="HC1")
    out = measures_of(summary_measures(fixture(), "y", "se", "pop", order="order", sii_model="linear",
                                       measures=["SII", "RII"]))
    b0, b1 = fit.params
    assert out.loc["SII", "estimate"] == pytest.approx(b1, rel=1e-10)
    assert out.loc["SII", "se"] == pytest.approx(np.sqrt(fit.cov_params()[1, 1]), rel=1e-8)
    assert out.loc["RII", "estimate"] == pytest.approx((b0 + b1) / b0, rel=1e-10)
    assert out.loc["SII", "method"] == "delta (HC1, linear)"


def test_aci_rci_agree_with_concentration_index():
    heat = measures_of(summary_measures(fixture(), "y", "se", "pop", order="order", measures=["ACI", "RCI"]))
    rel = concentration_index(fixture(), "y", "order", population="pop")
    gen = concentration_index(fixture(), "y", "order", population="pop", kind="generalised")
    assert heat.loc["RCI", "estimate"] == pytest.approx(rel.value.iloc[0], rel=1e-12)
    assert heat.loc["RCI", "se"] == pytest.approx(rel.se.iloc[0], rel=1e-12)
    assert heat.loc["ACI", "estimate"] == pytest.approx(gen.value.iloc[0], rel=1e-12)
    assert heat.loc["ACI", "se"] == pytest.approx(gen.se.iloc[0], rel=1e-12)


def test_aci_formula_option_uses_the_technical_notes_variance():
    p = np.array(POP) / sum(POP)
    x = np.cumsum(p) - p / 2
    se = np.sqrt(np.sum(p ** 2 * np.array(SIGMA) ** 2 * (2 * x - 1) ** 2))  # 2.56651925
    out = measures_of(summary_measures(fixture(), "y", "se", "pop", order="order", aci_se="formula",
                                       measures=["ACI", "RCI"]))
    assert out.loc["ACI", "se"] == pytest.approx(se, rel=1e-12)
    assert out.loc["ACI", "se"] == pytest.approx(2.5665192513898, rel=1e-9)
    assert out.loc["RCI", "se"] == pytest.approx(se / (np.dot(p, Y)), rel=1e-12)
    assert out.loc["ACI", "estimate"] == pytest.approx(PUBLISHED["ACI"][0], rel=RTOL)


def test_rci_corrections():
    mu = np.dot(POP, Y) / sum(POP)
    plain = measures_of(summary_measures(fixture(), "y", "se", "pop", order="order", measures=["RCI"]))
    rci = plain.loc["RCI", "estimate"]
    for correction, factor in (("wagstaff", 1 / (1 - mu / 100)), ("erreygers", 4 * mu / 100)):
        out = measures_of(summary_measures(fixture(), "y", "se", "pop", order="order", measures=["RCI"],
                                           rci_correction=correction))
        assert out.loc["RCI", "estimate"] == pytest.approx(rci * factor, rel=1e-12)
        assert correction.capitalize() in out.loc["RCI", "note"]
        share = fixture().assign(y=lambda d: d.y / 100)
        ci = concentration_index(share, "y", "order", population="pop", correction=correction)
        assert out.loc["RCI", "estimate"] == pytest.approx(ci.value.iloc[0], rel=1e-12)


# ---------------------------------------------------------------------------- hand-checkable measures


def three() -> pd.DataFrame:
    """Shares 0.25, 0.25, 0.5; estimates 10, 20, 40; μ = 27.5."""
    return pd.DataFrame({"g": ["a", "b", "c"], "pop": [100, 100, 200], "y": [10.0, 20.0, 40.0],
                         "se": [1.0, 2.0, 3.0], "ref": [False, True, False]})


def test_non_ordered_measures_by_hand_favourable():
    out = measures_of(summary_measures(three(), "y", "se", "pop", seed=1))
    assert "ACI" not in out.index and "MDRU" not in out.index  # not applicable: omitted by default
    expected = {
        "D": 30.0, "R": 4.0,
        "BGV": 0.25 * 17.5 ** 2 + 0.25 * 7.5 ** 2 + 0.5 * 12.5 ** 2,  # 168.75
        "BGSD": np.sqrt(168.75), "COV": np.sqrt(168.75) / 27.5 * 100,
        "MDMU": (17.5 + 7.5 + 12.5) / 3, "MDMW": 0.25 * 17.5 + 0.25 * 7.5 + 0.5 * 12.5,
        "MDBU": (30 + 20 + 0) / 3, "MDBW": 0.25 * 30 + 0.25 * 20,  # best = 40
        "IDISU": 12.5 / 27.5 * 100, "IDISW": 12.5 / 27.5 * 100,
        "TI": 1000 * (0.25 * (10 / 27.5) * np.log(10 / 27.5) + 0.25 * (20 / 27.5) * np.log(20 / 27.5)
                      + 0.5 * (40 / 27.5) * np.log(40 / 27.5)),
        "MLD": 1000 * (-0.25 * np.log(10 / 27.5) - 0.25 * np.log(20 / 27.5) - 0.5 * np.log(40 / 27.5)),
        "PAF": (40 - 27.5) / 27.5 * 100, "PAR": 12.5,  # reference = best subgroup
    }
    assert out.loc["BGV", "estimate"] == 168.75
    assert out.loc["TI", "estimate"] == pytest.approx(122.6399, abs=1e-4)
    assert out.loc["MLD", "estimate"] == pytest.approx(145.1669, abs=1e-4)
    for code, value in expected.items():
        assert out.loc[code, "estimate"] == pytest.approx(value, rel=1e-12), code
    assert out.loc["D", "se"] == pytest.approx(np.sqrt(3 ** 2 + 1 ** 2))
    assert out.loc["R", "se"] == pytest.approx(np.sqrt((9 + 16 * 1) / 100) / 4)
    assert list(out.index) == [m for m in DEFAULT_NON_ORDERED if not m.startswith("MDR")]


def test_non_ordered_measures_by_hand_adverse_and_reference():
    out = measures_of(summary_measures(three(), "y", "se", "pop", favourable=False, reference="ref", seed=1))
    assert list(out.index) == list(DEFAULT_NON_ORDERED)
    # best = lowest estimate (10) for an adverse indicator
    assert out.loc["MDBU", "estimate"] == pytest.approx((0 + 10 + 30) / 3)
    assert out.loc["MDBW", "estimate"] == pytest.approx(0.25 * 10 + 0.5 * 30)
    # reference subgroup b (20)
    assert out.loc["MDRU", "estimate"] == pytest.approx((10 + 0 + 20) / 3)
    assert out.loc["MDRW", "estimate"] == pytest.approx(0.25 * 10 + 0.5 * 20)
    # D, R: subgroup farthest from the reference (c, 40), adverse: y_k − y_ref
    assert out.loc["D", "estimate"] == pytest.approx(20.0)
    assert out.loc["R", "estimate"] == pytest.approx(2.0)
    # PAF, PAR against the reference (20 < μ = 27.5: better than average for an adverse indicator)
    assert out.loc["PAR", "estimate"] == pytest.approx(-7.5)
    assert out.loc["PAF", "estimate"] == pytest.approx(-7.5 / 27.5 * 100)


def test_non_ordered_favourable_with_reference_orientation():
    out = measures_of(summary_measures(three(), "y", "se", "pop", reference="ref", measures=["D", "R", "PAF"]))
    assert out.loc["D", "estimate"] == pytest.approx(20 - 40)  # y_ref − y_k: the reference is worse off
    assert out.loc["R", "estimate"] == pytest.approx(0.5)
    # reference (20) worse than μ for a favourable indicator: PAF = 0 with a note
    assert out.loc["PAF", "estimate"] == 0 and np.isnan(out.loc["PAF", "se"]) and "fixée à 0" in out.loc["PAF", "note"]


def test_adverse_ordered_reverses_difference_and_ratio():
    out = measures_of(summary_measures(fixture(), "y", "se", "pop", order="order", favourable=False, seed=1))
    assert out.loc["D", "estimate"] == pytest.approx(20 - 60)
    assert out.loc["R", "estimate"] == pytest.approx(20 / 60)
    # ACI, SII are not re-oriented by the direction
    assert out.loc["ACI", "estimate"] == pytest.approx(PUBLISHED["ACI"][0], rel=RTOL)
    assert out.loc["SII", "estimate"] == pytest.approx(PUBLISHED["SII"][0], rel=RTOL)
    # most advantaged (60) is worse than μ for an adverse indicator: zero rule
    assert out.loc["PAF", "estimate"] == 0 and out.loc["PAR", "estimate"] == 0


def test_adverse_ordered_paf_is_negative():
    df = fixture(y=[60.0, 50.0, 40.0, 30.0, 20.0])  # mortality falling with advantage
    out = measures_of(summary_measures(df, "y", "se", "pop", order="order", favourable=False,
                                       measures=["D", "PAF", "PAR", "SII"]))
    mu = np.dot(POP, df.y) / sum(POP)
    assert out.loc["D", "estimate"] == pytest.approx(40.0)
    assert out.loc["PAR", "estimate"] == pytest.approx(20 - mu)
    assert out.loc["PAF", "estimate"] < 0 and out.loc["SII", "estimate"] < 0


def test_not_applicable_measures_are_nan_with_a_reason():
    out = measures_of(summary_measures(three(), "y", "se", "pop", measures=["ACI", "SII", "MDRU", "D"]))
    assert list(out.index) == ["ACI", "SII", "MDRU", "D"]
    for code in ("ACI", "SII"):
        assert np.isnan(out.loc[code, "estimate"]) and "ordonnées" in out.loc[code, "note"]
    assert np.isnan(out.loc["MDRU", "estimate"]) and "référence" in out.loc["MDRU", "note"]
    assert out.loc["D", "estimate"] == 30 and out.loc["D", "note"] == ""


def test_undefined_measures_are_nan_with_a_reason_not_warnings():
    zero = fixture(y=[0.0] * 5, ref=[True, False, False, False, False])
    some_zero = fixture(y=[0.0, 10.0, 20.0, 30.0, 40.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = measures_of(summary_measures(zero, "y", "se", "pop", order="order", reference="ref",
                                           measures=list(MEASURES), seed=1))
        partly = measures_of(summary_measures(some_zero, "y", "se", "pop", order="order", measures=list(MEASURES),
                                              seed=1))
    for code in ("ACI", "RCI", "COV", "IDISU", "IDISW", "TI", "MLD", "PAF", "PAR"):
        assert np.isnan(out.loc[code, "estimate"]) and "moyenne" in out.loc[code, "note"], code
    assert np.isnan(out.loc["SII", "estimate"]) and "logistique" in out.loc["SII", "note"]
    assert out.loc["D", "estimate"] == 0 and out.loc["BGV", "estimate"] == 0 and out.loc["MDRU", "estimate"] == 0
    assert np.isnan(partly.loc["R", "estimate"]) and np.isnan(partly.loc["MLD", "estimate"])
    assert partly.loc["TI", "estimate"] > 0 and partly.loc["SII", "estimate"] > 0


def test_all_21_measures_on_an_ordered_dimension_with_reference():
    df = fixture(ref=[False, False, False, False, True])
    out = summary_measures(df, "y", "se", "pop", order="order", reference="ref", measures=list(MEASURES), seed=2)
    assert list(out.measure) == list(MEASURES) and len(MEASURES) == 21
    assert out.estimate.notna().all()
    assert set(out.columns) == {"measure", "estimate", "se", "lower", "upper", "method", "confidence", "note"}


# ------------------------------------------------------------------------------------- variances, simulation


def test_analytic_variances_agree_with_monte_carlo():
    """var(BGV), var(TI), var(MLD): the analytic (delta) formulas vs the spread of the measures
    recomputed on normal draws of the estimates (small σ so that the first-order formulas hold)."""
    rng = np.random.default_rng(0)
    pop = np.array([300.0, 500.0, 200.0, 400.0])
    y = np.array([30.0, 45.0, 55.0, 70.0])
    sigma = np.array([1.0, 1.5, 2.0, 1.2])
    df = pd.DataFrame({"pop": pop, "y": y, "se": sigma})
    out = measures_of(summary_measures(df, "y", "se", "pop", measures=["BGV", "TI", "MLD"]))
    p = pop / pop.sum()
    draws = rng.normal(y, sigma, size=(200_000, 4))
    mu = draws @ p
    r = draws / mu[:, None]
    simulated = {"BGV": ((draws - mu[:, None]) ** 2) @ p, "TI": 1000 * (r * np.log(r)) @ p,
                 "MLD": 1000 * (-np.log(r)) @ p}
    for code, values in simulated.items():
        assert out.loc[code, "se"] == pytest.approx(values.std(), rel=0.03), code


def test_simulation_intervals_are_reproducible_and_plausible():
    a = measures_of(summary_measures(three(), "y", "se", "pop", seed=11, simulations=2000))
    b = measures_of(summary_measures(three(), "y", "se", "pop", seed=11, simulations=2000))
    c = measures_of(summary_measures(three(), "y", "se", "pop", seed=12, simulations=2000))
    pd.testing.assert_frame_equal(a, b)
    assert a.loc["BGSD", "lower"] != c.loc["BGSD", "lower"]
    for code in ("BGSD", "COV", "MDMU", "MDMW", "IDISU", "IDISW"):
        row = a.loc[code]
        assert row.lower < row.estimate < row.upper, code
        assert np.isnan(row.se) and row.method == "simulation (2000 draws)"


def test_simulation_interval_of_bgsd_agrees_with_independent_draws():
    df = three()
    out = measures_of(summary_measures(df, "y", "se", "pop", measures=["BGSD"], simulations=20_000, seed=3))
    rng = np.random.default_rng(99)
    draws = rng.normal(df.y, df.se, size=(200_000, 3))  # truncation at 0/100 is negligible here
    p = df["pop"].to_numpy() / 400
    mu = draws @ p
    bgsd = np.sqrt(((draws - mu[:, None]) ** 2) @ p)
    assert out.loc["BGSD", "lower"] == pytest.approx(np.quantile(bgsd, 0.025), rel=0.01)
    assert out.loc["BGSD", "upper"] == pytest.approx(np.quantile(bgsd, 0.975), rel=0.01)


def test_truncated_draws_stay_within_scale():
    rng = np.random.default_rng(1)
    draws = _truncated_draws(np.array([1.0, 50.0, 99.0, 30.0]), np.array([5.0, 5.0, 5.0, 0.0]), 100.0, 5000, rng)
    assert draws.min() >= 0 and draws.max() <= 100
    assert (draws[:, 3] == 30).all()
    assert draws[:, 0].mean() > 1  # truncation at 0 pushes the mean up


def test_groups_give_the_same_as_separate_calls():
    a, b = three().assign(area="A"), three().assign(area="B", y=[15.0, 25.0, 35.0])
    both = summary_measures(pd.concat([b, a]), "y", "se", "pop", by="area", measures=["D", "BGV", "TI", "PAF"])
    assert list(both.columns[:2]) == ["area", "measure"] and list(both.area.unique()) == ["A", "B"]
    alone = summary_measures(b, "y", "se", "pop", measures=["D", "BGV", "TI", "PAF"])
    np.testing.assert_allclose(both[both.area == "B"].estimate, alone.estimate, rtol=1e-12)


def test_ordered_rows_may_come_in_any_order():
    shuffled = fixture().iloc[[3, 0, 4, 2, 1]]
    out = measures_of(summary_measures(shuffled, "y", "se", "pop", order="order", measures=["ACI", "SII", "D"]))
    assert out.loc["ACI", "estimate"] == pytest.approx(PUBLISHED["ACI"][0], rel=RTOL)
    assert out.loc["SII", "estimate"] == pytest.approx(PUBLISHED["SII"][0], rel=RTOL)
    assert out.loc["D", "estimate"] == 40


def test_several_confidence_levels():
    out = summary_measures(fixture(), "y", "se", "pop", order="order", confidence=[0.95, 0.998], seed=1)
    assert {"lower_95_0", "upper_95_0", "lower_99_8", "upper_99_8"} <= set(out.columns)
    assert (out.lower_99_8 < out.lower_95_0).all()


# ------------------------------------------------------------------------------------------------ refusals


@pytest.mark.parametrize("change, code", [
    (lambda d: d.assign(ref=[True, True, False, False, False]), "inequality_reference_invalid"),
    (lambda d: d.assign(order=[1, 2, 2, 4, 5]), "inequality_subgroup_duplicate"),
    (lambda d: d.assign(y=[20.0, 30.0, 40.0, 50.0, 160.0]), "inequality_value_out_of_range"),
    (lambda d: d.assign(se=[5.0, -1.0, 10.0, 12.0, 14.0]), "inequality_value_out_of_range"),
    (lambda d: d.assign(pop=[78, 0, 162, 103, 105]), "denominator_not_positive"),
    (lambda d: d.assign(y=[20.0, np.nan, 40.0, 50.0, 60.0]), "values_missing"),
    (lambda d: d.iloc[:1], "inequality_too_few_subgroups"),
])
def test_invalid_inputs_are_refused(change, code):
    df = change(fixture(ref=[False] * 4 + [True]))
    with pytest.raises(StatsInputError) as excinfo:
        summary_measures(df, "y", "se", "pop", order="order", reference="ref")
    assert excinfo.value.code == code


@pytest.mark.parametrize("options", [dict(measures=["XYZ"]), dict(scale=0), dict(simulations=1),
                                     dict(aci_se="bootstrap"), dict(sii_model="probit"), dict(favourable="yes"),
                                     dict(rci_correction="kakwani")])
def test_invalid_options_are_refused(options):
    with pytest.raises(StatsInputError) as excinfo:
        summary_measures(fixture(), "y", "se", "pop", order="order", **options)
    assert excinfo.value.code == "argument_invalid"
