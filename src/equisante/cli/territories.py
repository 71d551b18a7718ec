"""``equisante import territories``: GeoJSON boundaries, INSEE COG files and membership tables.

A thin wrapper over :mod:`equisante.territories.importing`: all or nothing; on refusal the French
report goes to stderr and the exit code is 1.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from equisante.cli import setup_django
from equisante.territories.reading.geojson import DEFAULT_TOLERANCE
from equisante.cli.french import command, fail, option
from equisante.cli.options import format_option, level_option, vintage_option

FORMATS = ["geojson", "cog", "memberships"]
_GEOJSON_SUFFIXES = (".geojson", ".json", ".geojson.gz", ".json.gz", ".gz")
_CSV_SUFFIXES = (".csv", ".txt", ".csv.gz", ".txt.gz", ".tsv")


def guess_format(path: Path, group_level: str | None) -> str | None:
    """The format named by the file's extension (memberships when a group level is given)."""
    if group_level:
        return "memberships"
    name = path.name.lower()
    if name.endswith(_GEOJSON_SUFFIXES):
        return "geojson"
    if name.endswith(_CSV_SUFFIXES):
        return "cog"
    return None


class _Bars:
    """``progress(stage, done, total)`` drawn as one tqdm bar per stage on stderr (terminals only)."""

    def __init__(self) -> None:
        self.stage: str | None = None
        self.bar = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        from tqdm import tqdm

        if stage != self.stage:
            self.close()
            self.stage = stage
            self.bar = tqdm(total=total, desc=stage.capitalize(), file=sys.stderr, disable=None, leave=False,
                            dynamic_ncols=True)
        self.bar.total = total
        self.bar.n = done
        self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


@command(name="territories")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@level_option(required=True,
              help="Niveau des territoires du fichier (pour --format memberships : niveau des membres) : "
                   "region, departement, epci, commune, iris, qpv, zone.")
@vintage_option(default=None,
              help="Millésime du Code officiel géographique (année) ; par défaut 2024. "
                   "Appartenances : par défaut le plus récent de chaque code.")
@format_option(formats=FORMATS, default=None,
              help="geojson (.geojson, .json, éventuellement .gz), cog (CSV de l'INSEE ou « code, nom »), "
                   "memberships (table membre → groupe). Par défaut : d'après l'extension.")
@option("--code-field", default=None, help="Propriété (GeoJSON, défaut « code ») ou colonne (CSV) du code.")
@option("--name-field", default=None, help="Propriété (GeoJSON, défaut « nom ») ou colonne (CSV) du nom.")
@option("--parent-field", default=None,
              help="Propriété ou colonne du code du parent (ex. « departement ») : chaque parent doit exister.")
@option("--parent-level", default=None, help="Niveau du parent (défaut : le niveau supérieur de la hiérarchie).")
@option("--parent-from-code", is_flag=True,
              help="Déduire le parent du code : commune → département (2 premiers caractères, 3 outre-mer), "
                   "IRIS → commune (5 premiers). Seuls les parents présents en base sont rattachés.")
@option("--no-parent", is_flag=True, help="CSV du COG : ne pas rattacher les territoires à leur parent.")
@option("--tolerance", type=float, default=DEFAULT_TOLERANCE, show_default=True,
              help="Tolérance de simplification des contours, en degrés (0 : aucune).")
@option("--repair", is_flag=True, help="Réparer les géométries invalides au lieu de refuser le fichier.")
@option("--population-field", default=None, help="Propriété ou colonne de la population (personnes).")
@option("--population-year", type=int, default=None, help="Année de ces populations.")
@option("--typecom", multiple=True,
              help="CSV des communes : types gardés (COM par défaut ; ARM, COMD, COMA). Répétable.")
@option("--group-level", default=None, help="Appartenances : niveau des groupes (ex. epci, qpv, zone).")
@option("--member-field", default=None, help="Appartenances : colonne du code membre.")
@option("--group-field", default=None, help="Appartenances : colonne du code du groupe.")
@option("--share-field", default=None, help="Appartenances : colonne de la part (0 à 1).")
@option("--fictional", is_flag=True, help="Territoires fictifs (démonstration) : formats de code libres.")
@option("--zone-type", default="", help="Type de zone (ZIP, périmètre de CLS…) pour le niveau zone.")
def territories(file: Path, level: str, vintage: int | None, fmt: str | None, code_field, name_field, parent_field,
                parent_level, parent_from_code, no_parent, tolerance, repair, population_field, population_year,
                typecom, group_level, member_field, group_field, share_field, fictional, zone_type) -> None:
    """Importer des territoires : contours GeoJSON, fichier CSV du COG de l'INSEE ou table
    d'appartenance (commune → EPCI…). Tout ou rien : au moindre problème, rien n'est importé et
    chaque problème est listé avec sa position (ligne, objet, colonne).

    Exemples :

    \b
      equisante import territories communes.geojson --level commune --vintage 2018 --parent-from-code
      equisante import territories v_commune_2024.csv --level commune --vintage 2024
      equisante import territories epci.csv --format memberships --level commune --group-level epci
    """
    fmt = fmt or guess_format(file, group_level)
    setup_django()
    from equisante.errors import InputRejected, Location, Problem

    if fmt is None:
        problem = Problem("format_unknown", {"format": "".join(file.suffixes) or file.name,
                                             "accepted": ", ".join(FORMATS) + " (option --format)"},
                          Location(source=file.name))
        _refuse(InputRejected(file.name, [problem]))
    if fmt == "memberships" and not group_level:
        raise click.UsageError("--format memberships demande --group-level (niveau des groupes).")
    _require_database()

    from equisante.territories import importing
    from equisante.jobs import imports  # the import layer that leaves a trace of what changed

    vintage_or_default = importing.DEFAULT_VINTAGE if vintage is None else vintage
    bars = _Bars()
    try:
        if fmt == "geojson":
            report = imports.import_territories(
                file, None, channel="cli", level=level, vintage=vintage_or_default, code_field=code_field or "code",
                name_field=name_field or "nom", parent_field=parent_field, parent_level=parent_level,
                parent_from_code=parent_from_code, population_field=population_field,
                population_year=population_year, tolerance=tolerance, repair=repair, fictional=fictional,
                zone_type=zone_type, progress=bars)
        elif fmt == "cog":
            report = imports.import_territories(
                file, None, channel="cli", cog=True, level=level, vintage=vintage_or_default, code_column=code_field,
                name_column=name_field, parent_column=parent_field, parent_level=parent_level,
                link_parents=not no_parent, population_column=population_field, population_year=population_year,
                typecom=typecom or ("COM",), fictional=fictional, zone_type=zone_type, progress=bars)
        else:
            report = importing.import_memberships(
                file, member_level=level, group_level=group_level, vintage=vintage, member_column=member_field,
                group_column=group_field, share_column=share_field, check_codes=not fictional, progress=bars)
    except InputRejected as exc:
        bars.close()
        _refuse(exc)
    bars.close()
    if fmt == "memberships":
        report = imports.record_summary("appartenances", file, report.summary(), channel="cli")
    click.echo(report.summary)


def _refuse(exc) -> None:
    fail(exc)


def _require_database() -> None:
    from django.db import connection

    from equisante.territories.models import Territory

    if Territory._meta.db_table not in connection.introspection.table_names():
        fail("La base de données n'est pas initialisée : lancer d'abord « equisante init ».")
