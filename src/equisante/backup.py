"""Backups of the whole database and their restoration (``equisante backup`` / ``equisante restore``).

A backup is one ZIP file holding ``manifest.json`` and the database itself:

- SQLite: a copy made with SQLite's online backup API (a consistent snapshot, taken while the service
  keeps running) — ``database.sqlite3``;
- PostgreSQL: ``pg_dump --format=custom`` (one transaction, so a consistent snapshot too) —
  ``database.pgdump``, restored with ``pg_restore``.

The manifest says what the file is (``format``: ``equisante-backup``, ``format_version``), the version
of equisante and the schema (every applied migration) it was made with, the database engine, when, and
the SHA-256 of the database part. :func:`restore` checks all of it before touching anything: a file
that is not a backup, altered, made for another engine, or made by a *newer* schema is refused in
French; a backup of an *older* schema is restored and then migrated forward. Restoring replaces the
whole database (``replace=True`` is required when it already holds data).

See docs/backups.md for the schedule, the retention and the restore drill.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, connections

from equisante import __version__
from equisante.errors import EquisanteError

import equisante.jobs.problems  # noqa: F401  (backup_* codes)

FORMAT = "equisante-backup"
FORMAT_VERSION = 1
PAYLOAD = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


@dataclass
class Manifest:
    engine: str
    created_at: str
    equisante_version: str
    schema: list[str]
    sha256: str
    size: int
    tables: dict

    def to_dict(self) -> dict:
        return {"format": FORMAT, "format_version": FORMAT_VERSION, **self.__dict__}


def engine() -> str:
    vendor = connection.vendor
    if vendor not in PAYLOAD:
        raise EquisanteError("backup_unreadable", path="(base)", reason=f"moteur {vendor} non pris en charge")
    return vendor


def applied_migrations() -> list[str]:
    from django.db.migrations.recorder import MigrationRecorder

    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def known_migrations() -> set[str]:
    from django.db.migrations.loader import MigrationLoader

    return {f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}


def table_counts() -> dict[str, int]:
    """Rows per table of the models (written in the manifest, compared after a restore)."""
    from django.apps import apps

    out = {}
    for model in apps.get_models():
        if model._meta.managed and not model._meta.proxy:
            manager = getattr(model, "_base_manager")
            out[model._meta.db_table] = manager.using(connection.alias).count()
    return dict(sorted(out.items()))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_env() -> tuple[dict, str]:
    settings = connection.settings_dict
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings.get(key):
            env[name] = str(settings[key])
    return env, settings["NAME"]


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise EquisanteError("backup_tool_missing", tool=name)
    return path


def _dump(target: Path) -> None:
    if engine() == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
        return
    env, name = _pg_env()
    subprocess.run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(target), name],
                   check=True, env=env, capture_output=True)


def backup(output: Path) -> Manifest:
    """Write a backup of the whole database to ``output`` (a ZIP file); returns its manifest."""
    output = Path(output)
    kind = engine()
    with tempfile.TemporaryDirectory(prefix="equisante-sauvegarde-") as folder:
        payload = Path(folder) / PAYLOAD[kind]
        counts = table_counts()
        _dump(payload)
        manifest = Manifest(engine=kind, created_at=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                            equisante_version=__version__, schema=applied_migrations(), sha256=_sha256(payload),
                            size=payload.stat().st_size, tables=counts)
        partial = output.with_name(output.name + ".partiel")
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("manifest.json", json.dumps(manifest.to_dict(), indent=2, ensure_ascii=False))
            archive.write(payload, PAYLOAD[kind])
        partial.replace(output)  # never a half-written file under the final name
    return manifest


def read_manifest(path: Path) -> dict:
    """The manifest of a backup file, checked for its format (not yet its content)."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read("manifest.json").decode("utf-8"))
    except FileNotFoundError:
        raise EquisanteError("backup_unreadable", path=str(path), reason="fichier introuvable") from None
    except (zipfile.BadZipFile, KeyError, ValueError, UnicodeDecodeError):
        raise EquisanteError("backup_unreadable", path=str(path),
                             reason="ni archive ZIP ni manifeste lisible") from None
    if manifest.get("format") != FORMAT:
        raise EquisanteError("backup_unreadable", path=str(path), reason="le manifeste n'est pas celui d'equisante")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise EquisanteError("backup_version", path=str(path), found=f"format {manifest.get('format_version')}",
                             expected=f"format {FORMAT_VERSION}")
    return manifest


def check(path: Path) -> dict:
    """Everything :func:`restore` checks before writing: format, engine, schema, checksum. Returns the manifest."""
    path = Path(path)
    manifest = read_manifest(path)
    kind = engine()
    if manifest.get("engine") != kind:
        raise EquisanteError("backup_unreadable", path=str(path),
                             reason=f"sauvegarde {manifest.get('engine')}, base actuelle {kind} (utiliser "
                                    f"« equisante export » / les imports pour changer de moteur)")
    unknown = sorted(set(manifest.get("schema", [])) - known_migrations())
    if unknown:
        raise EquisanteError("backup_version", path=str(path), found=", ".join(unknown[:5]),
                             expected=f"equisante {__version__} (migrations connues de cette version)")
    with zipfile.ZipFile(path) as archive, archive.open(PAYLOAD[kind]) as stream:
        digest = hashlib.sha256()
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != manifest.get("sha256"):
        raise EquisanteError("backup_checksum", path=str(path))
    return manifest


def holds_data() -> str:
    """"" when the database holds no account, territory or contract; else what it holds, in words."""
    from django.contrib.auth import get_user_model
    from django.db.utils import DatabaseError

    from equisante.contracts.models import Contract
    from equisante.territories.models import Territory

    try:
        counts = {"comptes": get_user_model().objects.count(), "territoires": Territory.objects.count(),
                  "contrats": Contract.all_objects.count()}
    except DatabaseError:  # no schema yet
        return ""
    return ", ".join(f"{n} {what}" for what, n in counts.items() if n)


def restore(path: Path, *, replace: bool = False) -> dict:
    """Replace the whole database by the backup ``path`` (checked first); returns its manifest.

    Then runs the migrations, so that a backup of an older schema is brought up to this version."""
    from django.core.management import call_command

    path = Path(path)
    manifest = check(path)
    kind = manifest["engine"]
    present = holds_data()
    if present and not replace:
        raise EquisanteError("backup_not_empty", detail=present)
    with tempfile.TemporaryDirectory(prefix="equisante-restauration-") as folder:
        with zipfile.ZipFile(path) as archive:
            payload = Path(archive.extract(PAYLOAD[kind], folder))
        if kind == "sqlite":
            connection.ensure_connection()
            if connection.in_atomic_block:
                raise RuntimeError("restore() must run outside a transaction")
            source = sqlite3.connect(payload)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
        else:
            env, name = _pg_env()
            connections.close_all()
            result = subprocess.run(
                [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                 "--dbname", name, str(payload)], env=env, capture_output=True, text=True)
            if result.returncode != 0:
                raise EquisanteError("backup_unreadable", path=str(path),
                                     reason="pg_restore a échoué : " + result.stderr.strip()[-400:])
    call_command("migrate", interactive=False, verbosity=0)
    return manifest
