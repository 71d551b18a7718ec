"""The demonstration data of the prioritisation area, on a small generated region."""

from __future__ import annotations

from datetime import date

import pytest

from equisante.prioritisation import demo
from equisante.prioritisation.models import IndexDefinition, IndexResult, IndexValue, PriorityRule
from equisante.prioritisation.results import indices_for


@pytest.fixture
def small_region(db, monkeypatch):
    from equisante.demo import loading
    from equisante.demo.generator import generate_region

    region = generate_region(seed=7, n_departements=2, n_communes=40)
    monkeypatch.setattr(loading, "EXTRA_LOADERS", [])  # the other areas' demo data are not needed here
    loading.load_region(region)
    return region


def test_load_defines_computes_and_classifies(small_region):
    text = demo.load(small_region)
    assert {d.code for d in IndexDefinition.objects.all()} == {"idh2", "fdep", "edi"}
    assert all(d.fictional for d in IndexDefinition.objects.all())
    for code in ("idh2", "fdep", "edi"):
        levels = set(IndexResult.objects.filter(definition__code=code).values_list("level", flat=True))
        assert levels == {"commune", "epci", "departement", "region", "zone"}
    communes = IndexResult.objects.get(definition__code="idh2", level="commune")
    assert communes.territories == 40 and communes.period == str(small_region.reference_year)
    # the region's IDH-2 is the population-weighted mean of its communes
    values = list(IndexValue.objects.filter(result=communes).values_list("value", "population"))
    expected = sum(v * p for v, p in values) / sum(p for _v, p in values)
    region = IndexValue.objects.get(result__definition__code="idh2", result__level="region")
    assert region.value == pytest.approx(expected)
    # EDI is centred on the région's own proportions: the région scores 0
    edi = IndexValue.objects.get(result__definition__code="edi", result__level="region")
    assert edi.value == pytest.approx(0.0, abs=1e-9)

    rule = PriorityRule.objects.get(code="cls-idh2")
    assert (rule.operator, rule.threshold, rule.valid_from, rule.eligibility) == ("<", 0.52, date(2011, 1, 1), True)
    below = IndexValue.objects.filter(result=communes, value__lt=0.52).count()
    assert f"{below} commune" in text and below > 0
    for exception in rule.exceptions.all():
        assert IndexValue.objects.get(result=communes, territory=exception.territory).value >= 0.52
    assert PriorityRule.objects.get(code="fdep-quintiles").quantile_method == "weighted"

    # the portrait API sees the demo indices of a commune
    commune = IndexValue.objects.filter(result=communes, value__lt=0.52).first().territory
    found = {d["index"]: d for d in indices_for(commune)}
    assert found["idh2"]["eligible"] is True and found["idh2"]["rule"].startswith("IDH-2 < 0,52")
    assert found["fdep"]["class_label"].startswith("Classe") or found["fdep"]["value"] is None


def test_clear_and_reload(small_region):
    demo.load(small_region)
    demo.load(small_region)  # loading twice replaces, never duplicates
    assert IndexDefinition.objects.count() == 3
    demo.clear()
    assert not IndexDefinition.objects.exists() and not IndexResult.objects.exists()
    assert not PriorityRule.objects.exists()
