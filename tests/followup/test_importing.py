"""Importing the follow-up: all or nothing, French problems with line and column, idempotent."""

from __future__ import annotations

import pytest
from django.urls import reverse

from contracts.sample import PASSWORD
from equisante.contracts.models import Contract
from equisante.errors import InputRejected
from equisante.followup.importing import import_followup
from equisante.followup.models import IndicatorMeasure, SheetFunding, SheetIndicator, SheetProgress

INDICATORS = ("contrat,fiche,indicateur,type,unité,source,valeur_initiale,date_initiale,cible,date_cible,annee,valeur\n"
              "CLS-01-VEY,FA-2.1,Logements visités,processus,logements,Service d'hygiène,0,2024-01-01,60,31/12/2027,2025,25\n"
              "CLS-01-VEY,FA-2.1,Logements visités,processus,logements,Service d'hygiène,0,2024-01-01,60,31/12/2027,2026,41\n")


def test_indicators_progress_and_money_imported_twice_change_nothing(followed):
    everything = Contract.objects.all()
    assert import_followup(INDICATORS.encode(), "indicateurs.csv", "indicateurs", everything) == 2
    assert import_followup(INDICATORS.encode(), "indicateurs.csv", "indicateurs", everything) == 2
    indicator = SheetIndicator.objects.get(label="Logements visités")
    assert (indicator.target, str(indicator.target_date)) == (60, "2027-12-31")
    assert sorted(IndicatorMeasure.objects.filter(indicator=indicator).values_list("year", "value")) == [
        (2025, 25), (2026, 41)]
    progress = "contrat;fiche;annee;etat;pourcentage\nCLS-01-VEY;FA-2.1;2026;En cours;30\n"
    import_followup(progress.encode(), "avancement.csv", "avancement", everything)
    assert SheetProgress.objects.get(sheet__code="FA-2.1", year=2026).percent == 30
    money = ("contrat,fiche,financeur,annee,demande,accorde,depense\n"
             "CLS-01-VEY,FA-2.1,Ville de Saint-Étienne-du-Bois,2026,5000,4000,1000\n"
             "CLS-01-VEY,FA-2.1,Fondation privée,2026,2000,,\n")
    for _ in range(2):
        import_followup(money.encode(), "financements.csv", "financements", everything)
    lines = SheetFunding.objects.filter(sheet__code="FA-2.1", year=2026)
    assert lines.count() == 2
    assert lines.get(funder__isnull=False).granted == 4000 and lines.get(funder=None).funder_name == "Fondation privée"


def test_nothing_imported_when_a_row_is_wrong(followed):
    bad = (INDICATORS + "CLS-01-VEY,FA-9,Inconnu,processus,,,,,,,2025,1\n"
           "CLS-01-VEY,FA-1.1,Personnes,effet,,,abc,,,,2025,1\n")
    with pytest.raises(InputRejected) as error:
        import_followup(bad.encode(), "indicateurs.csv", "indicateurs", Contract.objects.all())
    report = error.value.report()
    assert "ligne 4" in report and "FA-9" in report
    # the place is named by the French header of the column, whatever spelling the file used
    assert "ligne 5" in report and "colonne « Type »" in report and "colonne « Valeur initiale »" in report
    assert not SheetIndicator.objects.filter(label="Logements visités").exists()
    with pytest.raises(InputRejected) as error:
        import_followup(b"contrat,fiche\nCLS-01-VEY,FA-1.1\n", "x.csv", "avancement", Contract.objects.all())
    assert "La colonne « Année » manque" in error.value.report()


def test_import_page_for_the_coordination_only(followed, client):
    url = reverse("followup:import", args=["CLS-01-VEY"])
    client.login(username="partner01", password=PASSWORD)
    assert client.get(url).status_code == 403
    client.logout()
    client.login(username="coord01", password=PASSWORD)
    page = client.get(url).content.decode()
    for table in ("indicateurs", "avancement", "financements"):  # the templates, with the French headers
        assert f'href="/modeles/suivi-{table}.xlsx"' in page and f'href="/modeles/suivi-{table}.csv"' in page
    assert "Télécharger le modèle" in page and "« Valeur initiale »" in page and "valeur_initiale" not in page
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(url, {"table": "indicateurs",
                                 "fichier": SimpleUploadedFile("i.csv", INDICATORS.encode(), "text/csv")})
    assert response.status_code == 302 and SheetIndicator.objects.filter(label="Logements visités").exists()
    refused = client.post(url, {"table": "avancement",
                                "fichier": SimpleUploadedFile("a.csv", b"contrat,fiche,annee,etat\nCLS-01-VEY,FA-1.1,20x5,fini\n")})
    assert "Fichier refusé" in refused.content.decode()
