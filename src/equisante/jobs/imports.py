"""Imports run from the site, the command line or a job, each leaving an :class:`ImportTrace` of what it
changed (who, when, through what, the file, counts and the changed rows, before → after).

The importers themselves (:mod:`equisante.indicators.importing`, :mod:`equisante.territories.importing`,
:mod:`equisante.contracts.exchange`) check everything first and refuse the whole file in French; this
module reads the state of what the file touches before and after, and writes the trace.

Formats (``FORMATS``): ``catalogue`` (indicator catalogue), ``valeurs`` (indicator values),
``territoires`` (GeoJSON), ``cog`` (INSEE COG CSV), ``fiches`` (action sheets).
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from equisante.jobs.models import ImportTrace
from equisante.progress import Reporter, stage_callback

#: Changed rows kept in detail in a trace (the rest are counted).
DETAIL_LIMIT = 500


@dataclass
class ImportFormat:
    code: str
    label: str
    extensions: tuple[str, ...]
    help: str


FORMATS = {
    "catalogue": ImportFormat("catalogue", _("Catalogue d'indicateurs"), ("csv", "xlsx", "ods"),
                              _("Une ligne par indicateur : code, libellé, unité, polarité, multiplicateur…")),
    "valeurs": ImportFormat("valeurs", _("Valeurs d'indicateurs"), ("csv", "xlsx", "ods"),
                            _("Format long (une ligne par valeur) ou large (une colonne par indicateur).")),
    "territoires": ImportFormat("territoires", _("Territoires (GeoJSON)"), ("geojson", "json"),
                                _("Contours d'un niveau (propriétés code et nom), parent déduit du code.")),
    "cog": ImportFormat("cog", _("Territoires (fichier du COG de l'INSEE)"), ("csv",),
                        _("Fichier CSV du Code officiel géographique d'un niveau.")),
    "fiches": ImportFormat("fiches", _("Fiches-action"), ("csv", "xlsx"),
                           _("Une ligne par fiche : contrat, code, axe, intitulé, description, codage.")),
}


@dataclass
class Outcome:
    summary: str
    counts: dict = field(default_factory=dict)
    changes: list[dict] = field(default_factory=list)
    trace: ImportTrace | None = None


def _src(data):
    """A fresh readable source: a stream over bytes, or the path itself."""
    return io.BytesIO(data) if isinstance(data, (bytes, bytearray)) else data


def _text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.6g}".replace(".", ",")
    return str(value)


def _diff_rows(before: dict, after: dict, label: Callable[[tuple], str], fields: list[tuple[str, str]]):
    """Changes between two ``key → {field: value}`` maps: created, changed, in key order."""
    changes, counts = [], {"créés": 0, "modifiés": 0, "inchangés": 0}
    for key in sorted(after, key=lambda k: tuple(str(x) for x in k)):
        new, old = after[key], before.get(key)
        if old is None:
            counts["créés"] += 1
            changes.append({"object": label(key), "action": "création",
                            "fields": [{"label": str(name), "before": "", "after": _text(new.get(f))}
                                       for f, name in fields if _text(new.get(f))]})
        else:
            fields_changed = [{"label": str(name), "before": _text(old.get(f)), "after": _text(new.get(f))}
                              for f, name in fields if _text(old.get(f)) != _text(new.get(f))]
            if fields_changed:
                counts["modifiés"] += 1
                changes.append({"object": label(key), "action": "modification", "fields": fields_changed})
            else:
                counts["inchangés"] += 1
    return changes, counts


def _record(kind: str, source: str, summary: str, changes: list[dict], counts: dict, *, user, channel: str,
            job=None) -> ImportTrace:
    return ImportTrace.objects.create(
        kind=kind, source=str(source)[:300], user=user if user is not None and user.is_authenticated else None,
        channel=channel, summary=summary, counts=counts, changes=changes[:DETAIL_LIMIT],
        truncated=max(0, len(changes) - DETAIL_LIMIT), job=job)


def record_summary(kind: str, source, summary: str, *, user=None, channel: str = "cli") -> Outcome:
    """The trace of an import whose changes are only counted (memberships)."""
    trace = _record(kind, source, summary, [], {}, user=user, channel=channel)
    return Outcome(summary, {}, [], trace)


# --- indicators -------------------------------------------------------------------------------------------

CATALOGUE_SHOWN = [("label", _("libellé")), ("unit", _("unité")), ("polarity", _("polarité")),
                   ("multiplier", _("multiplicateur")), ("source", _("source")), ("theme", _("thème")),
                   ("definition", _("définition"))]
VALUE_SHOWN = [("value", _("valeur")), ("lower", _("borne inférieure")), ("upper", _("borne supérieure")),
               ("state", _("état"))]


def _catalogue_state(codes) -> dict:
    from equisante.indicators.models import Indicator

    names = [f for f, _n in CATALOGUE_SHOWN]
    return {(i["code"],): i for i in Indicator.objects.filter(code__in=list(codes)).values("code", *names)}


def _values_state(codes, periods) -> dict:
    from equisante.indicators.models import Value

    rows = Value.objects.filter(indicator__code__in=list(codes), period__in=list(periods)).values(
        "indicator__code", "territory__level", "territory__code", "period", "sex", "age_band",
        *[f for f, _n in VALUE_SHOWN])
    return {(r["indicator__code"], r["territory__level"], r["territory__code"], r["period"], r["sex"],
             r["age_band"]): r for r in rows}


def _value_label(key) -> str:
    indicator, level, code, period, sex, age = key
    extra = " ".join(x for x in (sex, age) if x)
    return f"{indicator} — {level} {code} — {period}" + (f" ({extra})" if extra else "")


def import_catalogue(data, name: str | None, *, user=None, channel: str = "site", reporter: Reporter | None = None,
                     job=None, sheet: str | None = None) -> Outcome:
    from equisante.indicators import importing
    from equisante.indicators.reading import read_catalogue

    progress = stage_callback(reporter)
    progress("lecture du catalogue", 0, 1)
    codes = [r.code for r in read_catalogue(_src(data), sheet=sheet, name=name).records]
    before = _catalogue_state(codes)
    report = importing.import_catalogue(_src(data), sheet=sheet, name=name)
    after = _catalogue_state(codes)
    changes, counts = _diff_rows(before, after, lambda k: k[0], CATALOGUE_SHOWN)
    summary = report.summary()
    progress("trace de l'import", 1, 1)
    trace = _record("catalogue", name or data, summary, changes, counts, user=user, channel=channel, job=job)
    return Outcome(summary, counts, changes, trace)


def import_values(data, name: str | None, *, user=None, channel: str = "site", reporter: Reporter | None = None,
                  job=None, **options) -> Outcome:
    from equisante.indicators import importing
    from equisante.indicators.reading import read_values

    progress = options.pop("progress", None) or stage_callback(reporter)
    progress("lecture", 0, 1)
    reading = read_values(_src(data), layout=options.get("layout"), period=options.get("period"),
                          sheet=options.get("sheet"), name=name)
    codes = {r.indicator for r in reading.records}
    periods = {r.period for r in reading.records}
    before = _values_state(codes, periods)
    report = importing.import_values(_src(data), name=name, progress=progress, **options)
    after = _values_state(codes, periods)
    changes, counts = _diff_rows(before, after, _value_label, VALUE_SHOWN)
    summary = report.summary()
    trace = _record("valeurs", name or data, summary, changes, counts, user=user, channel=channel, job=job)
    return Outcome(summary, counts, changes, trace)


# --- territories ------------------------------------------------------------------------------------------

TERRITORY_SHOWN = [("name", _("nom")), ("parent", _("parent")), ("zone_type", _("type de zone"))]


def _territory_state(level: str, vintage: int) -> dict:
    from equisante.territories.models import Territory

    rows = Territory.objects.filter(level=level, vintage=vintage).values("code", "name", "parent__code", "zone_type")
    return {(level, r["code"]): {"name": r["name"], "parent": r["parent__code"] or "", "zone_type": r["zone_type"]}
            for r in rows}


def import_territories(data, name: str | None, *, level: str, vintage: int, cog: bool = False, user=None,
                       channel: str = "site", reporter: Reporter | None = None, job=None, **options) -> Outcome:
    from equisante.territories import importing

    progress = options.pop("progress", None) or stage_callback(reporter)
    before = _territory_state(level, vintage)
    if cog:
        report = importing.import_cog(_src(data), level=level, vintage=vintage, name=name, progress=progress,
                                      **options)
    else:
        report = importing.import_territories(_src(data), level=level, vintage=vintage, name=name,
                                              progress=progress, **options)
    after = _territory_state(level, vintage)
    changes, counts = _diff_rows(before, after, lambda k: f"{k[0]} {k[1]}", TERRITORY_SHOWN)
    summary = report.summary()
    trace = _record("cog" if cog else "territoires", name or data, summary, changes, counts, user=user, channel=channel,
                    job=job)
    return Outcome(summary, counts, changes, trace)


# --- action sheets ----------------------------------------------------------------------------------------

def import_sheets(data, name: str | None, *, user=None, channel: str = "site", reporter: Reporter | None = None,
                  job=None, fmt: str | None = None) -> Outcome:
    from equisante.contracts.exchange import import_action_sheets
    from equisante.contracts.models import ChangeRecord

    progress = stage_callback(reporter)
    progress("vérification des fiches", 0, 1)
    started = timezone.now()
    report = import_action_sheets(_src(data), format=fmt, name=name,
                                  user=user if user is not None and user.is_authenticated else None)
    records = ChangeRecord.objects.filter(at__gte=started, action="import").select_related("contract").order_by("id")
    changes = [{"object": f"{r.contract.code} {r.object_label}", "action": "création" if r.version <= 1 else
                "modification", "fields": [{"label": c["label"], "before": c["before"], "after": c["after"]}
                                           for c in r.changes]} for r in records]
    counts = {"créés": report.created, "modifiés": report.updated, "inchangés": report.unchanged}
    summary = report.summary()
    progress("trace de l'import", 1, 1)
    trace = _record("fiches", name or data, summary, changes, counts, user=user, channel=channel, job=job)
    return Outcome(summary, counts, changes, trace)
