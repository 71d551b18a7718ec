"""``equisante confidentiality``: decide again, and check, what may be published of each indicator.

Thin wrappers over :mod:`equisante.indicators.withholding`::

    equisante confidentiality refresh [--indicator CODE …]
    equisante confidentiality audit [--indicator CODE …]
"""

from __future__ import annotations

import sys

import click

from equisante.cli import setup_django
from equisante.cli.french import group, option
from equisante.cli.options import indicator_option, plural


@group(name="confidentiality")
def confidentiality() -> None:
    """Secret statistique : décider à nouveau et vérifier ce qui peut être publié de chaque indicateur."""


@confidentiality.command()
@indicator_option()
def refresh(indicators: tuple[str, ...]) -> None:
    """Décider à nouveau du secret primaire et secondaire (après un changement de seuil, par exemple)."""
    setup_django()
    from tqdm import tqdm

    from equisante.indicators import withholding

    bar = tqdm(total=0, unit=" indicateur", desc="Secret statistique", file=sys.stderr, leave=False)

    def progress(_stage: str, done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    report = withholding.refresh(indicators or None, progress=progress)
    bar.close()
    share = (lambda n: f"{100 * n / report.cells:.1f} %".replace(".", ",")) if report.cells else (lambda n: "0 %")
    click.echo(f"Seuil {report.threshold} : {plural(report.cells, 'valeur')} de "
               f"{plural(len(report.indicators), 'indicateur')} ; "
               f"{report.primary} en secret primaire ({share(report.primary)}), {report.secondary} en secret "
               f"secondaire ({share(report.secondary)}) ; "
               f"{plural(report.changed, 'décision modifiée', 'décisions modifiées')}.")


@confidentiality.command()
@indicator_option()
def audit(indicators: tuple[str, ...]) -> None:
    """Attaquer ce qui est publié comme le ferait un visiteur : aucune valeur masquée ne doit pouvoir être
    retrouvée par différence entre tableaux, ni aucun petit effectif être publié (code de sortie 1 sinon)."""
    setup_django()
    from equisante.indicators import withholding

    findings = withholding.audit(indicators or None)
    exposed = sum(len(f.exposed) for f in findings)
    small = sum(len(f.small_published) for f in findings)
    for finding in findings:
        if finding.exposed or finding.small_published:
            found = plural(len(finding.exposed), "valeur masquée retrouvable", "valeurs masquées retrouvables")
            small_found = plural(len(finding.small_published), "petit effectif publié", "petits effectifs publiés")
            click.echo(f"{finding.code} : {found}, {small_found}.")
    withheld = sum(f.withheld for f in findings)
    click.echo(f"{plural(len(findings), 'indicateur')}, {plural(withheld, 'valeur masquée', 'valeurs masquées')} : "
               f"{plural(exposed, 'retrouvable')} par différence, "
               f"{plural(small, 'petit effectif publié', 'petits effectifs publiés')}.")
    if exposed or small:
        sys.exit(1)
