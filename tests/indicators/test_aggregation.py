"""Aggregation to parent levels: hand-checkable sums, values and limits from equisante.stats."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from equisante import stats
from equisante.errors import EquisanteError
from equisante.indicators.aggregation import aggregate_to_parent, sum_to_parents
from equisante.indicators.models import Value

# --- The pure summing step -------------------------------------------------------------------------


def test_sum_to_parents_weights_and_completeness():
    values = pd.DataFrame({
        "child": [1, 2, 3, 1, 2],
        "sex": ["", "", "", "F", "F"],
        "age_band": ["", "", "", "0-4", "0-4"],
        "numerator": [10.0, 20.0, 5.0, 1.0, None],
        "denominator": [100.0, 200.0, 50.0, 10.0, 30.0],
    })
    links = pd.DataFrame({"child": [1, 2, 3, 1], "parent": ["A", "A", "B", "Q"], "share": [1, 1, 1, 0.5]})
    out = sum_to_parents(values, links).set_index(["parent", "sex", "age_band"])
    assert out.loc[("A", "", ""), ["numerator", "denominator"]].tolist() == [30.0, 300.0]
    assert bool(out.loc[("A", "", ""), "complete"])
    assert out.loc[("Q", "", ""), ["numerator", "denominator"]].tolist() == [5.0, 50.0]  # half of child 1
    assert out.loc[("A", "F", "0-4"), ["children", "reported"]].tolist() == [2, 1]  # child 2 lacks a numerator
    assert not out.loc[("A", "F", "0-4"), "complete"]
    assert out.loc[("B", "F", "0-4"), "reported"] == 0  # child 3 has no row for this stratum
    assert "share" not in sum_to_parents(values, links.drop(columns="share")).columns


@settings(deadline=None)
@given(
    counts=st.lists(st.tuples(st.integers(0, 10_000), st.integers(1, 10_000), st.sampled_from("ABC")),
                    min_size=1, max_size=30),
)
def test_sum_to_parents_keeps_the_totals(counts):
    values = pd.DataFrame({
        "child": range(len(counts)), "sex": "", "age_band": "",
        "numerator": [float(x) for x, _, _ in counts], "denominator": [float(n) for _, n, _ in counts],
    })
    links = pd.DataFrame({"child": range(len(counts)), "parent": [p for _, _, p in counts]})
    out = sum_to_parents(values, links)
    assert out["numerator"].sum() == values["numerator"].sum()
    assert out["denominator"].sum() == values["denominator"].sum()
    assert out["complete"].all() and out["children"].sum() == len(counts)


# --- Against the database --------------------------------------------------------------------------

pytestmark_db = pytest.mark.django_db


def put(indicator, territory, numerator=None, denominator=None, *, value=None, sex="", age_band="", period="2021", state="ok"):
    Value.objects.create(indicator=indicator, territory=territory, period=period, sex=sex, age_band=age_band,
                         numerator=numerator, denominator=denominator, value=value, state=state)


@pytest.fixture
def proportions(territories, catalogue):
    part = catalogue["part_65"]
    put(part, territories["01001"], 120, 1000)
    put(part, territories["01002"], 30, 200)
    put(part, territories["69001"], 50, 500)
    return part


def stored(code, period="2021", **stratum):
    return Value.objects.get(territory__code=code, period=period, **stratum)


def expected_proportion(x, n, multiplier=100):
    return stats.proportion(pd.DataFrame({"x": [x], "n": [n]}), "x", "n", multiplier=multiplier).iloc[0]


@pytestmark_db
def test_communes_to_departements(proportions):
    report = aggregate_to_parent(proportions, "2021", from_level="commune", to_level="departement")
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0) and report.method == "Wilson"
    ain = stored("01")
    assert (ain.numerator, ain.denominator, ain.value, ain.state) == (150, 1200, 12.5, "ok")
    reference = expected_proportion(150, 1200)
    assert ain.lower == pytest.approx(reference["lower"]) and ain.upper == pytest.approx(reference["upper"])
    assert stored("69").value == pytest.approx(10.0)


@pytestmark_db
def test_communes_to_region_through_two_levels(proportions):
    aggregate_to_parent("part_65", "2021", from_level="commune", to_level="région")
    region = stored("84")
    assert (region.numerator, region.denominator) == (200, 1700)
    assert region.value == pytest.approx(200 / 1700 * 100)


@pytestmark_db
def test_memberships_to_epci_and_qpv_with_share(proportions):
    aggregate_to_parent(proportions, "2021", from_level="commune", to_level="epci")
    epci = stored("200000001")
    assert (epci.numerator, epci.denominator) == (150, 1200)
    aggregate_to_parent(proportions, "2021", from_level="commune", to_level="qpv")
    qpv = stored("QP001")
    assert (qpv.numerator, qpv.denominator) == (30, 250)  # a quarter of 01001
    assert qpv.lower == pytest.approx(expected_proportion(30, 250)["lower"])


@pytestmark_db
def test_rates_use_the_rate_method(territories, catalogue):
    mort = catalogue["mortalite"]
    put(mort, territories["01001"], 3, 1500)
    put(mort, territories["01002"], 12, 2000)
    put(mort, territories["69001"], 2, 800)
    report = aggregate_to_parent(mort, "2021", from_level="commune", to_level="departement")
    assert report.method == "Poisson exact / Byar"
    ain, rhone = stored("01"), stored("69")
    for row, (x, n) in ((ain, (15, 3500)), (rhone, (2, 800))):
        reference = stats.rate(pd.DataFrame({"x": [x], "n": [n]}), "x", "n", multiplier=100_000).iloc[0]
        assert (row.numerator, row.denominator) == (x, n)
        assert row.value == pytest.approx(x / n * 100_000)
        assert (row.lower, row.upper) == (pytest.approx(reference["lower"]), pytest.approx(reference["upper"]))


@pytestmark_db
def test_age_bands_aggregate_per_stratum(territories, catalogue):
    part = catalogue["part_65"]
    for code, counts in {"01001": [(1, 10), (2, 40)], "01002": [(3, 30), (4, 60)]}.items():
        for (x, n), band in zip(counts, ["0-4", "90+"]):
            put(part, territories[code], x, n, sex="F", age_band=band)
    aggregate_to_parent(part, "2021", from_level="commune", to_level="departement")
    young, old = stored("01", sex="F", age_band="0-4"), stored("01", sex="F", age_band="90+")
    assert (young.numerator, young.denominator, young.value) == (4, 40, 10.0)
    assert (old.numerator, old.denominator, old.value) == (6, 100, 6.0)


@pytestmark_db
def test_incomplete_parents_are_reported_not_written(territories, catalogue):
    part = catalogue["part_65"]
    put(part, territories["01001"], 120, 1000)
    put(part, territories["01002"], None, None, state="suppressed")
    put(part, territories["69001"], 50, 500)
    report = aggregate_to_parent(part, "2021", from_level="commune", to_level="departement")
    assert report.incomplete == ["01"] and report.created == 1
    assert not Value.objects.filter(territory__code="01").exists()


@pytestmark_db
def test_existing_parent_values_are_kept_unless_replace(proportions, territories):
    put(proportions, territories["01"], 140, 1200, value=11.6)  # as published by the producer
    report = aggregate_to_parent(proportions, "2021", from_level="commune", to_level="departement")
    assert report.kept == ["01"] and stored("01").value == 11.6
    report = aggregate_to_parent(proportions, "2021", from_level="commune", to_level="departement", replace=True)
    assert report.updated == 1 and stored("01").value == 12.5
    again = aggregate_to_parent(proportions, "2021", from_level="commune", to_level="departement")
    assert (again.created, again.updated, again.unchanged, again.kept) == (0, 0, 2, [])


@pytestmark_db
def test_counts_sum_their_values(territories, catalogue):
    deces = catalogue["deces"]
    put(deces, territories["01001"], value=4)
    put(deces, territories["01002"], value=7)
    report = aggregate_to_parent(deces, "2021", from_level="commune", to_level="departement")
    assert report.method == "somme" and report.incomplete == ["69"]  # 69001 has no value
    ain = stored("01")
    assert (ain.value, ain.lower, ain.numerator) == (11, None, None)


@pytestmark_db
def test_refusals(territories, catalogue):
    with pytest.raises(EquisanteError) as info:
        aggregate_to_parent("revenu", "2021", from_level="commune", to_level="departement")
    assert info.value.code == "indicator_not_aggregatable" and "euros" in str(info.value)
    with pytest.raises(EquisanteError) as info:
        aggregate_to_parent("part_65", "2021", from_level="iris", to_level="commune")
    assert info.value.code == "indicator_levels_not_linked"
    with pytest.raises(EquisanteError) as info:
        aggregate_to_parent("absent", "2021", from_level="commune", to_level="departement")
    assert info.value.code == "indicator_unknown"
    with pytest.raises(EquisanteError):
        aggregate_to_parent("part_65", "2021", from_level="canton", to_level="departement")
