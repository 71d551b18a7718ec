"""The public database of actions: the index of published actions and the search over it.

Only the sheets of **published** contracts are indexed (:class:`~equisante.followup.models.ActionEntry`).
The index follows the sheets by itself: before each search, the entries whose sheet or contract
changed since they were built are rebuilt, those of sheets no longer published are removed
(:func:`refresh_index`), so imports and bulk loads need no extra step.

Text search, accent-insensitive with French stemming:

- on PostgreSQL, full-text search with the ``french`` configuration over the folded text
  (accents removed in Python the same way for documents and queries, so the ``unaccent`` extension
  is not needed), backed by a GIN index on ``to_tsvector('french', folded_text)``;
- elsewhere (SQLite), every stem of the query (Snowball French stemmer) must be one of the stored
  stems of the action (:mod:`equisante.followup.text`).

Filters and facets are computed in Python over the entries matching the text (each entry keeps its
facets as a small JSON object).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import F, Q

from equisante.contracts import coding
from equisante.contracts import vocabulary as v
from equisante.contracts.models import ActionSheet, Contract
from equisante.followup import text as search_text
from equisante.followup.models import ActionEntry

#: Filters of the search (URL parameter → facet key) in the order they are shown.
FILTERS = [
    ("theme", "themes"), ("determinant", "determinants"), ("strategie", "strategies"), ("public", "publics"),
    ("approche", "approach"), ("territoire", "territories"), ("dispositif", "kind"), ("porteur", "promoter"),
    ("financeur", "funders"), ("annee", "years"), ("etat", "status"),
]
FILTER_LABELS = {
    "theme": "Thématique de santé", "determinant": "Déterminant", "strategie": "Stratégie", "public": "Public visé",
    "approche": "Type d'approche", "territoire": "Territoire", "dispositif": "Type de dispositif",
    "porteur": "Porteur", "financeur": "Financeur", "annee": "Année", "etat": "État d'avancement",
}
PAGE_SIZE = 20


def _prefixes(codes) -> list[str]:
    """D2.3.1 → D2, D2.3, D2.3.1 (a filter on D2 finds the sheets coded below it)."""
    out = []
    for code in codes or ():
        parts = str(code).split(".")
        out += [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
    return list(dict.fromkeys(out))


def _years(sheet: ActionSheet, extra: set[int]) -> list[int]:
    years = set(extra)
    start = sheet.starts_on.year if sheet.starts_on else None
    end = sheet.ends_on.year if sheet.ends_on else None
    if start and end and end - start <= 30:
        years.update(range(start, end + 1))
    else:
        years.update(y for y in (start, end) if y)
    return sorted(years)


def entry_values(sheet: ActionSheet) -> dict:
    """What the index keeps of one sheet (its contract, territories, partners and funding prefetched)."""
    contract = sheet.contract
    territories = list(sheet.territories.all()) or list(contract.perimeter.all())
    funders = {line.funder_label for line in sheet.funding_lines.all() if line.funder_label}
    funders |= {line.funder_label for line in sheet.funding_followup.all() if line.funder_label}
    extra_years = {line.year for line in sheet.funding_lines.all() if line.year}
    extra_years |= {p.year for p in sheet.progress.all()}
    extra_years |= {line.year for line in sheet.funding_followup.all()}
    facets = {
        "contract": contract.code, "contract_name": contract.name, "code": sheet.code,
        "departement": contract.departement.code if contract.departement_id else "",
        "themes": list(sheet.themes or []), "determinants": _prefixes(sheet.determinants),
        "strategies": _prefixes(sheet.strategies), "publics": list(sheet.publics or []),
        "approach": [sheet.approach] if sheet.approach else [],
        "territories": sorted({t.code for t in territories}),
        "territory_names": {t.code: t.name for t in territories},
        "kind": [contract.kind], "promoter": [sheet.lead.name] if sheet.lead_id else [],
        "funders": sorted(funders), "years": _years(sheet, extra_years), "status": [sheet.status],
    }
    document = "\n".join(x for x in (sheet.title, sheet.objectives, sheet.description) if x)
    return {"sheet_updated_at": sheet.updated_at, "contract_updated_at": contract.updated_at, "title": sheet.title,
            "search_text": search_text.normalise_document(document),
            "folded_text": " ".join(search_text.words(document)), "facets": facets}


def published_sheets():
    """Sheets of published contracts (neither the sheet nor its contract deleted, when the contracts
    area keeps deleted rows)."""
    sheets = ActionSheet.objects.filter(contract__published=True)
    if any(f.name == "deleted_at" for f in Contract._meta.get_fields()):
        sheets = sheets.filter(contract__deleted_at__isnull=True)
    return sheets


_LAST_SOURCE_SIGNATURE: list = [None]
_ENTRIES: dict = {"signature": None, "rows": {}, "inverted": {}}


def _source_signature() -> tuple:
    """Changes whenever a published sheet or its contract changes, or a sheet is (un)published."""
    from django.db.models import Count, Max

    return tuple(published_sheets().aggregate(n=Count("pk"), sheet=Max("updated_at"),
                                               contract=Max("contract__updated_at")).values())


def refresh_index() -> int:
    """Bring the index up to date; returns how many entries were (re)built or removed. A cheap
    signature of the published sheets (count, latest changes) skips the work when nothing moved."""
    signature = _source_signature()
    if signature == _LAST_SOURCE_SIGNATURE[0] and ActionEntry.objects.count() == signature[0]:
        return 0
    changed = _refresh()
    _LAST_SOURCE_SIGNATURE[0] = signature
    return changed


def _entries() -> dict[int, tuple]:
    """Every entry (pk → (sheet id, title, facets, sort key)), parsed once per process and reloaded when the
    index changes (decoding 5,000 JSON facets at each request would cost more than the search)."""
    from django.db.models import Count, Max

    signature = tuple(ActionEntry.objects.aggregate(n=Count("pk"), last=Max("pk"), sheet=Max("sheet_updated_at"),
                                                    contract=Max("contract_updated_at")).values())
    if _ENTRIES["signature"] != signature:
        _ENTRIES["rows"] = {pk: (sheet_id, title, facets, (facets["contract"], _code_key(facets["code"])))
                            for pk, sheet_id, title, facets in
                            ActionEntry.objects.values_list("pk", "sheet_id", "title", "facets")}
        inverted: dict[tuple[str, str], set[int]] = {}
        for pk, (_sheet, _title, facets, _order) in _ENTRIES["rows"].items():
            for param, key in FILTERS:
                for value in facets.get(key, ()):
                    inverted.setdefault((param, str(value)), set()).add(pk)
        _ENTRIES["inverted"] = inverted
        _ENTRIES["signature"] = signature
    return _ENTRIES["rows"]


def _refresh() -> int:
    stale = published_sheets().filter(
        Q(public_entry__isnull=True) | ~Q(public_entry__sheet_updated_at=F("updated_at"))
        | ~Q(public_entry__contract_updated_at=F("contract__updated_at")))
    ids = list(stale.values_list("pk", flat=True))
    removed = ActionEntry.objects.exclude(sheet__in=published_sheets())
    changed = 0
    with transaction.atomic():
        changed += removed.delete()[0] if removed.exists() else 0
        for start in range(0, len(ids), 500):
            batch = (ActionSheet.objects.filter(pk__in=ids[start:start + 500])
                     .select_related("contract", "contract__departement", "lead")
                     .prefetch_related("territories", "contract__perimeter", "funding_lines__funder",
                                       "funding_followup__funder", "progress"))
            sheets = list(batch)
            existing = {e.sheet_id: e for e in ActionEntry.objects.filter(sheet__in=sheets)}
            new, updated = [], []
            for sheet in sheets:
                values = entry_values(sheet)
                entry = existing.get(sheet.pk)
                if entry is None:
                    new.append(ActionEntry(sheet=sheet, **values))
                else:
                    for name, value in values.items():
                        setattr(entry, name, value)
                    updated.append(entry)
            ActionEntry.objects.bulk_create(new)
            if updated:
                ActionEntry.objects.bulk_update(updated, list(entry_values_fields()))
            changed += len(sheets)
    return changed


def entry_values_fields() -> tuple[str, ...]:
    return ("sheet_updated_at", "contract_updated_at", "title", "search_text", "folded_text", "facets")


def rebuild_index() -> int:
    ActionEntry.objects.all().delete()
    _LAST_SOURCE_SIGNATURE[0] = None
    return refresh_index()


# --- searching ------------------------------------------------------------------------------------------

@dataclass
class SearchResult:
    query: str
    filters: dict[str, str]
    entries: list[dict]  # id, sheet_id, title, facets — sorted
    facets: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)  # param → (value, label, count)
    uses_postgres: bool = False

    @property
    def count(self) -> int:
        return len(self.entries)


def _text_filter(queryset, query: str):
    if not query.strip():
        return queryset, False
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        folded = " ".join(search_text.words(query))
        if not folded:
            return queryset, True
        return (queryset.annotate(document=SearchVector("folded_text", config="french"))
                .filter(document=SearchQuery(folded, config="french", search_type="plain")), True)
    terms = search_text.query_terms(query)
    for term in terms:
        queryset = queryset.filter(search_text__contains=f" {term} ")
    return queryset, False


def _label_function(param: str):
    version = "v1"
    kinds = dict(v.SCHEME_KINDS)
    statuses = dict(v.SHEET_STATUSES)
    if param in ("theme", "determinant", "strategie", "approche"):
        return lambda value, entry=None: coding.label(version, value) or value
    if param == "dispositif":
        return lambda value, entry=None: str(kinds.get(value, value))
    if param == "etat":
        return lambda value, entry=None: str(statuses.get(value, value))
    if param == "territoire":
        return lambda value, entry=None: (entry or {}).get("territory_names", {}).get(value, value)
    return lambda value, entry=None: str(value)


def search(query: str = "", filters: dict[str, str] | None = None, *, refresh: bool = True) -> SearchResult:
    """The published actions matching ``query`` (words of titles, objectives and descriptions) and
    every filter of ``filters`` (URL parameter → one value), with the facet counts of the result."""
    if refresh:
        refresh_index()
    filters = {k: str(val) for k, val in (filters or {}).items() if val not in (None, "") and k in dict(FILTERS)}
    if not query.strip() and not filters:
        entries = _entries()
        cached = _ENTRIES.get("everything")
        if cached is None or cached[0] != _ENTRIES["signature"]:
            _ENTRIES["everything"] = (_ENTRIES["signature"], _search(query, filters, entries))
        return _ENTRIES["everything"][1]
    return _search(query, filters, _entries())


def _search(query: str, filters: dict[str, str], entries_by_pk: dict) -> SearchResult:
    if query.strip():
        queryset, postgres = _text_filter(ActionEntry.objects.all(), query)
        candidates = set(queryset.values_list("pk", flat=True)) & entries_by_pk.keys()
    else:
        candidates, postgres = set(entries_by_pk), False
    inverted = _ENTRIES["inverted"]
    for param, value in filters.items():
        candidates &= inverted.get((param, value), set())
    entries = [{"id": pk, "sheet_id": entries_by_pk[pk][0], "title": entries_by_pk[pk][1],
                "facets": entries_by_pk[pk][2], "order": entries_by_pk[pk][3]} for pk in candidates]
    entries.sort(key=lambda e: e["order"])
    facet_counts: dict[str, list[tuple[str, str, int]]] = {}
    for param, key in FILTERS:
        counter: Counter = Counter()
        example: dict = {}
        for entry in entries:
            for value in entry["facets"].get(key, ()):
                if param in ("determinant", "strategie") and "." in str(value):
                    continue  # facets list the top families; deeper codes stay usable as filters
                counter[str(value)] += 1
                if str(value) not in example:
                    example[str(value)] = entry["facets"]
        label = _label_function(param)
        items = [(value, label(value, example.get(value)), n) for value, n in counter.items()]
        items.sort(key=lambda item: (-int(item[0]) if param == "annee" else -item[2], str(item[1]).casefold()))
        facet_counts[param] = items
    return SearchResult(query, filters, entries, facet_counts, postgres)


def _code_key(code: str) -> tuple:
    from equisante.contracts.models import code_sort_key

    return code_sort_key(code)
