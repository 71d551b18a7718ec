"""Import and export of action sheets: round trip, updates, and refusals that import nothing."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from equisante.actionsheets.exchange import HEADERS
from equisante.contracts.exchange import ImportReport, export_action_sheets, import_action_sheets
from equisante.contracts.models import ActionSheet, ChangeRecord, Contract, StrategicAxis
from equisante.contracts.selection import action_sheets
from equisante.errors import InputRejected

HEADER = "contract,code,axis,title,description,publics,partners,themes,determinants,strategies,approach\n"


def _frame(data: bytes) -> pd.DataFrame:
    """The exported CSV (French headers, « ; ») under the column names of the exchange format."""
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", sep=";", dtype=str, keep_default_na=False)
    english = {header: column for column, header in HEADERS.items()}
    assert all(c in english for c in frame.columns), list(frame.columns)
    return frame.rename(columns=english)


def _state():
    return [(s.contract.code, s.code, s.version, s.title) for s in ActionSheet.objects.select_related("contract")]


def test_export_has_the_exchange_columns_and_the_coding(registry):
    frame = _frame(export_action_sheets(Contract.objects.filter(code="CLS-01-VEY"), "csv"))
    assert list(frame.columns[:11]) == ["contract", "code", "axis", "title", "description", "publics", "partners",
                                        "themes", "determinants", "strategies", "approach"]
    row = frame.set_index("code").loc["FA-1.1"]
    assert (row["themes"], row["determinants"], row["strategies"], row["approach"]) == (
        "Accès aux soins", "D5.1.2", "S4.1.5", "groupes-defavorises")
    assert row["partners"] == "Centre social des Tilleuls; CPAM de l'Ain"
    assert frame.set_index("code").loc["FA-2.1", "strategies"] == ""


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_reimporting_an_export_changes_nothing(registry, fmt):
    data = export_action_sheets(Contract.objects.all(), fmt)
    before, history = _state(), ChangeRecord.objects.count()
    report = import_action_sheets(data, format=fmt, name=f"export.{fmt}")
    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)
    assert _state() == before and ChangeRecord.objects.count() == history


def test_round_trip_into_an_empty_registry(registry):
    """Export, delete the sheets, import: the sheets come back with the same content and coding."""
    original = action_sheets(Contract.objects.all())
    data = export_action_sheets(Contract.objects.all(), "xlsx")
    ActionSheet.objects.all().delete()
    report = import_action_sheets(data, format="xlsx", name="export.xlsx", user=registry["users"]["admin"])
    assert report.created == 4
    restored = {r.key: r for r in action_sheets(Contract.objects.all())}
    for record in original:
        back = restored[record.key]
        for field in ("axis", "title", "description", "publics", "themes", "determinants", "strategies", "approach",
                      "partner_sectors", "objectives", "status"):
            assert getattr(back, field) == getattr(record, field), (record.key, field)
        # the lead of a new sheet is not known from the file: every listed partner is kept
        assert set(back.partners) == set(record.partners)
    fa11 = ActionSheet.objects.get(code="FA-1.1")
    assert fa11.coding_validated_by == registry["users"]["admin"] and fa11.coding_source == "import"
    assert ChangeRecord.objects.filter(sheet=fa11, action="import").exists()


def test_import_updates_creates_and_creates_missing_axes(registry):
    csv = (HEADER
           + 'CLS-01-VEY,FA-1.2,Accès aux soins,Dépistage bucco-dentaire en maternelle,Examens en classe,'
             'Enfants de 4 ans,Association Bouche en fête; Cabinet dentaire du Bois,Santé bucco-dentaire,'
             'D4.3.2;D5.1.1,S4.3.1,UP\n'
           + 'CLS-01-VEY,FA-3.1,3. Jeunesse,Point écoute jeunes,,Jeunes de 12 à 25 ans,,Santé mentale,D5.1,S4.1.2,\n')
    report = import_action_sheets(csv.encode(), format="csv", name="fiches.csv", user=registry["users"]["coord01"])
    assert (report.created, report.updated, report.unchanged) == (1, 1, 0)
    fa12 = ActionSheet.objects.get(code="FA-1.2")
    assert fa12.version == 2 and fa12.determinants == ["D4.3.2", "D5.1.1"]
    assert fa12.approach == "universalisme-proportionne" and fa12.themes == ["sante-bucco-dentaire"]
    assert fa12.other_partners == ["Cabinet dentaire du Bois"]
    assert list(fa12.partners.all()) == []  # the lead is listed: it stays the lead
    assert fa12.coding_validated_by == registry["users"]["coord01"]
    record = ChangeRecord.objects.filter(sheet=fa12).latest("at")
    assert record.action == "import" and record.note == "import de fiches.csv"
    new = ActionSheet.objects.get(code="FA-3.1")
    assert new.axis.title == "3. Jeunesse" and new.axis.number == 3
    assert StrategicAxis.objects.filter(contract__code="CLS-01-VEY").count() == 3


def test_format_errors_are_listed_and_nothing_is_imported(registry):
    csv = (HEADER
           + "CLS-01-VEY,FA-1.2,,Nouveau titre,,,,Santé bucco-dentaire,D9.1,S4.3.1,\n"
           + "CLS-99-XXX,FA-1,,Titre,,,,,D1,,\n"
           + "CLS-01-VEY,FA-9,,Titre,,,,Thème inventé,,S1.1;D2,\n")
    before = _state()
    with pytest.raises(InputRejected) as caught:
        import_action_sheets(csv.encode(), format="csv", name="fiches.csv")
    problems = caught.value.problems
    where = {(p.code, p.location.line, p.location.column) for p in problems}
    # the place is named by the French header of the column, whatever spelling the file used
    assert ("actionsheet_determinant_unknown", 2, "Déterminants") in where
    assert ("actionsheet_contract_unknown", 3, "Contrat") in where
    assert ("actionsheet_theme_unknown", 4, "Thématiques") in where
    assert ("actionsheet_strategy_unknown", 4, "Stratégies") in where
    assert "rien n'a été importé" in caught.value.message
    assert _state() == before


def test_contracts_the_user_cannot_edit_are_refused(registry):
    csv = (HEADER + "CLS-01-VEY,FA-1.2,,Titre modifié,,,,,,,\n" + "CLS-69-AFF,FA-1,,Titre modifié,,,,,,,\n")
    before = _state()
    with pytest.raises(InputRejected) as caught:
        import_action_sheets(csv.encode(), format="csv", name="fiches.csv", user=registry["users"]["coord01"])
    [problem] = caught.value.problems
    assert problem.code == "contract_import_forbidden"
    assert "« coord01 » ne peut pas modifier le contrat « CLS-69-AFF »" in problem.message
    assert problem.location.column == "contract"
    assert _state() == before  # not even the allowed row


def test_database_rules_are_checked_before_writing(registry):
    csv = (HEADER + "CLS-01-VEY,FA 9,,Code avec espace,,,,,,,\n")
    status = ("contract,code,title,axis,description,publics,partners,themes,determinants,strategies,approach,status\n"
              "CLS-01-VEY,FA-1.2,Titre,,,,,,,,,presque fini\n")
    for data in (csv, status):
        with pytest.raises(InputRejected) as caught:
            import_action_sheets(data.encode(), format="csv", name="fiches.csv")
        assert {p.code for p in caught.value.problems} <= {"contract_sheet_invalid", "contract_status_unknown"}
    assert not ActionSheet.objects.filter(code="FA 9").exists()


def test_status_labels_are_accepted(registry):
    data = ("contract,code,title,axis,description,publics,partners,themes,determinants,strategies,approach,status\n"
            "CLS-01-VEY,FA-1.2,Dépistage bucco-dentaire dans les écoles maternelles,Accès aux soins,"
            f"\"{registry['sheets']['FA-1.2'].description}\",,Association Bouche en fête,,,,,Réalisée\n")
    import_action_sheets(data.encode(), format="csv", name="fiches.csv")
    assert ActionSheet.objects.get(code="FA-1.2").status == "realisee"


def test_import_summary_says_singular_and_plural():
    one = ImportReport("fiches.csv", created=1, axes_created=["Axe 4"])
    assert one.summary() == ("1 fiche-action lue dans fiches.csv : 1 créée, 0 mise à jour, 0 inchangée. "
                             "Axe créé : Axe 4.")
    many = ImportReport("fiches.csv", updated=2, unchanged=3, axes_created=["Axe 4", "Axe 5"])
    assert many.summary() == ("5 fiches-action lues dans fiches.csv : 0 créée, 2 mises à jour, 3 inchangées. "
                              "Axes créés : Axe 4, Axe 5.")
