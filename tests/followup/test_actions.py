"""The public database of actions: published contracts only, accent-insensitive stemmed search,
filters, facets, exports, the action page; and the family of local schemes."""

from __future__ import annotations

import io

from django.urls import reverse

from contracts.sample import PASSWORD
from equisante.followup import search
from equisante.followup.models import ActionEntry


def codes(result) -> list[str]:
    return [e["facets"]["code"] for e in result.entries]


def test_only_published_contracts_are_indexed(followed):
    result = search.search()
    assert codes(result) == ["FA-1.1", "FA-1.2", "FA-2.1"]  # CLS-69-AFF (not published) is absent
    contract = followed["contracts"]["CLS-01-VEY"]
    contract.published = False
    contract.save()
    assert search.search().count == 0 and ActionEntry.objects.count() == 0


def test_search_ignores_accents_case_and_endings(followed):
    assert codes(search.search("acces aux droits")) == ["FA-1.1"]          # « accès aux droits »
    assert codes(search.search("MEDIATEURS")) == ["FA-1.1"]                 # « médiateur »
    assert codes(search.search("ecole maternelle")) == ["FA-1.2"]           # « écoles maternelles »
    assert codes(search.search("logement degrade")) == ["FA-2.1"]
    assert search.search("téléconsultation").count == 0


def test_index_follows_sheet_changes(followed):
    search.search()
    sheet = followed["sheets"]["FA-1.2"]
    sheet.description = "Ateliers de brossage des dents avec les familles."
    sheet.save()
    assert codes(search.search("brossage")) == ["FA-1.2"]
    assert search.search("maternelles").count == 0 or codes(search.search("maternelles")) == ["FA-1.2"]


def test_filters_and_facets(followed):
    result = search.search(filters={"theme": "acces-aux-soins"})
    assert codes(result) == ["FA-1.1"]
    assert codes(search.search(filters={"determinant": "D2"})) == ["FA-2.1"]           # coded D2.2.4
    assert codes(search.search(filters={"porteur": "Association Bouche en fête"})) == ["FA-1.2"]
    assert codes(search.search(filters={"financeur": "ARS de démonstration"})) == ["FA-1.1", "FA-1.2"]
    assert codes(search.search(filters={"annee": "2024"})) == ["FA-1.1", "FA-2.1"]
    assert codes(search.search(filters={"dispositif": "cls"})) == ["FA-1.1", "FA-1.2", "FA-2.1"]
    assert search.search(filters={"dispositif": "asv"}).count == 0
    assert codes(search.search(filters={"territoire": "QP001"})) == ["FA-1.1", "FA-1.2", "FA-2.1"]
    facets = search.search().facets
    assert ("en-cours", "En cours", 1) in facets["etat"]
    assert dict((v, n) for v, _l, n in facets["financeur"]) == {"ARS de démonstration": 2,
                                                                  "Ville de Saint-Étienne-du-Bois": 2}
    assert [v for v, _l, _n in facets["determinant"]] == ["D2", "D5"] or {v for v, _l, _n in facets["determinant"]} == {"D2", "D5"}


def test_actions_page_csv_xlsx_and_stable_address(followed, client):
    from openpyxl import load_workbook

    url = reverse("followup:actions")
    page = client.get(url, {"q": "acces droits", "theme": "acces-aux-soins"})
    html = page.content.decode()
    assert page.status_code == 200 and "1 action trouvée" in html
    assert "Permanence d&#x27;accès aux droits de santé au centre social" in html
    assert 'href="/actions/?q=acces+droits"' in html  # removing the theme filter keeps the words
    csv = client.get(url, {"q": "acces droits", "format": "csv"}).content.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("Contrat;Nom du contrat;Fiche-action;Intitulé")
    assert "FA-1.1" in csv and "FA-1.2" not in csv
    workbook = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    assert workbook["Données"].max_row == 4


def test_action_page_shows_coding_contract_partners_indicators(followed, client):
    page = client.get(reverse("followup:action", args=["CLS-01-VEY", "FA-1.1"])).content.decode()
    assert "CLS de la Veyle" in page and "CPAM de l&#x27;Ain" in page
    assert "Personnes accompagnées" in page and "D5.1.2" in page
    assert client.get(reverse("followup:action", args=["CLS-69-AFF", "FA-1"])).status_code == 404


def test_scheme_kinds_linked_on_the_same_territory_and_map(followed, client):
    from equisante.contracts.models import Contract

    t = followed["territories"]
    asv = Contract.objects.create(code="ASV-01-TIL", name="Atelier santé ville des Tilleuls", kind="asv",
                                  departement=t["01"], local_plan_title="Plan local de santé publique 2024-2028",
                                  published=True, fictional=True)
    asv.perimeter.set([t["QP001"]])
    clsm = Contract.objects.create(code="CLSM-69", name="CLSM d'Affoux", kind="clsm", departement=t["69"],
                                   psychiatry_sector="Secteur 69G01", published=True)
    clsm.perimeter.set([t["69001"]])
    page = client.get(reverse("contracts:detail", args=["CLS-01-VEY"])).content.decode()
    assert "Atelier santé ville des Tilleuls" in page and "CLSM d&#x27;Affoux" not in page
    asv_page = client.get(reverse("contracts:detail", args=["ASV-01-TIL"])).content.decode()
    assert "Plan local de santé publique 2024-2028" in asv_page and "CLS de la Veyle" in asv_page
    schemes = client.get(reverse("followup:schemes")).content.decode()
    assert "Atelier santé ville (1)" in schemes and "Contrat local de santé mentale (1)" in schemes
    assert "<svg" in schemes
    only = client.get(reverse("followup:schemes"), {"type": "clsm"}).content.decode()
    assert "CLSM d&#x27;Affoux" in only and "Atelier santé ville des Tilleuls" not in only.split("<table")[1]


def test_checks_closed_by_the_followup(followed):
    import datetime

    from equisante.contracts.models import Contract
    from equisante.contracts.selection import action_sheets, contract_facts
    from equisante.followup import reviews
    from equisante.followup.models import LogicModel
    from equisante.portfolio import run_checks

    contract = followed["contracts"]["CLS-01-VEY"]
    LogicModel.objects.create(sheet=followed["sheets"]["FA-1.1"], inputs="a", activities="b", outputs="c",
                              outcomes="d")
    LogicModel.objects.create(sheet=followed["sheets"]["FA-1.2"], inputs="a")
    today = datetime.date(2026, 3, 1)
    records = {r.code: r for r in action_sheets(Contract.objects.filter(pk=contract.pk))}
    assert records["FA-1.2"].evaluation_planned is True  # an indicator with a target
    assert (records["FA-1.1"].logic_model, records["FA-1.2"].logic_model, records["FA-2.1"].logic_model) == (
        True, False, None)
    facts = contract_facts(Contract.objects.filter(pk=contract.pk), today=today)[0]
    assert facts.yearly_review_held is False
    review = reviews.review_for(contract, 2025, create=True)
    reviews.submit(review, None)
    for actor in contract.signatories.all():
        reviews.approve(review, actor, None)
    facts = contract_facts(Contract.objects.filter(pk=contract.pk), today=today)[0]
    assert facts.yearly_review_held is True
    results = {(r.id, r.subject): r.status for r in run_checks(list(records.values()), facts)}
    assert results[("R12e", "CLS-01-VEY")] == "satisfait"
    assert results[("R12f", "CLS-01-VEY/FA-1.1")] == "satisfait"
    assert results[("R12f", "CLS-01-VEY/FA-1.2")] == "à renforcer"


def test_deleted_sheets_leave_the_public_database(followed, client):
    from django.utils import timezone

    from equisante.contracts.models import ActionSheet

    if not hasattr(ActionSheet, "all_objects"):
        import pytest

        pytest.skip("les fiches ne sont pas gardées après suppression dans cette version")
    assert "FA-1.2" in codes(search.search())
    ActionSheet.all_objects.filter(pk=followed["sheets"]["FA-1.2"].pk).update(deleted_at=timezone.now())
    assert codes(search.search()) == ["FA-1.1", "FA-2.1"]
    assert client.get(reverse("followup:action", args=["CLS-01-VEY", "FA-1.2"])).status_code == 404
