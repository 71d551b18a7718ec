"""One search across the site (``/recherche/?q=``): territories, indicators, contracts, action sheets and
actors, accent- and case-insensitive (:mod:`equisante.portal.search` folds both sides the same way on
SQLite and PostgreSQL), every word of the query to be found.

Visibility is that of the pages the results lead to: contracts and their sheets through
:func:`equisante.contracts.permissions.visible_contracts` (a visitor finds published contracts only, a
départemental referent also the unpublished ones of their département, never another's); the directory
of actors is for logged-in people, a visitor finds only the actors named in the contracts they may see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from equisante.portal.search import Folded, fold_query

#: Results shown per group on the overview; the group's own page shows them all, this many a page.
OVERVIEW_SIZE = 8
PAGE_SIZE = 20
#: Longest query read (longer text is cut, never refused).
MAX_QUERY = 200


def words(text: str) -> list[str]:
    """The folded words of a query (at most ten: a pasted paragraph is not a search)."""
    return re.findall(r"\w+", fold_query((text or "")[:MAX_QUERY]))[:10]


def matching(queryset: QuerySet, text: str, fields: tuple[str, ...], *, code_field: str | None = None) -> QuerySet:
    """Rows of ``queryset`` where every word of ``text`` is found in one of ``fields`` (accents and case
    ignored); a row whose ``code_field`` starts with the whole query matches too."""
    terms = words(text)
    if not terms:
        return queryset.none()
    annotations = {f"folded_{i}": Folded(name) for i, name in enumerate(fields)}
    queryset = queryset.annotate(**annotations)
    condition = Q()
    for term in terms:
        condition &= _any(annotations, term)
    if code_field:
        condition |= Q(**{f"{code_field}__istartswith": text.strip()})
    return queryset.filter(condition)


def _any(annotations: dict, term: str) -> Q:
    out = Q()
    for name in annotations:
        out |= Q(**{f"{name}__contains": term})
    return out


def ranked(queryset: QuerySet, text: str, name_field: str, code_field: str | None = None) -> QuerySet:
    """Exact code first, then names equal to the query, then names starting with it, then names holding
    it, then the others (found in a description, a theme, a sheet)."""
    folded = fold_query(text)
    whens = []
    if code_field:
        whens.append(When(**{f"{code_field}__iexact": text.strip(), "then": Value(0)}))
    queryset = queryset.annotate(folded_rank_name=Folded(name_field))
    whens += [When(folded_rank_name=folded, then=Value(1)), When(folded_rank_name__startswith=folded, then=Value(2)),
              When(folded_rank_name__contains=folded, then=Value(3))]
    return queryset.annotate(match=Case(*whens, default=Value(4), output_field=IntegerField()))


# --- one query per kind of result -------------------------------------------------------------------------

def territories(text: str, user=None) -> QuerySet:
    from equisante.territories.models import Territory

    found = matching(Territory.objects.select_related("parent"), text, ("name",), code_field="code")
    return ranked(found, text, "name", "code").order_by("match", "name", "code", "-vintage")


def indicators(text: str, user=None) -> QuerySet:
    from equisante.indicators.models import Indicator

    found = matching(Indicator.objects.all(), text, ("label", "code", "theme", "definition"), code_field="code")
    return ranked(found, text, "label", "code").order_by("match", "label")


def contracts(text: str, user=None, queryset: QuerySet | None = None) -> QuerySet:
    """Contracts the person may see whose code, name, presentation, diagnosis or perimeter — or one of
    whose action sheets — holds every word."""
    from equisante.contracts import permissions
    from equisante.contracts.models import ActionSheet

    visible = permissions.visible_contracts(user, queryset)
    terms = words(text)
    if not terms:
        return visible.none()
    sheets = ActionSheet.objects.filter(contract=OuterRef("pk")).annotate(
        f_title=Folded("title"), f_objectives=Folded("objectives"), f_description=Folded("description"))
    sheet_condition = Q()
    for term in terms:
        sheet_condition &= Q(f_title__contains=term) | Q(f_objectives__contains=term) | Q(f_description__contains=term)
    own = matching(visible, text, ("name", "code", "summary", "diagnosis_summary"), code_field="code")
    by_sheet = visible.filter(Exists(sheets.filter(sheet_condition)))
    return visible.filter(Q(pk__in=own.values("pk")) | Q(pk__in=by_sheet.values("pk")))


def sheets(text: str, user=None) -> QuerySet:
    from equisante.contracts import permissions
    from equisante.contracts.models import ActionSheet

    visible = permissions.visible_contracts(user)
    found = matching(ActionSheet.objects.filter(contract__in=visible).select_related("contract", "lead"), text,
                     ("title", "code", "objectives", "description"))
    return ranked(found, text, "title").order_by("match", "contract__code", "code")


def actors(text: str, user=None) -> QuerySet:
    from equisante.contracts import permissions
    from equisante.contracts.models import Actor

    queryset = Actor.objects.all()
    if not (user is not None and user.is_authenticated):
        visible = permissions.visible_contracts(user)
        queryset = queryset.filter(
            Q(signed_contracts__in=visible) | Q(led_sheets__contract__in=visible)
            | Q(partner_sheets__contract__in=visible)).distinct()
    found = matching(queryset, text, ("name", "kind", "description"))
    return ranked(found, text, "name").order_by("match", "name")


@dataclass
class Kind:
    key: str
    label: str
    singular: str
    plural: str
    find: object


KINDS = (
    Kind("territoires", _("Territoires"), _("territoire"), _("territoires"), territories),
    Kind("indicateurs", _("Indicateurs"), _("indicateur"), _("indicateurs"), indicators),
    Kind("contrats", _("Contrats"), _("contrat"), _("contrats"), contracts),
    Kind("fiches", _("Fiches-action"), _("fiche-action"), _("fiches-action"), sheets),
    Kind("acteurs", _("Acteurs"), _("acteur"), _("acteurs"), actors),
)
KIND_KEYS = {kind.key: kind for kind in KINDS}


@dataclass
class Group:
    kind: Kind
    count: int
    items: list = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.kind.key


def search(text: str, user=None, *, size: int = OVERVIEW_SIZE) -> list[Group]:
    """Every kind of result for ``text``: its count and its first ``size`` rows."""
    groups = []
    for kind in KINDS:
        queryset = kind.find(text, user)
        items = list(queryset[:size])
        count = len(items) if len(items) < size else queryset.count()
        groups.append(Group(kind, count, [describe(kind.key, item, user) for item in items]))
    return groups


def describe(key: str, item, user=None) -> dict:
    """A result as the page lists it: title, address, a line of context, badges."""
    from equisante.territories.levels import LABELS, Level

    if key == "territoires":
        detail = f"{LABELS[Level(item.level)]} {item.code}"
        if item.parent_id:
            detail += f" — {item.parent.name}"
        return {"title": item.name, "url": item.get_absolute_url(), "detail": detail,
                "extra": [(_("Portrait"), reverse("portraits:detail", args=[item.code]) + f"?niveau={item.level}")]}
    if key == "indicateurs":
        return {"title": item.label, "url": item.get_absolute_url(),
                "detail": " — ".join(x for x in (item.theme, item.unit, item.source) if x)}
    if key == "contrats":
        badges = [] if item.published else [_("non publié")]
        return {"title": item.name, "url": item.get_absolute_url(), "badges": badges,
                "detail": f"{item.code} — {item.get_status_display()}"}
    if key == "fiches":
        badges = [] if item.contract.published else [_("non publié")]
        detail = f"{item.code} — {item.contract.name}"
        if item.lead_id:
            detail += f" — {item.lead.name}"
        return {"title": item.title, "url": item.get_absolute_url(), "detail": detail, "badges": badges}
    if key == "acteurs":
        logged = user is not None and user.is_authenticated
        url = f"{reverse('contracts:actors')}?{urlencode({'q': item.name})}" if logged else ""
        return {"title": item.name, "url": url,
                "detail": " — ".join(str(x) for x in (item.get_sector_display(), item.kind) if x)}
    raise ValueError(key)
