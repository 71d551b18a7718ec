"""``equisante import indicators``: import an indicator catalogue or indicator values (all or nothing)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from equisante.cli import setup_django
from equisante.cli.french import command, fail, option
from equisante.cli.options import indicator_option, level_option, period_option, vintage_option


@command(name="indicators")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), required=False)
@option("--from", "remote", metavar="URL",
        help="Lire les valeurs depuis l'API d'une autre instance equisante (ex. https://autre.example) au lieu "
             "d'un fichier ; le catalogue des indicateurs est importé avec elles.")
@indicator_option("--indicator", "remote_indicators",
        help="Avec --from : code d'un indicateur à lire (répétable ; par défaut tout le catalogue).")
@level_option("--level", "remote_level", help="Avec --from : niveau des territoires (ex. commune).")
@option("--token", envvar="EQUISANTE_API_TOKEN", metavar="JETON",
        help="Avec --from : jeton d'accès personnel de l'autre instance (ou variable EQUISANTE_API_TOKEN).")
@option("--catalogue", "is_catalogue", is_flag=True,
              help="FICHIER est un catalogue d'indicateurs (code, label, unit, polarity…), pas des valeurs.")
@option("--with-catalogue", "catalogue", type=click.Path(dir_okay=False, path_type=Path),
              help="Importer aussi ce catalogue, dans la même transaction que les valeurs.")
@option("--layout", type=click.Choice(["long", "wide"]),
              help="Disposition des valeurs : long (une ligne par valeur) ou wide (une colonne par "
                   "indicateur). Par défaut : reconnue d'après l'en-tête.")
@period_option(help="Période des valeurs quand le fichier n'a pas de colonne « period » (ex. 2021, 2019-2021).")
@option("--sheet", help="Feuille du classeur XLSX ou ODS (nom ou numéro ; la première par défaut).")
@vintage_option(help="Millésime du COG des territoires (par défaut : le plus récent).")
def indicators(file: Path | None, remote: str | None, remote_indicators: tuple[str, ...], remote_level: str | None,
               token: str | None, is_catalogue: bool, catalogue: Path | None, layout: str | None, period: str | None,
               sheet: str | None, vintage: int | None) -> None:
    """Importer un fichier d'indicateurs (CSV, XLSX ou ODS) : valeurs, ou catalogue avec --catalogue ;
    ou, avec --from URL, les valeurs publiées par l'API d'une autre instance (docs/api.md).

    Tout le fichier est vérifié d'abord : au moindre problème, rien n'est importé et chaque
    problème est listé (ligne, colonne, raison). Réimporter le même fichier ne change rien.
    Formats : docs/import-formats.md.
    """
    setup_django()
    from equisante.errors import EquisanteError
    # through the import layer that leaves a trace of what changed (equisante.jobs.imports)
    from equisante.jobs.imports import import_catalogue, import_values

    if remote:
        if file or is_catalogue or catalogue or layout or sheet:
            raise click.UsageError("--from remplace FICHIER : FICHIER, --catalogue, --with-catalogue, --layout et --sheet "
                                   "ne s'y ajoutent pas.")
        from equisante.api.importing import import_from_api

        try:
            report = import_from_api(remote, indicators=remote_indicators, level=remote_level, period=period,
                                     token=token, vintage=vintage)
        except EquisanteError as exc:
            fail(exc)
        click.echo(report.summary())
        return
    if file is None:
        raise click.UsageError("Indiquer un fichier (FICHIER) ou une instance avec --from URL.")
    try:
        if is_catalogue:
            if catalogue or layout or period:
                raise click.UsageError("--with-catalogue, --layout et --period ne s'appliquent pas à un catalogue.")
            report = import_catalogue(file, None, channel="cli", sheet=sheet)
        else:
            with _Progress() as progress:
                report = import_values(file, None, channel="cli", layout=layout, period=period, sheet=sheet,
                                       catalogue=catalogue, vintage=vintage, progress=progress)
    except EquisanteError as exc:
        fail(exc)
    click.echo(report.summary)


class _Progress:
    """A tqdm bar per stage on stderr (hidden when stderr is not a terminal)."""

    def __init__(self):
        self.bar = None
        self.stage = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        from tqdm import tqdm

        if stage != self.stage:
            self.close()
            self.stage = stage
            self.bar = tqdm(total=total, desc=stage.capitalize(), unit=" valeurs", file=sys.stderr,
                            disable=None, leave=False)
        self.bar.n = done
        self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
