"""The three strategies, the approaches and the sheets at risk of widening inequalities."""

from __future__ import annotations

import math

import pytest

from equisante.actionsheets import ActionSheet
from equisante.portfolio import (
    DEFAULT_STRATEGY_RULES, PortfolioError, RiskRule, StrategyRule, add_labels, approach_distribution,
    families_of, strategy_balance, widening_risk,
)
from equisante.grid import load_grid

GD, U, UP = "groupes-defavorises", "universalisme", "universalisme-proportionne"


def _sheets():
    return [
        # rattrapage: care system + reoriented services, targeted
        ActionSheet("C", "A", title="a", determinants=("D5.1.3",), strategies=("S4.1",), approach=GD),
        # rattrapage AND nivellement (D5.2.3 is a care determinant of ordinary care's unequal effects)
        ActionSheet("C", "B", title="b", determinants=("D5.2.3",), strategies=("S4.2.2",), approach=GD),
        # nivellement only: use of services, reoriented services, universal
        ActionSheet("C", "D", title="d", determinants=("D4.3.2",), strategies=("S4.3",), approach=U),
        # réduction du gradient: living conditions, intersectoral work, proportionate universalism
        ActionSheet("C", "E", title="e", determinants=("D2.2.4",), strategies=("S5.1",), approach=UP),
        # information only, universal: at risk, unclassified
        ActionSheet("C", "F", title="f", determinants=("D4.1.2",), strategies=("S1.1", "S1.2"), approach=U),
        # education plus training: not « information / education only »
        ActionSheet("C", "G", title="g", determinants=("D4.1",), strategies=("S1.2", "S1.3"), approach=U),
        # nothing coded
        ActionSheet("C", "H", title="h"),
    ]


def test_families_follow_the_stated_rules():
    grid = load_grid()
    assert [families_of(s, DEFAULT_STRATEGY_RULES, grid) for s in _sheets()] == [
        ("rattrapage",), ("rattrapage", "nivellement"), ("nivellement",), ("reduction-gradient",), (), (), (),
    ]


def test_strategy_balance_table():
    table = strategy_balance(_sheets())
    assert list(table.columns) == ["family", "label", "n_actions", "share", "rule"]
    assert list(table["family"]) == ["rattrapage", "nivellement", "reduction-gradient", "non-classee"]
    assert list(table["n_actions"]) == [2, 2, 1, 3]
    assert list(table["share"]) == pytest.approx([200 / 7, 200 / 7, 100 / 7, 300 / 7])
    assert table.attrs["n_several"] == 1 and table.attrs["missing"] == []
    assert "D5" in table.loc[0, "rule"] and "« groupes défavorisés »" in table.loc[0, "rule"]


def test_strategy_missing_is_flagged():
    table = strategy_balance(_sheets()[:3])
    assert table.attrs["missing"] == ["reduction-gradient"]
    assert "reduction-gradient" in table.attrs["note"]


def test_rules_are_configurable_and_checked():
    rules = (StrategyRule("logement", "Logement", determinants=("D2.2.4", "D2.3.1")),)
    table = strategy_balance(_sheets(), rules=rules)
    assert list(table["n_actions"]) == [1, 6]
    with pytest.raises(PortfolioError) as caught:
        strategy_balance(_sheets(), rules=(StrategyRule("x", "X", strategies=("D2",)),))
    assert caught.value.code == "portfolio_rule_invalid"


def test_approach_distribution():
    table = approach_distribution(_sheets())
    assert list(table["approach"]) == [GD, U, UP, "non-renseigne"]
    assert list(table["n_actions"]) == [2, 3, 1, 1]
    assert table["share"].sum() == pytest.approx(100)
    assert table.attrs["n_coded"] == 6
    labelled = add_labels(table)
    assert list(labelled["approach_label"]) == ["groupes défavorisés", "universalisme", "universalisme proportionné",
                                                "Non renseigné"]


def test_widening_risk():
    table = widening_risk(_sheets())
    assert list(table["code"]) == ["F"]
    assert table.attrs["n_flagged"] == 1 and table.attrs["share"] == pytest.approx(100 / 7)
    # With information and education the only universal strategies, G (training too) stays out;
    # a wider rule flags it.
    wider = widening_risk(_sheets(), rule=RiskRule(strategies=("S1",)))
    assert list(wider["code"]) == ["F", "G"]


def test_empty_portfolio():
    assert math.isnan(strategy_balance([]).loc[0, "share"])
    assert widening_risk([]).attrs["n_flagged"] == 0
