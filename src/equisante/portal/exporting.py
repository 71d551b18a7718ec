"""Every table of the pages can be downloaded: the same view answers ``?format=csv|xlsx|ods`` with the
table as a file (through :func:`equisante.exports.render`), named ``equisante-<what>-<date>.<ext>``.

:func:`about` states what the « À propos » sheet of a workbook says: the source, the date, the
filters of the page (from its query, in French) and the statistical confidentiality rule with the
threshold of the settings (``EQUISANTE_CONFIDENTIALITY_THRESHOLD``)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify

from equisante.exports import FORMATS, WORKBOOKS, About, Column, render

#: Formats a page may be asked for; ``geojson`` is offered by map pages only.
TABLE_FORMATS = tuple(FORMATS)

#: Query parameters of the pages → French name of the filter (in the « À propos » sheet).
FILTER_LABELS = {
    "level": "Niveau", "niveau": "Niveau", "period": "Période", "periode": "Période", "sex": "Sexe",
    "age_band": "Classe d'âge", "indicator": "Indicateur", "indicateur": "Indicateur", "q": "Recherche",
    "departement": "Département", "department": "Département", "region": "Région", "generation": "Génération",
    "status": "Statut", "statut": "Statut", "kind": "Type", "type": "Type", "year": "Année", "annee": "Année",
    "programme": "Programme", "funder": "Financeur", "financeur": "Financeur", "contract": "Contrat",
    "contrat": "Contrat", "index": "Indice", "indice": "Indice", "rule": "Règle", "regle": "Règle",
    "on": "Date", "date": "Date", "overlay": "Zonage", "zonage": "Zonage", "theme": "Thématique",
    "deprivation": "Mesure de défavorisation", "defavorisation": "Mesure de défavorisation",
    "parent": "Territoire parent", "scheme": "Dispositif", "dispositif": "Dispositif", "axis": "Axe",
    "determinant": "Déterminant", "strategy": "Stratégie", "approach": "Approche", "public": "Public",
}
#: Query parameters that are not filters.
NOT_FILTERS = {"format", "page", "table", "tri", "sort", "order", "per_page"}


def requested_format(request, allowed: tuple[str, ...] = TABLE_FORMATS) -> str | None:
    """The export format asked for by ``?format=``, or None for the HTML page (unknown formats too).
    A view that offers XLSX offers ODS too."""
    fmt = request.GET.get("format", "").strip().lower()
    if fmt == "ods" and "xlsx" in allowed:
        return fmt
    return fmt if fmt in allowed else None


def filename(stem: str, fmt: str) -> str:
    """``equisante-<stem>-<YYYY-MM-DD>.<fmt>`` (local date), ``stem`` made file-safe."""
    return f"equisante-{slugify(stem)}-{timezone.localdate().isoformat()}.{fmt}"


def threshold() -> int:
    return int(getattr(settings, "EQUISANTE_CONFIDENTIALITY_THRESHOLD", 10))


def filters_of(request) -> list[tuple[str, str]]:
    """The filters of a page's query, French name → value (repeated parameters joined)."""
    if request is None:
        return []
    out = []
    for key in request.GET:
        if key in NOT_FILTERS:
            continue
        values = [v for v in request.GET.getlist(key) if v.strip()]
        if values:
            out.append((FILTER_LABELS.get(key, key.replace("_", " ").capitalize()), ", ".join(values)))
    return out


def about(request=None, *, source: str = "", title: str = "", notes: Mapping[str, str] | None = None,
          filters: list[tuple[str, str]] | None = None) -> About:
    """The « À propos » of an export made from ``request`` (its filters), with the settings' threshold."""
    return About(source=source, title=title, exported=timezone.localtime().replace(tzinfo=None),
                 filters=filters if filters is not None else filters_of(request), threshold=threshold(),
                 notes=dict(notes or {}))


def table_response(table: pd.DataFrame | Mapping[str, pd.DataFrame], fmt: str, stem: str, *,
                   notes: Mapping[str, str] | None = None, request=None, source: str = "", title: str = "",
                   columns: Mapping[str, Column | str] | None = None) -> HttpResponse:
    """``table`` (or several, for a workbook) as a downloadable CSV, XLSX or ODS file: French headers
    and values; a workbook has its « À propos » sheet (source, date, filters of ``request``, rule)."""
    options = {"columns": columns}
    if fmt in WORKBOOKS:
        options["about"] = about(request, source=source, title=title, notes=notes)
    data, content_type = render(table, fmt, **options)
    return attachment(data, content_type, filename(stem, fmt))


def workbook_response(tables: pd.DataFrame | Mapping[str, pd.DataFrame], fmt: str, stem: str, **options) -> HttpResponse:
    """Several tables as one XLSX or ODS workbook (see :func:`table_response`)."""
    return table_response(tables, fmt if fmt in WORKBOOKS else "xlsx", stem, **options)


def attachment(data: bytes | str, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
