"""Slope and relative index of inequality, PHE method (``equisante.stats.sii``).

Input: ``DSR_testdata.csv`` of PHEindicatormethods v2.1.0 (directly standardised rates per 100,000
by deprivation quintile, 2010–2015), copied below so that it is checked without ../shared.

What is checked, and how:
- point estimates (SII, RII, intercept) are deterministic: compared with an independent weighted
  least-squares fit by statsmodels (formula of STATS_METHODS §6) and with literal figures;
- simulated limits: for value_type 0 the simulated SII is an exact linear function of normal
  draws, so its limits must match the normal quantiles of that linear function up to Monte-Carlo
  error (≈ 0.009 sd of the SII for the 2.5 % quantile at 100,000 repetitions; we allow 0.05 sd);
  for rates and proportions (draws on the log/logit scale, and ``transform=True``) they are compared
  with an independent simulation written in the test (numpy + statsmodels), again within
  Monte-Carlo error. The reference's random stream (R) cannot be reproduced, so no simulated limit
  is compared with a literal R figure.
- ``transform``: the semantics of ``phe_sii`` v2.1.0 (default False; rates and proportions drawn on
  the log/logit scale whatever ``transform``; with True the regression is fitted on the log/logit
  values and converted back). ``shared/data/reference`` has no published SII output (its
  ``DSR_testdata.csv`` is an input), so the point estimates are checked against an independent
  statsmodels fit of the transformed values.
"""

from __future__ import annotations

import io
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from equisante.errors import catalogue
from equisante.stats import sii
from equisante.stats.errors import StatsInputError
from equisante.stats.errors_inequality import InequalityWarning
from equisante.stats.gradient import _positions, sii_point

DSR_TESTDATA = """Period,Quintile,total_pop,value,lowercl,uppercl
2010,1,1434002,150.2200205,147.3194185,153.1498241
2010,2,1450590,131.0221747,128.3676972,133.7051129
2010,3,1453827,127.4954973,125.0421198,129.975513
2010,4,1440980,130.494241,128.2469515,132.7657553
2010,5,1457780,135.4664241,133.2469515,137.8657553
2011,1,1445258,148.4061234,145.5359227,151.3052827
2011,2,1467772,131.7211691,129.0779928,134.3924424
2011,3,1470806,125.0341288,122.6267941,127.4677057
2011,4,1454888,130.3084574,128.0909634,132.549757
2011,5,1457780,135.4664241,133.2469515,137.8657553
2012,1,1456919,146.3620464,143.5339285,149.218782
2012,2,1482837,130.836935,128.2283616,133.4731892
2012,3,1486250,123.9613632,121.5935782,126.3549356
2012,4,1467811,129.1611122,126.9843883,131.361204
2012,5,1457780,135.4664241,133.2469515,137.8657553
2013,1,1471562,144.6298219,141.8398707,147.4480316
2013,2,1499928,130.2174816,127.6418787,132.8203233
2013,3,1502931,123.4222104,121.0885952,125.781154
2013,4,1481042,127.5460197,125.4162627,129.6986819
2013,5,1457780,135.4664241,133.2469515,137.8657553
2014,1,1490242,144.7302585,141.9631164,147.5252412
2014,2,1519238,128.7774474,126.2475781,131.3340493
2014,3,1521454,123.0128932,120.7189438,125.3316289
2014,4,1495993,126.4499704,124.3638326,128.5585283
2014,5,1457780,135.4664241,133.2469515,137.8657553
2015,1,1508923,143.8177637,141.0941843,146.568661
2015,2,1538008,127.2058426,124.7351196,129.7026732
2015,3,1538564,122.4106945,120.1654081,124.6801651
2015,4,1509602,126.3922397,124.3450367,128.4613495
2015,5,1457780,135.4664241,133.2469515,137.8657553
"""

#: SII, RII and intercept (β0) per period: weighted least squares of the rate on the relative rank.
EXPECTED = {
    2010: (-14.848682584798299, 0.8956757889879822, 142.3320861069131),
    2011: (-13.528326011468554, 0.903992355074564, 140.90884139461258),
    2012: (-11.680044585733011, 0.9159388960473449, 138.94707583559043),
    2013: (-10.544273168169711, 0.9232983970291059, 137.47135339754155),
    2014: (-10.591213985207636, 0.9226439557241447, 136.9151445676159),
    2015: (-9.04236725811593, 0.9332670245024187, 135.50073544141117),
}
Z95 = 1.959963984540054


def dsr_data() -> pd.DataFrame:
    return pd.read_csv(io.StringIO(DSR_TESTDATA))


def independent_wls(group: pd.DataFrame) -> tuple[float, float]:
    """β0, β1 by statsmodels: WLS of value on relative rank (weights = population)."""
    group = group.sort_values("Quintile")
    share = group.total_pop / group.total_pop.sum()
    rank = np.cumsum(share) - share / 2
    fit = sm.WLS(group.value.to_numpy(), sm.add_constant(rank.to_numpy()), weights=group.total_pop.to_numpy()).fit()
    return float(fit.params[0]), float(fit.params[1])


def linear_sd(group: pd.DataFrame) -> float:
    """Exact standard deviation of the simulated (untransformed) SII: √(Σ c_j² se_j²), β1 = Σ c_j y_j."""
    group = group.sort_values("Quintile")
    share = (group.total_pop / group.total_pop.sum()).to_numpy()
    rank = np.cumsum(share) - share / 2
    design = np.column_stack([np.ones_like(rank), rank])
    solve = np.linalg.solve(design.T @ (share[:, None] * design), design.T * share)
    se = ((group.uppercl - group.lowercl) / (2 * Z95)).to_numpy()
    return float(np.sqrt(np.sum(solve[1] ** 2 * se ** 2)))


def test_embedded_copy_matches_shared_file(shared_dir):
    path = shared_dir / "data" / "reference" / "pheindicatormethods" / "DSR_testdata.csv"
    pd.testing.assert_frame_equal(pd.read_csv(path), dsr_data())


def test_point_estimates_match_independent_wls_and_literals():
    df = dsr_data()
    out = sii(df, "Quintile", "total_pop", "value", lower="lowercl", upper="uppercl", by="Period",
              rii=True, intercept=True, repetitions=1000, seed=1)
    assert list(out["Period"]) == list(EXPECTED)
    for _, row in out.iterrows():
        b0, b1 = independent_wls(df[df.Period == row.Period])
        assert row.sii == pytest.approx(b1, rel=1e-10)
        assert row.rii == pytest.approx((b0 + b1) / b0, rel=1e-10)
        assert row.intercept == pytest.approx(b0, rel=1e-10)
        sii_lit, rii_lit, b0_lit = EXPECTED[row.Period]
        assert row.sii == pytest.approx(sii_lit, rel=1e-9)
        assert row.rii == pytest.approx(rii_lit, rel=1e-9)
        assert row.intercept == pytest.approx(b0_lit, rel=1e-9)
    assert (out.quantiles == 5).all()
    assert out.population.iloc[0] == df[df.Period == 2010].total_pop.sum()
    assert out.confidence.eq("95%").all()


def test_value_type_alone_does_not_change_point_estimates():
    """transform=False (the default): rates are only *drawn* on the log scale; the fitted line is
    that of the values as given."""
    df = dsr_data()
    plain = sii(df, "Quintile", "total_pop", "value", lower="lowercl", upper="uppercl", by="Period",
                rii=True, intercept=True, repetitions=1000, seed=1)
    rate = sii(df, "Quintile", "total_pop", "value", lower="lowercl", upper="uppercl", by="Period",
               rii=True, intercept=True, repetitions=1000, seed=1, value_type=1)
    for column in ("sii", "rii", "intercept"):
        np.testing.assert_allclose(plain[column], rate[column], rtol=1e-12)
    assert "draws on the log scale" in rate.method.iloc[0]
    assert not np.allclose(plain.sii_lower, rate.sii_lower, rtol=1e-6)  # the draws differ


def independent_transformed_fit(group: pd.DataFrame, forward, backward) -> tuple[float, float]:
    """β0, β1 of statsmodels' WLS of f(value) on the relative rank, as (g(β0), g(β0 + β1))."""
    group = group.sort_values("Quintile")
    share = group.total_pop / group.total_pop.sum()
    rank = np.cumsum(share) - share / 2
    fit = sm.WLS(forward(group.value.to_numpy()), sm.add_constant(rank.to_numpy()),
                 weights=group.total_pop.to_numpy()).fit()
    return float(backward(fit.params[0])), float(backward(fit.params[0] + fit.params[1]))


def test_transform_fits_the_log_values_and_converts_back():
    df = dsr_data()
    out = sii(df, "Quintile", "total_pop", "value", lower="lowercl", upper="uppercl", by="Period",
              rii=True, intercept=True, repetitions=1000, seed=1, value_type=1, transform=True)
    assert "log-transformed values" in out.method.iloc[0]
    for _, row in out.iterrows():
        at0, at1 = independent_transformed_fit(df[df.Period == row.Period], np.log, np.exp)
        assert row.sii == pytest.approx(at1 - at0, rel=1e-10)
        assert row.rii == pytest.approx(at1 / at0, rel=1e-10)
        assert row.intercept == pytest.approx(at0, rel=1e-10)
    # the log-linear fit of a falling rate: a smaller gap than the straight line (2010: −14.04 vs −14.85)
    assert out.sii.iloc[0] == pytest.approx(-14.036843, abs=1e-6)
    negative = sii(df, "Quintile", "total_pop", "value", lower="lowercl", upper="uppercl", by="Period",
                   rii=True, intercept=True, repetitions=1000, seed=1, value_type=1, transform=True, multiplier=-100)
    np.testing.assert_allclose(negative.sii, -100 * out.sii, rtol=1e-12)
    np.testing.assert_allclose(negative.rii, 1 / out.rii, rtol=1e-12)
    np.testing.assert_allclose(negative.intercept, 100 * out.intercept, rtol=1e-12)  # g(β0)·|multiplier|


def test_transform_fits_the_logit_of_proportions():
    df = proportion_data()
    out = sii(df, "decile", "pop", "p", lower="low", upper="high", value_type=2, transform=True, rii=True,
              intercept=True, multiplier=100, repetitions=2000, seed=1)
    logit = lambda x: np.log(x / (1 - x))  # noqa: E731
    expit = lambda x: 1 / (1 + np.exp(-x))  # noqa: E731
    renamed = df.rename(columns={"decile": "Quintile", "pop": "total_pop", "p": "value"})
    at0, at1 = independent_transformed_fit(renamed, logit, expit)
    row = out.iloc[0]
    assert row.sii == pytest.approx(100 * (at1 - at0), rel=1e-10)
    assert row.rii == pytest.approx(at1 / at0, rel=1e-10)
    assert row.intercept == pytest.approx(100 * at0, rel=1e-10)
    assert row.sii_lower < row.sii < row.sii_upper and row.rii_lower < row.rii < row.rii_upper


def test_simulated_limits_match_exact_normal_quantiles_within_monte_carlo_error():
    df = dsr_data()
    out = sii(df, "Quintile", "total_pop", "value", lower="lowercl", upper="uppercl", by="Period",
              seed=20240611)
    assert out.method.iloc[0].endswith("100000 repetitions")
    for _, row in out.iterrows():
        sd = linear_sd(df[df.Period == row.Period])
        assert abs(row.sii_lower - (row.sii - Z95 * sd)) < 0.05 * sd
        assert abs(row.sii_upper - (row.sii + Z95 * sd)) < 0.05 * sd


def test_limits_are_order_statistics_at_the_reference_positions():
    assert _positions(100_000, [0.95]) == [2499, 97499]  # 1-based 2500 and 97500
    assert _positions(100_000, [0.998]) == [99, 99899]  # 1-based 100 and 99900
    assert _positions(1000, [0.95, 0.998]) == [24, 974, 0, 998]


def test_zero_uncertainty_gives_limits_equal_to_the_estimate():
    df = dsr_data()
    df["se0"] = 0.0
    out = sii(df, "Quintile", "total_pop", "value", se="se0", by="Period", rii=True, repetitions=2000, seed=3)
    np.testing.assert_allclose(out.sii_lower, out.sii, rtol=1e-12)
    np.testing.assert_allclose(out.sii_upper, out.sii, rtol=1e-12)
    np.testing.assert_allclose(out.rii_upper, out.rii, rtol=1e-12)


def test_se_column_equals_limits_derived_se():
    df = dsr_data()
    df["se"] = (df.uppercl - df.lowercl) / (2 * Z95)
    a = sii(df, "Quintile", "total_pop", "value", se="se", by="Period", rii=True, repetitions=5000, seed=9)
    b = sii(df, "Quintile", "total_pop", "value", lower="lowercl", upper="uppercl", by="Period", rii=True,
            repetitions=5000, seed=9)
    pd.testing.assert_frame_equal(a, b, rtol=1e-12)


def _independent_transformed_limits(group: pd.DataFrame, value_type: int, reps: int, seed: int):
    """The simulation of rates/proportions written independently: se on the transformed scale from
    the transformed limits, draws back-transformed, SII by the closed form of statsmodels' WLS design."""
    group = group.sort_values("Quintile")
    share = (group.total_pop / group.total_pop.sum()).to_numpy()
    rank = np.cumsum(share) - share / 2
    design = sm.add_constant(rank)
    forward = np.log if value_type == 1 else (lambda x: np.log(x / (1 - x)))
    backward = np.exp if value_type == 1 else (lambda x: 1 / (1 + np.exp(-x)))
    centre = forward(group.value.to_numpy())
    se = (forward(group.uppercl.to_numpy()) - forward(group.lowercl.to_numpy())) / (2 * Z95)
    draws = backward(np.random.default_rng(seed).normal(centre, se, size=(reps, len(group))))
    hat = np.linalg.pinv(np.sqrt(share)[:, None] * design) * np.sqrt(share)  # β = hat @ y
    slopes = np.sort(draws @ hat[1])
    return slopes[round(reps * 0.025) - 1], slopes[round(reps * 0.975) - 1], float(np.std(slopes))


def test_rate_limits_drawn_on_log_scale_agree_with_independent_simulation():
    df = dsr_data()
    out = sii(df, "Quintile", "total_pop", "value", lower="lowercl", upper="uppercl", by="Period",
              value_type=1, seed=5)
    assert "log scale" in out.method.iloc[0]
    for _, row in out.iterrows():
        low, high, sd = _independent_transformed_limits(df[df.Period == row.Period], 1, 200_000, 11)
        assert abs(row.sii_lower - low) < 0.05 * sd
        assert abs(row.sii_upper - high) < 0.05 * sd


def _independent_transform_true_limits(group: pd.DataFrame, reps: int, seed: int):
    """transform=True written independently: slope of the log draws, read through the mid-rank point."""
    group = group.sort_values("Quintile")
    share = (group.total_pop / group.total_pop.sum()).to_numpy()
    rank = np.cumsum(share) - share / 2
    hat = np.linalg.pinv(np.sqrt(share)[:, None] * sm.add_constant(rank)) * np.sqrt(share)
    centre = np.log(group.value.to_numpy())
    se = (np.log(group.uppercl.to_numpy()) - np.log(group.lowercl.to_numpy())) / (2 * Z95)
    draws = np.random.default_rng(seed).normal(centre, se, size=(reps, len(group)))
    slopes = np.sort(draws @ hat[1])
    beta0, beta1 = hat @ centre
    mid = beta0 + beta1 / 2
    gaps = np.exp(mid + slopes / 2) - np.exp(mid - slopes / 2)
    ratios = np.exp(slopes)  # exp(m + s/2)/exp(m − s/2)
    pick = [round(reps * 0.025) - 1, round(reps * 0.975) - 1]
    return gaps[pick], ratios[pick], float(np.std(gaps)), float(np.std(ratios))


def test_transform_limits_agree_with_independent_simulation():
    df = dsr_data()
    out = sii(df, "Quintile", "total_pop", "value", lower="lowercl", upper="uppercl", by="Period", rii=True,
              value_type=1, transform=True, seed=6)
    for _, row in out.iterrows():
        gaps, ratios, sd_gap, sd_ratio = _independent_transform_true_limits(df[df.Period == row.Period], 200_000, 13)
        assert abs(row.sii_lower - gaps[0]) < 0.05 * sd_gap
        assert abs(row.sii_upper - gaps[1]) < 0.05 * sd_gap
        assert abs(row.rii_lower - ratios[0]) < 0.05 * sd_ratio
        assert abs(row.rii_upper - ratios[1]) < 0.05 * sd_ratio
        assert row.sii_lower < row.sii < row.sii_upper


def test_transform_with_negative_multiplier_swaps_the_same_limits():
    df = dsr_data()
    args = dict(lower="lowercl", upper="uppercl", by="Period", rii=True, value_type=1, transform=True,
                repetitions=20_000, confidence=(0.95, 0.998))
    base = sii(df, "Quintile", "total_pop", "value", seed=4, **args)
    flip = sii(df, "Quintile", "total_pop", "value", seed=4, multiplier=-1, **args)
    for tag in ("95_0", "99_8"):
        np.testing.assert_allclose(flip[f"sii_lower_{tag}"], -base[f"sii_upper_{tag}"], rtol=1e-12)
        np.testing.assert_allclose(flip[f"sii_upper_{tag}"], -base[f"sii_lower_{tag}"], rtol=1e-12)
        np.testing.assert_allclose(flip[f"rii_lower_{tag}"], 1 / base[f"rii_upper_{tag}"], rtol=1e-12)
        np.testing.assert_allclose(flip[f"rii_upper_{tag}"], 1 / base[f"rii_lower_{tag}"], rtol=1e-12)
        assert (flip[f"sii_lower_{tag}"] < flip.sii).all() and (flip.sii < flip[f"sii_upper_{tag}"]).all()


def test_transform_reliability_statistic():
    df = dsr_data()
    out = sii(df, "Quintile", "total_pop", "value", lower="lowercl", upper="uppercl", by="Period", rii=True,
              value_type=1, transform=True, reliability=True, repetitions=10_000, seed=2)
    width = out.sii_upper - out.sii_lower
    assert ((out.sii_mad > 0) & (out.sii_mad < 0.05 * width)).all()
    assert (out.rii_mad > 0).all()


def proportion_data() -> pd.DataFrame:
    """Ten deciles of a proportion (0–1) with Wilson-like asymmetric limits."""
    pop = np.array([800, 900, 1000, 1100, 1200, 1000, 950, 1050, 900, 1100], dtype=float)
    p = np.linspace(0.12, 0.04, 10)
    se = np.sqrt(p * (1 - p) / pop)
    return pd.DataFrame({"decile": np.arange(1, 11), "pop": pop, "p": p,
                         "low": 1 / (1 + np.exp(-(np.log(p / (1 - p)) - 1.96 * se / (p * (1 - p))))),
                         "high": 1 / (1 + np.exp(-(np.log(p / (1 - p)) + 1.96 * se / (p * (1 - p)))))})


def test_logit_transformed_limits_agree_with_independent_simulation():
    df = proportion_data()
    out = sii(df, "decile", "pop", "p", lower="low", upper="high", value_type=2, multiplier=100, seed=8)
    renamed = df.rename(columns={"decile": "Quintile", "pop": "total_pop", "p": "value", "low": "lowercl",
                                 "high": "uppercl"})
    low, high, sd = _independent_transformed_limits(renamed, 2, 200_000, 12)
    row = out.iloc[0]
    assert row.sii == pytest.approx(100 * sii_point(df["pop"], df["p"])[1], rel=1e-12)
    assert abs(row.sii_lower - 100 * low) < 0.05 * 100 * sd
    assert abs(row.sii_upper - 100 * high) < 0.05 * 100 * sd
    assert row.sii_lower < row.sii < row.sii_upper


def test_groups_with_different_numbers_of_quantiles():
    df = dsr_data()
    rng = np.random.default_rng(0)
    deciles = pd.DataFrame({"Period": 2099, "Quintile": np.arange(1, 11), "total_pop": rng.integers(1000, 5000, 10),
                            "value": rng.uniform(50, 150, 10)})
    deciles["lowercl"], deciles["uppercl"] = deciles.value - 5, deciles.value + 5
    both = pd.concat([df, deciles], ignore_index=True).sample(frac=1, random_state=2)
    out = sii(both, "Quintile", "total_pop", "value", lower="lowercl", upper="uppercl", by="Period", rii=True,
              repetitions=1000, seed=1)
    assert list(out.quantiles) == [5] * 6 + [10]
    for _, row in out.iterrows():
        b0, b1 = independent_wls(both[both.Period == row.Period])
        assert row.sii == pytest.approx(b1, rel=1e-10)
        assert row.rii == pytest.approx((b0 + b1) / b0, rel=1e-10)


def test_negative_multiplier_reverses_sii_and_inverts_rii():
    df = dsr_data()
    base = sii(df, "Quintile", "total_pop", "value", lower="lowercl", upper="uppercl", by="Period", rii=True,
               repetitions=20_000, seed=4)
    flip = sii(df, "Quintile", "total_pop", "value", lower="lowercl", upper="uppercl", by="Period", rii=True,
               repetitions=20_000, seed=4, multiplier=-1)
    np.testing.assert_allclose(flip.sii, -base.sii, rtol=1e-12)
    np.testing.assert_allclose(flip.rii, 1 / base.rii, rtol=1e-12)
    # Same draws: the reversed order statistics are neighbours of the original ones.
    np.testing.assert_allclose(flip.sii_lower, -base.sii_upper, atol=0.02)
    np.testing.assert_allclose(flip.rii_upper, 1 / base.rii_lower, rtol=1e-3)


def test_multiplier_scales_sii_only():
    df = proportion_data()
    one = sii(df, "decile", "pop", "p", lower="low", upper="high", value_type=2, rii=True, intercept=True,
              repetitions=2000, seed=1)
    hundred = sii(df, "decile", "pop", "p", lower="low", upper="high", value_type=2, rii=True, intercept=True,
                  repetitions=2000, seed=1, multiplier=100)
    assert hundred.sii.iloc[0] == pytest.approx(100 * one.sii.iloc[0])
    assert hundred.sii_lower.iloc[0] == pytest.approx(100 * one.sii_lower.iloc[0])
    assert hundred.rii.iloc[0] == pytest.approx(one.rii.iloc[0])
    assert hundred.intercept.iloc[0] == pytest.approx(one.intercept.iloc[0])


def test_several_confidence_levels_and_reliability():
    df = dsr_data()
    out = sii(df, "Quintile", "total_pop", "value", lower="lowercl", upper="uppercl", by="Period", rii=True,
              confidence=[0.95, 0.998], reliability=True, repetitions=10_000, seed=2)
    for prefix in ("sii", "rii"):
        for tag in ("95_0", "99_8"):
            assert {f"{prefix}_lower_{tag}", f"{prefix}_upper_{tag}", f"{prefix}_mad_{tag}"} <= set(out.columns)
        assert (out[f"{prefix}_lower_99_8"] < out[f"{prefix}_lower_95_0"]).all()
        assert (out[f"{prefix}_upper_99_8"] > out[f"{prefix}_upper_95_0"]).all()
    width = out.sii_upper_95_0 - out.sii_lower_95_0
    assert ((out.sii_mad_95_0 > 0) & (out.sii_mad_95_0 < 0.05 * width)).all()
    assert (out.sii_mad_99_8 > out.sii_mad_95_0).all()  # extreme quantiles are noisier
    assert out.confidence.iloc[0] == "95%, 99.8%"


def test_same_seed_same_limits_other_seed_other_limits():
    df = dsr_data()
    args = dict(lower="lowercl", upper="uppercl", by="Period", repetitions=5000)
    a = sii(df, "Quintile", "total_pop", "value", seed=7, **args)
    b = sii(df, "Quintile", "total_pop", "value", seed=7, **args)
    c = sii(df, "Quintile", "total_pop", "value", seed=8, **args)
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a.sii_lower, c.sii_lower)


def test_ungrouped_call_has_no_key_column():
    df = dsr_data()
    out = sii(df[df.Period == 2015], "Quintile", "total_pop", "value", lower="lowercl", upper="uppercl",
              repetitions=1000, seed=1)
    assert list(out.columns[:3]) == ["sii", "sii_lower", "sii_upper"]
    assert out.sii.iloc[0] == pytest.approx(EXPECTED[2015][0], rel=1e-9)


# ------------------------------------------------------------------------------------------------ refusals


def _code(excinfo) -> str:
    return excinfo.value.code


@pytest.mark.parametrize("quantiles", [4, 101])
def test_quantile_count_outside_5_to_100_is_refused(quantiles):
    df = pd.DataFrame({"g": "X", "q": np.arange(1, quantiles + 1), "pop": 100.0,
                       "v": np.linspace(10, 20, quantiles), "se": 1.0})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InequalityWarning)
        with pytest.raises(StatsInputError) as excinfo:
            sii(df, "q", "pop", "v", se="se", by="g", repetitions=1000)
    assert _code(excinfo) == "inequality_quantile_count"
    assert f"Nombre de quantiles du groupe (g = 'X') : {quantiles} (colonne « q »)" in str(excinfo.value)


def test_more_than_ten_quantiles_warns():
    df = pd.DataFrame({"q": np.arange(1, 21), "pop": 100.0, "v": np.linspace(10, 20, 20), "se": 1.0})
    with pytest.warns(InequalityWarning, match="plus de 10 quantiles"):
        out = sii(df, "q", "pop", "v", se="se", repetitions=1000, seed=1)
    assert out.quantiles.iloc[0] == 20


def test_duplicate_quantile_is_refused():
    df = dsr_data()
    df.loc[1, "Quintile"] = 1
    with pytest.raises(StatsInputError) as excinfo:
        sii(df, "Quintile", "total_pop", "value", lower="lowercl", upper="uppercl", by="Period")
    assert _code(excinfo) == "inequality_subgroup_duplicate" and "Period = 2010" in str(excinfo.value)


def test_missing_uncertainty_is_refused():
    with pytest.raises(StatsInputError) as excinfo:
        sii(dsr_data(), "Quintile", "total_pop", "value", lower="lowercl", by="Period")
    assert _code(excinfo) == "inequality_uncertainty_missing"


@pytest.mark.parametrize("options", [dict(value_type=3), dict(transform=True), dict(multiplier=0),
                                     dict(repetitions=10), dict(repetitions=1000.5)])
def test_invalid_options_are_refused(options):
    with pytest.raises(StatsInputError) as excinfo:
        sii(dsr_data(), "Quintile", "total_pop", "value", lower="lowercl", upper="uppercl", by="Period", **options)
    assert _code(excinfo) == "argument_invalid"


def test_bad_rows_are_refused_with_their_position():
    df = dsr_data()
    df.loc[3, "total_pop"] = 0
    with pytest.raises(StatsInputError) as excinfo:
        sii(df, "Quintile", "total_pop", "value", lower="lowercl", upper="uppercl", by="Period")
    assert _code(excinfo) == "denominator_not_positive" and "n° 4" in str(excinfo.value)
    df = dsr_data()
    df.loc[2, "value"] = np.nan
    with pytest.raises(StatsInputError) as excinfo:
        sii(df, "Quintile", "total_pop", "value", lower="lowercl", upper="uppercl", by="Period")
    assert _code(excinfo) == "values_missing"
    df = dsr_data()
    df.loc[0, "lowercl"] = 200
    with pytest.raises(StatsInputError) as excinfo:
        sii(df, "Quintile", "total_pop", "value", lower="lowercl", upper="uppercl", by="Period")
    assert _code(excinfo) == "inequality_value_out_of_range"


def test_proportions_must_be_between_0_and_1():
    df = proportion_data()
    df["pct"] = df.p * 100
    with pytest.raises(StatsInputError) as excinfo:
        sii(df, "decile", "pop", "pct", se="p", value_type=2)
    assert _code(excinfo) == "inequality_value_out_of_range" and "multiplier=100" in str(excinfo.value)


def test_log_scale_needs_positive_limits():
    df = dsr_data()
    df.loc[0, "lowercl"] = 0
    with pytest.raises(StatsInputError) as excinfo:
        sii(df, "Quintile", "total_pop", "value", lower="lowercl", upper="uppercl", by="Period",
            value_type=1, transform=True)
    assert _code(excinfo) == "inequality_value_out_of_range"


def test_rate_se_column_is_read_on_the_log_scale():
    """As the reference: for value_type=1 an se column is the standard deviation of the log draws."""
    df = dsr_data()
    df = df[df.Period == 2012].copy()
    df["se_log"] = (np.log(df.uppercl) - np.log(df.lowercl)) / (2 * Z95)
    a = sii(df, "Quintile", "total_pop", "value", se="se_log", value_type=1, rii=True, repetitions=5000, seed=3)
    b = sii(df, "Quintile", "total_pop", "value", lower="lowercl", upper="uppercl", value_type=1, rii=True,
            repetitions=5000, seed=3)
    pd.testing.assert_frame_equal(a, b, rtol=1e-9)


def test_transform_refuses_an_se_column_and_non_positive_rates():
    df = dsr_data()
    df["se"] = 0.01
    with pytest.raises(StatsInputError) as excinfo:
        sii(df, "Quintile", "total_pop", "value", se="se", by="Period", value_type=1, transform=True)
    assert _code(excinfo) == "argument_invalid" and "transform=True" in str(excinfo.value)
    df.loc[4, "value"] = 0
    with pytest.raises(StatsInputError) as excinfo:
        sii(df, "Quintile", "total_pop", "value", se="se", by="Period", value_type=1)
    assert _code(excinfo) == "inequality_value_out_of_range" and "n° 5" in str(excinfo.value)


def test_error_codes_are_catalogued_in_french():
    codes = {k.code: k for k in catalogue()}
    for code in ("inequality_quantile_count", "inequality_subgroup_duplicate", "inequality_uncertainty_missing",
                 "inequality_value_out_of_range", "inequality_reference_invalid", "inequality_too_few_subgroups",
                 "inequality_mean_zero"):
        assert code in codes and codes[code].title
