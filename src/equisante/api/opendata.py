"""The open-data catalogue (``/donnees/``): every published dataset with its description, licence,
producer, update date and columns, and its files (CSV, XLSX, GeoJSON, Parquet).

Files are generated on first request and kept in ``<data folder>/opendata/``, keyed on a fingerprint
of the data (counts, last ids and sums of the stored rows, the confidentiality threshold): when the
data change the fingerprint changes and the files are regenerated. Values go through
:mod:`equisante.portal.publication` exactly as on the pages (withheld cells are empty).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from django.conf import settings
from django.db.models import Count, Max, Sum
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from equisante.exports import to_csv_bytes, to_xlsx_bytes
from equisante.portal import publication

LICENCE = {"name": "Licence Ouverte 2.0 (Etalab)",
           "url": "https://www.etalab.gouv.fr/wp-content/uploads/2017/04/ETALAB-Licence-Ouverte-v2.0.pdf"}
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
    "parquet": "application/vnd.apache.parquet",
}
FORMAT_NAMES = {"csv": "CSV", "xlsx": "XLSX", "geojson": "GeoJSON", "parquet": "Parquet"}
VALUE_COLUMNS = [
    ("indicator", "Code de l'indicateur"), ("level", "Niveau du territoire"), ("code", "Code du territoire"),
    ("name", "Nom du territoire"), ("vintage", "Millésime du Code officiel géographique"),
    ("period", "Période"), ("sex", "Sexe (F, H, vide = ensemble)"), ("age_band", "Classe d'âge (vide = tous âges)"),
    ("numerator", "Numérateur (effectif)"), ("denominator", "Dénominateur"),
    ("value", "Valeur dans l'unité de l'indicateur (vide si masquée ou manquante)"),
    ("lower", "Borne inférieure de l'intervalle de confiance à 95 %"),
    ("upper", "Borne supérieure de l'intervalle de confiance à 95 %"),
    ("state", "État : ok, suppressed (secret statistique), unstable (fragile), missing"),
    ("secret", "Pourquoi la valeur est masquée : primaire, secondaire (complémentaire) ; vide si publiée"),
]


def producer() -> str:
    return getattr(settings, "EQUISANTE_OPEN_DATA_PRODUCER", "Agence régionale de santé")


def cache_dir() -> Path:
    return Path(settings.DATA_DIR) / "opendata"


@dataclass
class Dataset:
    code: str
    title: str
    description: str
    columns: list[tuple[str, str]]
    fingerprint: Callable[[], str]
    table: Callable[[], pd.DataFrame]
    geojson: Callable[[], dict] | None = None
    source: str = ""
    keywords: list[str] = field(default_factory=list)
    fictional: bool = False

    @property
    def formats(self) -> list[str]:
        return ["csv", "xlsx", "parquet"] + (["geojson"] if self.geojson else [])

    def version(self) -> str:
        return hashlib.sha256((self.fingerprint() + f"|{publication.threshold()}").encode()).hexdigest()[:16]

    def folder(self) -> Path:
        return cache_dir() / self.code / self.version()

    def updated(self) -> datetime.datetime:
        """When this version of the data was first published (its files generated)."""
        stamp = self.folder() / "modified.txt"
        if stamp.exists():
            return datetime.datetime.fromisoformat(stamp.read_text().strip())
        return timezone.now()

    def file(self, fmt: str) -> Path:
        """The file in ``fmt`` for the current data, generated (with its siblings) when the data changed."""
        folder = self.folder()
        path = folder / f"{self.code}.{fmt}"
        if path.exists():
            return path
        for old in (cache_dir() / self.code).glob("*"):
            if old != folder:
                shutil.rmtree(old, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)
        table = self.table()
        notes = {"jeu": self.title, "licence": LICENCE["name"], "producteur": producer(),
                 "secret": _("Cellules masquées au titre du secret statistique : vides, état « suppressed ».")}
        writers = {
            "csv": lambda: to_csv_bytes(table),
            # the documented schema: column codes and coded values, as in the CSV and the Parquet file
            "xlsx": lambda: to_xlsx_bytes(table.astype(object).where(table.notna(), ""), notes=notes, codes=True),
            "parquet": lambda: _parquet(table),
        }
        if self.geojson:
            writers["geojson"] = lambda: json.dumps(self.geojson(), ensure_ascii=False, allow_nan=False).encode()
        for name, write in writers.items():
            target = folder / f"{self.code}.{name}"
            temporary = target.with_suffix(target.suffix + ".tmp")
            temporary.write_bytes(write())
            temporary.replace(target)
        stamp = folder / "modified.txt"
        if not stamp.exists():
            stamp.write_text(timezone.now().isoformat())
        return path


def _parquet(table: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    table.to_parquet(buffer, index=False, engine="pyarrow")
    return buffer.getvalue()


# --- the datasets -----------------------------------------------------------------------------------

def _territories() -> Dataset:
    from equisante.territories.models import Territory
    from equisante.territories.views import TERRITORY_COLUMNS, level_rank, territories_frame

    def fingerprint():
        a = Territory.objects.aggregate(n=Count("id"), last=Max("updated_at"), top=Max("id"))
        return f"{a['n']}|{a['last']}|{a['top']}"

    def table():
        return territories_frame(Territory.objects.order_by(level_rank(), "code", "vintage"))

    def geojson():
        features = []
        for t in Territory.objects.select_related("parent").order_by(level_rank(), "code", "vintage"):
            features.append({"type": "Feature", "id": f"{t.level}:{t.code}:{t.vintage}",
                             "geometry": t.geojson_geometry(),
                             "properties": {"level": t.level, "code": t.code, "name": t.name, "vintage": t.vintage,
                                            "parent_level": t.parent.level if t.parent_id else "",
                                            "parent_code": t.parent.code if t.parent_id else "",
                                            "zone_type": t.zone_type}})
        return {"type": "FeatureCollection", "features": features}

    fictional = Territory.objects.filter(fictional=True).exists()
    return Dataset(
        code="territoires", title="Territoires",
        description="Régions, départements, EPCI, communes, IRIS, quartiers prioritaires et zones, avec leur "
                    "parent, leur millésime du Code officiel géographique et leur géométrie simplifiée (GeoJSON).",
        columns=list(zip(TERRITORY_COLUMNS, ["Niveau", "Code", "Nom", "Millésime du COG", "Niveau du parent",
                                              "Code du parent", "Type de zone"])),
        fingerprint=fingerprint, table=table, geojson=geojson, keywords=["territoires", "géographie"],
        fictional=fictional,
    )


def _indicator(indicator) -> Dataset:
    from equisante.indicators.models import Value

    def fingerprint():
        a = Value.objects.filter(indicator=indicator).aggregate(
            n=Count("id"), top=Max("id"), v=Sum("value"), num=Sum("numerator"), den=Sum("denominator"),
            lo=Sum("lower"), up=Sum("upper"), suppressed=Count("id", filter=_state_filter()))
        decided = getattr(indicator, "withholding_updated_at", None)
        return f"{indicator.updated_at.isoformat()}|{decided}|" + "|".join(str(a[k]) for k in sorted(a))

    def rows():
        from equisante.api.endpoints.indicators import published_rows

        stored = Value.objects.filter(indicator=indicator).order_by(
            "territory__level", "territory__code", "territory__vintage", "period", "sex", "age_band", "pk")
        return published_rows(indicator, stored)

    def table():
        return publication.frame(rows())

    def geojson():
        from equisante.api.endpoints.indicators import value_out

        latest = (Value.objects.filter(indicator=indicator).order_by("-period").values_list("period", flat=True)
                  .first())
        stored = (Value.objects.filter(indicator=indicator, period=latest)
                  .order_by("territory__level", "territory__code", "sex", "age_band", "pk").select_related("territory"))
        features = []
        for value in stored:
            row = publication.published(value, indicator=indicator)
            features.append({"type": "Feature", "geometry": value.territory.geojson_geometry(),
                             "properties": value_out(row)})
        return {"type": "FeatureCollection", "features": features,
                "description": f"Période la plus récente ({latest})"}

    return Dataset(
        code=f"indicateur-{indicator.code}", title=indicator.label,
        description=(indicator.definition or indicator.label) + f" Unité : {indicator.unit or '—'}. "
                    "Valeurs par territoire, période et strate avec leur intervalle de confiance à 95 % ; "
                    "secret statistique appliqué comme sur les pages. GeoJSON : la période la plus récente.",
        columns=VALUE_COLUMNS, fingerprint=fingerprint, table=table, geojson=geojson, source=indicator.source,
        keywords=[k for k in (indicator.theme, "indicateurs", "santé") if k], fictional=indicator.fictional,
    )


def _state_filter():
    from django.db.models import Q

    return Q(state="suppressed")


def _index(definition) -> Dataset:
    from equisante.api.endpoints.indices import CLASS_COLUMNS
    from equisante.prioritisation.classing import classify
    from equisante.prioritisation.models import IndexResult, PriorityRule
    from equisante.prioritisation.results import primary_rule

    def fingerprint():
        a = IndexResult.objects.filter(definition=definition).aggregate(n=Count("id"), last=Max("computed_at"))
        r = PriorityRule.objects.filter(index=definition).aggregate(n=Count("id"), last=Max("updated_at"))
        return f"{definition.updated_at}|{a}|{r}|{datetime.date.today()}"

    def table():
        rule = primary_rule(definition)
        records = []
        latest = {}
        for result in IndexResult.objects.filter(definition=definition).order_by("level", "-period", "-computed_at"):
            latest.setdefault(result.level, result)
        for level, result in sorted(latest.items()):
            rows = classify(result, rule).rows
            for row in rows.to_dict("records"):
                records.append({"index": definition.code, "level": level, "period": result.period,
                                "code": row["code"], "name": row["name"], "value": row["value"],
                                "population": row["population"], "rank": row["rank"],
                                "class_rank": row["class_rank"], "class_label": row["class_label"],
                                "eligible": row["eligible"], "reason": row["reason"]})
        return pd.DataFrame(records, columns=CLASS_COLUMNS)

    return Dataset(
        code=f"indice-{definition.code}", title=definition.label,
        description=(definition.description or definition.label) + " Valeurs, rang, classe de priorité et "
                    "éligibilité selon la règle de référence en vigueur, pour la période la plus récente de chaque "
                    "niveau.",
        columns=list(zip(CLASS_COLUMNS, ["Code de l'indice", "Niveau", "Période de référence", "Code du territoire",
                                         "Nom du territoire", "Valeur de l'indice", "Population", "Rang (1 = le plus "
                                         "défavorisé)", "Classe (1 = la plus prioritaire)", "Libellé de la classe",
                                         "Éligible selon la règle", "Motif (exception)"])),
        fingerprint=fingerprint, table=table, keywords=["priorisation", "défavorisation"],
        fictional=definition.fictional,
    )


def _contracts() -> Dataset:
    from equisante.contracts.models import Contract

    columns = [("code", "Code du contrat"), ("name", "Nom"), ("kind", "Type de dispositif"),
               ("departement", "Code du département"), ("generation", "Génération"), ("status", "Statut"),
               ("signed_on", "Signé le"), ("starts_on", "Début"), ("ends_on", "Fin"), ("summary", "Présentation")]

    def published():
        return Contract.objects.filter(published=True).select_related("departement").order_by("code")

    def fingerprint():
        a = published().aggregate(n=Count("id"), last=Max("updated_at"))
        return f"{a}"

    def table():
        return pd.DataFrame([{"code": c.code, "name": c.name, "kind": c.kind,
                              "departement": c.departement.code if c.departement_id else "",
                              "generation": c.generation, "status": c.status,
                              "signed_on": c.signed_on.isoformat() if c.signed_on else "",
                              "starts_on": c.starts_on.isoformat() if c.starts_on else "",
                              "ends_on": c.ends_on.isoformat() if c.ends_on else "", "summary": c.summary}
                             for c in published()], columns=[c for c, _d in columns])

    return Dataset(code="contrats", title="Contrats locaux de santé publiés",
                   description="Les contrats locaux de santé publiés : dispositif, département, génération, statut "
                               "et dates.", columns=columns, fingerprint=fingerprint, table=table,
                   keywords=["contrats locaux de santé"], fictional=published().filter(fictional=True).exists())


def _sheets() -> Dataset:
    from equisante.api.endpoints.contracts import SHEET_COLUMNS, _flat, sheet_out
    from equisante.contracts.models import ActionSheet, code_sort_key

    def published():
        return (ActionSheet.objects.filter(contract__published=True, contract__deleted_at__isnull=True)
                .select_related("contract", "axis"))

    def fingerprint():
        return f"{published().aggregate(n=Count('id'), last=Max('updated_at'), c=Max('contract__updated_at'))}"

    def table():
        sheets = sorted(published(), key=lambda s: (s.contract.code, code_sort_key(s.code)))
        return pd.DataFrame([_flat(sheet_out(s)) for s in sheets], columns=SHEET_COLUMNS)

    return Dataset(code="fiches-action", title="Fiches-action des contrats publiés et leur codage",
                   description="Les fiches-action des contrats publiés, codées sur la grille d'analyse "
                               "(déterminants, stratégies, type d'approche, thématiques ; identifiants séparés par "
                               "« ; »).",
                   columns=[(c, c.replace("_", " ")) for c in SHEET_COLUMNS], fingerprint=fingerprint, table=table,
                   keywords=["fiches-action", "grille d'analyse"])


def datasets() -> list[Dataset]:
    from equisante.indicators.models import Indicator
    from equisante.prioritisation.models import IndexDefinition

    out = [_territories()]
    out += [_indicator(i) for i in Indicator.objects.order_by("theme", "label", "code")]
    out += [_index(d) for d in IndexDefinition.objects.order_by("code")]
    out += [_contracts(), _sheets()]
    return out


def find(code: str) -> Dataset:
    from equisante.indicators.models import Indicator
    from equisante.prioritisation.models import IndexDefinition

    if code == "territoires":
        return _territories()
    if code == "contrats":
        return _contracts()
    if code == "fiches-action":
        return _sheets()
    if code.startswith("indicateur-"):
        found = Indicator.objects.filter(code=code[len("indicateur-"):]).first()
        if found:
            return _indicator(found)
    if code.startswith("indice-"):
        found = IndexDefinition.objects.filter(code=code[len("indice-"):]).first()
        if found:
            return _index(found)
    raise Http404(_("Jeu de données inconnu."))


# --- pages ------------------------------------------------------------------------------------------

def _files(request, dataset: Dataset) -> list[dict]:
    return [{"format": fmt, "name": FORMAT_NAMES[fmt], "media": MEDIA[fmt],
             "url": request.build_absolute_uri(reverse("opendata:file", args=[dataset.code, fmt]))}
            for fmt in dataset.formats]


def catalogue(request):
    """``/donnees/``: the list of datasets."""
    items = [{"dataset": d, "files": _files(request, d)} for d in datasets()]
    return render(request, "api/opendata_catalogue.html", {
        "items": items, "licence": LICENCE, "producer": producer(),
        "fictional": any(i["dataset"].fictional for i in items),
        "breadcrumb_data": {"current": _("Données ouvertes")},
    })


def dataset_page(request, code: str):
    """``/donnees/<code>/``: one dataset, its columns and files."""
    dataset = find(code)
    return render(request, "api/opendata_dataset.html", {
        "dataset": dataset, "files": _files(request, dataset), "licence": LICENCE, "producer": producer(),
        "updated": dataset.updated(),
        "breadcrumb_data": {"links": [{"url": reverse("opendata:catalogue"), "title": _("Données ouvertes")}],
                            "current": dataset.title},
    })


def download(request, code: str, fmt: str):
    """``/donnees/<code>/<code>.<format>``: the file, regenerated when the data changed."""
    dataset = find(code)
    if fmt not in dataset.formats:
        raise Http404(_("Format non proposé pour ce jeu de données."))
    path = dataset.file(fmt)
    response = FileResponse(path.open("rb"), content_type=MEDIA[fmt], as_attachment=True,
                            filename=f"equisante-{dataset.code}.{fmt}")
    response["Last-Modified"] = _http_date(dataset.updated())
    response["ETag"] = f'"{dataset.version()}-{fmt}"'
    return response


def _http_date(moment: datetime.datetime) -> str:
    from django.utils.http import http_date

    return http_date(moment.timestamp())


def dcat(request):
    """``/donnees/catalogue.json``: the catalogue described with the DCAT vocabulary (JSON-LD)."""
    entries = []
    for d in datasets():
        entries.append({
            "@type": "dcat:Dataset",
            "@id": request.build_absolute_uri(reverse("opendata:dataset", args=[d.code])),
            "dct:identifier": d.code,
            "dct:title": d.title,
            "dct:description": d.description,
            "dct:publisher": {"@type": "foaf:Organization", "foaf:name": producer()},
            "dct:source": d.source,
            "dct:license": LICENCE["url"],
            "dct:modified": d.updated().isoformat(),
            "dct:language": "fr",
            "dcat:keyword": d.keywords,
            "equisante:fictional": d.fictional,
            "equisante:columns": [{"name": c, "description": text} for c, text in d.columns],
            "dcat:distribution": [{"@type": "dcat:Distribution", "dcat:downloadURL": f["url"],
                                   "dcat:mediaType": f["media"].split(";")[0], "dct:format": f["name"],
                                   "dct:license": LICENCE["url"]} for f in _files(request, d)],
        })
    body = {
        "@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
                     "foaf": "http://xmlns.com/foaf/0.1/",
                     "equisante": request.build_absolute_uri(reverse("opendata:catalogue")) + "#"},
        "@type": "dcat:Catalog",
        "dct:title": "Données ouvertes equisante",
        "dct:description": "Jeux de données publiés par equisante : territoires, indicateurs de santé, indices "
                           "de défavorisation et priorisation, contrats locaux de santé et fiches-action.",
        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": producer()},
        "dct:license": LICENCE["url"],
        "dct:language": "fr",
        "dcat:service": {"@type": "dcat:DataService",
                         "dcat:endpointURL": request.build_absolute_uri("/api/"),
                         "dcat:endpointDescription": request.build_absolute_uri("/api/openapi.json")},
        "dcat:dataset": entries,
    }
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False, "indent": 1})
