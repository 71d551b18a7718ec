"""Anonymous API, public pages and CSV exports give the same values and the same withheld cells."""

from __future__ import annotations

import json

import pytest

from exports.french import read_back
from portal.sample import SECRET

from equisante import exports

from .helpers import read_csv

pytestmark = pytest.mark.django_db

KEY = ("code", "period", "sex", "age_band")
NUMBERS = ("numerator", "denominator", "value", "lower", "upper")


def _number(text):
    return None if text in ("", None) else float(text)


def _by_key(rows):
    return {tuple(r[k] for k in KEY): r for r in rows}


def read_page_csv(content: bytes) -> list[dict]:
    """The page's French CSV (« ; », decimal comma, French headers and states) under the API's codes."""
    text = content.decode("utf-8-sig")
    assert text.split("\n", 1)[0].startswith("Indicateur (code);Niveau;Code;Nom"), text[:200]
    return read_back(content).to_dict("records")


def _shown(number, column):
    """What the page shows of an API number: rounded to the digits of the column (documented rounding)."""
    digits = exports.COLUMNS[column].digits
    return None if number is None else (float(round(number)) if exports.COLUMNS[column].kind == exports.INTEGER
                                        else round(number, digits))


@pytest.mark.parametrize("indicator,level,period", [("mortalite", "commune", "2021"), ("deces", "commune", "2021"),
                                                    ("mortalite", "departement", "2021")])
def test_api_json_api_csv_and_page_export_agree(client, sample, indicator, level, period):
    page = read_page_csv(client.get(f"/indicateurs/{indicator}/", {"level": level, "period": period,
                                                                   "format": "csv"}).content)
    api_csv = read_csv(client.get(f"/api/indicateurs/{indicator}/valeurs", {
        "level": level, "period": period, "sex": "ensemble", "age_band": "tous", "format": "csv"}).content)
    api_json = client.get(f"/api/indicateurs/{indicator}/valeurs", {
        "level": level, "period": period, "sex": "ensemble", "age_band": "tous"}).json()["results"]
    assert page, "la page doit exporter des valeurs"
    assert set(_by_key(page)) == set(_by_key(api_csv)) == {tuple(r[k] for k in KEY) for r in api_json}
    page_rows, csv_rows = _by_key(page), _by_key(api_csv)
    for row in api_json:
        key = tuple(row[k] for k in KEY)
        for column in NUMBERS:
            assert _number(csv_rows[key][column]) == row[column], (key, column)
            assert _number(page_rows[key][column]) == _shown(row[column], column), (key, column)
        assert page_rows[key]["state"] == csv_rows[key]["state"] == row["state"]
        assert page_rows[key].get("secret", "") == csv_rows[key].get("secret", "") == row["secret"]
        assert row["withheld"] == (row["state"] == "suppressed")


def test_the_same_cells_are_withheld_everywhere(client, sample):
    api = client.get("/api/indicateurs/mortalite/valeurs", {"level": "commune", "period": "2021",
                                                             "sex": "ensemble"}).json()["results"]
    withheld_api = {r["code"] for r in api if r["withheld"]}
    women = client.get("/api/indicateurs/mortalite/valeurs", {"territory": "commune:01002", "period": "2021",
                                                               "sex": "F"}).json()["results"]
    assert [r["withheld"] for r in women] == [True]  # 9 deaths among women: a small count
    page_html = client.get("/indicateurs/mortalite/", {"level": "commune", "period": "2021"}).content.decode()
    page_csv = read_page_csv(client.get("/indicateurs/mortalite/", {"level": "commune", "period": "2021",
                                                                    "format": "csv"}).content)
    withheld_csv = {r["code"] for r in page_csv if r["state"] == "suppressed"}
    assert "01003" in withheld_api  # the suppressed commune of the sample
    assert withheld_api == withheld_csv
    assert "Secret statistique" in page_html
    # the stored numbers of a withheld value never leave the server, in any representation
    for url in ("/api/indicateurs/mortalite/valeurs?level=commune",
                "/api/indicateurs/mortalite/valeurs?level=commune&format=csv",
                "/api/indicateurs/mortalite/valeurs?level=commune&format=geojson"):
        body = client.get(url).content.decode("utf-8-sig")
        if "geojson" in url:  # coordinates hold numbers like 4.0: look at the properties only
            body = str([f["properties"] for f in json.loads(body)["features"]])
        for secret in SECRET:
            assert str(secret) not in body, (url, secret)


def test_a_small_count_is_withheld_by_the_api_as_on_the_page(client, sample):
    api = client.get("/api/indicateurs/deces/valeurs", {"territory": "commune:69001"}).json()["results"]
    assert [r["state"] for r in api] == ["suppressed"] and api[0]["value"] is None
    page = read_page_csv(client.get("/indicateurs/deces/", {"level": "commune", "format": "csv"}).content)
    assert {r["code"]: r["state"] for r in page}["69001"] == "suppressed"


def test_open_data_file_has_the_api_values(client, sample):
    import io

    import pandas as pd

    api = read_csv(client.get("/api/indicateurs/mortalite/valeurs?format=csv&limit=50000").content)
    response = client.get("/donnees/indicateur-mortalite/donnees.parquet")
    table = pd.read_parquet(io.BytesIO(b"".join(response.streaming_content)))
    assert len(table) == len(api)
    by_key = {(r["level"], r["code"], r["period"], r["sex"]): r for r in api}
    for row in table.to_dict("records"):
        theirs = by_key[(row["level"], row["code"], row["period"], row["sex"] or "")]
        assert row["state"] == theirs["state"]
        value = None if pd.isna(row["value"]) else float(row["value"])
        assert value == _number(theirs["value"])
