"""A portrait as files: its tables (CSV, XLSX), a standalone HTML report and a PDF (WeasyPrint).

The report is one HTML document with its styles inline and its charts as inline SVG: it opens
offline, prints, and WeasyPrint turns the same text into the PDF. Every table states the
confidentiality rule and the significance rule in its notes.
"""

from __future__ import annotations

import pandas as pd
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from equisante.portraits import comparison
from equisante.portraits.portrait import Portrait, quintile_rows, static_map

#: Table names (``?format=csv&table=…``) and sheet names of the workbook.
TABLES = ("indicateurs", "indices", "sous-territoires", "quintiles", "inegalites", "entonnoir", "evolution")


def _cell_columns(cell, prefix: str = "") -> dict:
    return {
        f"{prefix}period": cell.period if cell is not None else "",
        f"{prefix}numerator": cell.numerator if cell is not None else None,
        f"{prefix}denominator": cell.denominator if cell is not None else None,
        f"{prefix}value": cell.value if cell is not None else None,
        f"{prefix}lower": cell.lower if cell is not None else None,
        f"{prefix}upper": cell.upper if cell is not None else None,
        f"{prefix}state": cell.state if cell is not None else "missing",
        f"{prefix}suppression": (getattr(cell, "suppression", None) or "") if cell is not None else "",
    }


def indicators_table(portrait: Portrait) -> pd.DataFrame:
    rows = []
    for row in portrait.key_rows:
        reference = portrait.reference
        entry = {"side": row.family.side, "family": row.family.label, "indicator": row.indicator.code,
                 "label": row.indicator.label, "unit": row.indicator.unit, "polarity": row.indicator.polarity,
                 "level": portrait.territory.level, "code": portrait.territory.code, "name": portrait.territory.name}
        entry.update(_cell_columns(row.cell))
        entry.update({"reference_code": reference.code if reference else "",
                      "reference_name": reference.name if reference else ""})
        ref = _cell_columns(row.reference, "reference_")
        ref.pop("reference_period")
        entry.update(ref)
        entry.update({"comparison": row.comparison[0], "comparison_text": row.comparison[1]})
        rows.append(entry)
    return pd.DataFrame(rows)


def indices_table(portrait: Portrait) -> pd.DataFrame:
    columns = ["index", "label", "value", "class_label", "eligible", "rule", "method", "parameters", "period",
               "computed_at"]
    rows = [{column: _plain(row.get(column)) for column in columns} for row in portrait.indices.rows]
    return pd.DataFrame(rows, columns=columns)


def _plain(value):
    if isinstance(value, (dict, list, tuple)):
        import json

        return json.dumps(value, ensure_ascii=False, default=str)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def sub_territories_table(portrait: Portrait) -> pd.DataFrame:
    quintiles = {}
    gradient = portrait.gradient
    if gradient is not None:
        quintiles = dict(zip(gradient.assignments["code"], gradient.assignments["quintile"], strict=True))
    rows = []
    for cell in portrait.cells:
        entry = {"indicator": portrait.focus.code, "level": cell.territory.level, "code": cell.territory.code,
                 "name": cell.territory.name}
        entry.update(_cell_columns(cell))
        quintile = quintiles.get(cell.territory.code)
        entry["deprivation_quintile"] = int(quintile) if quintile is not None and pd.notna(quintile) else None
        rows.append(entry)
    return pd.DataFrame(rows)


def quintiles_table(portrait: Portrait) -> pd.DataFrame:
    if portrait.gradient is None:
        return pd.DataFrame(columns=["quintile", "territories", "population", "value", "lower", "upper"])
    table = portrait.gradient.quintiles.copy()
    table.insert(0, "indicator", portrait.focus.code)
    table.insert(1, "period", portrait.focus_period)
    return table


def inequality_table(portrait: Portrait) -> pd.DataFrame:
    gradient = portrait.gradient
    if gradient is None:
        return pd.DataFrame(columns=["indicator", "sii", "rii"])
    return pd.DataFrame([{
        "indicator": portrait.focus.code, "period": portrait.focus_period,
        "deprivation": portrait.deprivation.key if portrait.deprivation else "",
        "deprivation_period": portrait.deprivation.period if portrait.deprivation else "",
        "direction": gradient.direction,
        "sii": gradient.sii, "sii_lower": gradient.sii_lower, "sii_upper": gradient.sii_upper,
        "rii": gradient.rii, "rii_lower": gradient.rii_lower, "rii_upper": gradient.rii_upper,
        "intercept": gradient.intercept, "aggregation": gradient.aggregation, "method": gradient.method,
        "method_reference": gradient.method_reference,
        "excluded_sub_territories": gradient.excluded, "not_computed_because": gradient.reason,
    }])


def funnel_table(portrait: Portrait) -> pd.DataFrame:
    result = portrait.funnel
    if result is None or result.table is None:
        return pd.DataFrame(columns=["code", "name", "value", "significance"])
    table = result.table.rename(columns={"x": "funnel_x"}).copy()
    table.insert(0, "indicator", portrait.focus.code)
    table.insert(1, "period", portrait.focus_period)
    table["baseline"] = result.baseline
    return table


def trend_table(portrait: Portrait) -> pd.DataFrame:
    rows = []
    for cell in portrait.trend_rows:
        entry = {"indicator": portrait.focus.code, "level": cell.territory.level, "code": cell.territory.code,
                 "name": cell.territory.name}
        entry.update(_cell_columns(cell))
        rows.append(entry)
    return pd.DataFrame(rows)


BUILDERS = {
    "indicateurs": indicators_table,
    "indices": indices_table,
    "sous-territoires": sub_territories_table,
    "quintiles": quintiles_table,
    "inegalites": inequality_table,
    "entonnoir": funnel_table,
    "evolution": trend_table,
}


def tables(portrait: Portrait) -> dict[str, pd.DataFrame]:
    """Every table of the portrait (names: :data:`TABLES`)."""
    return {name: BUILDERS[name](portrait) for name in TABLES}


def title(portrait: Portrait) -> str:
    territory = portrait.territory
    return _("Portrait de %(name)s (%(level)s %(code)s)") % {
        "name": territory.name, "level": portrait.level_label, "code": territory.code}


def source(portrait: Portrait) -> str:
    """The published sources of the portrait's indicators, each named once."""
    seen = []
    for row in portrait.key_rows:
        text = (row.indicator.source or "").strip()
        if text and text not in seen:
            seen.append(text)
    return " ; ".join(seen)


def notes(portrait: Portrait) -> dict[str, str]:
    """What a reader of an export must know: territory, rules, methods."""
    territory = portrait.territory
    out = {
        "portrait": _("Portrait de %(name)s (%(level)s %(code)s)") % {
            "name": territory.name, "level": portrait.level_label, "code": territory.code},
        "reference": (portrait.reference.name if portrait.reference else _("aucun territoire englobant")),
        "secret": portrait.rule,
        "significativite": significance_rule(),
        "intervalle": _("Borne basse / borne haute : intervalle de confiance à 95 %."),
        "suppression": _("Secret : « secret primaire » (effectif faible ou valeur masquée par le producteur) ou « secret secondaire » "
                         "(masquée pour qu'un total ne révèle pas une autre valeur)."),
    }
    if portrait.gradient is not None:
        out["quintiles"] = portrait.gradient.direction
        out["gradient"] = _("Indice de pente (SII) et indice relatif (RII), méthode PHE : %(method)s ; agrégation par "
                            "quintile : %(aggregation)s.") % {"method": portrait.gradient.method or "—",
                                                                "aggregation": portrait.gradient.aggregation}
    if portrait.funnel is not None and portrait.funnel.statistic:
        out["entonnoir"] = _("Limites à 2 et 3 écarts-types (PHE), %(statistic)s ; territoires comparables : même "
                             "niveau, même région.") % {"statistic": portrait.funnel.statistic}
    if territory.fictional:
        out["donnees"] = _("Données fictives de démonstration.")
    return out


def significance_rule() -> str:
    return _("Comparaison significative (seuil 5 %) quand la valeur du territoire de référence sort de l'intervalle "
             "de confiance à 95 % du territoire (règle des profils de santé publique britanniques, la référence "
             "étant traitée comme fixe). ▲ plus favorable, ▼ moins favorable, △ / ▽ plus élevé / plus bas "
             "(indicateur neutre), = pas de différence significative.")


# --- HTML and PDF -------------------------------------------------------------------------------------


def report_context(portrait: Portrait, *, pdf: bool = False) -> dict:
    return {
        "portrait": portrait,
        "territory": portrait.territory,
        "static_map": static_map(portrait),
        "significance_rule": significance_rule(),
        "generated": timezone.localtime(),
        "pdf": pdf,
        "markers": comparison.MARKERS,
        "gradient_rows": quintile_rows(portrait),
    }


def html(portrait: Portrait, *, pdf: bool = False) -> str:
    """The standalone report (one HTML document, styles and charts inline, no script)."""
    return render_to_string("portraits/report.html", report_context(portrait, pdf=pdf))


def pdf(portrait: Portrait) -> bytes:
    """The report as PDF (WeasyPrint; the charts stay vectors)."""
    from equisante.pdf import render_pdf

    return render_pdf(html(portrait, pdf=True), title=title(portrait))
