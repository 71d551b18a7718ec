"""The profile and overview as files: the PDF holds the tables' rows, the explanations, the rules of
the checks, the date and the data selection; the HTML report stands alone; the workbook has one
sheet per table with the right cells."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.test import Client

from exports.french import assert_french_ods, assert_french_xlsx
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


def test_profile_and_overview_pdfs_are_accessible_and_name_the_departement(sample):
    from pdfcheck import check_accessible_pdf, stranded_headings

    data = _get("/profils/CLS-01-VEY/?format=pdf").content
    check_accessible_pdf(data, title=["Profil ISTS du contrat CLS de la Veyle", "département Ain (01)"], figures=True)
    assert squash("Profil ISTS du contrat CLS de la Veyle — département Ain (01)") in squash(pdf_text(data))
    overview = _get("/profils/?departement=01&format=pdf").content
    check_accessible_pdf(overview, title=["Profils ISTS des contrats locaux de santé", "département Ain (01)"])
    html = _get("/profils/CLS-01-VEY/?format=html").content.decode()
    assert stranded_headings(html) == []


def test_profile_compares_the_contract_with_its_departement_on_charts(sample):
    import xml.etree.ElementTree as ET

    html = _get("/profils/CLS-01-VEY/?format=html").content.decode()
    svgs = re.findall(r"<svg .*?</svg>", html, re.S)
    dots = [ET.fromstring(svg) for svg in svgs if 'data-chart="dots"' in svg]
    assert len(dots) == 2  # strategies and determinant classes
    ns = "{http://www.w3.org/2000/svg}"
    for chart in dots:
        desc = chart.find(f"{ns}desc").text
        # the text alternative names the contract, its département and the whole set, with their values
        assert "CLS de la Veyle —" in desc and "Ensemble du département Ain —" in desc
        assert "Ensemble des contrats comparés —" in desc and "%" in desc
        series = {g.get("data-series") for g in chart.iter(f"{ns}g") if g.get("data-series")}
        assert series == {"CLS de la Veyle", "Ensemble du département Ain", "Ensemble des contrats comparés"}
    # the tables with the exact values stay beside the charts
    assert 'id="profile-comparison-strategies"' in html and 'id="profile-comparison-classes"' in html


def test_profile_html_report_stands_alone(sample):
    response = _get("/profils/CLS-01-VEY/?format=html")
    assert response["Content-Type"].startswith("text/html")
    assert 'filename="equisante-profil-ists-cls-01-vey-' in response["Content-Disposition"]
    html = response.content.decode()
    assert "<script" not in html and "<link" not in html and 'src="' not in html  # nothing to fetch
    assert html.count("<svg") == 4 and "<style>" in html  # balance, approaches, two comparison charts
    assert "href=" not in html  # no link to pages the file cannot reach
    assert "Profil ISTS du contrat CLS de la Veyle" in html


def test_profile_workbook_has_every_table(sample):
    response = _get("/profils/CLS-01-VEY/?format=xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = assert_french_xlsx(response.content, numeric_headers=("Fiches-action", "Part des fiches"))
    assert book.sheetnames == ["Thématiques", "Déterminants et stratégies", "Trois stratégies", "Approches",
                               "Fiches à risque", "Vérifications", "Comparaison", "À propos"]

    def records(name):
        rows = list(book[name].iter_rows(values_only=True))
        return [dict(zip(rows[0], row)) for row in rows[1:]]

    themes = {r["Thématique (code)"]: r for r in records("Thématiques")}
    assert (themes["acces-aux-soins"]["Thématique"], themes["acces-aux-soins"]["Fiches-action"],
            themes["acces-aux-soins"]["Part des fiches"]) == ("Accès aux soins", 2, 0.4)
    assert book["Thématiques"]["D2"].number_format == "0.0 %" and book["Thématiques"]["C2"].number_format == "#,##0"
    assert themes["sante-environnement"]["Fiches-action"] == 1
    det = {(r["Déterminant (code)"], r["Stratégie (code)"] or ""): r for r in records("Déterminants et stratégies")}
    assert det[("D2", "")]["Fiches-action"] == 2 and det[("D2", "NS")]["Fiches-action"] == 1
    assert det[("D2", "NS")]["Part des fiches"] == 0.5
    assert det[("D5", "S4")]["Fiches-action"] == 2 and det[("D5", "S4.4")]["Fiches-action"] == 0  # every sub-group
    checks = {(r["Repère"], r["Objet"]): r for r in records("Vérifications")}
    assert checks[("R1a", "CLS-01-VEY")]["Statut"] == "satisfait"
    assert checks[("R0b", "CLS-01-VEY/FA-2")]["Statut"] == "à renforcer"
    assert {r["Niveau de la vérification"] for r in checks.values()} <= {"fiche-action", "contrat", "ensemble des contrats"}
    comparison = records("Comparaison")
    assert [(r["Type de ligne"], r["Contrat"]) for r in comparison] == [
        ("contrat", "CLS-01-AMB"), ("contrat", "CLS-01-VEY"), ("département", "01"), ("ensemble", None)]
    assert [r["Fiches-action"] for r in comparison] == [2, 5, 7, 7]
    risk = records("Fiches à risque")
    assert [(r["Contrat"], r["Code"]) for r in risk] == [("CLS-01-VEY", "FA-2")]
    about = {r[0]: r[1] for r in book["À propos"].iter_rows(min_row=2, values_only=True)}
    assert "Île-de-France" in about["Source"] and "004" not in about["Source"]
    assert "CLS de la Veyle" in about["Contenu"]


def test_profile_ods_has_the_same_french_tables(sample):
    response = _get("/profils/CLS-01-VEY/?format=ods")
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    assert re.fullmatch(r'attachment; filename="equisante-profil-ists-cls-01-vey-\d{4}-\d{2}-\d{2}\.ods"',
                        response["Content-Disposition"])
    sheets = assert_french_ods(response.content)
    themes = sheets["Thématiques"].set_index("Thématique (code)")
    assert themes.loc["acces-aux-soins", "Fiches-action"] == 2
    assert themes.loc["acces-aux-soins", "Part des fiches"] == pytest.approx(0.4)


def test_overview_exports_follow_the_filters(sample):
    data = _get("/profils/?departement=01&format=pdf").content
    text = squash(pdf_text(data))
    assert squash("Profils ISTS des contrats locaux de santé") in text
    assert squash("Contrats : les contrats publiés de la région ; département Ain — 2 contrats.") in text
    assert squash("Accès aux soins 3 42,9 %") in text
    book = openpyxl.load_workbook(io.BytesIO(_get("/profils/?generation=2&format=xlsx").content))
    rows = list(book["Comparaison"].iter_rows(values_only=True))
    header = rows[0]
    contracts = [dict(zip(header, r))["Contrat"] for r in rows[1:] if dict(zip(header, r))["Type de ligne"] == "contrat"]
    assert contracts == ["CLS-01-AMB"]
    about = {r[0]: r[1] for r in book["À propos"].iter_rows(min_row=2, values_only=True)}
    assert "génération" in about["Filtres appliqués"].lower() or "2" in about["Filtres appliqués"]
    html = _get("/profils/?format=html", "admin").content.decode()
    assert "CLS d&#x27;Affoux" in html or "CLS d'Affoux" in html  # the administrator's overview holds every contract
