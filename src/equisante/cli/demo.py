"""``equisante demo``: generate the fictional demonstration region and load it into the database.

A thin wrapper over :func:`equisante.demo.generator.generate_region` and
:func:`equisante.demo.loading.load_region`; on refusal the French message goes to stderr and the
exit code is 1.
"""

from __future__ import annotations

import time

import click
from equisante.cli.french import command, fail, option


DEFAULT_SEED = 2024
DEFAULT_COMMUNES = 300
#: The generator's four départements need ten communes each.
MINIMUM_COMMUNES = 40


@command()
@option("--seed", type=int, default=DEFAULT_SEED, show_default=True,
              help="Graine du générateur : la même graine donne toujours la même région.")
@option("--communes", "n_communes", type=int, default=DEFAULT_COMMUNES, show_default=True,
              help="Nombre de communes de la région (au moins 40 : 4 départements de 10 communes).")
@option("--replace", is_flag=True,
              help="Remplacer la région de démonstration déjà chargée (ses données fictives sont supprimées).")
@option("--if-empty", "if_empty", is_flag=True,
              help="Ne rien faire si la base contient déjà des territoires (démarrage rapide).")
def demo(seed: int, n_communes: int, replace: bool, if_empty: bool) -> None:
    """Charger le territoire de démonstration FICTIF (région, départements, EPCI, communes, IRIS,
    QPV, zones ZIP, indicateurs et valeurs), généré de façon déterministe.

    Crée aussi le compte de démonstration admin / equisante-demo s'il n'existe pas.
    Tout est écrit en une seule transaction. Modèle et codes : docs/demo.md.
    """
    from equisante.cli.setup import initialise_database

    initialise_database()  # a fresh install may run ``equisante demo`` before ``equisante init``
    from equisante.demo.generator import generate_region
    from equisante.demo.loading import ensure_demo_user, has_territories, load_region, refuse_if_loaded
    from equisante.errors import EquisanteError

    if if_empty and has_territories():
        click.echo("La base contient déjà des territoires : territoire de démonstration non chargé (--if-empty).")
        return
    started = time.perf_counter()
    try:
        if n_communes < MINIMUM_COMMUNES:
            raise EquisanteError("demo_parameters_invalid", reason=(
                f"--communes vaut {n_communes} : il en faut au moins {MINIMUM_COMMUNES} "
                f"(4 départements d'au moins 10 communes)."))
        if not replace:
            refuse_if_loaded()  # before spending time generating
        try:
            region = generate_region(seed=seed, n_communes=n_communes)
        except ValueError as exc:  # parameters the generator cannot honour
            raise EquisanteError("demo_parameters_invalid", reason=str(exc)) from None
        generated = time.perf_counter() - started
        report = load_region(region, replace=replace)
    except EquisanteError as exc:
        fail(exc)
    created = ensure_demo_user()
    click.echo(report.summary())
    if created:
        click.echo("Compte de démonstration créé : admin / equisante-demo (à changer hors démonstration).")
    total = time.perf_counter() - started
    click.echo(f"Durée : {_seconds(total)} (génération {_seconds(generated)}, "
               f"écriture {_seconds(report.seconds['total'])}).")


def _seconds(value: float) -> str:
    """« 12,3 s »: seconds with a decimal comma."""
    return f"{value:.1f}".replace(".", ",") + "\u00a0s"
