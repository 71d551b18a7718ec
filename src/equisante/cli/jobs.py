"""``equisante worker``: run the background jobs (reports, imports, calculations started from the site)."""

from __future__ import annotations

import click

from equisante.cli import setup_django
from equisante.cli.french import command, option


@command()
@option("--interval", default=1.0, show_default=True, type=float,
        help="Secondes d'attente entre deux lectures de la file quand elle est vide.")
@option("--batch", is_flag=True, help="Traiter les travaux en attente puis s'arrêter.")
def worker(interval: float, batch: bool) -> None:
    """Exécuter les travaux en arrière-plan demandés sur le site (rapports, imports, calculs).

    `equisante serve` en démarre un automatiquement (sauf EQUISANTE_WORKER=off) ; lancer celui-ci comme
    service à part quand le serveur web tourne ailleurs. Aucun autre serveur n'est nécessaire : la file
    est dans la base de données."""
    setup_django()
    from equisante.jobs.worker import run

    click.echo("Exécution des travaux en arrière-plan (Ctrl+C pour arrêter).", err=True)
    run(interval=interval, batch=batch)
