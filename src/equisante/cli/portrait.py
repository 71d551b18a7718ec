"""``equisante portrait``: the portrait of a territory (shared diagnosis) as a file — the same report
as the ``/portraits/<code>/`` page's downloads (thin wrapper over :mod:`equisante.portraits`).

    equisante portrait X1E01 --format pdf -o portrait.pdf
    equisante portrait X1001 --level commune --indicator demo-mortalite-standardisee -o portrait.xlsx
"""

from __future__ import annotations

from pathlib import Path

import click

from equisante.cli import setup_django
from equisante.cli.french import command, fail, option
from equisante.cli.options import format_option, indicator_option, level_option, output_option, period_option

FORMATS = ("html", "pdf", "xlsx")


@command(name="portrait")
@click.argument("code")
@level_option(help="Niveau du territoire quand le code existe à plusieurs niveaux.")
@indicator_option("--indicator", "indicator", multiple=False, default="", help="Indicateur étudié (carte, gradient, entonnoir, évolution).")
@option("--deprivation", default="", metavar="CODE",
              help="Mesure de défavorisation des quintiles (indice ou indicateur ; défaut : celui de la page).")
@option("--classes", type=click.Choice(["quantiles", "jenks"]), default="quantiles", show_default=True,
              help="Classes de la carte.")
@period_option(default="", help="Période de l'indicateur étudié (défaut : la plus récente).")
@format_option(formats=FORMATS, help="Format ; par défaut d'après l'extension de -o (html sinon).")
@output_option(required=True)
def portrait(code: str, level: str | None, indicator: str, deprivation: str, classes: str, period: str,
             fmt: str | None, output: str) -> None:
    """Écrire le portrait d'un territoire (diagnostic partagé) en HTML, PDF ou XLSX.

    Même contenu que la page /portraits/CODE/ : indices et classe, indicateurs clés face au
    territoire de référence, carte, gradient social (SII, RII), entonnoir et évolution, avec la
    règle du secret statistique appliquée.
    """
    setup_django()
    from django.http import Http404

    from equisante.exports import to_xlsx_bytes
    from equisante.portraits import report, scope
    from equisante.portraits.portrait import Options, build

    suffix = Path(output).suffix.lower().lstrip(".")
    fmt = fmt or (suffix if suffix in FORMATS else "html")
    try:
        territory = scope.find_territory(code, level)
    except Http404 as exc:
        fail(exc)
    options = Options(focus=indicator.strip(), deprivation=deprivation.strip(), method=classes, period=period.strip())
    built = build(territory, options)
    if fmt == "pdf":
        data = report.pdf(built)
    elif fmt == "html":
        data = report.html(built).encode("utf-8")
    else:
        tables = {name: table.astype(object).where(table.notna(), "") for name, table in report.tables(built).items()}
        data = to_xlsx_bytes(tables, notes=report.notes(built))
    Path(output).write_bytes(data)
    click.echo(f"Portrait de {territory.name} ({territory.code}) écrit : {output} ({len(data):,} octets)".replace(",", "\u202f"))
