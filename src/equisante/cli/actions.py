"""``equisante import actions``: action sheets of local health contracts (CSV / XLSX, exchange format).

A thin wrapper over :func:`equisante.contracts.exchange.import_action_sheets`: all or nothing; on
refusal the French report (file, line, column, why) goes to stderr and the exit code is 1.
"""

from __future__ import annotations

from pathlib import Path

import click

from equisante.cli import setup_django
from equisante.cli.french import command, fail, option
from equisante.cli.options import format_option


@command(name="actions")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@format_option(formats=("csv", "xlsx"),
              help="Format du fichier ; par défaut d'après son extension.")
@option("--user", "username", metavar="IDENTIFIANT",
              help="Importer au nom de ce compte : ses droits sont vérifiés et les codages sont validés à son nom.")
def actions(file: Path, fmt: str | None, username: str | None) -> None:
    """Importer des fiches-action codées (colonnes contract, code, axis, title, description, publics,
    partners, themes, determinants, strategies, approach).

    Une fiche existante (même contrat, même code) est mise à jour ; réimporter le même fichier ne
    change rien. À la moindre erreur, rien n'est importé."""
    setup_django()
    import equisante.contracts.problems  # noqa: F401  (declares the error codes used here)
    from django.contrib.auth import get_user_model

    from equisante.jobs.imports import import_sheets  # leaves a trace of what changed
    from equisante.errors import EquisanteError

    try:
        user = None
        if username:
            try:
                user = get_user_model().objects.get(username=username)
            except get_user_model().DoesNotExist:
                raise EquisanteError("contract_user_unknown", username=username) from None
        report = import_sheets(file, file.name, user=user, channel="cli", fmt=fmt)
    except EquisanteError as exc:
        fail(exc)
    click.echo(report.summary)
