"""Classification into classes: quantiles and Jenks natural breaks."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from equisante.maps import assign, classify, jenks_bounds, quantile_bounds
from equisante.maps.classify import JENKS_MAX_POINTS


def test_quantiles_split_evenly():
    values = list(range(1, 11))  # 1…10
    assert quantile_bounds(values, 5) == [1, 2, 4, 6, 8, 10]
    result = classify(values, 5, "quantiles")
    assert result.counts == (2, 2, 2, 2, 2)
    assert result.classes == (0, 0, 1, 1, 2, 2, 3, 3, 4, 4)


def test_quantiles_ignore_missing_values():
    result = classify([None, 3.0, float("nan"), 1.0, 2.0], 3)
    assert result.classes == (None, 2, None, 0, 1)
    assert result.bounds == (1.0, 1.0, 2.0, 3.0)


def test_ties_never_straddle_two_classes():
    values = [1, 1, 1, 1, 1, 1, 2, 3]
    result = classify(values, 4)
    assert len({result.classes[i] for i in range(6)}) == 1
    assert sum(result.counts) == 8


def test_fewer_distinct_values_than_classes():
    assert classify([5, 5, 5], 5).bounds == (5.0, 5.0)
    assert classify([5, 5, 5], 5).counts == (3,)
    assert classify([1, 2], 5, "jenks").counts == (1, 1)


def test_no_values():
    result = classify([None, None], 5)
    assert result.k == 0 and result.classes == (None, None)
    assert classify([], 5, "jenks").bounds == ()


def test_unknown_method():
    with pytest.raises(ValueError, match="méthode de classification inconnue"):
        classify([1, 2], 3, "egal")


def test_jenks_finds_obvious_groups():
    values = [1, 2, 3, 10, 11, 12, 50, 51, 52]
    assert jenks_bounds(values, 3) == [1, 3, 12, 52]


def _sdam(groups):
    return sum(float(((np.array(g) - np.mean(g)) ** 2).sum()) for g in groups)


def _brute_force_best(values, k):
    data = sorted(values)
    best = math.inf
    for cuts in itertools.combinations(range(1, len(data)), k - 1):
        edges = (0, *cuts, len(data))
        groups = [data[a:b] for a, b in itertools.pairwise(edges)]
        best = min(best, _sdam(groups))
    return best


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=60), min_size=6, max_size=11), st.integers(min_value=2, max_value=4))
def test_jenks_is_optimal(values, k):
    """Fisher's algorithm reaches the least within-class squared deviation (brute force on small sets)."""
    if len(set(values)) <= k:
        return
    bounds = jenks_bounds(values, k)
    classes = assign(values, bounds)
    groups = [[v for v, c in zip(values, classes, strict=True) if c == j] for j in range(len(bounds) - 1)]
    assert all(groups)
    assert _sdam(groups) == pytest.approx(_brute_force_best(values, k), abs=1e-6)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=1, max_size=60),
       st.integers(min_value=1, max_value=7), st.sampled_from(["quantiles", "jenks"]))
def test_classification_invariants(values, k, method):
    result = classify(values, k, method)
    assert 1 <= result.k <= k
    assert sum(result.counts) == len(values)
    assert all(c > 0 for c in result.counts)  # no empty class
    assert list(result.bounds) == sorted(result.bounds)
    assert result.bounds[0] == min(values) and result.bounds[-1] == max(values)
    assert set(result.bounds) <= set(float(v) for v in values)  # bounds are values of the data
    # classes follow the order of the values
    order = sorted(range(len(values)), key=lambda i: values[i])
    assert [result.classes[i] for i in order] == sorted(result.classes)


def test_jenks_on_many_values_stays_close_to_the_groups():
    rng = np.random.default_rng(7)
    values = np.concatenate([rng.normal(10, 1, 3000), rng.normal(40, 1, 3000), rng.normal(80, 1, 3000)])
    assert len(values) > JENKS_MAX_POINTS
    bounds = jenks_bounds(values, 3)
    # each break is the largest value of a group: about mean + 3.5 sd, far from the next group
    assert 11 < bounds[1] < 30 and 41 < bounds[2] < 70
