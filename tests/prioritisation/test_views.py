"""The page /priorisation/: ranked table, eligibility under the rule in force, map, overlays, exports."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from django.urls import reverse

from equisante.prioritisation import rules
from equisante.prioritisation.computing import compute

from prioritisation.sample import IDH2


@pytest.fixture
def page_data(data):
    idh2 = data["definitions"]["idh2"]
    rules.save_rule(idh2, code="cls-idh2", label="IDH-2 < 0,52", operator="<", threshold=0.52,
                    valid_from="2011-01-01", eligibility=True, primary=True, source="004 L1845-1846",
                    exceptions=[{"code": "C3", "reason": "quartiers politique de la ville"}])
    rules.save_rule(idh2, code="idh2-quintiles", label="Quintiles d'IDH-2", kind="quantile", classes=5,
                    quantile_method="phe")
    for level in ("commune", "departement"):
        compute("idh2", level)
        compute("fdep", level)
    return data


URL = "/priorisation/"


def test_the_url_name_is_in_the_navigation(client, page_data):
    assert reverse("prioritisation:index") == URL
    response = client.get("/")
    assert f'href="{URL}"' in response.content.decode()


def test_default_page_ranks_and_states_the_rule(client, page_data):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    ctx = response.context
    assert ctx["definition"].code == "idh2" and ctx["selection"].level == "commune"
    assert [r["code"] for r in ctx["rows"]] == ["C1", "C2", "C5", "C3", "C4"]
    assert [r["eligible"] for r in ctx["rows"]] == [True, True, True, True, False]
    assert "IDH-2 &lt; 0,52, en vigueur depuis le 2011-01-01" in html
    assert "quartiers politique de la ville" in html
    assert 'id="eligible-list"' in html and "4 territoires éligibles sur 5" in html
    assert "Éligible au CLS" in html and "Prioritaire par exception" in html
    # the value of C3 in French notation
    assert f"{IDH2['C3']:.3f}".replace(".", ",") in html


def test_changing_the_threshold_changes_the_eligible_list(client, page_data):
    response = client.get(URL, {"index": "idh2", "level": "commune", "rule": "cls-idh2", "threshold": "0,35"})
    rows = {r["code"]: r["eligible"] for r in response.context["rows"]}
    assert rows == {"C1": True, "C2": True, "C3": True, "C4": False, "C5": False}
    html = response.content.decode()
    assert "simulation" in html and "3 territoires éligibles sur 5" in html
    response = client.get(URL, {"rule": "cls-idh2", "threshold": "abc"})
    assert "n&#x27;est pas un nombre" in response.content.decode() or "n’est pas un nombre" in response.content.decode() \
        or "n'est pas un nombre" in response.content.decode()


def test_date_before_the_rule(client, page_data):
    response = client.get(URL, {"rule": "cls-idh2", "on": "2005-06-01"})
    html = response.content.decode()
    assert "n&#x27;est en vigueur le 2005-06-01" in html or "n'est en vigueur le 2005-06-01" in html
    assert all(r["eligible"] is None for r in response.context["rows"])


def test_quantile_rule_and_other_index(client, page_data):
    response = client.get(URL, {"index": "idh2", "rule": "idh2-quintiles"})
    assert [r["class_rank"] for r in response.context["rows"]] == [1, 2, 3, 4, 5]
    assert "Éligible au CLS" not in response.content.decode()
    response = client.get(URL, {"index": "fdep", "level": "departement"})
    rows = response.context["rows"]
    assert [r["code"] for r in rows] == ["XT1", "XT2"]  # XT1 is the more deprived (higher FDep)
    assert response.context["classification"].kind == ""


def test_map_by_class_with_overlays(client, page_data):
    response = client.get(URL, {"format": "geojson"})
    assert response["Content-Type"] == "application/geo+json"
    collection = json.loads(response.content)
    values = [f for f in collection["features"] if f["properties"]["role"] == "value"]
    overlays = [f for f in collection["features"] if f["properties"]["role"] == "overlay"]
    assert len(values) == 5
    assert {f["properties"]["overlay"] for f in overlays} == {"qpv", "zip"}
    fills = {f["properties"]["code"]: f["properties"]["fill"] for f in values}
    # one colour per class: the three eligible by threshold share the darkest
    assert fills["C1"] == fills["C2"] == fills["C5"] != fills["C3"] != fills["C4"]
    html = client.get(URL).content.decode()
    assert 'id="prioritisation-map"' in html and "overlays.js" in html
    assert 'id="overlay-qpv"' in html and 'id="overlay-zip"' in html


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export(client, page_data, fmt):
    response = client.get(URL, {"format": fmt, "rule": "cls-idh2", "on": "2014-01-01"})
    assert response.status_code == 200
    assert f".{fmt}" in response["Content-Disposition"]
    if fmt == "csv":
        table = pd.read_csv(io.BytesIO(response.content), encoding="utf-8-sig")
    else:
        table = pd.read_excel(io.BytesIO(response.content), sheet_name="donnees")
        notes = pd.read_excel(io.BytesIO(response.content), sheet_name="notes").set_index("note")["texte"]
        assert "IDH-2 < 0,52" in notes["regle"] and notes["date_d_application"] == "2014-01-01"
    assert list(table.columns)[:4] == ["rank", "level", "code", "name"]
    assert table["code"].tolist() == ["C1", "C2", "C5", "C3", "C4"]
    assert table["eligible"].astype(str).tolist() == ["True", "True", "True", "True", "False"]
    assert table.loc[3, "value"] == pytest.approx(IDH2["C3"])
    assert (table["applied_on"] == "2014-01-01").all()


def test_area_filter(client, page_data):
    response = client.get(URL, {"area": "departement:XT2"})
    assert [r["code"] for r in response.context["rows"]] == ["C5", "C4"]


def test_empty_states(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    assert "Aucun indice n’est encore défini" in response.content.decode()


def test_not_computed_yet(client, data):
    response = client.get(URL, {"index": "fdep"})
    assert "n’a pas encore été calculé" in response.content.decode()
