"""The prioritisation table as an export (CSV/XLSX through :mod:`equisante.exports`), shared by the
page and the command line: one row per territory, ranked from the most deprived, with its class,
its eligibility under the rule in force and why; the notes state the method, the rule, the date of
application and how statistical confidentiality was applied."""

from __future__ import annotations

from datetime import date

import pandas as pd

from equisante import exports
from django.utils.translation import gettext as _

from equisante.prioritisation.classing import Classification
from equisante.prioritisation.models import IndexResult
from equisante.prioritisation.results import direction_text

#: Columns whose French header or precision differ from the shared ones (index values keep four
#: digits: a threshold such as « IDH-2 < 0,52 » is read on the third).
EXPORT_DESCRIPTIONS = {"value": exports.decimal("Valeur de l'indice", 4), "name": exports.text("Nom"),
                       "index": exports.text("Indice")}

#: Export columns (snake_case, as the other exports).
EXPORT_COLUMNS = ["rank", "level", "code", "name", "index", "value", "class_rank", "class_label", "eligible",
                  "reason", "population", "period", "rule", "applied_on"]


def export_frame(rows: pd.DataFrame, result: IndexResult, classification: Classification, on: date) -> pd.DataFrame:
    """The classified ``rows`` (see :func:`~equisante.prioritisation.classing.classify`) as the
    export table (:data:`EXPORT_COLUMNS`); ``eligible`` is empty when the rule does not decide it."""
    table = pd.DataFrame({
        "rank": rows["rank"],
        "level": result.level,
        "code": rows["code"],
        "name": rows["name"],
        "index": result.definition.code,
        "value": rows["value"],
        "class_rank": rows["class_rank"],
        "class_label": rows["class_label"],
        "eligible": rows["eligible"],
        "reason": rows["reason"],
        "population": rows["population"],
        "period": result.period,
        "rule": classification.rule_text or classification.error,
        "applied_on": on.isoformat(),
    })
    return table[EXPORT_COLUMNS]


def export_notes(result: IndexResult, classification: Classification, on: date) -> dict[str, str]:
    """The notes sheet of the XLSX export: index, method, periods, rule, date, confidentiality."""
    definition = result.definition
    return {
        "indice": f"{definition.label} ({definition.code}) — {direction_text(definition)}",
        "methode": result.method,
        "periode": _("période de référence %(period)s ; données : %(inputs)s") % {
            "period": result.period,
            "inputs": ", ".join(f"{code} {period}" for code, period in result.input_periods.items())},
        "calcule_le": result.computed_at.isoformat(timespec="seconds"),
        "regle": classification.rule_text or classification.error or _("aucune règle (classement seulement)"),
        "date_d_application": on.isoformat(),
        "rang": _("rank : 1 = territoire le plus défavorisé du niveau."),
        "secret": _("Les valeurs d'indicateurs couvertes par le secret statistique sont traitées comme manquantes : "
                    "un territoire concerné n'a pas d'indice (valeur vide)."),
    }
