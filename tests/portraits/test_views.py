"""Portrait pages and their files: HTML page, standalone report, PDF (text read back through
WeasyPrint's document API), XLSX and CSV tables — with confidentiality on every one of them."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pandas as pd
import pytest
from django.urls import reverse

from equisante.indicators.models import Value
from equisante.portraits import report
from equisante.portraits.portrait import Options, build
from exports.french import assert_french_ods, assert_french_xlsx
from portraits.sample import SMALL

pytestmark = pytest.mark.django_db

#: Distinctive numbers stored on the withheld cells (they must never be published).
SECRET_VALUE, SECRET_LOWER, SECRET_UPPER = 4321.5, 4011.25, 4689.75
SECONDARY_VALUE = 3217.75


def _url(code, **query):
    base = reverse("portraits:detail", args=[code])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _mark_secrets(area):
    """Give the withheld 2021 mortality cells of the EPCI distinctive stored numbers."""
    ind = area["indicators"]["mortalite"]
    t = area["territories"]
    Value.objects.filter(indicator=ind, territory=t[SMALL], period="2021").update(
        value=SECRET_VALUE, lower=SECRET_LOWER, upper=SECRET_UPPER)
    portrait = build(t["200000100"], Options(focus="mortalite", period="2021"))
    secondary = next(c.territory for c in portrait.cells if c.suppression == "secondary")
    Value.objects.filter(indicator=ind, territory_id=secondary.pk, period="2021").update(value=SECONDARY_VALUE)
    return secondary


def _secret_texts():
    texts = []
    for number in (SECRET_VALUE, SECRET_LOWER, SECRET_UPPER, SECONDARY_VALUE):
        texts += [repr(number), f"{number:,.1f}".replace(",", "\u00a0").replace(".", ",")]
    return texts


def _svgs(html: str) -> list[str]:
    return re.findall(r"<svg xmlns=\"http://www.w3.org/2000/svg\".*?</svg>", html, flags=re.S)


def test_index_lists_epci_and_zones_and_searches(client, area):
    page = client.get(reverse("portraits:index"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "CA du Littoral" in text and "Périmètre CLS des Étangs" in text
    found = client.get(reverse("portraits:index") + "?q=commune 0").content.decode()
    assert _url("34001", niveau="commune") in found.replace("&amp;", "&")


def test_portrait_page_of_an_epci(client, area):
    response = client.get(_url("200000100"))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Portrait de CA du Littoral", "Indicateurs clés comparés à Littoral", "Déterminants sociaux de la santé",
                 "Santé", "Gradient social", "IIP (SII)", "entonnoir", "Évolution", "Secret statistique",
                 "entre 1 et 9 (seuil 10)", "sort de l'intervalle", "Indices non calculés"):
        assert text in html or text in html.replace("&#x27;", "'"), text
    # determinants and health side by side, every chart a valid accessible SVG
    assert 'id="cote-determinants"' in html and 'id="cote-health"' in html
    charts = _svgs(html)
    kinds = {ET.fromstring(svg).get("data-chart") for svg in charts}
    assert {"horizontal-bars", "gradient", "funnel", "trend"} <= kinds
    for svg in charts:
        root = ET.fromstring(svg)
        assert root.get("role") == "img" and root.get("aria-labelledby")
    assert 'id="portrait-map"' in html and 'id="sub-table"' in html


def test_changing_the_studied_indicator_and_the_deprivation_measure(client, area):
    html = client.get(_url("200000100", indicateur="depistage", defavorisation="chomage")).content.decode()
    assert "Indicateur étudié : Participation au dépistage du cancer colorectal" in html
    assert '<option value="chomage" selected>' in html
    assert "Taux de chômage des 15-64 ans" in html
    # an unknown code falls back to the default
    html = client.get(_url("200000100", indicateur="nope")).content.decode()
    assert "Indicateur étudié : Taux brut de mortalité toutes causes" in html


def test_portraits_of_a_commune_a_zone_and_a_region(client, area):
    commune = client.get(_url("34001")).content.decode()
    assert "Carte des IRIS" in commune
    zone = client.get(_url("CLS01")).content.decode()
    assert "Périmètre CLS des Étangs" in zone and "Indicateurs clés comparés à Littoral" in zone
    region = client.get(_url("76", niveau="region"))
    assert region.status_code == 200
    iris = client.get(_url("340010101"))
    assert iris.status_code == 200 and "niveau le plus fin" in iris.content.decode()
    assert client.get(_url("99999")).status_code == 404


def test_withheld_numbers_appear_in_no_output(client, area):
    secondary = _mark_secrets(area)
    query = {"indicateur": "mortalite", "periode": "2021"}
    html = client.get(_url("200000100", **query)).content.decode()
    assert "Secret statistique (secondaire)" in html
    assert "valeur est masquée au titre du secret secondaire" in html or "valeurs sont masquées" in html
    outputs = {"page": html,
               "report": client.get(_url("200000100", format="html", **query)).content.decode()}
    for table in report.TABLES:
        outputs[table] = client.get(_url("200000100", format="csv", table=table, **query)).content.decode("utf-8-sig")
    for name, text in outputs.items():
        for secret in _secret_texts():
            assert secret not in text, (name, secret)
    rows = pd.read_csv(io.StringIO(outputs["sous-territoires"]), sep=";", decimal=",",
                       dtype={"Code": str}).set_index("Code")
    assert rows.loc[SMALL, "État"] == "secret statistique" and rows.loc[SMALL, "Secret"] == "secret primaire"
    assert rows.loc[secondary.code, "Secret"] == "secret secondaire" and pd.isna(rows.loc[secondary.code, "Valeur"])
    assert pd.notna(rows.loc[secondary.code, "Dénominateur"])


def test_xlsx_has_every_table_and_the_rules(client, area):
    response = client.get(_url("200000100", format="xlsx"))
    assert response.status_code == 200
    assert re.search(r'filename="equisante-portrait-200000100-\d{4}-\d{2}-\d{2}\.xlsx"', response["Content-Disposition"])
    book = assert_french_xlsx(response.content, numeric_headers=("Valeur", "Numérateur", "Dénominateur"))
    assert book.sheetnames == ["Indicateurs", "Indices", "Sous-territoires", "Quintiles", "Inégalités", "Entonnoir",
                               "Évolution", "À propos"]
    sheets = pd.read_excel(io.BytesIO(response.content), sheet_name=None)
    notes = dict(zip(sheets["À propos"]["Rubrique"], sheets["À propos"]["Texte"]))
    assert "entre 1 et 9" in notes["Secret statistique"] and "intervalle de confiance à 95 %" in notes["Significativité"]
    indicators = sheets["Indicateurs"].set_index("Indicateur (code)")
    assert indicators.loc["chomage", "Territoire de référence"] == "Littoral"
    assert set(indicators["Volet"]) == {"déterminants de santé", "état de santé"}
    assert set(indicators["Sens de lecture"]) <= {"défavorable", "favorable", "neutre"}
    quintiles = sheets["Quintiles"]
    assert list(quintiles["Quintile"]) == [1, 2, 3, 4, 5]
    for sheet in book.worksheets[:-1]:
        header = [c.value for c in sheet[1]]
        for name in ("Valeur", "Numérateur", "Borne basse (IC 95 %)"):
            if name in header:
                column = header.index(name) + 1
                for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                    assert cell.value is None or isinstance(cell.value, (int, float)), (sheet.title, name, cell.value)
                    if isinstance(cell.value, float):
                        assert round(cell.value, 2) == cell.value, (sheet.title, name, cell.value)


def test_ods_of_a_portrait(client, area):
    response = client.get(_url("200000100", format="ods", indicateur="mortalite", periode="2021"))
    assert response.status_code == 200 and response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    sheets = assert_french_ods(response.content)
    about = dict(zip(sheets["À propos"]["Rubrique"], sheets["À propos"]["Texte"]))
    assert "Indicateur : mortalite" in about["Filtres appliqués"] and "Période : 2021" in about["Filtres appliqués"]
    assert "Valeur" in sheets["Sous-territoires"].columns


def test_standalone_html_report(client, area):
    response = client.get(_url("200000100", format="html"))
    assert response["Content-Type"].startswith("text/html")
    assert 'attachment; filename="equisante-portrait-200000100-' in response["Content-Disposition"]
    html = response.content.decode()
    # standalone: styles inline, no script, no external resource
    assert "<style>" in html and "<script" not in html
    assert not re.search(r"<link[^>]+stylesheet", html) and "src=\"http" not in html
    assert "Secret statistique" in html and "Comparaison significative" in html
    kinds = {ET.fromstring(svg).get("data-chart") for svg in _svgs(html)}
    assert {"horizontal-bars", "map", "gradient", "funnel", "trend"} <= kinds


def _pdf_text(html: str) -> tuple[str, int]:
    """Text of the laid-out pages, through WeasyPrint's document API (no PDF reader is installed)."""
    from weasyprint import HTML

    document = HTML(string=html).render()
    parts: list[str] = []

    def walk(box):
        text = getattr(box, "text", None)
        if isinstance(text, str):
            parts.append(text)
        for child in getattr(box, "children", None) or []:
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return " ".join(parts), len(document.pages)


def test_pdf_report(client, area):
    response = client.get(_url("200000100", format="pdf", indicateur="mortalite", periode="2021"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert re.search(r'filename="equisante-portrait-200000100-\d{4}-\d{2}-\d{2}\.pdf"', response["Content-Disposition"])
    portrait = build(area["territories"]["200000100"], Options(focus="mortalite", period="2021"))
    text, pages = _pdf_text(report.html(portrait, pdf=True))
    assert pages >= 2
    for expected in ("Portrait de CA du Littoral", "Indicateurs clés comparés à Littoral", "Taux de chômage des 15-64 ans",
                     "Part des ménages locataires d'un logement social", "par quintile de défavorisation",
                     "Q1 (plus défavorisé)", "Secret statistique", "secret stat. (secondaire)", "Petit-Hameau",
                     "Méthodes et règles"):
        assert expected in text, expected
    # the key table's numbers, in French
    chomage = next(r for r in portrait.key_rows if r.indicator.code == "chomage")
    assert chomage.cell.value_with_unit in text


def test_territory_page_links_to_its_portrait(client, area):
    html = client.get(area["territories"]["200000100"].get_absolute_url()).content.decode()
    assert 'id="portrait-link"' in html and _url("200000100", niveau="epci").replace("&", "&amp;") in html


def test_pdf_report_is_accessible_and_keeps_headings_with_their_content(client, area):
    from pdfcheck import check_accessible_pdf, stranded_headings

    response = client.get(_url("200000100", format="pdf", indicateur="mortalite", periode="2021"))
    check_accessible_pdf(response.content, title=["Portrait de CA du Littoral", "200000100"], figures=True)
    # no heading left at the foot of a page (« Indicateurs clés », « Indicateur étudié », « Gradient social »…)
    portrait = build(area["territories"]["200000100"], Options(focus="mortalite", period="2021"))
    assert stranded_headings(report.html(portrait, pdf=True)) == []


def test_sii_sentence_is_written_once(client, area):
    portrait = build(area["territories"]["200000100"], Options(focus="mortalite", period="2021"))
    assert portrait.gradient is not None and portrait.gradient.computed
    sentence = portrait.sii_text
    assert sentence
    assert report.html(portrait, pdf=True).count(sentence) == 1
    # the page too: once under the chart, not in the chart as well
    from django.utils.html import escape

    page = client.get(_url("200000100", indicateur="mortalite", periode="2021")).content.decode()
    assert page.count(escape(sentence)) == 1
