"""The demonstration calls (loaded by ``equisante demo``) and the ``equisante calls`` commands on them."""

from __future__ import annotations

import io

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from equisante.cli import main
from equisante.demo import loading

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(monkeypatch, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setattr(loading, "EXTRA_LOADERS", ["equisante.prioritisation.demo", "equisante.contracts.demo",
                                                   "equisante.calls.demo"])
    result = CliRunner().invoke(main, ["demo", "--communes", "40", "--seed", "5"])
    assert result.exit_code == 0, result.output
    return result.output


def test_demo_has_a_decided_call_and_an_open_ami(demo, tmp_path):
    from equisante.calls.models import Application, Assignment, Call, Event

    assert "1000 premiers jours" in demo and "conflit d'intérêts" in demo
    aap = Call.objects.get(code="demo-1000-jours")
    ami = Call.objects.get(code="demo-ami-inegalites")
    assert aap.state == "decide" and ami.state == "ouvert"
    assert aap.applications.count() == 36 and ami.applications.count() == 12
    assert not aap.applications.filter(decision="").exists()
    assert Assignment.objects.filter(application__call=aap, conflict=True).count() == 1
    overridden = Application.objects.filter(call=aap, override=True)
    assert overridden.count() == 1 and overridden.get().decision == "retenu"
    assert Event.objects.filter(call=aap, action="etat").count() == 3
    # every département of the region has a retained project (coverage wish)
    retained = aap.applications.exclude(decision="refuse")
    from equisante.calls.services import applications_frame

    frame = applications_frame(aap)
    departements = set(frame["departement"])
    assert departements == set(frame.loc[frame["reference"].isin(retained.values_list("reference", flat=True)),
                                         "departement"])

    # the pages of both calls
    from django.test import Client

    client = Client()
    assert "1000 premiers jours" in client.get("/appels/").content.decode()
    stats = client.get("/appels/demo-1000-jours/statistiques/").content.decode()
    assert f'data-key="retained">{retained.count()}<' in stats
    assert client.get("/appels/demo-ami-inegalites/statistiques/").status_code == 404  # not decided yet
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="demo-admin"))
    page = client.get("/appels/demo-1000-jours/selection/").content.decode()
    assert 'id="ranking-table"' in page and "Seul projet porté par un centre de santé" in page
    conflicted = Assignment.objects.get(application__call=aap, conflict=True)
    client.force_login(conflicted.reviewer)
    page = client.get(conflicted.application.get_absolute_url()).content.decode()
    assert 'id="conflict-notice"' in page and 'id="scores-table"' not in page

    # the command line on the same call
    runner = CliRunner()
    out = tmp_path / "bilan.xlsx"
    letters = tmp_path / "lettres"
    result = runner.invoke(main, ["calls", "report", "--call", "demo-1000-jours", "-o", str(out),
                                  "--letters", str(letters)])
    assert result.exit_code == 0, result.output
    book = load_workbook(io.BytesIO(out.read_bytes()))
    summary = {r[0]: r[1] for r in book["Synthèse"].iter_rows(min_row=2, values_only=True)}
    assert summary["projets retenus"] == retained.count()
    assert len(list(letters.glob("*.pdf"))) == 36
    result = runner.invoke(main, ["calls", "select", "--call", "demo-ami-inegalites"])
    assert result.exit_code == 0, result.output
    assert "projets retenus" in result.output or "projet retenu" in result.output
    result = runner.invoke(main, ["calls", "report", "--call", "inconnu"])
    assert result.exit_code == 1 and "demo-1000-jours" in result.output


def test_cli_import_refuses_a_malformed_file_then_imports(world, tmp_path):
    call = world["call"]
    call.state = "ouvert"
    call.save()
    bad = tmp_path / "candidatures.csv"
    bad.write_text("reference;title;promoter;promoter_kind;territories;requested\n"
                   "Z1;Projet;Asso;association;93001;1000\nZ2;Projet;Asso;association;NOPE;1000\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["calls", "import", str(bad), "--call", "mille-jours"])
    assert result.exit_code == 1
    assert "ligne 3, colonne « Territoires »" in result.output and "rien n'a été importé" in result.output
    assert not call.applications.filter(reference="Z1").exists()
    bad.write_text("reference;title;promoter;promoter_kind;territories;requested\n"
                   "Z1;Projet;Asso;association;93001;1000\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["calls", "import", str(bad), "--call", "mille-jours"])
    assert result.exit_code == 0 and "1 candidature créée" in result.output


def test_cli_select_on_a_file_without_database(tmp_path):
    table = tmp_path / "candidatures.csv"
    table.write_text("ref,score,cost,dep\nA,10,50,93\nB,9,50,93\nC,1,50,95\n", encoding="utf-8")
    out = tmp_path / "proposition.csv"
    result = CliRunner().invoke(main, ["calls", "select", str(table), "--budget", "100", "--cover", "dep",
                                       "--min-per-group", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    # the French CSV of the command line's one table writer: « ; », booleans as « oui » / « non »
    rows = [line.split(";") for line in out.read_text(encoding="utf-8-sig").splitlines()]
    first = next(row for row in rows if row[0] == "A")
    assert first[:5] == ["A", "10", "50", "93", "oui"] and "couverture" in out.read_text(encoding="utf-8-sig")
    result = CliRunner().invoke(main, ["calls", "select", str(table), "--budget", "40", "--cover", "dep",
                                       "--min-per-group", "1"])
    assert result.exit_code == 1 and "l'enveloppe n'est que de 40 €" in result.output
