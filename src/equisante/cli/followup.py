"""``equisante import followup``: indicators, progress or money of action sheets (CSV / XLSX).

A thin wrapper over :func:`equisante.followup.importing.import_followup`: all or nothing; on refusal
the French report (file, line, column, why) goes to stderr and the exit code is 1.
"""

from __future__ import annotations

from pathlib import Path

import click

from equisante.cli import setup_django
from equisante.cli.french import command, fail, option
from equisante.cli.options import plural


@command(name="followup")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@option("--table", type=click.Choice(["indicateurs", "avancement", "financements"]), required=True,
        help="Ce que contient le fichier : indicateurs (et leurs valeurs), avancement, financements.")
def followup(file: Path, table: str) -> None:
    """Importer le suivi annuel des fiches-action (colonnes décrites dans docs/followup.md).

    À la moindre erreur, rien n'est importé ; réimporter le même fichier ne change rien."""
    setup_django()
    from equisante.contracts.models import Contract
    from equisante.errors import EquisanteError
    from equisante.followup.importing import import_followup

    try:
        n = import_followup(file.read_bytes(), file.name, table, Contract.objects.all())
    except EquisanteError as exc:
        fail(exc)
    click.echo(f"{plural(n, 'ligne de suivi importée', 'lignes de suivi importées')} ({table}).")
