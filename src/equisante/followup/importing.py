"""Importing the follow-up of action sheets from CSV, XLSX or ODS (one row per line, all or nothing).

The file is read by the shared table reader (:func:`equisante.tables.read_rows`: encodings,
separators, limits, workbooks). Three tables; the columns are named by their French headers
(:data:`HEADERS`, what the templates and the exports write: « Contrat », « Fiche-action »,
« Valeur initiale »…), the snake_case keys below being read too (accents and case ignored):

- ``indicateurs``: ``contrat, fiche, indicateur, type (processus|resultat|impact), unite, source,
  valeur_initiale, date_initiale, cible, date_cible, annee, valeur`` — the indicator is found by its
  label within the sheet (created when new, its definition updated), and the value of ``annee`` set
  when ``annee`` and ``valeur`` are given;
- ``avancement``: ``contrat, fiche, annee, etat (non-commencee|en-cours|realisee|abandonnee),
  pourcentage, debut, fin``;
- ``financements``: ``contrat, fiche, financeur, annee, demande, accorde, depense`` — the funder is
  an actor of the directory (by name) or kept as written; the line of (sheet, funder, year) is
  replaced.

Every row is checked first; at the first problem nothing is imported and every problem is reported
with its line and column (:class:`~equisante.errors.InputRejected`). Importing the same file twice
changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace

import pandas as pd
from django.db import transaction

from equisante.contracts.models import ActionSheet, Actor
from equisante.errors import InputRejected, Location, Problem
from equisante.followup import problems  # noqa: F401  (declares the codes used here)
from equisante.followup.figures import INDICATOR_KINDS, PROGRESS_STATES
from equisante.followup.models import IndicatorMeasure, SheetFunding, SheetIndicator, SheetProgress

TABLES = {
    "indicateurs": ("contrat", "fiche", "indicateur", "type", "unite", "source", "valeur_initiale", "date_initiale",
                    "cible", "date_cible", "annee", "valeur"),
    "avancement": ("contrat", "fiche", "annee", "etat", "pourcentage", "debut", "fin"),
    "financements": ("contrat", "fiche", "financeur", "annee", "demande", "accorde", "depense"),
}
REQUIRED = {"indicateurs": ("contrat", "fiche", "indicateur"), "avancement": ("contrat", "fiche", "annee", "etat"),
            "financements": ("contrat", "fiche", "financeur", "annee")}


#: French header of each column (templates, exports, messages).
HEADERS = {
    "contrat": "Contrat", "fiche": "Fiche-action", "indicateur": "Indicateur", "type": "Type", "unite": "Unité",
    "source": "Source", "valeur_initiale": "Valeur initiale", "date_initiale": "Date de la valeur initiale",
    "cible": "Cible", "date_cible": "Date de la cible", "annee": "Année", "valeur": "Valeur", "etat": "État",
    "pourcentage": "Avancement (%)", "debut": "Début", "fin": "Fin", "financeur": "Financeur",
    "demande": "Montant demandé (€)", "accorde": "Montant accordé (€)", "depense": "Dépense (€)",
}
#: Other accepted spellings (the headers of the follow-up exports, English names of older files).
ALIASES = {
    "contrat": ["contract", "code du contrat"], "fiche": ["sheet", "fiche action", "code de la fiche"],
    "indicateur": ["indicator"], "unite": ["unit"], "valeur_initiale": ["baseline"], "cible": ["target"],
    "annee": ["year"], "valeur": ["value"], "etat": ["state", "statut"],
    "pourcentage": ["avancement", "percent", "pourcentage"], "debut": ["start"], "fin": ["end"],
    "financeur": ["funder"], "demande": ["montant demande", "requested"], "accorde": ["montant accorde", "granted"],
    "depense": ["spent", "depense"],
}
#: One example row per table (templates).
EXAMPLES = {
    "indicateurs": {"contrat": "CLS-01-EXEMPLE", "fiche": "FA-1.1", "indicateur": "Personnes accompagnées",
                    "type": "resultat", "unite": "personnes", "source": "Bilan du porteur", "valeur_initiale": 120,
                    "date_initiale": datetime.date(2023, 1, 1), "cible": 200, "date_cible": datetime.date(2026, 12, 31),
                    "annee": 2024,
                    "valeur": 150},
    "avancement": {"contrat": "CLS-01-EXEMPLE", "fiche": "FA-1.1", "annee": 2024, "etat": "en-cours",
                   "pourcentage": 40, "debut": datetime.date(2024, 2, 1), "fin": None},
    "financements": {"contrat": "CLS-01-EXEMPLE", "fiche": "FA-1.1", "financeur": "ARS", "annee": 2024,
                     "demande": 20000, "accorde": 15000, "depense": 9000},
}
_LOOKUP = None


def _header(name: str) -> str:
    global _LOOKUP
    from equisante import tables

    if _LOOKUP is None:
        _LOOKUP = tables.header_lookup(HEADERS, ALIASES)
    folded = tables.fold_header(name)
    return _LOOKUP.get(folded, folded)


def _cell(value) -> str:
    """A cell as the text the checks read (a workbook's numbers and dates included)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_table(data: bytes, name: str) -> pd.DataFrame:
    """The rows of a CSV, XLSX or ODS file under the column keys, with their line (column ``_ligne``)."""
    from equisante import tables

    try:
        display, _kind, rows = tables.read_rows(data, name)
    except tables.TableError as exc:
        raise InputRejected(name, [exc.problem(name)]) from None
    if not rows:
        raise InputRejected(name, [Problem("followup_file_unreadable", {"name": name, "reason": "fichier vide"})])
    (_, header), body = rows[0], rows[1:]
    keys = [_header(c) for c in header]
    records = [{**{k: _cell(cells[i]) if i < len(cells) else "" for i, k in enumerate(keys) if k},
                "_ligne": line} for line, cells in body]
    return pd.DataFrame(records, columns=[k for k in keys if k] + ["_ligne"]).fillna("")


def _in_french(found: list[Problem]) -> list[Problem]:
    """The problems with their column named by its French header."""
    for problem in found:
        column = problem.location.column
        if column in HEADERS:
            problem.location = replace(problem.location, column=HEADERS[column])
    return found


@dataclass
class Row:
    line: int
    sheet: ActionSheet
    values: dict


def _number(text, column, line, source, problems_, *, integer=False, low=None, high=None):
    text = str(text).strip().replace("\u202f", "").replace(" ", "").replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
        if integer:
            if value != int(value):
                raise ValueError
            value = int(value)
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValueError
        return value
    except ValueError:
        expected = "un nombre entier" if integer else "un nombre"
        if low is not None and high is not None:
            expected += f" entre {low} et {high}"
        elif low is not None:
            expected += " positif ou nul"
        problems_.append(Problem("followup_value_invalid", {"value": text, "expected": expected},
                                 Location(source=source, line=line, column=column)))
        return None


def _date(text, column, line, source, problems_):
    text = str(text).strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    problems_.append(Problem("followup_value_invalid", {"value": text, "expected": "une date (AAAA-MM-JJ ou JJ/MM/AAAA)"},
                             Location(source=source, line=line, column=column)))
    return None


def _choice(text, choices, column, line, source, problems_):
    from equisante import tables

    key = tables.fold_header(text).replace("_", "-")
    if key in choices:
        return key
    problems_.append(Problem("followup_value_invalid",
                             {"value": text, "expected": "l'une des valeurs " + ", ".join(choices)},
                             Location(source=source, line=line, column=column)))
    return None


def check(frame: pd.DataFrame, table: str, source: str, contracts) -> tuple[list[Row], list[Problem]]:
    """Rows ready to write and the problems found (``contracts``: those the person may edit)."""
    problems_: list[Problem] = []
    missing = [c for c in REQUIRED[table] if c not in frame.columns]
    if missing:
        expected = ", ".join(f"« {HEADERS[c]} »" for c in TABLES[table])
        return [], [Problem("followup_column_missing", {"column": HEADERS[c], "expected": expected},
                            Location(source=source, line=1, column=HEADERS[c])) for c in missing]
    sheets = {(s.contract.code, s.code): s for s in
              ActionSheet.objects.filter(contract__in=contracts).select_related("contract")}
    rows = []
    for index, record in enumerate(frame.to_dict("records")):
        line = record.pop("_ligne", None) or index + 2
        get = lambda c: str(record.get(c, "")).strip()  # noqa: E731
        for column in REQUIRED[table]:
            if not get(column):
                problems_.append(Problem("followup_value_invalid", {"value": "", "expected": "renseigné (obligatoire)"},
                                         Location(source=source, line=line, column=column)))
        sheet = sheets.get((get("contrat"), get("fiche")))
        if sheet is None and get("contrat") and get("fiche"):
            problems_.append(Problem("followup_sheet_unknown", {"contract": get("contrat"), "sheet": get("fiche")},
                                     Location(source=source, line=line, column="fiche")))
        n = len(problems_)
        values: dict = {}
        year = _number(get("annee"), "annee", line, source, problems_, integer=True, low=1990, high=2100)
        values["year"] = year
        if table == "indicateurs":
            values.update(
                label=get("indicateur"), unit=get("unite"), source=get("source"),
                kind=_choice(get("type") or "processus", INDICATOR_KINDS, "type", line, source, problems_),
                baseline=_number(get("valeur_initiale"), "valeur_initiale", line, source, problems_),
                baseline_date=_date(get("date_initiale"), "date_initiale", line, source, problems_),
                target=_number(get("cible"), "cible", line, source, problems_),
                target_date=_date(get("date_cible"), "date_cible", line, source, problems_),
                value=_number(get("valeur"), "valeur", line, source, problems_))
        elif table == "avancement":
            values.update(
                state=_choice(get("etat"), PROGRESS_STATES, "etat", line, source, problems_) if get("etat") else None,
                percent=_number(get("pourcentage"), "pourcentage", line, source, problems_, integer=True, low=0, high=100),
                started_on=_date(get("debut"), "debut", line, source, problems_),
                ended_on=_date(get("fin"), "fin", line, source, problems_))
        else:
            values.update(funder=get("financeur"), **{
                key: _number(get(column), column, line, source, problems_, integer=True, low=0)
                for key, column in (("requested", "demande"), ("granted", "accorde"), ("spent", "depense"))})
        if sheet is not None and len(problems_) == n:
            rows.append(Row(line, sheet, values))
    return rows, _in_french(problems_)


@transaction.atomic
def write(rows: list[Row], table: str) -> int:
    actors = {a.name: a for a in Actor.objects.all()}
    for row in rows:
        v, sheet = row.values, row.sheet
        if table == "indicateurs":
            definition = {k: v[k] for k in ("kind", "unit", "source", "baseline", "baseline_date", "target",
                                            "target_date")}
            indicator, _created = SheetIndicator.objects.update_or_create(sheet=sheet, label=v["label"],
                                                                          defaults=definition)
            if v["year"] is not None and v["value"] is not None:
                IndicatorMeasure.objects.update_or_create(indicator=indicator, year=v["year"],
                                                          defaults={"value": v["value"]})
        elif table == "avancement":
            SheetProgress.objects.update_or_create(sheet=sheet, year=v["year"], defaults={
                k: v[k] for k in ("state", "percent", "started_on", "ended_on")})
        else:
            actor = actors.get(v["funder"])
            lookup = {"funder": actor} if actor else {"funder": None, "funder_name": v["funder"]}
            SheetFunding.objects.update_or_create(sheet=sheet, year=v["year"], **lookup, defaults={
                k: v[k] for k in ("requested", "granted", "spent")})
    for sheet in {row.sheet.pk: row.sheet for row in rows}.values():
        sheet.save(update_fields=["updated_at"])
    return len(rows)


def import_followup(data: bytes, name: str, table: str, contracts) -> int:
    """Check then write ``data`` (a file named ``name``) as table ``table``; returns rows imported."""
    frame = read_table(data, name)
    rows, found = check(frame, table, name, contracts)
    if found:
        raise InputRejected(name, found)
    return write(rows, table)
