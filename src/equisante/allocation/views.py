"""``/allocation/``: build an allocation scenario, see it next to the flat per-capita share and another
scenario, save it, export it (CSV, XLSX, GeoJSON, PDF note); ``/allocation/subventions/``: the register
of grants and where the money went.
"""

from __future__ import annotations

from urllib.parse import urlencode

import numpy as np
import pandas as pd
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from equisante.allocation import register as money
from equisante.allocation.building import Result, build, gradient_by_class
from equisante.allocation.comparison import compare
from equisante.allocation.errors import AllocationError
from equisante.allocation.forms import GrantForm, GrantImportForm, SaveForm, ScenarioForm, initial_from
from equisante.allocation.models import RESOURCE_UNITS, Grant, Scenario
from equisante.allocation.services import grants_from_calls, grants_from_contracts, import_grants
from equisante.contracts.permissions import is_regional_admin, referent_departements
from equisante.errors import InputRejected
from equisante.maps import classify, feature, feature_collection, sequential, union_bbox
from equisante.numbers import plural
from equisante.portal import mapping
from equisante.portal.exporting import attachment, filename, requested_format, table_response
from equisante.portal.publication import format_number
from equisante.territories.models import Territory

TABLE_ROWS = 50
DEFAULTS = {"resource": "euros", "total": "1 000 000", "level": "commune", "weighting": "gradient",
            "gradient_high": "1,5", "gradient_low": "1"}


def can_allocate(user) -> bool:
    """Agency users (regional administrators, departmental referents) save scenarios and grants."""
    return is_regional_admin(user) or bool(referent_departements(user))


def _money(value, unit_word: str, decimals: int = 0) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "—"
    return f"{format_number(value, decimals=decimals)}\u00a0{unit_word}"


def _pct(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "—"
    return f"{format_number(100 * value, decimals=1)}\u00a0%"


def _ci(c: dict | None) -> dict:
    if not c or c.get("value") is None or np.isnan(c.get("value", np.nan)):
        return {"value": "—", "interval": "", "reading": ""}
    value, low, high = c["value"], c.get("lower", np.nan), c.get("upper", np.nan)
    interval = "" if np.isnan(low) else _("IC 95 %% : %(low)s à %(high)s") % {
        "low": format_number(low, decimals=3), "high": format_number(high, decimals=3)}
    if not np.isnan(high) and high < 0:
        reading = _("concentré dans les territoires les plus défavorisés")
    elif not np.isnan(low) and low > 0:
        reading = _("concentré dans les territoires les moins défavorisés")
    else:
        reading = _("pas d’écart significatif au partage uniforme")
    return {"value": format_number(value, decimals=3), "interval": interval, "reading": reading}


def export_frame(result: Result) -> pd.DataFrame:
    columns = ["code", "name", "departement", "population", "population_year", "measure", "deprivation",
               "deprivation_class", "weight", "adjusted_weight", "adjustments", "allocation", "units", "flat",
               "difference", "per_capita", "flat_per_capita", "outcome"]
    return result.frame[[c for c in columns if c in result.frame.columns]].copy()


def export_columns(result: Result) -> dict:
    """French headers of the allocated quantities, in the scenario's resource (euros, doses, posts…)."""
    from equisante import exports

    resource = result.scenario.resource
    if resource == "euros":
        amount, per_head = exports.euros, 2
    else:
        word = RESOURCE_UNITS.get(resource, "")
        per_head = 4

        def amount(header, digits=0):
            return exports.decimal(f"{header} ({word})", digits)
    whole = 0 if result.scenario.unit else 2  # whole units, or continuous amounts to the hundredth
    return {"allocation": amount("Attribution", whole),
            "flat": amount("Répartition au prorata de la population", whole),
            "difference": amount("Écart au prorata", whole),
            "per_capita": amount("Par habitant", per_head),
            "flat_per_capita": amount("Par habitant (prorata)", per_head),
            "outcome": exports.text("Résultat")}


def export_notes(result: Result) -> dict[str, str]:
    s = result.scenario
    notes = {
        "scenario": s.name or _("scénario non enregistré"),
        "ressource": f"{s.get_resource_display()} ({RESOURCE_UNITS[s.resource]})",
        "total": format_number(s.total, decimals=2),
        "unite": format_number(s.unit, decimals=2) if s.unit else _("montants continus"),
        "regle": _("Chaque territoire reçoit un montant proportionnel à population × poids, entre son plancher "
                   "et son plafond ; les territoires qui ne touchent aucune borne se partagent le reste au prorata ; "
                   "en unités entières, les unités restantes vont aux plus forts restes (à égalité : la plus "
                   "grande population, puis l’ordre du tableau)."),
        "flat": _("Colonne « Répartition au prorata de la population » : la même ressource répartie par "
                  "habitant, sans besoin, planchers, plafonds ni ajustements."),
        "mesure": f"{result.measure.label} ({result.measure.period})" if result.measure else _("aucune"),
        "defavorisation": f"{result.deprivation.label} ({result.deprivation.period}), quintile 1 = le plus défavorisé"
        if result.deprivation else _("aucun indice"),
        "ajustements": "; ".join(f"{a['reason']}" for a in s.adjustments or []) or _("aucun"),
    }
    notes.update({f"note_{i + 1}": n for i, n in enumerate(result.notes)})
    return notes


def allocation_map(result: Result) -> mapping.MapData | None:
    frame = result.frame
    if mapping.too_many(len(frame)):
        return None
    territories = {t.pk: t for t in Territory.objects.filter(pk__in=frame["territory_id"].tolist()).only(
        "id", "level", "code", "name", "geometry", "min_lon", "min_lat", "max_lon", "max_lat")}
    values = frame["per_capita"].tolist()
    classification = classify([None if pd.isna(v) else v for v in values], 5, "quantiles")
    colours = sequential(classification.k, "bleu") if classification.k else []
    unit = f"{result.unit_word} par habitant"
    features, boxes, drawn = [], [], 0
    for row, cls in zip(frame.to_dict("records"), classification.classes, strict=True):
        territory = territories.get(row["territory_id"])
        if territory is None or not territory.geometry:
            continue
        text = _money(row["allocation"], result.unit_word) + " ; " + _money(row["per_capita"], unit, 2)
        features.append(feature(territory.geometry, {
            "name": territory.name, "code": territory.code, "level": territory.level,
            "url": territory.get_absolute_url(), "role": "value", "state": "ok" if cls is not None else "missing",
            "state_name": _("Donnée manquante"), "value": text, "cls": cls,
            "fill": colours[cls] if cls is not None else mapping.MISSING_FILL}))
        boxes.append(territory.bbox)
        drawn += 1
    if not drawn:
        return None
    legend = [mapping.LegendEntry("class", label, count, colour) for label, count, colour in
              zip(mapping.class_labels(classification.bounds, "other", unit), classification.counts, colours,
                  strict=True)]
    return mapping.MapData(geojson=feature_collection(features, bbox=union_bbox(boxes)), legend=legend,
                           method="quantiles", drawn=drawn)


def geojson(result: Result) -> str:
    import json

    territories = {t.pk: t for t in Territory.objects.filter(pk__in=result.frame["territory_id"].tolist())}
    features = []
    for row in export_frame(result).assign(territory_id=result.frame["territory_id"]).to_dict("records"):
        territory = territories.get(row.pop("territory_id"))
        if territory is None or not territory.geometry:
            continue
        props = {k: (None if isinstance(v, float) and np.isnan(v) else (v.item() if hasattr(v, "item") else v))
                 for k, v in row.items()}
        features.append(feature(territory.geometry, props))
    return json.dumps(json.loads(feature_collection(features)), ensure_ascii=False)


def class_rows(result: Result) -> list[dict]:
    rows = []
    unit = result.unit_word
    for row in result.classes.to_dict("records"):
        rows.append({
            "k": int(row["deprivation_class"]), "territories": int(row["territories"]),
            "population_share": _pct(row["population_share"]), "share": _pct(row["allocation_share"]),
            "flat_share": _pct(row["flat_share"]), "amount": _money(row["allocation"], unit),
            "per_capita": _money(row["per_capita"], unit, 2), "flat_per_capita": _money(row["flat_per_capita"], unit, 2),
        })
    return rows


def _row_records(table: pd.DataFrame, result: Result) -> list[dict]:
    unit = result.unit_word
    out = []
    for row in table.to_dict("records"):
        out.append({
            "code": row["code"], "name": row["name"], "population": format_number(row["population"], decimals=0),
            "klass": "" if pd.isna(row.get("deprivation_class")) else int(row["deprivation_class"]),
            "weight": format_number(row["adjusted_weight"], decimals=3), "adjustments": row.get("adjustments", ""),
            "allocation": _money(row["allocation"], unit, 0 if result.scenario.unit else 2),
            "flat": _money(row["flat"], unit, 0 if result.scenario.unit else 2),
            "difference": _money(row["difference"], unit, 0 if result.scenario.unit else 2),
            "per_capita": _money(row["per_capita"], unit, 2),
        })
    return out


def summary_block(result: Result) -> dict:
    s, f = result.summary, result.flat_summary
    unit = result.unit_word
    return {
        "total": _money(s["total"], unit), "population": format_number(s["population"], decimals=0),
        "per_capita": _money(s["per_capita"], unit, 2),
        "most_deprived": _pct(s["most_deprived_share"]), "flat_most_deprived": _pct(f["most_deprived_share"]),
        "most_deprived_population": _pct(s["most_deprived_population_share"]),
        "ci": _ci(s["concentration_per_capita"]), "flat_ci": _ci(f["concentration_per_capita"]),
        "ci_amounts": _ci(s["concentration_amounts"]), "flat_ci_amounts": _ci(f["concentration_amounts"]),
        "territories": len(result.frame),
    }


def after_the_event(result: Result) -> dict | None:
    outcome = result.summary.get("outcome")
    if outcome is None or "outcome" not in result.frame or not result.frame["outcome"].notna().any():
        return None
    frame = result.frame
    by_class = gradient_by_class(frame, "outcome")
    spent = gradient_by_class(frame, "per_capita")
    rows = []
    if by_class:
        spent_by_class = {}
        if spent:
            spent_by_class = dict(zip(spent["table"]["quantile"], spent["table"]["value"]))
        for row in by_class["table"].to_dict("records"):
            rows.append({"k": int(row["quantile"]), "outcome": format_number(row["value"], decimals=2),
                         "per_capita": _money(spent_by_class.get(row["quantile"]), result.unit_word, 2)})
    def sii_text(g):
        if not g or g.get("sii") is None:
            return _("— (il faut les cinq quintiles)")
        return _("%(v)s (IC 95 %% : %(l)s à %(u)s)") % {"v": format_number(g["sii"], decimals=3),
                                                     "l": format_number(g["lower"], decimals=3),
                                                     "u": format_number(g["upper"], decimals=3)}
    return {"indicator": outcome, "rows": rows, "sii": sii_text(by_class), "sii_spent": sii_text(spent)}


def _context(request, result: Result, other: Scenario | None, other_result: Result | None) -> dict:
    page_rows = result.frame.sort_values("per_capita", ascending=False, na_position="last").head(TABLE_ROWS)
    winners, losers = result.gains()
    context = {
        "result": result, "summary": summary_block(result), "classes": class_rows(result),
        "rows": _row_records(page_rows, result), "winners": _row_records(winners, result),
        "losers": _row_records(losers, result), "map": allocation_map(result), "unit_word": result.unit_word,
        "after": after_the_event(result), "other": other,
    }
    if other_result is not None:
        table = compare(result.frame, other_result.frame)
        context["other_summary"] = summary_block(other_result)
        context["other_classes"] = class_rows(other_result)
        context["moved"] = _money(float(table["difference"].abs().sum()) / 2, result.unit_word)
        context["other_gainers"] = int((table["difference"] > 0).sum())
        context["other_losers"] = int((table["difference"] < 0).sum())
    return context


def _exports(request, result: Result, other_result: Result | None, stem: str):
    fmt = requested_format(request, ("csv", "xlsx", "ods", "geojson", "pdf"))
    if fmt in ("csv", "xlsx", "ods"):
        table = export_frame(result)
        if fmt in ("xlsx", "ods"):
            tables = {"allocation": table}
            if len(result.classes):
                tables["quintiles"] = result.classes
            if other_result is not None:
                tables["comparaison"] = compare(result.frame, other_result.frame)
            return table_response(tables, fmt, stem, notes=export_notes(result), request=request,
                                  columns=export_columns(result))
        return table_response(table, fmt, stem, request=request, columns=export_columns(result))
    if fmt == "geojson":
        return attachment(geojson(result), "application/geo+json", filename(stem, "geojson"))
    if fmt == "pdf":
        from equisante.pdf import render_pdf

        document = render_to_string("allocation/note.html", {
            **_context(request, result, None, None), "notes": export_notes(result)}, request=request)
        return attachment(render_pdf(document), "application/pdf", filename(stem, "pdf"))
    return None


def _other(request, exclude: int | None = None) -> tuple[Scenario | None, Result | None, str]:
    wanted = request.GET.get("with", "")
    if not wanted.isdigit() or (exclude and int(wanted) == exclude):
        return None, None, ""
    other = Scenario.objects.filter(pk=int(wanted)).first()
    if other is None:
        return None, None, ""
    try:
        return other, build(other), ""
    except AllocationError as error:
        return other, None, error.message


@login_required
def index(request):
    """The scenario builder: GET parameters → result; POST ``save`` stores the parameters."""
    if request.method == "POST":
        if not can_allocate(request.user):
            raise PermissionDenied
        query = QueryDict(request.POST.get("query", ""))
        form, save = ScenarioForm(query), SaveForm(request.POST)
        if form.is_valid() and save.is_valid():
            scenario = form.scenario()
            try:
                build(scenario)
            except AllocationError as error:
                messages.error(request, error.message)
                return redirect(reverse("allocation:index") + "?" + query.urlencode())
            scenario.name = save.cleaned_data["name"]
            scenario.description = save.cleaned_data["description"]
            scenario.created_by = request.user
            scenario.save()
            messages.success(request, _("Scénario « %(name)s » enregistré.") % {"name": scenario.name})
            return redirect(scenario)
        messages.error(request, _("Le scénario n’a pas été enregistré : indiquer un nom et des paramètres valables."))
        return redirect(reverse("allocation:index") + "?" + query.urlencode())

    asked = "total" in request.GET
    form = ScenarioForm(request.GET if asked else None, initial=DEFAULTS)
    context = {"breadcrumb_data": {"current": _("Allocation des ressources")}, "form": form,
               "scenarios": Scenario.objects.order_by("-updated_at")[:50], "can_allocate": can_allocate(request.user),
               "query": request.GET.urlencode(), "save_form": SaveForm()}
    if asked and form.is_valid():
        scenario = form.scenario()
        other, other_result, other_error = _other(request)
        try:
            result = build(scenario)
        except AllocationError as error:
            context["error"] = error.message
            return render(request, "allocation/index.html", context)
        response = _exports(request, result, other_result, f"allocation-{scenario.resource}")
        if response is not None:
            return response
        context.update(_context(request, result, other, other_result))
        context["other_error"] = other_error
        context["export_query"] = {fmt: request.GET.copy() for fmt in ("csv", "xlsx", "geojson", "pdf")}
        for fmt, q in context["export_query"].items():
            q["format"] = fmt
            context["export_query"][fmt] = q.urlencode()
    return render(request, "allocation/index.html", context)


@login_required
def scenario_detail(request, pk: int):
    scenario = get_object_or_404(Scenario, pk=pk)
    if request.method == "POST":
        if not can_allocate(request.user):
            raise PermissionDenied
        if request.POST.get("action") == "supprimer":
            name = scenario.name
            scenario.delete()
            messages.success(request, _("Scénario « %(name)s » supprimé.") % {"name": name})
            return redirect("allocation:index")
    context = {"breadcrumb_data": {"links": [{"url": reverse("allocation:index"), "title": _("Allocation")}],
                                   "current": scenario.name},
               "scenario": scenario, "can_allocate": can_allocate(request.user),
               "scenarios": Scenario.objects.exclude(pk=pk).order_by("name"),
               "edit_query": urlencode(initial_from(scenario)),
               "floor_text": _money(scenario.floor, RESOURCE_UNITS[scenario.resource], 2 if scenario.floor and
                                    scenario.floor % 1 else 0) if scenario.floor is not None else "—",
               "cap_text": _money(scenario.cap, RESOURCE_UNITS[scenario.resource], 2 if scenario.cap and
                                  scenario.cap % 1 else 0) if scenario.cap is not None else "—"}
    other, other_result, other_error = _other(request, exclude=pk)
    try:
        result = build(scenario)
    except AllocationError as error:
        context["error"] = error.message
        return render(request, "allocation/scenario.html", context)
    response = _exports(request, result, other_result, f"allocation-{scenario.name}")
    if response is not None:
        return response
    context.update(_context(request, result, other, other_result))
    context["other_error"] = other_error
    suffix = f"&with={other.pk}" if other else ""
    context["export_query"] = {fmt: f"format={fmt}{suffix}" for fmt in ("csv", "xlsx", "geojson", "pdf")}
    return render(request, "allocation/scenario.html", context)


def _year_rows(years) -> list[dict]:
    rows = []
    for y in years:
        rows.append({
            "year": y.year, "total": _money(y.total, "€"), "grants": y.grants,
            "outside": _money(y.outside, "€") if y.outside else "",
            "priority": _pct(y.priority_share), "contracts": _pct(y.contract_share),
            "most_deprived": _pct(y.most_deprived_share),
            "most_deprived_population": _pct(y.most_deprived_population_share),
            "per_capita": _money(y.per_capita, "€", 2), "ci": _ci(y.concentration),
            "sii": (_("%(v)s € par habitant (IC 95 %% : %(l)s à %(u)s)") % {
                "v": format_number(y.gradient["sii"], decimals=2), "l": format_number(y.gradient["lower"], decimals=2),
                "u": format_number(y.gradient["upper"], decimals=2)}) if y.gradient.get("sii") is not None else "—",
            "classes": [{"k": int(r["deprivation_class"]), "share": _pct(r["allocation_share"]),
                         "population_share": _pct(r["population_share"]), "per_capita": _money(r["per_capita"], "€", 2)}
                        for r in y.classes.to_dict("records")] if len(y.classes) else [],
        })
    return rows


def _breakdown(grants: pd.DataFrame, column: str) -> dict:
    """Amounts by ``column`` (rows) and year (columns), in euros written the French way."""
    if grants.empty:
        return {}
    table = grants.pivot_table(index=column, columns="year", values="amount", aggfunc="sum", fill_value=0)
    years = sorted(table.columns, reverse=True)[:6]
    return {"years": years, "rows": [{"label": label, "amounts": [_money(table.loc[label, y], "€") for y in years]}
                                     for label in table.index]}


@login_required
def grants(request):
    """The register of grants: figures year by year, entries, import, feeding from the contracts."""
    editable = can_allocate(request.user)
    grant_form, import_form = GrantForm(), GrantImportForm()
    problems = []
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        action = request.POST.get("action")
        if action == "saisir":
            grant_form = GrantForm(request.POST)
            if grant_form.is_valid():
                grant = grant_form.save(commit=False)
                grant.territory = grant_form.cleaned_data["territory"]
                grant.source = "entered"
                grant.save()
                messages.success(request, _("Subvention enregistrée."))
                return redirect("allocation:grants")
        elif action == "importer":
            import_form = GrantImportForm(request.POST, request.FILES)
            if import_form.is_valid():
                upload = import_form.cleaned_data["file"]
                try:
                    added = import_grants(upload, upload.name)
                except InputRejected as rejected:
                    problems = [str(p) for p in rejected.problems[:100]]
                    messages.error(request, str(rejected))
                else:
                    messages.success(request, ngettext("%(n)s subvention importée.", "%(n)s subventions importées.",
                                                       added or 1) % {"n": added})  # French: 0 takes the singular
                    return redirect("allocation:grants")
        elif action == "contrats":
            added = grants_from_contracts()
            messages.success(request, ngettext("%(n)s ligne de financement des contrats ajoutée au registre.",
                                               "%(n)s lignes de financement des contrats ajoutées au registre.",
                                               added or 1) % {"n": added})
            return redirect("allocation:grants")
        elif action == "appels":
            counts = grants_from_calls()
            messages.success(request, _("Appels à projets décidés repris : %(added)s, %(updated)s, %(removed)s.") % {
                "added": plural(counts["added"], "subvention ajoutée", "subventions ajoutées"),
                "updated": plural(counts["updated"], "mise à jour", "mises à jour"),
                "removed": plural(counts["removed"], "retirée")})
            return redirect("allocation:grants")
    level = request.GET.get("level", "commune")
    every = money.grants_frame()
    programme = request.GET.get("programme", "")
    funder = request.GET.get("funder", "")
    chosen = every
    if programme in set(every["programme"]):
        chosen = chosen[chosen["programme"] == programme]
    if funder in set(every["funder"]):
        chosen = chosen[chosen["funder"] == funder]
    analysis = money.analyse(level, grants=chosen)
    fmt = requested_format(request)
    if fmt:
        if request.GET.get("table") == "annees":
            return table_response(money.year_table(analysis["years"]), fmt, "subventions-par-annee", request=request)
        return table_response(chosen.drop(columns=["id", "territory_id"]), fmt, "subventions", request=request)
    recent = Grant.objects.select_related("territory").order_by("-year", "-created_at")[:100]
    context = {"breadcrumb_data": {"links": [{"url": reverse("allocation:index"), "title": _("Allocation")}],
                                   "current": _("Où va l’argent")},
               "years": _year_rows(analysis["years"]), "index": analysis["index"], "recent": recent,
               "count": Grant.objects.count(), "editable": editable, "grant_form": grant_form,
               "import_form": import_form, "problems": problems,
               "programmes": sorted(every["programme"].unique()) if len(every) else [],
               "funders": sorted(every["funder"].unique()) if len(every) else [],
               "programme": programme, "funder": funder,
               "by_programme": _breakdown(chosen, "programme"), "by_funder": _breakdown(chosen, "funder")}
    return render(request, "allocation/grants.html", context)
