"""``equisante stats METHOD INPUT.{csv,xlsx} [options] -o OUTPUT.{csv,xlsx}``: thin wrappers over
:mod:`equisante.stats` (the UK public-health methods of PHEindicatormethods).

Options are named like the function arguments (``--x``, ``--n``, ``--by`` (repeatable),
``--confidence`` (repeatable: ``--confidence 0.95 --confidence 0.998``), ``--multiplier``,
``--standard``…); ``--sheet`` picks the sheet of an XLSX input. CSV inputs may be comma- or
semicolon-separated (semicolon files are read with decimal commas). Errors are reported in French
on stderr with a non-zero exit status.
"""

from __future__ import annotations

import functools
from pathlib import Path

import click
import pandas as pd

from equisante.errors import EquisanteError
from equisante.stats.errors import StatsInputError

CONFIDENCE_HELP = "Niveau de confiance (0.95, 0.998 ou 95, 99.8) ; répétable pour plusieurs niveaux."


# --- input / output ------------------------------------------------------------------------------

def read_table(path: str | Path, sheet: str | None = None) -> pd.DataFrame:
    """Read a CSV (comma, semicolon or tab separated; UTF-8 or Latin-1) or XLSX table."""
    path = Path(path)
    if not path.is_file():
        raise EquisanteError("file_not_found", path=str(path))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return pd.read_excel(path, sheet_name=sheet if sheet is not None else 0)
    if suffix not in (".csv", ".txt", ".tsv"):
        raise EquisanteError("format_unknown", format=suffix or path.name, accepted="csv, xlsx")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
        encoding = "latin-1"
    header = text.splitlines()[0] if text else ""
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    sep = max(counts, key=counts.get) if any(counts.values()) else ","
    decimal = "," if sep == ";" else "."
    return pd.read_csv(path, sep=sep, decimal=decimal, encoding=encoding)


def write_table(table: pd.DataFrame, output: str | Path) -> None:
    """Write the result as CSV (UTF-8 with BOM) or XLSX, chosen by the file extension."""
    from equisante import exports

    output = Path(output)
    fmt = output.suffix.lower().lstrip(".")
    if fmt not in exports.FORMATS:
        raise EquisanteError("format_unknown", format=output.suffix or output.name, accepted=", ".join(exports.FORMATS))
    data, _ = exports.render(table, fmt)
    output.write_bytes(data)


def _confidence(values: tuple[float, ...]):
    if not values:
        return 0.95
    return values[0] if len(values) == 1 else tuple(values)


def _numbers_or_column(value: str | None, table: pd.DataFrame):
    """A column name of ``table`` or a list of numbers written ``1,2,3`` (or ``1;2;3``)."""
    if value is None or value in table.columns:
        return value
    parts = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
    try:
        return [float(p) for p in parts]
    except ValueError:
        raise StatsInputError("column_missing", column=value) from None


def _run(ctx_output: str, compute, *, input_path: str, sheet: str | None) -> None:
    try:
        table = read_table(input_path, sheet)
        result = compute(table)
        write_table(result, ctx_output)
    except EquisanteError as exc:
        raise click.ClickException(str(exc)) from exc
    except (OSError, ValueError) as exc:  # unreadable file, bad sheet name…
        raise click.ClickException(f"Lecture ou écriture impossible : {exc}") from exc
    message = f"{len(result)} ligne(s) écrite(s) dans {ctx_output}"
    if "suppression" in result.columns:
        withheld = int((result["suppression"].astype(str) != "").sum())
        if withheld:
            message += f" ; {withheld} valeur(s) non publiée(s) (voir la colonne « suppression »)"
    click.echo(message)


def common(function):
    """Options shared by every method: INPUT, --output, --sheet."""

    @click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False))
    @click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
                  help="Fichier résultat (.csv ou .xlsx).")
    @click.option("--sheet", default=None, help="Feuille à lire dans un classeur XLSX (défaut : la première).")
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        return function(*args, **kwargs)

    return wrapper


def confidence_option(function):
    return click.option("--confidence", multiple=True, type=float, help=CONFIDENCE_HELP)(function)


def by_option(function):
    return click.option("--by", multiple=True, help="Colonne de regroupement (répétable).")(function)


@click.group(name="stats")
def stats() -> None:
    """Statistiques de santé publique (méthodes PHE / PHEindicatormethods) sur un fichier CSV ou XLSX."""


@stats.command(name="proportion")
@common
@by_option
@confidence_option
@click.option("--x", "x", required=True, help="Colonne du numérateur (cas).")
@click.option("--n", "n", required=True, help="Colonne du dénominateur (population).")
@click.option("--multiplier", default=1.0, show_default=True, type=float, help="1 : fraction ; 100 : pourcentage.")
def proportion_command(input_path, output, sheet, by, confidence, x, n, multiplier):
    """Proportion avec intervalle de Wilson."""
    from equisante.stats import crude

    _run(output, lambda t: crude.proportion(t, x, n, by=list(by), confidence=_confidence(confidence),
                                            multiplier=multiplier), input_path=input_path, sheet=sheet)


@stats.command(name="rate")
@common
@by_option
@confidence_option
@click.option("--x", "x", required=True, help="Colonne des événements.")
@click.option("--n", "n", required=True, help="Colonne de la population (personnes-années).")
@click.option("--multiplier", default=100_000.0, show_default=True, type=float)
def rate_command(input_path, output, sheet, by, confidence, x, n, multiplier):
    """Taux brut (limites exactes de Poisson sous 10 événements, de Byar au-delà)."""
    from equisante.stats import crude

    _run(output, lambda t: crude.rate(t, x, n, by=list(by), confidence=_confidence(confidence),
                                      multiplier=multiplier), input_path=input_path, sheet=sheet)


@stats.command(name="mean")
@common
@by_option
@confidence_option
@click.option("--value", required=True, help="Colonne des valeurs.")
def mean_command(input_path, output, sheet, by, confidence, value):
    """Moyenne avec intervalle de Student."""
    from equisante.stats import crude

    _run(output, lambda t: crude.mean(t, value, by=list(by), confidence=_confidence(confidence)),
         input_path=input_path, sheet=sheet)


@stats.command(name="dsr")
@common
@by_option
@confidence_option
@click.option("--x", "x", required=True, help="Colonne des événements (ou des personnes par fréquence d'événements).")
@click.option("--n", "n", required=True, help="Colonne de la population par tranche d'âge.")
@click.option("--standard", default=None,
              help="Population standard : « esp2013 » (défaut), une colonne, ou des poids « 5000,5500,… ».")
@click.option("--multiplier", default=100_000.0, show_default=True, type=float)
@click.option("--independent-events/--no-independent-events", default=True, show_default=True)
@click.option("--event-frequency", default=None, help="Colonne de la fréquence d'événements (événements non indépendants).")
@click.option("--age-band", default=None, help="Colonne des tranches d'âge (« 0-4 », « 5-9 »… « 90+ »).")
def dsr_command(input_path, output, sheet, by, confidence, x, n, standard, multiplier, independent_events,
                event_frequency, age_band):
    """Taux directement standardisé (méthode de Dobson)."""
    from equisante.stats import standardisation

    def compute(table):
        chosen = None if standard is None or standard.lower() == "esp2013" else _numbers_or_column(
            standard, table)
        return standardisation.dsr(table, x, n, standard=chosen, by=list(by), confidence=_confidence(confidence),
                                   multiplier=multiplier, independent_events=independent_events,
                                   event_frequency=event_frequency, age_band=age_band)

    _run(output, compute, input_path=input_path, sheet=sheet)


def _indirect_options(function):
    for decorator in reversed([
        click.option("--x", "x", required=True, help="Colonne des événements observés (ou des totaux dans --observed)."),
        click.option("--n", "n", required=True, help="Colonne de la population par tranche d'âge."),
        click.option("--ref-x", required=True, help="Événements de référence : colonne ou liste « 10303,2824,… »."),
        click.option("--ref-n", required=True, help="Population de référence : colonne ou liste."),
        click.option("--observed", default=None, type=click.Path(dir_okay=False),
                     help="Fichier des totaux observés (colonnes --by et --x) à la place de la somme de --x."),
    ]):
        function = decorator(function)
    return function


@stats.command(name="isr")
@common
@by_option
@confidence_option
@_indirect_options
@click.option("--multiplier", default=100_000.0, show_default=True, type=float)
def isr_command(input_path, output, sheet, by, confidence, x, n, ref_x, ref_n, observed, multiplier):
    """Taux indirectement standardisé."""
    from equisante.stats import standardisation

    def compute(table):
        totals = read_table(observed) if observed else None
        return standardisation.isr(table, x, n, _numbers_or_column(ref_x, table),
                                   _numbers_or_column(ref_n, table), by=list(by),
                                   confidence=_confidence(confidence), multiplier=multiplier, observed=totals)

    _run(output, compute, input_path=input_path, sheet=sheet)


@stats.command(name="smr")
@common
@by_option
@confidence_option
@_indirect_options
@click.option("--refvalue", default=1.0, show_default=True, type=float, help="1 : ratio ; 100 : ratio × 100.")
def smr_command(input_path, output, sheet, by, confidence, x, n, ref_x, ref_n, observed, refvalue):
    """Ratio standardisé (SMR)."""
    from equisante.stats import standardisation

    def compute(table):
        totals = read_table(observed) if observed else None
        return standardisation.smr(table, x, n, _numbers_or_column(ref_x, table),
                                   _numbers_or_column(ref_n, table), by=list(by),
                                   confidence=_confidence(confidence), refvalue=refvalue, observed=totals)

    _run(output, compute, input_path=input_path, sheet=sheet)


@stats.command(name="life-expectancy")
@common
@by_option
@confidence_option
@click.option("--deaths", required=True, help="Colonne des décès par tranche d'âge.")
@click.option("--population", required=True, help="Colonne de la population (personnes-années).")
@click.option("--start-age", required=True, help="Colonne des tranches d'âge (0, 1, 5, …, 90 ou « 1-4 »…).")
@click.option("--le-age", multiple=True, help="Âge(s) à retenir (répétable) ; défaut : tous.")
def life_expectancy_command(input_path, output, sheet, by, confidence, deaths, population, start_age, le_age):
    """Espérance de vie (table de Chiang II, variance de Silcocks)."""
    from equisante.stats.life_expectancy import life_expectancy

    ages = "all" if not le_age or "all" in le_age else [a for a in le_age]
    _run(output, lambda t: life_expectancy(t, deaths, population, start_age, by=list(by),
                                              confidence=_confidence(confidence), le_age=ages),
         input_path=input_path, sheet=sheet)


@stats.command(name="quantiles")
@common
@by_option
@click.option("--value", required=True, help="Colonne des valeurs à classer.")
@click.option("--n", "n", default=10, show_default=True, type=int, help="Nombre de quantiles (10 : déciles).")
@click.option("--invert", default="true", show_default=True,
              help="true : quantile 1 = valeurs les plus élevées ; false : les plus faibles ; ou une colonne booléenne.")
def quantiles_command(input_path, output, sheet, by, value, n, invert):
    """Quantiles (déciles, quintiles…) par la méthode PHE ; le sens est écrit dans la sortie."""
    from equisante.stats.quantiles import quantiles

    flag = {"true": True, "vrai": True, "false": False, "faux": False}.get(invert.lower(), invert)
    _run(output, lambda t: quantiles(t, value, n=n, invert=flag, by=list(by)), input_path=input_path, sheet=sheet)


def _funnel_options(function):
    for decorator in reversed([
        click.option("--numerator", required=True, help="Colonne du numérateur (cas, événements observés)."),
        click.option("--denominator", default=None, help="Colonne du dénominateur (population, nombre attendu)."),
        click.option("--statistic", required=True, type=click.Choice(["proportion", "ratio", "rate"])),
        click.option("--rate", default=None, help="Colonne du taux (statistic=rate)."),
        click.option("--rate-type", default=None, type=click.Choice(["dsr", "crude"])),
        click.option("--multiplier", default=None, type=float),
    ]):
        function = decorator(function)
    return function


@stats.command(name="funnel-limits")
@common
@_funnel_options
@click.option("--ratio-type", default=None, type=click.Choice(["count", "isr"]))
@click.option("--years-of-data", default=None, type=float)
def funnel_limits_command(input_path, output, sheet, numerator, denominator, statistic, rate, rate_type,
                          multiplier, ratio_type, years_of_data):
    """Limites de contrôle d'un graphique en entonnoir (100 points)."""
    from equisante.stats import funnel

    _run(output, lambda t: funnel.funnel_limits(
        t, numerator, denominator, statistic=statistic, multiplier=multiplier, ratio_type=ratio_type, rate=rate,
        rate_type=rate_type, years_of_data=years_of_data), input_path=input_path, sheet=sheet)


@stats.command(name="funnel-significance")
@common
@_funnel_options
def funnel_significance_command(input_path, output, sheet, numerator, denominator, statistic, rate, rate_type,
                                multiplier):
    """Position de chaque zone par rapport aux limites de l'entonnoir."""
    from equisante.stats import funnel

    _run(output, lambda t: funnel.funnel_significance(
        t, numerator, denominator, statistic=statistic, rate=rate, rate_type=rate_type, multiplier=multiplier),
        input_path=input_path, sheet=sheet)


@stats.command(name="funnel-points")
@common
@click.option("--numerator", required=True, help="Colonne des événements.")
@click.option("--rate", required=True, help="Colonne du taux.")
@click.option("--rate-type", required=True, type=click.Choice(["dsr", "crude"]))
@click.option("--years-of-data", required=True, type=float)
@click.option("--multiplier", required=True, type=float)
@click.option("--denominator", default=None, help="Colonne de la population (zones sans événement).")
def funnel_points_command(input_path, output, sheet, numerator, rate, rate_type, years_of_data, multiplier,
                          denominator):
    """Coordonnées de chaque zone sur un entonnoir de taux (taux et population annuelle)."""
    from equisante.stats import funnel

    _run(output, lambda t: funnel.funnel_points(
        t, numerator, rate, rate_type=rate_type, years_of_data=years_of_data, multiplier=multiplier,
        denominator=denominator), input_path=input_path, sheet=sheet)
