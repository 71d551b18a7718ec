"""Finding one's way: the menu by role, the home page and the dashboards, the site search, the contracts'
search, previous / next between sheets, the portrait of a contract's perimeter, the footer's pages,
history pagination and the icons."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from contracts.sample import PASSWORD, build_registry
from portal.sample import SECRET

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_registry()


def login(client, username):
    assert client.login(username=username, password=PASSWORD)
    return client


def menu_labels(text: str) -> set[str]:
    nav = text[text.index('id="navigation"'):text.index("</nav>", text.index('id="navigation"'))]
    return set(re.findall(r'class="fr-nav__link" href="[^"]*"(?: aria-current="page")?>([^<]+)</a>', nav))


# --- menu -----------------------------------------------------------------------------------------------------

def test_visitor_menu_leads_to_every_public_area_and_hides_the_others(client, registry):
    text = client.get("/").content.decode()
    labels = menu_labels(text)
    for label in ("Territoires", "Indicateurs", "Portraits de territoire", "Priorisation", "Contrats locaux de santé",
                  "Profils ISTS", "Bilans annuels", "Appels à projets", "Base des actions", "Données ouvertes", "API"):
        assert label in labels, label
    for hidden in ("Allocation des ressources", "Annuaire des acteurs", "Mes travaux", "Corbeille", "Comptes et rôles",
                   "Tableau de bord"):
        assert hidden not in labels, hidden
    # grouped as DSFR sub-menus
    assert 'class="fr-nav__btn"' in text and 'aria-controls="menu-observer"' in text
    # every menu address answers the visitor (no link to a page they cannot open)
    for url in re.findall(r'class="fr-nav__link" href="([^"]+)"', text):
        assert client.get(url).status_code == 200, url


def test_menu_by_role(client, registry):
    login(client, "coord01")
    labels = menu_labels(client.get("/").content.decode())
    assert {"Tableau de bord", "Mes travaux", "Annuaire des acteurs", "Allocation des ressources",
            "Importer des données"} <= labels
    assert "Corbeille" not in labels and "Comptes et rôles" not in labels
    client.logout()
    login(client, "admin")
    text = client.get("/contrats/corbeille/").content.decode()
    assert {"Corbeille", "Comptes et rôles"} <= menu_labels(text)
    assert 'href="/contrats/corbeille/" aria-current="page"' in text
    assert 'aria-controls="menu-espace" aria-current="true"' in text


def test_citizen_without_role_sees_no_import_entry(client, registry):
    login(client, "citizen")
    labels = menu_labels(client.get("/").content.decode())
    assert "Importer des données" not in labels and "Tableau de bord" in labels


# --- home page and dashboards ------------------------------------------------------------------------------------

def test_home_for_a_visitor_offers_every_area_and_the_site_search(client, registry):
    text = client.get("/").content.decode()
    assert 'action="/recherche/"' in text
    for url in ("/portraits/", "/priorisation/", "/profils/", "/contrats/", "/actions/", "/appels/", "/donnees/"):
        assert f'href="{url}"' in text, url
    assert "Bonjour" not in text


def test_dashboard_of_a_coordinator(client, registry):
    from equisante.contracts.models import SuggestionRecord

    SuggestionRecord.objects.create(sheet=registry["sheets"]["FA-1.2"], family="themes", node_id="sante-bucco-dentaire",
                                    score=0.8, grid_version="v1", text_hash="x")
    login(client, "coord01")
    for url in ("/", "/tableau-de-bord/"):
        text = client.get(url).content.decode()
        assert "Mes contrats" in text and "CLS de la Veyle" in text
        assert "CLS d&#x27;Affoux" not in text and "CLS d'Affoux" not in text
        assert "Fiches à coder" in text and "Dépistage bucco-dentaire dans les écoles maternelles" in text
        assert "/contrats/CLS-01-VEY/fiches/FA-1.2/codage/" in text
        assert "Suggestions en attente" in text and "1 suggestion" in text
        assert "Bilans annuels" in text and "/contrats/CLS-01-VEY/bilan/" in text
        assert "Mes derniers travaux" in text
        assert "Appels à projets en cours" not in text and "Corbeille" not in text.split('id="footer"')[0].split(
            'id="navigation"')[-1].split("</nav>")[-1]


def test_dashboard_of_an_agency_referent(client, registry):
    from equisante.allocation.models import Scenario
    from equisante.calls.models import Call

    Call.objects.create(code="aap-2025", title="Appel prévention 2025", state="ouvert")
    Call.objects.create(code="aap-brouillon", title="Appel en préparation", state="brouillon")
    Scenario.objects.create(name="Répartition des médiateurs", total=100000)
    registry["contracts"]["CLS-01-VEY"].__class__.objects.filter(code="CLS-01-VEY").update(published=False)
    login(client, "referent01")
    text = client.get("/tableau-de-bord/").content.decode()
    assert "Appels à projets en cours" in text and "Appel prévention 2025" in text
    assert "Appel en préparation" not in text  # drafts are the administration's
    assert "Scénarios d’allocation" in text and "Répartition des médiateurs" in text
    assert "Contrats à valider" in text and "CLS de la Veyle" in text


def test_dashboard_of_an_analyst(client, registry, django_user_model):
    from equisante.accounts.management import analyst_group
    from equisante.indicators.models import Indicator, Value

    analyst = django_user_model.objects.create_user("analyste-ors", password=PASSWORD)
    analyst.groups.add(analyst_group())
    old = Indicator.objects.create(code="ancien", label="Indicateur ancien", unit="%")
    Value.objects.create(indicator=old, territory=registry["territories"]["01001"], period="2012", value=3.0,
                         state="ok")
    login(client, "analyste-ors")
    text = client.get("/tableau-de-bord/").content.decode()
    assert "Analyste de l’observatoire" in text
    assert "Imports récents" in text
    assert "Indicateurs les moins récents" in text and "Indicateur ancien" in text and "à actualiser" in text


def test_dashboard_of_the_administrator(client, registry):
    login(client, "admin")
    text = client.get("/tableau-de-bord/").content.decode()
    for title in ("Comptes", "Travaux en arrière-plan", "Corbeille", "Appels à projets en cours"):
        assert title in text
    assert "comptes actifs" in text and "/compte/utilisateurs/" in text


def test_dashboard_asks_to_log_in(client, db):
    response = client.get("/tableau-de-bord/")
    assert response.status_code == 302 and "/connexion/" in response["Location"]


# --- search -----------------------------------------------------------------------------------------------------

def results(client, query, **extra):
    response = client.get("/recherche/", {"q": query, **extra})
    assert response.status_code == 200
    return response.content.decode()


def test_search_finds_each_kind_accent_insensitive(client, registry):
    text = results(client, "saint etienne")
    assert "Saint-Étienne-du-Bois" in text and "Territoires : 1" in text
    assert "Mortalité" in results(client, "MORTALITE") or "mortalit" in results(client, "MORTALITE").lower()
    text = results(client, "veyle")
    assert 'href="/contrats/CLS-01-VEY/"' in text
    text = results(client, "depistage bucco")
    assert 'href="/contrats/CLS-01-VEY/fiches/FA-1.2/"' in text and "Fiches-action : 1" in text
    # actors: a visitor finds those named in the contracts they may see
    text = results(client, "centre social")
    assert "Centre social des Tilleuls" in text


def test_search_groups_have_counts_and_a_page_of_their_own(client, registry):
    text = results(client, "a")
    match = re.search(r"Territoires : (\d+)", text)
    assert match and int(match.group(1)) >= 5
    text = results(client, "a", type="territoires")
    assert "Revenir à tous les résultats" in text
    assert results(client, "zzzz-introuvable").count("Aucun résultat") == 1


def test_search_respects_contract_visibility(client, registry):
    assert "CLS d&#x27;Affoux" not in results(client, "affoux")
    assert "/contrats/CLS-69-AFF/" not in results(client, "affoux")
    assert "/contrats/CLS-69-AFF/" not in results(client, "diagnostic local partage")
    login(client, "referent01")  # referent of Ain: not the Rhône's unpublished contract
    assert "/contrats/CLS-69-AFF/" not in results(client, "affoux")
    assert "/contrats/CLS-69-AFF/fiches/FA-1/" not in results(client, "diagnostic local")
    client.logout()
    login(client, "coord69")
    text = results(client, "affoux")
    assert "/contrats/CLS-69-AFF/" in text and "non publié" in text
    assert "/contrats/CLS-69-AFF/fiches/FA-1/" in results(client, "diagnostic local")


def test_search_of_actors_for_logged_in_people_reaches_the_directory(client, registry):
    login(client, "coord01")
    text = results(client, "office hlm")  # not named in any contract: only the directory knows it
    assert "Office HLM du Bois" in text and "/contrats/acteurs/?q=Office+HLM+du+Bois" in text
    client.logout()
    assert "Office HLM du Bois" not in results(client, "office hlm")


def test_search_bad_input_is_answered_in_french(client, registry):
    assert "Saisissez au moins un mot" in results(client, "!!! ---")
    assert "Aucun résultat" in results(client, "x" * 1500)  # long input is cut, never a 500
    assert results(client, "a", type="inconnu", page="abc")


def test_header_search_box_goes_to_the_search_page(client, db):
    text = client.get("/territoires/").content.decode()
    assert 'id="search-modal"' in text and 'action="/recherche/"' in text


def test_contract_list_filters_on_the_query(client, registry):
    text = client.get("/contrats/", {"q": "dépistage"}).content.decode()
    assert "CLS de la Veyle" in text and "1 contrat" in text
    text = client.get("/contrats/", {"q": "diabete"}).content.decode()
    assert "CLS de la Veyle" not in text and "Aucun contrat ne correspond à « diabete »" in text
    login(client, "admin")
    text = client.get("/contrats/", {"q": "reunions habitants"}).content.decode()
    assert "CLS d&#x27;Affoux" in text and "CLS de la Veyle" not in text


# --- sheets and history -------------------------------------------------------------------------------------------

def test_previous_and_next_sheet_of_a_contract(client, registry):
    text = client.get("/contrats/CLS-01-VEY/fiches/FA-1.1/").content.decode()
    assert 'href="/contrats/CLS-01-VEY/fiches/FA-1.2/" rel="next"' in text and 'rel="prev"' not in text
    assert "Fiche 1 sur 3" in text
    text = client.get("/contrats/CLS-01-VEY/fiches/FA-1.2/").content.decode()
    assert 'href="/contrats/CLS-01-VEY/fiches/FA-1.1/" rel="prev"' in text
    assert 'href="/contrats/CLS-01-VEY/fiches/FA-2.1/" rel="next"' in text
    text = client.get("/contrats/CLS-01-VEY/fiches/FA-2.1/").content.decode()
    assert 'rel="next"' not in text and "Fiche 3 sur 3" in text


def test_history_pages_are_paginated(client, registry):
    from equisante.contracts.models import ChangeRecord

    contract, sheet = registry["contracts"]["CLS-01-VEY"], registry["sheets"]["FA-1.1"]
    for i in range(45):
        ChangeRecord.objects.create(contract=contract, sheet=sheet, object_label=f"FA-1.1 n° {i}",
                                    action="modification", changes=[{"field": "title", "label": "intitulé",
                                                                     "before": str(i), "after": str(i + 1)}])
    login(client, "coord01")
    text = client.get("/contrats/CLS-01-VEY/historique/").content.decode()
    assert "45 modifications" in text and 'class="fr-pagination ' in text
    assert text.count("FA-1.1 n° ") == 10
    assert 'href="?page=5"' in text
    last = client.get("/contrats/CLS-01-VEY/historique/", {"page": 5, "objet": "fiches"}).content.decode()
    assert last.count("FA-1.1 n° ") == 5 and "objet=fiches" in last
    text = client.get("/contrats/CLS-01-VEY/fiches/FA-1.1/").content.decode()
    assert 'class="fr-pagination ' in text and text.count("FA-1.1 n° ") <= 10


# --- portrait of a contract's perimeter ----------------------------------------------------------------------------

def test_perimeter_covered_by_a_stored_territory_shows_its_portrait(client, registry):
    text = client.get("/portraits/contrat/CLS-01-VEY/").content.decode()
    assert "Portrait du périmètre de CLS de la Veyle" in text
    assert "couvre exactement les communes de CC de la Veyle" in text
    assert "Quartier des Tilleuls" in text and 'id="perimeter-members"' in text
    assert "/portraits/200000001/?niveau=epci&amp;format=html" in text or "/portraits/200000001/?" in text
    # listed on the portraits' index and on the contract's page
    assert 'href="/portraits/contrat/CLS-01-VEY/"' in client.get("/portraits/").content.decode()
    assert 'href="/portraits/contrat/CLS-01-VEY/"' in client.get("/contrats/CLS-01-VEY/").content.decode()


def test_ad_hoc_perimeter_shows_only_published_member_values(client, registry):
    contract = registry["contracts"]["CLS-01-VEY"]
    t = registry["territories"]
    contract.perimeter.set([t["01001"], t["01003"]])
    text = client.get("/portraits/contrat/CLS-01-VEY/").content.decode()
    assert "ne correspond à aucun territoire publié" in text
    assert 'id="perimeter-members"' in text and "Secret statistique" in text
    for number in SECRET[:1] + SECRET[2:]:  # the suppressed value of 01003 and its bounds are never published
        whole, decimals = f"{number:.2f}".rstrip("0").split(".")
        for shown in (f"{whole},{decimals}", f"{whole[0]} {whole[1:]},{decimals}", f"{whole[0]}\u202f{whole[1:]},{decimals}",
                      f"{whole[0]}\xa0{whole[1:]},{decimals}"):
            assert shown not in text
    assert "Décès" not in text.split('id="perimeter-members"')[1]  # counts are not in the members' table


def test_perimeter_portrait_of_an_unpublished_contract_is_private(client, registry):
    assert client.get("/portraits/contrat/CLS-69-AFF/").status_code == 404
    login(client, "referent01")
    assert client.get("/portraits/contrat/CLS-69-AFF/").status_code == 404
    client.logout()
    login(client, "coord69")
    assert client.get("/portraits/contrat/CLS-69-AFF/").status_code == 200
    assert client.get("/portraits/contrat/INCONNU/").status_code == 404


# --- footer pages ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("url,words", [
    ("/accessibilite/", ["partiellement conforme", "RGAA", "axe-core", "Défenseur des droits"]),
    ("/mentions-legales/", ["Éditeur", "Hébergement", "Non renseigné"]),
    ("/donnees-personnelles/", ["sessionid", "csrftoken", "strictement nécessaires", "Historique des modifications"]),
    ("/plan-du-site/", ["Portraits de territoire", "Appels à projets", "Mentions légales"]),
    ("/contact/", ["Contact", "mot de passe"]),
])
def test_footer_pages(client, db, url, words):
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    for word in words:
        assert word in text, word
    footer = text[text.index('id="footer"'):]
    for link in ("/accessibilite/", "/mentions-legales/", "/donnees-personnelles/", "/plan-du-site/", "/contact/"):
        assert f'href="{link}"' in footer
    assert "Accessibilité : partiellement conforme" in footer


def test_operator_settings_fill_the_legal_pages(client, db, settings):
    settings.EQUISANTE_PUBLISHER = "Agence régionale de santé de démonstration"
    settings.EQUISANTE_CONTACT_EMAIL = "contact@example.org"
    assert "Agence régionale de santé de démonstration" in client.get("/mentions-legales/").content.decode()
    assert "mailto:contact@example.org" in client.get("/contact/").content.decode()


def test_site_map_follows_the_menu_by_role(client, registry):
    assert "Corbeille" not in client.get("/plan-du-site/").content.decode().split('id="footer"')[0].split(
        "</header>")[1]
    login(client, "admin")
    assert "Corbeille" in client.get("/plan-du-site/").content.decode().split("</header>")[1]


# --- icons --------------------------------------------------------------------------------------------------------

def test_every_dsfr_icon_used_exists_in_the_vendored_icon_set():
    import dsfr

    css = (Path(dsfr.__file__).parent / "static" / "dsfr" / "dist" / "utility" / "utility.min.css").read_text()
    root = Path(__file__).resolve().parents[2] / "src" / "equisante"
    used = set()
    for path in list(root.rglob("*.html")) + list(root.rglob("*.py")) + list(root.rglob("*.js")):
        used |= set(re.findall(r"fr-icon-[a-z0-9]+(?:-[a-z0-9]+)*-(?:line|fill)\b", path.read_text(encoding="utf-8")))
    assert used
    missing = sorted(icon for icon in used if f".{icon}:" not in css and f".{icon}," not in css)
    assert missing == [], f"icônes absentes du DSFR fourni (carré plein à l'écran) : {missing}"
    assert reverse("portal:accessibility") == "/accessibilite/"
