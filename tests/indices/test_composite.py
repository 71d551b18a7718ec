"""User-defined composite: the three normalisations, directions and weights, by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from equisante.indices import CompositeSpec, IndicesInputError, composite


@pytest.fixture
def df():
    # x is favourable (e.g. a screening rate), y adverse (e.g. a mortality rate)
    return pd.DataFrame({"code": list("ABCD"), "x": [1.0, 2.0, 3.0, 5.0], "y": [10.0, 20.0, 30.0, 40.0]})


def test_minmax_with_weights(df):
    spec = CompositeSpec({"x": "favourable", "y": "adverse"}, weights={"x": 3, "y": 1})
    out = composite(df, spec, keep_components=True)
    # x → (0, .25, .5, 1); y → 1 − (0, ⅓, ⅔, 1); weights ¾ and ¼
    assert out["composite__x"].tolist() == pytest.approx([0, 0.25, 0.5, 1])
    assert out["composite__y"].tolist() == pytest.approx([1, 2 / 3, 1 / 3, 0])
    expected = [0.25, 0.75 * 0.25 + 0.25 * 2 / 3, 0.75 * 0.5 + 0.25 / 3, 0.75]
    assert out["composite"].tolist() == pytest.approx(expected)
    method = out.attrs["method"]
    assert method["weights"] == {"x": 0.75, "y": 0.25}
    assert method["parameters"]["y"] == {"min": 10.0, "max": 40.0}
    assert method["direction"] == "plus élevé = plus favorable"


def test_zscore(df):
    out = composite(df, {"variables": {"x": "favourable", "y": "adverse"}, "normalisation": "zscore"})
    sd_x = math.sqrt((1.75**2 + 0.75**2 + 0.25**2 + 2.25**2) / 4)  # mean 2.75, divisor N
    sd_y = math.sqrt(125)  # mean 25
    zx = [(v - 2.75) / sd_x for v in (1, 2, 3, 5)]
    zy = [-(v - 25) / sd_y for v in (10, 20, 30, 40)]
    assert out["composite"].tolist() == pytest.approx([(a + b) / 2 for a, b in zip(zx, zy)])
    assert out["composite"].mean() == pytest.approx(0, abs=1e-12)


def test_rank_with_ties(df):
    df.loc[3, "x"] = 3.0  # C and D tie on x
    out = composite(df, CompositeSpec({"x": "higher_is_better"}, normalisation="rank"))
    # average ranks 1, 2, 3.5, 3.5 → (r − 1) / 3
    assert out["composite"].tolist() == pytest.approx([0, 1 / 3, 2.5 / 3, 2.5 / 3])


def test_adverse_only_is_reversed(df):
    out = composite(df, CompositeSpec({"y": "adverse"}))
    assert out["composite"].tolist() == pytest.approx([1, 2 / 3, 1 / 3, 0])


def test_spec_from_configuration_list(df):
    spec = CompositeSpec.from_dict({
        "label": "indice local",
        "name": "score",
        "normalisation": "minmax",
        "variables": [
            {"column": "x", "direction": "favourable", "weight": 1},
            {"column": "y", "direction": "adverse", "weight": 3},
        ],
    })
    out = composite(df, spec)
    assert spec.normalised_weights == {"x": 0.25, "y": 0.75}
    assert out["score"].iloc[0] == pytest.approx(0.75)
    assert out.attrs["method"]["name"] == "indice local"


def test_missing_value_gives_no_composite(df):
    df.loc[2, "y"] = np.nan
    out = composite(df, CompositeSpec({"x": "favourable", "y": "adverse"}))
    assert np.isnan(out.loc[2, "composite"]) and out.attrs["method"]["territories_missing"] == 1


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        ({"variables": {}}, "au moins une colonne"),
        ({"variables": {"x": "up"}}, "sens 'up'"),
        ({"variables": {"x": "favourable"}, "normalisation": "log"}, "normalisation 'log'"),
        ({"variables": {"x": "favourable"}, "weights": {"x": -1}}, "positif ou nul"),
        ({"variables": {"x": "favourable", "y": "adverse"}, "weights": {"x": 1}}, "aucun poids pour « y »"),
        ({"variables": {"x": "favourable"}, "weights": {"z": 1}}, "absente de variables"),
        ({"variables": {"x": "favourable"}, "weights": {"x": 0}}, "strictement positive"),
        ({"variables": {"x": "favourable"}, "poids": {}}, "clé inconnue"),
    ],
)
def test_invalid_specs(df, spec, fragment):
    with pytest.raises(IndicesInputError) as error:
        composite(df, spec)
    assert error.value.code == "indices_spec_invalid" and fragment in str(error.value)


def test_data_errors(df):
    with pytest.raises(IndicesInputError) as error:
        composite(df, CompositeSpec({"z": "favourable"}))
    assert error.value.code == "indices_column_missing"
    with pytest.raises(IndicesInputError) as error:
        composite(df, CompositeSpec({"code": "favourable"}))
    assert error.value.code == "indices_column_not_numeric"
    with pytest.raises(IndicesInputError) as error:
        composite(df.assign(x=2.0), CompositeSpec({"x": "favourable"}))
    assert error.value.code == "indices_constant_variable"
    with pytest.raises(IndicesInputError):
        composite(df, CompositeSpec({"x": "favourable"}, name="y"))
