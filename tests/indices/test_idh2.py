"""IDH-2 on four territories whose sub-indices can be checked by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from equisante.indices import IndicesInputError, idh2


@pytest.fixture
def towns():
    # life expectancy (years), share of 15+ with a diploma (%), median income per CU (€)
    return pd.DataFrame({
        "code": ["A", "B", "C", "D"],
        "ev": [78.0, 80.0, 83.0, 86.0],
        "diplomes": [55.0, 70.0, 75.0, 85.0],
        "revenu": [14000.0, 18000.0, 22000.0, 30000.0],
    })


def test_observed_bounds_by_hand(towns):
    out = idh2(towns, "ev", "diplomes", "revenu")
    # health: (v − 78) / 8; education: (v − 55) / 30; income: (v − 14000) / 16000
    assert out["health"].tolist() == pytest.approx([0, 0.25, 0.625, 1])
    assert out["education"].tolist() == pytest.approx([0, 0.5, 20 / 30, 1])
    assert out["income"].tolist() == pytest.approx([0, 0.25, 0.5, 1])
    assert out["idh2"].tolist() == pytest.approx([0, 1 / 3, (0.625 + 2 / 3 + 0.5) / 3, 1])
    method = out.attrs["method"]
    assert method["bounds"] == {"health": (78, 86), "education": (55, 85), "income": (14000, 30000)}
    assert set(method["bounds_origin"].values()) == {"observed"}
    assert method["log_income"] is False and "plus développé" in method["direction"]
    # the input is untouched and kept in the output
    assert list(out.columns[:4]) == list(towns.columns) and "idh2" not in towns.columns


def test_fixed_bounds_are_capped_by_default(towns):
    bounds = {"health": (75, 85), "education": (40, 90), "income": (10000, 30000)}
    out = idh2(towns, "ev", "diplomes", "revenu", bounds=bounds)
    # D's life expectancy 86 exceeds the ceiling 85: (86 − 75) / 10 = 1.1, capped to 1
    assert out["health"].tolist() == pytest.approx([0.3, 0.5, 0.8, 1.0])
    assert out["education"].tolist() == pytest.approx([0.3, 0.6, 0.7, 0.9])
    assert out["income"].tolist() == pytest.approx([0.2, 0.4, 0.6, 1.0])
    assert out["idh2"].tolist() == pytest.approx([0.8 / 3, 0.5, 0.7, 2.9 / 3])
    assert out.attrs["method"]["outside_bounds"] == {"health": 1, "education": 0, "income": 0}
    assert out.attrs["method"]["bounds_origin"]["health"] == "fixed"


def test_fixed_bounds_without_capping(towns):
    bounds = {"health": (75, 85), "education": (40, 90), "income": (10000, 30000)}
    out = idh2(towns, "ev", "diplomes", "revenu", bounds=bounds, clip=False)
    assert out.loc[3, "health"] == pytest.approx(1.1)
    assert out.loc[3, "idh2"] == pytest.approx((1.1 + 0.9 + 1.0) / 3)


def test_partial_bounds_mix_fixed_and_observed(towns):
    out = idh2(towns, "ev", "diplomes", "revenu", bounds={"income": (10000, 30000)})
    assert out.attrs["method"]["bounds_origin"] == {"health": "observed", "education": "observed", "income": "fixed"}
    assert out["health"].tolist() == pytest.approx([0, 0.25, 0.625, 1])
    assert out["income"].tolist() == pytest.approx([0.2, 0.4, 0.6, 1.0])


def test_log_income_variant(towns):
    out = idh2(towns, "ev", "diplomes", "revenu", bounds={"income": (10000, 30000)}, log_income=True)
    expected = [math.log(v / 10000) / math.log(3) for v in (14000, 18000, 22000, 30000)]
    assert out["income"].tolist() == pytest.approx(expected)
    assert out.attrs["method"]["log_income"] is True
    # the bounds are reported in euros, as given
    assert out.attrs["method"]["bounds"]["income"] == (10000, 30000)
    # observed bounds in log: ln(v / 14000) / ln(30000 / 14000)
    observed = idh2(towns, "ev", "diplomes", "revenu", log_income=True)
    assert observed.loc[1, "income"] == pytest.approx(math.log(18000 / 14000) / math.log(30000 / 14000))


def test_fraction_unit_gives_the_same_index(towns):
    fractions = towns.assign(diplomes=towns["diplomes"] / 100)
    a = idh2(towns, "ev", "diplomes", "revenu")
    b = idh2(fractions, "ev", "diplomes", "revenu", unit="fraction")
    assert np.allclose(a["idh2"], b["idh2"])


def test_missing_value_gives_no_idh2(towns):
    towns.loc[1, "revenu"] = np.nan
    out = idh2(towns, "ev", "diplomes", "revenu")
    assert np.isnan(out.loc[1, "idh2"]) and np.isnan(out.loc[1, "income"])
    assert out.loc[1, "health"] == pytest.approx(0.25)
    # observed bounds use the territories that have the value
    assert out.attrs["method"]["bounds"]["income"] == (14000, 30000)


def test_prefix_avoids_overwriting_an_input_column(towns):
    named = towns.rename(columns={"revenu": "income"})
    with pytest.raises(IndicesInputError) as error:
        idh2(named, "ev", "diplomes", "income")
    assert "préfixe" in str(error.value)
    out = idh2(named, "ev", "diplomes", "income", prefix="idh2_")
    assert {"idh2_health", "idh2_income", "idh2_idh2"} <= set(out.columns)
    assert out["income"].tolist() == named["income"].tolist()


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"revenu": [-1.0, 18000, 22000, 30000]}, "indices_value_negative"),
        ({"diplomes": [55, 70, 175, 85]}, "indices_proportion_out_of_range"),
        ({"ev": [0, 80, 83, 86]}, "indices_value_not_positive"),
        ({"ev": ["78", "80", "83", "86"]}, "indices_column_not_numeric"),
        ({"ev": [80.0, 80.0, 80.0, 80.0]}, "indices_constant_variable"),
    ],
)
def test_bad_input_is_refused_in_french(towns, change, code):
    with pytest.raises(IndicesInputError) as error:
        idh2(towns.assign(**change), "ev", "diplomes", "revenu")
    assert error.value.code == code
    assert isinstance(error.value, ValueError)


def test_messages_name_the_column_and_the_row(towns):
    bad = towns.assign(diplomes=[55, 70, 175, 85])
    with pytest.raises(IndicesInputError) as error:
        idh2(bad, "ev", "diplomes", "revenu")
    text = str(error.value)
    assert "« diplomes »" in text and "ligne de données n° 3" in text and "175" in text and "pourcentage" in text


def test_missing_column_and_bad_bounds(towns):
    with pytest.raises(IndicesInputError, match="absente"):
        idh2(towns, "esperance", "diplomes", "revenu")
    with pytest.raises(IndicesInputError, match="strictement inférieur"):
        idh2(towns, "ev", "diplomes", "revenu", bounds={"health": (85, 75)})
    with pytest.raises(IndicesInputError, match="dimension inconnue"):
        idh2(towns, "ev", "diplomes", "revenu", bounds={"sante": (75, 85)})
    with pytest.raises(IndicesInputError, match="strictement positif"):
        idh2(towns, "ev", "diplomes", "revenu", bounds={"income": (0, 30000)}, log_income=True)
    with pytest.raises(IndicesInputError, match="revenu strictement positif"):
        idh2(towns.assign(revenu=[0.0, 18000, 22000, 30000]), "ev", "diplomes", "revenu", log_income=True)
