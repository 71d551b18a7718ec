"""``equisante records …``: from individual records (Parquet or CSV) to counts and indicators.

Thin wrappers over :mod:`equisante.records` (pure) and :mod:`equisante.records.store` (the import):

- ``count RECORDS… --by COL[,COL…] [--distinct COL] --engine duckdb|spark|pandas -o OUT``;
- ``aggregate DEFINITION.yaml RECORDS… --engine duckdb|spark [--master URL] -o counts.parquet``;
- ``indicators DEFINITION.yaml RECORDS… --engine … [--import] [-o values.csv]``;
- ``generate FOLDER --rows N``: synthetic records; ``demo``: records of the demonstration region, two
  indicators computed and imported.

Progress goes to stderr, the French summary to stdout; errors (French, from the catalogue) to stderr
with exit status 1.
"""

from __future__ import annotations

import functools
import sys
import time
from pathlib import Path

import click

from equisante.cli.french import fail, group, option
from equisante.cli.options import plural, vintage_option

ENGINE_HELP = "Moteur de calcul : duckdb (défaut, fichiers plus grands que la mémoire), spark (local ou grappe) ou pandas (petits fichiers)."


@group(name="records")
def records() -> None:
    """Des enregistrements individuels (Parquet, CSV) aux indicateurs : comptages sur DuckDB, Spark ou
    pandas, taux standardisés, import dans la base. Voir docs/records.md."""


def engine_options(function):
    """Options shared by the commands that read records."""

    @option("--memory-limit", default=None,
            help="Mémoire maximale de DuckDB (ex. 2GB) ; au-delà il écrit sur disque. Défaut : 60 % de la mémoire.")
    @option("--temp-directory", default=None, type=click.Path(file_okay=False),
            help="Dossier des fichiers temporaires (débordement sur disque de DuckDB et de Spark).")
    @option("--threads", type=int, default=None, help="Nombre de fils de calcul (défaut : tous les cœurs).")
    @option("--master", default="local[*]", show_default=True,
            help="Spark : URL du maître (local[*], spark://hôte:7077, yarn…).")
    @option("--spark-memory", default="2g", show_default=True, help="Spark : mémoire du pilote (mode local).")
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        return function(*args, **kwargs)

    return wrapper


def _options(memory_limit, temp_directory, threads, master, spark_memory):
    from equisante.records.engines import EngineOptions

    return EngineOptions(threads=threads, memory_limit=memory_limit, temp_directory=temp_directory,
                         master=master, spark_memory=spark_memory)


class _Progress:
    """Stages on stderr; percentages rewritten in place when stderr is a terminal."""

    def __init__(self):
        self.stage = None
        self.tty = sys.stderr.isatty()

    def __call__(self, message: str, fraction: float | None = None) -> None:
        if message != self.stage:
            if self.stage is not None and self.tty:
                click.echo("", err=True)
            self.stage = message
            if not self.tty:
                click.echo(f"{message}…", err=True)
        if self.tty:
            percent = f" {fraction * 100:5.1f} %" if fraction is not None else ""
            click.echo(f"\r{message}…{percent}", err=True, nl=False)

    def close(self) -> None:
        if self.stage is not None and self.tty:
            click.echo("", err=True)


_fail = fail


def _write(table, output: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from equisante.errors import EquisanteError

    suffix = output.suffix.lower()
    if suffix == ".parquet":
        pq.write_table(pa.Table.from_pandas(table, preserve_index=False), output)
    elif suffix == ".csv":
        table.to_csv(output, index=False)
    else:
        raise EquisanteError("records_output_format", path=str(output))


def _check_output(output: Path) -> None:
    from equisante.errors import EquisanteError

    if output.suffix.lower() not in (".parquet", ".csv"):
        raise EquisanteError("records_output_format", path=str(output))


def _n(value) -> str:
    return f"{int(value):,}".replace(",", "\u202f")


@records.command(name="count")
@click.argument("inputs", metavar="RECORDS…", nargs=-1, required=True)
@option("--by", "by", required=True, help="Colonnes de ventilation, séparées par des virgules (ex. commune,sex).")
@option("--distinct", default=None, help="Compter les valeurs distinctes de cette colonne plutôt que les lignes.")
@option("--engine", type=click.Choice(["duckdb", "spark", "pandas"]), default="duckdb", show_default=True,
        help=ENGINE_HELP)
@option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
        help="Fichier résultat : .parquet ou .csv (d'après l'extension).")
@engine_options
def count(inputs, by, distinct, engine, output, memory_limit, temp_directory, threads, master, spark_memory):
    """Compter les enregistrements par combinaison de colonnes : une ligne par combinaison présente,
    les colonnes puis n, triée par les colonnes."""
    from equisante.errors import EquisanteError
    from equisante.records.engines import count_rows

    columns = [c.strip() for c in by.split(",") if c.strip()]
    progress = _Progress()
    started = time.perf_counter()
    try:
        _check_output(output)
        result = count_rows(list(inputs), columns, distinct=distinct, engine=engine,
                            options=_options(memory_limit, temp_directory, threads, master, spark_memory),
                            progress=progress)
        _write(result, output)
    except EquisanteError as exc:
        progress.close()
        _fail(exc)
    progress.close()
    what = f"valeurs distinctes de « {distinct} » (somme des combinaisons)" if distinct else "enregistrements"
    combinations = plural(len(result), "combinaison", number=_n(len(result)))
    click.echo(f"{combinations} de {', '.join(columns)} ; {what} : {_n(result['n'].sum())} ; "
               f"{engine}, {time.perf_counter() - started:.1f} s ; écrit dans {output}.")


def _codes(definition, history: Path | None, use_store: bool, vintage: int | None):
    """(vintage, code table or None, message) for the residence codes."""
    from equisante.records.codes import code_table, read_history

    vintage = vintage or definition.vintage
    if not use_store:
        return vintage, None, "Codes de résidence pris tels quels (--no-store)."
    from equisante.cli import setup_django

    setup_django()
    from equisante.records.store import commune_codes

    vintage, known = commune_codes(vintage)
    if not known:
        return vintage, None, ("Aucune commune dans la base : codes de résidence pris tels quels "
                               "(importer les territoires pour les rattacher au COG).")
    movements = read_history(history) if history is not None else []
    table = code_table(known, movements, vintage=vintage)
    extra = len(table) - len(known)
    return vintage, table, (f"Codes de résidence rattachés aux {_n(len(known))} communes du millésime {vintage}"
                            + (f" ({plural(extra, 'ancien code', 'anciens codes', number=_n(extra))} d'après "
                               "l'historique)." if history else "."))


def definition_command(function):
    @click.argument("definition_path", metavar="DEFINITION.yaml", type=click.Path(dir_okay=False, path_type=Path))
    @click.argument("inputs", metavar="RECORDS…", nargs=-1, required=True)
    @option("--engine", type=click.Choice(["duckdb", "spark", "pandas"]), default="duckdb", show_default=True,
            help=ENGINE_HELP)
    @option("--history", type=click.Path(dir_okay=False, path_type=Path), default=None,
            help="Historique des codes communes de l'INSEE (mouvements des communes, CSV) pour rattacher les "
                 "anciens codes.")
    @vintage_option(default=None,
            help="Millésime du COG des territoires (défaut : celui de la définition, sinon le plus récent).")
    @option("--no-store", "no_store", is_flag=True,
            help="Ne pas consulter la base : codes de résidence pris tels quels.")
    @engine_options
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        return function(*args, **kwargs)

    return wrapper


def _aggregate(definition_path, inputs, engine, history, vintage, no_store, options, progress):
    from equisante.records.definition import load_definition
    from equisante.records.engines import aggregate as run_aggregate

    definition = load_definition(definition_path)
    vintage, codes, note = _codes(definition, history, not no_store, vintage)
    click.echo(note)
    counts = run_aggregate(definition, list(inputs), codes=codes, engine=engine, options=options, progress=progress)
    return definition, vintage, counts


@records.command(name="aggregate")
@definition_command
@option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
        help="Comptages par ventilation : .parquet ou .csv.")
def aggregate(definition_path, inputs, engine, history, vintage, no_store, output, memory_limit, temp_directory,
              threads, master, spark_memory):
    """Compter numérateur et dénominateur d'une définition (YAML) par ventilation (territoire, classe
    d'âge, sexe, période) ; les codes de résidence non rattachés sont comptés à part."""
    from equisante.errors import EquisanteError
    from equisante.records.compute import summarise

    progress = _Progress()
    started = time.perf_counter()
    try:
        _check_output(output)
        definition, vintage, counts = _aggregate(definition_path, inputs, engine, history, vintage, no_store,
                                                 _options(memory_limit, temp_directory, threads, master,
                                                          spark_memory), progress)
        _write(counts, output)
    except EquisanteError as exc:
        progress.close()
        _fail(exc)
    progress.close()
    click.echo(f"{definition.code} : comptages écrits dans {output} ({engine}, "
               f"{time.perf_counter() - started:.1f} s).")
    for line in summarise(counts).lines():
        click.echo(line)


@records.command(name="indicators")
@definition_command
@option("--import", "do_import", is_flag=True, help="Importer les valeurs dans la base (import validé, tout ou rien).")
@option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
        help="Écrire aussi les valeurs au format d'import long (.csv ou .parquet).")
def indicators(definition_path, inputs, engine, history, vintage, no_store, do_import, output, memory_limit,
               temp_directory, threads, master, spark_memory):
    """Calculer un indicateur depuis des enregistrements : comptages, puis taux (standardisés),
    proportions et intervalles de confiance par equisante.stats ; --import les importe dans la base."""
    from equisante.errors import EquisanteError
    from equisante.records.compute import compute_values, summarise, value_table

    progress = _Progress()
    started = time.perf_counter()
    try:
        if output is not None:
            _check_output(output)
        if do_import and no_store:
            raise click.UsageError("--import demande la base : retirer --no-store.")
        if do_import:
            from equisante.cli import setup_django

            setup_django()
            from equisante.records.store import commune_codes

            if not commune_codes(vintage)[1]:
                raise EquisanteError("records_no_territories", vintage=vintage or "le plus récent")
        definition, vintage, counts = _aggregate(definition_path, inputs, engine, history, vintage, no_store,
                                                 _options(memory_limit, temp_directory, threads, master,
                                                          spark_memory), progress)
        values = compute_values(counts, definition)
        if output is not None:
            _write(value_table(values, definition, vintage=vintage), output)
        report = None
        if do_import:
            progress("Import dans la base", None)
            from equisante.records.store import import_indicator

            report = import_indicator(definition, values, vintage=vintage)
    except EquisanteError as exc:
        progress.close()
        _fail(exc)
    progress.close()
    shown = int(values["value"].notna().sum())
    computed = plural(len(values), "valeur calculée", "valeurs calculées", number=_n(len(values)))
    click.echo(f"{definition.code} : {computed} ({definition.statistic}), dont "
               f"{_n(shown)} avec une valeur ; {time.perf_counter() - started:.1f} s avec {engine}.")
    for line in summarise(counts).lines():
        click.echo(line)
    if output is not None:
        click.echo(f"Valeurs écrites dans {output}.")
    if report is not None:
        click.echo(report.summary())


@records.command(name="generate")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@option("--rows", type=int, required=True, help="Nombre d'enregistrements à écrire (ex. 100000000).")
@option("--seed", type=int, default=2024, show_default=True, help="Graine : la même graine donne les mêmes fichiers.")
@option("--chunk-rows", type=int, default=4_000_000, show_default=True,
        help="Enregistrements par fichier Parquet (borne la mémoire utilisée).")
def generate(folder, rows, seed, chunk_rows):
    """Écrire des enregistrements individuels FICTIFS (population de la région de démonstration,
    événements avec gradient social, fusions de communes, codes absents) en fichiers Parquet."""
    from equisante.records.synthetic import generate_records

    progress = _Progress()
    started = time.perf_counter()
    result = generate_records(rows, folder, seed=seed, chunk_rows=chunk_rows,
                              progress=lambda done, total: progress("Écriture des enregistrements", done / total))
    progress.close()
    click.echo(f"{result.summary()} ({time.perf_counter() - started:.1f} s)")
    click.echo(f"Historique des codes : {result.history}")


@records.command(name="demo")
@option("--rows", type=int, default=None,
        help="Nombre d'enregistrements (défaut : toute la population de la région, environ 3,6 par personne).")
@option("--folder", type=click.Path(file_okay=False, path_type=Path), default=None,
        help="Dossier des enregistrements générés (défaut : records-demo dans le dossier de données).")
@option("--engine", type=click.Choice(["duckdb", "spark", "pandas"]), default="duckdb", show_default=True,
        help=ENGINE_HELP)
def demo(rows, folder, engine):
    """Démonstration : générer les enregistrements FICTIFS de la région de démonstration, calculer
    deux indicateurs (patients hospitalisés pour diabète, taux standardisé ; participation au
    dépistage du cancer colorectal) et les importer pour qu'ils s'affichent sur le site."""
    from equisante.cli import setup_django

    setup_django()
    from django.conf import settings

    from equisante.errors import EquisanteError
    from equisante.records.codes import code_table, read_history
    from equisante.records.compute import compute_values, summarise
    from equisante.records.definition import load_definition
    from equisante.records.engines import aggregate as run_aggregate
    from equisante.records.store import commune_codes, import_indicator, store_population
    from equisante.records.synthetic import generate_records

    progress = _Progress()
    started = time.perf_counter()
    try:
        vintage, known = commune_codes(None)
        if not known:
            raise EquisanteError("records_no_territories", vintage="le plus récent")
        population = store_population(vintage, known)
        if population is None:
            raise EquisanteError("records_no_territories", vintage=vintage)
        if rows is None:
            rows = int(population["population"].sum() * 3.6)
        folder = folder or Path(settings.DATA_DIR) / "records-demo"
        generated = generate_records(rows, folder, population=population,
                                     progress=lambda d, t: progress("Génération des enregistrements", d / t))
        codes = code_table(known, read_history(generated.history), vintage=vintage)
        reports = []
        for name in ("hospitalisation_diabete.yaml", "depistage_colorectal.yaml"):
            definition = load_definition(Path(__file__).resolve().parent.parent / "records" / "definitions" / name)
            counts = run_aggregate(definition, generated.files, codes=codes, engine=engine, progress=progress)
            values = compute_values(counts, definition)
            progress("Import dans la base", None)
            reports.append((definition, counts, values, import_indicator(definition, values, vintage=vintage)))
    except EquisanteError as exc:
        progress.close()
        _fail(exc)
    progress.close()
    click.echo(generated.summary())
    for definition, counts, values, report in reports:
        published = int(values["value"].notna().sum())
        click.echo(f"« {definition.label} » ({definition.code}) : {plural(published, 'valeur', number=_n(published))} "
                   f"sur {_n(len(values))}.")
        for line in summarise(counts).lines():
            click.echo("  " + line)
        click.echo("  " + report.summary().replace("\n", "\n  "))
    click.echo(f"Terminé en {time.perf_counter() - started:.1f} s : voir /indicateurs/ sur le site.")
