"""Quantiles by the PHE method (PHEindicatormethods v2.1.0 ``phe_quantile``)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from equisante.stats.quantiles import quantiles
from equisante.stats.errors import StatsInputError


def phe_formula(rank: int, count: int, nq: int) -> int:
    """The published formula, written independently: floor((nq+1) − ceiling(((N+1) − rank)/(N/nq)))."""
    q = math.floor((nq + 1) - math.ceil(((count + 1) - rank) / (count / nq)))
    return 1 if q == 0 else q


def test_direction_invert_true_puts_highest_values_in_quantile_1():
    data = pd.DataFrame({"score": np.arange(1.0, 21.0)})
    out = quantiles(data, "score", n=10)
    assert out.loc[out["score"] == 20, "quantile"].item() == 1
    assert out.loc[out["score"] == 1, "quantile"].item() == 10
    assert out["quantile"].tolist() == [10, 10, 9, 9, 8, 8, 7, 7, 6, 6, 5, 5, 4, 4, 3, 3, 2, 2, 1, 1]
    assert (out["quantile_direction"] ==
            "quantile 1 = valeurs les plus élevées ; quantile 10 = valeurs les plus faibles").all()
    assert out["quantile_invert"].all() and (out["quantiles"] == 10).all()


def test_direction_invert_false_puts_lowest_values_in_quantile_1():
    data = pd.DataFrame({"score": np.arange(1.0, 21.0)})
    out = quantiles(data, "score", n=5, invert=False)
    assert out.loc[out["score"] == 1, "quantile"].item() == 1
    assert out.loc[out["score"] == 20, "quantile"].item() == 5
    assert out["quantile_direction"].iloc[0] == "quantile 1 = valeurs les plus faibles ; quantile 5 = valeurs les plus élevées"


def test_matches_the_formula_with_uneven_counts_and_ties():
    rng = np.random.default_rng(7)
    values = rng.integers(0, 15, size=37).astype(float)
    out = quantiles(pd.DataFrame({"v": values}), "v", n=10, invert=False)
    ranks = pd.Series(values).rank(method="min").astype(int)
    expected = [phe_formula(r, 37, 10) for r in ranks]
    assert out["quantile"].astype(int).tolist() == expected
    # ties share a quantile
    for value in np.unique(values):
        assert out.loc[out["v"] == value, "quantile"].nunique() == 1


def test_groups_missing_values_and_small_groups():
    data = pd.DataFrame({
        "region": ["R1"] * 12 + ["R2"] * 5,
        "score": list(range(1, 13)) + [5, 5, 3, np.nan, 1],
    })
    out = quantiles(data, "score", n=4, by="region")
    r1 = out[out["region"] == "R1"]
    assert r1["quantile"].tolist() == [4, 4, 4, 3, 3, 3, 2, 2, 2, 1, 1, 1]
    r2 = out[out["region"] == "R2"]
    assert r2["quantile"].tolist()[:3] == [1, 1, 3] and np.isnan(r2["quantile"].iloc[3]) and r2["quantile"].iloc[4] == 4
    deciles = quantiles(data, "score", n=10, by="region")
    assert deciles.loc[deciles["region"] == "R2", "quantile"].isna().all()  # 4 areas < 10 deciles
    assert deciles.loc[deciles["region"] == "R1", "quantile"].notna().all()
    assert out.index.equals(data.index) and list(out.columns[:2]) == ["region", "score"]


def test_invert_from_a_column_per_group():
    data = pd.DataFrame({"ind": ["mort"] * 10 + ["couv"] * 10, "v": list(range(10)) * 2,
                         "low_is_good": [True] * 10 + [False] * 10})
    out = quantiles(data, "v", n=5, by="ind", invert="low_is_good")
    mort, couv = out[out["ind"] == "mort"], out[out["ind"] == "couv"]
    assert mort.loc[mort["v"] == 9, "quantile"].item() == 1  # inverted: highest value in quantile 1
    assert couv.loc[couv["v"] == 9, "quantile"].item() == 5
    assert mort["quantile_direction"].iloc[0].startswith("quantile 1 = valeurs les plus élevées")
    assert couv["quantile_direction"].iloc[0].startswith("quantile 1 = valeurs les plus faibles")


def test_invalid_calls_are_refused():
    data = pd.DataFrame({"g": ["a", "a"], "v": [1.0, 2.0], "flag": [True, False], "txt": ["x", "y"]})
    for kwargs, code in [({"n": 1}, "quantiles_invalid"), ({"n": 2.5}, "quantiles_invalid"),
                         ({"invert": 3}, "invert_invalid"), ({"invert": "txt"}, "invert_invalid"),
                         ({"invert": "flag", "by": "g"}, "invert_not_constant"),
                         ({"invert": "absent"}, "column_missing")]:
        with pytest.raises(StatsInputError) as caught:
            quantiles(data, "v", **kwargs)
        assert caught.value.code == code, kwargs
    with pytest.raises(StatsInputError) as caught:
        quantiles(data, "txt")
    assert caught.value.code == "column_not_numeric"
