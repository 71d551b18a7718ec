"""The demonstration contracts: built over the demo territories, deterministic by seed, coded with
valid grid codes, with an account per role; ``clear`` removes them."""

from __future__ import annotations

import pytest

from equisante.contracts import demo
from equisante.contracts import permissions as p
from equisante.contracts.coding import coding_problems
from equisante.contracts.models import ActionSheet, Actor, ChangeRecord, Contract
from equisante.contracts.selection import action_sheets, contract_facts
from equisante.demo.generator import generate_region
from equisante.territories.models import Territory


@pytest.fixture(scope="module")
def region():
    return generate_region(2024, n_departements=3, n_communes=90, with_iris=False)


def _load_territories(region):
    by_code = {}
    rows = region.territories.sort_values("level", key=lambda s: s.map(
        {"region": 0, "departement": 1, "epci": 2, "commune": 3, "qpv": 4, "zone": 5}))
    for level, code, name, parent in zip(rows["level"], rows["code"], rows["name"], rows["parent_code"]):
        by_code[code] = Territory.objects.create(level=level, code=code, name=name, parent=by_code.get(parent),
                                                 vintage=region.vintage, fictional=True)


def _content():
    return [(s.contract.code, s.code, s.title, tuple(s.determinants), tuple(s.strategies), s.approach,
             tuple(s.themes), s.coding_validated_at is not None)
            for s in ActionSheet.objects.select_related("contract").order_by("contract__code", "code")]


def test_demo_contracts(db, region, monkeypatch):
    # the warm-up embeds every validated sheet (tested with the small registry in test_coding)
    monkeypatch.setattr(demo.coding, "warm_up", lambda version="v1": None)
    _load_territories(region)
    summary = demo.load(region)
    contracts = list(Contract.objects.order_by("code"))
    assert 5 <= len(contracts) <= 6 and all(c.fictional for c in contracts)
    assert summary.startswith(f"{len(contracts)} contrats locaux de santé fictifs")
    assert len({c.departement_id for c in contracts}) >= 2
    assert {"prefiguration", "1", "2", "3"} <= {c.generation for c in contracts}
    assert any(not c.published for c in contracts) and any(c.published for c in contracts)
    for contract in contracts:
        n = contract.sheets.count()
        assert 20 <= n <= 40, (contract.code, n)
        assert contract.perimeter.exists() and contract.committees.filter(kind="pilotage").exists()
        assert contract.coordinator_posts.exists() and contract.axes.count() >= 4
    sheets = list(ActionSheet.objects.all())
    for sheet in sheets:
        assert not coding_problems(sheet.grid_version, determinants=sheet.determinants, strategies=sheet.strategies,
                                   approach=sheet.approach, themes=sheet.themes,
                                   partner_sectors=sheet.partner_sectors), sheet
        assert "fictive" in sheet.description
    coded = [s for s in sheets if s.is_coded]
    assert any(not s.strategies for s in coded)  # some sheets without strategy (NS)
    assert any(len(s.themes) > 1 for s in coded)
    assert {s.approach for s in coded} >= {"groupes-defavorises", "universalisme", "universalisme-proportionne", ""}
    assert any(not s.is_coded for s in sheets) and any(s.is_coded and not s.coding_validated for s in sheets)
    assert sum(s.coding_validated for s in sheets) > len(sheets) / 2
    # history: creations and a few later edits by the coordinators
    assert ChangeRecord.objects.filter(action="creation").count() == len(sheets)
    assert ChangeRecord.objects.filter(user__username="demo-coordination").exists()
    # the accounts and their roles
    users = {u.username: u for u in Actor._meta.apps.get_model("auth", "User").objects.filter(
        username__in=list(demo.DEMO_USERS))}
    assert set(users) == set(demo.DEMO_USERS)
    assert users["demo-admin"].check_password(demo.DEMO_PASSWORD)
    first, second = Contract.objects.get(roles__user=users["demo-coordination"]), \
        Contract.objects.get(roles__user=users["demo-coordination-2"])
    assert p.can_edit_contract(users["demo-coordination"], first)
    assert not p.can_edit_contract(users["demo-coordination"], second)
    assert p.can_view_history(users["demo-partenaire"], first) and not p.can_edit_contract(users["demo-partenaire"], first)
    # the pure records for the portfolio
    assert len(action_sheets(Contract.objects.all())) == len(sheets)
    assert len(contract_facts(Contract.objects.all())) == len(contracts)

    # same seed, same contracts and codings
    before = _content()
    demo.load(region)
    assert _content() == before

    demo.clear()
    assert not Contract.objects.exists() and not Actor.objects.filter(fictional=True).exists()
    assert not Actor._meta.apps.get_model("auth", "User").objects.filter(username__in=list(demo.DEMO_USERS)).exists()
