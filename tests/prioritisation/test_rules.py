"""Stored rules: the version in force by date, exceptions, quantile classes, the query API."""

from __future__ import annotations

from datetime import date

import pytest

from equisante.errors import EquisanteError
from equisante.prioritisation import rules
from equisante.prioritisation.classing import classify
from equisante.prioritisation.computing import compute
from equisante.prioritisation.results import indices_for

from prioritisation.sample import IDH2, POPULATION


@pytest.fixture
def cls_rules(data):
    """The ARS rule "IDH-2 < 0.52" from 2011 (C3 admitted by exception until 2015), then a
    hypothetical stricter version "IDH-2 < 0.35" from 2016."""
    idh2 = data["definitions"]["idh2"]
    first = rules.save_rule(
        idh2, code="cls-idh2-2011", label="IDH-2 < 0,52", policy="cls-idh2", operator="<", threshold=0.52,
        valid_from="2011-01-01", valid_to="2015-12-31", eligibility=True, primary=True, source="004 L1845",
        exceptions=[{"code": "C3", "reason": "quartier politique de la ville", "valid_to": "2015-12-31"}])
    second = rules.save_rule(
        idh2, code="cls-idh2-2016", label="IDH-2 < 0,35", policy="cls-idh2", operator="<", threshold=0.35,
        valid_from="2016-01-01", eligibility=True, primary=True)
    return first, second


def by_code(classification):
    return classification.rows.set_index("code")


def test_the_version_in_force_decides(cls_rules):
    result = compute("idh2", "commune")
    first, second = cls_rules
    in_2014 = by_code(classify(result, second, on=date(2014, 2, 17)))
    # 2014: threshold 0.52; C3 (0.597) admitted by exception; C4 (1.0) not eligible
    assert in_2014["eligible"].to_dict() == {"C1": True, "C2": True, "C3": True, "C4": False, "C5": True}
    assert in_2014.loc["C3", "class_label"] == "Prioritaire par exception"
    assert "quartier politique de la ville" in in_2014.loc["C3", "reason"]
    in_2020 = classify(result, first, on=date(2020, 1, 1))
    rows = by_code(in_2020)
    # 2020: threshold 0.35, the exception has ended: C5 (0.361) and C3 are no longer eligible
    assert rows["eligible"].to_dict() == {"C1": True, "C2": True, "C3": False, "C4": False, "C5": False}
    assert in_2020.rule == second and "IDH-2 < 0,35" in in_2020.rule_text
    assert "depuis le 1er janvier 2016" in in_2020.rule_text


def test_before_any_version_the_rule_is_not_in_force(cls_rules):
    classification = classify(compute("idh2", "commune"), cls_rules[0], on=date(2005, 1, 1))
    assert "n'est en vigueur le 1er janvier 2005" in classification.error
    assert classification.rows["eligible"].isna().all()


def test_simulated_threshold(cls_rules):
    classification = classify(compute("idh2", "commune"), cls_rules[1], on=date(2020, 1, 1), threshold=0.6)
    assert classification.simulated and "simulation" in classification.rule_text
    assert by_code(classification)["eligible"].to_dict() == {
        "C1": True, "C2": True, "C3": True, "C4": False, "C5": True}


def test_ranks_go_from_the_most_deprived(cls_rules):
    rows = classify(compute("idh2", "commune"), cls_rules[1], on=date(2020, 1, 1)).rows
    assert rows["code"].tolist() == ["C1", "C2", "C5", "C3", "C4"]  # IDH-2 ascending: lowest first
    assert rows["rank"].tolist() == [1, 2, 3, 4, 5]
    fdep = classify(compute("fdep", "commune"), None).rows
    assert fdep["code"].tolist() == ["C1", "C2", "C5", "C3", "C4"]  # FDep descending: highest first


def test_weighted_quintiles(data):
    rule = rules.save_rule(data["definitions"]["fdep"], code="fdep-quintiles", label="Quintiles de FDep",
                           kind="quantile", classes=5, quantile_method="weighted")
    rows = by_code(classify(compute("fdep", "commune"), rule))
    # most deprived first: C1 (1,000), C2 (3,000), C5 (1,000), C3 (2,000), C4 (4,000) of 11,000 people;
    # population before each: 0, 1000, 4000, 5000, 7000 → bands of 2,200: classes 1, 1, 2, 3, 4
    assert rows["class_rank"].to_dict() == {"C1": 1, "C2": 1, "C5": 2, "C3": 3, "C4": 4}
    assert rows.loc["C1", "class_label"] == "Classe 1 sur 5 (plus défavorisée)"
    assert rows["eligible"].isna().all()  # quantile classes do not decide eligibility
    assert sum(POPULATION.values()) == 11000


def test_phe_quintiles(data):
    rule = rules.save_rule(data["definitions"]["idh2"], code="idh2-phe", label="Quintiles PHE", kind="quantile",
                           classes=5, quantile_method="phe")
    rows = by_code(classify(compute("idh2", "commune"), rule))
    # five territories, five classes of one territory each; class 1 = lowest IDH-2 (most deprived)
    assert rows["class_rank"].to_dict() == {"C1": 1, "C2": 2, "C5": 3, "C3": 4, "C4": 5}


def test_rule_checks(data):
    idh2 = data["definitions"]["idh2"]
    with pytest.raises(EquisanteError, match="opérateur"):
        rules.save_rule(idh2, code="bad", label="x", operator="=", threshold=0.5)
    with pytest.raises(EquisanteError, match="fin de validité précède le début"):
        rules.save_rule(idh2, code="bad", label="x", operator="<", threshold=0.5, valid_from="2016-01-01",
                        valid_to="2011-01-01")
    with pytest.raises(EquisanteError, match="n'est pas une date"):
        rules.save_rule(idh2, code="bad", label="x", operator="<", threshold=0.5, valid_from="2016-13-01")
    with pytest.raises(EquisanteError, match="Aucun territoire de niveau commune n'a le code « C9 »"):
        rules.save_rule(idh2, code="bad", label="x", operator="<", threshold=0.5,
                        exceptions=[{"code": "C9", "reason": "r"}])
    with pytest.raises(EquisanteError, match="nombre de classes"):
        rules.save_rule(idh2, code="bad", label="x", kind="quantile", classes=1)
    from equisante.prioritisation.models import PriorityRule

    assert not PriorityRule.objects.filter(code="bad").exists()


def test_indices_for_a_commune(cls_rules):
    for level in ("commune", "departement"):
        compute("idh2", level)
        compute("fdep", level)
    c3 = cls_rules[0].exceptions.get().territory
    found = {d["index"]: d for d in indices_for(c3, on=date(2014, 6, 1))}
    assert set(found) == {"fdep", "idh2"}
    idh2 = found["idh2"]
    assert idh2["value"] == pytest.approx(IDH2["C3"])
    assert idh2["eligible"] is True and idh2["class_label"] == "Prioritaire par exception"
    assert idh2["rule"].startswith("IDH-2 < 0,52") and idh2["period"] == "2021"
    assert idh2["computed_at"] is not None and idh2["parameters"]["bounds_origin"]["income"] == "observed"
    assert idh2["rank"] == 4 and idh2["ranked"] == 5
    assert {"index", "label", "value", "class_label", "eligible", "rule", "method", "parameters", "period",
            "computed_at"} <= set(idh2)
    # FDep has no rule: no class, eligibility undecided
    assert found["fdep"]["eligible"] is None and found["fdep"]["class_label"] == "" and found["fdep"]["rule"] == ""
    later = {d["index"]: d for d in indices_for(c3, on=date(2020, 6, 1))}
    assert later["idh2"]["eligible"] is False
    dep = indices_for(c3.parent, on=date(2020, 6, 1))
    assert [d["index"] for d in dep] == ["fdep", "idh2"] and dep[1]["level"] == "departement"
    # a département is not a commune: the commune exception does not apply, and its value is known
    assert dep[1]["value"] == pytest.approx((IDH2["C1"] * 1000 + IDH2["C2"] * 3000 + IDH2["C3"] * 2000) / 6000)
    region = c3.parent.parent
    assert indices_for(region) == []  # nothing computed at the regional level


def test_indices_for_follows_edited_exceptions(cls_rules):
    compute("idh2", "commune")
    c4 = cls_rules[0].index.results.get(level="commune").values.get(territory__code="C4").territory
    assert {d["index"]: d for d in indices_for(c4, on=date(2014, 6, 1))}["idh2"]["eligible"] is False
    rules.add_exception(cls_rules[0], c4, "nouvelle exception")
    found = {d["index"]: d for d in indices_for(c4, on=date(2014, 6, 1))}["idh2"]
    assert found["eligible"] is True and "nouvelle exception" in found["reason"]
