"""Indices computed from the indicator store: values, periods, weighted means, confidentiality."""

from __future__ import annotations

import math

import pytest

from equisante.errors import EquisanteError
from equisante.indicators.models import Value
from equisante.prioritisation.computing import compute
from equisante.prioritisation.models import IndexResult, IndexValue

from prioritisation.sample import IDH2, INCOME, POPULATION


def values_of(result) -> dict[str, float | None]:
    return {v.territory.code: v.value for v in result.values.select_related("territory")}


def test_idh2_of_communes_from_the_store(data):
    result = compute("idh2", "commune")
    assert result.period == "2021"
    # the census-like inputs of 2021 and the pooled life expectancy of 2019-2021; never the 2020 income
    assert result.input_periods == {"t-esperance-vie": "2019-2021", "t-part-diplomes": "2021", "t-revenu": "2021"}
    got = values_of(result)
    for code, expected in IDH2.items():
        assert got[code] == pytest.approx(expected, abs=1e-12)
    assert result.parameters["bounds"]["income"] == [14000, 30000]
    assert result.parameters["bounds_origin"]["health"] == "observed"
    assert result.computed_at is not None and "IDH-2" in result.method
    c3 = IndexValue.objects.get(result=result, territory__code="C3")
    assert c3.components == pytest.approx({"health": 0.625, "education": 2 / 3, "income": 0.5})
    assert c3.population == POPULATION["C3"]


def test_fdep_sign_and_loadings_from_the_store(data):
    result = compute("fdep", "commune")
    mean = sum(INCOME.values()) / 5
    sd = math.sqrt(sum((v - mean) ** 2 for v in INCOME.values()) / 5)
    got = values_of(result)
    for code, income in INCOME.items():
        # higher = more deprived: the poorest commune has the highest FDep
        assert got[code] == pytest.approx(-2 * (income - mean) / sd, abs=1e-9)
    loadings = result.parameters["loadings"]
    assert loadings["income"] == pytest.approx(-0.5) and loadings["unemployment"] == pytest.approx(0.5)
    assert result.parameters["explained_variance_ratio"] == pytest.approx(1.0)


def test_supra_levels_are_population_weighted_means(data):
    deps = values_of(compute("idh2", "departement"))
    expected_d1 = (IDH2["C1"] * 1000 + IDH2["C2"] * 3000 + IDH2["C3"] * 2000) / 6000
    expected_d2 = (IDH2["C4"] * 4000 + IDH2["C5"] * 1000) / 5000
    assert deps == pytest.approx({"XT1": expected_d1, "XT2": expected_d2})
    region = compute("idh2", "region")
    expected = sum(IDH2[c] * POPULATION[c] for c in IDH2) / sum(POPULATION.values())
    assert values_of(region)["XT"] == pytest.approx(expected)
    assert region.aggregated_from == "commune"
    assert region.parameters["aggregation"]["from_level"] == "commune"
    # overlays: the EPCI and the ZIP zone group C1 and C2; the QPV holds a quarter of C2 only
    assert values_of(compute("idh2", "epci"))["XTE1"] == pytest.approx((0 * 1000 + IDH2["C2"] * 3000) / 4000)
    assert values_of(compute("idh2", "qpv"))["XTQ1"] == pytest.approx(IDH2["C2"])
    qpv = IndexValue.objects.get(result__level="qpv", territory__code="XTQ1")
    assert qpv.population == pytest.approx(750)


def test_recomputing_replaces_the_result(data):
    first = compute("idh2", "commune")
    second = compute("idh2", "commune")
    assert IndexResult.objects.filter(definition__code="idh2", level="commune").count() == 1
    assert second.computed_at >= first.computed_at
    assert IndexValue.objects.filter(result=second).count() == 5


def test_a_period_without_data_is_refused(data):
    # for 2020 there is no life expectancy period ending in 2020 or before (nor a diploma share)
    with pytest.raises(EquisanteError) as caught:
        compute("idh2", "commune", "2020")
    assert caught.value.code == "prioritisation_no_values"
    assert "t-esperance-vie" in caught.value.message


def test_a_withheld_input_gives_no_index(data):
    Value.objects.filter(indicator__code="t-part-diplomes", territory__code="C5").update(state="suppressed")
    result = compute("idh2", "commune")
    got = values_of(result)
    assert got["C5"] is None
    assert result.territories_missing == 1 and result.parameters["withheld_inputs"] == 1
    # the bounds are observed on the four remaining communes: unchanged here (C5 is not an extreme)
    assert got["C3"] == pytest.approx(IDH2["C3"])


def test_unknown_index_level_and_indicator(data):
    from equisante.prioritisation.models import IndexDefinition

    with pytest.raises(EquisanteError, match="Aucun indice n'a le code « nope »"):
        compute("nope", "commune")
    with pytest.raises(EquisanteError) as caught:
        compute("idh2", "canton")
    assert caught.value.code == "prioritisation_level_unknown"
    IndexDefinition.objects.filter(code="fdep").update(inputs={
        "income": "t-revenu", "bac_share": "absent", "blue_collar_share": "t-part-ouvriers",
        "unemployment": "t-chomage"})
    with pytest.raises(EquisanteError) as caught:
        compute("fdep", "commune")
    assert caught.value.code == "prioritisation_indicator_unknown"
    assert "absent" in caught.value.message and "bac_share" in caught.value.message
