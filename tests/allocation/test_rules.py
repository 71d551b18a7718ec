"""Allocation rules with values checked by hand."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from equisante.allocation import Adjustment, AllocationError, allocate, apply_adjustments, linear_gradient
from equisante.allocation.needs import class_weights, proportional_weights
from equisante.errors import EquisanteError

pytestmark = pytest.mark.core


def frame(populations, **columns):
    data = {"code": [f"T{i + 1}" for i in range(len(populations))], "name": [f"Ville {i + 1}" for i in
                                                                              range(len(populations))],
            "population": populations}
    data.update(columns)
    return pd.DataFrame(data)


def test_flat_share_is_proportional_to_population():
    out = allocate(frame([100, 300, 600]), 1000)
    assert out["allocation"].tolist() == [100, 300, 600]
    assert "allocation" not in frame([1]).columns  # a copy: the input is untouched


def test_gradient_weights_multiply_population():
    # need = 100×2, 100×1, 200×1 = 200, 100, 200 → 400 × 200/500 = 160, 80, 160
    out = allocate(frame([100, 100, 200], w=[2, 1, 1]), 400, weight="w")
    assert out["allocation"].tolist() == pytest.approx([160, 80, 160])


def test_linear_gradient_by_class():
    assert linear_gradient(5, 1.5, 1.0) == {1: 1.5, 2: 1.375, 3: 1.25, 4: 1.125, 5: 1.0}
    weights = class_weights([1, 5, None, 3], linear_gradient(5))
    assert weights.tolist() == [1.5, 1.0, 1.0, 1.25]


def test_floor_lifts_small_territory_and_others_share_the_rest():
    # flat: 10, 90, 900. floor 50 → T1 gets 50; 950 shared 90:900 → 86.36…, 863.63…
    out = allocate(frame([10, 90, 900]), 1000, floor=50)
    assert out["allocation"].tolist() == pytest.approx([50, 950 * 90 / 990, 950 * 900 / 990])
    assert out["allocation"].sum() == pytest.approx(1000, abs=1e-9)


def test_cap_and_rest_redistributed_in_proportion():
    # flat: 100, 200, 700; cap 400 → T3 gets 400, the 600 left go 1:2 → 200, 400
    # but T2 would then be 400 = cap, fine; T1 200
    out = allocate(frame([100, 200, 700]), 1000, cap=400)
    assert out["allocation"].tolist() == pytest.approx([200, 400, 400])


def test_cap_cascade_needs_several_rounds():
    # flat: 50, 150, 300, 500; cap 260: T4 capped → 740 over 500 → T3 = 444 capped too
    # → 220 over 200 → 55, 165 ; T3 and T4 at 260
    out = allocate(frame([50, 150, 300, 500]), 740, cap=260)
    assert out["allocation"].tolist() == pytest.approx([55, 165, 260, 260])


def test_floors_and_caps_from_columns_with_empty_cells():
    f = frame([10, 100, 890], plancher=[100, None, None], plafond=[None, None, 600])
    # T1 floor 100, T3 cap 600 → T2 gets 300 (between its bounds)
    out = allocate(f, 1000, floor="plancher", cap="plafond")
    assert out["allocation"].tolist() == pytest.approx([100, 300, 600])


def test_whole_units_by_largest_remainder():
    # shares of 10 units by 1:1:1 → 3.33 each; one unit left goes to the larger population (tie on
    # remainder)… equal populations: to the earlier row
    out = allocate(frame([100, 100, 100]), 10, unit=1)
    assert out["units"].tolist() == [4, 3, 3]
    # 7 doses by 0.5:0.3:0.2 → 3.5, 2.1, 1.4 → 3, 2, 1 then remainders .5, .1, .4 → T1
    out = allocate(frame([50, 30, 20]), 7, unit=1)
    assert out["units"].tolist() == [4, 2, 1]
    # tie on remainder goes to the larger population, not the earlier row
    out = allocate(frame([100, 300, 100, 300], w=[3, 1, 3, 1]), 6, weight="w", unit=1)
    assert out["units"].tolist() == [1, 2, 1, 2]


def test_units_of_a_larger_size():
    # boxes of 10 doses: 100 doses, shares 33.3 each → 3.33 boxes → 4, 3, 3 boxes
    out = allocate(frame([1, 1, 1]), 100, unit=10)
    assert out["allocation"].tolist() == [40, 30, 30]
    assert out["allocation"].sum() == 100


def test_units_round_floor_up_and_cap_down():
    # floor 25 in units of 10 → at least 3 units; cap 45 → at most 4 units
    out = allocate(frame([1, 1000, 1]), 100, unit=10, floor=25, cap=45)
    assert out["units"].tolist() == [3, 4, 3]


def test_total_must_be_a_multiple_of_the_unit():
    with pytest.raises(EquisanteError) as info:
        allocate(frame([1, 2]), 105, unit=10)
    assert info.value.code == "allocation_total_not_multiple"
    assert "multiple" in info.value.message


def test_impossible_constraints_name_the_territory():
    with pytest.raises(AllocationError) as info:
        allocate(frame([1, 2]), 100, floor=60)
    assert info.value.code == "allocation_floors_above_total" and "« Ville 1 » (T1)" in info.value.message
    with pytest.raises(AllocationError) as info:
        allocate(frame([1, 2]), 100, cap=40)
    assert info.value.code == "allocation_caps_below_total" and "plafonds" in info.value.message
    with pytest.raises(AllocationError) as info:
        allocate(frame([1, -2]), 100)
    assert info.value.code == "allocation_value_invalid" and "« Ville 2 » (T2)" in info.value.message
    assert "population" in info.value.message
    with pytest.raises(AllocationError) as info:
        allocate(frame([1, 2], w=[1, -1]), 100, weight="w")
    assert "poids" in info.value.message and "T2" in info.value.message
    with pytest.raises(AllocationError) as info:
        allocate(frame([1, 2], lo=[0, 50], hi=[10, 40]), 60, floor="lo", cap="hi")
    assert info.value.code == "allocation_floor_above_cap" and "T2" in info.value.message
    with pytest.raises(AllocationError) as info:
        allocate(frame([0, 0]), 10)
    assert info.value.code == "allocation_no_weight"
    with pytest.raises(AllocationError) as info:
        allocate(frame([1]), 10, population="habitants")
    assert info.value.code == "allocation_column_missing"


def test_territory_without_need_keeps_its_floor():
    out = allocate(frame([0, 100, 100]), 100, floor=10)
    assert out["allocation"].tolist() == pytest.approx([10, 45, 45])


def test_dated_adjustment_plus_ten_percent_for_three_departements():
    communes = pd.DataFrame({
        "code": ["93001", "77001", "95001", "75056"],
        "departement": ["93", "77", "95", "75"],
        "population": [100, 100, 100, 100],
    })
    rule = Adjustment(("93", "77", "95"), 1.10, "sur-allocation aux départements les plus défavorisés",
                      starts=date(2021, 2, 15), column="departement")
    assert rule.describe() == "+10\u00a0% pour 93, 77 et 95 à partir du 15/02/2021"
    before = apply_adjustments(communes, [rule], on=date(2021, 2, 1))
    assert before["adjusted_weight"].tolist() == [1, 1, 1, 1] and before["adjustments"].tolist() == [""] * 4
    after = apply_adjustments(communes, [rule], on=date(2021, 3, 1))
    assert after["adjusted_weight"].tolist() == pytest.approx([1.1, 1.1, 1.1, 1])
    assert "sur-allocation" in after["adjustments"].iloc[0] and after["adjustments"].iloc[3] == ""
    # 430 doses: needs 110, 110, 110, 100 → 110 each for the three, 100 for Paris
    out = allocate(after, 430, weight="adjusted_weight", unit=1)
    assert out["units"].tolist() == [110, 110, 110, 100]
    assert Adjustment.from_dict(rule.to_dict()) == rule


def test_adjustment_needs_a_reason_and_a_valid_period():
    communes = pd.DataFrame({"code": ["a"], "population": [1]})
    with pytest.raises(AllocationError):
        apply_adjustments(communes, [Adjustment(("a",), 1.1, "")])
    with pytest.raises(AllocationError):
        apply_adjustments(communes, [Adjustment(("a",), 1.1, "x", starts=date(2021, 3, 1), ends=date(2021, 1, 1))])


def test_proportional_weights_have_mean_one():
    assert proportional_weights([1, 3, None]).tolist() == [0.5, 1.5, 1.0]


def test_large_allocation_sums_exactly_in_units():
    rng = np.random.default_rng(3)
    f = pd.DataFrame({"population": rng.integers(0, 5000, 2000)})
    out = allocate(f, 1_000_000, unit=1, floor=50, cap=2000)
    assert out["units"].sum() == 1_000_000
    assert out["units"].min() >= 50 and out["units"].max() <= 2000


def test_deprivation_classes_hold_about_a_fifth_of_the_population():
    from equisante.allocation import deprivation_classes

    # ten territories of 100 inhabitants, most deprived = highest score: two per class
    f = pd.DataFrame({"score": range(10, 0, -1), "population": [100] * 10})
    assert deprivation_classes(f, "score", higher_is_worse=True).tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    # one big territory fills the first classes: its middle (0.3) puts it in class 2
    f = pd.DataFrame({"score": [1, 2, 3], "population": [600, 200, 200]})
    assert deprivation_classes(f, "score", higher_is_worse=False).tolist() == [2, 4, 5]
    # without population: PHE, same number of territories per class
    f = pd.DataFrame({"score": range(10)})
    assert deprivation_classes(f, "score", higher_is_worse=False, population=None).tolist() == [
        1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


def test_concentration_index_of_an_allocation():
    from equisante.allocation import concentration

    # rank ascending from the most deprived; per capita 3, 2, 1 → concentrated among the deprived
    f = pd.DataFrame({"rank": [1, 2, 3], "allocation": [300, 200, 100], "population": [100, 100, 100]})
    c = concentration(f, rank="rank")
    # C = 2 cov(h, R)/μ with R = 1/6, 1/2, 5/6 and h = 3, 2, 1: cov = −(1/3)·(1/3+0+1/3)/… = −2/9, μ = 2
    assert c["value"] == pytest.approx(2 * (-2 / 9) / 2)
    assert c["lower"] < c["value"] < c["upper"]


def test_the_package_imports_without_django():
    import subprocess
    import sys

    code = ("import sys\nfrom equisante.allocation import allocate, Adjustment\n"
            "assert 'django' not in sys.modules, sorted(m for m in sys.modules if m.startswith('django'))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
