"""Background jobs: a report starts at once as a job, its page shows progress then the file; each person
sees only their jobs; failures say why in French."""

import json

import pytest

from equisante.jobs import running
from equisante.jobs.models import DONE, FAILED, QUEUED, Job
from jobs.conftest import login

pytestmark = pytest.mark.django_db


def test_report_job_gives_the_same_file_as_the_page(client, registry, immediate_jobs,
                                                     django_capture_on_commit_callbacks):
    admin = registry["users"]["admin"]
    login(client, admin)
    address = "/profils/CLS-69-AFF/?format=xlsx"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/travaux/rapport/", {"adresse": address, "intitule": "Profil ISTS"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/travaux/{job.pk}/"
    assert job.owner == admin and job.kind == "rapport" and job.state == DONE and job.progress == 100
    assert job.label == "Profil ISTS (XLSX)"
    page = client.get(f"/travaux/{job.pk}/")
    assert "Télécharger" in page.content.decode() and job.result_name in page.content.decode()
    download = client.get(f"/travaux/{job.pk}/fichier/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content)[:2] == b"PK"  # an XLSX workbook
    listing = client.get("/travaux/").content.decode()
    assert "Profil ISTS (XLSX)" in listing and job.result_name in listing


def test_a_job_runs_with_the_rights_of_who_asked(client, registry, immediate_jobs,
                                                 django_capture_on_commit_callbacks):
    """A referent of Ain cannot get the profile of the unpublished Rhône contract through a job."""
    login(client, registry["users"]["referent01"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/travaux/rapport/", {"adresse": "/profils/CLS-69-AFF/?format=pdf"})
    job = Job.objects.get()
    assert job.state == FAILED
    assert job.error == ("Ce rapport ne peut pas être préparé : cette page est introuvable ou n'est pas visible "
                         "avec vos droits")
    assert not job.result_file


def test_only_report_pages_and_formats_are_accepted(client, registry):
    login(client, registry["users"]["admin"])
    for address in ("/contrats/export/?format=csv", "https://ailleurs.example/profils/?format=pdf",
                    "/profils/?format=html"):
        client.post("/travaux/rapport/", {"adresse": address})
    assert not Job.objects.exists()


def test_progress_json_and_the_page_before_the_worker_runs(client, registry):
    """Without the immediate backend the job waits for the worker: the page shows the bar and a reload link."""
    user = registry["users"]["coord01"]
    login(client, user)
    client.post("/travaux/rapport/", {"adresse": "/profils/CLS-01-VEY/?format=pdf"})
    job = Job.objects.get()
    assert job.state == QUEUED
    page = client.get(f"/travaux/{job.pk}/").content.decode()
    assert '<progress id="job-progress" max="100" value="0">' in page
    assert "jobs/progress.js" in page and "<script>" not in page  # no inline script
    assert f'href="/travaux/{job.pk}/"' in page  # « Actualiser » without JavaScript
    Job.objects.filter(pk=job.pk).update(progress=40, message="écriture")
    state = json.loads(client.get(f"/travaux/{job.pk}/etat/").content)
    assert state == {"id": job.pk, "state": "en-attente", "state_label": "en attente", "progress": 40,
                     "message": "écriture", "finished": False, "url": f"/travaux/{job.pk}/"}
    running.execute(job.pk)
    job.refresh_from_db()
    assert job.state == DONE and job.result_name.endswith(".pdf")


def test_jobs_are_private(client, registry):
    job = running.submit("rapport", owner=registry["users"]["coord01"], params={"address": "/profils/?format=pdf"})
    login(client, registry["users"]["partner01"])
    for suffix in ("", "etat/", "fichier/"):
        assert client.get(f"/travaux/{job.pk}/{suffix}").status_code == 404
    client.logout()
    assert client.get(f"/travaux/{job.pk}/").status_code == 302  # to the login page


def test_reporter_writes_progress_but_not_at_every_step(registry):
    job = running.submit("rapport", owner=registry["users"]["admin"], params={})
    reporter = running.JobReporter(job, interval=60)
    reporter.update(1, 10, "lecture")
    reporter.update(2, 10, "lecture")  # too soon, same step: not written
    job.refresh_from_db()
    assert (job.progress, job.message) == (10, "lecture")
    reporter.update(3, 10, "écriture")  # a new step is always written
    job.refresh_from_db()
    assert (job.progress, job.message) == (30, "écriture")


def test_an_unexpected_error_is_told_in_french(registry, monkeypatch):
    from equisante.jobs import kinds  # noqa: F401

    def broken(job, reporter):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setitem(running.KINDS, "rapport", running.Kind("rapport", "Rapport", broken))
    job = running.submit("rapport", owner=registry["users"]["admin"])
    running.execute(job.pk)
    job.refresh_from_db()
    assert job.state == FAILED
    assert job.error.startswith("Une erreur inattendue a interrompu le travail (ZeroDivisionError)")


def test_batch_suggestions_as_a_job(client, registry, immediate_jobs, django_capture_on_commit_callbacks):
    from equisante.contracts.models import SuggestionRecord

    login(client, registry["users"]["coord01"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/travaux/suggestions/CLS-01-VEY/")
    job = Job.objects.get()
    assert response["Location"] == f"/travaux/{job.pk}/" and job.state == DONE, job.error
    # FA-1.2 is the one sheet of the contract that is not coded: its suggestions wait for a person
    assert set(SuggestionRecord.objects.values_list("sheet__code", flat=True)) == {"FA-1.2"}
    assert set(SuggestionRecord.objects.values_list("decision", flat=True)) == {"en-attente"}
    login(client, registry["users"]["partner01"])
    assert client.post("/travaux/suggestions/CLS-01-VEY/").status_code == 403


@pytest.mark.django_db(transaction=True)  # the worker opens and closes its own connections
def test_worker_command_runs_queued_jobs(registry, settings):
    """``equisante worker --batch`` (the task library's database worker) runs what the site queued."""
    from django.db import transaction

    from equisante.jobs.worker import run

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = running.submit("rapport", owner=registry["users"]["admin"], params={"address": "/profils/?format=xlsx"})
    assert transaction.get_autocommit()  # committed at once: the commit hook has queued the task
    run(batch=True)
    job.refresh_from_db()
    assert job.state == DONE, job.error


def test_index_computation_job_says_why_it_fails(client, analyst, immediate_jobs, django_capture_on_commit_callbacks):
    login(client, analyst)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/travaux/indices/", {"index": "inconnu"})
    job = Job.objects.get()
    assert job.state == FAILED and "inconnu" in job.error and job.label == "Calcul de l'indice inconnu"
    login(client, analyst.__class__.objects.get(username="citizen"))
    assert client.post("/travaux/indices/", {"index": "idh2"}).status_code == 403
