"""The profile and overview as files: the PDF holds the tables' rows, the explanations, the rules of
the checks, the date and the data selection; the HTML report stands alone; the workbook has one
sheet per table with the right cells."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.test import Client

from profiles.pdftext import page_count, pdf_text, squash
from profiles.sample import PASSWORD

pytestmark = pytest.mark.django_db


def _get(url: str, user: str | None = None):
    client = Client()
    if user:
        assert client.login(username=user, password=PASSWORD)
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response


def test_profile_pdf_contains_the_tables(sample):
    response = _get("/profils/CLS-01-VEY/?format=pdf")
    assert response["Content-Type"] == "application/pdf"
    assert re.fullmatch(r'attachment; filename="equisante-profil-ists-cls-01-vey-\d{4}-\d{2}-\d{2}\.pdf"',
                        response["Content-Disposition"])
    data = response.content
    assert data.startswith(b"%PDF-") and page_count(data) >= 3
    text = squash(pdf_text(data))
    rows = [
        # theme table (Figure 1) and its total
        "Accèsauxsoins240,0%", "Santémentale240,0%", "Santé-environnement120,0%", "Totaldesmentions7140,0%",
        # determinants × strategies (Figure 2): class totals, strategies, sub-groups, NS
        "D2Conditionsdevie2100,0%", "S4Réorientationdesservicesdesanté150,0%",
        "—S4.2Intégrationdessoinsetcoordinationdeséquipes150,0%", "Nonspécifié(NS)150,0%",
        "D5Lesystèmedesoins2100,0%", "D1Conditionssocio-économiques0—",
        # balance, approaches, sheets at risk
        "Rattrapage120,0%", "Nonclassée360,0%", "Universalismeproportionné240,0%",
        "FA-2Campagned'affichagesurl'alimentation",
    ]
    for row in rows:
        assert squash(row) in text, row
    # what each table means, the rule of each check, the data selection and the date
    for words in ("Combien de fiches-action abordent chaque thématique de santé",
                  "Pour chaque classe de déterminants de la santé",
                  "Un poste de coordination d'au moins 1 ETP",  # rule of R6a
                  "CLS de la Veyle (CLS-01-VEY), département Ain (01)",
                  "Comparaison avec les contrats publiés de la région",
                  "Édité le", "Données fictives"):
        assert squash(words) in text, words
    # the comparison: this contract, its neighbour, the département
    assert squash("CLS d'Ambérieu") in text and squash("Ensemble du département Ain") in text


def test_profile_html_report_stands_alone(sample):
    response = _get("/profils/CLS-01-VEY/?format=html")
    assert response["Content-Type"].startswith("text/html")
    assert 'filename="equisante-profil-ists-cls-01-vey-' in response["Content-Disposition"]
    html = response.content.decode()
    assert "<script" not in html and "<link" not in html and 'src="' not in html  # nothing to fetch
    assert html.count("<svg") == 2 and "<style>" in html
    assert "href=" not in html  # no link to pages the file cannot reach
    assert "Profil ISTS du contrat CLS de la Veyle" in html


def test_profile_workbook_has_every_table(sample):
    response = _get("/profils/CLS-01-VEY/?format=xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["thematiques", "determinants_strategies", "trois_strategies", "approches",
                               "fiches_a_risque", "verifications", "comparaison", "notes"]

    def records(name):
        rows = list(book[name].iter_rows(values_only=True))
        return [dict(zip(rows[0], row)) for row in rows[1:]]

    themes = {r["theme"]: r for r in records("thematiques")}
    assert (themes["acces-aux-soins"]["theme_label"], themes["acces-aux-soins"]["n_actions"],
            themes["acces-aux-soins"]["share"]) == ("Accès aux soins", 2, 40.0)
    assert themes["sante-environnement"]["n_actions"] == 1
    det = {(r["determinant"], r["strategy"] or ""): r for r in records("determinants_strategies")}
    assert det[("D2", "")]["n_actions"] == 2 and det[("D2", "NS")]["n_actions"] == 1
    assert det[("D2", "NS")]["share"] == 50.0
    assert det[("D5", "S4")]["n_actions"] == 2 and det[("D5", "S4.4")]["n_actions"] == 0  # every sub-group
    checks = {(r["id"], r["subject"]): r for r in records("verifications")}
    assert checks[("R1a", "CLS-01-VEY")]["status"] == "satisfait"
    assert checks[("R0b", "CLS-01-VEY/FA-2")]["status"] == "à renforcer"
    comparison = records("comparaison")
    assert [(r["kind"], r["contract"]) for r in comparison] == [
        ("contrat", "CLS-01-AMB"), ("contrat", "CLS-01-VEY"), ("département", "01"), ("ensemble", None)]
    assert [r["n_actions"] for r in comparison] == [2, 5, 7, 7]
    risk = records("fiches_a_risque")
    assert [(r["contract"], r["code"]) for r in risk] == [("CLS-01-VEY", "FA-2")]


def test_overview_exports_follow_the_filters(sample):
    data = _get("/profils/?departement=01&format=pdf").content
    text = squash(pdf_text(data))
    assert squash("Profils ISTS des contrats locaux de santé") in text
    assert squash("Contrats : les contrats publiés de la région ; département Ain — 2 contrat(s).") in text
    assert squash("Accès aux soins 3 42,9 %") in text
    book = openpyxl.load_workbook(io.BytesIO(_get("/profils/?generation=2&format=xlsx").content))
    rows = list(book["comparaison"].iter_rows(values_only=True))
    header = rows[0]
    contracts = [dict(zip(header, r))["contract"] for r in rows[1:] if dict(zip(header, r))["kind"] == "contrat"]
    assert contracts == ["CLS-01-AMB"]
    html = _get("/profils/?format=html", "admin").content.decode()
    assert "CLS d&#x27;Affoux" in html or "CLS d'Affoux" in html  # the administrator's overview holds every contract
