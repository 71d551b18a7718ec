"""``/priorisation/``: territories ranked and mapped by index and class, with their eligibility for a
local health contract under the rule in force, the QPV and ZIP overlays, and the table's export.

Query parameters: ``index`` (code), ``level``, ``period``, ``rule`` (code of a stored rule, or
``aucune``), ``on`` (date of application, AAAA-MM-JJ; default today), ``threshold`` (simulates
another threshold for the rule in force), ``area`` (``level:code`` of a région or a département),
``overlay`` (``qpv``, ``zip``; repeatable), ``page``, ``format`` (csv, xlsx, ods, geojson).
"""

from __future__ import annotations

import math

from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from equisante.indicators.views import AREA_LEVELS, ancestor_depth, within
from equisante.maps import feature, feature_collection, sequential, union_bbox
from equisante.numbers import french_date
from equisante.portal import mapping
from equisante.portal.exporting import attachment, filename, requested_format, table_response
from equisante.portal.publication import format_number
from equisante.prioritisation.classing import Classification, Coverage, classify, coverage, eligibility_changes
from equisante.prioritisation.definitions import ROLE_LABELS, indicator_codes
from equisante.prioritisation.exporting import EXPORT_DESCRIPTIONS, export_frame, export_notes
from equisante.prioritisation.models import IndexDefinition, IndexResult, PriorityRule
from equisante.prioritisation.results import direction_text, primary_rule
from equisante.territories.levels import LABELS, ORDER, PLURALS, Level
from equisante.territories.models import Territory
from equisante.territories.views import level_rank, paginate

PAGE_SIZE = 50
#: Eligible territories listed by name above the map (all are in the table and the export).
ELIGIBLE_SHOWN = 100
NO_RULE = "aucune"
#: Overlays offered on the map: parameter value → (level, zone type or "", label, stroke, dashes).
OVERLAYS = {
    "qpv": ("qpv", "", "Quartiers prioritaires de la politique de la ville (QPV)", "#d6006e", None),
    "zip": ("zone", "ZIP", "Zones d'intervention prioritaire (ZIP)", "#000091", "6 4"),
}
MISSING_FILL = mapping.MISSING_FILL


@dataclass
class Selection:
    definition: IndexDefinition | None = None
    level: str = ""
    period: str = ""
    rule: PriorityRule | None = None
    rule_value: str = ""
    on: date = field(default_factory=date.today)
    threshold: float | None = None
    area: Territory | None = None
    overlays: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _number(text: str) -> float | None:
    text = (text or "").strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not text:
        return None
    value = float(text)
    if not math.isfinite(value):  # NaN, inf, 1e309: not a threshold
        raise ValueError(text)
    return value


def _select(request, definitions: list[IndexDefinition]) -> tuple[Selection, list, list, list, list]:
    """What the page shows, from the query string (unknown values fall back to defaults)."""
    selection = Selection()
    wanted = request.GET.get("index", "")
    selection.definition = next((d for d in definitions if d.code == wanted), None) or next(
        (d for d in definitions if d.code == "idh2"), definitions[0])
    definition = selection.definition
    available = set(IndexResult.objects.filter(definition=definition).values_list("level", "period"))
    levels = [lv.value for lv in ORDER if any(level == lv.value for level, _p in available)]
    default_level = definition.base_level if definition.base_level in levels else (levels[0] if levels else "")
    level = request.GET.get("level", "")
    selection.level = level if level in levels else default_level
    periods = sorted({p for level, p in available if level == selection.level}, reverse=True)
    period = request.GET.get("period", "")
    selection.period = period if period in periods else (periods[0] if periods else "")

    rules = list(PriorityRule.objects.filter(index=definition).order_by("-primary", "kind", "policy", "-valid_from"))
    options, seen = [], set()
    for rule in rules:  # one option per policy: the version in force is found by date
        if rule.policy in seen:
            continue
        seen.add(rule.policy)
        options.append(rule)
    default_rule = primary_rule(definition)
    value = request.GET.get("rule", "")
    if value == NO_RULE:
        selection.rule, selection.rule_value = None, NO_RULE
    else:
        chosen = next((r for r in rules if r.code == value), None) or default_rule
        selection.rule = chosen
        selection.rule_value = next((o.code for o in options if chosen and o.policy == chosen.policy), "")

    on = request.GET.get("on", "").strip()
    if on:
        try:
            selection.on = date.fromisoformat(on)
        except ValueError:
            selection.errors.append(_("La date « %(date)s » n'est pas une date (attendu : AAAA-MM-JJ) ; "
                                      "la date du jour est appliquée.") % {"date": on})
    threshold = request.GET.get("threshold", "")
    if threshold.strip() and selection.rule is not None and selection.rule.kind == "threshold":
        try:
            selection.threshold = _number(threshold)
        except ValueError:
            selection.errors.append(_("Le seuil « %(value)s » n'est pas un nombre ; le seuil de la règle en "
                                      "vigueur est appliqué.") % {"value": threshold})

    area_levels = [lv.value for lv in AREA_LEVELS if selection.level and ancestor_depth(selection.level, lv)]
    areas = list(Territory.objects.filter(level__in=area_levels).order_by(level_rank(), "name", "-vintage")
                 .only("id", "level", "code", "name", "vintage", "geometry", "min_lon", "min_lat", "max_lon",
                       "max_lat")) if area_levels else []
    wanted_area = request.GET.get("area", "")
    selection.area = next((a for a in areas if f"{a.level}:{a.code}" == wanted_area), None)
    selection.overlays = [o for o in request.GET.getlist("overlay") if o in OVERLAYS]
    return selection, levels, periods, options, areas


def prioritisation(request):
    """The page (or its export with ``?format=csv|xlsx|geojson``)."""
    definitions = list(IndexDefinition.objects.order_by("code"))
    context = {"breadcrumb_data": {"current": _("Priorisation des territoires")}, "definitions": definitions}
    if not definitions:
        return render(request, "prioritisation/index.html", context)
    selection, levels, periods, rule_options, areas = _select(request, definitions)
    definition = selection.definition
    result = (IndexResult.objects.filter(definition=definition, level=selection.level, period=selection.period)
              .first() if selection.level else None)
    context.update({
        "selection": selection,
        "definition": definition,
        "levels": [{"value": lv, "label": PLURALS[Level(lv)]} for lv in levels],
        "periods": periods,
        "rule_options": rule_options,
        "no_rule": NO_RULE,
        "areas": [{"value": f"{a.level}:{a.code}", "label": f"{a.name} ({a.level_label})"} for a in areas],
        "area_value": f"{selection.area.level}:{selection.area.code}" if selection.area else "",
        "overlay_options": [{"value": key, "label": spec[2], "stroke": spec[3], "dash": spec[4] or ""}
                            for key, spec in OVERLAYS.items()],
        "direction": direction_text(definition),
        "result": result,
    })
    if result is None:
        return render(request, "prioritisation/index.html", context)

    classification = classify(result, selection.rule, on=selection.on, threshold=selection.threshold)
    inside = None
    if selection.area is not None:
        inside = set(Territory.objects.filter(level=selection.level).filter(within(selection.area, selection.level))
                     .values_list("id", flat=True))
    rows = _inside(classification.rows, inside)
    colours = class_colours(classification)

    fmt = requested_format(request, ("csv", "xlsx", "ods", "geojson"))
    stem = f"priorisation-{definition.code}-{selection.level}-{selection.period}"
    if fmt in ("csv", "xlsx", "ods"):
        return table_response(export_frame(rows, result, classification, selection.on), fmt, stem, request=request,
                              notes=export_notes(result, classification, selection.on),
                              columns=EXPORT_DESCRIPTIONS)
    count = len(rows)
    draw = bool(count) and not mapping.too_many(count)
    map_data = build_map(rows, classification, colours, selection) if (draw or fmt == "geojson") else None
    if fmt == "geojson":
        return attachment(map_data.geojson, "application/geo+json", filename(stem, "geojson"))

    # only the rows of the page (and the first eligible ones) are formatted: 35,000 communes stay fast
    page = paginate(request, range(len(rows)), PAGE_SIZE)
    records = table_records(rows.iloc[list(page.object_list)], classification, colours)
    is_eligible = rows["eligible"].fillna(False).astype(bool).to_numpy()
    eligible_count = int(is_eligible.sum())
    eligible_shown = table_records(rows[is_eligible].head(ELIGIBLE_SHOWN), classification, colours)
    base_threshold = None
    if classification.core_rule is not None:
        base_threshold = classification.rule.threshold if classification.simulated else classification.core_rule.threshold
    in_force = classification
    simulation = None
    if classification.simulated:
        # the same territories under the rule in force, to say who enters and who leaves eligibility
        in_force = classify(result, selection.rule, on=selection.on)
        simulation = simulation_summary(_inside(in_force.rows, inside), rows, population_scope(selection))
    context.update({
        "classification": classification,
        "in_force": in_force,
        "simulation": simulation,
        "on_text": french_date(selection.on),
        "coverage": coverage_text(coverage(rows), population_scope(selection))
        if classification.decides_eligibility else None,
        "base_threshold": base_threshold,
        "threshold_value": format_number(selection.threshold if selection.threshold is not None else base_threshold,
                                         decimals=_decimals(selection.threshold or base_threshold))
        if (selection.threshold is not None or base_threshold is not None) else "",
        "count": count,
        "map": map_data,
        "map_too_big": bool(count) and not draw,
        "map_limit": mapping.MAP_MAX_FEATURES,
        "page_obj": page,
        "rows": records,
        "eligible_count": eligible_count,
        "eligible_shown": eligible_shown,
        "eligible_more": eligible_count - len(eligible_shown),
        "level_label": LABELS[Level(selection.level)],
        "level_plural": PLURALS[Level(selection.level)],
        "inputs": input_rows(definition, result),
        "summary": parameter_summary(result),
        "selection_text": selection_text(selection, definition),
    })
    return render(request, "prioritisation/index.html", context)


def _inside(rows: pd.DataFrame, inside: set | None) -> pd.DataFrame:
    """The rows of the territories of the chosen area (all when no area is chosen)."""
    if inside is None:
        return rows
    return rows[rows["territory_id"].isin(inside)].reset_index(drop=True)


def population_scope(selection: Selection) -> str:
    """Whose population the shares are of: the chosen area, the région, or all the territories."""
    if selection.area is not None:
        return selection.area.name
    regions = list(Territory.objects.filter(level="region").values_list("name", flat=True)[:2])
    if len(regions) == 1 and selection.level != "region":
        return _("la région %(name)s") % {"name": regions[0]}
    return _("l’ensemble des territoires")


def coverage_text(cover: Coverage, scope: str) -> dict:
    """The population covered by eligibility, in words (« 12 345 habitants, soit 4,2 % de … »)."""
    share = cover.share
    return {
        "territories": cover.territories,
        "population": format_number(cover.population, decimals=0),
        "share": "" if share is None else format_number(share, decimals=1) + "\u00a0%",
        "scope": scope,
    }


def simulation_summary(before: pd.DataFrame, after: pd.DataFrame, scope: str) -> dict:
    """The rule in force against the simulated threshold: the territories entering and leaving
    eligibility (names, populations), the population covered before and after."""
    entering, leaving = eligibility_changes(before, after)

    def listed(frame: pd.DataFrame) -> list[dict]:
        return [{"code": row["code"], "name": row["name"],
                 "value_text": "" if pd.isna(row["value"]) else format_number(row["value"], decimals=3),
                 "population_text": "" if pd.isna(row["population"]) else format_number(row["population"],
                                                                                        decimals=0)}
                for row in frame.to_dict("records")]

    def people(frame: pd.DataFrame) -> str:
        return format_number(float(frame["population"].fillna(0).sum()), decimals=0)

    return {
        "entering": listed(entering), "leaving": listed(leaving),
        "entering_population": people(entering), "leaving_population": people(leaving),
        "before": coverage_text(coverage(before), scope), "after": coverage_text(coverage(after), scope),
    }


def _decimals(value) -> int:
    if value is None:
        return 2
    text = f"{float(value):.6f}".rstrip("0")
    return max(2, len(text.split(".")[1]) if "." in text else 0)


def class_colours(classification: Classification) -> dict[int, str]:
    """Class rank → colour, **darkest for class 1** (the most deprived or the priority class), from
    a colour-blind-safe sequential palette (lightness decreases with priority)."""
    ranks = [rank for rank, _label in classification.classes]
    if not ranks:
        return {}
    palette = sequential(max(ranks), "brun" if classification.kind == "threshold" else "bleu")[::-1]
    return {rank: palette[rank - 1] for rank in ranks}


def table_records(rows: pd.DataFrame, classification: Classification, colours: dict[int, str]) -> list[dict]:
    records = []
    for row in rows.to_dict("records"):
        value = row["value"]
        eligible = row["eligible"]
        records.append({
            "territory_id": row["territory_id"],
            "code": row["code"],
            "name": row["name"],
            "rank": None if pd.isna(row["rank"]) else int(row["rank"]),
            "value": None if pd.isna(value) else float(value),
            "value_text": "" if pd.isna(value) else format_number(value, decimals=3),
            "population_text": "" if pd.isna(row["population"]) else format_number(row["population"], decimals=0),
            "class_rank": None if pd.isna(row["class_rank"]) else int(row["class_rank"]),
            "class_label": row["class_label"],
            "colour": colours.get(None if pd.isna(row["class_rank"]) else int(row["class_rank"]), ""),
            "eligible": None if pd.isna(eligible) else bool(eligible),
            "reason": row["reason"],
        })
    return records


def build_map(rows: pd.DataFrame, classification: Classification, colours: dict[int, str],
              selection: Selection) -> mapping.MapData:
    """Choropleth by class (the server sets every colour), with the QPV and ZIP overlays."""
    ids = rows["territory_id"].tolist()
    territories = {t.pk: t for t in Territory.objects.filter(pk__in=ids).only(
        "id", "level", "code", "name", "geometry", "min_lon", "min_lat", "max_lon", "max_lat")}
    features, boxes, drawn = [], [], 0
    counts: dict = {}
    for row in rows.to_dict("records"):
        territory = territories.get(row["territory_id"])
        missing = bool(pd.isna(row["value"]))
        rank = None if pd.isna(row["class_rank"]) else int(row["class_rank"])
        counts[rank] = counts.get(rank, 0) + 1
        if territory is None or not territory.geometry:
            continue
        value = "" if pd.isna(row["value"]) else format_number(row["value"], decimals=3)
        label = row["class_label"] or (_("Rang %(rank)s") % {"rank": row["rank"]} if not pd.isna(row["rank"]) else "")
        props = {
            "name": territory.name, "code": territory.code, "level": territory.level,
            "url": territory.get_absolute_url(), "role": "value",
            "state": "missing" if missing else "ok",
            "state_name": str(_("Donnée manquante")),
            "value": f"{value} — {label}" if value and label else value,
            "cls": rank, "fill": MISSING_FILL if missing else colours.get(rank, mapping.PLAIN_FILL),
        }
        features.append(feature(territory.geometry, props))
        boxes.append(territory.bbox)
        drawn += 1
    for key in OVERLAYS:
        features += overlay_features(key, selection)
    if selection.area is not None and selection.area.geometry:
        features.append(feature(selection.area.geometry, {"name": selection.area.name, "code": selection.area.code,
                                                          "role": "outline"}))
        boxes.append(selection.area.bbox)
    legend = [mapping.LegendEntry("class", label, counts.get(rank, 0), colours[rank])
              for rank, label in classification.classes]
    if not classification.classes:
        legend = [mapping.LegendEntry("class", _("Territoire avec une valeur (aucune classe)"),
                                      int(rows["value"].notna().sum()), mapping.PLAIN_FILL)]
    missing_count = int(rows["value"].isna().sum())
    legend.append(mapping.LegendEntry("missing", _("Valeur manquante (blanc)"), missing_count))
    return mapping.MapData(geojson=feature_collection(features, bbox=union_bbox(boxes)), legend=legend,
                           method=classification.kind, drawn=drawn)


def overlay_features(key: str, selection: Selection) -> list[dict]:
    """The territories of one overlay (QPV or ZIP), inside the chosen area when there is one; every
    feature carries ``overlay`` so that the page can show or hide it."""
    level, zone_type, label, stroke, dash = OVERLAYS[key]
    query = Territory.objects.filter(level=level).exclude(geometry="")
    if zone_type:
        query = query.filter(zone_type=zone_type)
    if selection.area is not None and level == "qpv":
        query = query.filter(within(selection.area, "qpv"))
    out = []
    for territory in query.only("id", "level", "code", "name", "geometry")[: mapping.MAP_MAX_FEATURES]:
        out.append(feature(territory.geometry, {
            "name": territory.name, "code": territory.code, "level": territory.level, "role": "overlay",
            "overlay": key, "overlay_label": label, "stroke": stroke, "dash": dash,
            "url": territory.get_absolute_url(),
        }))
    return out


def input_rows(definition: IndexDefinition, result: IndexResult) -> list[dict]:
    """The indicators feeding the index, with the period of the data actually used."""
    from equisante.indicators.models import Indicator

    inputs = definition.inputs
    if definition.method == "composite":
        pairs = [(entry.get("direction", "favourable"), entry["indicator"]) for entry in inputs]
    else:
        pairs = [(ROLE_LABELS.get(role, role), code)
                 for role, code in indicator_codes(definition.method, inputs).items()]
    labels = dict(Indicator.objects.filter(code__in=[c for _r, c in pairs]).values_list("code", "label"))
    return [{"role": role, "code": code, "label": labels.get(code, code),
             "url": reverse("indicators:detail", args=[code]) if code in labels else "",
             "period": result.input_periods.get(code, "")} for role, code in pairs]


def parameter_summary(result: IndexResult) -> list[tuple[str, str]]:
    """A few parameters in words: bounds (IDH-2), loadings and explained variance (FDep)…"""
    p = result.parameters or {}
    out = []
    if "bounds" in p:
        names = {"health": _("santé"), "education": _("éducation"), "income": _("revenu")}
        origin = p.get("bounds_origin", {})
        parts = [f"{names.get(k, k)} {format_number(v[0], decimals=2)} – {format_number(v[1], decimals=2)}"
                 f" ({_('observés') if origin.get(k) == 'observed' else _('fixés')})" for k, v in p["bounds"].items()]
        out.append((_("Planchers et plafonds"), " ; ".join(parts)))
    if "loadings" in p:
        out.append((_("Coefficients (vecteur propre)"), " ; ".join(
            f"{ROLE_LABELS.get(k, k)} {format_number(v, decimals=3)}" for k, v in p["loadings"].items())))
    if "explained_variance_ratio" in p:
        out.append((_("Part de variance expliquée"), format_number(100 * p["explained_variance_ratio"], decimals=1)
                    + "\u00a0%"))
    if p.get("withheld_inputs"):
        out.append((_("Valeurs d'entrée masquées (secret statistique)"), str(p["withheld_inputs"])))
    if "aggregation" in p:
        out.append((_("Niveaux supérieurs"), p["aggregation"].get("formula", "")))
    return out


def selection_text(selection: Selection, definition: IndexDefinition) -> str:
    parts = [definition.label, str(PLURALS[Level(selection.level)]), selection.period]
    if selection.area is not None:
        parts.append(_("dans %(area)s") % {"area": selection.area.name})
    return ", ".join(p for p in parts if p)
