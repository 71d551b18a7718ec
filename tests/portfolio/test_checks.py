"""Each check of the twelve recommendations and of the further checks: satisfied, to strengthen and
not filled in."""

from __future__ import annotations

import pytest

from equisante.actionsheets import ActionSheet, ContractFacts
from equisante.portfolio import (
    ACTION, CHECKS, CONTRACT, NOT_FILLED, PORTFOLIO, SATISFIED, STATUSES, TO_STRENGTHEN, PortfolioError,
    Thresholds, checks_frame, run_checks, run_checks_by_contract, status_counts,
)

GD, U, UP = "groupes-defavorises", "universalisme", "universalisme-proportionne"


def S(code: str, **fields) -> ActionSheet:
    fields.setdefault("title", f"Fiche {code}")
    return ActionSheet("C", code, **fields)


def _result(check_id: str, sheets, facts=None, **thresholds):
    results = [r for r in run_checks(sheets, facts, thresholds=Thresholds(**thresholds)) if r.id == check_id]
    assert len(results) == 1, results
    return results[0]


def _status(check_id: str, sheets, facts=None, **thresholds) -> str:
    return _result(check_id, sheets, facts, **thresholds).status


def test_catalogue_of_checks():
    ids = [c.id for c in CHECKS]
    assert len(ids) == len(set(ids))
    assert {c.level for c in CHECKS} == {CONTRACT, PORTFOLIO, ACTION}
    for number in range(1, 13):  # every one of the twelve recommendations has at least one check
        assert any(c.source.startswith(f"Préconisation {number} ") or f" {number} " in c.source for c in CHECKS), number
    results = run_checks([S("A")], ContractFacts("C"))
    assert {r.status for r in results} <= set(STATUSES)
    assert all(r.title and r.rule and r.evidence and r.source for r in results)


# --- Contract level: facts ----------------------------------------------------------------------

BOOLEAN_FACTS = [
    ("R1a", "ists_objective"), ("R6b", "project_team_pluridisciplinary"), ("R7b", "shared_responsibility_stated"),
    ("R8a", "diagnosis_with_residents"), ("R8c", "residents_in_copil"), ("R9a", "diagnosis_covers_determinants"),
    ("R10a", "other_ars_directions"), ("R11b", "regional_plans_articulated"), ("R12a", "evaluation_plan"),
    ("R12c", "methodological_support"), ("B1", "diagnosis_public"), ("B4", "technical_committee"),
    ("B10", "perimeter_whole_town_with_qpv"),
]


@pytest.mark.parametrize("check_id,field", BOOLEAN_FACTS)
def test_contract_fact_checks(check_id, field):
    assert _status(check_id, [], ContractFacts("C", **{field: True})) == SATISFIED
    assert _status(check_id, [], ContractFacts("C", **{field: False})) == TO_STRENGTHEN
    assert _status(check_id, [], ContractFacts("C")) == NOT_FILLED
    assert _status(check_id, [S("A")], None) == NOT_FILLED
    assert _result(check_id, [], ContractFacts("C")).level == CONTRACT


def test_coordinator_post():
    assert _status("R6a", [], ContractFacts("C", coordinator_fte=1.0)) == SATISFIED
    half = _result("R6a", [], ContractFacts("C", coordinator_fte=0.5))
    assert half.status == TO_STRENGTHEN and half.value == 0.5 and half.threshold == 1.0
    assert _status("R6a", [], ContractFacts("C", coordinator_fte=0.5), coordinator_fte=0.5) == SATISFIED
    none = _result("R6a", [], ContractFacts("C", coordinator_fte=0))
    assert none.status == TO_STRENGTHEN and "Aucun poste" in none.evidence
    assert _status("R6a", [], ContractFacts("C")) == NOT_FILLED


def test_steering_committee_meetings():
    assert _status("B2", [], ContractFacts("C", copil_meetings_per_year=2)) == SATISFIED
    assert _status("B2", [], ContractFacts("C", copil_meetings_per_year=0)) == TO_STRENGTHEN
    assert _status("B2", [], ContractFacts("C", copil_meetings_per_year=1), copil_meetings_per_year=2) == TO_STRENGTHEN
    assert _status("B2", [], ContractFacts("C")) == NOT_FILLED


# --- Portfolio level ----------------------------------------------------------------------------

RISKY = dict(strategies=("S1.1",), approach=U)
SAFE = dict(strategies=("S4.1",), approach=UP)


def test_widening_risk_share():
    risky = _result("R0a", [S("A", **RISKY), S("B", **SAFE)])
    assert risky.status == TO_STRENGTHEN and risky.value == pytest.approx(50) and "A" in risky.evidence
    assert _status("R0a", [S("A", **RISKY)] + [S(f"B{i}", **SAFE) for i in range(10)]) == SATISFIED  # 9.1 %
    assert _status("R0a", [S("A", **RISKY), S("B", **SAFE)], risk_share=50) == SATISFIED
    assert _status("R0a", [S("A", strategies=("S1.1",))]) == NOT_FILLED


def test_widening_risk_per_sheet():
    results = [r for r in run_checks([S("A", **RISKY), S("B", **SAFE), S("C")]) if r.id == "R0b"]
    assert [(r.subject, r.status) for r in results] == [
        ("C/A", TO_STRENGTHEN), ("C/B", SATISFIED), ("C/C", NOT_FILLED)]
    assert all(r.level == ACTION for r in results)


def test_ists_contribution():
    assert _status("R1b", [S("A", ists_contribution=True), S("B", ists_contribution=True)]) == SATISFIED
    assert _status("R1b", [S("A", ists_contribution=True), S("B", ists_contribution=False)]) == TO_STRENGTHEN
    assert _status("R1b", [S("A", ists_contribution=True), S("B")], ists_contribution_share=50) == SATISFIED
    assert _status("R1b", [S("A"), S("B")]) == NOT_FILLED


def test_evidence_agrees_with_the_count_the_french_way():
    one = _result("R1b", [S("A", ists_contribution=True), S("B")])
    assert one.evidence == "1 fiche sur 2 (50,0 %) le dit ; 1 non renseignée."
    two = _result("R1c", [S("A", quantified_targets=True), S("B", quantified_targets=True), S("C"), S("D")])
    assert two.evidence == "2 fiches sur 4 (50,0 %) ont des objectifs chiffrés ; 2 non renseignées."
    none = _result("R2a", [S("A", determinants=("D2.2.4",))])
    assert none.evidence.startswith("0 fiche sur 1 (0,0 %) ne vise que des comportements ; ")
    many = _result("R2c", [S(f"F{i}", strategies=("S2",)) for i in range(10)])
    assert many.evidence == "10 fiches : F0, F1, F2, F3, F4, F5, F6, F7 et 2 autres."
    lone = _result("R2b", [S("A", strategies=("S5.1",), partner_sectors=("sante",))])
    assert lone.evidence == "La fiche S5.1 renseignée n'a que des partenaires du secteur de la santé."
    assert _result("B2", [], ContractFacts("C", copil_meetings_per_year=1)).evidence == \
        "1 réunion du comité de pilotage sur l'année."


def test_quantified_objectives():
    result = _result("R1c", [S("A", quantified_targets=True), S("B", quantified_targets=False)])
    assert result.status == SATISFIED and result.value == pytest.approx(50)
    assert _status("R1c", [S("A", quantified_targets=False), S("B")]) == TO_STRENGTHEN
    assert _status("R1c", [S("A"), S("B")]) == NOT_FILLED


def test_beyond_behaviour():
    assert _status("R2a", [S("A", determinants=("D4.1.2",)), S("B", determinants=("D4.1.5",))]) == TO_STRENGTHEN
    result = _result("R2a", [S("A", determinants=("D4.1.2",)), S("B", determinants=("D2.2.4",))])
    assert result.status == SATISFIED and result.value == pytest.approx(50)
    assert _status("R2a", [S("A", strategies=("S4",))]) == NOT_FILLED


def test_intersectoral_partnership():
    assert _status("R2b", [S("A", strategies=("S5.1.2",), partner_sectors=("sante", "logement"))]) == SATISFIED
    assert _status("R2b", [S("A", strategies=("S5.1",), partner_sectors=("sante",))]) == TO_STRENGTHEN
    assert _status("R2b", [S("A", strategies=("S4.1",), partner_sectors=("logement",))]) == TO_STRENGTHEN
    assert _status("R2b", [S("A", strategies=("S5.1",))]) == NOT_FILLED
    assert _status("R2b", [S("A")]) == NOT_FILLED


def test_empowerment():
    assert _status("R2c", [S("A", strategies=("S2.3",))]) == SATISFIED
    assert _status("R2c", [S("A", determinants=("D3.3.2",))]) == SATISFIED
    assert _status("R2c", [S("A", strategies=("S4.1",))]) == TO_STRENGTHEN
    assert _status("R2c", [S("A")]) == NOT_FILLED


def test_early_childhood():
    assert _status("R3a", [S("A", publics=("enfants de maternelle",))]) == SATISFIED
    assert _status("R3a", [S("A", publics=("futurs parents",))]) == SATISFIED
    assert _status("R3a", [S("A", publics=("personnes âgées isolées",))]) == TO_STRENGTHEN
    assert _status("R3a", [S("A", title="Ateliers pour les enfants")]) == NOT_FILLED  # no public filled in


def test_life_course():
    four = [S("A", publics=("femmes enceintes",)), S("B", publics=("Élèves de CP",)),
            S("C", publics=("Jeunes 16-25 ans",)), S("D", publics=("Personnes âgées",))]
    result = _result("R3b", four)
    assert result.status == SATISFIED and result.value == 4
    assert "Périnatalité" in result.evidence and "Personnes âgées" in result.evidence
    assert _status("R3b", four[:1]) == TO_STRENGTHEN
    assert _status("R3b", four, life_stages=5) == TO_STRENGTHEN
    assert _status("R3b", [S("A")]) == NOT_FILLED


def test_wide_precarity():
    result = _result("R4a", [S("A", publics=("personnes détenues", "demandeurs d'emploi"))])
    assert result.status == SATISFIED and result.value == 2
    single = _result("R4a", [S("A", publics=("familles monoparentales",))])
    assert single.status == TO_STRENGTHEN and "Personnes au chômage" in single.evidence
    assert _status("R4a", [S("A")]) == NOT_FILLED


def test_three_strategies():
    three = [S("A", determinants=("D5.1",), strategies=("S4.1",), approach=GD),
             S("B", determinants=("D4.3.1",), strategies=("S4.2",), approach=U),
             S("C", determinants=("D3.1",), strategies=("S5.1",), approach=UP)]
    assert _status("R5a", three) == SATISFIED
    missing = _result("R5a", three[:2])
    assert missing.status == TO_STRENGTHEN and "Réduction du gradient" in missing.evidence
    assert _status("R5a", [S("A")]) == NOT_FILLED


def test_proportionate_universalism():
    assert _status("R5b", [S("A", approach=UP), S("B", approach=U)]) == SATISFIED
    assert _status("R5b", [S("A", approach=U)]) == TO_STRENGTHEN
    assert _status("R5b", [S("A")]) == NOT_FILLED


def test_training_of_non_health_actors():
    assert _status("R7a", [S("A", strategies=("S5.1.4",))]) == SATISFIED
    assert _status("R7a", [S("A", strategies=("S4.4.2",))]) == TO_STRENGTHEN
    assert _status("R7a", [S("A")]) == NOT_FILLED


def test_participation_in_action_sheets():
    assert _status("R8b", [S("A", resident_participation=True)]) == SATISFIED
    assert _status("R8b", [S("A", strategies=("S2.1",))]) == SATISFIED
    assert _status("R8b", [S("A", determinants=("D3.3.1",))]) == SATISFIED
    result = _result("R8b", [S("A", strategies=("S4.1",))], ContractFacts("C", diagnosis_with_residents=True))
    assert result.status == TO_STRENGTHEN and "diagnostic" in result.evidence
    assert _status("R8b", [S("A", resident_participation=False)]) == TO_STRENGTHEN
    assert _status("R8b", [S("A")]) == NOT_FILLED


def test_social_protection_partners():
    assert _status("R10b", [S("A", partners=("CPAM de Seine-Saint-Denis",))]) == SATISFIED
    assert _status("R10b", [S("A", partner_sectors=("emploi-insertion",))]) == SATISFIED
    assert _status("R10b", [S("A", partners=("Centre hospitalier",), partner_sectors=("sante",))]) == TO_STRENGTHEN
    assert _status("R10b", [S("A")]) == NOT_FILLED


def test_public_policy_levers():
    assert _status("R11a", [S("A", partners=("Éducation nationale",))]) == SATISFIED
    assert _status("R11a", [S("A", partner_sectors=("etat",))]) == SATISFIED
    assert _status("R11a", [S("A", partners=("Centre hospitalier",))]) == TO_STRENGTHEN
    assert _status("R11a", [S("A")]) == NOT_FILLED


def test_impact_assessment():
    assert _status("R12b", [S("A", strategies=("S5.2.4",))]) == SATISFIED
    assert _status("R12b", [S("A", strategies=("S5.2.1",))]) == TO_STRENGTHEN
    assert _status("R12b", [S("A")]) == NOT_FILLED


@pytest.mark.parametrize("check_id,field", [("R12d", "evaluation_planned"), ("B7", "funding_identified")])
def test_action_level_facts(check_id, field):
    sheets = [S("A", **{field: True}), S("B", **{field: False}), S("C")]
    results = [r for r in run_checks(sheets) if r.id == check_id]
    assert [(r.subject, r.status) for r in results] == [
        ("C/A", SATISFIED), ("C/B", TO_STRENGTHEN), ("C/C", NOT_FILLED)]


def test_levers_share():
    levers = [S(f"L{i}", determinants=("D2.2.4",), strategies=("S3.1",)) for i in range(4)]
    assert _status("B16", levers + [S("X", determinants=("D4.1.2",), **RISKY)]) == SATISFIED  # 80 %
    assert _status("B16", levers + [S("X", **RISKY), S("Y", **RISKY)]) == TO_STRENGTHEN     # 66.7 %
    assert _status("B16", [S("A")]) == NOT_FILLED


# --- Running ------------------------------------------------------------------------------------


def test_levels_and_subject():
    results = run_checks([S("A")], levels=(CONTRACT,))
    assert results and {r.level for r in results} == {CONTRACT} and {r.subject for r in results} == {"C"}
    mixed = run_checks([S("A"), ActionSheet("D", "A", title="x")], levels=(PORTFOLIO,))
    assert {r.subject for r in mixed} == {"portefeuille"}


def test_by_contract_and_frames():
    sheets = [S("A", approach=UP), ActionSheet("D", "B", title="x", approach=U)]
    by_contract = run_checks_by_contract(sheets, [ContractFacts("E", ists_objective=True)])
    assert list(by_contract) == ["C", "D", "E"]
    assert next(r for r in by_contract["C"] if r.id == "R5b").status == SATISFIED
    assert next(r for r in by_contract["D"] if r.id == "R5b").status == TO_STRENGTHEN
    assert next(r for r in by_contract["E"] if r.id == "R1a").status == SATISFIED
    frame = checks_frame(by_contract["C"])
    assert list(frame.columns)[:5] == ["id", "title", "level", "subject", "status"]
    assert sum(status_counts(by_contract["C"]).values()) == len(by_contract["C"])


def test_thresholds_are_validated():
    with pytest.raises(PortfolioError) as caught:
        run_checks([S("A")], thresholds=Thresholds(quantified_share=150))
    assert caught.value.code == "portfolio_threshold_invalid"
    with pytest.raises(PortfolioError):
        run_checks([S("A")], thresholds=Thresholds(coordinator_fte=-1))
