"""Tabular exports shared by the pages, the command line and the API (pure: pandas, openpyxl, odfpy).

One vocabulary: ``--format csv|xlsx|ods`` on the command line, ``?format=csv|xlsx|ods`` on pages.

**Columns.** Every export describes its columns through one mechanism, :class:`Column` (French header,
kind of value, digits, French names of coded values) looked up by column key in :data:`COLUMNS`
(an export may pass its own ``columns`` to override or add keys). The writers use it so that a reader
never sees an English column name or an internal code:

- XLSX (openpyxl) and ODS (odfpy): French headers, cells typed (numbers as numbers rounded to the
  column's digits, with a number format ``#,##0``, ``0.0``, ``0.0 %``, ``#,##0 "€"``; dates as dates;
  booleans as « oui » / « non »; coded values translated), header row bold and frozen, columns sized,
  and a last sheet « À propos » (:class:`About`: source, export date, filters applied, statistical
  confidentiality rule, notes);
- CSV for people (:func:`to_french_csv_bytes`, what pages and commands give with ``format=csv``):
  French headers (unit in the header: « (%) », « (€) »), values in French, ``;`` separator, decimal
  comma, UTF-8 with BOM — what a French spreadsheet opens as columns without an import dialog;
- CSV for programs (:func:`to_csv_bytes`, the HTTP API and the open-data files): stable column codes,
  comma separator, dot decimals, UTF-8 with BOM.

Formula injection: a text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
would be run as a formula by a spreadsheet. Every export goes through this module, which neutralises
such cells in one place: in CSV the text gets a leading apostrophe (``'=HYPERLINK(…)``, which
spreadsheets show as text and :mod:`equisante.tables` strips again on import); in XLSX and ODS the
cell is written as a text cell (never a formula), its content unchanged. Numbers stay numbers (``-3.5``
is not touched, in a numeric column or as text that reads as a number).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import pandas as pd

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
#: Formats of a workbook (several sheets, « À propos »).
WORKBOOKS = ("xlsx", "ods")

#: First characters that make a spreadsheet read a cell as a formula (or a DDE command).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    """Whether ``value`` is text a spreadsheet would run as a formula (numbers written as text are not)."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return False
    try:
        float(value.replace(",", ".", 1))
    except ValueError:
        return True
    return not value.strip() or value[0] in "\t\r" or value.strip().lower() in {"nan", "inf", "-inf", "+inf"}


def neutralise(value):
    """``value`` made inert for a CSV reader: formula-like text gets a leading apostrophe; carriage
    returns inside a text become line feeds (so that the CSV writer quotes the cell)."""
    if is_formula_like(value):
        value = "'" + value
    if isinstance(value, str) and "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def neutralised(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` whose text cells and column names are inert (see :func:`neutralise`)."""
    columns = [neutralise(str(c)) if isinstance(c, str) else c for c in table.columns]
    text_columns = [c for c in table.columns if not pd.api.types.is_numeric_dtype(table[c].dtype)
                    and not pd.api.types.is_datetime64_any_dtype(table[c].dtype)]
    if not text_columns and columns == list(table.columns):
        return table
    table = table.copy()
    for column in text_columns:
        if table[column].map(lambda v: is_formula_like(v) or (isinstance(v, str) and "\r" in v)).any():
            table[column] = table[column].map(neutralise).astype(object)
    table.columns = columns
    return table


def csv_row(values) -> list:
    """One row for :func:`csv.writer`, neutralised: for the few writers that stream CSV row by row."""
    return [neutralise(v) for v in values]


# --- column descriptions --------------------------------------------------------------------------------

TEXT, INTEGER, DECIMAL, PERCENTAGE, EUROS, DATE, BOOLEAN = (
    "text", "integer", "decimal", "percentage", "euros", "date", "boolean")
KINDS = (TEXT, INTEGER, DECIMAL, PERCENTAGE, EUROS, DATE, BOOLEAN)


@dataclass(frozen=True)
class Column:
    """How one column is shown: French ``header``, ``kind`` of value (:data:`KINDS`), ``digits`` after
    the decimal point (decimal, percentage, euros), ``values``: French names of coded values.

    ``digits`` None: no rounding (exchange files keep the stored precision).

    ``scale``: for a percentage, what 100 % is in the data (100 when the data hold percentage points
    such as ``40.0``, 1 when they hold fractions such as ``0.4``)."""

    header: str
    kind: str = TEXT
    digits: int | None = 0
    values: Mapping[str, str] | None = None
    scale: float = 100.0

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"type de colonne inconnu : {self.kind!r}")


def text(header: str, values: Mapping[str, str] | None = None) -> Column:
    return Column(header, TEXT, values=values)


def integer(header: str) -> Column:
    return Column(header, INTEGER)


def decimal(header: str, digits: int = 1) -> Column:
    return Column(header, DECIMAL, digits)


def percentage(header: str, digits: int = 1, scale: float = 100.0) -> Column:
    return Column(header, PERCENTAGE, digits, scale=scale)


def euros(header: str, digits: int = 0) -> Column:
    return Column(header, EUROS, digits)


def date(header: str) -> Column:
    return Column(header, DATE)


def boolean(header: str) -> Column:
    return Column(header, BOOLEAN)


#: French names of the coded values shared by several exports.
STATES = {"ok": "publiée", "unstable": "fragile (à lire avec prudence)", "published": "publiée", "suppressed": "secret statistique", "missing": "non disponible",
          "provisional": "provisoire", "estimated": "estimée", "not_computed": "non calculée"}
SUPPRESSION = {"primary": "secret primaire", "secondary": "secret secondaire"}
POLARITY = {"adverse": "défavorable", "favourable": "favorable", "favorable": "favorable", "neutral": "neutre",
            "higher_is_worse": "plus élevé = défavorable", "higher_is_better": "plus élevé = favorable"}
SIDES = {"determinants": "déterminants de santé", "health": "état de santé"}
LEVELS = {"region": "région", "departement": "département", "epci": "EPCI", "commune": "commune", "iris": "IRIS",
          "qpv": "quartier prioritaire (QPV)", "zip": "zone d'intervention prioritaire (ZIP)", "zone": "zone",
          "cls": "périmètre de CLS", "france": "France", "pays": "France"}
SEXES = {"ensemble": "ensemble", "all": "ensemble", "F": "femmes", "M": "hommes", "H": "hommes",
         "female": "femmes", "male": "hommes"}
COMPARISON = {"better": "plus favorable", "worse": "moins favorable", "higher": "plus élevé", "lower": "plus bas",
              "similar": "pas de différence significative", "same": "pas de différence significative",
              "not_compared": "non comparé", "none": "non comparé", "": ""}
SIGNIFICANCE = {"High (0.001)": "au-dessus de la limite à 99,8 %", "High (0.025)": "au-dessus de la limite à 95 %",
                "Low (0.001)": "en dessous de la limite à 99,8 %", "Low (0.025)": "en dessous de la limite à 95 %",
                "Not significant": "dans les limites",
                "Not applicable for events less than 10 for dsrs": "non applicable (moins de 10 événements)"}
DIRECTION = {"increasing": "croissant", "decreasing": "décroissant", "higher_is_more_deprived":
             "plus élevé = plus défavorisé", "higher_is_less_deprived": "plus élevé = moins défavorisé"}
KINDS_OF_ROW = {"contract": "contrat", "departement": "département", "all": "ensemble", "region": "région"}
LEVEL_OF_CHECK = {"action": "fiche-action", "contract": "contrat", "portfolio": "ensemble des contrats"}

#: Column key → description. Keys are the snake_case names the code builds tables with.
COLUMNS: dict[str, Column] = {
    # territories and indicator values
    "level": text("Niveau", LEVELS), "code": text("Code"), "name": text("Nom"), "label": text("Libellé"),
    "parent": text("Territoire parent"), "parent_code": text("Code du parent"), "parent_level": text("Niveau du parent", LEVELS),
    "vintage": text("Millésime"), "population": integer("Population"), "area_km2": decimal("Superficie (km²)", 1),
    "indicator": text("Indicateur (code)"), "indicator_label": text("Indicateur"), "unit": text("Unité"),
    "polarity": text("Sens de lecture", POLARITY), "family": text("Famille"), "side": text("Volet", SIDES),
    "period": text("Période"), "year": integer("Année"), "sex": text("Sexe", SEXES), "age_band": text("Classe d'âge"),
    "numerator": integer("Numérateur"), "denominator": integer("Dénominateur"), "value": decimal("Valeur", 2),
    "lower": decimal("Borne basse (IC 95 %)", 2), "upper": decimal("Borne haute (IC 95 %)", 2),
    "state": text("État", STATES), "suppression": text("Secret", SUPPRESSION), "secret": text("Secret", SUPPRESSION),
    "withheld": boolean("Masquée"), "source": text("Source"), "definition": text("Définition"),
    "method": text("Méthode"), "multiplier": integer("Multiplicateur"), "theme": text("Thématique (code)"),
    "levels": text("Niveaux disponibles"), "periods": text("Périodes disponibles"), "note": text("Note"),
    "comparison": text("Comparaison", COMPARISON), "comparison_text": text("Comparaison (texte)"),
    "reference_code": text("Territoire de référence (code)"), "reference_name": text("Territoire de référence"),
    "reference_numerator": integer("Numérateur (référence)"), "reference_denominator": integer("Dénominateur (référence)"),
    "reference_value": decimal("Valeur (référence)", 2), "reference_lower": decimal("Borne basse (référence)", 2),
    "reference_upper": decimal("Borne haute (référence)", 2), "reference_state": text("État (référence)", STATES),
    "reference_suppression": text("Secret (référence)", SUPPRESSION),
    "deprivation_quintile": integer("Quintile de défavorisation"), "quintile": integer("Quintile"),
    "territories": integer("Territoires"), "deprivation": text("Mesure de défavorisation"),
    "deprivation_period": text("Période de la défavorisation"), "direction": text("Sens", DIRECTION),
    "sii": decimal("Indice de pente (SII)", 2), "sii_lower": decimal("SII, borne basse", 2),
    "sii_upper": decimal("SII, borne haute", 2), "rii": decimal("Indice relatif (RII)", 2),
    "rii_lower": decimal("RII, borne basse", 2), "rii_upper": decimal("RII, borne haute", 2),
    "intercept": decimal("Ordonnée à l'origine", 2), "aggregation": text("Agrégation"),
    "method_reference": text("Référence de la méthode"), "excluded_sub_territories": integer("Sous-territoires exclus"),
    "not_computed_because": text("Non calculé parce que"), "funnel_x": decimal("Effectif (abscisse)", 0),
    "significance": text("Position dans l'entonnoir", SIGNIFICANCE),
    "significance_fr": text("Position dans l'entonnoir (en clair)"), "baseline": decimal("Valeur de référence", 2),
    "lower_95": decimal("Limite basse 95 %", 2), "upper_95": decimal("Limite haute 95 %", 2),
    "lower_99": decimal("Limite basse 99,8 %", 2), "upper_99": decimal("Limite haute 99,8 %", 2),
    "lower_2sd": decimal("Limite basse (2 écarts-types)", 2), "upper_2sd": decimal("Limite haute (2 écarts-types)", 2),
    "lower_3sd": decimal("Limite basse (3 écarts-types)", 2), "upper_3sd": decimal("Limite haute (3 écarts-types)", 2),
    # indices and prioritisation
    "index": text("Indice"), "class_label": text("Classe"), "class_rank": integer("Rang de la classe"),
    "rank": integer("Rang"), "eligible": boolean("Éligible"), "rule": text("Règle"), "parameters": text("Paramètres"),
    "computed_at": date("Calculé le"),
    # portfolio (ISTS profile)
    "theme_label": text("Thématique"), "n_actions": integer("Fiches-action"),
    "share": percentage("Part des fiches", 1), "determinant": text("Déterminant (code)"),
    "determinant_label": text("Déterminant"), "strategy": text("Stratégie (code)"), "strategy_label": text("Stratégie"),
    "approach": text("Approche (code)"), "approach_label": text("Approche"), "id": text("Repère"),
    "title": text("Intitulé"), "subject": text("Objet"), "status": text("Statut"), "detail": text("Détail"),
    "recommendation": text("Préconisation"), "contract": text("Contrat"), "contract_name": text("Nom du contrat"),
    "kind": text("Type de ligne", KINDS_OF_ROW), "departement": text("Département"),
    "reason": text("Motif"), "risk": text("Risque"), "count": integer("Nombre"), "total": integer("Total"),
    "group": text("Groupe"), "group_label": text("Libellé du groupe"), "targeted": integer("Actions ciblées"),
    "universal": integer("Actions universelles"), "proportionate": integer("Universalisme proportionné"),
    "not_classified": integer("Non classées"), "n_contracts": integer("Contrats"),
    # money
    "amount": euros("Montant"), "budget": euros("Budget"), "amount_eur": euros("Montant"), "grant": euros("Subvention"),
    "requested": euros("Montant demandé"), "granted": euros("Montant accordé"), "flat_share": euros("Part au prorata"),
    "allocated": euros("Montant attribué"), "difference": euros("Écart"), "per_capita": euros("Par habitant", 2),
    "funder": text("Financeur"), "programme": text("Programme"),
    # allocation
    "weight": decimal("Poids", 3), "adjusted_weight": decimal("Poids ajusté", 3), "adjustments": text("Ajustements"),
    "deprivation_class": integer("Classe de défavorisation"), "population_share": percentage("Part de la population", 1, 1),
    "priority_share": percentage("Part des territoires prioritaires", 1, 1), "allocation_share": percentage("Part de l'enveloppe", 1, 1),
    "contract_share": percentage("Part des contrats", 1, 1), "flat": euros("Répartition au prorata de la population"),
    "flat_per_capita": euros("Par habitant (prorata)", 2), "allocation_a": euros("Répartition A"),
    "allocation_b": euros("Répartition B"), "per_capita_a": euros("Par habitant (A)", 2),
    "per_capita_b": euros("Par habitant (B)", 2), "change": euros("Écart"), "before": euros("Avant"),
    "after": euros("Après"), "units": integer("Unités"), "population_year": integer("Année de la population"),
    "outside_level": boolean("Hors niveau"), "zone_type": text("Type de zone"), "measure": text("Mesure"),
    "applied_on": date("Appliqué le"), "grants": integer("Subventions"), "instance": text("Instance"),
    "concentration_index": decimal("Indice de concentration", 3), "concentration_lower": decimal("Indice de concentration, borne basse", 3),
    "concentration_upper": decimal("Indice de concentration, borne haute", 3), "sii_per_capita": decimal("SII par habitant", 2),
    "most_deprived_quintile_share": percentage("Part du quintile le plus défavorisé", 1, 1),
    "most_deprived_quintile_population_share": percentage("Part de la population du quintile le plus défavorisé", 1, 1),
    "numerator_label": text("Libellé du numérateur"), "denominator_label": text("Libellé du dénominateur"),
    # French keys of the follow-up and register tables
    "annee": integer("Année"), "annees": text("Années"), "approbations": integer("Approbations"),
    "approche": text("Approche"), "avancement": percentage("Avancement", 0), "avancement_moyen": percentage("Avancement moyen", 0),
    "axe": text("Axe"), "cible": decimal("Cible", 2), "contrat": text("Contrat"), "demande": euros("Montant demandé"),
    "accorde": euros("Montant accordé"), "depense": euros("Dépense"), "determinants": text("Déterminants"),
    "dispositif": text("Dispositif"), "en_retard": boolean("En retard"), "etat": text("État"), "fiche": text("Fiche-action"),
    "fiches": integer("Fiches-action"), "financeur": text("Financeur"), "financeurs": text("Financeurs"),
    "habitants": integer("Habitants"), "indicateur": text("Indicateur"), "intitule": text("Intitulé"), "nom": text("Nom"),
    "nom_du_contrat": text("Nom du contrat"), "par": text("Par"), "part_atteinte": percentage("Part atteinte", 0),
    "participants": integer("Participants"), "porteur": text("Porteur"), "signataire": text("Signataire"),
    "signataires": text("Signataires"), "statut": text("Statut"), "strategies": text("Stratégies"),
    "taux_accord": percentage("Taux d'accord", 1), "taux_consommation": percentage("Taux de consommation", 1),
    "territoires": text("Territoires"), "themes": text("Thématiques"), "type": text("Type"), "unite": text("Unité"),
    "valeur": decimal("Valeur", 2), "valeur_annee_precedente": decimal("Valeur de l'année précédente", 2),
    "valeur_initiale": decimal("Valeur initiale", 2), "le": date("Le"),
    # calls for projects (selection) and allocation results
    "score": Column("Score", DECIMAL, None), "cost": euros("Coût"), "selected": boolean("Retenue"),
    "explanation": text("Explication"), "outcome": text("Résultat"), "allocation": decimal("Attribution", 2),
    "reference": text("Référence"),
    # statistics (equisante stats …)
    "confidence": text("Niveau de confiance"), "estimate": decimal("Estimation", 4), "se": decimal("Erreur type", 4),
    "expected": decimal("Attendus", 2), "observed": decimal("Observés", 2), "mean": decimal("Moyenne", 2),
    "deaths_used": integer("Décès utilisés"), "population_used": integer("Population utilisée"),
    "quantile": integer("Classe (quantile)"), "quantiles": integer("Nombre de classes"),
    "quantile_invert": boolean("Ordre inversé"), "quantile_direction": text("Sens des classes"),
    "reference_rate": decimal("Taux de référence", 2), "rows": integer("Lignes"), "statistic": text("Statistique"),
    # dates
    "date": date("Date"), "start": date("Début"), "end": date("Fin"), "created": date("Créé le"),
    "updated": date("Mis à jour le"), "validated_at": date("Validé le"), "decided_at": date("Décidé le"),
}


def describe(key, columns: Mapping[str, Column | str] | None = None) -> Column:
    """The description of column ``key``: from ``columns`` (a :class:`Column`, or a French header
    string for text), else from :data:`COLUMNS`, else a French-looking header made from the key."""
    given = (columns or {}).get(key)
    if isinstance(given, Column):
        return given
    if isinstance(given, str):
        known = COLUMNS.get(key)
        return replace(known, header=given) if known else Column(given)
    if key in COLUMNS:
        return COLUMNS[key]
    for prefix, suffix in (("reference_", " (référence)"), ("fige_", " (figé)")):
        if isinstance(key, str) and key.startswith(prefix) and key[len(prefix):] in COLUMNS:
            base = COLUMNS[key[len(prefix):]]
            return replace(base, header=base.header + suffix)
    bound = _BOUND.match(str(key))
    if bound:  # lower_95_0, upper_99_8: the bounds of a confidence interval at the level in the key
        side, whole, tenth = bound.groups()
        level = whole + ("," + tenth if tenth.strip("0") else "")
        return decimal(f"Borne {'basse' if side == 'lower' else 'haute'} (IC {level} %)", 2)
    limit = _LIMIT.match(str(key))
    if limit:  # lower_2s_limit: a control limit at 2 or 3 standard deviations
        side, count = limit.groups()
        return decimal(f"Limite {'basse' if side == 'lower' else 'haute'} ({count} écarts-types)", 2)
    UNDESCRIBED.add(str(key))
    return Column(humanise(key))


_BOUND = re.compile(r"^(lower|upper)_(\d{2})_(\d)$")
_LIMIT = re.compile(r"^(lower|upper)_(\d)s_limit$")


#: Keys met without a description (a test checks the exports leave none).
UNDESCRIBED: set[str] = set()


def humanise(key) -> str:
    """``n_actions`` → « N actions »: a header for a column nobody described (already French keys,
    such as ``Libellé`` or ``montant_demande``, read naturally)."""
    words = str(key).replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else ""


def _kind_of(series: pd.Series, column: Column) -> Column:
    """A description whose kind follows the data when nobody described the column."""
    if column.kind != TEXT or column.values:
        return column
    if pd.api.types.is_bool_dtype(series.dtype):
        return replace(column, kind=BOOLEAN)
    if pd.api.types.is_integer_dtype(series.dtype):
        return replace(column, kind=INTEGER)
    if pd.api.types.is_float_dtype(series.dtype):
        whole = series.dropna()
        if len(whole) and (whole == whole.round()).all():
            return replace(column, kind=INTEGER)
        return replace(column, kind=DECIMAL, digits=2)
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return replace(column, kind=DATE)
    values = [v for v in series.head(500) if not _missing(v)]
    if values and all(isinstance(v, bool) for v in values):
        return replace(column, kind=BOOLEAN)
    if values and all(isinstance(v, (dt.date, dt.datetime)) for v in values):
        return replace(column, kind=DATE)
    return column


def _missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value == ""


_NUMBER = re.compile(r"^[-+]?\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?$")


def _number(value):
    """``value`` as a number, or None when it is not one (text stays text)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    if hasattr(value, "__float__") and not isinstance(value, str):
        try:
            return float(value)
        except (TypeError, ValueError):
            return None
    if isinstance(value, str) and _NUMBER.match(value.strip()):
        return float(value.strip().replace(",", "."))
    return None


def cell_value(value, column: Column):
    """The typed, rounded, translated value of one cell (None for an empty cell)."""
    if _missing(value):
        return None
    kind = column.kind
    if kind == BOOLEAN:
        if isinstance(value, str):
            lowered = value.strip().lower()
            if lowered in ("true", "1", "oui", "vrai", "yes"):
                return "oui"
            if lowered in ("false", "0", "non", "faux", "no"):
                return "non"
            return value
        return "oui" if bool(value) else "non"
    if kind in (INTEGER, DECIMAL, PERCENTAGE, EUROS):
        number = _number(value)
        if number is None:
            return _text(value, column)
        if isinstance(number, float) and not math.isfinite(number):
            return None
        if kind == INTEGER:
            return int(round(number))
        if kind == PERCENTAGE:
            return round(round(number * 100.0 / column.scale, column.digits) / 100.0, column.digits + 2)
        if column.digits is None:  # exchange files: the stored precision, unrounded
            return float(number)
        rounded = round(float(number), column.digits)
        return int(rounded) if column.digits == 0 else rounded
    if kind == DATE:
        if isinstance(value, pd.Timestamp):
            value = value.to_pydatetime()
        if isinstance(value, dt.datetime):
            return value.replace(tzinfo=None) if value.tzinfo is None else value.astimezone().replace(tzinfo=None)
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                parsed = dt.datetime.fromisoformat(value.strip())
            except ValueError:
                return value
            return parsed.date() if len(value.strip()) <= 10 else parsed.replace(tzinfo=None)
        return value
    return _text(value, column)


def _text(value, column: Column):
    if isinstance(value, bool):
        return "oui" if value else "non"
    if column.values and isinstance(value, str):
        return column.values.get(value, value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple, set)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k} : {v}" for k, v in value.items())
    return value if isinstance(value, str) else str(value)


def prepared(table: pd.DataFrame, columns: Mapping[str, Column | str] | None = None,
             ) -> tuple[list[Column], list[list]]:
    """The descriptions of ``table``'s columns and its rows as typed, rounded, translated cells."""
    described = [_kind_of(table[key] if not table.columns.duplicated().any() else table.iloc[:, i], describe(key, columns))
                 for i, key in enumerate(table.columns)]
    rows = [[cell_value(v, c) for v, c in zip(row, described, strict=True)]
            for row in table.itertuples(index=False, name=None)]
    return described, rows


# --- what a reader must know: the « À propos » sheet ------------------------------------------------------

ABOUT_SHEET = "À propos"

#: French names of the notes keys used by the exports.
NOTE_LABELS = {
    "titre": "Titre", "portrait": "Portrait", "reference": "Territoire de référence", "secret": "Secret statistique",
    "significativite": "Significativité", "intervalle": "Intervalle de confiance", "suppression": "Secret",
    "quintiles": "Quintiles", "gradient": "Gradient social", "entonnoir": "Graphique en entonnoir",
    "donnees": "Données", "fiches_action": "Fiches-action", "grille": "Grille d'analyse",
    "thematiques": "Thématiques", "determinants_strategies": "Déterminants et stratégies",
    "trois_strategies": "Les trois stratégies", "fiches_a_risque": "Fiches à risque", "statuts": "Statuts",
    "source": "Source", "unite": "Unité", "regle": "Règle", "methode": "Méthode",
    "date_d_application": "Date d'application", "contenu": "Contenu", "indicateur": "Indicateur",
    "selection": "Sélection", "perimetre": "Périmètre", "recherche": "Recherche", "filtres": "Filtres",
    "contrat": "Contrat", "annee": "Année", "etat": "État", "regles": "Règles", "indice": "Indice",
    "periode": "Période", "period": "Période", "inputs": "Données d'entrée", "calcule_le": "Calculé le",
    "rang": "Rang", "scenario": "Scénario", "appel": "Appel à projets", "total": "Total", "licence": "Licence",
    "producteur": "Producteur", "jeu": "Jeu de données", "ressource": "Ressource", "unites": "Unités",
    "population": "Population", "gradient": "Gradient social", "classes": "Classes", "plancher": "Plancher",
    "plafond": "Plafond", "arrondi": "Arrondi", "comparaison": "Comparaison", "methodes": "Méthodes",
    "ressource": "Ressource", "mesure": "Mesure du besoin", "defavorisation": "Défavorisation",
    "ajustements": "Ajustements", "flat": "Répartition au prorata", "note": "Note",
    "mode_d_emploi": "Mode d'emploi",
}


@dataclass
class About:
    """What the « À propos » sheet states: ``source`` (the published title of the data's source),
    ``exported`` (date and time of the export), ``filters`` (French label → value of each filter
    applied), ``threshold`` (the statistical confidentiality threshold; None when the table holds no
    counts), ``notes`` (key → text: methods, units, rules), ``title`` (what the file holds)."""

    source: str = ""
    exported: dt.datetime | None = None
    filters: Mapping[str, str] | Sequence[tuple[str, str]] = field(default_factory=dict)
    threshold: int | None = None
    notes: Mapping[str, str] = field(default_factory=dict)
    title: str = ""

    def rows(self) -> list[tuple[str, str]]:
        from equisante.confidentiality.rules import rule_statement

        when = self.exported or dt.datetime.now()
        filters = list(self.filters.items()) if isinstance(self.filters, Mapping) else list(self.filters)
        out = []
        if self.title:
            out.append(("Contenu", self.title))
        out.append(("Source", self.source or "equisante, plateforme d'observation et de réduction des inégalités "
                                             "sociales et territoriales de santé"))
        out.append(("Date de l'export", when.strftime("%d/%m/%Y à %H:%M")))
        out.append(("Filtres appliqués", " ; ".join(f"{k} : {v}" for k, v in filters if str(v).strip()) or
                    "aucun (toutes les lignes)"))
        if self.threshold is not None:
            out.append(("Secret statistique", rule_statement(self.threshold) + " Dans les tableaux, une valeur "
                        "masquée est laissée vide et marquée « secret statistique » dans la colonne « État »."))
        for key, value in self.notes.items():
            label, value = NOTE_LABELS.get(key, humanise(key)), str(value).strip()
            if not value or any(value == text or (len(value) > 60 and value in text) for _, text in out):
                continue
            if any(label == existing for existing, _ in out):
                label += " (précisions)"
            out.append((label, value))
        return out


def _about(about: About | None, notes: Mapping[str, str] | None) -> About:
    about = about or About()
    if notes:
        about = replace(about, notes={**dict(about.notes), **dict(notes)})
    return about


# --- writers -----------------------------------------------------------------------------------------

def _sheets(tables) -> dict[str, pd.DataFrame]:
    if isinstance(tables, pd.DataFrame):
        return {"Données": tables}
    return dict(tables)


#: Sheet names of the exports (snake_case keys) → French names.
SHEET_NAMES = {
    "donnees": "Données", "notes": "Notes", "thematiques": "Thématiques",
    "determinants_strategies": "Déterminants et stratégies", "trois_strategies": "Trois stratégies",
    "approches": "Approches", "fiches_a_risque": "Fiches à risque", "verifications": "Vérifications",
    "comparaison": "Comparaison", "indicateurs": "Indicateurs", "indices": "Indices",
    "sous-territoires": "Sous-territoires", "quintiles": "Quintiles", "inegalites": "Inégalités",
    "entonnoir": "Entonnoir", "evolution": "Évolution", "fiches_actions": "Fiches-action",
    "territoires": "Territoires", "valeurs": "Valeurs", "annees": "Années", "subventions": "Subventions",
    "candidatures": "Candidatures", "decisions": "Décisions", "repartition": "Répartition",
    "avancement": "Avancement", "fiches": "Fiches-action", "financements": "Financements",
    "gouvernance": "Gouvernance", "profil_ists": "Profil ISTS", "approbations": "Approbations",
    "allocation": "Allocation",
}


def sheet_title(name: str) -> str:
    """A sheet name a spreadsheet accepts (31 characters, no ``[]:*?/\\``), in French words."""
    if str(name).startswith("fige_") and str(name)[5:] in SHEET_NAMES:  # a table as it was validated
        name = SHEET_NAMES[str(name)[5:]] + " (figé)"
    name = SHEET_NAMES.get(str(name), str(name))
    if re.fullmatch(r"[a-z0-9_\-]+", name):
        name = humanise(name.replace("-", " "))
    cleaned = "".join("_" if c in "[]:*?/\\" else c for c in name)
    return cleaned[:31] or "Données"


def _number_format(column: Column) -> str | None:
    if column.digits is None:
        return None
    decimals = "." + "0" * column.digits if column.digits else ""
    return {INTEGER: "#,##0", DECIMAL: "#,##0" + decimals, PERCENTAGE: "0" + decimals + " %",
            EUROS: "#,##0" + decimals + ' "€"', DATE: "dd/mm/yyyy"}.get(column.kind)


def _width(header: str, values: Iterable) -> float:
    longest = max([len(header)] + [len(_shown(v)) for v in values], default=8)
    return float(min(max(longest + 2, 8), 60))


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, (dt.date, dt.datetime)):
        return "00/00/0000"
    return str(value).split("\n")[0]


def to_xlsx_bytes(tables: pd.DataFrame | Mapping[str, pd.DataFrame], *, notes: Mapping[str, str] | None = None,
                  about: About | None = None, columns: Mapping[str, Column | str] | None = None,
                  codes: bool = False) -> bytes:
    """The table(s) as an XLSX workbook: one sheet per table (French name, 31 characters at most),
    typed cells, header bold and frozen, then the « À propos » sheet (``about``, with ``notes``).

    ``codes``: keep the column keys and coded values (open-data files with a documented schema)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    used: set[str] = set()
    for name, table in _sheets(tables).items():
        sheet = book.create_sheet(_unique(sheet_title(name), used))
        described, rows = _codes(table) if codes else prepared(table, columns)
        headers = [str(c) for c in table.columns] if codes else [c.header for c in described]
        sheet.append([_inert_header(h) for h in headers])
        for cell in sheet[1]:
            cell.font = bold
            cell.alignment = Alignment(vertical="top", wrap_text=False)
            _as_text(cell)
        for row in rows:
            sheet.append(row)
        for index, column in enumerate(described, start=1):
            letter = get_column_letter(index)
            fmt = _number_format(column)
            if fmt or column.kind == TEXT:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    if fmt and isinstance(cell.value, (int, float, dt.date)) and not isinstance(cell.value, bool):
                        cell.number_format = fmt
                    _as_text(cell)
            sheet.column_dimensions[letter].width = _width(headers[index - 1], (r[index - 1] for r in rows[:300]))
        sheet.freeze_panes = "A2"
    sheet = book.create_sheet(_unique(ABOUT_SHEET, used))
    sheet.append(["Rubrique", "Texte"])
    for cell in sheet[1]:
        cell.font = bold
    for key, value in _about(about, notes).rows():
        sheet.append([key, value])
    for row in sheet.iter_rows(min_row=2):
        row[0].font = bold
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
        for cell in row:
            _as_text(cell)
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 110
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _codes(table: pd.DataFrame) -> tuple[list[Column], list[list]]:
    """Columns typed from the data, values left as they are (codes), for machine-readable files."""
    described = [_kind_of(table.iloc[:, i], Column(str(key))) for i, key in enumerate(table.columns)]
    rows = []
    for row in table.itertuples(index=False, name=None):
        out = []
        for value, column in zip(row, described, strict=True):
            if _missing(value):
                out.append(None)
            elif column.kind == BOOLEAN:
                out.append(bool(value) if not isinstance(value, str) else value)
            elif column.kind in (INTEGER, DECIMAL):
                number = _number(value)
                out.append(value if number is None else (int(number) if column.kind == INTEGER else float(number)))
            else:
                out.append(cell_value(value, column) if column.kind == DATE else _text(value, column))
        rows.append(out)
    return [replace(c, kind=TEXT) if c.kind == BOOLEAN else c for c in described], rows


def _inert_header(header: str) -> str:
    return header


def _as_text(cell) -> None:
    """A text cell openpyxl took for a formula (text beginning with ``=``) stays text."""
    if cell.data_type == "f":
        cell.data_type = "s"


def _unique(name: str, used: set[str]) -> str:
    candidate, n = name, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = name[:31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate


def to_ods_bytes(tables: pd.DataFrame | Mapping[str, pd.DataFrame], *, notes: Mapping[str, str] | None = None,
                 about: About | None = None, columns: Mapping[str, Column | str] | None = None,
                 codes: bool = False) -> bytes:
    """The same workbook as :func:`to_xlsx_bytes` in OpenDocument (LibreOffice): typed cells with
    their number styles, header bold and frozen, columns sized, the « À propos » sheet."""
    from odf import config as odfconfig
    from odf import number as odfnumber
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import ParagraphProperties, Style, TableCellProperties, TableColumnProperties, TextProperties
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    styles: dict[str, Style] = {}

    def data_style(column: Column) -> str | None:
        if column.kind not in (INTEGER, DECIMAL, PERCENTAGE, EUROS, DATE):
            return None
        key = f"{column.kind}{column.digits}"
        if key in styles:
            return styles[key].getAttribute("name")
        name = f"N{len(styles) + 1}"
        if column.kind == DATE:
            number_style = odfnumber.DateStyle(name=name + "f")
            number_style.addElement(odfnumber.Day(style="long"))
            number_style.addElement(odfnumber.Text(text="/"))
            number_style.addElement(odfnumber.Month(style="long"))
            number_style.addElement(odfnumber.Text(text="/"))
            number_style.addElement(odfnumber.Year(style="long"))
        elif column.kind == PERCENTAGE:
            number_style = odfnumber.PercentageStyle(name=name + "f")
            number_style.addElement(odfnumber.Number(decimalplaces=column.digits, minintegerdigits=1))
            number_style.addElement(odfnumber.Text(text=" %"))
        elif column.kind == EUROS:
            number_style = odfnumber.CurrencyStyle(name=name + "f")
            number_style.addElement(odfnumber.Number(decimalplaces=column.digits, minintegerdigits=1, grouping="true"))
            number_style.addElement(odfnumber.Text(text=" "))
            number_style.addElement(odfnumber.CurrencySymbol(language="fr", country="FR", text="€"))
        else:
            number_style = odfnumber.NumberStyle(name=name + "f")
            number_style.addElement(odfnumber.Number(decimalplaces=column.digits if column.kind == DECIMAL else 0,
                                                     minintegerdigits=1, grouping="true"))
        document.automaticstyles.addElement(number_style)
        cell_style = Style(name=name, family="table-cell", datastylename=name + "f")
        document.automaticstyles.addElement(cell_style)
        styles[key] = cell_style
        return name

    header_style = Style(name="Entete", family="table-cell")
    header_style.addElement(TextProperties(fontweight="bold"))
    header_style.addElement(TableCellProperties(backgroundcolor="#eeeeee"))
    wrap_style = Style(name="Renvoi", family="table-cell")
    wrap_style.addElement(TableCellProperties(wrapoption="wrap", verticalalign="top"))
    wrap_style.addElement(ParagraphProperties())
    document.automaticstyles.addElement(header_style)
    document.automaticstyles.addElement(wrap_style)
    widths: dict[str, Style] = {}

    def width_style(width: float) -> str:
        centimetres = f"{max(1.5, width * 0.21):.2f}cm"
        if centimetres not in widths:
            style = Style(name=f"Co{len(widths) + 1}", family="table-column")
            style.addElement(TableColumnProperties(columnwidth=centimetres))
            document.automaticstyles.addElement(style)
            widths[centimetres] = style
        return widths[centimetres].getAttribute("name")

    def text_cell(value: str, stylename: str | None = None) -> TableCell:
        cell = TableCell(valuetype="string", stylename=stylename) if stylename else TableCell(valuetype="string")
        for line in str(value).split("\n"):
            cell.addElement(P(text=line))
        return cell

    def typed_cell(value, column: Column) -> TableCell:
        if value is None:
            return TableCell()
        style = data_style(column)
        if isinstance(value, (dt.date, dt.datetime)) and column.kind == DATE:
            iso = value.isoformat() if isinstance(value, dt.datetime) else value.isoformat()
            cell = TableCell(valuetype="date", datevalue=iso, stylename=style)
            cell.addElement(P(text=value.strftime("%d/%m/%Y")))
            return cell
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if column.kind == PERCENTAGE:
                cell = TableCell(valuetype="percentage", value=value, stylename=style)
                shown = f"{value * 100:.{column.digits}f} %".replace(".", ",")
            elif column.kind == EUROS:
                cell = TableCell(valuetype="currency", currency="EUR", value=value, stylename=style)
                shown = f"{value:,.{column.digits}f} €".replace(",", " ").replace(".", ",")
            else:
                cell = (TableCell(valuetype="float", value=value, stylename=style) if style
                        else TableCell(valuetype="float", value=value))
                shown = str(value).replace(".", ",")
            cell.addElement(P(text=shown))
            return cell
        return text_cell(value)

    names: list[str] = []
    used: set[str] = set()
    for name, table in _sheets(tables).items():
        title = _unique(sheet_title(name), used)
        names.append(title)
        sheet = Table(name=title)
        described, rows = _codes(table) if codes else prepared(table, columns)
        headers = [str(c) for c in table.columns] if codes else [c.header for c in described]
        for index, column in enumerate(described):
            sheet.addElement(TableColumn(stylename=width_style(_width(headers[index], (r[index] for r in rows[:300])))))
        row = TableRow()
        for header in headers:
            row.addElement(text_cell(header, "Entete"))
        sheet.addElement(row)
        for values in rows:
            row = TableRow()
            for value, column in zip(values, described, strict=True):
                row.addElement(typed_cell(value, column))
            sheet.addElement(row)
        document.spreadsheet.addElement(sheet)
    title = _unique(ABOUT_SHEET, used)
    names.append(title)
    sheet = Table(name=title)
    sheet.addElement(TableColumn(stylename=width_style(26)))
    sheet.addElement(TableColumn(stylename=width_style(110)))
    row = TableRow()
    row.addElement(text_cell("Rubrique", "Entete"))
    row.addElement(text_cell("Texte", "Entete"))
    sheet.addElement(row)
    for key, value in _about(about, notes).rows():
        row = TableRow()
        row.addElement(text_cell(key, "Entete"))
        row.addElement(text_cell(value, "Renvoi"))
        sheet.addElement(row)
    document.spreadsheet.addElement(sheet)
    _freeze_header_rows(document, names, odfconfig)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def _freeze_header_rows(document, names: Sequence[str], odfconfig) -> None:
    """Freeze the first row of every sheet (LibreOffice's view settings)."""
    view_settings = odfconfig.ConfigItemSet(name="ooo:view-settings")
    views = odfconfig.ConfigItemMapIndexed(name="Views")
    view = odfconfig.ConfigItemMapEntry()
    view.addElement(odfconfig.ConfigItem(name="ViewId", type="string", text="view1"))
    tables = odfconfig.ConfigItemMapNamed(name="Tables")
    for name in names:
        entry = odfconfig.ConfigItemMapEntry(name=name)
        for key, kind, value in (("HorizontalSplitMode", "short", "0"), ("VerticalSplitMode", "short", "2"),
                                 ("HorizontalSplitPosition", "int", "0"), ("VerticalSplitPosition", "int", "1"),
                                 ("ActiveSplitRange", "short", "2"), ("PositionLeft", "int", "0"),
                                 ("PositionRight", "int", "0"), ("PositionTop", "int", "0"),
                                 ("PositionBottom", "int", "1")):
            entry.addElement(odfconfig.ConfigItem(name=key, type=kind, text=value))
        tables.addElement(entry)
    view.addElement(tables)
    views.addElement(view)
    view_settings.addElement(views)
    document.settings.addElement(view_settings)


def to_csv_bytes(table: pd.DataFrame) -> bytes:
    """The table for programs (HTTP API, open-data files): column codes, comma separator, dot decimals,
    UTF-8 with BOM, no index, formula-like cells neutralised."""
    return neutralised(table).to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def csv_header(column: Column) -> str:
    """The CSV header of a column: its French header with its unit (« (%) », « (€) »)."""
    if column.kind == PERCENTAGE and "%" not in column.header:
        return column.header + " (%)"
    if column.kind == EUROS and "€" not in column.header:
        return column.header + " (€)"
    return column.header


def french_number(value, column: Column) -> str:
    """A number as a French spreadsheet reads it: decimal comma, no thousands separator, the column's
    digits (percentages in percentage points)."""
    if column.kind == PERCENTAGE:
        value, digits = value * 100.0, column.digits
    elif column.kind in (DECIMAL, EUROS):
        if column.digits is None:  # the stored precision: « 12000 », « 12000,5 »
            number = float(value)
            return (str(int(number)) if number.is_integer() else repr(number)).replace(".", ",")
        digits = column.digits
    else:
        return str(int(value))
    return f"{value:.{digits}f}".replace(".", ",")


def french_cells(table: pd.DataFrame, columns: Mapping[str, Column | str] | None = None,
                 ) -> tuple[list[str], list[list[str]]]:
    """(headers, rows) of ``table`` as the text a French reader sees in the CSV export."""
    described, rows = prepared(table, columns)
    out = []
    for row in rows:
        cells = []
        for value, column in zip(row, described, strict=True):
            if value is None:
                cells.append("")
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                cells.append(french_number(value, column))
            elif isinstance(value, dt.datetime):
                cells.append(value.strftime("%d/%m/%Y %H:%M"))
            elif isinstance(value, dt.date):
                cells.append(value.strftime("%d/%m/%Y"))
            else:
                cells.append(neutralise(str(value)))
        out.append(cells)
    return [neutralise(csv_header(c)) for c in described], out


def to_french_csv_bytes(table: pd.DataFrame, *, columns: Mapping[str, Column | str] | None = None) -> bytes:
    """The table for people: French headers and values, ``;`` separator, decimal comma, UTF-8 with BOM."""
    headers, rows = french_cells(table, columns)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def render(table: pd.DataFrame | Mapping[str, pd.DataFrame], fmt: str, **options) -> tuple[bytes, str]:
    """Bytes and content type of ``table`` in format ``fmt`` (:data:`FORMATS`); the CSV is the French
    one (:func:`to_french_csv_bytes`, first table only when several are given)."""
    if fmt == "csv":
        first = table if isinstance(table, pd.DataFrame) else next(iter(table.values()))
        return to_french_csv_bytes(first, columns=options.get("columns")), FORMATS["csv"]
    if fmt == "xlsx":
        return to_xlsx_bytes(table, **options), FORMATS["xlsx"]
    if fmt == "ods":
        return to_ods_bytes(table, **options), FORMATS["ods"]
    raise ValueError(f"format inconnu : {fmt!r} (formats acceptés : {', '.join(FORMATS)})")


def workbook(tables: pd.DataFrame | Mapping[str, pd.DataFrame], fmt: str, **options) -> bytes:
    """The workbook in ``fmt`` (``xlsx`` or ``ods``)."""
    return (to_ods_bytes if fmt == "ods" else to_xlsx_bytes)(tables, **options)
