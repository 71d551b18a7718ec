"""The demonstration follow-up: two years on two contracts (one validated review, one draft), an
atelier santé ville with its plan, a contrat local de santé mentale."""

from __future__ import annotations

import pytest
from django.utils import timezone

from equisante.contracts import demo as contracts_demo
from equisante.contracts.coding import coding_problems
from equisante.contracts.models import Contract
from equisante.demo.generator import generate_region
from equisante.followup import demo, search
from equisante.followup.models import AnnualReview, IndicatorMeasure, SheetProgress
from equisante.territories.models import Territory


@pytest.fixture(scope="module")
def region():
    return generate_region(2024, n_departements=3, n_communes=90, with_iris=False)


def test_demo_followup(db, region, monkeypatch):
    monkeypatch.setattr(contracts_demo.coding, "warm_up", lambda version="v1": None)
    by_code = {}
    rows = region.territories.sort_values("level", key=lambda s: s.map(
        {"region": 0, "departement": 1, "epci": 2, "commune": 3, "qpv": 4, "zone": 5}))
    for level, code, name, parent in zip(rows["level"], rows["code"], rows["name"], rows["parent_code"]):
        by_code[code] = Territory.objects.create(level=level, code=code, name=name, parent=by_code.get(parent),
                                                 vintage=region.vintage, fictional=True)
    contracts_demo.load(region)
    summary = demo.load(region)
    last = timezone.localdate().year - 1
    assert "validé" in summary and "brouillon" in summary
    statuses = sorted(AnnualReview.objects.filter(year=last).values_list("status", flat=True))
    assert statuses == ["brouillon", "valide"]
    validated = AnnualReview.objects.get(status="valide")
    assert validated.approvals.count() == validated.contract.signatories.count() >= 2
    assert validated.snapshot["indicators"]
    assert set(SheetProgress.objects.values_list("year", flat=True)) == {last - 1, last}
    assert IndicatorMeasure.objects.filter(year=last).count() >= 20
    asv = Contract.objects.get(kind="asv")
    assert asv.local_plan_title.startswith("Plan local de santé publique") and asv.sheets.count() == 6
    clsm = Contract.objects.get(kind="clsm")
    assert clsm.psychiatry_sector and clsm.sheets.count() == 3
    for sheet in list(asv.sheets.all()) + list(clsm.sheets.all()):
        assert not coding_problems("v1", determinants=sheet.determinants, strategies=sheet.strategies,
                                   approach=sheet.approach, themes=sheet.themes, partner_sectors=[])
    assert search.search(filters={"dispositif": "clsm"}).count == 3
    # loading again gives the same (deterministic, no duplicate)
    demo.load(region)
    assert Contract.objects.filter(kind__in=["asv", "clsm"]).count() == 2
