"""Services: creating and changing sheets keeps a field-level history; a save prepared on an older
version is refused with what the other person changed; grid codes are checked."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from equisante.contracts import services
from equisante.contracts.models import ActionSheet, ChangeRecord
from equisante.contracts.services import Funding, StaleEdit


def test_create_sheet_records_every_filled_field(registry):
    contract = registry["contracts"]["CLS-01-VEY"]
    user = registry["users"]["coord01"]
    sheet = services.create_sheet(contract, {"code": "FA-3.1", "title": "Ateliers cuisine", "budget": 5000,
                                             "publics": ["Familles", " ", "Familles"]},
                                  m2m={"partners": [registry["actors"]["Centre social des Tilleuls"]]},
                                  funding=[Funding(funder_name="Fondation X", amount=3000, year=2025)], user=user)
    assert sheet.version == 1
    assert sheet.publics == ["Familles"]  # blanks and repeats dropped
    record = ChangeRecord.objects.get(sheet=sheet)
    assert (record.action, record.user, record.version) == ("creation", user, 1)
    fields = {c["field"]: c for c in record.changes}
    assert fields["title"]["after"] == "Ateliers cuisine" and fields["title"]["before"] == ""
    assert fields["budget"]["after"] == "5000 €"
    assert fields["partners"]["after"] == "Centre social des Tilleuls"
    assert fields["funding_lines"]["after"] == "Fondation X 3000 € 2025"
    assert "description" not in fields  # empty fields are not listed


def test_update_records_a_field_level_diff_and_bumps_the_version(registry):
    sheet = registry["sheets"]["FA-1.2"]
    user = registry["users"]["coord01"]
    changes = services.update_sheet(sheet, {"title": "Dépistage bucco-dentaire en maternelle", "budget": 800},
                                    user=user, expected_version=1)
    assert sheet.version == 2
    assert [(c["field"], c["before"], c["after"]) for c in changes] == [
        ("title", "Dépistage bucco-dentaire dans les écoles maternelles", "Dépistage bucco-dentaire en maternelle"),
        ("budget", "", "800 €"),
    ]
    record = ChangeRecord.objects.filter(sheet=sheet).latest("at")
    assert (record.action, record.user, record.version, record.changes) == ("modification", user, 2, changes)
    assert ActionSheet.objects.get(pk=sheet.pk).title == "Dépistage bucco-dentaire en maternelle"


def test_saving_without_change_writes_nothing(registry):
    sheet = registry["sheets"]["FA-1.2"]
    before = ChangeRecord.objects.count()
    assert services.update_sheet(sheet, {"title": sheet.title}, user=None, expected_version=1) == []
    assert ActionSheet.objects.get(pk=sheet.pk).version == 1
    assert ChangeRecord.objects.count() == before


def test_stale_save_is_refused_and_lists_the_other_change(registry):
    sheet = registry["sheets"]["FA-1.2"]
    alice, bob = registry["users"]["coord01"], registry["users"]["referent01"]
    # both open the sheet at version 1; Alice saves first
    services.update_sheet(ActionSheet.objects.get(pk=sheet.pk), {"budget": 1500}, user=alice, expected_version=1)
    with pytest.raises(StaleEdit) as caught:
        services.update_sheet(ActionSheet.objects.get(pk=sheet.pk), {"title": "Autre titre"}, user=bob,
                              expected_version=1)
    error = caught.value
    assert (error.expected, error.current) == (1, 2)
    assert error.code == "contract_sheet_stale"
    assert "coord01" in error.message and "budget total (€)" in error.message and "1500 €" in error.message
    assert "votre saisie est conservée" in error.message
    stored = ActionSheet.objects.get(pk=sheet.pk)
    assert (stored.title, stored.budget, stored.version) == (registry["sheets"]["FA-1.2"].title, 1500, 2)
    # saving again on the latest version is a deliberate choice: it goes through
    services.update_sheet(stored, {"title": "Autre titre"}, user=bob, expected_version=2)
    assert ActionSheet.objects.get(pk=sheet.pk).title == "Autre titre"


def test_the_version_guard_refuses_a_racing_save(registry, monkeypatch):
    """Two saves read the same version; the second one to write loses even without a row lock
    (SQLite): the version is bumped only WHERE version = the one read."""
    sheet = registry["sheets"]["FA-1.2"]
    real_clean = ActionSheet.full_clean
    raced = {}

    def clean_then_someone_else_saves(self, *args, **kwargs):
        real_clean(self, *args, **kwargs)
        if not raced:
            raced["done"] = True
            ActionSheet.objects.filter(pk=self.pk).update(version=self.version + 1)

    monkeypatch.setattr(ActionSheet, "full_clean", clean_then_someone_else_saves)
    with pytest.raises(StaleEdit):
        services.update_sheet(sheet, {"title": "Titre perdu ?"}, user=None, expected_version=1)
    assert ActionSheet.objects.get(pk=sheet.pk).title != "Titre perdu ?"


def test_invalid_grid_codes_are_refused(registry):
    sheet = registry["sheets"]["FA-1.2"]
    with pytest.raises(ValidationError) as caught:
        services.save_coding(sheet, {"determinants": ["D9.9", "S1.1"], "approach": "tout-le-monde",
                                     "partner_sectors": ["marine"]}, expected_version=1)
    messages = caught.value.message_dict
    assert "« D9.9 » n'est pas un déterminant de la grille v1." in messages["determinants"]
    assert "« S1.1 » n'est pas un déterminant de la grille v1." in messages["determinants"]
    assert "« tout-le-monde » n'est pas un type d'approche de la grille v1." in messages["approach"]
    assert messages["partner_sectors"][0].startswith("« marine » n'est pas un secteur de partenaire")
    assert ActionSheet.objects.get(pk=sheet.pk).determinants == []


def test_save_coding_orders_codes_validates_and_unvalidates(registry):
    sheet = registry["sheets"]["FA-1.2"]
    user = registry["users"]["coord01"]
    services.save_coding(sheet, {"determinants": ["D5.1.1", "D4.3.2", "D5.1.1"], "strategies": ["S4.3.1"],
                                 "themes": ["sante-bucco-dentaire"], "approach": "universalisme-proportionne"},
                         user=user, expected_version=1, validate=True)
    sheet = ActionSheet.objects.get(pk=sheet.pk)
    assert sheet.determinants == ["D4.3.2", "D5.1.1"]  # grid order, no repeat
    assert sheet.coding_validated_by == user and sheet.coding_validated_at is not None
    assert sheet.coding_source == "saisie"
    record = ChangeRecord.objects.filter(sheet=sheet).latest("at")
    assert record.action == "validation"
    fields = {c["field"]: c for c in record.changes}
    assert fields["determinants"]["after"] == "D4.3.2 Recours à la prévention; D5.1.1 Géographique"
    assert fields["coding_validated"]["after"] == "oui"
    # changing the codes without validating withdraws the validation
    services.save_coding(sheet, {"strategies": []}, user=user, expected_version=2)
    sheet = ActionSheet.objects.get(pk=sheet.pk)
    assert sheet.coding_validated_at is None and sheet.strategies == []
    assert ChangeRecord.objects.filter(sheet=sheet).latest("at").action == "codage"


def test_unique_code_within_a_contract(registry):
    with pytest.raises(ValidationError):
        services.create_sheet(registry["contracts"]["CLS-01-VEY"], {"code": "FA-1.1", "title": "Doublon"})
    # the same code in another contract is fine
    services.create_sheet(registry["contracts"]["CLS-69-AFF"], {"code": "FA-1.1", "title": "Autre contrat"})


def test_reserved_codes(registry):
    with pytest.raises(ValidationError):
        services.create_sheet(registry["contracts"]["CLS-01-VEY"], {"code": "nouvelle", "title": "X"})
    from equisante.contracts.models import Contract

    with pytest.raises(ValidationError):
        Contract(code="grille", name="X").full_clean()


def test_update_contract_keeps_its_history(registry):
    contract = registry["contracts"]["CLS-01-VEY"]
    changes = services.update_contract(contract, {"status": "evaluation", "diagnosis_public": True},
                                       user=registry["users"]["admin"])
    assert {(c["field"], c["before"], c["after"]) for c in changes} == {
        ("status", "En mise en œuvre", "En évaluation"), ("diagnosis_public", "non renseigné", "oui")}
    assert ChangeRecord.objects.filter(contract=contract, sheet=None).latest("at").action == "modification"
