"""``equisante export``: territories, the indicator catalogue, values or action sheets as CSV, XLSX or ODS.

Columns are those of the import formats (``docs/import-formats.md``), so that an export can be
edited and re-imported: exporting then re-importing changes nothing.
"""

from __future__ import annotations

import click

from equisante.cli import setup_django
from equisante.cli.french import command, option
from equisante.cli.options import (contract_option, format_option, indicator_option, level_option, output_option,
                                   period_option, table_format, vintage_option, write_table)

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
@contract_option(help="Code de contrat pour « actions » (répétable) ; par défaut tous.")
@level_option()
@indicator_option()
@period_option(help="Période des valeurs (ex. 2021) ; par défaut toutes.")
@vintage_option(help="Millésime du COG des territoires ; par défaut tous.")
@format_option()
@option("--published", is_flag=True,
        help="Valeurs : n'écrire que ce qui peut être publié (secret statistique appliqué, colonne « secret »).")
@output_option()
def export(what: str, contracts: tuple[str, ...], level: str | None, indicators: tuple[str, ...], period: str | None,
           vintage: int | None, fmt: str | None, published: bool, output: str) -> None:
    """Exporter les territoires, le catalogue des indicateurs, les valeurs ou les fiches-action
    (CSV, XLSX ou ODS).

    Les colonnes sont celles des formats d'import : le fichier exporté peut être réimporté tel quel.
    """
    setup_django()
    import equisante.indicators.problems  # noqa: F401  (declares the error codes used here)

    fmt = table_format(fmt, None if output == "-" else output)
    if output == "-" and fmt != "csv":
        raise click.UsageError(f"Le format {fmt.upper()} s'écrit dans un fichier, pas sur la sortie standard : "
                               f"préciser -o FICHIER.{fmt}.")
    if what == "actions":  # fiches-action in the exchange format (equisante.contracts.exchange)
        from equisante.contracts.exchange import actions_frame

        table = actions_frame(contracts)
    else:
        table = _table(what, level=level, indicators=indicators, period=period, vintage=vintage,
                       published=published)
    write_table(table, output, fmt, notes={"contenu": _NOTES[what]}, codes=True)


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


def _exchange_columns() -> dict:
    from equisante import exports

    out = {key: exports.decimal(exports.COLUMNS[key].header, None)
           for key in ("value", "lower", "upper", "numerator", "denominator")}
    out.update({key: exports.text(exports.COLUMNS[key].header) for key in ("sex", "level", "state", "polarity")})
    return out

