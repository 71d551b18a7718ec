"""Database objects → the pure records of equisante.actionsheets (for the portfolio and profiles)."""

from __future__ import annotations

from equisante.actionsheets import ActionSheet as Record
from equisante.actionsheets import ContractFacts
from equisante.contracts.models import Contract
from equisante.contracts.selection import action_sheets, contract_facts


def test_action_sheets_convert_every_field(registry):
    records = action_sheets(Contract.objects.filter(code="CLS-01-VEY"))
    assert [r.key for r in records] == [("CLS-01-VEY", "FA-1.1"), ("CLS-01-VEY", "FA-1.2"), ("CLS-01-VEY", "FA-2.1")]
    fa11, fa12, fa21 = records
    assert isinstance(fa11, Record)
    assert fa11 == Record(
        contract="CLS-01-VEY", code="FA-1.1", axis="Accès aux soins", title=registry["sheets"]["FA-1.1"].title,
        description=registry["sheets"]["FA-1.1"].description, publics=("Habitants du quartier des Tilleuls",),
        partners=("Centre social des Tilleuls", "CPAM de l'Ain"), themes=("acces-aux-soins",),
        determinants=("D5.1.2",), strategies=("S4.1.5",), approach="groupes-defavorises",
        partner_sectors=("social", "protection-sociale"), objectives="Réduire le non-recours aux droits de santé.",
        quantified_targets=True, ists_contribution=None, resident_participation=None, evaluation_planned=None,
        funding_identified=True, status="en-cours")
    # no objective at all: quantified targets unknown; no funding line: funding unknown
    assert (fa12.quantified_targets, fa12.funding_identified, fa12.approach) == (None, None, None)
    assert fa21.strategies == () and fa21.partners == ("Service communal d'hygiène",)


def test_action_sheets_accept_codes_and_instances(registry):
    by_code = action_sheets(["CLS-69-AFF"])
    by_instance = action_sheets([registry["contracts"]["CLS-69-AFF"]])
    assert by_code == by_instance and [r.code for r in by_code] == ["FA-1"]


def test_contract_facts_derive_governance_facts(registry):
    facts = {f.code: f for f in contract_facts(Contract.objects.all())}
    ain = facts["CLS-01-VEY"]
    assert isinstance(ain, ContractFacts)
    assert (ain.name, ain.departement, ain.generation) == ("CLS de la Veyle", "01", "1")
    assert (ain.ists_objective, ain.diagnosis_with_residents, ain.evaluation_plan) == (True, False, True)
    assert ain.coordinator_fte == 0.8
    assert ain.copil_meetings_per_year == 1  # the meeting 40 days ago; not the one 500 days ago
    assert ain.technical_committee is True
    assert ain.residents_in_copil is True
    assert ain.perimeter_whole_town_with_qpv is True  # 01002 and its QPV QP001
    assert ain.diagnosis_public is None  # not filled in
    rhone = facts["CLS-69-AFF"]
    assert (rhone.coordinator_fte, rhone.copil_meetings_per_year, rhone.technical_committee) == (0.0, None, False)
    assert rhone.residents_in_copil is None and rhone.perimeter_whole_town_with_qpv is False


def test_sheets_come_in_natural_code_order(registry):
    from equisante.contracts import services

    contract = registry["contracts"]["CLS-69-AFF"]
    for code in ("FA-10", "FA-2"):
        services.create_sheet(contract, {"code": code, "title": f"Fiche {code}"})
    assert [r.code for r in action_sheets([contract])] == ["FA-1", "FA-2", "FA-10"]
