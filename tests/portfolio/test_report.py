"""The report object, its workbook, and reading a portfolio from the exchange format."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from equisante import exports
from equisante.actionsheets import ActionSheet, ContractFacts, write_action_sheets
from equisante.errors import InputRejected
from equisante.portfolio import (
    NOT_FILLED, PORTFOLIO, SATISFIED, TABLE_SHEETS, Thresholds, load_actions, portfolio_report, to_xlsx,
)

UP = "universalisme-proportionne"


def _sheets():
    return [
        ActionSheet("CLS-A", "FA-1", title="Permanence d'accès aux droits", publics=("habitants du QPV",),
                    partners=("CPAM",), themes=("acces-aux-soins",), determinants=("D5.1.2",),
                    strategies=("S4.1.1",), approach="groupes-defavorises", partner_sectors=("protection-sociale",)),
        ActionSheet("CLS-A", "FA-2", title="Campagne d'information", themes=("nutrition", "cancer"),
                    determinants=("D4.1.5",), strategies=("S1.1",), approach="universalisme"),
        ActionSheet("CLS-B", "FA-1", title="Habitat indigne", themes=("sante-environnement",),
                    determinants=("D2.2.4",), strategies=("S3.1", "S5.1"), approach=UP,
                    partner_sectors=("logement",)),
    ]


FACTS = [
    ContractFacts("CLS-A", name="CLS de A", departement="93", coordinator_fte=0.5, ists_objective=True),
    ContractFacts("CLS-B", name="CLS de B", departement="93", coordinator_fte=1.0),
    ContractFacts("CLS-C", name="CLS de C", departement="94"),  # no sheet yet
]


def test_report_over_several_contracts():
    report = portfolio_report(_sheets(), FACTS)
    assert report.contract_codes == ["CLS-A", "CLS-B", "CLS-C"]
    assert report.n_actions == 3
    assert report.themes.attrs["n_several_themes"] == 1
    assert report.determinants_strategies.attrs["n_with_determinant"] == 3
    assert list(report.at_risk["code"]) == ["FA-2"]
    assert list(report.balance.set_index("family")["n_actions"]) == [1, 0, 1, 1]
    # Overall checks are portfolio-level when the selection holds several contracts.
    assert report.checks and {r.level for r in report.checks} == {PORTFOLIO}
    assert {r.subject for r in report.checks} == {"ensemble"}
    assert next(r for r in report.checks_by_contract["CLS-A"] if r.id == "R1a").status == SATISFIED
    assert next(r for r in report.checks_by_contract["CLS-C"] if r.id == "R1a").status == NOT_FILLED
    comparison = report.comparison.set_index(["kind", "contract"])
    assert comparison.loc[("contrat", "CLS-A"), "n_actions"] == 2
    assert comparison.loc[("contrat", "CLS-A"), "share_at_risk"] == pytest.approx(50)
    assert comparison.loc[("département", "93"), "n_actions"] == 3
    assert comparison.loc[("ensemble", ""), "share_D2"] == pytest.approx(100 / 3)
    assert comparison.loc[("contrat", "CLS-A"), "n_satisfait"] == report.status_counts("CLS-A")[SATISFIED]


def test_report_over_one_contract_has_its_contract_checks():
    report = portfolio_report([s for s in _sheets() if s.contract == "CLS-A"], [FACTS[0]],
                              thresholds=Thresholds(coordinator_fte=0.5))
    assert report.title == "Profil ISTS du contrat CLS de A"
    assert next(r for r in report.checks if r.id == "R6a").status == SATISFIED
    assert report.checks == report.checks_by_contract["CLS-A"]


def test_workbook_has_every_table():
    report = portfolio_report(_sheets(), FACTS)
    book = load_workbook(io.BytesIO(to_xlsx(report)))
    assert book.sheetnames == [exports.sheet_title(name) for name in TABLE_SHEETS] + ["À propos"]
    themes = list(book["Thématiques"].values)
    assert themes[0] == ("Thématique (code)", "Thématique", "Fiches-action", "Part des fiches")
    # the share as a fraction of one, shown as a percentage with one digit (33,3 %)
    assert themes[1] == ("acces-aux-soins", "Accès aux soins", 1, 0.333)
    assert book["Thématiques"]["D2"].number_format == "0.0 %"
    grid_rows = list(book["Déterminants et stratégies"].values)
    assert grid_rows[0] == ("Déterminant (code)", "Déterminant", "Stratégie (code)", "Stratégie", "Fiches-action",
                            "Part des fiches")
    checks = list(book["Vérifications"].values)
    assert checks[0][:5] == ("Repère", "Intitulé", "Niveau de la vérification", "Objet", "Statut")
    # every contract's checks, then the overall ones
    assert {row[3] for row in checks[1:]} == {"CLS-A", "CLS-B", "CLS-C", "ensemble", "CLS-A/FA-1", "CLS-A/FA-2",
                                              "CLS-B/FA-1"}
    notes = dict(list(book["À propos"].values)[1:])
    assert notes["Seuil : poste de coordination (ETP, au moins)"] == "1"
    assert "plus d'une thématique" in notes["Thématiques"]


def test_load_actions_reads_the_exchange_format(tmp_path):
    path = tmp_path / "portefeuille.xlsx"
    write_action_sheets(_sheets(), path)
    assert load_actions(path) == _sheets()
    bad = tmp_path / "mauvais.csv"
    bad.write_text("contract;code\nC;F\n", encoding="utf-8")
    with pytest.raises(InputRejected):
        load_actions(bad)
