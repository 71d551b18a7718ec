"""``equisante export``: territories, the indicator catalogue or values as CSV or XLSX.

Columns are those of the import formats (``docs/import-formats.md``), so that an export can be
edited and re-imported: exporting then re-importing changes nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from equisante.cli import setup_django
from equisante.cli.french import command, option

#: Columns of the territories export (geometry is not exported). ``code``, ``name`` and ``parent``
#: are the columns of the generic territory table (``equisante import territories --format cog``):
#: one level of the export re-imports as is for EPCI, IRIS, QPV and zones, and with
#: ``--code-field code --name-field name --parent-field parent`` for the COG levels.
TERRITORY_COLUMNS = ["level", "code", "name", "vintage", "parent_level", "parent", "zone_type"]

_NOTES = {
    "territories": "Territoires (niveau, code, nom, millésime du COG, rattachement).",
    "indicators": "Catalogue des indicateurs, au format d'import « catalogue » (docs/import-formats.md).",
    "values": "Valeurs des indicateurs, au format d'import « long » (docs/import-formats.md). "
              "Unités : celles du catalogue ; lower/upper : intervalle de confiance à 95 %.",
    "actions": "Fiches-action des contrats locaux de santé, au format d'échange (docs/contracts.md) : "
               "listes séparées par « ; », déterminants et stratégies en identifiants de la grille.",
}


@command()
@click.argument("what", type=click.Choice(["territories", "indicators", "values", "actions"]))
@option("--contract", "contracts", multiple=True, metavar="CODE",
              help="Code de contrat pour « actions » (option répétable) ; par défaut tous.")
@option("--level", help="Niveau territorial (region, departement, epci, commune, iris, qpv, zone).")
@option("--indicator", "indicators", multiple=True, metavar="CODE",
              help="Code d'indicateur (option répétable) ; par défaut tous.")
@option("--period", help="Période des valeurs (ex. 2021) ; par défaut toutes.")
@option("--vintage", type=int, help="Millésime du COG des territoires ; par défaut tous.")
@option("--format", "fmt", type=click.Choice(["csv", "xlsx"]),
              help="Format du fichier ; par défaut d'après l'extension de -o (csv sinon).")
@option("--published", is_flag=True,
        help="Valeurs : n'écrire que ce qui peut être publié (secret statistique appliqué, colonne « secret »).")
@option("--output", "-o", default="-", show_default=True,
              help="Fichier à écrire ; « - » pour la sortie standard (CSV seulement).")
def export(what: str, contracts: tuple[str, ...], level: str | None, indicators: tuple[str, ...], period: str | None,
           vintage: int | None, fmt: str | None, published: bool, output: str) -> None:
    """Exporter les territoires, le catalogue des indicateurs ou les valeurs (CSV ou XLSX).

    Les colonnes sont celles des formats d'import : le fichier exporté peut être réimporté tel quel.
    """
    setup_django()
    import equisante.indicators.problems  # noqa: F401  (declares the error codes used here)
    from equisante.errors import EquisanteError
    from equisante.exports import render

    fmt = fmt or ("xlsx" if output.lower().endswith(".xlsx") else "csv")
    try:
        if output == "-" and fmt != "csv":
            raise EquisanteError("indicator_output_invalid", format=fmt.upper())
        if what == "actions":  # fiches-action in the exchange format (equisante.contracts.exchange)
            from equisante.contracts.exchange import actions_frame

            table = actions_frame(contracts)
        else:
            table = _table(what, level=level, indicators=indicators, period=period, vintage=vintage,
                           published=published)
        options = {}
        if fmt == "xlsx":
            options = {"notes": {"contenu": _NOTES[what]}}
            # Empty cells as "": equisante.exports sizes columns with len(str(v)), which fails on
            # missing values under pandas 3; an empty string is read back as an empty cell.
            table = table.astype(object).where(table.notna(), "")
        data, _ = render(table, fmt, **options)
    except EquisanteError as exc:
        click.echo(exc.report() if hasattr(exc, "report") else str(exc), err=True)
        sys.exit(1)
    if output == "-":
        click.echo(data, nl=False)  # bytes go to the binary stdout
    else:
        try:
            Path(output).write_bytes(data)
        except OSError as exc:
            click.echo(f"Écriture impossible dans « {output} » : {exc.strerror or exc}.", err=True)
            sys.exit(1)
        click.echo(f"{len(table)} ligne(s) écrite(s) dans {output}.", err=True)


def _table(what: str, *, level, indicators, period, vintage, published=False):
    from equisante.errors import EquisanteError
    from equisante.indicators.importing import catalogue_frame, values_frame
    from equisante.indicators.models import Indicator
    from equisante.territories.levels import ORDER, parse_level

    if level is not None:
        parsed = parse_level(level)
        if parsed is None:
            raise EquisanteError("indicator_level_unknown", text=level,
                                 accepted=", ".join(lv.value for lv in ORDER))
        level = parsed.value
    if indicators:
        known = set(Indicator.objects.filter(code__in=indicators).values_list("code", flat=True))
        unknown = [c for c in indicators if c not in known]
        if unknown:
            raise EquisanteError("indicator_unknown", code=", ".join(unknown))
    if what == "territories":
        return territories_frame(level=level, vintage=vintage)
    if what == "indicators":
        return catalogue_frame(indicators or None)
    return values_frame(level=level, indicators=indicators or None, period=period, published=published)


def territories_frame(*, level: str | None = None, vintage: int | None = None):
    """Territories as a table (:data:`TERRITORY_COLUMNS`), sorted by level (largest first) and code."""
    import pandas as pd

    from equisante.territories.levels import ORDER
    from equisante.territories.models import Territory

    query = Territory.objects.all()
    if level:
        query = query.filter(level=level)
    if vintage:
        query = query.filter(vintage=vintage)
    rows = query.values_list("level", "code", "name", "vintage", "parent__level", "parent__code", "zone_type")
    frame = pd.DataFrame(list(rows), columns=TERRITORY_COLUMNS)
    frame = frame.fillna({"parent_level": "", "parent": ""})
    rank = {lv.value: i for i, lv in enumerate(ORDER)}
    frame["_rank"] = frame["level"].map(rank)
    return frame.sort_values(["_rank", "code", "vintage"]).drop(columns="_rank").reset_index(drop=True)
