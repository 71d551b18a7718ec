"""Pages with the Django test client: list and filters, contract, sheet, edit form with a stale
version, the coding page (suggestions accepted, rejected, never applied silently), grid, import,
export."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from contracts.sample import PASSWORD
from equisante.contracts import coding
from equisante.contracts.models import ActionSheet, ChangeRecord, SuggestionRecord

SHEET = "/contrats/CLS-01-VEY/fiches/FA-1.2/"


def _login(client, name):
    assert client.login(username=name, password=PASSWORD)


def _sheet_post(sheet, **overrides):
    data = {"version": sheet.version, "code": sheet.code, "title": sheet.title, "axis": sheet.axis_id or "",
            "objectives": sheet.objectives, "quantified_targets": sheet.quantified_targets,
            "description": sheet.description, "publics": "\n".join(sheet.publics), "lead": sheet.lead_id or "",
            "other_partners": "", "budget": "", "funding": "", "indicators": "", "starts_on": "", "ends_on": "",
            "status": sheet.status, "ists_contribution": "", "resident_participation": "", "evaluation_planned": ""}
    data.update(overrides)
    return data


def test_list_filters_and_visibility(registry, client):
    page = client.get("/contrats/").content.decode()
    assert "CLS de la Veyle" in page and "CLS d&#x27;Affoux" not in page
    _login(client, "admin")
    page = client.get("/contrats/").content.decode()
    assert "CLS de la Veyle" in page and "CLS d&#x27;Affoux" in page
    page = client.get("/contrats/?departement=69").content.decode()
    assert "CLS de la Veyle" not in page and "CLS d&#x27;Affoux" in page
    page = client.get("/contrats/?generation=1&status=mise-en-oeuvre").content.decode()
    assert "CLS de la Veyle" in page and "CLS d&#x27;Affoux" not in page
    page = client.get("/contrats/?generation=3").content.decode()
    assert "CLS de la Veyle" not in page and "1 contrat" not in page


def test_navigation_lists_contracts_and_grid(registry, client):
    page = client.get("/").content.decode()
    assert 'href="/contrats/"' in page and 'href="/contrats/grille/"' in page


def test_contract_page_shows_governance_axes_sheets_and_map(registry, client):
    page = client.get("/contrats/CLS-01-VEY/").content.decode()
    for text in ("Comité de pilotage", "Conseil citoyen des Tilleuls", "0,80", "Axe 1 : Accès aux soins",
                 "FA-1.1 — Permanence d&#x27;accès aux droits de santé au centre social", "contract-map",
                 "Quartier des Tilleuls", "Bilan annuel."):
        assert text in page, text
    assert "Historique" not in page  # the public does not read the history


def test_sheet_page_shows_coding_in_words(registry, client):
    page = client.get("/contrats/CLS-01-VEY/fiches/FA-1.1/").content.decode()
    assert "D5 Le système de soins › D5.1 Accessibilité › D5.1.2 Administrative" in page
    assert "Groupes défavorisés" in page or "groupes défavorisés" in page.lower()
    assert "ARS de démonstration : 12" in page


def test_create_sheet_then_edit_it(registry, client):
    _login(client, "coord01")
    response = client.post("/contrats/CLS-01-VEY/fiches/nouvelle/", _sheet_post(
        ActionSheet(code="FA-3.1", title="Ateliers mémoire", status="prevue", publics=[]),
        version="", funding="ARS de démonstration ; 4 000 ; 2025 ; acquis\nFondation Y ; ; ; demandé",
        publics="Retraités\nAidants"))
    assert response.status_code == 302 and response["Location"].endswith("/fiches/FA-3.1/codage/")
    sheet = ActionSheet.objects.get(code="FA-3.1")
    assert sheet.publics == ["Retraités", "Aidants"]
    lines = [(line.funder_label, line.amount, line.year, line.secured) for line in sheet.funding_lines.all()]
    assert ("ARS de démonstration", 4000, 2025, True) in lines and ("Fondation Y", None, None, False) in lines
    assert ChangeRecord.objects.get(sheet=sheet).user.username == "coord01"


def test_invalid_funding_line_is_explained(registry, client):
    _login(client, "coord01")
    sheet = registry["sheets"]["FA-1.2"]
    page = client.post(SHEET + "modifier/", _sheet_post(sheet, funding="ARS ; beaucoup ; 2025")).content.decode()
    assert "ligne 1 : le montant « beaucoup » n&#x27;est pas un nombre entier d&#x27;euros." in page


def test_stale_edit_is_refused_keeping_the_input(registry, client):
    sheet = registry["sheets"]["FA-1.2"]
    _login(client, "referent01")
    first = client.post(SHEET + "modifier/", _sheet_post(sheet, budget="900"))
    assert first.status_code == 302
    _login(client, "coord01")
    page = client.post(SHEET + "modifier/", _sheet_post(sheet, title="Mon titre à moi")).content.decode()
    assert "Modification concurrente : rien n’a été enregistré" in page
    assert "par referent01" in page and "budget total (€)" in page and "900 €" in page
    assert 'value="Mon titre à moi"' in page  # the person's input stays
    assert 'name="version" value="2"' in page  # a second save is now based on the latest version
    stored = ActionSheet.objects.get(pk=sheet.pk)
    assert (stored.title, stored.budget, stored.version) == (sheet.title, 900, 2)
    again = client.post(SHEET + "modifier/", _sheet_post(stored, title="Mon titre à moi", budget="900"))
    assert again.status_code == 302
    assert ActionSheet.objects.get(pk=sheet.pk).title == "Mon titre à moi"


def test_coding_page_suggests_accepts_rejects_and_validates(registry, client):
    sheet = registry["sheets"]["FA-1.2"]
    _login(client, "coord01")
    page = client.get(SHEET + "codage/").content.decode()
    assert 'value="D2.3.1"' in page and 'value="S5.2.4"' in page  # the whole grid tree
    assert "Proposer un codage" in page
    # ask for suggestions: recorded, shown with score and evidence, nothing applied
    page = client.post(SHEET + "codage/", {"action": "suggest", "version": "1"}).content.decode()
    records = {r.node_id: r for r in SuggestionRecord.objects.filter(sheet=sheet)}
    assert "sante-bucco-dentaire" in records
    assert all(r.decision == "en-attente" for r in records.values())
    assert "Accepter la suggestion Santé bucco-dentaire" in page and "score" in page
    assert ActionSheet.objects.get(pk=sheet.pk).themes == []
    assert 'id="theme-sante-bucco-dentaire" name="themes" value="sante-bucco-dentaire">' in page  # not ticked
    # accept the theme while having ticked D4.3.2 by hand: both are in the form, nothing saved yet
    theme = records["sante-bucco-dentaire"]
    page = client.post(SHEET + "codage/", {"action": f"accept-{theme.pk}", "version": "1",
                                          "determinants": ["D4.3.2"]}).content.decode()
    assert 'value="sante-bucco-dentaire" checked' in page and 'value="D4.3.2" checked' in page
    assert ActionSheet.objects.get(pk=sheet.pk).themes == []
    assert SuggestionRecord.objects.get(pk=theme.pk).decision == "acceptee"
    # reject another suggestion
    other = next(r for r in records.values() if r.pk != theme.pk)
    client.post(SHEET + "codage/", {"action": f"reject-{other.pk}", "version": "1"})
    assert SuggestionRecord.objects.get(pk=other.pk).decision == "rejetee"
    # validate: saved, history shows it
    response = client.post(SHEET + "codage/", {"action": "validate", "version": "1", "determinants": ["D4.3.2"],
                                                "themes": ["sante-bucco-dentaire"], "approach": "universalisme",
                                                "coding_note": "Dépistage en classe, pour tous."})
    assert response.status_code == 302
    stored = ActionSheet.objects.get(pk=sheet.pk)
    assert stored.themes == ["sante-bucco-dentaire"] and stored.coding_validated_by.username == "coord01"
    page = client.get(SHEET).content.decode()
    assert "validation du codage" in page and "D4.3.2 Recours à la prévention" in page
    assert "Santé bucco-dentaire" in page


def test_stale_coding_save_is_refused(registry, client):
    sheet = registry["sheets"]["FA-1.2"]
    _login(client, "coord01")
    client.post(SHEET + "codage/", {"action": "save", "version": "1", "themes": ["cancer"]})
    page = client.post(SHEET + "codage/", {"action": "save", "version": "1", "themes": ["nutrition"]}).content.decode()
    assert "Modification concurrente" in page and 'value="nutrition" checked' in page
    assert ActionSheet.objects.get(pk=sheet.pk).themes == ["cancer"]


def test_validated_codings_teach_the_suggester(registry):
    sheet = registry["sheets"]["FA-1.2"]
    before = coding.suggester("v1")
    assert len(before.validated) == 1  # FA-1.1 of the sample
    from equisante.contracts import services

    services.save_coding(sheet, {"determinants": ["D4.3.2"], "strategies": ["S4.3.1"],
                                 "themes": ["sante-bucco-dentaire"]}, validate=True, expected_version=1)
    taught = coding.suggester("v1")
    texts = [a.text for a in taught.validated]
    assert len(texts) == 2 and sheet.coding_text() in texts
    # a near copy of the validated sheet gets it as evidence
    result = taught.suggest("Dépistage bucco-dentaire des enfants de moyenne section dans les écoles maternelles")
    neighbours = [n for s in result.themes for n in s.evidence.neighbours if n.origin == "validé"]
    assert any("bucco-dentaire" in n.text for n in neighbours)


def test_grid_page_lists_every_node(registry, client):
    page = client.get("/contrats/grille/").content.decode()
    from equisante.grid import load_grid

    grid = load_grid("v1")
    for node in grid.nodes.values():
        assert f'id="noeud-{node.id}"' in page, node.id
    assert "Style de vie" in page  # an alias of D4 (figure 2)
    assert grid.node("D5.1.2").definition in page.replace("&#x27;", "'")


def test_import_page_lists_errors_in_french(registry, client):
    _login(client, "coord01")
    data = ("contract,code,axis,title,description,publics,partners,themes,determinants,strategies,approach\n"
            "CLS-01-VEY,FA-1.2,,Titre,,,,,D7,,\n").encode()
    upload = io.BytesIO(data)
    upload.name = "fiches.csv"
    page = client.post("/contrats/importer/", {"file": upload}).content.decode()
    assert "Fichier refusé : rien n’a été importé" in page
    assert "fiches.csv, ligne 2, colonne « Déterminants »" in page
    assert "Déterminant inconnu" in page
    assert ActionSheet.objects.get(code="FA-1.2").title != "Titre"


def test_import_page_success(registry, client):
    _login(client, "coord01")
    form = client.get("/contrats/importer/").content.decode()
    assert 'href="/modeles/fiches.xlsx"' in form and "« Code de la fiche »" in form and "<code>axis</code>" not in form
    upload = io.BytesIO(("contract,code,axis,title,description,publics,partners,themes,determinants,strategies,"
                         "approach\nCLS-01-VEY,FA-4.1,,Marche santé,,,,Nutrition,D4.1.6,S1.2,U\n").encode())
    upload.name = "fiches.csv"
    response = client.post("/contrats/importer/", {"file": upload}, follow=True)
    assert "1 fiche-action lue dans" in response.content.decode() and "1 créée, 0 mise à jour" in response.content.decode()
    assert ActionSheet.objects.get(code="FA-4.1").approach == "universalisme"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_respects_visibility(registry, client, fmt):
    response = client.get(f"/contrats/export/?format={fmt}")
    assert response["Content-Disposition"].startswith('attachment; filename="equisante-fiches-action-')
    data = b"".join(response) if response.streaming else response.content
    frame = (pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", sep=";") if fmt == "csv"
             else pd.read_excel(io.BytesIO(data)))
    assert set(frame["Contrat"]) == {"CLS-01-VEY"}  # the unpublished contract stays hidden
    _login(client, "admin")
    frame = pd.read_csv(io.BytesIO(client.get("/contrats/export/?format=csv&contract=CLS-69-AFF").content),
                        encoding="utf-8-sig", sep=";")
    assert list(frame["Code de la fiche"]) == ["FA-1"]


def test_only_the_grid_entry_is_current_on_the_grid_page(client, db):
    page = client.get("/contrats/grille/").content.decode()
    nav = page[page.index('<nav class="fr-nav"'):]
    nav = nav[:nav.index("</nav>")]
    assert nav.count('aria-current="page"') == 1
    assert 'href="/contrats/grille/" aria-current="page"' in nav


def test_invalid_coding_post_is_explained(registry, client):
    _login(client, "coord01")
    page = client.post(SHEET + "codage/", {"action": "save", "version": "1", "determinants": ["D99"]}).content.decode()
    assert "La fiche n’a pas été enregistrée" in page and "Déterminants" in page and "D99" in page
    assert ActionSheet.objects.get(code="FA-1.2").version == 1


def test_admin_changes_of_a_contract_are_kept_in_the_history(registry, rf):
    from django.contrib.admin.sites import site
    from django.forms.models import model_to_dict

    from equisante.contracts.models import Contract

    contract = registry["contracts"]["CLS-01-VEY"]
    admin = site._registry[Contract]
    request = rf.post("/admin/")
    request.user = registry["users"]["admin"]
    form_class = admin.get_form(request, contract)
    data = {k: v for k, v in model_to_dict(contract).items() if v is not None}
    data["perimeter"] = [t.pk for t in contract.perimeter.all()][:1]
    data["signatories"] = [a.pk for a in contract.signatories.all()]
    data["status"] = "evaluation"
    form = form_class(data, instance=contract)
    assert form.is_valid(), form.errors
    saved = form.save(commit=False)
    admin.save_model(request, saved, form, True)
    admin.save_related(request, form, [], True)
    record = ChangeRecord.objects.filter(contract=contract, sheet=None).latest("at")
    fields = {c["field"]: (c["before"], c["after"]) for c in record.changes}
    assert fields["status"] == ("En mise en œuvre", "En évaluation")
    assert fields["perimeter"][0].count(";") == 2 and ";" not in fields["perimeter"][1]
    assert record.user.username == "admin"
