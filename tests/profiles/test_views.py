"""The ISTS profile page and the regional overview: tables cell by cell (counted by hand from the
sample's codings, see ``profiles/sample.py``), checks with their badge and rule, sheets at risk
linked to their page, comparison rows, territory context, and who sees what."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client

from equisante.profiles import building
from profiles.htmltables import read_tables, tables
from profiles.sample import PASSWORD

pytestmark = pytest.mark.django_db

PROFILE = "/profils/CLS-01-VEY/"


def _client(user: str | None = None) -> Client:
    client = Client()
    if user:
        assert client.login(username=user, password=PASSWORD)
    return client


def _page(sample, url: str, user: str | None = None) -> str:
    response = _client(user).get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _text(html: str) -> str:
    """The page as plain text: entities decoded, white space (no-break spaces too) collapsed."""
    return re.sub(r"\s+", " ", unescape(html).replace("\u00a0", " "))


def _as_dict(rows, key=0, values=slice(1, None)):
    return {row[key]: row[values] for row in rows}


# --- the profile -----------------------------------------------------------------------------------------

def test_theme_table_cell_by_cell(sample):
    rows = tables(_page(sample, PROFILE))["profile-themes-table"]
    assert rows[0] == ["Thématique", "Fiches-action", "% des fiches"]
    body = _as_dict(rows[1:])
    # 5 sheets: FA-1 (accès, mentale), FA-2 (nutrition), FA-3 (environnement), FA-4 (accès, nutrition,
    # mentale), FA-5 (none) → shares over the 5 sheets.
    assert body["Accès aux soins"] == ["2", "40,0 %"]
    assert body["Santé mentale"] == ["2", "40,0 %"]
    assert body["Nutrition"] == ["2", "40,0 %"]
    assert body["Santé-environnement"] == ["1", "20,0 %"]
    assert body["Cancer"] == ["0", "0,0 %"]
    assert len(body) == 16 + 1  # the sixteen themes of Figure 1 and the total row
    assert body["Total des mentions"] == ["7", "140,0 %"]


def test_theme_note_counts_sheets_with_several_themes(sample):
    html = _page(sample, PROFILE)
    text = _text(html)
    assert "le total des mentions (7) peut dépasser le nombre de fiches-action (5)" in text
    assert "2 fiches-action (40,0 %) abordent plus d'une thématique (1 en aborde 2, 1 en aborde 3)" in text
    assert "1 fiche-action n'a pas de thématique codée" in text


def test_determinant_strategy_table_cell_by_cell(sample):
    rows = tables(_page(sample, PROFILE))["profile-determinants-table"][1:]
    # (label, n, share) in table order; sub-groups without sheets are left out.
    expected = [
        ("D1 Conditions socio-économiques", "0", "—"),
        ("D2 Conditions de vie", "2", "100,0 %"),             # FA-3 (D2.2.4), FA-4 (D2.1)
        ("S1 Renforcement des capacités individuelles", "0", "0,0 %"),
        ("S2 Renforcement des capacités des communautés", "0", "0,0 %"),
        ("S3 Amélioration des conditions de vie et de travail", "0", "0,0 %"),
        ("S4 Réorientation des services de santé", "1", "50,0 %"),       # FA-4
        ("— S4.2 Intégration des soins et coordination des équipes", "1", "50,0 %"),
        ("S5 Développement stratégique", "1", "50,0 %"),                 # FA-4 (S5.1.2)
        ("— S5.1 Développement/renforcement de partenariats intersectoriels", "1", "50,0 %"),
        ("Non spécifié (NS)", "1", "50,0 %"),                            # FA-3 has no strategy
        ("D3 Environnement social", "1", "100,0 %"),          # FA-1 (D3.3.1)
        ("S1 Renforcement des capacités individuelles", "0", "0,0 %"),
        ("S2 Renforcement des capacités des communautés", "1", "100,0 %"),
        ("— S2.1 Mobilisation des membres de la communauté pour un engagement envers la santé", "1", "100,0 %"),
        ("S3 Amélioration des conditions de vie et de travail", "0", "0,0 %"),
        ("S4 Réorientation des services de santé", "1", "100,0 %"),
        ("— S4.1 Rapprochement et adaptation des services aux populations", "1", "100,0 %"),
        ("S5 Développement stratégique", "0", "0,0 %"),
        ("Non spécifié (NS)", "0", "0,0 %"),
        ("D4 Mode de vie", "1", "100,0 %"),                   # FA-2 (D4.1.5, S1.2)
        ("S1 Renforcement des capacités individuelles", "1", "100,0 %"),
        ("— S1.2 Education à la santé", "1", "100,0 %"),
        ("S2 Renforcement des capacités des communautés", "0", "0,0 %"),
        ("S3 Amélioration des conditions de vie et de travail", "0", "0,0 %"),
        ("S4 Réorientation des services de santé", "0", "0,0 %"),
        ("S5 Développement stratégique", "0", "0,0 %"),
        ("Non spécifié (NS)", "0", "0,0 %"),
        ("D5 Le système de soins", "2", "100,0 %"),           # FA-1 (D5.1.2), FA-4 (D5.4)
        ("S1 Renforcement des capacités individuelles", "0", "0,0 %"),
        ("S2 Renforcement des capacités des communautés", "1", "50,0 %"),
        ("— S2.1 Mobilisation des membres de la communauté pour un engagement envers la santé", "1", "50,0 %"),
        ("S3 Amélioration des conditions de vie et de travail", "0", "0,0 %"),
        ("S4 Réorientation des services de santé", "2", "100,0 %"),
        ("— S4.1 Rapprochement et adaptation des services aux populations", "1", "50,0 %"),
        ("— S4.2 Intégration des soins et coordination des équipes", "1", "50,0 %"),
        ("S5 Développement stratégique", "1", "50,0 %"),
        ("— S5.1 Développement/renforcement de partenariats intersectoriels", "1", "50,0 %"),
        ("Non spécifié (NS)", "0", "0,0 %"),
        ("D6 Contexte économique et politique", "0", "—"),
    ]
    assert [tuple(row) for row in rows] == expected


def test_balance_and_approaches_charts_beside_their_tables(sample):
    html = _page(sample, PROFILE)
    found = tables(html)
    # FA-1: D5 + S4 + groupes défavorisés (rattrapage); FA-4: D5.4 + S4 (nivellement) and D2 + S5 +
    # universalisme proportionné (réduction du gradient); FA-2, FA-3, FA-5: none.
    assert _as_dict(found["profile-balance-table"][1:]) == {
        "Rattrapage": ["1", "20,0 %"], "Nivellement des états de santé": ["1", "20,0 %"],
        "Réduction du gradient": ["1", "20,0 %"], "Non classée": ["3", "60,0 %"]}
    assert _as_dict(found["profile-approaches-table"][1:]) == {
        "Groupes défavorisés": ["1", "20,0 %"], "Universalisme": ["1", "20,0 %"],
        "Universalisme proportionné": ["2", "40,0 %"], "Non renseigné": ["1", "20,0 %"]}
    for figure in ("profile-balance-figure", "profile-approaches-figure"):
        block = html[html.index(f'id="{figure}"'):]
        svg = block[:block.index("</svg>")]
        assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
        assert svg.count('class="eq-chart__bar"') == 4
    assert "Rattrapage : fiche codée avec un déterminant sous D5" in html


def test_sheets_at_risk_link_to_their_sheet(sample):
    html = _page(sample, PROFILE)
    rows = tables(html)["profile-at-risk-table"]
    assert rows[1:] == [["FA-2", "Campagne d'affichage sur l'alimentation", "S1.2 Education à la santé", "universalisme"]]
    assert 'href="/contrats/CLS-01-VEY/fiches/FA-2/"' in html


def test_checks_with_badge_evidence_and_rule(sample):
    html = _page(sample, PROFILE)
    parsed = read_tables(html)
    contract_rows = {row[0]: row for row in parsed.tables["profile-contract-checks"][1:]}
    # ists_objective=True, diagnosis_with_residents=False, 0.5 FTE (< 1), technical committee present,
    # project team not filled.
    assert contract_rows["R1a"][2] == "satisfait"
    assert contract_rows["R8a"][2] == "à renforcer"
    assert contract_rows["R6a"][2] == "à renforcer" and "1 ETP" in contract_rows["R6a"][4]
    assert contract_rows["R6b"][2] == "non renseigné"
    assert contract_rows["B4"][2] == "satisfait"
    portfolio_rows = {row[0]: row for row in parsed.tables["profile-portfolio-checks"][1:]}
    assert portfolio_rows["R0a"][2] == "à renforcer"   # 1 sheet of 5 at risk = 20 % > 10 %
    assert "FA-2" in portfolio_rows["R0a"][3]
    assert portfolio_rows["R5a"][2] == "satisfait"     # each of the three strategies has a sheet
    assert portfolio_rows["R8b"][2] == "satisfait"     # FA-1 codes S2.1 / D3.3.1
    assert re.search(r'<span class="fr-badge fr-badge--sm fr-badge--success">satisfait</span>', html)
    assert re.search(r'<span class="fr-badge fr-badge--sm fr-badge--warning">à renforcer</span>', html)
    assert re.search(r'<span class="fr-badge fr-badge--sm fr-badge--info">non renseigné</span>', html)
    matrix = {row[0]: row for row in parsed.tables["profile-action-checks-table"][1:]}
    assert set(matrix) == {"FA-1", "FA-2", "FA-3", "FA-4", "FA-5"}
    header = parsed.tables["profile-action-checks-table"][0]
    risk = next(i for i, h in enumerate(header) if h.startswith("R0b"))
    assert matrix["FA-2"][risk] == "à renforcer" and matrix["FA-1"][risk] == "satisfait"


def test_comparison_with_the_departement_and_the_region(sample):
    rows = tables(_page(sample, PROFILE))["profile-comparison-classes"]
    assert rows[0][:3] == ["Contrat ou ensemble", "Fiches-action", "D1 Conditions socio-économiques"]
    body = _as_dict(rows[1:])
    d5 = rows[0].index("D5 Le système de soins") - 1
    # public: the two published contracts of Ain (CLS-69-AFF is not published)
    assert set(body) == {"CLS de la Veyle", "CLS d'Ambérieu", "Ensemble du département Ain",
                         "Ensemble des contrats comparés"}
    assert body["CLS de la Veyle"][0] == "5" and body["CLS de la Veyle"][d5] == "40,0 %"
    assert body["CLS d'Ambérieu"][0] == "2" and body["CLS d'Ambérieu"][d5] == "50,0 %"
    assert body["Ensemble du département Ain"][0] == "7" and body["Ensemble du département Ain"][d5] == "42,9 %"
    # the regional administrator compares with every contract: 8 sheets, FA-X is D1
    admin = _as_dict(tables(_page(sample, PROFILE, "admin"))["profile-comparison-classes"][1:])
    assert admin["Ensemble des contrats comparés"][0] == "8"
    assert admin["Ensemble des contrats comparés"][1] == "12,5 %"  # D1: 1 sheet of 8
    assert "CLS d'Affoux" not in admin  # another département: only in the pooled row


def test_selection_and_date_are_stated(sample):
    html = _page(sample, PROFILE)
    text = _text(html)
    assert "CLS de la Veyle (CLS-01-VEY), département Ain (01), CLS de 1re génération." in text
    assert "5 fiches-action : 4 codées sur la grille, dont" in text
    assert "Comparaison avec les contrats publiés de la région : 2 contrats, dont 2 dans le même département." in text
    assert "Édité le" in text and "Dernière modification des données" in text


def test_downloads_are_linked(sample):
    html = _page(sample, PROFILE)
    for fmt in ("pdf", "html", "xlsx"):
        assert f'href="/profils/CLS-01-VEY/?format={fmt}" download' in html


def test_territory_context_when_indices_exist(sample, monkeypatch):
    seen = []

    def fake_indices_for(territory):
        seen.append(territory.code)
        return [{"index": "idh2", "label": "IDH-2", "value": 0.4812, "direction": "plus élevé = plus favorable",
                 "class_label": "Très défavorisé", "eligible": True, "rank": 3, "ranked": 5, "period": "2021",
                 "rule": "IDH-2 < 0,52"}]

    monkeypatch.setattr(building, "_indices_function", lambda: fake_indices_for)
    rows = tables(_page(sample, PROFILE))["profile-context-table"][1:]
    assert set(seen) == {"01001", "01002", "QP001"}  # the perimeter's communes and QPV
    first = next(r for r in rows if r[0].startswith("L'Abergement-Clémenciat"))
    assert first[1:] == ["IDH-2", "0,481", "plus élevé = plus favorable", "Très défavorisé", "3 / 5", "éligible", "2021"]


def test_no_territory_context_without_the_indices_module(sample, monkeypatch):
    def missing(name):
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)

    monkeypatch.setattr(building.importlib, "import_module", missing)
    assert building.territory_context(sample["contracts"]["CLS-01-VEY"]) is None
    assert "profile-context-table" not in _page(sample, PROFILE)


# --- who sees what -------------------------------------------------------------------------------------

def test_unpublished_profile_hidden_from_the_public(sample):
    assert _client().get("/profils/CLS-69-AFF/").status_code == 404
    assert _client("citizen").get("/profils/CLS-69-AFF/").status_code == 404
    assert _client("citizen").get("/profils/CLS-69-AFF/?format=pdf").status_code == 404
    assert _client("coord69").get("/profils/CLS-69-AFF/").status_code == 200
    assert _client("admin").get("/profils/CLS-69-AFF/").status_code == 200
    assert _client().get("/profils/CLS-00-NONE/").status_code == 404


def test_coordinator_compares_with_published_contracts_and_their_own(sample):
    body = _as_dict(tables(_page(sample, "/profils/CLS-69-AFF/", "coord69"))["profile-comparison-classes"][1:])
    assert body["CLS d'Affoux"][0] == "1"
    assert body["Ensemble des contrats comparés"][0] == "8"  # 7 published sheets and their own


# --- the overview ---------------------------------------------------------------------------------------

def test_overview_lists_visible_contracts_with_links(sample):
    html = _page(sample, "/profils/")
    rows = tables(html)["overview-contracts"][1:]
    assert [r[0] for r in rows] == ["CLS d'Ambérieu CLS-01-AMB", "CLS de la Veyle CLS-01-VEY"]
    assert rows[1][1:4] == ["Ain", "CLS de 1re génération", "5"]
    assert 'href="/profils/CLS-01-VEY/"' in html and "CLS-69-AFF" not in html
    admin = tables(_page(sample, "/profils/", "admin"))["overview-contracts"][1:]
    assert len(admin) == 3 and any(r[0].startswith("CLS d'Affoux") for r in admin)


def test_overview_pooled_tables(sample):
    found = tables(_page(sample, "/profils/"))
    themes = _as_dict(found["overview-themes-table"][1:])
    # 7 published sheets: accès aux soins FA-1, FA-4, FA-A; nutrition FA-2, FA-4, FA-B
    assert themes["Accès aux soins"] == ["3", "42,9 %"]
    assert themes["Nutrition"] == ["3", "42,9 %"]
    assert themes["Total des mentions"] == ["9", "128,6 %"]
    balance = _as_dict(found["overview-balance-table"][1:])
    assert balance["Rattrapage"] == ["2", "28,6 %"]  # FA-1, FA-A
    risk = found["overview-at-risk-table"][1:]
    assert sorted((r[0], r[1]) for r in risk) == [("CLS-01-AMB", "FA-B"), ("CLS-01-VEY", "FA-2")]
    comparison = _as_dict(found["overview-comparison-strategies"][1:])
    assert set(comparison) == {"CLS d'Ambérieu", "CLS de la Veyle", "Ensemble du département Ain",
                               "Ensemble des contrats comparés"}


def test_overview_filters(sample):
    found = tables(_page(sample, "/profils/?departement=69", "admin"))
    assert [r[0] for r in found["overview-contracts"][1:]] == ["CLS d'Affoux CLS-69-AFF non publié"]
    assert _as_dict(found["overview-themes-table"][1:])["Autres"] == ["1", "100,0 %"]
    found = tables(_page(sample, "/profils/?generation=2"))
    assert [r[0] for r in found["overview-contracts"][1:]] == ["CLS d'Ambérieu CLS-01-AMB"]
    # a département the person may not see is ignored, not disclosed
    found = tables(_page(sample, "/profils/?departement=69"))
    assert len(found["overview-contracts"][1:]) == 2


def test_navigation_entry(sample):
    html = _page(sample, "/")
    assert 'href="/profils/"' in html and "Profils ISTS" in html


def test_empty_selection_and_contract_without_sheets(db):
    from equisante.contracts.models import Contract

    html = _client().get("/profils/").content.decode()
    assert "Aucun contrat ne correspond à ces filtres." in html
    assert tables(html)["overview-themes-table"][-1] == ["Total des mentions", "0", "—"]
    Contract.objects.create(code="CLS-VIDE", name="CLS sans fiche", published=True)
    found = tables(_page(None, "/profils/CLS-VIDE/"))
    assert found["profile-themes-table"][1] == ["Accès aux soins", "0", "—"]
    assert _client().get("/profils/CLS-VIDE/?format=pdf").status_code == 200
