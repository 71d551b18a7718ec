"""Secondary suppression (equisante.confidentiality): a published total never gives a withheld count back."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from equisante.confidentiality import (Suppression, publish_breakdown, rule_statement, secondary_suppression,
                                       small_count)

T = 10


def test_nothing_to_protect():
    assert secondary_suppression([12, 40, 0, 100], threshold=T) == Suppression()


def test_one_small_cell_takes_the_smallest_other_non_zero_cell_with_it():
    decision = secondary_suppression([4, 50, 0, 30, 12], threshold=T)
    assert decision.primary == {0}
    assert decision.secondary == {4}  # 12: the smallest non-zero published cell, not the zero
    assert not decision.total_withheld


def test_small_cells_whose_sum_is_still_small_take_one_more():
    # 4 + 3 = 7 could be read from the total: one more cell must go
    decision = secondary_suppression([4, 3, 30, 12], threshold=T)
    assert decision.primary == {0, 1} and decision.secondary == {3}


def test_two_small_cells_adding_up_to_the_threshold_protect_each_other():
    decision = secondary_suppression([4, 6, 30, 12], threshold=T)
    assert decision.primary == {0, 1} and decision.secondary == frozenset()


def test_flagged_cells_count_as_primary_whatever_their_count():
    decision = secondary_suppression([500, 20, 30], threshold=T, primary=[0])
    assert decision.primary == {0} and decision.secondary == {1}


def test_unknown_counts_and_zeros_are_never_chosen_and_the_total_goes_when_nothing_is_left():
    decision = secondary_suppression([4, None, 0], threshold=T)
    assert decision.secondary == frozenset() and decision.total_withheld


def test_no_secondary_cell_when_the_total_is_not_published():
    decision = secondary_suppression([4, 50, 30], threshold=T, total_published=False)
    assert decision.primary == {0} and decision.secondary == frozenset() and not decision.total_withheld


def test_ties_take_the_first_cell():
    assert secondary_suppression([4, 20, 20], threshold=T).secondary == {1}


@given(st.lists(st.one_of(st.integers(0, 60), st.none()), min_size=1, max_size=12), st.integers(2, 12))
def test_what_the_total_reveals_is_never_a_small_count(counts, threshold):
    decision = secondary_suppression(counts, threshold=threshold)
    hidden = decision.withheld
    # no published cell is a small count
    assert all(not small_count(c, threshold) for i, c in enumerate(counts) if i not in hidden)
    if hidden and not decision.total_withheld:
        # total − published = the sum of at least two hidden cells, and not a small count
        assert len(hidden) >= 2
        known = [counts[i] for i in hidden]
        if all(c is not None for c in known):
            assert not small_count(sum(known), threshold)


def test_publish_breakdown_blanks_values_and_says_why():
    records = [
        {"code": "a", "state": "ok", "numerator": 4, "denominator": 400, "value": 1000.0, "lower": 272.0, "upper": 2560.0},
        {"code": "b", "state": "ok", "numerator": 25, "denominator": 2000, "value": 1250.0, "lower": 809.0, "upper": 1845.0},
        {"code": "c", "state": "ok", "numerator": 60, "denominator": 5000, "value": 1200.0, "lower": 916.0, "upper": 1545.0},
    ]
    total = {"state": "ok", "numerator": 89, "denominator": 7400, "value": 1202.7, "lower": 966.0, "upper": 1480.0}
    published, published_total, decision = publish_breakdown(records, total, threshold=T)
    assert [r["suppression"] for r in published] == ["primary", "secondary", None]
    for row in published[:2]:
        assert row["state"] == "suppressed"
        assert row["value"] is None and row["numerator"] is None and row["lower"] is None and row["upper"] is None
        assert row["denominator"] is not None  # populations stay
    assert published[2]["value"] == 1200.0
    assert published_total["value"] == 1202.7 and published_total["suppression"] is None
    assert records[0]["value"] == 1000.0  # the input is left alone
    assert decision.withheld == {0, 1}


def test_publish_breakdown_withholds_the_total_when_nothing_else_can():
    # the other cell's count is unknown (a value without numerator): it cannot be chosen
    records = [{"state": "ok", "numerator": 4, "value": 1.0}, {"state": "ok", "numerator": None, "value": 2.0}]
    total = {"state": "ok", "numerator": 50, "value": 1.8}
    published, published_total, decision = publish_breakdown(records, total, threshold=T)
    assert decision.total_withheld
    assert published_total["state"] == "suppressed" and published_total["value"] is None


def test_publish_breakdown_of_a_count_indicator():
    records = [{"state": "ok", "value": 3}, {"state": "ok", "value": 40}, {"state": "ok", "value": 55}]
    published, _total, _decision = publish_breakdown(records, {"state": "ok", "value": 98}, threshold=T,
                                                     is_count=True)
    assert [r["state"] for r in published] == ["suppressed", "suppressed", "ok"]


def test_rule_statement_names_the_threshold():
    text = rule_statement(11)
    assert "entre 1 et 10" in text and "seuil 11" in text and "secondaire" in text
