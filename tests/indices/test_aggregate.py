"""Population-weighted means of an index over supra-level territories."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from equisante.indices import IndicesInputError, weighted_mean_by


def test_weighted_mean_by_departement():
    df = pd.DataFrame({
        "dep": ["93", "93", "93", "75", "75"],
        "fdep": [2.0, -1.0, np.nan, -2.0, 0.5],
        "population": [100_000, 50_000, 1_000, 300_000, 100_000],
    })
    out = weighted_mean_by(df, "fdep", "population", "dep")
    assert out["dep"].tolist() == ["75", "93"]
    # 75: (−2 × 300000 + 0.5 × 100000) / 400000 = −1.375 ; 93: (2 × 100000 − 50000) / 150000 = 1
    assert out["fdep"].tolist() == pytest.approx([-1.375, 1.0])
    assert out["population"].tolist() == [400_000, 150_000]
    assert out["population_missing"].tolist() == [0, 1_000]
    assert out["territories"].tolist() == [2, 2] and out["territories_missing"].tolist() == [0, 1]
    # not the plain mean of communes
    assert out.loc[1, "fdep"] != pytest.approx(0.5)


def test_several_keys_and_group_without_value():
    df = pd.DataFrame({
        "reg": ["11", "11", "11"], "dep": ["75", "92", "92"],
        "x": [1.0, np.nan, np.nan], "population": [10, 20, 30],
    })
    out = weighted_mean_by(df, "x", "population", ["reg", "dep"])
    assert out[["reg", "dep"]].values.tolist() == [["11", "75"], ["11", "92"]]
    assert out["x"].iloc[0] == 1.0 and np.isnan(out["x"].iloc[1])
    assert out["population_missing"].tolist() == [0, 50]


def test_errors():
    df = pd.DataFrame({"dep": ["1"], "x": [1.0], "population": [-5]})
    with pytest.raises(IndicesInputError) as error:
        weighted_mean_by(df, "x", "population", "dep")
    assert error.value.code == "indices_value_negative"
    with pytest.raises(IndicesInputError) as error:
        weighted_mean_by(df.assign(population=np.nan), "x", "population", "dep")
    assert error.value.code == "indices_value_missing"
    with pytest.raises(IndicesInputError) as error:
        weighted_mean_by(df, "x", "population", None)
    assert error.value.code == "indices_argument_required"
    with pytest.raises(IndicesInputError) as error:
        weighted_mean_by(df, "x", "population", "region")
    assert error.value.code == "indices_column_missing"
