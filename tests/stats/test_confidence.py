"""Byar's, exact Poisson and Wilson limits (values published with PHEindicatormethods v2.1.0)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from equisante.stats import (
    byars_lower,
    byars_upper,
    exact_poisson_lower,
    exact_poisson_upper,
    wilson_lower,
    wilson_upper,
)
from equisante.stats.confidence import poisson_limits, poisson_method
from equisante.stats.errors import StatsInputError

RTOL = 1e-6

# testdata_Byars_Wilson.xlsx (x, confidence, lower, upper); None = not published.
BYARS = [
    (65, 0.95, 50.163188, 82.849139),
    (1045, 0.95, 982.593202, 1110.331213),
    (1, 0.95, 0.013072, 5.563756),
    (65, 0.998, 42.880261, 94.000291),
    (1045, 0.998, 947.940704, 1148.806161),
    (10, 0.998, 2.916318, 24.193725),
    (1, 0.998, None, 9.362180),
]
# (x, n, confidence, lower, upper), Wilson limits as fractions.
WILSON = [
    (65, 100, 0.95, 0.552544, 0.736358),
    (1045, 5000, 0.95, 0.197955, 0.220491),
    (0.445, 1, 0.95, 0.043817, 0.933462),
    (65, 100, 0.998, 0.495495, 0.778354),
    (1045, 5000, 0.998, 0.191794, 0.227316),
    (0.445, 1, 0.998, 0.019347, 0.970226),
]


@pytest.mark.parametrize("x, level, lower, upper", BYARS)
def test_byars_published_values(x, level, lower, upper):
    # The workbook displays 6 decimals: compare to half a unit of the last one.
    if lower is not None:
        assert byars_lower(x, level) == pytest.approx(lower, abs=5e-7)
    assert byars_upper(x, level) == pytest.approx(upper, abs=5e-7)


def test_byars_full_precision_values():
    # Exact figures behind the rounded workbook (formula evaluated independently).
    z = sps.norm.ppf(0.975)
    assert byars_lower(65) == pytest.approx(65 * (1 - 1 / (9 * 65) - z / (3 * math.sqrt(65))) ** 3, rel=1e-14)
    assert byars_upper(65) == pytest.approx(66 * (1 - 1 / (9 * 66) + z / (3 * math.sqrt(66))) ** 3, rel=1e-14)
    assert byars_lower(65) == pytest.approx(50.1631877, rel=RTOL)
    assert byars_upper(1045, 0.998) == pytest.approx(1148.806161, rel=RTOL)


@pytest.mark.parametrize("x, n, level, lower, upper", WILSON)
def test_wilson_published_values(x, n, level, lower, upper):
    assert wilson_lower(x, n, level) == pytest.approx(lower, abs=5e-7)
    assert wilson_upper(x, n, level) == pytest.approx(upper, abs=5e-7)


def test_confidence_in_percent_is_accepted():
    assert byars_upper(10, 99.8) == byars_upper(10, 0.998)
    assert wilson_lower(65, 100, 95) == wilson_lower(65, 100, 0.95)


def test_vectorised_and_scalar_forms_agree():
    xs = np.array([65, 1045, 1, 0, 12.5])
    lower = byars_lower(xs)
    assert isinstance(lower, np.ndarray) and lower.shape == xs.shape
    assert [byars_lower(float(x)) for x in xs] == pytest.approx(lower.tolist(), rel=1e-15)
    assert isinstance(byars_lower(3), float)
    assert isinstance(wilson_upper([1, 2], 10), np.ndarray)
    series = pd.Series([5.0, 50.0])
    assert exact_poisson_upper(series).tolist() == pytest.approx(exact_poisson_upper(series.to_numpy()).tolist())


def test_zero_events():
    assert byars_lower(0) == 0.0
    assert exact_poisson_lower(0) == 0.0
    # P(X = 0 | μ) = 0.025  ⇔  μ = −ln(0.025)
    assert exact_poisson_upper(0) == pytest.approx(-math.log(0.025), rel=1e-12)
    assert wilson_lower(0, 10) == pytest.approx(0.0, abs=1e-15)


def test_exact_limits_match_chi_square_quantiles():
    for x in (1, 2, 5, 9, 40):
        assert exact_poisson_lower(x) == pytest.approx(sps.chi2.ppf(0.025, 2 * x) / 2, rel=1e-10)
        assert exact_poisson_upper(x, 0.998) == pytest.approx(sps.chi2.ppf(0.999, 2 * x + 2) / 2, rel=1e-10)
    # Published exact limits of 1 and 5 events (testdata_Rate.xlsx, per 100 of 100 people).
    assert exact_poisson_lower(1) == pytest.approx(0.025317808, rel=RTOL)
    assert exact_poisson_upper(5) == pytest.approx(11.66833208, rel=RTOL)
    assert exact_poisson_lower(1, 0.998) == pytest.approx(0.0010005003, rel=RTOL)


def test_missing_values_propagate():
    out = byars_upper([np.nan, 4.0])
    assert np.isnan(out[0]) and not np.isnan(out[1])
    assert np.isnan(exact_poisson_lower([np.nan]))[0]
    assert np.isnan(wilson_lower([np.nan], [10]))[0]


def test_poisson_limits_switch_at_ten_events():
    x = np.array([0.0, 9.0, 10.0, 250.0])
    lower, upper = poisson_limits(x, 0.95)
    assert lower[1] == pytest.approx(exact_poisson_lower(9))
    assert lower[2] == pytest.approx(byars_lower(10))
    assert upper[3] == pytest.approx(byars_upper(250))
    assert poisson_method(np.array([9.0, 10.0, np.nan])).tolist() == ["Exact", "Byars", None]


@pytest.mark.parametrize("call, code", [
    (lambda: byars_lower([65, 0, -4]), "value_negative"),
    (lambda: byars_upper(-1), "value_negative"),
    (lambda: exact_poisson_upper([-2]), "value_negative"),
    (lambda: wilson_lower(5, 0), "value_not_positive"),
    (lambda: wilson_upper(12, 10), "value_exceeds_denominator"),
    (lambda: byars_lower(65, confidence=0.7), "confidence_invalid"),
    (lambda: byars_lower(65, confidence=14), "confidence_invalid"),
    (lambda: byars_lower(65, confidence=125), "confidence_invalid"),
    (lambda: byars_lower(65, confidence=(0.95, 0.998)), "confidence_invalid"),
])
def test_invalid_inputs_are_refused_in_french(call, code):
    with pytest.raises(StatsInputError) as caught:
        call()
    assert caught.value.code == code
    assert caught.value.message  # rendered French message
    assert "{" not in str(caught.value)
