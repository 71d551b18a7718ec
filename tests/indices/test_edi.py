"""French EDI: the published weights, centring on the national mean, units and variants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from equisante.indices import EDI_WEIGHTS, IndicesInputError, edi

KEYWORDS = list(EDI_WEIGHTS)
COLUMNS = {k: f"p_{k}" for k in KEYWORDS}


def frame(rows):
    """One column per proportion; ``rows`` gives, per IRIS, a value for every proportion or a dict."""
    data = []
    for row in rows:
        data.append({COLUMNS[k]: (row[k] if isinstance(row, dict) else row) for k in KEYWORDS})
    return pd.DataFrame(data)


def test_published_weights():
    assert EDI_WEIGHTS == {
        "overcrowding": 0.11, "no_heating": 0.34, "non_owner": 0.55, "unemployment": 0.47,
        "foreign": 0.23, "no_car": 0.52, "unskilled_workers": 0.37, "large_households": 0.45,
        "low_education": 0.19, "single_parent": 0.41,
    }
    assert sum(EDI_WEIGHTS.values()) == pytest.approx(3.64)


def test_three_iris_by_hand():
    # Every proportion at 10 %, 20 %, 30 %: the national (row) mean is 20 %, so the centred
    # values are −10, 0, +10 points and EDI = ±10 × 3.64 (sum of the weights).
    out = edi(frame([10, 20, 30]), **COLUMNS)
    assert out["edi"].tolist() == pytest.approx([-36.4, 0.0, 36.4])
    assert out.attrs["means"] == pytest.approx({k: 20.0 for k in KEYWORDS})
    assert out.attrs["method"]["standardise"] == "centre" and out.attrs["method"]["published_method"]
    assert "plus défavorisé" in out.attrs["method"]["direction"]


@pytest.mark.parametrize("keyword", KEYWORDS)
def test_each_weight_applies_to_its_own_variable(keyword):
    low = {k: 20.0 for k in KEYWORDS}
    high = dict(low, **{keyword: 40.0})
    out = edi(frame([low, high]), **COLUMNS)
    # only `keyword` differs: mean 30, centred ∓10 points, EDI = ∓10 × weight
    assert out["edi"].tolist() == pytest.approx([-10 * EDI_WEIGHTS[keyword], 10 * EDI_WEIGHTS[keyword]])


def test_reference_means_score_a_subset_on_the_national_scale():
    national = {k: 15.0 for k in KEYWORDS}
    out = edi(frame([10, 20, 30]), **COLUMNS, reference=national)
    # centred on 15 %: −5, +5, +15 points
    assert out["edi"].tolist() == pytest.approx([-5 * 3.64, 5 * 3.64, 15 * 3.64])
    assert set(out.attrs["method"]["means_origin"].values()) == {"reference"}


def test_population_weighted_means():
    df = frame([10, 30]).assign(population=[300, 100])
    out = edi(df, **COLUMNS, weights="population")
    # weighted mean (300 × 10 + 100 × 30) / 400 = 15 %
    assert out.attrs["means"]["non_owner"] == pytest.approx(15.0)
    assert out["edi"].tolist() == pytest.approx([-5 * 3.64, 15 * 3.64])


def test_fractions_are_converted_to_percentage_points():
    a = edi(frame([10, 20, 30]), **COLUMNS)
    b = edi(frame([0.10, 0.20, 0.30]), **COLUMNS, unit="fraction")
    assert b["edi"].tolist() == pytest.approx(a["edi"].tolist())


def test_zscore_variant_divides_by_the_standard_deviation():
    out = edi(frame([10, 20, 30]), **COLUMNS, standardise="zscore")
    sd = np.sqrt(200 / 3)  # deviations −10, 0, 10; divisor N = 3
    assert out["edi"].tolist() == pytest.approx([-10 / sd * 3.64, 0, 10 / sd * 3.64])
    assert out.attrs["method"]["published_method"] is False
    assert out.attrs["std"]["no_car"] == pytest.approx(sd)


def test_missing_proportion_gives_no_edi():
    df = frame([10, 20, 30])
    df.loc[1, COLUMNS["no_car"]] = np.nan
    out = edi(df, **COLUMNS)
    assert np.isnan(out.loc[1, "edi"])
    # the other IRIS are centred on the mean of those with a value (10 and 30 → 20)
    assert out.loc[0, "edi"] == pytest.approx(-36.4)


def test_errors():
    df = frame([10, 20, 30])
    with pytest.raises(TypeError):
        edi(df, **{k: v for k, v in COLUMNS.items() if k != "no_car"})
    with pytest.raises(IndicesInputError) as error:
        edi(df.assign(p_no_car=[10, 20, 130]), **COLUMNS)
    assert error.value.code == "indices_proportion_out_of_range" and "« p_no_car »" in str(error.value)
    with pytest.raises(IndicesInputError) as error:
        edi(frame([0.1, 0.2, 0.3]).assign(p_no_car=[0.1, 0.2, 1.5]), **COLUMNS, unit="fraction")
    assert "entre 0 et 1" in str(error.value)
    with pytest.raises(IndicesInputError, match="standardise"):
        edi(df, **COLUMNS, standardise="rank")
    with pytest.raises(IndicesInputError, match="reference"):
        edi(df, **COLUMNS, reference={"voiture": 10})
    with pytest.raises(IndicesInputError) as error:
        edi(frame([10, 10, 10]), **COLUMNS, standardise="zscore")
    assert error.value.code == "indices_constant_variable"
