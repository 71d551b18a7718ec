"""The yearly review of a small hand-made contract: its figures, its workflow, its pages and files."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from contracts.sample import PASSWORD
from equisante.errors import EquisanteError
from equisante.followup import reviews
from equisante.followup.building import review_figures
from equisante.followup.models import REVIEW_SUBMITTED, REVIEW_VALIDATED, AnnualReview, ReviewApproval


def test_progress_by_axis_and_sheet(followed):
    fig = review_figures(followed["contracts"]["CLS-01-VEY"], 2025)
    axis1, axis2 = fig.progress.axes
    assert [s.sheet for s in axis1.sheets] == ["FA-1.1", "FA-1.2"]
    assert axis1.mean_percent == 87.5          # (75 + 100) / 2
    assert axis2.mean_percent == 0.0           # not started
    assert fig.progress.overall.mean_percent == round((75 + 100 + 0) / 3, 1)


def test_indicators_against_targets(followed):
    fig = review_figures(followed["contracts"]["CLS-01-VEY"], 2025)
    by_label = {s.reading.label: s for s in fig.indicators}
    people = by_label["Personnes accompagnées"]
    assert (people.reading.value, people.reading.previous, people.status, people.achieved) == (150, 80, "en progrès", 75.0)
    children = by_label["Enfants examinés"]
    assert (children.status, children.achieved) == ("atteint", 133.3)
    assert fig.indicator_counts["atteint"] == 1 and fig.indicator_counts["en progrès"] == 1
    assert "Personnes accompagnées" in fig.indicator_chart()


def test_financial_table_consolidated_by_funder(followed):
    fig = review_figures(followed["contracts"]["CLS-01-VEY"], 2025)
    rows = {r.funder: r for r in fig.funding}
    ars = rows["ARS de démonstration"]
    assert (ars.requested, ars.granted, ars.spent) == (17000, 14000, 11500)
    assert ars.granted_rate == 82.4 and ars.spent_rate == 82.1
    assert (rows["Total"].requested, rows["Total"].granted, rows["Total"].spent) == (20000, 17000, 14500)
    assert list(rows) == ["ARS de démonstration", "Ville de Saint-Étienne-du-Bois", "Total"]
    assert fig.funding_all_years[-1].granted == 19000  # 2024 included


def test_profile_compared_with_the_previous_year(followed):
    from equisante.followup.models import SheetProgress

    # FA-2.1 abandoned in 2024: it leaves the portfolio of 2025
    SheetProgress.objects.filter(sheet=followed["sheets"]["FA-2.1"], year=2025).delete()
    SheetProgress.objects.create(sheet=followed["sheets"]["FA-2.1"], year=2024, state="abandonnee")
    fig = review_figures(followed["contracts"]["CLS-01-VEY"], 2025)
    assert fig.previous_profile.n_sheets == 3 and fig.profile.n_sheets == 2
    assert [s.sheet for s in fig.progress.overall.sheets] == ["FA-1.1", "FA-1.2"]
    assert all(s["change"] is not None for s in fig.comparison.strategies)


def test_workflow_draft_submit_each_signatory_approves_then_validated_and_archived(followed):
    contract = followed["contracts"]["CLS-01-VEY"]
    coord, partner = followed["users"]["coord01"], followed["users"]["partner01"]
    review = reviews.review_for(contract, 2025, coord, create=True)
    reviews.save_draft(review, coord, summary="Une année de mise en œuvre.", participation="",
                       axis_texts={"1": "Bonne dynamique.", "2": ""})
    assert review.axis_texts == {"1": "Bonne dynamique."}
    signatories = list(contract.signatories.order_by("name"))
    with pytest.raises(EquisanteError) as error:
        reviews.approve(review, signatories[0], partner)
    assert error.value.code == "followup_review_not_submitted"
    reviews.submit(review, coord)
    with pytest.raises(EquisanteError):
        reviews.save_draft(review, coord, summary="x", participation="", axis_texts={})
    for actor in signatories[:-1]:
        review = reviews.approve(review, actor, partner)
        assert review.status == REVIEW_SUBMITTED
    with pytest.raises(EquisanteError) as error:
        reviews.approve(review, signatories[0], partner)
    assert error.value.code == "followup_already_approved"
    outsider = followed["actors"]["Office HLM du Bois"]
    with pytest.raises(EquisanteError) as error:
        reviews.approve(review, outsider, partner)
    assert error.value.code == "followup_not_signatory"
    review = reviews.approve(review, signatories[-1], partner)
    assert review.status == REVIEW_VALIDATED and review.validated_at is not None
    assert ReviewApproval.objects.filter(review=review).count() == 3
    assert review.snapshot["funding"][-1]["accorde"] == 17000
    review = reviews.archive(review, coord)
    assert review.status == "archive"


def test_review_page_rights_and_public_once_validated(followed, client):
    url = reverse("followup:review", args=["CLS-01-VEY", 2025])
    assert client.get(url).status_code == 404  # nothing validated: the public sees nothing
    client.login(username="coord01", password=PASSWORD)
    page = client.get(url)
    assert page.status_code == 200 and "Rédiger le bilan" in page.content.decode()
    response = client.post(url, {"action": "soumettre", "summary": "Synthèse.", "participation": "",
                                 "axis_1": "Texte de l'axe 1", "axis_2": ""})
    assert response.status_code == 302
    assert AnnualReview.objects.get(year=2025).status == REVIEW_SUBMITTED
    client.logout()
    client.login(username="partner01", password=PASSWORD)
    contract = followed["contracts"]["CLS-01-VEY"]
    for actor in contract.signatories.all():
        client.post(url, {"action": "valider", "signatory": actor.pk})
    assert AnnualReview.objects.get(year=2025).status == REVIEW_VALIDATED
    client.logout()
    public = client.get(url)
    assert public.status_code == 200 and "Texte de l&#x27;axe 1" in public.content.decode()
    from openpyxl import load_workbook

    frozen = load_workbook(io.BytesIO(client.get(url + "?format=xlsx").content))
    assert list(frozen["Financements (figé)"].values)[-1][0] == "Total"
    assert client.get(reverse("followup:review", args=["CLS-69-AFF", 2025])).status_code == 404


def test_pdf_lists_indicators_against_targets_and_xlsx_tables(followed, client):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    client.login(username="coord01", password=PASSWORD)
    url = reverse("followup:review", args=["CLS-01-VEY", 2025])
    pdf = client.get(url + "?format=pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Personnes accompagnées" in text and "Enfants examinés" in text and "Cible" in text
    from pdfcheck import check_accessible_pdf

    check_accessible_pdf(pdf.content, title=["Bilan 2025", followed["contracts"]["CLS-01-VEY"].name])
    workbook = load_workbook(io.BytesIO(client.get(url + "?format=xlsx").content))
    assert {"Avancement", "Indicateurs", "Financements", "À propos"} <= set(workbook.sheetnames)
    assert not any(name.islower() for name in workbook.sheetnames), workbook.sheetnames
    rows = list(workbook["Financements"].values)
    assert rows[0][0] == "Financeur" and rows[-1][0] == "Total"


def test_regional_rollup_counts_reviewed_late_and_validated(followed, client):
    contract = followed["contracts"]["CLS-01-VEY"]
    review = reviews.review_for(contract, 2024, create=True)
    reviews.submit(review, None)
    client.login(username="admin", password=PASSWORD)
    page = client.get(reverse("followup:rollup") + "?annee=2024").content.decode()
    assert "2 contrats : 1 bilan rédigé, 0 validé par les partenaires, 2 en retard" in page
    csv = client.get(reverse("followup:rollup") + "?annee=2024&format=csv").content.decode("utf-8-sig")
    assert "CLS-01-VEY" in csv and "Soumis aux partenaires" in csv


def test_sheet_followup_page_saves_year_values_and_progress(followed, client):
    sheet = followed["sheets"]["FA-1.1"]
    people = followed["indicators"]["people"]
    url = reverse("followup:sheet", args=["CLS-01-VEY", "FA-1.1"])
    client.login(username="partner01", password=PASSWORD)
    assert client.post(url + "?annee=2026", {"action": "annee", "state": "realisee"}).status_code == 403
    client.logout()
    client.login(username="coord01", password=PASSWORD)
    response = client.post(url + "?annee=2026", {"action": "annee", "annee": "2026", "state": "realisee",
                                                  "percent": "100", f"value_{people.pk}": "210"})
    assert response.status_code == 302
    assert people.measures.get(year=2026).value == 210
    assert sheet.progress.get(year=2026).state == "realisee"
    refused = client.post(url + "?annee=2026", {"action": "annee", "percent": "50"})
    assert refused.status_code == 200 and "Indiquer l’état d’avancement" in refused.content.decode()
    client.post(url, {"action": "modele-logique", "inputs": "1 médiateur", "activities": "Permanences",
                      "outputs": "50 permanences", "outcomes": "Moins de non-recours"})
    assert sheet.logic_model.complete
