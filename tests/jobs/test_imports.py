"""Imports from the browser, as jobs: same checks and French messages as the command line, a template per
format, and the list of what the import changed (also kept as an import trace, for the CLI too)."""

import pytest
from click.testing import CliRunner

from equisante.jobs.models import DONE, FAILED, ImportTrace, Job
from jobs.conftest import login

pytestmark = pytest.mark.django_db

CATALOGUE = ("code,label,unit,polarity,multiplier,source\n"
             "part_65,Part des 65 ans et plus,%,neutral,100,Recensement de la population\n")
VALUES = ("indicator,level,code,period,numerator,denominator\n"
          "part_65,commune,01001,2021,180,850\n"
          "part_65,commune,01002,2021,400,2345\n")


def upload(client, fmt, name, text, **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/travaux/importer/", {"format": fmt, "file": SimpleUploadedFile(name, text.encode()), **extra})


@pytest.fixture
def run_jobs(immediate_jobs, django_capture_on_commit_callbacks):
    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            response = action()
        return response, Job.objects.order_by("-id").first()
    return run


def test_analyst_imports_catalogue_then_values_and_reads_the_changes(client, analyst, run_jobs):
    from equisante.indicators.models import Indicator, Value

    login(client, analyst)
    response, job = run_jobs(lambda: upload(client, "catalogue", "catalogue.csv", CATALOGUE))
    assert response["Location"] == f"/travaux/{job.pk}/" and job.state == DONE, job.error
    assert Indicator.objects.get(code="part_65").label == "Part des 65 ans et plus"
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Ce que l’import a changé" in page and "part_65" in page and "Part des 65 ans et plus" in page

    response, job = run_jobs(lambda: upload(client, "valeurs", "valeurs.csv", VALUES))
    assert job.state == DONE, job.error
    assert Value.objects.filter(indicator__code="part_65").count() == 2
    assert job.result["counts"] == {"créés": 2, "modifiés": 0, "inchangés": 0}
    objects = [c["object"] for c in job.result["changes"]]
    assert objects == ["part_65 — commune 01001 — 2021", "part_65 — commune 01002 — 2021"]
    page = client.get(job.get_absolute_url()).content.decode()
    assert "part_65 — commune 01001 — 2021" in page and "création" in page

    # the same file again changes nothing; one changed line is one modification, before → after
    _response, job = run_jobs(lambda: upload(client, "valeurs", "valeurs.csv", VALUES))
    assert job.result["counts"] == {"créés": 0, "modifiés": 0, "inchangés": 2} and job.result["changes"] == []
    assert "Aucune donnée n’a changé" in client.get(job.get_absolute_url()).content.decode()
    _response, job = run_jobs(lambda: upload(client, "valeurs", "valeurs.csv", VALUES.replace("180,850", "170,850")))
    assert job.result["counts"] == {"créés": 0, "modifiés": 1, "inchangés": 1}
    [change] = job.result["changes"]
    assert change["object"] == "part_65 — commune 01001 — 2021" and change["action"] == "modification"
    assert {"label": "valeur", "before": "21,1765", "after": "20"} in change["fields"]

    traces = list(ImportTrace.objects.order_by("id"))
    assert [(t.kind, t.channel, t.user) for t in traces] == [("catalogue", "site", analyst)] + \
        [("valeurs", "site", analyst)] * 3
    page = client.get("/travaux/importer/").content.decode()
    assert "Derniers imports" in page and "valeurs.csv" in page
    trace_page = client.get(f"/travaux/importer/traces/{traces[-1].pk}/").content.decode()
    assert "part_65 — commune 01001 — 2021" in trace_page


def test_a_faulty_file_imports_nothing_and_says_where_in_french(client, analyst, run_jobs):
    from equisante.indicators.models import Value

    login(client, analyst)
    upload(client, "catalogue", "catalogue.csv", CATALOGUE)
    bad = VALUES + "part_65,commune,99999,2021,10,5\n"
    _response, job = run_jobs(lambda: upload(client, "valeurs", "valeurs.csv", bad))
    assert job.state == FAILED
    assert "valeurs.csv" in job.error and "ligne 4" in job.error and "99999" in job.error
    assert not Value.objects.filter(indicator__code="part_65").exists()
    assert not ImportTrace.objects.filter(kind="valeurs").exists()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Le travail n’a pas abouti" in page and "99999" in page


def test_roles_and_formats(client, registry, analyst):
    login(client, registry["users"]["citizen"])
    assert client.get("/travaux/importer/").status_code == 403
    login(client, registry["users"]["coord01"])  # may import the sheets of their contract only
    page = client.get("/travaux/importer/").content.decode()
    assert "Fiches-action" in page and "Catalogue d&#x27;indicateurs" not in page
    response = upload(client, "catalogue", "catalogue.csv", CATALOGUE)
    assert response.status_code == 200 and not Job.objects.exists()
    assert client.get("/travaux/importer/modele/catalogue/").status_code == 404
    login(client, analyst)
    response = upload(client, "valeurs", "valeurs.pdf", VALUES)
    assert "Extension « .pdf » inattendue" in response.content.decode() and not Job.objects.exists()
    response = upload(client, "territoires", "communes.geojson", "{}")
    assert "Choisir le niveau des territoires du fichier." in response.content.decode()


@pytest.mark.parametrize("fmt", ["catalogue", "valeurs", "fiches", "territoires", "cog"])
def test_templates_are_read_by_the_importers_without_a_column_problem(client, analyst, registry, fmt):
    import io

    from equisante.actionsheets import read_action_sheets
    from equisante.indicators.reading import read_catalogue, read_values
    from equisante.territories.reading import read_cog, read_geojson

    registry["users"]["admin"]  # the admin may use every format
    login(client, registry["users"]["admin"])
    response = client.get(f"/travaux/importer/modele/{fmt}/")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    name = response["Content-Disposition"].split('filename="')[1].rstrip('"')
    data = response.content
    if fmt == "catalogue":
        assert read_catalogue(io.BytesIO(data), name=name).problems == []
    elif fmt == "valeurs":
        reading = read_values(io.BytesIO(data), name=name)
        assert reading.problems == [] and reading.records[0].indicator == "part_65_ans_plus"
    elif fmt == "fiches":
        assert data.decode("utf-8-sig").startswith("Contrat;Code de la fiche;Axe;Titre")  # French headers
        records = read_action_sheets(data, format="csv", known_contracts={"CLS-01-EXEMPLE"}, name=name)
        assert records[0].code == "FA-1.1"
    elif fmt == "territoires":
        assert read_geojson(io.BytesIO(data), level="commune", name=name).problems == []
    else:
        reading = read_cog(io.BytesIO(data), level="commune", name=name)
        assert reading.problems == [] and reading.records[0].code == "01001"


def test_command_line_imports_leave_a_trace(registry, tmp_path):
    from equisante.cli import main

    path = tmp_path / "catalogue.csv"
    path.write_text(CATALOGUE, encoding="utf-8")
    result = CliRunner().invoke(main, ["import", "indicators", str(path), "--catalogue"])
    assert result.exit_code == 0, result.output
    assert "1 indicateur lu — 1 créé, 0 modifié, 0 inchangé." in result.output
    trace = ImportTrace.objects.get()
    assert (trace.kind, trace.channel, trace.user) == ("catalogue", "cli", None)
    assert trace.changes[0]["object"] == "part_65"


def test_import_traces_cannot_be_changed_or_deleted(registry, tmp_path):
    from equisante.errors import EquisanteError
    from equisante.jobs.imports import record_summary

    trace = record_summary("appartenances", "epci.csv", "3 appartenances").trace
    trace.summary = "autre chose"
    with pytest.raises(EquisanteError):
        trace.save()
    with pytest.raises(EquisanteError):
        trace.delete()
    with pytest.raises(EquisanteError):
        ImportTrace.objects.all().delete()
    with pytest.raises(EquisanteError):
        ImportTrace.objects.update(summary="x")
    assert ImportTrace.objects.get().summary == "3 appartenances"
