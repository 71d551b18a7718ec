"""Prioritisation: dated threshold rules with exceptions, and quantile classes."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from equisante.indices import (
    Exemption,
    IndicesInputError,
    Rule,
    eligible,
    quantile_classes,
    rule_in_force,
    threshold_classes,
)

# The ARS Île-de-France rule (DOMAIN §2.6: "IDH-2 < 0.52"), with the early exceptions for towns
# above the mean that had politique de la ville quartiers. The dates and the 2016 version are
# fictional: they only exercise the dating machinery.
EARLY = Rule(
    label="IDH-2 < 0.52",
    column="idh2",
    operator="<",
    threshold=0.52,
    valid_from=date(2010, 1, 1),
    valid_to=date(2015, 12, 31),
    exceptions=(
        ("92004", "quartiers politique de la ville (Asnières-sur-Seine)"),
        Exemption("94028", "quartiers politique de la ville (Créteil)", valid_to="2012-12-31"),
    ),
    source="004 L1845-1846, L1889-1892",
)
LATER = Rule.from_dict({
    "label": "IDH-2 < 0.50", "column": "idh2", "operator": "<", "threshold": 0.50,
    "valid_from": "2016-01-01", "source": "version fictive pour les tests",
})


@pytest.fixture
def towns():
    return pd.DataFrame({
        "code": ["93008", "93072", "92004", "94028", "92063"],
        "idh2": [0.41, 0.51, 0.58, 0.60, np.nan],
    })


def test_rule_in_force_by_date():
    assert rule_in_force([EARLY, LATER], on=date(2014, 2, 17)) is EARLY
    assert rule_in_force([EARLY, LATER], on="2015-12-31") is EARLY  # bounds are inclusive
    assert rule_in_force([EARLY, LATER], on="2016-01-01") is LATER
    with pytest.raises(IndicesInputError) as error:
        rule_in_force([EARLY, LATER], on="2009-06-30")
    assert error.value.code == "indices_rule_not_in_force" and "30 juin 2009" in str(error.value)
    overlapping = Rule("IDH-2 < 0.55", "idh2", "<", 0.55, valid_from="2015-01-01")
    with pytest.raises(IndicesInputError) as error:
        rule_in_force([EARLY, overlapping], on="2015-06-01")
    assert error.value.code == "indices_rules_overlap"


def test_eligibility_with_threshold_and_exceptions(towns):
    out = eligible(towns, [EARLY, LATER], on="2012-06-01", code="code")
    assert out["eligible"].tolist() == [True, True, True, True, pd.NA]
    assert out["eligibility_basis"].tolist() == ["seuil", "seuil", "exception", "exception", "valeur manquante"]
    assert out.loc[0, "eligibility_reason"].startswith("idh2 = 0,41 < 0,52")
    assert "Asnières" in out.loc[2, "eligibility_reason"]
    assert out["eligibility_rule"].unique().tolist() == ["IDH-2 < 0.52"]
    assert out.attrs["rule"]["applied_on"] == "2012-06-01"


def test_dated_exception_lapses(towns):
    out = eligible(towns, [EARLY, LATER], on="2014-02-17", code="code")
    # Créteil's exception ended on 2012-12-31
    assert out.loc[3, "eligible"] == False  # noqa: E712 (nullable boolean)
    assert out.loc[3, "eligibility_basis"] == "seuil non atteint"
    assert "0,6 ≥ 0,52" in out.loc[3, "eligibility_reason"]
    assert out.loc[2, "eligibility_basis"] == "exception"


def test_later_version_applies_its_own_threshold(towns):
    out = eligible(towns, [EARLY, LATER], on="2020-01-01")  # no exceptions in force: code not needed
    assert out["eligible"].tolist() == [True, False, False, False, pd.NA]
    assert out["eligibility_rule"].iloc[0] == "IDH-2 < 0.50"


def test_code_column_is_required_when_exceptions_apply(towns):
    with pytest.raises(IndicesInputError) as error:
        eligible(towns, EARLY, on="2012-01-01")
    assert error.value.code == "indices_argument_required" and "code" in str(error.value)


def test_single_rule_out_of_its_period_is_refused(towns):
    with pytest.raises(IndicesInputError) as error:
        eligible(towns, EARLY, on="2020-01-01", code="code")
    assert error.value.code == "indices_rule_not_in_force"


def test_threshold_classes_in_priority_order(towns):
    rules = [
        Rule("très prioritaire (IDH-2 < 0.45)", None, "<", 0.45),
        Rule("prioritaire (IDH-2 < 0.52)", None, "<", 0.52, exceptions=[("92004", "quartiers politique de la ville")]),
    ]
    out = threshold_classes(towns, "idh2", rules, code="code", on="2024-01-01")
    assert out["class_label"].tolist() == [
        "très prioritaire (IDH-2 < 0.45)", "prioritaire (IDH-2 < 0.52)", "prioritaire (IDH-2 < 0.52)",
        "non prioritaire", pd.NA,
    ]
    assert out["class_rank"].tolist() == [1, 2, 2, 3, pd.NA]
    assert out["class_basis"].tolist() == ["seuil", "seuil", "exception", "seuil non atteint", "valeur manquante"]
    assert "non remplie" in out.loc[3, "class_reason"]


def test_threshold_classes_ignore_rules_not_in_force(towns):
    out = threshold_classes(towns, "idh2", [EARLY, LATER], on="2020-01-01")
    assert out["class_label"].tolist()[:2] == ["IDH-2 < 0.50", "non prioritaire"]


def test_rule_validation():
    with pytest.raises(IndicesInputError, match="opérateur"):
        Rule("x", "idh2", "=<", 0.5)
    with pytest.raises(IndicesInputError, match="seuil"):
        Rule("x", "idh2", "<", "bas")
    with pytest.raises(IndicesInputError, match="AAAA-MM-JJ"):
        Rule("x", "idh2", "<", 0.5, valid_from="01/01/2010")
    with pytest.raises(IndicesInputError, match="précède"):
        Rule("x", "idh2", "<", 0.5, valid_from="2012-01-01", valid_to="2011-01-01")
    with pytest.raises(IndicesInputError, match="deux fois"):
        Rule("x", "idh2", "<", 0.5, exceptions=[("1", "a"), ("1", "b")])
    with pytest.raises(IndicesInputError, match="motif"):
        Rule("x", "idh2", "<", 0.5, exceptions=[("1", "")])
    with pytest.raises(IndicesInputError, match="clé inconnue"):
        Rule.from_dict({"label": "x", "operator": "<", "threshold": 1, "seuil": 2})


# --- quantile classes ---------------------------------------------------------------------------


def test_weighted_quintiles_equal_populations():
    df = pd.DataFrame({"fdep": np.arange(10.0), "population": 100})
    out = quantile_classes(df, "fdep", population="population")
    # higher FDep = more deprived: the two highest values form class 1
    assert out["quantile_class"].tolist() == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]
    assert out["quantile_direction"].iloc[0] == (
        "1 = plus défavorisé (valeurs de fdep les plus élevées) ; 5 = moins défavorisé")
    assert out.attrs["population_share"] == pytest.approx({k: 0.2 for k in range(1, 6)})


def test_weighted_quintiles_follow_population_not_territory_counts():
    # Ordered from the most deprived: a city of 400 then 6 towns of 100 (total 1000).
    df = pd.DataFrame({"fdep": [9.0, 6, 5, 4, 3, 2, 1], "population": [400, 100, 100, 100, 100, 100, 100]})
    out = quantile_classes(df, "fdep", population="population")
    # population cumulated before each: 0, 400, 500, 600, 700, 800, 900 → bands of 200
    assert out["quantile_class"].tolist() == [1, 3, 3, 4, 4, 5, 5]


def test_weighted_quintiles_on_many_territories_hold_a_fifth_of_the_population():
    rng = np.random.default_rng(11)
    df = pd.DataFrame({"fdep": rng.normal(size=5000), "population": rng.lognormal(6, 1, 5000).round()})
    out = quantile_classes(df, "fdep", population="population")
    share = df.groupby(out["quantile_class"])["population"].sum() / df["population"].sum()
    largest = df["population"].max() / df["population"].sum()
    assert np.all(np.abs(share.to_numpy() - 0.2) <= largest)
    # class 1 holds the highest values (most deprived)
    assert out.loc[out["quantile_class"] == 1, "fdep"].min() > out.loc[out["quantile_class"] == 2, "fdep"].max()


def test_favourable_index_puts_lowest_values_in_class_1():
    df = pd.DataFrame({"idh2": [0.3, 0.4, 0.5, 0.6, 0.7], "population": 10})
    out = quantile_classes(df, "idh2", population="population", higher_is_worse=False)
    assert out["quantile_class"].tolist() == [1, 2, 3, 4, 5]
    assert "les plus faibles" in out["quantile_direction"].iloc[0]


def test_ties_share_a_class():
    df = pd.DataFrame({"fdep": [1.0, 1.0, 1.0, 1.0, 2.0], "population": 100})
    out = quantile_classes(df, "fdep", population="population")
    assert out["quantile_class"].tolist() == [2, 2, 2, 2, 1]


def test_weighted_classes_within_groups_and_missing_values():
    df = pd.DataFrame({
        "dep": ["75"] * 5 + ["93"] * 5,
        "fdep": [5.0, 4, 3, 2, 1, 50, 40, np.nan, 20, 10],
        "population": 10,
    })
    out = quantile_classes(df, "fdep", population="population", n=2, by="dep")
    assert out["quantile_class"].tolist() == [1, 1, 1, 2, 2, 1, 1, pd.NA, 2, 2]


def test_phe_method_uses_territory_counts():
    df = pd.DataFrame({"fdep": np.arange(10.0), "population": [1000] + [1] * 9})
    out = quantile_classes(df, "fdep", method="phe")
    assert out["quantile_class"].tolist() == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]
    assert out["quantile_method"].iloc[0].startswith("PHE")
    favourable = quantile_classes(df, "fdep", method="phe", higher_is_worse=False)
    assert favourable["quantile_class"].tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


def test_quantile_class_errors():
    df = pd.DataFrame({"fdep": [1.0, 2.0], "population": [1, -1]})
    with pytest.raises(IndicesInputError) as error:
        quantile_classes(df, "fdep")
    assert error.value.code == "indices_argument_required" and "phe" in str(error.value)
    with pytest.raises(IndicesInputError) as error:
        quantile_classes(df, "fdep", population="population")
    assert error.value.code == "indices_value_negative"
    with pytest.raises(IndicesInputError, match="weighted"):
        quantile_classes(df, "fdep", method="deciles")
    with pytest.raises(IndicesInputError, match="entier"):
        quantile_classes(df, "fdep", n=1)
    with pytest.raises(IndicesInputError) as error:
        quantile_classes(df.assign(population=0), "fdep", population="population")
    assert error.value.code == "indices_weights_zero"


def test_rule_from_configuration_with_dated_exceptions(towns):
    rule = Rule.from_dict({
        "label": "IDH-2 < 0.52", "column": "idh2", "operator": "<", "threshold": "0.52",
        "valid_from": "2010-01-01",
        "exceptions": [{"code": 94028, "reason": "quartiers politique de la ville", "valid_to": "2012-12-31"}],
    })
    assert rule.threshold == 0.52 and rule.exceptions[0].code == "94028"
    assert eligible(towns, rule, on="2012-12-31", code="code").loc[3, "eligibility_basis"] == "exception"
    assert eligible(towns, rule, on="2013-01-01", code="code").loc[3, "eligibility_basis"] == "seuil non atteint"


def test_invalid_date_and_missing_code_column(towns):
    with pytest.raises(IndicesInputError) as error:
        eligible(towns, LATER, on="17/02/2014")
    assert error.value.code == "indices_argument_invalid" and "AAAA-MM-JJ" in str(error.value)
    with pytest.raises(IndicesInputError) as error:
        threshold_classes(towns, "idh2", EARLY, on="2012-01-01")
    assert error.value.code == "indices_argument_required"
    with pytest.raises(IndicesInputError) as error:
        threshold_classes(towns, "autre", EARLY, on="2012-01-01", code="code")
    assert error.value.code == "indices_rule_invalid" and "« idh2 »" in str(error.value)
