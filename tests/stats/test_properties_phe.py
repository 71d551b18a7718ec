"""Properties of the PHE methods (hypothesis): limits bracket the value, grow with the counts, stay in
range, and results do not depend on row order or on how groups are labelled."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equisante.stats import (
    ESP2013,
    byars_lower,
    byars_upper,
    dsr,
    exact_poisson_lower,
    exact_poisson_upper,
    funnel_limits,
    funnel_significance,
    isr,
    proportion,
    rate,
    smr,
    wilson_lower,
    wilson_upper,
)
from equisante.stats.life_expectancy import AGES, life_expectancy
from equisante.stats.quantiles import quantiles

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
levels = st.sampled_from([0.95, 0.998, 0.9, 0.99])
counts = st.integers(min_value=0, max_value=100_000)


@SETTINGS
@given(x=counts, level=levels)
def test_count_limits_bracket_the_count(x, level):
    assert exact_poisson_lower(x, level) <= x <= exact_poisson_upper(x, level)
    assert byars_lower(x, level) <= x <= byars_upper(x, level)
    assert exact_poisson_lower(x, level) >= 0


@SETTINGS
@given(x=st.integers(min_value=0, max_value=50_000), level=levels)
def test_rate_limits_increase_with_events(x, level):
    data = pd.DataFrame({"x": [x, x + 1], "n": [1e6, 1e6], "g": ["a", "b"]})
    out = rate(data, "x", "n", by="g", confidence=level)
    assert out["lower"].iloc[0] < out["lower"].iloc[1]
    assert out["upper"].iloc[0] < out["upper"].iloc[1]
    assert (out["lower"] <= out["value"]).all() and (out["value"] <= out["upper"]).all()


@SETTINGS
@given(x=st.integers(min_value=1, max_value=50_000))
def test_byars_limits_increase_with_events(x):
    assert byars_lower(x) < byars_lower(x + 1)
    assert byars_upper(x) < byars_upper(x + 1)


@SETTINGS
@given(data=st.data(), level=levels)
def test_proportion_limits_bracket_value_within_range(data, level):
    n = data.draw(st.integers(min_value=1, max_value=10**7))
    x = data.draw(st.integers(min_value=0, max_value=n))
    multiplier = data.draw(st.sampled_from([1, 100, 1000]))
    out = proportion(pd.DataFrame({"x": [x], "n": [n]}), "x", "n", confidence=level, multiplier=multiplier).iloc[0]
    tolerance = 1e-12 * multiplier
    assert -tolerance <= out["lower"] <= out["value"] + tolerance
    assert out["value"] - tolerance <= out["upper"] <= multiplier + tolerance
    if x < n:
        assert wilson_lower(x, n, level) < wilson_lower(x + 1, n, level)
        assert wilson_upper(x, n, level) < wilson_upper(x + 1, n, level)


def _areas(draw_counts, n_areas, bands=19):
    rng = np.random.default_rng(draw_counts)
    pop = rng.integers(50, 5000, size=(n_areas, bands))
    x = rng.poisson(pop * rng.uniform(0.001, 0.05, size=(n_areas, 1)))
    return pd.DataFrame({
        "area": np.repeat([f"Z{i:03d}" for i in range(n_areas)], bands),
        "band": np.tile(np.arange(bands) * 5, n_areas),
        "x": x.ravel().astype(float),
        "n": pop.ravel(),
    })


@SETTINGS
@given(seed=st.integers(0, 10**6), n_areas=st.integers(1, 12), level=levels)
def test_dsr_limits_bracket_value_and_ignore_row_order(seed, n_areas, level):
    data = _areas(seed, n_areas)
    out = dsr(data, "x", "n", by="area", age_band="band", confidence=level)
    shown = out["value"].notna()
    assert (out.loc[shown, "lower"] <= out.loc[shown, "value"]).all()
    assert (out.loc[shown, "value"] <= out.loc[shown, "upper"]).all()
    assert (out["numerator"] >= 10).eq(shown).all()
    shuffled = dsr(data.sample(frac=1, random_state=seed), "x", "n", by="area", age_band="band", confidence=level)
    pd.testing.assert_frame_equal(out, shuffled, rtol=1e-12)


@SETTINGS
@given(seed=st.integers(0, 10**6), n_areas=st.integers(2, 10))
def test_results_do_not_depend_on_group_labels(seed, n_areas):
    data = _areas(seed, n_areas)
    names = data["area"].unique()
    relabel = dict(zip(names, np.random.default_rng(seed).permutation([f"N{i}" for i in range(len(names))])))
    renamed = data.assign(area=data["area"].map(relabel))
    for function in (lambda d: dsr(d, "x", "n", by="area"),
                     lambda d: rate(d, "x", "n", by="area"),
                     lambda d: smr(d, "x", "n", list(np.arange(1, 20) * 10.0), [1000.0] * 19, by="area")):
        original = function(data).assign(area=lambda t: t["area"].map(relabel)).sort_values("area")
        other = function(renamed).sort_values("area")
        pd.testing.assert_frame_equal(original.reset_index(drop=True), other.reset_index(drop=True), rtol=1e-12)


@SETTINGS
@given(seed=st.integers(0, 10**6), scale=st.floats(0.01, 1000))
def test_dsr_is_invariant_to_the_scale_of_the_standard(seed, scale):
    data = _areas(seed, 3)
    a = dsr(data, "x", "n", by="area")
    b = dsr(data, "x", "n", by="area", standard=ESP2013 * scale)
    pd.testing.assert_frame_equal(a, b, rtol=1e-9)


@SETTINGS
@given(rate_per_person=st.floats(1e-4, 0.5), seed=st.integers(0, 10**6))
def test_dsr_of_equal_age_specific_rates_is_that_rate(rate_per_person, seed):
    pop = np.random.default_rng(seed).integers(100, 10_000, size=19).astype(float)
    data = pd.DataFrame({"x": pop * rate_per_person, "n": pop})
    out = dsr(data, "x", "n", multiplier=1)
    if out["numerator"].iloc[0] >= 10:
        assert out["value"].iloc[0] == pytest.approx(rate_per_person, rel=1e-12)


@SETTINGS
@given(seed=st.integers(0, 10**6))
def test_isr_is_smr_times_reference_rate(seed):
    data = _areas(seed, 4)
    ref_x = np.random.default_rng(seed + 1).integers(0, 500, size=19).astype(float)
    ref_n = np.random.default_rng(seed + 2).integers(1000, 50_000, size=19).astype(float)
    a = isr(data, "x", "n", ref_x, ref_n, by="area", multiplier=1000)
    b = smr(data, "x", "n", ref_x, ref_n, by="area")
    reference = ref_x.sum() / ref_n.sum() * 1000
    for column in ("value", "lower", "upper"):
        np.testing.assert_allclose(a[column], b[column] * reference, rtol=1e-12)
    assert (b["lower"] <= b["value"]).all() and (b["value"] <= b["upper"]).all()


POPS = np.array([7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601, 50209, 56416, 46411, 39820,
                 37978, 37039, 33288, 23306, 11936, 11936], dtype=float)
DEATHS = np.array([17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872, 1390, 1605, 1936, 1937],
                  dtype=float)


@SETTINGS
@given(band=st.integers(0, 19), extra=st.integers(1, 500), seed=st.integers(0, 10**6))
def test_life_expectancy_falls_when_deaths_rise_and_ignores_row_order(band, extra, seed):
    base = pd.DataFrame({"age": AGES, "pop": POPS, "deaths": DEATHS})
    worse = base.copy()
    worse.loc[band, "deaths"] += extra
    a = life_expectancy(base, "deaths", "pop", "age")
    b = life_expectancy(worse.sample(frac=1, random_state=seed), "deaths", "pop", "age")
    assert b["value"].iloc[0] < a["value"].iloc[0]
    assert (b["value"].iloc[: band + 1] < a["value"].iloc[: band + 1]).all()
    assert (b["lower"] <= b["value"]).all() and (b["value"] <= b["upper"]).all()
    pd.testing.assert_frame_equal(a, life_expectancy(base.sample(frac=1, random_state=seed), "deaths", "pop", "age"))


@SETTINGS
@given(values=st.lists(st.integers(0, 30), min_size=10, max_size=80), n=st.sampled_from([2, 4, 5, 10]),
       invert=st.booleans(), seed=st.integers(0, 10**6))
def test_quantiles_are_ordered_in_range_and_ignore_row_order(values, n, invert, seed):
    data = pd.DataFrame({"id": range(len(values)), "v": np.array(values, dtype=float)})
    out = quantiles(data, "v", n=n, invert=invert)
    if len(values) < n:
        assert out["quantile"].isna().all()
        return
    assert out["quantile"].between(1, n).all()
    order = out.sort_values("v")["quantile"].to_numpy()
    steps = np.diff(order)
    assert (steps <= 0).all() if invert else (steps >= 0).all()
    shuffled = quantiles(data.sample(frac=1, random_state=seed), "v", n=n, invert=invert).sort_values("id")
    assert shuffled["quantile"].tolist() == out["quantile"].tolist()


@SETTINGS
@given(seed=st.integers(0, 10**6), areas=st.integers(5, 60))
def test_funnel_limits_bracket_the_baseline_and_significance_ignores_row_order(seed, areas):
    rng = np.random.default_rng(seed)
    n = rng.integers(100, 50_000, size=areas)
    data = pd.DataFrame({"id": range(areas), "x": rng.binomial(n, 0.2), "n": n})
    limits = funnel_limits(data, "x", "n", statistic="proportion", multiplier=100)
    assert (limits["lower_3s_limit"] <= limits["lower_2s_limit"] + 1e-9).all()
    assert (limits["lower_2s_limit"] <= limits["baseline"]).all()
    assert (limits["baseline"] <= limits["upper_2s_limit"]).all()
    assert (limits["upper_2s_limit"] <= limits["upper_3s_limit"] + 1e-9).all()
    a = funnel_significance(data, "x", "n", statistic="proportion")
    b = funnel_significance(data.sample(frac=1, random_state=seed), "x", "n", statistic="proportion").sort_values("id")
    assert a["significance"].tolist() == b["significance"].tolist()
