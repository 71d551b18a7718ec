"""The open-data catalogue: datasets with licence, producer, update date, columns and files in four
formats, regenerated when the data change; a DCAT description."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from equisante.indicators.models import Value

from .helpers import contracts

pytestmark = pytest.mark.django_db


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_catalogue_page_lists_every_dataset_with_its_files(client, sample):
    contracts(sample)
    text = _get(client, "/donnees/").decode()
    for title in ("Territoires", "Mortalité générale", "Participation au dépistage", "Contrats locaux de santé publiés"):
        assert title in text
    assert "Licence Ouverte 2.0" in text and "Parquet" in text and "GeoJSON" in text
    page = _get(client, "/donnees/indicateur-mortalite/").decode()
    assert "Source fictive de test" in page and "<code>lower</code>" in page and "Mise à jour" in page


def test_files_in_four_formats_with_the_same_rows(client, sample):
    csv = pd.read_csv(io.BytesIO(_get(client, "/donnees/indicateur-mortalite/donnees.csv")), dtype={"code": str})
    xlsx = pd.read_excel(io.BytesIO(_get(client, "/donnees/indicateur-mortalite/donnees.xlsx")), dtype={"code": str})
    parquet = pd.read_parquet(io.BytesIO(_get(client, "/donnees/indicateur-mortalite/donnees.parquet")))
    geo = json.loads(_get(client, "/donnees/indicateur-mortalite/donnees.geojson"))
    assert len(csv) == len(xlsx) == len(parquet) == Value.objects.filter(indicator__code="mortalite").count()
    assert list(csv["code"]) == list(parquet["code"]) == list(xlsx["code"])
    assert geo["type"] == "FeatureCollection" and all(f["properties"]["period"] == "2021" for f in geo["features"])
    withheld = parquet[parquet["state"] == "suppressed"]
    assert set(withheld["code"]) >= {"01003"} and withheld["value"].isna().all()
    assert client.get("/donnees/contrats/donnees.geojson").status_code == 404


def test_files_are_regenerated_when_the_data_change(client, sample):
    first = pd.read_csv(io.BytesIO(_get(client, "/donnees/indicateur-mortalite/donnees.csv")), dtype={"code": str})
    Value.objects.filter(indicator__code="mortalite", territory__code="01001", period="2021", sex="").update(
        value=1300.0)
    second = pd.read_csv(io.BytesIO(_get(client, "/donnees/indicateur-mortalite/donnees.csv")), dtype={"code": str})
    pick = lambda t: t[(t["code"] == "01001") & (t["period"] == 2021)]["value"].iloc[0]  # noqa: E731
    assert pick(first) == 1234.5 and pick(second) == 1300.0


def test_dcat_description(client, sample):
    contracts(sample)
    body = json.loads(_get(client, "/donnees/catalogue.json"))
    assert body["@type"] == "dcat:Catalog" and "dcat" in body["@context"]
    codes = {d["dct:identifier"]: d for d in body["dcat:dataset"]}
    assert {"territoires", "indicateur-mortalite", "contrats", "fiches-action"} <= set(codes)
    mortality = codes["indicateur-mortalite"]
    assert "licence-ouverte" in mortality["dct:license"].lower() or "Licence" in mortality["dct:license"]
    formats = {d["dct:format"] for d in mortality["dcat:distribution"]}
    assert formats == {"CSV", "XLSX", "Parquet", "GeoJSON"}
    assert mortality["dct:modified"] and mortality["dct:publisher"]["foaf:name"]
    assert any(c["name"] == "state" for c in mortality["equisante:columns"])
    url = mortality["dcat:distribution"][0]["dcat:downloadURL"].replace("http://testserver", "")
    assert client.get(url).status_code == 200


def test_unpublished_contracts_stay_out_of_open_data(client, sample):
    contracts(sample)
    text = _get(client, "/donnees/fiches-action/donnees.csv").decode("utf-8-sig")
    assert "FA-1.1" in text and "Fiche confidentielle" not in text
    assert "CLS-PRIVE" not in _get(client, "/donnees/contrats/donnees.csv").decode("utf-8-sig")
