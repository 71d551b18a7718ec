"""Indicator definitions over individual records, written once in YAML (pure).

A definition says which records count in the numerator and in the denominator, whether persons
(distinct) or events are counted, how age is computed, the breakdowns and the statistic. Example
(every key is described in ``docs/records.md``)::

    code: hospitalisation_diabete
    label: Patients hospitalisés pour diabète (taux standardisé)
    unit: pour 100 000
    polarity: adverse
    statistic: dsr            # dsr, rate or proportion
    years: [2019, 2021]       # first and last year of the records used
    pooled: true              # one period 2019-2021 (false: one period per year)
    columns: {person: person_id, residence: commune, sex: sex, birth_date: birth_date, year: year}
    age: {at: 2021-01-01, bands: esp2013}
    numerator: {count: persons, where: {event: sejour_diabete}}
    denominator: {count: persons, where: {event: affiliation}}
    breakdowns: [territory, age_band, sex, period]
    territory: {level: commune, vintage: 2024}
    standard: esp2013

``where`` maps a column to a value (equality), a list (one of), ``{min: …, max: …}`` (bounds
included) or ``null`` (missing). :func:`load_definition` validates everything and raises
:class:`~equisante.errors.EquisanteError` (``records_definition_invalid``) with the faulty key.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

import equisante.records.problems  # noqa: F401  (declares the catalogue entries)
from equisante.errors import EquisanteError

__all__ = ["AgeSpec", "Condition", "Count", "Definition", "load_definition", "parse_definition",
           "ESP2013_STARTS", "band_labels"]

#: First ages of the 19 bands of the European Standard Population 2013 (0-4 … 85-89, 90+).
ESP2013_STARTS = tuple(range(0, 95, 5))
STATISTICS = ("dsr", "rate", "proportion", "count")
BREAKDOWNS = ("territory", "age_band", "sex", "period")
COUNTS = ("persons", "events")
DEFAULT_COLUMNS = {"person": "person_id", "residence": "commune", "sex": "sex", "birth_date": "birth_date",
                   "year": "year"}
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
#: Text values allowed in filters: no quote nor backslash, so that they are safe in every SQL dialect.
_SAFE_TEXT = re.compile(r"^[^'\"\\\x00-\x1f]{0,200}$")
_CODE = re.compile(r"^[a-z0-9_]{1,64}$")


@dataclass(frozen=True)
class Condition:
    """One filter: ``column`` equal to / one of ``values``, between ``low`` and ``high``, or missing."""

    column: str
    values: tuple[Any, ...] = ()
    low: Any = None
    high: Any = None
    missing: bool = False


@dataclass(frozen=True)
class Count:
    """What is counted: distinct ``persons`` or ``events`` (rows), among rows meeting ``where``."""

    count: str
    where: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class AgeSpec:
    """Age in whole years at a date (``at_date``) or at the date of a column (``at_column``); bands by
    first age; optional bounds (included) restricting numerator and denominator."""

    at_date: dt.date | None = None
    at_column: str | None = None
    starts: tuple[int, ...] = ESP2013_STARTS
    minimum: int | None = None
    maximum: int | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        return band_labels(self.starts)


def band_labels(starts) -> tuple[str, ...]:
    """``(0, 5, …, 90)`` → ``("0-4", "5-9", …, "90+")``."""
    starts = list(starts)
    return tuple(f"{a}-{b - 1}" for a, b in zip(starts, starts[1:])) + (f"{starts[-1]}+",)


@dataclass(frozen=True)
class Definition:
    """A validated indicator definition."""

    code: str
    label: str
    statistic: str
    numerator: Count
    denominator: Count
    first_year: int
    last_year: int
    pooled: bool = True
    unit: str = ""
    multiplier: float = 1.0
    polarity: str = "neutral"
    definition: str = ""
    source: str = ""
    numerator_label: str = ""
    denominator_label: str = ""
    theme: str = ""
    columns: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_COLUMNS))
    age: AgeSpec | None = None
    breakdowns: tuple[str, ...] = ("territory", "period")
    territory_level: str = "commune"
    vintage: int | None = None
    standard: tuple[float, ...] | None = None
    by_sex: bool = False

    @property
    def periods(self) -> list[str]:
        if self.pooled and self.first_year != self.last_year:
            return [f"{self.first_year}-{self.last_year}"]
        return [str(y) for y in range(self.first_year, self.last_year + 1)]

    def column(self, role: str) -> str:
        return self.columns[role]

    def used_columns(self) -> dict[str, str]:
        """Column → role of every column the definition reads."""
        used = {self.columns["year"]: "année"}
        if "persons" in (self.numerator.count, self.denominator.count):
            used[self.columns["person"]] = "identifiant de personne"
        if "territory" in self.breakdowns:
            used[self.columns["residence"]] = "code de résidence"
        if "sex" in self.breakdowns or self.by_sex:
            used[self.columns["sex"]] = "sexe"
        if self.age is not None:
            used[self.columns["birth_date"]] = "date de naissance"
            if self.age.at_column:
                used[self.age.at_column] = "date de calcul de l'âge"
        for part in (self.numerator, self.denominator):
            for condition in part.where:
                used.setdefault(condition.column, "filtre")
        return used


def load_definition(path: str | Path) -> Definition:
    """Read and validate a YAML definition file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise EquisanteError("records_definition_unreadable", source=str(path), reason="fichier introuvable") from None
    except IsADirectoryError:
        raise EquisanteError("records_definition_unreadable", source=str(path),
                             reason="c'est un dossier, pas un fichier") from None
    except UnicodeDecodeError:
        raise EquisanteError("records_definition_unreadable", source=str(path),
                             reason="le fichier n'est pas en UTF-8") from None
    except OSError as exc:
        raise EquisanteError("records_definition_unreadable", source=str(path),
                             reason=f"lecture impossible ({exc.strerror or type(exc).__name__})") from None
    return parse_definition(text, source=str(path))


def parse_definition(text: str | dict, *, source: str = "définition") -> Definition:
    """Validate a definition given as YAML text or as an already parsed mapping."""
    if isinstance(text, dict):
        data = text
    else:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" à la ligne {mark.line + 1}, colonne {mark.column + 1}" if mark is not None else ""
            raise EquisanteError("records_definition_unreadable", source=source,
                                 reason=f"YAML invalide{where} (crochet, accolade ou guillemet non fermé, "
                                        f"indentation ?)") from None
    if not isinstance(data, dict):
        raise EquisanteError("records_definition_unreadable", source=source,
                             reason="le fichier doit décrire un dictionnaire de rubriques (code, label…)")
    check = _Checker(source)
    known = {"code", "label", "definition", "source", "unit", "polarity", "multiplier", "statistic", "years",
             "pooled", "columns", "age", "numerator", "denominator", "breakdowns", "territory", "standard",
             "by_sex", "numerator_label", "denominator_label", "theme"}
    for key in data:
        if key not in known:
            check.fail(str(key), f"rubrique inconnue (rubriques possibles : {', '.join(sorted(known))})")

    code = check.text(data, "code", required=True)
    if not _CODE.match(code):
        check.fail("code", "lettres minuscules, chiffres et « _ » seulement (64 caractères au plus)")
    statistic = check.text(data, "statistic", default="rate")
    if statistic not in STATISTICS:
        check.fail("statistic", f"« {statistic} » n'est pas une statistique connue ({', '.join(STATISTICS)})")
    unit_default = {"dsr": "pour 100 000", "rate": "pour 100 000", "proportion": "%", "count": "nombre"}[statistic]
    unit = check.text(data, "unit", default=unit_default)
    multiplier = data.get("multiplier")
    if multiplier is None:
        multiplier = _multiplier_of(unit)
    if not isinstance(multiplier, (int, float)) or isinstance(multiplier, bool) or multiplier <= 0:
        check.fail("multiplier", "un nombre positif est attendu")

    columns = dict(DEFAULT_COLUMNS)
    given = data.get("columns") or {}
    if not isinstance(given, dict):
        check.fail("columns", "un dictionnaire rôle → nom de colonne est attendu")
    for role, name in given.items():
        if role not in DEFAULT_COLUMNS:
            check.fail(f"columns.{role}", f"rôle inconnu (rôles : {', '.join(DEFAULT_COLUMNS)})")
        columns[role] = check.identifier(name, f"columns.{role}")

    years = data.get("years")
    if isinstance(years, int) and not isinstance(years, bool):
        years = [years, years]
    if (not isinstance(years, list) or len(years) not in (1, 2)
            or not all(isinstance(y, int) and not isinstance(y, bool) and 1900 <= y <= 2100 for y in years)):
        check.fail("years", "une année ou [première, dernière] est attendue (ex. [2019, 2021])")
    first, last = years[0], years[-1]
    if first > last:
        check.fail("years", f"la première année ({first}) suit la dernière ({last})")

    breakdowns = data.get("breakdowns", ["territory", "period"])
    if not isinstance(breakdowns, list) or any(b not in BREAKDOWNS for b in breakdowns) \
            or len(set(breakdowns)) != len(breakdowns):
        check.fail("breakdowns", f"une liste sans doublon parmi {', '.join(BREAKDOWNS)} est attendue")
    if "period" not in breakdowns:
        breakdowns = [*breakdowns, "period"]

    age = _age(data.get("age"), check)
    if statistic == "dsr":
        if age is None:
            check.fail("age", "un taux standardisé (dsr) demande l'âge (rubrique age)")
        if "age_band" not in breakdowns:
            breakdowns = [*breakdowns, "age_band"]
    if "age_band" in breakdowns and age is None:
        check.fail("breakdowns", "la ventilation par classe d'âge demande la rubrique age")

    standard = None
    if statistic == "dsr":
        raw = data.get("standard", "esp2013")
        if isinstance(raw, str) and raw.strip().lower() in ("esp2013", "esp 2013"):
            if age.starts != ESP2013_STARTS:
                check.fail("standard", "la population européenne 2013 demande les 19 classes quinquennales "
                                       "(age.bands: esp2013)")
            standard = None
        elif isinstance(raw, list) and all(isinstance(w, (int, float)) and w >= 0 for w in raw):
            if len(raw) != len(age.starts):
                check.fail("standard", f"{len(raw)} poids pour {len(age.starts)} classes d'âge")
            standard = tuple(float(w) for w in raw)
        else:
            check.fail("standard", "« esp2013 » ou une liste de poids (un par classe d'âge) est attendu")

    territory = data.get("territory") or {}
    if not isinstance(territory, dict):
        check.fail("territory", "un dictionnaire {level: commune, vintage: 2024} est attendu")
    level = territory.get("level", "commune")
    if level != "commune":
        check.fail("territory.level", "seul le niveau commune est calculé depuis un code de résidence")
    vintage = territory.get("vintage")
    if vintage is not None and (not isinstance(vintage, int) or not 1900 <= vintage <= 2100):
        check.fail("territory.vintage", "une année est attendue (ex. 2024)")

    numerator = _count(data.get("numerator"), "numerator", check)
    denominator = _count(data.get("denominator"), "denominator", check)
    polarity = check.text(data, "polarity", default="neutral")
    if polarity not in ("favourable", "adverse", "neutral"):
        check.fail("polarity", "favourable, adverse ou neutral est attendu")
    pooled = data.get("pooled", True)
    by_sex = data.get("by_sex", False)
    for key, value in (("pooled", pooled), ("by_sex", by_sex)):
        if not isinstance(value, bool):
            check.fail(key, "true ou false est attendu")
    if by_sex and "sex" not in breakdowns:
        breakdowns = [*breakdowns, "sex"]
    return Definition(
        code=code, label=check.text(data, "label", required=True), statistic=statistic, numerator=numerator,
        denominator=denominator, first_year=first, last_year=last, pooled=pooled, unit=unit,
        multiplier=float(multiplier), polarity=polarity, definition=check.text(data, "definition", default=""),
        source=check.text(data, "source", default=""),
        numerator_label=check.text(data, "numerator_label", default=""),
        denominator_label=check.text(data, "denominator_label", default=""),
        theme=check.text(data, "theme", default=""), columns=columns, age=age,
        breakdowns=tuple(b for b in BREAKDOWNS if b in breakdowns), territory_level=level, vintage=vintage,
        standard=standard, by_sex=by_sex,
    )


class _Checker:
    def __init__(self, source: str):
        self.source = source

    def fail(self, key: str, reason: str):
        raise EquisanteError("records_definition_invalid", source=self.source, field=key, reason=reason)

    def text(self, data: dict, key: str, *, required: bool = False, default: str = "") -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.fail(key, "rubrique obligatoire absente")
            return default
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.fail(key, "un texte est attendu")
        return str(value).strip()

    def identifier(self, name: Any, key: str) -> str:
        if not isinstance(name, str) or not _IDENTIFIER.match(name):
            self.fail(key, f"« {name} » n'est pas un nom de colonne valable (lettres, chiffres, « _ »)")
        return name


def _age(raw: Any, check: _Checker) -> AgeSpec | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        check.fail("age", "un dictionnaire {at: …, bands: …} est attendu")
    at = raw.get("at")
    at_date = at_column = None
    if isinstance(at, dt.date):
        at_date = at
    elif isinstance(at, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", at.strip()):
        try:
            at_date = dt.date.fromisoformat(at.strip())
        except ValueError:
            check.fail("age.at", f"« {at} » n'est pas une date valable")
    elif isinstance(at, str):
        at_column = check.identifier(at.strip(), "age.at")
    else:
        check.fail("age.at", "une date (AAAA-MM-JJ) ou un nom de colonne de dates est attendu")
    bands = raw.get("bands", "esp2013")
    if isinstance(bands, str) and bands.strip().lower() == "esp2013":
        starts = ESP2013_STARTS
    elif (isinstance(bands, list) and bands and all(isinstance(b, int) and not isinstance(b, bool) for b in bands)
          and bands[0] == 0 and all(a < b for a, b in zip(bands, bands[1:]))):
        starts = tuple(bands)
    else:
        check.fail("age.bands", "« esp2013 » ou la liste croissante des âges de début de classe, à partir "
                                "de 0, est attendu (ex. [0, 15, 65, 75])")
    bounds = {}
    for key in ("min", "max"):
        value = raw.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 130):
            check.fail(f"age.{key}", "un âge entier entre 0 et 130 est attendu")
        bounds[key] = value
    if bounds["min"] is not None and bounds["max"] is not None and bounds["min"] > bounds["max"]:
        check.fail("age", "min dépasse max")
    unknown = set(raw) - {"at", "bands", "min", "max"}
    if unknown:
        check.fail(f"age.{sorted(unknown)[0]}", "clé inconnue (clés : at, bands, min, max)")
    return AgeSpec(at_date, at_column, starts, bounds["min"], bounds["max"])


def _count(raw: Any, key: str, check: _Checker) -> Count:
    if not isinstance(raw, dict):
        check.fail(key, "un dictionnaire {count: persons|events, where: {…}} est attendu")
    count = raw.get("count", "persons")
    if count not in COUNTS:
        check.fail(f"{key}.count", "persons (personnes distinctes) ou events (événements) est attendu")
    where = raw.get("where") or {}
    if not isinstance(where, dict):
        check.fail(f"{key}.where", "un dictionnaire colonne → valeur (ou liste de valeurs) est attendu")
    conditions = []
    for column, value in where.items():
        place = f"{key}.where.{column}"
        column = check.identifier(column, place)
        if value is None:
            conditions.append(Condition(column, missing=True))
        elif isinstance(value, list):
            if not value:
                check.fail(place, "la liste de valeurs est vide")
            conditions.append(Condition(column, tuple(_literal(v, place, check) for v in value)))
        elif isinstance(value, dict):
            if set(value) - {"min", "max"} or not value:
                check.fail(place, "{min: …, max: …} est attendu")
            conditions.append(Condition(column, low=_literal(value.get("min"), place, check, allow_none=True),
                                        high=_literal(value.get("max"), place, check, allow_none=True)))
        else:
            conditions.append(Condition(column, (_literal(value, place, check),)))
    unknown = set(raw) - {"count", "where"}
    if unknown:
        check.fail(f"{key}.{sorted(unknown)[0]}", "clé inconnue (clés : count, where)")
    return Count(count, tuple(conditions))


def _literal(value: Any, place: str, check: _Checker, *, allow_none: bool = False):
    if value is None and allow_none:
        return None
    if isinstance(value, bool):
        check.fail(place, "true/false ne sont pas des valeurs de filtre : écrire le texte ou le nombre")
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _SAFE_TEXT.match(value):
        return value
    check.fail(place, f"valeur « {value} » refusée (ni guillemet ni barre oblique inverse)")


def _multiplier_of(unit: str) -> float:
    text = unit.replace("\u202f", " ").replace("\u00a0", " ")
    if "%" in text:
        return 100.0
    if "‰" in text or "mille" in text:
        return 1000.0
    match = re.search(r"(\d[\d ]*)", text)
    return float(match.group(1).replace(" ", "")) if match else 1.0

