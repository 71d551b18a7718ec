"""The dashboard of a logged-in person (``/tableau-de-bord/``, also the home page once logged in): what
waits for them, one section per role they hold, each read from the models of its area.

- coordination (coordinator or partner of a contract, départemental referent): their contracts, the
  action sheets to code or whose coding waits for validation, the automatic suggestions not yet
  decided, the annual reviews to write or to approve;
- agency (regional administrator, départemental referent): calls for projects in progress, the latest
  allocation scenarios, the contracts waiting for a decision (reviews submitted, contracts unpublished);
- reviewer of a call: applications to score;
- observatory analyst: the latest imports, the indicators whose latest period is oldest;
- regional administrator: accounts, failed or pending jobs, the bin;
- everyone: their latest jobs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

#: Rows shown per list (each section links to the full page).
ROWS = 6
#: An indicator whose latest period ends this many years before the current year or earlier is « à actualiser ».
STALE_YEARS = 3


@dataclass
class Item:
    title: str
    url: str = ""
    detail: str = ""
    badge: str = ""
    badge_kind: str = ""  # "", "warning", "error", "success", "info"


@dataclass
class Section:
    key: str
    title: str
    description: str
    items: list[Item] = field(default_factory=list)
    empty: str = ""
    count: int | None = None
    link: tuple[str, str] | None = None  # (label, url)


@dataclass
class Dashboard:
    roles: list[str]
    sections: list[Section]
    figures: list[tuple[str, str, str]] = field(default_factory=list)  # (number, label, url)


def build(user) -> Dashboard:
    from equisante.contracts import permissions
    from equisante.jobs import access

    sections: list[Section] = []
    admin = permissions.is_regional_admin(user)
    referent = bool(permissions.referent_departements(user))
    own = permissions.contract_ids(user, "coordinateur", "partenaire")
    if own or referent or admin:
        sections += _coordination(user, admin=admin)
    if admin or referent:
        sections += _agency(user, admin=admin)
    sections += _reviewer(user)
    if access.can_import_data(user):
        sections += _analyst(user)
    if admin:
        sections += _administration(user)
    sections.append(_my_jobs(user))
    roles = permissions.role_labels(user)
    if access.can_import_data(user) and not admin:
        roles.append(_("Analyste de l’observatoire"))
    figures = [(str(s.count), s.title, s.link[1] if s.link else "") for s in sections
               if s.count is not None and s.key in FIGURE_KEYS]
    return Dashboard(roles=roles, sections=sections, figures=figures)


FIGURE_KEYS = ("contrats", "fiches-a-coder", "suggestions", "bilans", "appels", "a-valider", "instruction")


# --- coordination -------------------------------------------------------------------------------------------

def _coordination(user, *, admin: bool) -> list[Section]:
    from equisante.contracts import permissions
    from equisante.contracts.models import ActionSheet, SuggestionRecord

    if admin:
        contracts = permissions.editable_contracts(user).none()
    else:
        scope = Q(pk__in=permissions.contract_ids(user, "coordinateur", "partenaire"))
        departements = permissions.referent_departements(user)
        if departements:
            scope |= Q(departement_id__in=departements)
        contracts = permissions.visible_contracts(user).filter(scope)
    contracts = contracts.select_related("departement").annotate(
        n_sheets=Count("sheets", distinct=True),
        n_validated=Count("sheets", filter=Q(sheets__coding_validated_at__isnull=False), distinct=True))
    mine = list(contracts.order_by("name")[:ROWS * 2])
    sections = []
    if not admin:
        sections.append(Section(
            "contrats", _("Mes contrats"), _("Les contrats sur lesquels vous avez un rôle."),
            [Item(c.name, c.get_absolute_url(),
                  ngettext("%(n)s fiche-action, %(v)s codage validé", "%(n)s fiches-action, %(v)s codages validés",
                           c.n_sheets) % {"n": c.n_sheets, "v": c.n_validated},
                  "" if c.published else _("non publié")) for c in mine],
            _("Aucun contrat ne vous est confié."), count=contracts.count(),
            link=(_("Tous les contrats"), reverse("contracts:list"))))

    editable = permissions.editable_contracts(user)
    to_code = (ActionSheet.objects.filter(contract__in=editable, coding_validated_at__isnull=True)
               .select_related("contract").order_by("contract__code", "code"))
    count = to_code.count()
    items = []
    for sheet in to_code[:ROWS]:
        coded = bool(sheet.determinants or sheet.strategies or sheet.approach or sheet.themes)
        items.append(Item(f"{sheet.code} — {sheet.title}", reverse("contracts:sheet_coding", args=[sheet.contract.code,
                                                                                                  sheet.code]),
                          sheet.contract.name, _("codage à valider") if coded else _("à coder"),
                          "info" if coded else "warning"))
    if editable.exists():
        sections.append(Section(
            "fiches-a-coder", _("Fiches à coder"),
            _("Fiches-action sans codage sur la grille, ou dont le codage attend d’être validé."),
            items, _("Toutes les fiches de vos contrats sont codées et validées."), count=count))

        pending = (SuggestionRecord.objects.filter(sheet__contract__in=editable, decision="en-attente",
                                                   sheet__deleted_at__isnull=True)
                   .values("sheet__contract__code", "sheet__contract__name", "sheet__code", "sheet__title")
                   .annotate(n=Count("pk")).order_by("sheet__contract__code", "sheet__code"))
        rows = list(pending[:ROWS])
        total = sum(row["n"] for row in pending)
        sections.append(Section(
            "suggestions", _("Suggestions en attente"),
            _("Codes proposés automatiquement, jamais appliqués d’office : à accepter ou à refuser."),
            [Item(f"{r['sheet__code']} — {r['sheet__title']}",
                  reverse("contracts:sheet_coding", args=[r["sheet__contract__code"], r["sheet__code"]]),
                  r["sheet__contract__name"],
                  ngettext("%(n)s suggestion", "%(n)s suggestions", r["n"]) % {"n": r["n"]}, "info") for r in rows],
            _("Aucune suggestion n’attend de décision."), count=total))
    sections.append(_reviews(user, admin=admin))
    return sections


def _reviews(user, *, admin: bool) -> Section:
    """Annual reviews of last year to write (editable contracts) or to approve (submitted)."""
    from equisante.contracts import permissions
    from equisante.followup import reviews
    from equisante.followup.models import REVIEW_ARCHIVED, REVIEW_DRAFT, REVIEW_SUBMITTED, REVIEW_VALIDATED, AnnualReview

    today = timezone.localdate()
    year = today.year - 1
    due = reviews.due_date(year)
    items = []
    editable = list(permissions.editable_contracts(user).order_by("name")) if not admin else []
    existing = {r.contract_id: r for r in AnnualReview.objects.filter(contract__in=editable, year=year)}
    for contract in editable:
        review = existing.get(contract.pk)
        if review is not None and review.status in (REVIEW_VALIDATED, REVIEW_ARCHIVED, REVIEW_SUBMITTED):
            continue
        late = today > due
        items.append(Item(
            _("Bilan %(year)s — %(name)s") % {"year": year, "name": contract.name},
            reverse("followup:review", args=[contract.code, year]),
            _("à rendre avant le %(date)s") % {"date": due.strftime("%d/%m/%Y")},
            _("en retard") if late else (_("brouillon") if review and review.status == REVIEW_DRAFT else _("à rédiger")),
            "error" if late else "warning"))
    submitted = AnnualReview.objects.filter(status=REVIEW_SUBMITTED).select_related("contract")
    if not admin:
        scope = Q(contract_id__in=permissions.contract_ids(user, "partenaire"))
        departements = permissions.referent_departements(user)
        if departements:
            scope |= Q(contract__departement_id__in=departements)
        submitted = submitted.filter(scope)
    for review in submitted.order_by("contract__name")[:ROWS * 2]:
        items.append(Item(_("Bilan %(year)s — %(name)s") % {"year": review.year, "name": review.contract.name},
                          review.get_absolute_url(), _("soumis aux partenaires"), _("à approuver"), "info"))
    return Section("bilans", _("Bilans annuels"),
                   _("Les bilans de l’année %(year)s à rédiger, et les bilans soumis qui attendent votre approbation.")
                   % {"year": year}, items[:ROWS * 2], _("Aucun bilan ne vous attend."), count=len(items),
                   link=(_("État des bilans de la région"), reverse("followup:rollup")))


# --- agency ------------------------------------------------------------------------------------------------

def _agency(user, *, admin: bool) -> list[Section]:
    from equisante.allocation.models import Scenario
    from equisante.calls import vocabulary as cv
    from equisante.calls.models import Call
    from equisante.contracts import permissions

    states = [cv.OPENED, cv.CLOSED] + ([cv.DRAFTED] if admin else [])
    calls = Call.objects.filter(state__in=states).annotate(n=Count("applications")).order_by("closes_on", "code")
    call_items = [Item(call.title, call.get_absolute_url(),
                       ngettext("%(n)s candidature", "%(n)s candidatures", call.n) % {"n": call.n}
                       + (_(" — clôture le %(date)s") % {"date": call.closes_on.strftime("%d/%m/%Y")}
                          if call.closes_on and call.state == cv.OPENED else ""),
                       call.get_state_display(), "success" if call.state == cv.OPENED else "info")
                  for call in calls[:ROWS]]
    scenarios = list(Scenario.objects.order_by("-updated_at")[:ROWS])
    scenario_items = [Item(s.name, s.get_absolute_url(),
                           _("modifié le %(date)s") % {"date": timezone.localtime(s.updated_at).strftime("%d/%m/%Y")})
                      for s in scenarios]
    scope = permissions.editable_contracts(user)
    waiting = list(scope.filter(published=False).order_by("name")[:ROWS])
    to_validate = [Item(c.name, c.get_absolute_url(), c.get_status_display(), _("non publié"), "warning")
                   for c in waiting]
    return [
        Section("appels", _("Appels à projets en cours"),
                _("Appels ouverts aux candidatures ou clos et en instruction."), call_items,
                _("Aucun appel en cours."), count=calls.count(), link=(_("Tous les appels"), reverse("calls:list"))),
        Section("scenarios", _("Scénarios d’allocation"), _("Les derniers scénarios enregistrés."), scenario_items,
                _("Aucun scénario enregistré."), link=(_("Construire un scénario"), reverse("allocation:index"))),
        Section("a-valider", _("Contrats à valider"),
                _("Contrats de votre ressort pas encore publiés : à relire avant publication."), to_validate,
                _("Tous les contrats de votre ressort sont publiés."), count=scope.filter(published=False).count(),
                link=(_("Tous les contrats"), reverse("contracts:list"))),
    ]


def _reviewer(user) -> list[Section]:
    from equisante.calls import vocabulary as cv
    from equisante.calls.models import Assignment

    assignments = (Assignment.objects.filter(reviewer=user, conflict=False, submitted_at__isnull=True,
                                             application__call__state__in=[cv.OPENED, cv.CLOSED])
                   .select_related("application__call").order_by("application__call__code", "application__reference"))
    count = assignments.count()
    if not count:
        return []
    items = [Item(f"{a.application.reference} — {a.application.title}",
                  reverse("calls:application", args=[a.application.call.code, a.application.reference]),
                  a.application.call.title, _("avis à rendre"), "warning") for a in assignments[:ROWS]]
    return [Section("instruction", _("Candidatures à instruire"),
                    _("Les candidatures qui vous sont confiées et dont l’avis n’est pas encore rendu."), items,
                    count=count)]


# --- analyst -----------------------------------------------------------------------------------------------

def period_end(period: str) -> int | None:
    """The last year of a period (« 2019-2021 » → 2021, « 2022 » → 2022), None when it has none."""
    years = re.findall(r"(?:19|20)\d\d", period or "")
    return int(years[-1]) if years else None


def _analyst(user) -> list[Section]:
    from equisante.indicators.models import Indicator, Value
    from equisante.jobs.models import ImportTrace

    traces = list(ImportTrace.objects.select_related("user").order_by("-at")[:ROWS])
    import_items = [Item(trace.source or trace.kind, reverse("jobs:import_trace", args=[trace.pk]),
                         trace.summary[:160], timezone.localtime(trace.at).strftime("%d/%m/%Y")) for trace in traces]
    latest: dict[int, int] = {}
    for indicator_id, period in Value.objects.order_by().values_list("indicator_id", "period").distinct():
        end = period_end(period)
        if end is not None and end > latest.get(indicator_id, 0):
            latest[indicator_id] = end
    limit = timezone.localdate().year - STALE_YEARS
    indicators = {i.pk: i for i in Indicator.objects.filter(pk__in=latest)}
    oldest = sorted((year, indicators[pk].label, pk) for pk, year in latest.items() if pk in indicators)
    stale = [(year, pk) for year, _label, pk in oldest if year <= limit]
    items = [Item(indicators[pk].label, indicators[pk].get_absolute_url(),
                  _("dernière période : %(year)s") % {"year": year},
                  _("à actualiser") if year <= limit else "", "warning" if year <= limit else "")
             for year, _label, pk in oldest[:ROWS]]
    return [
        Section("imports", _("Imports récents"), _("Les derniers imports de données, sur le site ou en ligne de commande."),
                import_items, _("Aucun import enregistré."), link=(_("Importer des données"), reverse("jobs:import"))),
        Section("indicateurs", _("Indicateurs les moins récents"),
                _("Les indicateurs dont la dernière période est la plus ancienne ; « à actualiser » quand elle "
                  "s’achève il y a %(n)s ans ou plus.") % {"n": STALE_YEARS},
                items, _("Aucune valeur d’indicateur dans la base."), count=len(stale),
                link=(_("Catalogue des indicateurs"), reverse("indicators:list"))),
    ]


# --- administration ----------------------------------------------------------------------------------------

def _administration(user) -> list[Section]:
    from equisante.contracts.models import ActionSheet, Actor, Contract
    from equisante.jobs.models import FAILED, QUEUED, RUNNING, Job

    users = get_user_model().objects.all()
    active = users.filter(is_active=True).count()
    never = users.filter(is_active=True, last_login__isnull=True).count()
    inactive = users.filter(is_active=False).count()
    since = timezone.now() - timezone.timedelta(days=30)
    failed = Job.objects.filter(state=FAILED, created_at__gte=since).count()
    waiting = Job.objects.filter(state__in=[QUEUED, RUNNING]).count()
    binned = {
        _("contrats"): Contract.all_objects.filter(deleted_at__isnull=False).count(),
        _("fiches-action"): ActionSheet.all_objects.filter(deleted_at__isnull=False).count(),
        _("acteurs"): Actor.all_objects.filter(deleted_at__isnull=False).count(),
    }
    return [
        Section("comptes", _("Comptes"), _("Les comptes et leurs rôles."), [
            Item(ngettext("%(n)s compte actif", "%(n)s comptes actifs", active) % {"n": active}),
            Item(ngettext("%(n)s compte jamais utilisé", "%(n)s comptes jamais utilisés", never) % {"n": never},
                 badge=_("invitation en attente") if never else "", badge_kind="info"),
            Item(ngettext("%(n)s compte désactivé", "%(n)s comptes désactivés", inactive) % {"n": inactive}),
        ], link=(_("Gérer les comptes"), reverse("accounts:users"))),
        Section("travaux", _("Travaux en arrière-plan"), _("Sur tout le site."), [
            Item(ngettext("%(n)s travail en attente ou en cours", "%(n)s travaux en attente ou en cours", waiting)
                 % {"n": waiting}),
            Item(ngettext("%(n)s échec depuis 30 jours", "%(n)s échecs depuis 30 jours", failed) % {"n": failed},
                 badge=_("à examiner") if failed else "", badge_kind="error"),
        ], link=(_("Mes travaux"), reverse("jobs:list"))),
        Section("corbeille", _("Corbeille"), _("Éléments supprimés, restaurables par l’administration régionale."),
                [Item(f"{n} {label}") for label, n in binned.items()],
                link=(_("Ouvrir la corbeille"), reverse("contracts:trash"))),
    ]


def _my_jobs(user) -> Section:
    from equisante.jobs.models import DONE, FAILED, Job

    jobs = list(Job.objects.filter(owner=user).order_by("-created_at")[:ROWS])
    kinds = {DONE: "success", FAILED: "error"}
    return Section("mes-travaux", _("Mes derniers travaux"), _("Rapports, imports et calculs que vous avez lancés."),
                   [Item(job.label, job.get_absolute_url(),
                         timezone.localtime(job.created_at).strftime("%d/%m/%Y %H:%M"), job.get_state_display(),
                         kinds.get(job.state, "info")) for job in jobs],
                   _("Vous n’avez lancé aucun travail."), link=(_("Tous mes travaux"), reverse("jobs:list")))
