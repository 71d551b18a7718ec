"""``equisante backup`` and ``equisante restore``: the whole database in one checked file (docs/backups.md)."""

from __future__ import annotations

from pathlib import Path

import click

from equisante.cli import setup_django
from equisante.cli.french import command, fail, option


def _fail(exc) -> None:
    fail(exc)


@command()
@option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
        help="Fichier de sauvegarde à écrire (par exemple equisante-2026-12-04.zip).")
def backup(output: Path) -> None:
    """Sauvegarder toute la base de données dans un fichier (SQLite ou PostgreSQL), sans arrêter le service.

    Le fichier contient un manifeste (version d'equisante, schéma, moteur, empreinte SHA-256) vérifié
    à la restauration. Calendrier, conservation et exercice de restauration : docs/backups.md."""
    setup_django()
    from equisante.backup import backup as make_backup
    from equisante.errors import EquisanteError

    try:
        manifest = make_backup(output)
    except EquisanteError as exc:
        _fail(exc)
    rows = sum(manifest.tables.values())
    click.echo(f"Sauvegarde écrite : {output} ({manifest.engine}, {rows} lignes, equisante "
               f"{manifest.equisante_version}, empreinte SHA-256 {manifest.sha256[:12]}…).")


@command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@option("--replace", is_flag=True, help="Remplacer une base qui contient déjà des données.")
@option("--check", "only_check", is_flag=True, help="Vérifier le fichier sans rien restaurer.")
def restore(file: Path, replace: bool, only_check: bool) -> None:
    """Restaurer toute la base de données depuis une sauvegarde d'`equisante backup`.

    Le fichier est vérifié d'abord (format, moteur, version du schéma, empreinte) : s'il ne convient
    pas, rien n'est modifié. Arrêter le service (serveur web et travaux) avant de restaurer."""
    setup_django()
    from equisante.backup import check, restore as do_restore
    from equisante.errors import EquisanteError

    try:
        manifest = check(file) if only_check else do_restore(file, replace=replace)
    except EquisanteError as exc:
        _fail(exc)
    verb = "Sauvegarde vérifiée" if only_check else "Base restaurée"
    click.echo(f"{verb} : {file} (faite le {manifest['created_at']} avec equisante {manifest['equisante_version']}, "
               f"{sum(manifest['tables'].values())} lignes).")
