"""One vocabulary for every ``equisante`` command: the shared options, declared once, and the one
writer of tables.

Each option is a decorator factory (as in sqlite-utils): a command says ``@level_option()`` or
``@output_option(required=True)`` and gets the same name, metavar, value type, checks and French help
as every other command; keyword arguments adjust the help, the default or the destination name::

    --level NIVEAU            region, departement, epci, commune, iris, qpv, zone (French labels too)
    --vintage ANNÉE           millésime du Code officiel géographique
    --period PÉRIODE          2021, 2019-2021…
    --indicator CODE          répétable
    --contract CODE           répétable
    --index CODE
    --threshold NOMBRE
    --format csv|xlsx|ods     par défaut d'après l'extension de -o
    -o, --output FICHIER      « - » : la sortie standard (CSV seulement)

Tables are written by :func:`write_table`, through :func:`equisante.exports.render` (French headers,
typed cells, « À propos » sheet), to the standard output or to ``--output``.
"""

from __future__ import annotations

from pathlib import Path

import click

from equisante.cli.french import CommandError, option
from equisante.numbers import plural  # noqa: F401 (the commands take it from here with the options)

#: Formats of the tables written by the command line (those of :mod:`equisante.exports`).
TABLE_FORMATS = ("csv", "xlsx", "ods")


class LevelType(click.ParamType):
    """A territorial level, by its code or its French name (« département », « communes »…)."""

    name = "niveau"

    def get_metavar(self, param, ctx=None):
        return "NIVEAU"

    def convert(self, value, param, ctx):
        from equisante.territories.levels import ORDER, parse_level

        level = parse_level(value)
        if level is None:
            self.fail(f"« {value} » n'est pas un niveau territorial ; niveaux : "
                      f"{', '.join(lv.value for lv in ORDER)}.", param, ctx)
        return level.value


LEVEL = LevelType()


def _option(names, defaults, attrs):
    merged = {**defaults, **attrs}
    return option(*names, **merged)


def level_option(*names, **attrs):
    """``--level NIVEAU``: a territorial level (checked, given as its code)."""
    return _option(names or ("--level",), {"type": LEVEL, "help": "Niveau territorial : region, departement, epci, "
                                                                   "commune, iris, qpv, zone."}, attrs)


def vintage_option(*names, **attrs):
    """``--vintage ANNÉE``: the vintage (year) of the Code officiel géographique."""
    return _option(names or ("--vintage",), {"type": int, "metavar": "ANNÉE",
                                             "help": "Millésime du Code officiel géographique (année)."}, attrs)


def period_option(*names, **attrs):
    """``--period PÉRIODE``: a period of values (2021, 2019-2021)."""
    return _option(names or ("--period",), {"metavar": "PÉRIODE", "help": "Période (ex. 2021, 2019-2021)."}, attrs)


def indicator_option(*names, **attrs):
    """``--indicator CODE`` (repeatable by default)."""
    return _option(names or ("--indicator", "indicators"), {"multiple": True, "metavar": "CODE",
                                                            "help": "Code d'indicateur (répétable) ; par défaut tous."},
                   attrs)


def contract_option(*names, **attrs):
    """``--contract CODE`` (repeatable by default)."""
    return _option(names or ("--contract", "contracts"), {"multiple": True, "metavar": "CODE",
                                                          "help": "Code de contrat (répétable) ; par défaut tous."},
                   attrs)


def index_option(*names, **attrs):
    """``--index CODE``: a composite index (idh2, fdep, edi or one defined)."""
    return _option(names or ("--index", "code"), {"metavar": "CODE", "help": "Code de l'indice."}, attrs)


def threshold_option(*names, **attrs):
    """``--threshold NOMBRE``."""
    return _option(names or ("--threshold",), {"type": float, "metavar": "NOMBRE", "help": "Seuil."}, attrs)


def format_option(*names, formats=TABLE_FORMATS, **attrs):
    """``--format csv|xlsx|ods``: by default the extension of ``--output`` (CSV otherwise)."""
    return _option(names or ("--format", "fmt"), {"type": click.Choice(formats),
                                                  "help": "Format du fichier ; par défaut d'après l'extension de -o "
                                                          "(csv sinon)."}, attrs)


def output_option(*names, required: bool = False, **attrs):
    """``-o, --output FICHIER``; without ``required``, « - » (the default) is the standard output."""
    defaults = {"metavar": "FICHIER", "required": required,
                "help": "Fichier à écrire." if required else
                        "Fichier à écrire ; « - » (défaut) : la sortie standard, en CSV."}
    if not required:
        defaults["default"] = "-"
    return _option(names or ("-o", "--output"), defaults, attrs)


# --- the one writer of tables ---------------------------------------------------------------------

def table_format(fmt: str | None, output: str | None, formats=TABLE_FORMATS) -> str:
    """The format asked (``--format``), or the one of ``output``'s extension, or CSV."""
    if fmt:
        return fmt
    suffix = Path(output or "").suffix.lower().lstrip(".")
    return suffix if suffix in formats else "csv"


def write_table(tables, output: str | None, fmt: str | None = None, *, columns=None, notes=None, codes: bool = False,
                unit: tuple[str, str] = ("ligne écrite", "lignes écrites")) -> str:
    """Write a table (or ``{sheet: table}``) in ``fmt`` to ``output`` (``None`` or « - »: the standard
    output, CSV only) through :mod:`equisante.exports`; report on stderr. Returns the format.

    For people (the default): French headers and values (:func:`equisante.exports.render`). With
    ``codes``: the exchange formats that import again as they are (column codes; CSV for programs)."""
    import pandas as pd

    from equisante import exports

    to_stdout = output in (None, "-")
    fmt = table_format(fmt, None if to_stdout else output)
    if to_stdout and fmt != "csv":
        raise click.UsageError(f"Le format {fmt.upper()} s'écrit dans un fichier, pas sur la sortie standard : "
                               f"préciser -o FICHIER.{fmt}.")
    options = {}
    if columns is not None:
        options["columns"] = columns
    if notes and fmt in exports.WORKBOOKS:
        options["notes"] = notes
    if fmt in exports.WORKBOOKS:  # empty cells as empty cells
        if isinstance(tables, pd.DataFrame):
            tables = tables.astype(object).where(tables.notna(), "")
        else:
            tables = {k: v.astype(object).where(v.notna(), "") for k, v in tables.items()}
    if codes:
        first = tables if isinstance(tables, pd.DataFrame) else next(iter(tables.values()))
        data = (exports.to_csv_bytes(first) if fmt == "csv"
                else exports.workbook(tables, fmt, codes=True, **{k: v for k, v in options.items() if k != "columns"}))
    else:
        data, _ = exports.render(tables, fmt, **options)
    first = tables if isinstance(tables, pd.DataFrame) else next(iter(tables.values()))
    if to_stdout:
        click.echo(data, nl=False)  # bytes go to the binary stdout
        return fmt
    try:
        Path(output).write_bytes(data)
    except OSError as exc:
        raise CommandError(f"Écriture impossible dans « {output} » : {exc.strerror or exc}.") from exc
    click.echo(f"{plural(len(first), *unit)} dans {output} ({fmt.upper()}).", err=True)
    return fmt


def write_bytes(data: bytes, output: str | None, what: str = "Fichier") -> None:
    """Write already rendered bytes (a PDF, an HTML report) to ``output`` or the standard output."""
    if output in (None, "-"):
        click.echo(data, nl=False)  # bytes go to the binary stdout
        return
    try:
        Path(output).write_bytes(data)
    except OSError as exc:
        raise CommandError(f"Écriture impossible dans « {output} » : {exc.strerror or exc}.") from exc
    click.echo(f"{what} écrit dans {output}.", err=True)
