"""Eligibility rules and the statistics of a call (pure)."""

from __future__ import annotations

import pandas as pd
import pytest

from equisante.calls import Rules, call_statistics, check_eligibility

pytestmark = pytest.mark.core


def test_eligible_application_has_no_reason():
    rules = Rules(territories=frozenset({"93"}), promoter_kinds=frozenset({"association"}), min_amount=1000,
                  max_amount=50000)
    assert check_eligibility(rules, territories={"93001", "93"}, promoter_kind="association", amount=20000) == []


def test_each_broken_rule_is_said_in_french():
    rules = Rules(territories=frozenset({"93"}), promoter_kinds=frozenset({"association"}), min_amount=1000,
                  max_amount=50000)
    reasons = check_eligibility(rules, territories={"95001", "95"}, promoter_kind="collectivite", amount=60000)
    assert len(reasons) == 3
    assert "périmètre de l'appel (93)" in reasons[0]
    assert "Collectivité territoriale" in reasons[1] and "Association" in reasons[1]
    assert "60\u202f000 €" in reasons[2] and "plafond" in reasons[2]
    assert "plancher" in check_eligibility(rules, territories={"93"}, promoter_kind="association", amount=10)[0]


def test_no_rule_means_everything_is_eligible():
    assert check_eligibility(Rules(), territories=set(), promoter_kind="autre", amount=0) == []


def test_statistics_by_dimension_and_share_to_the_most_deprived():
    frame = pd.DataFrame({
        "requested": [100.0, 50.0, 30.0, 20.0],
        "granted": [80.0, 0.0, 30.0, None],
        "decision": ["retenu", "refuse", "retenu-sous-conditions", ""],
        "most_deprived": [True, True, False, False],
        "departement": ["93", "93", "95", "95"],
        "promoter_kind": ["association", "collectivite", "association", "association"],
    })
    stats = call_statistics(frame, envelope=200.0, by=("departement", "promoter_kind", "absent"))
    s = stats["summary"]
    assert (s["received"], s["requested"], s["retained"], s["granted"]) == (4, 200.0, 2, 110.0)
    assert s["deprived_granted"] == 80.0 and s["deprived_share_of_envelope"] == 40.0
    assert s["deprived_share_of_granted"] == pytest.approx(100 * 80 / 110)
    by_dep = stats["by"]["departement"].set_index("group")
    assert by_dep.loc["93", "retained"] == 1 and by_dep.loc["95", "granted"] == 30.0
    assert by_dep["granted_share"].sum() == pytest.approx(100.0)
    assert set(stats["by"]) == {"departement", "promoter_kind"}


def test_statistics_with_nothing_granted():
    frame = pd.DataFrame({"requested": [10.0], "decision": ["refuse"]})
    s = call_statistics(frame, envelope=0.0, by=())["summary"]
    assert s["granted"] == 0 and s["deprived_share_of_envelope"] is None and s["deprived_share_of_granted"] is None
