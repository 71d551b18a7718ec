"""Territory pages: search and list, the page of a territory, their exports."""

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


def names_in(response) -> list[str]:
    """Names in the first column of the result table."""
    found = re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', response.content.decode())
    return [html.unescape(name) for name in found]


# --- list and search -----------------------------------------------------------------------------------


def test_list_shows_every_territory_largest_first(client, sample, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get(reverse("territories:list"))
    assert response.status_code == 200
    names = names_in(response)
    assert names[0] == "Région Test"
    assert names[1:3] == ["Ain", "Rhône"]
    assert len(names) == 10
    assert "<caption>" in response.content.decode()


@pytest.mark.parametrize("query", ["saint etienne", "SAINT-ÉTIENNE", "étienne-du", "st-étienne-du-bois"[3:]])
def test_search_ignores_accents_case_and_hyphens(client, sample, query):
    response = client.get(reverse("territories:list"), {"q": query})
    assert names_in(response) == ["Saint-Étienne-du-Bois"]


def test_search_spells_out_ligatures(client, sample):
    assert names_in(client.get(reverse("territories:list"), {"q": "oeuilly"})) == ["Œuilly"]
    assert names_in(client.get(reverse("territories:list"), {"q": "abergement clemenciat"})) == [
        "L'Abergement-Clémenciat"
    ]


def test_search_by_code_puts_the_exact_code_first(client, sample):
    names = names_in(client.get(reverse("territories:list"), {"q": "01"}))
    assert names[0] == "Ain"  # code 01 exactly
    assert set(names) == {"Ain", "L'Abergement-Clémenciat", "Saint-Étienne-du-Bois", "Ambérieu"}


def test_filter_by_level_and_counts_per_level(client, sample):
    response = client.get(reverse("territories:list"), {"q": "a", "level": "departement"})
    assert names_in(response) == ["Ain"]
    text = response.content.decode()
    assert "Communes (4)" in text  # the level select tells how many results each level has


def test_unknown_level_is_ignored(client, sample):
    response = client.get(reverse("territories:list"), {"level": "canton"})
    assert response.status_code == 200
    assert len(names_in(response)) == 10


def test_no_result_says_so(client, sample):
    response = client.get(reverse("territories:list"), {"q": "zzz"})
    assert "Aucun territoire ne correspond à « zzz »" in response.content.decode()


def test_pagination(client, db):
    from equisante.territories.models import Territory

    Territory.objects.bulk_create(
        [Territory(level="commune", code=f"99{i:03d}", name=f"Commune {i:03d}") for i in range(120)]
    )
    first = client.get(reverse("territories:list"))
    assert len(names_in(first)) == 50
    assert "page 1 sur 3" in first.content.decode()
    last = client.get(reverse("territories:list"), {"page": 3})
    assert names_in(last)[-1] == "Commune 119"
    assert len(names_in(last)) == 20
    # a page beyond the last one shows the last one
    assert names_in(client.get(reverse("territories:list"), {"page": 99})) == names_in(last)


def test_list_export_csv_is_the_current_selection(client, sample):
    response = client.get(reverse("territories:list"), {"q": "ain", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    disposition = response["Content-Disposition"]
    assert re.search(r'filename="equisante-territoires-ain-\d{4}-\d{2}-\d{2}\.csv"', disposition)
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header == "Niveau;Code;Nom;Millésime;Niveau du parent;Code du parent;Type de zone"
    table = read_back(response.content)
    assert set(table["name"]) == {"Ain", "Saint-Étienne-du-Bois"} | ({"Rhône"} - {"Rhône"})
    ain = table.set_index("code").loc["01"]
    assert (ain["level"], ain["parent_level"], ain["parent_code"]) == ("departement", "region", "84")


def test_list_export_xlsx(client, sample):
    response = client.get(reverse("territories:list"), {"level": "commune", "format": "xlsx"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    table = read_back(response.content, "xlsx", sheet="Données")
    assert sorted(table["code"]) == ["01001", "01002", "01003", "69001", "69002"]


# --- the page of a territory -----------------------------------------------------------------------------


def test_territory_page(client, sample, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = client.get("/territoires/departement/01/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "<h1" in text and "Ain</h1>" in text
    assert "fictif" in text and "Données fictives" in text
    # breadcrumb through the parents
    assert 'href="/territoires/region/84/">Région Test</a>' in text
    assert "120\u00a0000 habitants (2021)" in text or "120 000 habitants (2021)" in text
    # the map: the communes of the département, with the département's outline
    data = json.loads(re.search(r'<script type="application/json" id="territory-map-data">(.*?)</script>', text, re.S)[1])
    roles = sorted((f["properties"]["code"], f["properties"]["role"]) for f in data["features"])
    assert roles == [("01", "outline"), ("01001", "area"), ("01002", "area"), ("01003", "area")]
    assert data["bbox"] == [4.0, 45.0, 4.2, 45.2]
    # the indicators table: latest period, value with unit, CI, comparison with the parent
    assert "Mortalité générale" in text
    assert "850,0\u00a0pour 100 000 habitants" in text
    assert "820,0 à 880,0" in text
    assert "plus bas, plus favorable" in text  # 900 (région) above the CI 820–880, adverse indicator
    # the attached territories: communes and the EPCI
    assert "Territoires rattachés" in text and "CC de la Veyle" in text


def test_territory_page_shows_states_distinctly_and_hides_secrets(client, sample):
    text = client.get("/territoires/commune/01003/").content.decode()
    assert "Secret statistique" in text
    value, _numerator, lower, upper = SECRET
    for number in (value, lower, upper):
        for written in (f"{number:.1f}".replace(".", ","), f"{number:.2f}".replace(".", ","), f"{number:g}"):
            assert written not in text.replace("\u00a0", "").replace(" ", "")
    unstable = client.get("/territoires/commune/69001/").content.decode()
    assert "Valeur fragile" in unstable and "1\u00a0500,0\u00a0pour 100 000 habitants" in unstable
    missing = client.get("/territoires/commune/69002/").content.decode()
    assert "Donnée manquante" in missing


def test_small_counts_are_withheld(client, sample):
    # « deces » is a count: 3 deaths in 69001 is below the threshold (10) and must not be shown
    text = client.get("/territoires/commune/69001/").content.decode()
    row = re.search(r"Décès</a></th>(.*?)</tr>", text, re.S)[1]
    assert "Secret statistique" in row and "3,0" not in row and ">3<" not in row


def test_membership_and_parent_facts(client, sample):
    text = client.get("/territoires/commune/01002/").content.decode()
    assert 'href="/territoires/epci/200000001/">CC de la Veyle</a>' in text
    assert "Quartier des Tilleuls" in text and "en partie" in text and "25" in text
    assert "2\u00a0345 habitants (2021)" in text


def test_territory_map_without_children_draws_the_territory(client, sample):
    text = client.get("/territoires/commune/01001/").content.decode()
    data = json.loads(re.search(r'id="territory-map-data">(.*?)</script>', text, re.S)[1])
    roles = {f["properties"]["role"] for f in data["features"]}
    assert roles == {"current", "outline"}  # the commune, with its département as context


def test_group_map_draws_its_members(client, sample):
    text = client.get("/territoires/epci/200000001/").content.decode()
    data = json.loads(re.search(r'id="territory-map-data">(.*?)</script>', text, re.S)[1])
    assert sorted(f["properties"]["code"] for f in data["features"]) == ["01001", "01002"]


def test_territory_without_geometry_has_no_map(client, sample):
    text = client.get("/territoires/qpv/QP001/").content.decode()
    assert "la carte n’est pas disponible" in text
    assert 'id="territory-map"' not in text


def test_unknown_territory_is_404(client, sample):
    assert client.get("/territoires/commune/00000/").status_code == 404


def test_indicators_export_of_a_territory(client, sample):
    response = client.get("/territoires/departement/01/", {"format": "csv"})
    assert response.status_code == 200
    assert re.search(r'filename="equisante-01-indicateurs-\d{4}-\d{2}-\d{2}\.csv"', response["Content-Disposition"])
    assert response.content.decode("utf-8-sig").splitlines()[0] == (
        "Indicateur (code);Niveau;Code;Nom;Millésime;Période;Sexe;Classe d'âge;Numérateur;Dénominateur;Valeur;"
        "Borne basse (IC 95 %);Borne haute (IC 95 %);État;Secret")
    table = read_back(response.content)
    row = table.set_index("indicator").loc["mortalite"]
    assert (row["period"], float(row["value"]), row["numerator"], row["state"]) == ("2021", 850.0, "1020", "ok")


def test_exports_never_hold_suppressed_numbers(client, sample):
    for fmt in ("csv", "xlsx"):
        response = client.get("/territoires/commune/01003/", {"format": fmt})
        if fmt == "csv":
            table = read_back(response.content).replace("", None)
            table["denominator"] = table["denominator"].astype(float)
        else:
            table = read_back(response.content, "xlsx", sheet="Données")
        row = table.set_index("indicator").loc["mortalite"]
        assert row["state"] == "suppressed"
        assert all(pd.isna(row[c]) for c in ("value", "numerator", "lower", "upper"))
        assert row["denominator"] == 95
        flat = table.to_csv()
        value, _numerator, lower, upper = SECRET
        for number in (value, lower, upper):
            assert f"{number:g}" not in flat


def test_children_export(client, sample):
    response = client.get("/territoires/departement/01/", {"format": "xlsx", "table": "children"})
    table = read_back(response.content, "xlsx", sheet="Données")
    assert sorted(table["code"]) == ["01001", "01002", "01003", "200000001"]
    assert "territoires-rattaches" in response["Content-Disposition"]


def test_export_links_are_on_the_page(client, sample):
    text = client.get("/territoires/departement/01/").content.decode()
    assert 'href="?format=csv&amp;table=indicators"' in text
    assert 'href="?format=xlsx&amp;table=children"' in text
    assert text.count("Exporter en CSV") == 2


def test_vintage_choice(client, sample):
    from equisante.territories.models import Territory

    Territory.objects.create(level="departement", code="01", name="Ain (ancien)", vintage=2019)
    assert "<h1 class=\"fr-mb-1w\">Ain</h1>" in client.get("/territoires/departement/01/").content.decode()
    old = client.get("/territoires/departement/01/", {"vintage": "2019"}).content.decode()
    assert "Ain (ancien)</h1>" in old
