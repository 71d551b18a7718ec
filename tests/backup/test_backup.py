"""``equisante backup`` / ``restore``: backup → wipe → restore gives identical data (SQLite and PostgreSQL,
whichever the suite runs on); the file says its version and is checked before anything is written."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from click.testing import CliRunner
from django.core.management import call_command

from contracts.sample import build_registry
from equisante.backup import FORMAT, backup, check, restore
from equisante.errors import EquisanteError

pytestmark = pytest.mark.django_db(transaction=True)


def dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", all=True, natural_foreign=False, indent=0, stdout=out,
                 exclude=["sessions", "contenttypes", "auth.permission"])
    return out.getvalue()


def test_backup_wipe_restore_gives_identical_data(tmp_path):
    from equisante.contracts import recycling, services

    data = build_registry()
    services.update_sheet(data["sheets"]["FA-1.2"], {"budget": 1500}, user=data["users"]["coord01"])
    recycling.delete_contract(data["contracts"]["CLS-69-AFF"], user=data["users"]["admin"])  # soft-deleted rows too
    before = dump()
    assert '"CLS-69-AFF"' in before and '"budget": 1500' in before
    path = tmp_path / "sauvegarde.zip"
    manifest = backup(path)
    assert manifest.tables["contracts_contract"] == 2 and manifest.schema

    call_command("flush", interactive=False, verbosity=0)  # wipe
    assert '"CLS-69-AFF"' not in dump()
    restored = restore(path)
    assert restored["sha256"] == manifest.sha256
    assert dump() == before


def test_the_file_says_its_version_and_is_checked(tmp_path):
    build_registry()
    path = tmp_path / "sauvegarde.zip"
    backup(path)
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        names = archive.namelist()
    assert manifest["format"] == FORMAT and manifest["format_version"] == 1
    assert manifest["equisante_version"] and "contracts.0001_initial" in manifest["schema"]
    assert check(path)["sha256"] == manifest["sha256"]

    # a database that holds data is replaced only when asked
    with pytest.raises(EquisanteError, match="--replace"):
        restore(path)

    # altered content
    altered = tmp_path / "alteree.zip"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(altered, "w") as target:
        for name in names:
            content = source.read(name)
            target.writestr(name, content if name == "manifest.json" else content[:-10] + b"0123456789")
    with pytest.raises(EquisanteError, match="altérée"):
        check(altered)

    # made by a newer schema than this version knows
    newer = tmp_path / "plus-recente.zip"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(newer, "w") as target:
        for name in names:
            content = source.read(name)
            if name == "manifest.json":
                content = json.dumps({**manifest, "schema": manifest["schema"] + ["contracts.0999_futur"]}).encode()
            target.writestr(name, content)
    with pytest.raises(EquisanteError, match="0999_futur"):
        check(newer)

    # not a backup at all
    other = tmp_path / "autre.zip"
    other.write_text("pas une archive")
    with pytest.raises(EquisanteError, match="n'est pas une sauvegarde equisante lisible"):
        check(other)


def test_command_line(tmp_path):
    from equisante.cli import main

    build_registry()
    path = tmp_path / "s.zip"
    runner = CliRunner()
    result = runner.invoke(main, ["backup", "-o", str(path)])
    assert result.exit_code == 0 and "Sauvegarde écrite" in result.output, result.output
    result = runner.invoke(main, ["restore", str(path), "--check"])
    assert result.exit_code == 0 and "Sauvegarde vérifiée" in result.output
    result = runner.invoke(main, ["restore", str(path)])
    assert result.exit_code == 1 and "--replace" in result.output
    result = runner.invoke(main, ["restore", str(path), "--replace"])
    assert result.exit_code == 0 and "Base restaurée" in result.output, result.output
