"""Properties of the allocation (hypothesis): the total is kept, bounds hold, territories held by
no bound stay proportional to their need."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from equisante.allocation import AllocationError, allocate

pytestmark = pytest.mark.core

populations = st.lists(st.integers(min_value=0, max_value=100_000), min_size=1, max_size=40)


@st.composite
def problems(draw):
    pops = draw(populations)
    n = len(pops)
    # no subnormal weights: a share divided by a need of 1e-320 overflows the check, not the allocation
    weights = draw(st.lists(st.one_of(st.just(0.0), st.floats(1e-6, 3)), min_size=n, max_size=n))
    floors = draw(st.lists(st.one_of(st.none(), st.floats(0, 2_000, allow_nan=False)), min_size=n, max_size=n))
    caps = draw(st.lists(st.one_of(st.none(), st.floats(0, 50_000, allow_nan=False)), min_size=n, max_size=n))
    total = draw(st.integers(0, 500_000))
    unit = draw(st.sampled_from([None, 1, 5]))
    if unit:
        total -= total % unit
    frame = pd.DataFrame({"population": pops, "w": weights,
                          "lo": pd.array(floors, dtype="Float64").astype(float),
                          "hi": pd.array(caps, dtype="Float64").astype(float)})
    frame["hi"] = np.where(frame["hi"].notna() & frame["lo"].notna(), np.maximum(frame["hi"], frame["lo"]),
                           frame["hi"])
    return frame, total, unit


@settings(max_examples=300, deadline=None)
@given(problems())
def test_total_kept_bounds_hold_and_free_territories_proportional(problem):
    frame, total, unit = problem
    try:
        out = allocate(frame, total, weight="w", floor="lo", cap="hi", unit=unit)
    except AllocationError as error:
        assert error.code in {"allocation_floors_above_total", "allocation_caps_below_total",
                              "allocation_no_weight"} or (unit and error.code == "allocation_floor_above_cap")
        return
    x = out["allocation"].to_numpy()
    step = unit or 0
    if unit:
        assert int(out["units"].sum()) * unit == total, (frame.to_dict("list"), total, unit)
        assert (out["units"] == out["units"].round()).all()
    else:
        assert math.fsum(x) == pytest.approx(total, rel=1e-9, abs=1e-6)
    lo = frame["lo"].fillna(0).to_numpy()
    hi = frame["hi"].fillna(np.inf).to_numpy()
    if unit:
        lo, hi = np.ceil(lo / unit - 1e-9) * unit, np.floor(hi / unit + 1e-9) * unit
    tol = 1e-6 * max(1, total)
    assert (x >= lo - tol).all() and (x <= hi + tol).all()
    need = frame["population"].to_numpy() * frame["w"].to_numpy()
    free = (need > 0) & (x > lo + step + tol) & (x < hi - step - tol)
    assume(free.sum() >= 2)
    ratios = x[free] / need[free]
    # one level for all free territories (up to one unit of rounding)
    spread = step / need[free] if unit else 0
    assert (ratios.max() - ratios.min()) <= 2 * np.max(spread) + 1e-7 * ratios.max() + 1e-12


@settings(max_examples=100, deadline=None)
@given(populations, st.integers(1, 100_000))
def test_flat_share_without_bounds_is_proportional(pops, total):
    assume(sum(pops) > 0)
    out = allocate(pd.DataFrame({"population": pops}), total)
    expected = np.array(pops) * total / sum(pops)
    assert out["allocation"].to_numpy() == pytest.approx(expected, rel=1e-9, abs=1e-6)


@settings(max_examples=100, deadline=None)
@given(populations, st.integers(0, 10_000))
def test_whole_units_stay_within_one_unit_of_the_exact_share(pops, total):
    assume(sum(pops) > 0)
    out = allocate(pd.DataFrame({"population": pops}), total, unit=1)
    exact = np.array(pops) * total / sum(pops)
    assert out["units"].sum() == total
    assert np.all(np.abs(out["units"].to_numpy() - exact) < 1 + 1e-9)
