"""Decided calls for projects (AAP) and for expressions of interest (AMI): the call (calendar, funders
and envelope, eligibility, weighted criteria), the statistics of its decisions and its funded projects.

Who sees what mirrors the site: once a call is decided (state « Décidé » or « Archivé »), its page, its
statistics page and their workbook (sheet « Décisions ») are public; before that, the applications are
read by the agency, the reviewers assigned and the applicants only. So these operations show decided
calls only, to everyone, with or without a token; any other call answers 404 (its existence is not
disclosed). The instruction never leaves the site: each reviewer's scores and opinion, the declarations
of conflict of interest and the committee's reasons are not in the API; a project's score is the mean
of the complete scores of the reviewers without a conflict, as in the statistics workbook.

Values are those of :func:`equisante.calls.services.applications_frame` and
:func:`equisante.calls.services.statistics`, which the statistics page and its workbook show.
"""

from __future__ import annotations

from typing import Literal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from equisante.api.common import envelope, paging_headers, representations, rows_csv
from equisante.api.errors import not_found
from equisante.calls import vocabulary as v
from equisante.calls.models import Application, Call

router = Router(tags=["Appels à projets"])

DECIDED_STATES = (v.DECIDED, v.ARCHIVED)
RETAINED = (v.RETAINED, v.RETAINED_WITH_CONDITIONS)
PROJECT_COLUMNS = ["call", "reference", "title", "promoter", "promoter_kind", "territories", "departement",
                   "priority_class", "most_deprived", "requested", "granted", "decision", "score", "decided_on"]


# --- schemas ----------------------------------------------------------------------------------------

class CallTerritoryOut(Schema):
    level: str
    code: str
    name: str


class CallFunderOut(Schema):
    name: str = Field(description="Financeur.")
    envelope: float = Field(description="Enveloppe du financeur (€).")


class CallCriterionOut(Schema):
    order: int
    label: str
    guidance: str = Field(description="Ce qui est attendu.")
    weight: float = Field(description="Pondération.")
    scale_max: int = Field(description="Note maximale (échelle de 0 à cette valeur).")


class CallOut(Schema):
    code: str
    title: str
    kind: str = Field(description="`aap` (appel à projets) ou `ami` (appel à manifestation d'intérêt).")
    kind_label: str
    state: str = Field(description="`decide` ou `archive`.")
    state_label: str
    opens_on: str | None
    closes_on: str | None
    instruction_until: str | None
    committee_on: str | None = Field(description="Date du comité de sélection.")
    notification_on: str | None
    envelope: float = Field(description="Enveloppe totale (€), somme des financeurs.")
    funders: list[CallFunderOut]
    received: int = Field(description="Candidatures reçues.")
    retained: int = Field(description="Projets retenus (dont retenus sous conditions).")
    granted: float = Field(description="Montant attribué aux projets retenus (€).")
    fictional: bool


class CallPage(Schema):
    count: int
    limit: int
    offset: int
    next: str | None
    previous: str | None
    results: list[CallOut]


class CallStatisticsOut(Schema):
    received: int
    requested: float = Field(description="Montant demandé par l'ensemble des candidatures (€).")
    retained: int
    granted: float
    envelope: float
    deprived_granted: float = Field(description="Montant attribué aux projets des territoires les plus défavorisés "
                                                "(classe 1 de la règle d'éligibilité aux contrats locaux de santé).")
    deprived_share_of_envelope: float | None = Field(description="Part de l'enveloppe (%) allant aux territoires "
                                                                 "les plus défavorisés.")
    deprived_share_of_granted: float | None = Field(description="Part du montant attribué (%) allant aux "
                                                                "territoires les plus défavorisés.")


class CallDetail(CallOut):
    description: str
    eligible_territories: list[CallTerritoryOut] = Field(description="Vide : toute la région.")
    eligible_promoter_kinds: list[str] = Field(description="Types de porteurs éligibles ; vide : tous.")
    min_amount: float | None = Field(description="Montant demandé plancher (€).")
    max_amount: float | None = Field(description="Montant demandé plafond (€).")
    cover_by: str = Field(description="Couverture souhaitée par (`departement`), vide : aucune.")
    min_per_group: int = Field(description="Projets retenus au moins par groupe de couverture.")
    reserved_for: str = Field(description="Part réservée à (`prioritaire`, `contrat`), vide : aucune.")
    reserved_share: float = Field(description="Part réservée de l'enveloppe (%).")
    criteria: list[CallCriterionOut] = Field(description="Critères de notation pondérés.")
    statistics: CallStatisticsOut = Field(description="Les chiffres de la page « Statistiques » de l'appel.")


class ProjectOut(Schema):
    call: str = Field(description="Code de l'appel.")
    reference: str
    title: str
    promoter: str = Field(description="Porteur du projet.")
    promoter_kind: str
    promoter_kind_label: str
    territories: list[CallTerritoryOut]
    departement: str = Field(description="Code du département du projet.")
    priority_class: str = Field(description="Classe de priorité de ses territoires (la plus prioritaire).")
    most_deprived: bool = Field(description="Un de ses territoires est dans la classe la plus défavorisée.")
    requested: float = Field(description="Montant demandé (€).")
    granted: float | None = Field(description="Montant attribué (€) ; 0 pour un projet refusé.")
    decision: str = Field(description="`retenu`, `retenu-sous-conditions` ou `refuse`.")
    decision_label: str
    score: float | None = Field(description="Note sur 100 : moyenne des notes complètes des instructeurs sans "
                                            "conflit d'intérêts.")
    decided_on: str | None = Field(description="Date de la décision.")


class ProjectPage(Schema):
    count: int
    limit: int
    offset: int
    next: str | None
    previous: str | None
    results: list[ProjectOut]


# --- helpers ----------------------------------------------------------------------------------------

def _date(d) -> str | None:
    return d.isoformat() if d else None


def _float(value) -> float | None:
    return float(value) if value is not None else None


def decided_calls():
    """The calls whose committee's decisions are recorded: public on the site, for everyone."""
    return Call.objects.filter(state__in=DECIDED_STATES)


def _counted(queryset):
    retained = Q(applications__decision__in=RETAINED)
    return queryset.annotate(n_received=Count("applications", distinct=True),
                             n_retained=Count("applications", filter=retained, distinct=True),
                             n_granted=Sum("applications__granted", filter=retained))


def call_out(call: Call) -> dict:
    funders = list(call.funders.all())
    return {
        "code": call.code, "title": call.title, "kind": call.kind, "kind_label": str(call.get_kind_display()),
        "state": call.state, "state_label": str(call.get_state_display()), "opens_on": _date(call.opens_on),
        "closes_on": _date(call.closes_on), "instruction_until": _date(call.instruction_until),
        "committee_on": _date(call.committee_on), "notification_on": _date(call.notification_on),
        "envelope": float(sum(f.envelope for f in funders)),
        "funders": [{"name": f.name, "envelope": float(f.envelope)} for f in funders],
        "received": int(call.n_received), "retained": int(call.n_retained), "granted": float(call.n_granted or 0),
        "fictional": call.fictional,
    }


def visible(code: str) -> Call:
    call = _counted(decided_calls().filter(code=code)).prefetch_related("funders").first()
    if call is None:
        raise not_found(f"L'appel décidé « {code} »")
    return call


def _statistics(call: Call, frame) -> dict:
    from equisante.calls import services

    s = services.statistics(call, frame)["summary"]
    share = s.get("deprived_share_of_envelope")
    of_granted = s.get("deprived_share_of_granted")
    return {"received": int(s["received"]), "requested": float(s["requested"]), "retained": int(s["retained"]),
            "granted": float(s["granted"]), "envelope": float(s["envelope"]),
            "deprived_granted": float(s["deprived_granted"]),
            "deprived_share_of_envelope": float(share) if share is not None else None,
            "deprived_share_of_granted": float(of_granted) if of_granted is not None else None}


def projects(call: Call, *, every: bool = False) -> list[dict]:
    """The decided applications of ``call`` (retained ones unless ``every``), ordered by reference, with
    the values of the statistics workbook's sheet « Décisions »."""
    from equisante.calls import services

    frame = services.applications_frame(call)
    kinds = dict(v.PROMOTER_KIND_CHOICES)
    labels = dict(v.DECISIONS)
    objects = {a.pk: a for a in Application.objects.filter(call=call).prefetch_related("territories")}
    rows = []
    for pk, r in frame.iterrows():
        decision = r["decision"] or ""
        if not decision or (not every and decision not in RETAINED):
            continue  # an undecided application never leaves the site
        a = objects[pk]
        score = r["score"]
        rows.append({
            "call": call.code, "reference": str(r["reference"]), "title": str(r["title"]),
            "promoter": str(r["promoter"]), "promoter_kind": str(r["promoter_kind"]),
            "promoter_kind_label": str(kinds.get(r["promoter_kind"], r["promoter_kind"])),
            "territories": [{"level": t.level, "code": t.code, "name": t.name}
                            for t in sorted(a.territories.all(), key=lambda t: (t.level, t.code))],
            "departement": str(r["departement"] or ""), "priority_class": str(r["priority_class"] or ""),
            "most_deprived": bool(r["most_deprived"]), "requested": float(r["requested"]),
            "granted": _float(r["granted"]) if r["granted"] == r["granted"] else None,
            "decision": decision, "decision_label": str(labels.get(decision, "")),
            "score": float(score) if score is not None and score == score else None,
            "decided_on": _date(timezone.localdate(a.decided_at)) if a.decided_at else None,
        })
    rows.sort(key=lambda row: row["reference"])
    return rows


def _project_flat(out: dict) -> dict:
    flat = dict(out)
    flat["territories"] = ";".join(f"{t['level']}:{t['code']}" for t in out["territories"])
    flat.pop("promoter_kind_label")
    flat.pop("decision_label")
    return flat


# --- operations -------------------------------------------------------------------------------------

PUBLIC = ("Publique, comme les pages du site une fois l'appel décidé : même réponse avec ou sans jeton ; un appel "
          "qui n'est pas décidé répond `404`.")


@router.get("/appels", response=CallPage, summary="Appels à projets décidés",
            description="Les appels à projets et à manifestation d'intérêt dont les décisions du comité sont "
                        "enregistrées (états « Décidé » et « Archivé ») : calendrier, financeurs et enveloppe, "
                        "candidatures reçues, projets retenus, montant attribué. Tri par code. " + PUBLIC)
def call_list(request, kind: Literal["aap", "ami"] | None = Query(None, description="Type d'appel."),
              limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0, le=1_000_000_000)):
    queryset = decided_calls()
    if kind:
        queryset = queryset.filter(kind=kind)
    count = queryset.count()
    page = _counted(queryset).prefetch_related("funders").order_by("code")[offset: offset + limit]
    return envelope(request, count, limit, offset, [call_out(c) for c in page])


@router.get("/appels/{code}", response=CallDetail, summary="Un appel décidé",
            description="L'appel, ses règles d'éligibilité, sa couverture souhaitée, ses critères pondérés et les "
                        "chiffres de sa page « Statistiques » (montant demandé et attribué, part de l'enveloppe "
                        "allant aux territoires les plus défavorisés). " + PUBLIC)
def call_detail(request, code: str):
    from equisante.calls import services

    call = visible(code)
    out = call_out(call)
    out.update(
        description=call.description,
        eligible_territories=[{"level": t.level, "code": t.code, "name": t.name}
                              for t in call.eligible_territories.order_by("level", "code")],
        eligible_promoter_kinds=[str(k) for k in call.eligible_promoter_kinds or []],
        min_amount=_float(call.min_amount), max_amount=_float(call.max_amount), cover_by=call.cover_by,
        min_per_group=call.min_per_group, reserved_for=call.reserved_for, reserved_share=float(call.reserved_share),
        criteria=[{"order": c.order, "label": c.label, "guidance": c.guidance, "weight": float(c.weight),
                   "scale_max": c.scale_max} for c in call.criteria.order_by("order", "pk")],
        statistics=_statistics(call, services.applications_frame(call)),
    )
    return out


@router.get("/appels/{code}/projets", response=ProjectPage, summary="Projets financés d'un appel décidé",
            description="Les projets retenus par le comité (retenus, retenus sous conditions) : porteur, "
                        "territoires, montant demandé et attribué, note. `decision=toutes` ajoute les projets "
                        "refusés, comme la feuille « Décisions » du classeur des statistiques. Les notes de chaque "
                        "instructeur, leurs avis et les conflits d'intérêts déclarés ne sont jamais publiés. Tri par "
                        "référence. `format=csv` : territoires « niveau:code » séparés par « ; ». " + PUBLIC,
            openapi_extra=representations("csv"))
def project_list(request, code: str,
                 decision: Literal["financees", "toutes"] = Query("financees", description="`financees` : "
                                                                  "projets retenus ; `toutes` : aussi les refusés."),
                 format: Literal["json", "csv"] = Query("json"),
                 limit: int = Query(1000, ge=1, le=10000), offset: int = Query(0, ge=0, le=1_000_000_000)):
    call = visible(code)
    rows = projects(call, every=decision == "toutes")
    count = len(rows)
    records = rows[offset: offset + limit]
    if format == "csv":
        return paging_headers(rows_csv([_project_flat(r) for r in records], PROJECT_COLUMNS,
                                       f"appel-{call.code}-projets"), request, count, limit, offset)
    return envelope(request, count, limit, offset, records)
