"""``equisante stats METHOD INPUT.{csv,xlsx} [options] -o OUTPUT.{csv,xlsx}``: thin wrappers over
:mod:`equisante.stats` (the UK public-health methods of PHEindicatormethods, the WHO HEAT summary
measures of inequality and the concentration index).

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

from equisante.cli.french import FrenchGroup, option
from equisante.cli.options import plural
from equisante.errors import EquisanteError
from equisante.stats.errors import StatsInputError

CONFIDENCE_HELP = "Niveau de confiance (0.95, 0.998 ou 95, 99.8) ; répétable pour plusieurs niveaux."


class StatsError(click.ClickException):
    """An input or computation error, printed on stderr as « Erreur : … » (exit status 1)."""

    def show(self, file=None) -> None:
        click.echo(f"Erreur : {self.format_message()}", err=True, file=file)


# --- input / output ------------------------------------------------------------------------------

def read_table(path: str | Path, sheet: str | None = None) -> pd.DataFrame:
    """Read a CSV (comma, semicolon or tab separated; UTF-8 or Latin-1; ``.gz`` allowed) or XLSX
    table, through :mod:`equisante.tables` (encodings, separators, import limits)."""
    import io

    from equisante import tables

    path = Path(path)
    if not path.is_file():
        raise EquisanteError("file_not_found", path=str(path))
    suffix = Path(path.name.removesuffix(".gz")).suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".csv", ".txt", ".tsv"):
        raise EquisanteError("format_unknown", format=suffix or path.name, accepted="csv, xlsx")
    try:
        raw, _ = tables.load(path)
        if suffix in (".xlsx", ".xlsm"):
            tables.check_workbook(raw, "xlsx")
            return pd.read_excel(io.BytesIO(raw), sheet_name=sheet if sheet is not None else 0)
        text = tables.decode(raw)
    except tables.TableError as exc:
        raise EquisanteError(exc.code, **exc.params) from None
    sep = tables.separator_of(text, (",", ";", "\t"))
    decimal = "," if sep == ";" else "."
    return pd.read_csv(io.StringIO(text), sep=sep, decimal=decimal)


def write_table(table: pd.DataFrame, output: str | Path, given=()) -> None:
    """Write the result as CSV (UTF-8 with BOM) or XLSX, chosen by the file extension."""
    from equisante import exports

    output = Path(output)
    fmt = output.suffix.lower().lstrip(".")
    if fmt not in exports.FORMATS:
        raise EquisanteError("format_unknown", format=output.suffix or output.name, accepted=", ".join(exports.FORMATS))
    data, _ = exports.render(table, fmt, columns=result_columns(table, given))
    output.write_bytes(data)


def result_columns(table: pd.DataFrame, given=()) -> dict:
    """The columns of a result: French headers of the computed columns, unrounded (a result is reused in
    further computations); the columns of the input (``given``, and any undescribed one) keep the names
    the user gave them."""
    from dataclasses import replace

    from equisante import exports

    before = set(exports.UNDESCRIBED)
    out = {}
    for key in table.columns:
        column = exports.describe(key) if key not in set(given) else None
        if column is None or str(key) in exports.UNDESCRIBED - before:  # a column of the user's file
            exports.UNDESCRIBED.discard(str(key))
            float_data = pd.api.types.is_float_dtype(table[key].dtype)
            column = exports.Column(str(key), exports.DECIMAL, None) if float_data else exports.Column(str(key))
        out[key] = replace(column, digits=None) if column.kind in (exports.DECIMAL, exports.EUROS) else column
    return out


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
        write_table(result, ctx_output, given=table.columns)
    except EquisanteError as exc:
        raise StatsError(str(exc)) from exc
    except (OSError, ValueError) as exc:  # unreadable file, bad sheet name…
        raise StatsError(f"Lecture ou écriture impossible : {exc}") from exc
    message = f"{plural(len(result), 'ligne écrite', 'lignes écrites')} dans {ctx_output}"
    if "suppression" in result.columns:
        withheld = int((result["suppression"].astype(str) != "").sum())
        if withheld:
            message += f" ; {plural(withheld, 'valeur non publiée', 'valeurs non publiées')} (voir la colonne « Secret »)"
    click.echo(message)


def common(function):
    """Options shared by every method: INPUT, --output, --sheet."""

    @click.argument("input_path", metavar="FICHIER", type=click.Path(dir_okay=False))
    @option("-o", "--output", required=True, type=click.Path(dir_okay=False),
                  help="Fichier résultat (.csv ou .xlsx).")
    @option("--sheet", default=None, help="Feuille à lire dans un classeur XLSX (défaut : la première).")
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        return function(*args, **kwargs)

    return wrapper


def confidence_option(function):
    return option("--confidence", multiple=True, type=float, help=CONFIDENCE_HELP)(function)


def by_option(function):
    return option("--by", multiple=True, help="Colonne de regroupement (répétable).")(function)


@click.group(name="stats", cls=FrenchGroup)
def stats() -> None:
    """Statistiques de santé publique sur un fichier CSV ou XLSX : méthodes PHE (PHEindicatormethods),
    mesures d'inégalité de l'OMS (HEAT Plus) et indice de concentration."""


@stats.command(name="proportion")
@common
@by_option
@confidence_option
@option("--x", "x", required=True, help="Colonne du numérateur (cas).")
@option("--n", "n", required=True, help="Colonne du dénominateur (population).")
@option("--multiplier", default=1.0, show_default=True, type=float, help="1 : fraction ; 100 : pourcentage.")
def proportion_command(input_path, output, sheet, by, confidence, x, n, multiplier):
    """Proportion avec intervalle de Wilson."""
    from equisante.stats import crude

    _run(output, lambda t: crude.proportion(t, x, n, by=list(by), confidence=_confidence(confidence),
                                            multiplier=multiplier), input_path=input_path, sheet=sheet)


@stats.command(name="rate")
@common
@by_option
@confidence_option
@option("--x", "x", required=True, help="Colonne des événements.")
@option("--n", "n", required=True, help="Colonne de la population (personnes-années).")
@option("--multiplier", default=100_000.0, show_default=True, type=float,
        help="Taux pour combien de personnes-années (100000 : pour 100 000).")
def rate_command(input_path, output, sheet, by, confidence, x, n, multiplier):
    """Taux brut (limites exactes de Poisson sous 10 événements, de Byar au-delà)."""
    from equisante.stats import crude

    _run(output, lambda t: crude.rate(t, x, n, by=list(by), confidence=_confidence(confidence),
                                      multiplier=multiplier), input_path=input_path, sheet=sheet)


@stats.command(name="mean")
@common
@by_option
@confidence_option
@option("--value", required=True, help="Colonne des valeurs.")
def mean_command(input_path, output, sheet, by, confidence, value):
    """Moyenne avec intervalle de Student."""
    from equisante.stats import crude

    _run(output, lambda t: crude.mean(t, value, by=list(by), confidence=_confidence(confidence)),
         input_path=input_path, sheet=sheet)


@stats.command(name="dsr")
@common
@by_option
@confidence_option
@option("--x", "x", required=True, help="Colonne des événements (ou des personnes par fréquence d'événements).")
@option("--n", "n", required=True, help="Colonne de la population par tranche d'âge.")
@option("--standard", default=None,
              help="Population standard : « esp2013 » (défaut), une colonne, ou des poids « 5000,5500,… ».")
@option("--multiplier", default=100_000.0, show_default=True, type=float,
        help="Taux pour combien de personnes-années (100000 : pour 100 000).")
@option("--independent-events/--no-independent-events", default=True, show_default=True,
        help="Événements indépendants (défaut) ; sinon une personne peut en compter plusieurs "
             "(voir --event-frequency).")
@option("--event-frequency", default=None, help="Colonne de la fréquence d'événements (événements non indépendants).")
@option("--age-band", default=None, help="Colonne des tranches d'âge (« 0-4 », « 5-9 »… « 90+ »).")
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
        option("--x", "x", required=True, help="Colonne des événements observés (ou des totaux dans --observed)."),
        option("--n", "n", required=True, help="Colonne de la population par tranche d'âge."),
        option("--ref-x", required=True, help="Événements de référence : colonne ou liste « 10303,2824,… »."),
        option("--ref-n", required=True, help="Population de référence : colonne ou liste."),
        option("--observed", default=None, type=click.Path(dir_okay=False),
                     help="Fichier des totaux observés (colonnes --by et --x) à la place de la somme de --x."),
    ]):
        function = decorator(function)
    return function


@stats.command(name="isr")
@common
@by_option
@confidence_option
@_indirect_options
@option("--multiplier", default=100_000.0, show_default=True, type=float,
        help="Taux pour combien de personnes-années (100000 : pour 100 000).")
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
@option("--refvalue", default=1.0, show_default=True, type=float, help="1 : ratio ; 100 : ratio × 100.")
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
@option("--deaths", required=True, help="Colonne des décès par tranche d'âge.")
@option("--population", required=True, help="Colonne de la population (personnes-années).")
@option("--start-age", required=True, help="Colonne des tranches d'âge (0, 1, 5, …, 90 ou « 1-4 »…).")
@option("--le-age", multiple=True, help="Âges à retenir (option répétable) ; défaut : tous.")
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
@option("--value", required=True, help="Colonne des valeurs à classer.")
@option("--n", "n", default=10, show_default=True, type=int, help="Nombre de quantiles (10 : déciles).")
@option("--invert", default="true", show_default=True,
              help="true : quantile 1 = valeurs les plus élevées ; false : les plus faibles ; "
                   "ou une colonne booléenne.")
def quantiles_command(input_path, output, sheet, by, value, n, invert):
    """Quantiles (déciles, quintiles…) par la méthode PHE ; le sens est écrit dans la sortie."""
    from equisante.stats.quantiles import quantiles

    flag = {"true": True, "vrai": True, "false": False, "faux": False}.get(invert.lower(), invert)
    _run(output, lambda t: quantiles(t, value, n=n, invert=flag, by=list(by)), input_path=input_path, sheet=sheet)


def _funnel_options(function):
    for decorator in reversed([
        option("--numerator", required=True, help="Colonne du numérateur (cas, événements observés)."),
        option("--denominator", default=None, help="Colonne du dénominateur (population, nombre attendu)."),
        option("--statistic", required=True, type=click.Choice(["proportion", "ratio", "rate"]),
               help="Statistique de l'entonnoir : proportion, ratio (observés / attendus) ou taux."),
        option("--rate", default=None, help="Colonne du taux (statistic=rate)."),
        option("--rate-type", default=None, type=click.Choice(["dsr", "crude"]),
               help="Taux standardisé (dsr) ou brut (crude) ; avec --statistic rate."),
        option("--multiplier", default=None, type=float,
               help="Multiplicateur de la statistique (100 : pourcentage ; 100000 : taux pour 100 000)."),
    ]):
        function = decorator(function)
    return function


@stats.command(name="funnel-limits")
@common
@_funnel_options
@option("--ratio-type", default=None, type=click.Choice(["count", "isr"]),
        help="Ratio exprimé comme O/E − 1 (count) ou O/E × 100 (isr) ; avec --statistic ratio.")
@option("--years-of-data", default=None, type=float,
        help="Nombre d'années de données (entonnoir de taux).")
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
@option("--numerator", required=True, help="Colonne des événements.")
@option("--rate", required=True, help="Colonne du taux.")
@option("--rate-type", required=True, type=click.Choice(["dsr", "crude"]),
        help="Taux standardisé (dsr) ou brut (crude).")
@option("--years-of-data", required=True, type=float, help="Nombre d'années de données.")
@option("--multiplier", required=True, type=float, help="Multiplicateur du taux (100000 : pour 100 000).")
@option("--denominator", default=None, help="Colonne de la population (zones sans événement).")
def funnel_points_command(input_path, output, sheet, numerator, rate, rate_type, years_of_data, multiplier,
                          denominator):
    """Coordonnées de chaque zone sur un entonnoir de taux (taux et population annuelle)."""
    from equisante.stats import funnel

    _run(output, lambda t: funnel.funnel_points(
        t, numerator, rate, rate_type=rate_type, years_of_data=years_of_data, multiplier=multiplier,
        denominator=denominator), input_path=input_path, sheet=sheet)


# --- inequality measures ---------------------------------------------------------------------------

_TRUE = {"true", "vrai", "oui", "yes", "1", "x", "o"}
_FALSE = {"false", "faux", "non", "no", "0", ""}


def boolean_column(table: pd.DataFrame, column: str) -> pd.Series:
    """A column of yes/no marks read as booleans: vrai/faux, oui/non, true/false, 1/0, x/empty.

    A CSV gives these as text; anything else is refused rather than guessed (``bool("non")`` would
    be true)."""
    if column not in table.columns:
        raise StatsInputError("column_missing", column=column)
    values = table[column]
    if pd.api.types.is_bool_dtype(values):
        return values
    out = []
    for i, raw in enumerate(values):
        text = "" if pd.isna(raw) else str(raw).strip().lower()
        if text.endswith(".0"):  # 1.0 / 0.0 from a numeric column with gaps
            text = text[:-2]
        if text in _TRUE:
            out.append(True)
        elif text in _FALSE:
            out.append(False)
        else:
            raise StatsInputError("argument_invalid", argument=f"colonne « {column} », ligne de données n° {i + 1}",
                                  value=raw, accepted="vrai/faux, oui/non, true/false, 1/0, x ou vide")
    return pd.Series(out, index=table.index, dtype=bool)


@stats.command(name="sii")
@common
@by_option
@confidence_option
@option("--quantile", required=True,
        help="Colonne du numéro de quantile (1 = le plus défavorisé ; 5 à 100 par groupe).")
@option("--population", required=True, help="Colonne de la population de chaque quantile.")
@option("--value", required=True, help="Colonne de la valeur de l'indicateur (taux, proportion entre 0 et 1, autre).")
@option("--se", default=None,
        help="Colonne de l'erreur type (pour un taux ou une proportion : sur l'échelle log ou logit) ; "
             "sinon --lower et --upper.")
@option("--lower", default=None, help="Colonne de la limite inférieure à 95 % de la valeur.")
@option("--upper", default=None, help="Colonne de la limite supérieure à 95 % de la valeur.")
@option("--value-type", default=0, show_default=True, type=click.Choice(["0", "1", "2"]),
        help="0 : autre ; 1 : taux (tirages sur l'échelle log) ; 2 : proportion (échelle logit).")
@option("--transform/--no-transform", default=False, show_default=True,
        help="Ajuster la droite sur le log (taux) ou le logit (proportion) des valeurs, puis revenir aux "
             "unités d'origine ; exige --lower et --upper.")
@option("--multiplier", default=1.0, show_default=True, type=float,
        help="Facteur appliqué au SII (100 : points de pourcentage ; −1 : sens inversé, RII inversé).")
@option("--repetitions", default=100_000, show_default=True, type=int, help="Nombre de simulations des limites.")
@option("--rii/--no-rii", default=False, show_default=True, help="Ajouter l'indice relatif (RII) et ses limites.")
@option("--intercept/--no-intercept", default=False, show_default=True,
        help="Ajouter l'ordonnée à l'origine (valeur modélisée au rang 0, le plus défavorisé).")
@option("--reliability/--no-reliability", default=False, show_default=True,
        help="Refaire neuf fois la simulation et donner l'écart absolu moyen des limites (sii_mad).")
@option("--seed", default=None, type=int, help="Graine des simulations (même graine, mêmes limites).")
def sii_command(input_path, output, sheet, by, confidence, quantile, population, value, se, lower, upper,
                value_type, transform, multiplier, repetitions, rii, intercept, reliability, seed):
    """Indice de pente (SII) et indice relatif (RII) d'inégalité, méthode PHE (limites simulées)."""
    from equisante.stats.gradient import sii

    _run(output, lambda t: sii(t, quantile, population, value, se=se, lower=lower, upper=upper,
                               value_type=int(value_type), transform=transform, multiplier=multiplier,
                               repetitions=repetitions, confidence=_confidence(confidence), rii=rii,
                               intercept=intercept, reliability=reliability, by=list(by), seed=seed),
         input_path=input_path, sheet=sheet)


@stats.command(name="summary-measures")
@common
@by_option
@confidence_option
@option("--estimate", required=True, help="Colonne de l'estimation de chaque sous-groupe (entre 0 et --scale).")
@option("--se", required=True, help="Colonne de l'erreur type de l'estimation.")
@option("--population", required=True, help="Colonne de la population de chaque sous-groupe.")
@option("--order", default=None,
        help="Colonne du rang des sous-groupes d'une dimension ordonnée (1 = le plus défavorisé) ; "
             "absente : dimension non ordonnée.")
@option("--favourable/--adverse", default=True, show_default=True,
        help="Indicateur favorable (plus élevé = meilleur, ex. couverture) ou défavorable (ex. mortalité).")
@option("--scale", default=100.0, show_default=True, type=float,
        help="Échelle de l'indicateur (100 : pourcentage ; 1000 : pour mille).")
@option("--reference", default=None,
        help="Colonne marquant le sous-groupe de référence (vrai/faux, oui/non, 1/0, x) ; un par groupe.")
@option("--measures", multiple=True,
        help="Mesures à calculer parmi D, R, ACI, RCI, SII, RII, BGV, BGSD, COV, MDMU, MDMW, MDBU, MDBW, "
             "MDRU, MDRW, IDISU, IDISW, TI, MLD, PAF, PAR (répétable ou « D,R,PAF ») ; défaut : celles de HEAT.")
@option("--simulations", default=100, show_default=True, type=int,
        help="Nombre de tirages des intervalles simulés (100 comme l'OMS).")
@option("--seed", default=None, type=int, help="Graine des simulations.")
@option("--aci-se", default="regression", show_default=True, type=click.Choice(["regression", "formula"]),
        help="Erreur type de l'ACI/RCI : régression du code de l'OMS ou formule des notes techniques.")
@option("--sii-model", default="logistic", show_default=True, type=click.Choice(["logistic", "linear"]),
        help="Modèle du SII/RII : logistique (OMS) ou linéaire.")
@option("--rci-correction", default=None, type=click.Choice(["wagstaff", "erreygers"]),
        help="Correction de l'indice de concentration relatif (RCI).")
def summary_measures_command(input_path, output, sheet, by, confidence, estimate, se, population, order, favourable,
                             scale, reference, measures, simulations, seed, aci_se, sii_model, rci_correction):
    """Mesures synthétiques d'inégalité entre sous-groupes de l'OMS (HEAT Plus) : D, R, ACI, RCI, SII, RII,
    PAF, PAR… (une ligne par mesure)."""
    from equisante.stats.heat import summary_measures

    wanted = None
    if measures:
        wanted = [m.strip().upper() for item in measures for m in item.replace(";", ",").split(",") if m.strip()]

    def compute(table):
        if reference is not None:
            table = table.assign(**{reference: boolean_column(table, reference)})
        return summary_measures(table, estimate, se, population, order=order, favourable=favourable, scale=scale,
                                reference=reference, measures=wanted, by=list(by), simulations=simulations,
                                seed=seed, confidence=_confidence(confidence), aci_se=aci_se, sii_model=sii_model,
                                rci_correction=rci_correction)

    _run(output, compute, input_path=input_path, sheet=sheet)


@stats.command(name="concentration-index")
@common
@by_option
@confidence_option
@option("--value", required=True, help="Colonne de la variable de santé (h).")
@option("--rank-by", required=True,
        help="Colonne qui classe les lignes (revenu, rang de quintile… ; plus faible = plus défavorisé).")
@option("--population", default=None,
        help="Colonne des effectifs quand une ligne est un groupe ; absente : une ligne par individu.")
@option("--kind", default="relative", show_default=True, type=click.Choice(["relative", "generalised"]),
        help="Indice relatif (sans unité) ou généralisé (unités de --value).")
@option("--correction", default=None, type=click.Choice(["wagstaff", "erreygers"]),
        help="Correction pour une variable bornée (indice relatif seulement).")
@option("--bounds", default=None, help="Bornes de la variable « a,b » pour les corrections (défaut : 0,1).")
@option("--se-method", default="regression", show_default=True, type=click.Choice(["regression", "kakwani"]),
        help="Erreur type : régression commode (comme l'OMS) ou formule asymptotique de Kakwani "
             "(données individuelles).")
def concentration_index_command(input_path, output, sheet, by, confidence, value, rank_by, population, kind,
                                correction, bounds, se_method):
    """Indice de concentration (relatif, généralisé, corrigé de Wagstaff ou d'Erreygers)."""
    from equisante.stats.concentration import concentration_index

    def compute(table):
        limits = None
        if bounds is not None:
            parts = [p.strip() for p in bounds.replace(";", ",").split(",") if p.strip()]
            try:
                limits = tuple(float(p) for p in parts)
            except ValueError:
                limits = ()
            if len(limits) != 2:
                raise StatsInputError("argument_invalid", argument="bounds", value=bounds,
                                      accepted="deux nombres « a,b » (ex. 0,1 ou 0,100)")
        return concentration_index(table, value, rank_by, population=population, by=list(by), kind=kind,
                                   correction=correction, bounds=limits, confidence=_confidence(confidence),
                                   se_method=se_method)

    _run(output, compute, input_path=input_path, sheet=sheet)
