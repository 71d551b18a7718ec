"""FDep: a collinear example computed by hand, an independent SVD check, weighting and sign."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from equisante.indices import IndicesInputError, fdep

COLUMNS = ("revenu", "bac", "ouvriers", "chomage")


def one_factor(t):
    """Four variables driven by one deprivation level t, exactly (correlations ±1)."""
    t = np.asarray(t, dtype=float)
    return pd.DataFrame({"revenu": 20000 - 1000 * t, "bac": 50 - 5 * t, "ouvriers": 20 + 3 * t, "chomage": 8 + 2 * t})


def realistic(n=200, seed=7):
    rng = np.random.default_rng(seed)
    level = rng.normal(size=n)
    return pd.DataFrame({
        "revenu": 21000 - 2500 * level + rng.normal(0, 1500, n),
        "bac": np.clip(42 - 7 * level + rng.normal(0, 5, n), 0, 100),
        "ouvriers": np.clip(24 + 6 * level + rng.normal(0, 5, n), 0, 100),
        "chomage": np.clip(10 + 3 * level + rng.normal(0, 2, n), 0, 100),
        "population": rng.integers(50, 20000, n),
    })


def test_collinear_example_by_hand():
    out = fdep(one_factor([0, 1, 2, 3]), *COLUMNS)
    # t = 0..3: mean 1.5, sd (divisor N) √1.25; the four z are ±z_t, the loadings ±1/2,
    # so FDep = 4 × ½ × z_t = 2 (t − 1.5) / √1.25.
    expected = [2 * (t - 1.5) / math.sqrt(1.25) for t in range(4)]
    assert out["fdep"].tolist() == pytest.approx(expected)
    assert out.attrs["loadings"] == pytest.approx(
        {"income": -0.5, "bac_share": -0.5, "blue_collar_share": 0.5, "unemployment": 0.5})
    assert out.attrs["explained_variance_ratio"] == pytest.approx(1.0)
    assert out.attrs["eigenvalues"][0] == pytest.approx(4.0)
    assert out.attrs["correlations"]["income"] == pytest.approx(-1.0)
    assert out.attrs["sign_check"] is True
    assert "plus défavorisé" in out.attrs["method"]["direction"]


def test_matches_an_independent_singular_value_decomposition():
    df = realistic()
    out = fdep(df, *COLUMNS)
    x = df[list(COLUMNS)].to_numpy(float)
    z = (x - x.mean(axis=0)) / x.std(axis=0)
    _, s, vt = np.linalg.svd(z / math.sqrt(len(z)), full_matrices=False)
    v = vt[0] if vt[0, 0] < 0 else -vt[0]  # income coefficient negative
    assert out["fdep"].to_numpy() == pytest.approx(z @ v)
    assert out.attrs["explained_variance_ratio"] == pytest.approx(s[0] ** 2 / (s**2).sum())
    assert out["fdep"].mean() == pytest.approx(0, abs=1e-9)
    assert out["fdep"].var(ddof=0) == pytest.approx(out.attrs["eigenvalues"][0])


def test_sign_higher_is_more_deprived():
    df = realistic()
    out = fdep(df, *COLUMNS)
    loadings = out.attrs["loadings"]
    assert loadings["income"] < 0 and loadings["bac_share"] < 0
    assert loadings["blue_collar_share"] > 0 and loadings["unemployment"] > 0
    # the poorest commune scores higher than the richest
    assert out.loc[df["revenu"].idxmin(), "fdep"] > out.loc[df["revenu"].idxmax(), "fdep"]
    # the sign does not depend on the column order given to eigh (rows reversed, same result)
    again = fdep(df.iloc[::-1], *COLUMNS)
    assert again.attrs["loadings"] == pytest.approx(loadings)


def test_weighted_pca_equals_unweighted_pca_on_replicated_rows():
    df = realistic(n=30, seed=3)
    df["population"] = np.arange(1, 31) % 4 + 1
    weighted = fdep(df, *COLUMNS, weights="population")
    replicated = df.loc[df.index.repeat(df["population"])].reset_index(drop=True)
    plain = fdep(replicated, *COLUMNS)
    assert weighted.attrs["loadings"] == pytest.approx(plain.attrs["loadings"])
    first = replicated.drop_duplicates(subset=list(COLUMNS)).index
    assert weighted["fdep"].to_numpy() == pytest.approx(plain.loc[first, "fdep"].to_numpy())
    assert weighted.attrs["method"]["weighting"] == "population"
    assert plain.attrs["method"]["weighting"] == "none"


def test_weighting_changes_the_result_on_real_looking_data():
    df = realistic()
    a = fdep(df, *COLUMNS)
    b = fdep(df, *COLUMNS, weights="population")
    assert not np.allclose(a["fdep"], b["fdep"])
    assert np.corrcoef(a["fdep"], b["fdep"])[0, 1] > 0.99


def test_unit_does_not_change_the_index():
    df = realistic()
    fractions = df.assign(bac=df["bac"] / 100, ouvriers=df["ouvriers"] / 100, chomage=df["chomage"] / 100)
    assert np.allclose(fdep(df, *COLUMNS)["fdep"], fdep(fractions, *COLUMNS, unit="fraction")["fdep"])


def test_rows_with_a_missing_value_get_none_and_stay_out_of_the_pca():
    df = realistic(n=50)
    df.loc[[3, 10], "revenu"] = np.nan
    out = fdep(df, *COLUMNS)
    assert out["fdep"].isna().tolist() == [i in (3, 10) for i in range(50)]
    complete = fdep(df.drop(index=[3, 10]), *COLUMNS)
    assert out["fdep"].dropna().to_numpy() == pytest.approx(complete["fdep"].to_numpy())
    assert out.attrs["method"]["territories_missing"] == 2


def test_unexpected_structure_is_signalled():
    df = realistic(n=100)
    rng = np.random.default_rng(0)
    # income unrelated to the three other (perfectly aligned) variables: first component ignores it
    df["revenu"] = rng.normal(20000, 1000, 100)
    df["ouvriers"] = np.clip(60 - df["bac"], 0, 100)
    df["chomage"] = np.clip(df["bac"] / 5, 0, 100)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = fdep(df, *COLUMNS)
    assert out.attrs["sign_check"] is False
    assert any("structure attendue" in str(w.message) for w in caught)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"revenu": -5.0}, "indices_value_negative"),
        ({"chomage": 101.0}, "indices_proportion_out_of_range"),
        ({"bac": -0.1}, "indices_proportion_out_of_range"),
    ],
)
def test_bad_values_are_refused(change, code):
    df = realistic(n=10)
    column, value = next(iter(change.items()))
    df.loc[4, column] = value
    with pytest.raises(IndicesInputError) as error:
        fdep(df, *COLUMNS)
    assert error.value.code == code and "ligne de données n° 5" in str(error.value)


def test_constant_variable_and_too_few_territories_are_refused():
    df = realistic(n=10).assign(chomage=9.0)
    with pytest.raises(IndicesInputError) as error:
        fdep(df, *COLUMNS)
    assert error.value.code == "indices_constant_variable" and "« chomage »" in str(error.value)
    with pytest.raises(IndicesInputError) as error:
        fdep(realistic(n=2), *COLUMNS)
    assert error.value.code == "indices_too_few_territories"


def test_bad_weights_are_refused():
    df = realistic(n=10)
    with pytest.raises(IndicesInputError, match="absente"):
        fdep(df, *COLUMNS, weights="pop")
    with pytest.raises(IndicesInputError) as error:
        fdep(df.assign(population=-1), *COLUMNS, weights="population")
    assert error.value.code == "indices_value_negative"
    with pytest.raises(IndicesInputError) as error:
        fdep(df.assign(population=0), *COLUMNS, weights="population")
    assert error.value.code == "indices_weights_zero"
