"""The page /priorisation/: ranked table, eligibility under the rule in force, map, overlays, exports."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from exports.french import read_back
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
    assert "IDH-2 &lt; 0,52, en vigueur depuis le 1er janvier 2011" in html
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
    assert "n&#x27;est en vigueur le 1er juin 2005" in html or "n'est en vigueur le 1er juin 2005" in html
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
        table = read_back(response.content).rename(columns={"Valeur de l'indice": "value"})
        table["value"] = table["value"].str.replace(",", ".").astype(float)
    else:
        table = read_back(response.content, "xlsx", sheet="Données").rename(columns={"Valeur de l'indice": "value"})
        notes = pd.read_excel(io.BytesIO(response.content), sheet_name="À propos").set_index("Rubrique")["Texte"]
        assert "IDH-2 < 0,52" in notes["Règle"] and "2014-01-01" in notes["Date d'application"]
        table["applied_on"] = pd.to_datetime(table["applied_on"]).dt.strftime("%Y-%m-%d")
        table["eligible"] = table["eligible"].astype(str)
    assert list(table.columns)[:4] == ["rank", "level", "code", "name"]
    assert table["code"].tolist() == ["C1", "C2", "C5", "C3", "C4"]
    assert table["eligible"].astype(str).tolist() == ["True", "True", "True", "True", "False"]
    assert table.loc[3, "value"] == pytest.approx(IDH2["C3"], abs=5e-5)  # four digits in the export
    assert (table["applied_on"].astype(str).str.replace(r"^(\d\d)/(\d\d)/(\d{4})$", r"\3-\2-\1", regex=True)
            == "2014-01-01").all()


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


def test_simulation_lists_who_enters_and_leaves_with_populations(client, page_data):
    # Rule in force: IDH-2 < 0,52 with C3 by exception → C1, C2, C5, C3 eligible: 1 000 + 3 000 + 1 000 +
    # 2 000 = 7 000 of the 11 000 inhabitants (63,6 %). Threshold 0,35: C5 (0,361) leaves → 6 000 (54,5 %).
    response = client.get(URL, {"rule": "cls-idh2", "threshold": "0,35"})
    html = response.content.decode()
    simulation = response.context["simulation"]
    assert [item["code"] for item in simulation["leaving"]] == ["C5"] and simulation["entering"] == []
    assert simulation["leaving"][0]["name"] == "Estaing"
    assert simulation["before"]["territories"] == 4 and simulation["after"]["territories"] == 3
    digits = lambda text: "".join(c for c in text if c.isdigit() or c == ",")  # noqa: E731
    assert digits(simulation["before"]["population"]) == "7000" and digits(simulation["after"]["population"]) == "6000"
    assert digits(simulation["before"]["share"]) == "63,6" and digits(simulation["after"]["share"]) == "54,5"
    assert simulation["after"]["scope"] == "la région Région d'essai"
    # two boxes with clear titles: the rule in force (stored threshold) and the simulation
    assert '<h2 class="fr-callout__title fr-h5">Règle en vigueur</h2>' in html
    assert '<h2 class="fr-callout__title fr-h5">Simulation</h2>' in html
    assert "IDH-2 &lt; 0,52, en vigueur depuis le 1er janvier 2011" in html
    assert "IDH-2 &lt; 0,35 (simulation" in html
    assert 'id="leaving"' in html and "Estaing" in html and "1 territoire n’est plus éligible" in html
    assert "appliquée au" in html and "2011-01-01" not in html
    # a higher threshold: Durfort (C4, IDH-2 = 1) enters with its 4 000 inhabitants; everyone is covered
    simulation = client.get(URL, {"rule": "cls-idh2", "threshold": "1,5"}).context["simulation"]
    assert [item["code"] for item in simulation["entering"]] == ["C4"] and simulation["leaving"] == []
    assert digits(simulation["entering_population"]) == "4000" and digits(simulation["after"]["share"]) == "100,0"


def test_without_simulation_the_coverage_is_stated(client, page_data):
    response = client.get(URL, {"rule": "cls-idh2"})
    assert response.context["simulation"] is None
    html = response.content.decode()
    assert 'id="coverage"' in html and "Simulation</h2>" not in html
    assert "63,6" in html


def test_a_commune_rule_is_not_applied_to_departements(client, page_data):
    response = client.get(URL, {"index": "idh2", "level": "departement", "rule": "cls-idh2"})
    html = response.content.decode().replace("&#x27;", "'")
    assert response.context["classification"].decides_eligibility is False
    assert all(r["eligible"] is None for r in response.context["rows"])
    assert "porte sur les communes : elle ne s'applique pas aux départements" in html
    assert "territoires éligibles sur" not in html and "Éligible au CLS" not in html
    # the ranking is still shown
    assert len(response.context["rows"]) == 2


def test_french_dates_on_the_page(client, page_data):
    html = client.get(URL, {"rule": "cls-idh2", "on": "2024-03-15"}).content.decode()
    assert "appliquée au 15 mars 2024" in html and "depuis le 1er janvier 2011" in html
