"""Concentration index (``equisante.stats.concentration_index``) on hand-checkable examples."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from equisante.stats import concentration_index, summary_measures
from equisante.stats.concentration import fractional_rank
from equisante.stats.errors import StatsInputError


def individuals(h, income=None) -> pd.DataFrame:
    h = np.asarray(h, dtype=float)
    return pd.DataFrame({"h": h, "income": np.arange(h.size) if income is None else income})


def test_perfect_equality_gives_zero():
    out = concentration_index(individuals([3.0] * 8), "h", "income")
    assert out.value.iloc[0] == pytest.approx(0.0, abs=1e-15)
    assert out["mean"].iloc[0] == 3.0 and out.rows.iloc[0] == 8


@pytest.mark.parametrize("n", [2, 5, 10, 100])
def test_everything_in_the_richest_or_the_poorest(n):
    rich = np.zeros(n)
    rich[-1] = 1.0
    # one unit at rank 1 − 1/(2n): C = 2R − 1 = 1 − 1/n
    assert concentration_index(individuals(rich), "h", "income").value.iloc[0] == pytest.approx(1 - 1 / n)
    assert concentration_index(individuals(rich[::-1]), "h", "income").value.iloc[0] == pytest.approx(-(1 - 1 / n))


def test_small_example_by_hand():
    # ranks 1/8, 3/8, 5/8, 7/8; h = 1, 2, 3, 4; μ = 2.5
    # cov = Σ (h − μ)(R − ½)/4 = (1.5·0.375 + 0.5·0.125)·2/4 = 0.3125 ; C = 2·0.3125/2.5 = 0.25
    out = concentration_index(individuals([1, 2, 3, 4]), "h", "income")
    assert out.value.iloc[0] == pytest.approx(0.25)
    gen = concentration_index(individuals([1, 2, 3, 4]), "h", "income", kind="generalised")
    assert gen.value.iloc[0] == pytest.approx(0.625)  # μ·C


def test_binary_variable_corrections_by_hand():
    # h = 0, 0, 1, 1: μ = 0.5, C = 0.5 ; Wagstaff C/(1 − μ) = 1 ; Erreygers 4μC = 1
    df = individuals([0, 0, 1, 1])
    assert concentration_index(df, "h", "income").value.iloc[0] == pytest.approx(0.5)
    assert concentration_index(df, "h", "income", correction="wagstaff").value.iloc[0] == pytest.approx(1.0)
    assert concentration_index(df, "h", "income", correction="erreygers").value.iloc[0] == pytest.approx(1.0)
    # bounds (0, 10) on a 0–10 score: Wagstaff = (b − a)μC/((b − μ)(μ − a)); Erreygers 4μC/(b − a)
    score = individuals([2, 4, 6, 8])  # μ = 5, C = 2·cov/μ = 2·(3·0.375 + 1·0.125)·2/4/5 = 0.25
    assert concentration_index(score, "h", "income").value.iloc[0] == pytest.approx(0.25)
    w = concentration_index(score, "h", "income", correction="wagstaff", bounds=(0, 10))
    e = concentration_index(score, "h", "income", correction="erreygers", bounds=(0, 10))
    assert w.value.iloc[0] == pytest.approx(10 * 5 * 0.25 / (5 * 5))
    assert e.value.iloc[0] == pytest.approx(4 * 5 * 0.25 / 10)
    assert w.method.iloc[0].startswith("Wagstaff-corrected")


def test_fractional_rank_weights_and_ties():
    np.testing.assert_allclose(fractional_rank(np.array([3.0, 1.0, 2.0]), np.ones(3)), [5 / 6, 1 / 6, 3 / 6])
    np.testing.assert_allclose(fractional_rank(np.array([1.0, 2.0]), np.array([1.0, 3.0])), [1 / 8, 5 / 8])
    ranks = fractional_rank(np.array([1.0, 1.0, 2.0, 2.0]), np.ones(4))  # tied blocks share mid-points
    np.testing.assert_allclose(ranks, [0.25, 0.25, 0.75, 0.75])


def test_grouped_data_equal_expanded_individuals():
    groups = pd.DataFrame({"quintile": [1, 2, 3], "pop": [2, 3, 5], "h": [0.5, 0.3, 0.1]})
    expanded = groups.loc[groups.index.repeat(groups["pop"])]
    grouped = concentration_index(groups, "h", "quintile", population="pop")
    individual = concentration_index(expanded, "h", "quintile")
    assert grouped.value.iloc[0] == pytest.approx(individual.value.iloc[0], rel=1e-12)
    assert grouped.value.iloc[0] < 0  # the outcome is concentrated in the first (most deprived) quintile
    assert grouped.population.iloc[0] == 10 and grouped.rows.iloc[0] == 3


def test_group_level_agrees_with_heat_aci_rci_on_the_fixture():
    df = pd.DataFrame({"order": [1, 2, 3, 4, 5], "pop": [78, 91, 162, 103, 105],
                       "y": [20.0, 30.0, 40.0, 50.0, 60.0], "se": [5.0, 7.0, 10.0, 12.0, 14.0]})
    rel = concentration_index(df, "y", "order", population="pop")
    gen = concentration_index(df, "y", "order", population="pop", kind="generalised")
    heat = summary_measures(df, "y", "se", "pop", order="order", measures=["ACI", "RCI"]).set_index("measure")
    assert rel.value.iloc[0] == pytest.approx(heat.loc["RCI", "estimate"], rel=1e-12)
    assert rel.se.iloc[0] == pytest.approx(heat.loc["RCI", "se"], rel=1e-12)
    assert gen.value.iloc[0] == pytest.approx(heat.loc["ACI", "estimate"], rel=1e-12)
    assert gen.se.iloc[0] == pytest.approx(heat.loc["ACI", "se"], rel=1e-12)
    # and with the published WHO figures (RCI 0.17776859, se 0.0071240491)
    assert rel.value.iloc[0] == pytest.approx(0.17776859, rel=1e-6)
    assert rel.se.iloc[0] == pytest.approx(0.0071240491, rel=1e-6)


def test_limits_and_several_levels():
    out = concentration_index(individuals([1, 2, 2, 3, 5, 8]), "h", "income", confidence=[0.95, 0.998])
    z95, z998 = 1.959963984540054, 3.090232306167813
    assert out.lower_95_0.iloc[0] == pytest.approx(out.value.iloc[0] - z95 * out.se.iloc[0])
    assert out.upper_99_8.iloc[0] == pytest.approx(out.value.iloc[0] + z998 * out.se.iloc[0])


def test_standard_errors_agree_with_sampling_variability():
    """Both se methods against the spread of C over repeated samples of 1,000 individuals."""
    rng = np.random.default_rng(2024)
    values, se_reg, se_kak = [], [], []
    for _ in range(300):
        income = rng.lognormal(0, 1, 1000)
        h = rng.poisson(1 + 0.5 * np.log1p(income)).astype(float)
        df = pd.DataFrame({"h": h, "income": income})
        reg = concentration_index(df, "h", "income")
        kak = concentration_index(df, "h", "income", se_method="kakwani")
        values.append(reg.value.iloc[0])
        se_reg.append(reg.se.iloc[0])
        se_kak.append(kak.se.iloc[0])
    spread = np.std(values, ddof=1)  # Monte-Carlo error of this sd ≈ 4 %
    assert np.mean(se_kak) == pytest.approx(spread, rel=0.15)
    assert np.mean(se_reg) == pytest.approx(spread, rel=0.15)


def test_by_groups():
    df = pd.concat([individuals([1, 2, 3, 4]).assign(area="A"), individuals([4, 3, 2, 1]).assign(area="B")])
    out = concentration_index(df, "h", "income", by="area")
    assert list(out.area) == ["A", "B"]
    np.testing.assert_allclose(out.value, [0.25, -0.25])


@pytest.mark.parametrize("options, code", [
    (dict(kind="absolute"), "argument_invalid"),
    (dict(kind="generalised", correction="wagstaff"), "argument_invalid"),
    (dict(correction="wagstaff"), "inequality_value_out_of_range"),  # values above 1
    (dict(correction="erreygers", bounds=(5, 1)), "argument_invalid"),
    (dict(se_method="bootstrap"), "argument_invalid"),
])
def test_invalid_options_are_refused(options, code):
    with pytest.raises(StatsInputError) as excinfo:
        concentration_index(individuals([1, 2, 3, 4]), "h", "income", **options)
    assert excinfo.value.code == code


def test_invalid_data_are_refused():
    with pytest.raises(StatsInputError) as excinfo:
        concentration_index(individuals([0, 0, 0]), "h", "income")
    assert excinfo.value.code == "inequality_mean_zero"
    with pytest.raises(StatsInputError) as excinfo:
        concentration_index(individuals([1.0]), "h", "income")
    assert excinfo.value.code == "inequality_too_few_subgroups"
    with pytest.raises(StatsInputError) as excinfo:
        concentration_index(individuals([1, np.nan, 3]), "h", "income")
    assert excinfo.value.code == "values_missing"
    grouped = pd.DataFrame({"q": [1, 2, 3], "pop": [1, 2, 3], "h": [1.0, 2.0, 3.0]})
    with pytest.raises(StatsInputError) as excinfo:
        concentration_index(grouped, "h", "q", population="pop", se_method="kakwani")
    assert excinfo.value.code == "argument_invalid"
