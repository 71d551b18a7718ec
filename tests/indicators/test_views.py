"""Indicator pages: the catalogue, the page of an indicator with its choropleth map, their exports."""

from __future__ import annotations

import html
import io
import json
import re

import pandas as pd
import pytest

from exports.french import read_back
from django.urls import reverse

from portal.sample import SECRET, build_sample

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample(db):
    return build_sample(fictional=True)


def map_data(text: str, map_id: str = "indicator-map") -> dict:
    return json.loads(re.search(rf'<script type="application/json" id="{map_id}-data">(.*?)</script>', text, re.S)[1])


def table_rows(text: str) -> list[tuple[str, str, str]]:
    """(territory, value cell, state cell text) of each row of the values table."""
    body = re.search(r'<table id="values-table">.*?<tbody>(.*?)</tbody>', text, re.S)[1]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        name = html.unescape(re.search(r'<th scope="row"><a [^>]+>([^<]+)</a>', row)[1])
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        state = re.sub(r"<[^>]+>", "", cells[3]).strip()
        rows.append((name, cells[1].strip(), state))
    return rows


# --- catalogue -----------------------------------------------------------------------------------------


def test_catalogue_grouped_by_theme(client, sample, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get(reverse("indicators:list"))
    assert response.status_code == 200
    text = response.content.decode()
    assert text.index(">Mortalité</h2>") < text.index(">Prévention</h2>")
    assert "Indicateurs du thème « Mortalité »" in text  # table captions
    assert "plus élevé = moins bien" in text and "plus élevé = mieux" in text
    assert "Région, Département, Commune" in text
    assert "Données fictives" in text


def test_catalogue_export(client, sample):
    response = client.get(reverse("indicators:list"), {"format": "csv"})
    assert re.search(r'filename="equisante-indicateurs-\d{4}-\d{2}-\d{2}\.csv"', response["Content-Disposition"])
    assert response.content.decode("utf-8-sig").splitlines()[0] == (
        "Code;Libellé;Définition;Source;Unité;Sens de lecture;Multiplicateur;Libellé du numérateur;"
        "Libellé du dénominateur;Thématique (code);Niveaux disponibles")
    table = read_back(response.content)
    assert set(table["code"]) == {"mortalite", "depistage", "deces"}
    xlsx = client.get(reverse("indicators:list"), {"format": "xlsx"})
    assert set(read_back(xlsx.content, "xlsx", sheet="Données")["code"]) == {"mortalite", "depistage", "deces"}


def test_empty_catalogue(client, db):
    text = client.get(reverse("indicators:list")).content.decode()
    assert "Aucun indicateur n’est encore importé" in text


# --- page of an indicator --------------------------------------------------------------------------------


def test_indicator_page_defaults_to_the_finest_level_and_latest_period(client, sample, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = client.get("/indicateurs/mortalite/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Décès toutes causes rapportés à la population." in text
    assert "Source fictive de test" in text
    assert "plus élevé = moins bien" in text
    assert '<option value="commune" selected>' in text
    assert '<option value="2021" selected>' in text
    assert "Mortalité générale — Communes, 2021" in text


def test_choropleth_map_and_legend(client, sample):
    text = client.get("/indicateurs/mortalite/").content.decode()
    data = map_data(text)
    by_code = {f["properties"]["code"]: f["properties"] for f in data["features"]}
    assert set(by_code) == {"01001", "01002", "01003", "69001", "69002"}
    assert by_code["01003"]["state"] == "suppressed" and by_code["01003"]["fill"] == "url(#eq-hatch)"
    assert by_code["01003"]["value"] == ""
    assert by_code["69002"]["state"] == "missing" and by_code["69002"]["fill"] == "#ffffff"
    assert by_code["69001"]["state"] == "unstable" and by_code["69001"]["cls"] is not None
    # adverse: the highest value gets the darkest colour
    assert by_code["69001"]["cls"] > by_code["01002"]["cls"]
    assert by_code["01001"]["value"] == "1\u00a0234,5\u00a0pour 100 000 habitants"
    # the legend: classes with units, then the states shown distinctly
    assert "Légende (unité : pour 100 000 habitants)" in text
    assert "plus de 812,3 à 1\u00a0234,5\u00a0pour 100 000 habitants" in text
    assert "Secret statistique (hachures)" in text
    assert "Valeur fragile (couleur atténuée, contour en tirets)" in text
    assert "Donnée manquante (blanc)" in text
    assert "Plus la couleur est foncée, moins la situation est favorable." in text


def test_favourable_indicator_is_darker_where_lower(client, sample):
    text = client.get("/indicateurs/depistage/").content.decode()
    by_code = {f["properties"]["code"]: f["properties"] for f in map_data(text)["features"]}
    assert by_code["01003"]["cls"] < by_code["01002"]["cls"]  # 28.9 % < 41.2 %
    colours = {p["cls"]: p["fill"] for p in by_code.values() if p["cls"] is not None}
    from equisante.maps.palettes import relative_luminance

    # the lowest participation (least favourable) is the darkest
    assert relative_luminance(colours[min(colours)]) < relative_luminance(colours[max(colours)])
    # communes without a value row are drawn as missing, not left out
    assert by_code["69001"]["state"] == "missing" and by_code["69002"]["state"] == "missing"


def test_jenks_method_and_other_level(client, sample):
    text = client.get("/indicateurs/mortalite/", {"level": "departement", "method": "jenks"}).content.decode()
    assert '<option value="jenks" selected>' in text
    assert {f["properties"]["code"] for f in map_data(text)["features"]} == {"01", "69"}
    assert "Classes par seuils naturels (Jenks)." in text


def test_area_narrows_the_map_and_draws_its_outline(client, sample):
    text = client.get("/indicateurs/mortalite/", {"area": "departement:69"}).content.decode()
    features = map_data(text)["features"]
    assert sorted((f["properties"]["code"], f["properties"]["role"]) for f in features) == [
        ("69", "outline"), ("69001", "value"), ("69002", "value")]
    assert [name for name, _v, _s in table_rows(text)] == ["Affoux", "Œuilly"]
    assert "Communes, 2021, dans Rhône" in text


def test_stratum_selection_applies_confidentiality(client, sample):
    text = client.get("/indicateurs/mortalite/", {"sex": "F"}).content.decode()
    rows = table_rows(text)
    assert rows == [("Saint-Étienne-du-Bois", "—", "Secret statistique (primaire)")]  # 9 deaths: below the threshold
    assert "790" not in text


def test_values_table_states_and_sorting(client, sample):
    text = client.get("/indicateurs/mortalite/", {"sort": "-value"}).content.decode()
    rows = table_rows(text)
    assert [name for name, _v, _s in rows[:3]] == ["Affoux", "L'Abergement-Clémenciat", "Saint-Étienne-du-Bois"]
    # withheld and missing values come last, never ordered by a hidden value
    assert {name for name, _v, _s in rows[3:]} == {"Ambérieu", "Œuilly"}
    states = {name: state for name, _v, state in rows}
    assert states["Ambérieu"] == "Secret statistique (primaire)"
    assert states["Affoux"] == "Valeur fragile"
    assert states["Œuilly"] == "Donnée manquante"
    assert 'aria-sort="descending"' in text
    ascending = table_rows(client.get("/indicateurs/mortalite/", {"sort": "value"}).content.decode())
    assert ascending[0][0] == "Saint-Étienne-du-Bois"


def test_suppressed_numbers_appear_nowhere(client, sample):
    text = client.get("/indicateurs/mortalite/").content.decode()
    flat = text.replace("\u00a0", "").replace(" ", "")
    value, _numerator, lower, upper = SECRET
    for number in (value, lower, upper):
        assert f"{number:.1f}".replace(".", ",") not in flat
        assert f"{number:g}" not in flat


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_values_export(client, sample, fmt):
    response = client.get("/indicateurs/mortalite/", {"format": fmt, "sort": "-value"})
    assert response.status_code == 200
    assert re.search(rf'filename="equisante-mortalite-commune-2021-\d{{4}}-\d{{2}}-\d{{2}}\.{fmt}"',
                     response["Content-Disposition"])
    if fmt == "csv":
        table = read_back(response.content).replace("", None)
        for column in ("value", "lower", "numerator", "upper"):
            table[column] = table[column].astype(float)
    else:
        table = read_back(response.content, "xlsx", sheet="Données")
    # French headers: the columns of the import format, then why a value is withheld
    assert list(table.columns)[:3] == ["indicator", "level", "code"]
    assert {"numerator", "denominator", "value", "lower", "upper", "state", "secret"} <= set(table.columns)
    rows = table.set_index("code")
    assert rows.loc["01001", "value"] == pytest.approx(1234.5)
    assert rows.loc["01001", "lower"] == pytest.approx(1100.0)
    assert rows.loc["69001", "state"] == "unstable"
    secret = rows.loc["01003"]
    assert secret["state"] == "suppressed"
    assert all(pd.isna(secret[c]) for c in ("value", "numerator", "lower", "upper"))
    assert secret["secret"] == "primaire"
    assert SECRET[0] not in set(table["value"].dropna())


def test_geojson_export(client, sample):
    response = client.get("/indicateurs/mortalite/", {"format": "geojson"})
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 5


def test_map_is_skipped_when_too_many_territories(client, sample, monkeypatch):
    from equisante.portal import mapping

    monkeypatch.setattr(mapping, "MAP_MAX_FEATURES", 3)
    text = client.get("/indicateurs/mortalite/").content.decode()
    assert 'id="indicator-map"' not in text
    assert "trop pour une carte (au plus 3)" in text
    assert len(table_rows(text)) == 5  # the table still has every value


def test_unknown_choices_fall_back_to_defaults(client, sample):
    text = client.get("/indicateurs/mortalite/", {"level": "canton", "period": "1900", "method": "x"}).content.decode()
    assert '<option value="commune" selected>' in text and '<option value="2021" selected>' in text


def test_indicator_without_values(client, db):
    from equisante.indicators.models import Indicator

    Indicator.objects.create(code="vide", label="Sans valeur", unit="%")
    response = client.get("/indicateurs/vide/")
    assert response.status_code == 200
    assert "Aucune valeur n’est encore importée" in response.content.decode()


def test_unknown_indicator_is_404(client, db):
    assert client.get("/indicateurs/inconnu/").status_code == 404
