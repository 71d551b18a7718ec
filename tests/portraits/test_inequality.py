"""The social gradient core (equisante.portraits.inequality): population-weighted quintiles, values
per quintile, and SII/RII computed by equisante.stats.sii (no database)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from equisante import stats
from equisante.portraits import inequality
from equisante.stats.gradient import sii_point


def _areas(n: int = 20, *, seed: int = 7) -> pd.DataFrame:
    """Areas whose screening participation falls with deprivation (``deprivation`` higher = worse)."""
    rng = np.random.default_rng(seed)
    deprivation = np.linspace(-1, 1, n)
    population = rng.integers(800, 4000, n).astype(float)
    invited = np.round(population * 0.3)
    screened = np.round(invited * (0.35 - 0.08 * deprivation))
    frame = pd.DataFrame({"code": [f"c{i:02d}" for i in range(n)], "name": "x", "population": population,
                          "deprivation": deprivation, "numerator": screened, "denominator": invited})
    per_area = stats.proportion(frame.assign(g=range(n)), "numerator", "denominator", by="g", multiplier=100)
    frame["value"] = per_area["value"].to_numpy()
    frame["lower"] = per_area["lower"].to_numpy()
    frame["upper"] = per_area["upper"].to_numpy()
    return frame


def test_quintiles_are_population_weighted_and_most_deprived_first():
    frame = pd.DataFrame({"code": list("abcdefghij"), "deprivation": np.arange(10.0), "population": 100.0})
    assigned = inequality.assign_quintiles(frame, higher_is_worse=True)
    # the two highest scores (most deprived) are quintile 1
    assert assigned.set_index("code")["quintile"].to_dict() == {
        "j": 1, "i": 1, "h": 2, "g": 2, "f": 3, "e": 3, "d": 4, "c": 4, "b": 5, "a": 5}
    flipped = inequality.assign_quintiles(frame, higher_is_worse=False)
    assert flipped.set_index("code").loc["a", "quintile"] == 1
    # a populous area (more than a fifth of the people) fills its quintile alone
    weighted = inequality.assign_quintiles(frame.assign(population=[100.0] * 9 + [250.0]), higher_is_worse=True)
    assert weighted.attrs["quintile_method"] == "weighted"
    assert weighted.set_index("code")["quintile"].eq(1).sum() == 1 and weighted.set_index("code").loc["j", "quintile"] == 1


def test_areas_without_score_or_population_get_no_quintile():
    frame = pd.DataFrame({"code": list("abcdef"), "deprivation": [1.0, None, 3.0, 4.0, 5.0, 6.0],
                          "population": [10.0, 10.0, 0.0, 10.0, 10.0, 10.0]})
    assigned = inequality.assign_quintiles(frame, higher_is_worse=True)
    assert assigned["quintile"].isna().tolist() == [False, True, True, False, False, False]


def test_pooled_values_per_quintile_are_sums_of_counts():
    frame = _areas()
    assigned = inequality.assign_quintiles(frame, higher_is_worse=True)
    table, words = inequality.quintile_values(assigned, kind="proportion", multiplier=100, pooled=True)
    assert "Wilson" in words
    for row in table.itertuples():
        members = assigned[assigned["quintile"] == row.quintile]
        assert row.numerator == members["numerator"].sum() and row.denominator == members["denominator"].sum()
        assert row.value == pytest.approx(100 * row.numerator / row.denominator)
        assert row.lower < row.value < row.upper


def test_weighted_mean_and_its_standard_error():
    frame = _areas()
    assigned = inequality.assign_quintiles(frame, higher_is_worse=True)
    table, words = inequality.quintile_values(assigned, kind="other", multiplier=1, pooled=True)
    assert "pondérée" in words
    members = assigned[assigned["quintile"] == 3]
    w = members["population"].to_numpy()
    mean = float((w * members["value"]).sum() / w.sum())
    se = math.sqrt(float(((w * (members["upper"] - members["lower"]) / 2 / inequality.Z95) ** 2).sum())) / w.sum()
    row = table.set_index("quintile").loc[3]
    assert row["value"] == pytest.approx(mean)
    assert row["upper"] - row["value"] == pytest.approx(inequality.Z95 * se)


def test_social_gradient_sii_is_the_one_of_stats_sii():
    frame = _areas()
    result = inequality.social_gradient(frame, higher_is_worse=True, kind="proportion", multiplier=100,
                                        repetitions=20_000, seed=3)
    assert result.computed, result.reason
    table = result.quintiles
    # the same table given to stats.sii by hand (proportions on the 0-1 scale, SII in points)
    by_hand = table[["quintile", "population", "value", "lower", "upper"]].copy()
    by_hand[["value", "lower", "upper"]] /= 100
    reference = stats.sii(by_hand, "quintile", "population", "value", lower="lower", upper="upper", value_type=2,
                          multiplier=100, rii=True, intercept=True, repetitions=20_000, seed=3).iloc[0]
    for key in ("sii", "sii_lower", "sii_upper", "rii", "rii_lower", "rii_upper"):
        assert getattr(result, key) == pytest.approx(float(reference[key]), rel=1e-12), key
    # and the point values are the weighted regression on the relative rank
    beta0, beta1 = sii_point(table["population"].to_numpy(), table["value"].to_numpy())
    assert result.sii == pytest.approx(beta1, rel=1e-9)
    assert result.intercept == pytest.approx(beta0, rel=1e-9)
    assert result.rii == pytest.approx((beta0 + beta1) / beta0, rel=1e-9)
    # participation rises from the most to the least deprived: positive SII, RII above 1
    assert result.sii > 0 and result.sii_lower > 0 and result.rii > 1
    assert result.slope == result.sii


def test_rates_are_drawn_on_the_log_scale_and_other_values_as_they_are():
    frame = _areas()
    rate = inequality.social_gradient(frame, higher_is_worse=True, kind="rate", multiplier=100, repetitions=2_000)
    other = inequality.social_gradient(frame, higher_is_worse=True, kind="other", multiplier=1, repetitions=2_000)
    assert "logarithmique" in rate.method and "log scale" in rate.method_reference
    assert "échelle" not in other.method and "draws on the" not in other.method_reference
    assert "100\u00a0000" in inequality.method_words(0, 100_000)


def test_withheld_values_are_left_out_and_counted():
    frame = _areas()
    frame.loc[[0, 5], ["value", "lower", "upper", "numerator", "denominator"]] = None
    result = inequality.social_gradient(frame, higher_is_worse=True, kind="proportion", multiplier=100,
                                        repetitions=2_000)
    assert result.excluded == 2
    assert result.quintiles["territories"].sum() == len(frame) - 2


def test_reasons_when_no_gradient_can_be_computed():
    few = _areas(4)
    assert "au moins 5" in inequality.social_gradient(few, higher_is_worse=True, kind="proportion",
                                                      multiplier=100).reason
    frame = _areas(10)
    first = inequality.assign_quintiles(frame, higher_is_worse=True)["quintile"] == 1
    frame.loc[first.to_numpy(), ["value", "lower", "upper"]] = None  # the most deprived: no published value
    result = inequality.social_gradient(frame, higher_is_worse=True, kind="proportion", multiplier=100, pooled=False)
    assert not result.computed and result.reason.startswith("Quintile 1 sans valeur de l'indicateur")


def _counted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(hidden=False, count=frame["numerator"])


def test_a_quintile_never_gives_a_withheld_member_back():
    frame = _counted(_areas(20))
    assigned = inequality.assign_quintiles(frame, higher_is_worse=True)
    members = assigned[assigned["quintile"] == 2].sort_values("count")
    lonely = members["code"].iloc[-1]  # withheld on the page (say, by the territory's breakdown)
    frame.loc[frame["code"] == lonely, "hidden"] = True
    result = inequality.social_gradient(frame, higher_is_worse=True, kind="proportion", multiplier=100,
                                        threshold=10, repetitions=2_000)
    # the smallest other member of its quintile is withheld with it; the quintile value stays
    assert result.withheld_codes == {members["code"].iloc[0]}
    assert result.computed and not result.withheld_quintiles
    # the quintile value rests on every member, the withheld one included
    row = result.quintiles.set_index("quintile").loc[2]
    assert row["numerator"] == members["numerator"].sum()


def test_a_quintile_with_a_small_count_is_withheld_and_no_sii_is_given():
    frame = _counted(_areas(20))
    assigned = inequality.assign_quintiles(frame, higher_is_worse=True)
    first = assigned["quintile"] == 1
    frame.loc[first.to_numpy(), "numerator"] = 1.0
    frame.loc[first.to_numpy(), "count"] = 1.0
    result = inequality.social_gradient(frame, higher_is_worse=True, kind="proportion", multiplier=100,
                                        threshold=10, repetitions=2_000)
    assert result.withheld_quintiles == {1} and not result.computed
    assert "secret statistique" in result.reason
    row = result.quintiles.set_index("quintile").loc[1]
    assert row["state"] == "suppressed" and pd.isna(row["value"]) and pd.isna(row["numerator"])


def test_a_city_holding_most_people_makes_quintiles_of_areas_instead():
    frame = _areas(12)
    frame.loc[3, "population"] = 200_000.0  # one city: weighted quintiles would leave three empty
    assigned = inequality.assign_quintiles(frame, higher_is_worse=True)
    assert assigned.attrs["quintile_method"] == "phe"
    assert sorted(assigned["quintile"].dropna().unique()) == [1, 2, 3, 4, 5]
    result = inequality.social_gradient(frame, higher_is_worse=True, kind="proportion", multiplier=100,
                                        repetitions=2_000)
    assert result.computed and "méthode PHE" in result.direction
