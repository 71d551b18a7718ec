"""The demonstration's median income above the commune: the median of the pooled distributions of the
member communes, not the value of one member (a département used to repeat the figure of one of its
EPCI: X1 = X1E01 = 20 300 €)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import norm

from equisante.demo.generator import INCOME_LOG_SD, generate_region, pooled_median
from equisante.demo.values import _median, commune_links

pytestmark = pytest.mark.core


@pytest.fixture(scope="module")
def region():
    return generate_region(seed=2024)


@pytest.fixture(scope="module")
def medians(region):
    frame = _median(region, commune_links(region), {"region", "departement", "epci", "commune"})
    return {(row.level, row.code): row.value for row in frame.itertuples()}


def test_pooled_median_by_hand():
    # two equal populations, medians 10 000 and 40 000 €: by symmetry of the logarithms, the median of
    # the mixture is their geometric mean, 20 000 € — not one of the two medians
    assert pooled_median([10_000, 40_000], [500, 500]) == 20_000
    # the mixture's distribution function is one half at the answer (to the rounding to 10 €)
    value = pooled_median([15_000, 22_000, 31_000], [1_000, 3_000, 500])
    shares = np.array([1_000, 3_000, 500]) / 4_500
    cdf = lambda x: float(shares @ norm.cdf((math.log(x) - np.log([15_000, 22_000, 31_000])) / INCOME_LOG_SD))  # noqa: E731
    assert cdf(value - 10) < 0.5 < cdf(value + 10)
    assert value not in (15_000, 22_000, 31_000)
    # one member: its own median; no usable member: no value
    assert pooled_median([18_000], [200]) == 18_000
    assert math.isnan(pooled_median([float("nan")], [10]))


def test_a_larger_population_pulls_the_median_towards_it():
    assert pooled_median([10_000, 40_000], [900, 100]) < 20_000 < pooled_median([10_000, 40_000], [100, 900])


def test_departement_medians_differ_from_their_epci(region, medians):
    communes = region.communes
    for departement, members in communes.groupby("departement"):
        epcis = members["epci"].unique()
        assert len(epcis) > 1
        value = medians[("departement", departement)]
        assert all(value != medians[("epci", epci)] for epci in epcis), departement
        # and it lies between the lowest and highest medians of its communes
        own = [medians[("commune", code)] for code in members["code"]]
        assert min(own) < value < max(own)
    # the région's median is not one of its départements' either
    region_value = medians[("region", region.code)]
    assert region_value not in {medians[("departement", d)] for d in communes["departement"].unique()}
