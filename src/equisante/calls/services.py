"""What the pages and the command line do to calls: state changes, applications (form and import),
instruction scores, the committee's selection and overrides, decisions, statistics, exports and letters.
Every change is written to the call's history (:class:`~equisante.calls.models.Event`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from equisante import exports
from equisante.calls import vocabulary as v
from equisante.calls.context import Context
from equisante.calls.eligibility import PROMOTER_KINDS, Rules, check_eligibility
from equisante.calls.errors import CallError
from equisante.calls.models import Application, Assignment, Call, Event, Score
from equisante.calls.reading import read_applications
from equisante.calls.selection import euros, explain, propose, rank
from equisante.calls.statistics import COLUMNS as STAT_COLUMNS
from equisante.calls.statistics import call_statistics
from equisante.numbers import plural
from equisante.territories.models import Territory


def record(call: Call, action: str, detail: str = "", *, who=None, application: Application | None = None) -> Event:
    return Event.objects.create(call=call, application=application, action=action, detail=detail,
                                who=who if who is not None and getattr(who, "is_authenticated", False) else None)


def get_call(code: str) -> Call:
    call = Call.objects.filter(code=code).first()
    if call is None:
        known = ", ".join(Call.objects.order_by("code").values_list("code", flat=True)) or "aucun"
        raise CallError("call_unknown", code=code, known=known)
    return call


# --- life cycle ------------------------------------------------------------------------------------

def transition(call: Call, target: str, *, who=None) -> None:
    labels = dict(v.CALL_STATES)
    if target not in v.TRANSITIONS.get(call.state, []):
        raise CallError("call_transition_invalid", call=call.title, current=labels[call.state],
                        target=labels.get(target, target), reason="enchaînement non prévu")
    if target == v.DECIDED and call.applications.filter(decision="").exists():
        raise CallError("call_transition_invalid", call=call.title, current=labels[call.state],
                        target=labels[target], reason="des candidatures n'ont pas encore de décision")
    before = call.state
    with transaction.atomic():
        call.state = target
        call.save(update_fields=["state", "updated_at"])
        record(call, "etat", f"{labels[before]} → {labels[target]}", who=who)
        if target == v.DECIDED:
            register_grants(call, who=who)


# --- applications ------------------------------------------------------------------------------------

def rules_of(call: Call) -> Rules:
    return Rules(
        territories=frozenset(call.eligible_territories.values_list("code", flat=True)),
        promoter_kinds=frozenset(call.eligible_promoter_kinds or []),
        min_amount=float(call.min_amount) if call.min_amount is not None else None,
        max_amount=float(call.max_amount) if call.max_amount is not None else None,
    )


def eligibility_reasons(application: Application, rules: Rules | None = None) -> list[str]:
    rules = rules or rules_of(application.call)
    codes = set()
    for territory in application.territories.all():
        current = territory
        while current is not None:
            codes.add(current.code)
            current = current.parent
    return check_eligibility(rules, territories=codes, promoter_kind=application.promoter_kind,
                             amount=float(application.requested))


def _territory_lookup() -> dict[str, Territory]:
    """Codes → territories; a code shared by several levels resolves to the smallest area (commune first)."""
    order = {"commune": 0, "qpv": 1, "iris": 2, "epci": 3, "zone": 4, "departement": 5, "region": 6}
    lookup: dict[str, Territory] = {}
    for territory in Territory.objects.all().order_by("-vintage"):
        current = lookup.get(territory.code)
        if current is None or order.get(territory.level, 9) < order.get(current.level, 9):
            lookup[territory.code] = territory
    return lookup


def import_applications(call: Call, source, *, name: str | None = None, fmt: str | None = None, who=None) -> dict:
    """Import an applications file into ``call``: everything or nothing (:class:`InputRejected`).
    Rows are matched by reference: an existing application is updated, so re-importing changes nothing.
    Returns ``{"created": n, "updated": n, "unchanged": n}``."""
    if call.state != v.OPENED and call.state != v.DRAFTED:
        raise CallError("call_not_open", call=call.title, state=dict(v.CALL_STATES)[call.state])
    lookup = _territory_lookup()
    rows = read_applications(source, name=name, fmt=fmt, known_territories=set(lookup))
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        for row in rows:
            values = {"title": row.title, "promoter": row.promoter, "promoter_kind": row.promoter_kind,
                      "summary": row.summary, "requested": Decimal(str(round(row.requested, 2))),
                      "total_cost": Decimal(str(round(row.total_cost, 2))) if row.total_cost is not None else None}
            territories = [lookup[c] for c in row.territories]
            application = Application.objects.filter(call=call, reference=row.reference).first()
            if application is None:
                application = Application.objects.create(call=call, reference=row.reference, source="import",
                                                         submitted_by=None, **values)
                application.territories.set(territories)
                counts["created"] += 1
                continue
            changed = any(getattr(application, k) != val for k, val in values.items())
            changed |= set(application.territories.values_list("pk", flat=True)) != {t.pk for t in territories}
            if changed:
                for key, value in values.items():
                    setattr(application, key, value)
                application.save()
                application.territories.set(territories)
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
        record(call, "import", f"{name or 'fichier'} : {plural(counts['created'], 'créée')}, "
                               f"{plural(counts['updated'], 'mise à jour', 'mises à jour')}, "
                               f"{plural(counts['unchanged'], 'inchangée')}", who=who)
    return counts


def next_reference(call: Call) -> str:
    number = call.applications.count() + 1
    while call.applications.filter(reference=f"{call.code.upper()[:10]}-{number:03d}").exists():
        number += 1
    return f"{call.code.upper()[:10]}-{number:03d}"


# --- instruction -----------------------------------------------------------------------------------

@dataclass
class ReviewerScore:
    assignment: Assignment
    values: dict[int, int]  # criterion id → value
    total: float | None     # weighted, on 100


def weighted(values: dict[int, int], criteria) -> float | None:
    """Weighted score on 100 of one set of criterion values (None when a criterion is missing)."""
    weights = sum(c.weight for c in criteria)
    if not criteria or not weights or any(c.pk not in values for c in criteria):
        return None
    return 100 * sum(c.weight * values[c.pk] / c.scale_max for c in criteria) / weights


def reviewer_scores(application: Application, criteria=None) -> list[ReviewerScore]:
    criteria = list(criteria if criteria is not None else application.call.criteria.all())
    out = []
    for assignment in application.assignments.all():
        if assignment.conflict:
            continue
        values = {s.criterion_id: s.value for s in assignment.scores.all()}
        out.append(ReviewerScore(assignment, values, weighted(values, criteria)))
    return out


def application_score(application: Application, criteria=None) -> float | None:
    """Mean of the complete reviewers' weighted scores (None when no complete score)."""
    totals = [r.total for r in reviewer_scores(application, criteria) if r.total is not None]
    return sum(totals) / len(totals) if totals else None


#: Spread of the reviewers' totals (points on 100) from which the disagreement is flagged.
DISAGREEMENT_POINTS = 20


def disagreement(application: Application, criteria=None) -> dict:
    """Spread of the reviewers' totals and per criterion; ``flag`` when the totals differ by at least
    :data:`DISAGREEMENT_POINTS` points or a criterion's notes differ by at least half its scale."""
    criteria = list(criteria if criteria is not None else application.call.criteria.all())
    scores = reviewer_scores(application, criteria)
    totals = [r.total for r in scores if r.total is not None]
    spread = max(totals) - min(totals) if len(totals) > 1 else 0.0
    by_criterion = {}
    flag = spread >= DISAGREEMENT_POINTS
    for c in criteria:
        values = [r.values[c.pk] for r in scores if c.pk in r.values]
        gap = max(values) - min(values) if len(values) > 1 else 0
        by_criterion[c.pk] = gap
        flag |= gap * 2 >= c.scale_max and gap > 0
    return {"spread": spread, "by_criterion": by_criterion, "flag": flag}


def save_scores(assignment: Assignment, values: dict[int, int], opinion: str, *, who=None) -> None:
    if assignment.conflict:
        raise CallError("call_conflict_of_interest", reviewer=assignment.reviewer.get_username(),
                        application=assignment.application.reference)
    with transaction.atomic():
        for criterion_id, value in values.items():
            Score.objects.update_or_create(assignment=assignment, criterion_id=criterion_id,
                                           defaults={"value": value})
        assignment.opinion = opinion
        assignment.submitted_at = timezone.now()
        assignment.save(update_fields=["opinion", "submitted_at"])
        record(assignment.application.call, "notation", f"{assignment.reviewer.get_username()} a noté la candidature",
               who=who, application=assignment.application)


def declare_conflict(assignment: Assignment, statement: str, *, who=None) -> None:
    with transaction.atomic():
        assignment.conflict = True
        assignment.conflict_statement = statement
        assignment.declared_at = timezone.now()
        assignment.save(update_fields=["conflict", "conflict_statement", "declared_at"])
        assignment.scores.all().delete()
        record(assignment.application.call, "conflit",
               f"{assignment.reviewer.get_username()} a déclaré un conflit d'intérêts", who=who,
               application=assignment.application)


# --- the table of a call's applications --------------------------------------------------------------

FRAME_COLUMNS = ["reference", "title", "promoter", "promoter_kind", "departement", "priority_class",
                 "most_deprived", "contract_town", "requested", "score", "reviewers", "disagreement", "eligible",
                 "proposed", "override", "override_reason", "selected_now", "decision", "granted"]


def applications_frame(call: Call, context: Context | None = None) -> pd.DataFrame:
    """One row per application (index: its id) with its context, score and where it stands."""
    context = context or Context()
    criteria = list(call.criteria.all())
    rules = rules_of(call)
    rows, index = [], []
    queryset = call.applications.prefetch_related("territories", "assignments__scores", "assignments__reviewer")
    for a in queryset:
        contexts = [context.of(t) for t in a.territories.all()]
        departements = sorted({c.departement.code for c in contexts if c.departement is not None})
        classes = [c for c in contexts if c.priority_label]
        best = min(classes, key=lambda c: c.priority_rank if c.priority_rank is not None else 99, default=None)
        score = application_score(a, criteria)
        rows.append({
            "reference": a.reference, "title": a.title, "promoter": a.promoter, "promoter_kind": a.promoter_kind,
            "departement": departements[0] if departements else "",
            "priority_class": best.priority_label if best else "",
            "most_deprived": any(c.most_deprived for c in contexts),
            "contract_town": any(c.contracts for c in contexts),
            "requested": float(a.requested), "score": round(score, 2) if score is not None else None,
            "reviewers": sum(1 for x in a.assignments.all() if not x.conflict),
            "disagreement": disagreement(a, criteria)["flag"],
            "eligible": not eligibility_reasons(a, rules),
            "proposed": a.proposed, "override": a.override, "override_reason": a.override_reason,
            "selected_now": a.in_selection, "decision": a.decision,
            "granted": float(a.granted) if a.granted is not None else None,
        })
        index.append(a.pk)
    return pd.DataFrame(rows, columns=FRAME_COLUMNS, index=pd.Index(index, name="id"))


# --- selection -----------------------------------------------------------------------------------------

@dataclass
class SelectionView:
    table: pd.DataFrame        # the applications with score, selected (proposal), rank
    reasons: pd.DataFrame      # why well-scored ones were left out
    error: str = ""            # French message when no proposal satisfies the constraints
    excluded: int = 0          # ineligible or unscored applications left out of the optimisation


#: The coverage column of a call (``Call.cover_by``) → its French name in the selection's messages.
COVER_COLUMNS = {"departement": "département", "promoter_kind": "type de porteur"}


def selection_inputs(call: Call, frame: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    usable = frame[frame["eligible"] & frame["score"].notna()].copy()
    usable["score"] = usable["score"].astype(float)
    usable["cost"] = usable["requested"].astype(float)
    options = {"budget": call.envelope}
    if call.cover_by and call.min_per_group:
        # the coverage column under its French name and with French values: they appear in the messages
        column = COVER_COLUMNS.get(call.cover_by, call.cover_by)
        values = usable[call.cover_by]
        if call.cover_by == "promoter_kind":
            values = values.map(lambda k: PROMOTER_KINDS.get(k, k))
        usable[column] = values
        options.update(cover=column, min_per_group=call.min_per_group)
    extra = {}
    if call.reserved_for and call.reserved_share:
        usable["reserved"] = usable["most_deprived"] if call.reserved_for == "prioritaire" else usable["contract_town"]
        extra = {"reserved": "reserved", "reserved_share": call.reserved_share / 100}
    return usable, {**options, **extra}


def compute_selection(call: Call, frame: pd.DataFrame | None = None) -> SelectionView:
    frame = applications_frame(call) if frame is None else frame
    usable, options = selection_inputs(call, frame)
    core = {k: options[k] for k in ("budget", "cover", "min_per_group") if k in options}
    try:
        proposal = propose(usable, **options)
    except CallError as exc:
        return SelectionView(rank(usable), pd.DataFrame(columns=["reason", "explanation"]), error=exc.message,
                             excluded=len(frame) - len(usable))
    table = rank(proposal.table)
    reasons = explain(proposal.table, **core)
    return SelectionView(table, reasons, excluded=len(frame) - len(usable))


def run_selection(call: Call, *, who=None) -> SelectionView:
    """Solve the proposal and store it on the applications (the committee's overrides are kept)."""
    view = compute_selection(call)
    if view.error:
        raise CallError("call_solver_failed", message=view.error)
    chosen = set(view.table.index[view.table["selected"]])
    with transaction.atomic():
        for application in call.applications.all():
            application.proposed = application.pk in chosen
            application.save(update_fields=["proposed"])
        total = view.table.loc[view.table["selected"], "cost"].sum()
        record(call, "selection", f"proposition : {plural(len(chosen), 'projet')}, {euros(total)} € sur "
                                  f"{euros(call.envelope)} €", who=who)
    return view


def override(application: Application, retained: bool | None, reason: str, *, who=None) -> None:
    """The committee's choice for one application (None: back to the proposal), with its reason."""
    reason = (reason or "").strip()
    if retained is not None and not reason:
        raise CallError("call_override_reason_missing", application=application.reference)
    with transaction.atomic():
        application.override = retained
        application.override_reason = reason if retained is not None else ""
        application.save(update_fields=["override", "override_reason"])
        word = {True: "retenue par le comité", False: "écartée par le comité", None: "rendue à la proposition"}[retained]
        record(application.call, "choix-comite", f"{application.reference} {word}" + (f" : {reason}" if reason else ""),
               who=who, application=application)


# --- decisions --------------------------------------------------------------------------------------------

def decide(application: Application, decision: str, reason: str, granted=None, *, who=None) -> None:
    if decision not in dict(v.DECISIONS):
        raise CallError("call_value_invalid", row=application.reference, column="décision", value=decision,
                        expected="retenu, retenu-sous-conditions ou refuse")
    with transaction.atomic():
        application.decision = decision
        application.decision_reason = reason
        if decision == v.REFUSED:
            application.granted = Decimal("0")
        else:
            application.granted = Decimal(str(granted)) if granted not in (None, "") else application.requested
        application.decided_at = timezone.now()
        application.save(update_fields=["decision", "decision_reason", "granted", "decided_at"])
        record(application.call, "decision", f"{application.reference} : {dict(v.DECISIONS)[decision]}",
               who=who, application=application)
        if application.call.state in (v.DECIDED, v.ARCHIVED):  # a decision taken again: the register follows
            register_grants(application.call, who=who)


def decide_all(call: Call, *, who=None) -> int:
    """Decide every undecided application from the committee's current choice: retained ones
    « retenu » (granted the amount requested), the others « refusé » with the reason of their exclusion."""
    view = compute_selection(call)
    reasons = view.reasons["explanation"].to_dict() if len(view.reasons) else {}
    count = 0
    for application in call.applications.filter(decision=""):
        if application.in_selection:
            text = application.override_reason or "Projet retenu par le comité de sélection."
            decide(application, v.RETAINED, text, who=who)
        else:
            text = application.override_reason or reasons.get(application.pk) or \
                "Projet non retenu : l'enveloppe est mieux employée par les projets retenus."
            decide(application, v.REFUSED, text, who=who)
        count += 1
    return count


# --- statistics and exports ----------------------------------------------------------------------------

DIMENSIONS = {"departement": "Département", "promoter_kind": "Type de porteur", "priority_class": "Classe de priorité"}
#: Sheet names of the statistics workbook (French, as the reader sees them).
SUMMARY_SHEET, DECISIONS_SHEET = "Synthèse", "Décisions"
DIMENSION_SHEETS = {"departement": "Par département", "promoter_kind": "Par type de porteur",
                    "priority_class": "Par classe de priorité"}
#: Headers of the decisions sheet (and of ``equisante calls report --format csv``).
DECISION_COLUMNS = {
    "reference": "Référence", "title": "Intitulé du projet", "promoter": "Porteur", "promoter_kind": "Type de porteur",
    "departement": "Département", "priority_class": "Classe de priorité",
    "most_deprived": "Territoire parmi les plus défavorisés", "requested": "Montant demandé (€)",
    "score": "Note (sur 100)", "decision": "Décision", "granted": "Montant attribué (€)",
}


def statistics(call: Call, frame: pd.DataFrame | None = None) -> dict:
    frame = applications_frame(call) if frame is None else frame
    stats = call_statistics(frame, envelope=call.envelope, by=tuple(DIMENSIONS))
    kinds = dict(PROMOTER_KINDS)
    if "promoter_kind" in stats["by"]:
        stats["by"]["promoter_kind"]["group"] = stats["by"]["promoter_kind"]["group"].map(lambda k: kinds.get(k, k))
    for table in stats["by"].values():  # a territory without département or priority class is said so
        table["group"] = table["group"].map(lambda g: g if str(g).strip() not in ("", "—") else "non renseigné")
    return stats


def decisions_table(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per application with its decision, French headers and words (no stored keys)."""
    labels = dict(v.DECISIONS)
    kinds = dict(PROMOTER_KINDS)
    table = frame[list(DECISION_COLUMNS)].copy()
    table["decision"] = table["decision"].map(lambda d: str(labels.get(d, "")) if d else "")
    table["promoter_kind"] = table["promoter_kind"].map(lambda k: str(kinds.get(k, k)))
    table["most_deprived"] = table["most_deprived"].map(lambda b: "oui" if b else "non")
    return table.rename(columns=DECISION_COLUMNS).reset_index(drop=True)


def statistics_tables(call: Call) -> dict[str, pd.DataFrame]:
    """The sheets of the statistics workbook, by their French names: the summary, one per dimension
    (département, type of promoter, priority class), the decisions. The page shows the same figures
    (:func:`statistics`)."""
    frame = applications_frame(call)
    stats = statistics(call, frame)
    s = stats["summary"]
    summary = pd.DataFrame([
        ("candidatures reçues", s["received"]), ("montant demandé (€)", s["requested"]),
        ("projets retenus", s["retained"]), ("montant attribué (€)", s["granted"]),
        ("enveloppe (€)", s["envelope"]),
        ("montant attribué aux territoires les plus défavorisés (€)", s["deprived_granted"]),
        ("part de l'enveloppe aux territoires les plus défavorisés (%)",
         round(s["deprived_share_of_envelope"], 2) if s["deprived_share_of_envelope"] is not None else ""),
    ], columns=["Mesure", "Valeur"])
    tables = {SUMMARY_SHEET: summary}
    for dimension, table in stats["by"].items():
        renamed = table.rename(columns=STAT_COLUMNS)
        renamed = renamed.rename(columns={"groupe": DIMENSIONS[dimension]})
        for column in renamed.columns[1:]:  # numbers stay numbers in the workbook (an empty share stays empty)
            renamed[column] = pd.to_numeric(renamed[column], errors="coerce")
        renamed.columns = [c[:1].upper() + c[1:] for c in renamed.columns]
        tables[DIMENSION_SHEETS[dimension]] = renamed
    decisions = decisions_table(frame)
    tables[DECISIONS_SHEET] = decisions.astype(object).where(decisions.notna(), "")
    return tables


def statistics_xlsx(call: Call) -> bytes:
    return exports.to_xlsx_bytes(statistics_tables(call), notes={
        "appel": call.title, "source": "equisante — statistiques de l'appel",
        "territoires les plus défavorisés": "classe 1 de la règle d'éligibilité aux contrats locaux de santé"})


def letter_html(application: Application, *, pdf: bool = True) -> str:
    return render_to_string("calls/letter.html", {"a": application, "call": application.call, "pdf": pdf,
                                                  "today": timezone.localdate()})


def letter_pdf(application: Application) -> bytes:
    from equisante.pdf import render_pdf

    return render_pdf(letter_html(application))


# --- retained projects as funding lines of the contracts they serve ----------------------------------

def funding_lines(call: Call, *, who=None) -> int:
    """For every retained application whose territories a local health contract covers: an action sheet
    of that contract (code ``<call>-<reference>``, status « prévue ») with the funding granted by the call
    for the year of the decision. Re-running changes nothing. Returns the number of sheets created."""
    from equisante.calls.context import Context
    from equisante.contracts.models import ActionSheet, Contract
    from equisante.followup.models import SheetFunding

    context = Context()
    created = 0
    funders = ", ".join(f.name for f in call.funders.all()) or call.title
    with transaction.atomic():
        for application in call.applications.exclude(decision__in=["", v.REFUSED]).filter(funding_sheet=None):
            territories = list(application.territories.all())
            codes = sorted({code for t in territories for code in context.of(t).contracts})
            if not codes:
                continue
            contract = Contract.objects.get(code=codes[0])
            code = f"{call.code}-{application.reference}"[:40]
            sheet, new = ActionSheet.objects.get_or_create(contract=contract, code=code, defaults={
                "title": application.title[:300], "description": application.summary,
                "budget": int(application.total_cost) if application.total_cost is not None else None,
                "status": "prevue"})
            if new:
                sheet.territories.set(territories)
                created += 1
            year = (application.decided_at or timezone.now()).year
            SheetFunding.objects.get_or_create(sheet=sheet, year=year, funder_name=f"{call.title} ({funders})"[:200],
                                               defaults={"requested": int(application.requested),
                                                         "granted": int(application.granted or 0)})
            application.funding_sheet = sheet
            application.save(update_fields=["funding_sheet"])
            record(call, "financement", f"{application.reference} → fiche {contract.code} / {code}", who=who,
                   application=application)
    return created


# --- the decided call feeds the register of grants (/allocation/subventions/) ---------------------------

def grant_prefix(call: Call) -> str:
    """The reference prefix of the call's grants in the register (``appel:<id>:``)."""
    return f"appel:{call.pk}:"


def grant_places(application: Application) -> list[Territory]:
    """Where the application's money goes in the register: its communes; a neighbourhood (QPV, IRIS)
    counts for the commune it lies in; a territory of another level (EPCI, département) for itself."""
    places = {}
    for territory in application.territories.all():
        if territory.level in ("qpv", "iris") and territory.parent is not None and territory.parent.level == "commune":
            territory = territory.parent
        places[territory.pk] = territory
    return sorted(places.values(), key=lambda t: (t.level, t.code))


def call_grants(call: Call) -> list[dict]:
    """The register's entries of a decided call: one per retained application (« retenu », « retenu
    sous conditions ») and territory, the amount granted shared equally among its territories (the
    last one takes the cents left), for the year of the decision, programme = the call, funders = the
    call's funders, note = reference, promoter and title of the project."""
    funders = ", ".join(f.name for f in call.funders.all()) or "non renseigné"
    entries = []
    retained = call.applications.filter(decision__in=[v.RETAINED, v.RETAINED_WITH_CONDITIONS], granted__gt=0)
    for application in retained.prefetch_related("territories__parent"):
        places = grant_places(application)
        if not places:
            continue
        amount = Decimal(application.granted)
        share = (amount / len(places)).quantize(Decimal("0.01"))
        year = timezone.localtime(application.decided_at).year if application.decided_at else timezone.localdate().year
        for i, place in enumerate(places):
            part = share if i < len(places) - 1 else amount - share * (len(places) - 1)
            entries.append({"territory": place, "year": year, "programme": call.title, "funder": funders,
                            "amount": part, "reference": f"{grant_prefix(call)}{application.pk}:{place.pk}",
                            "note": f"{application.reference} — {application.promoter} — {application.title}"})
    return entries


def register_grants(call: Call, *, who=None) -> dict[str, int]:
    """Bring the register of grants up to date with the call's decisions (idempotent: a decision taken
    again updates its grants, a project refused afterwards loses them). Written to the call's history
    when something changed. Returns ``{"added", "updated", "removed", "unchanged"}``."""
    from equisante.allocation.services import sync_grants

    counts = sync_grants(call_grants(call), prefix=grant_prefix(call), source="call", fictional=call.fictional)
    if counts["added"] or counts["updated"] or counts["removed"]:
        record(call, "registre", f"registre des subventions : {plural(counts['added'], 'ajoutée')}, "
                                 f"{plural(counts['updated'], 'mise à jour', 'mises à jour')}, "
                                 f"{plural(counts['removed'], 'retirée')}", who=who)
    return counts
