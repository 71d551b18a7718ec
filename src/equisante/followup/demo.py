"""Demonstration follow-up (called by ``equisante demo`` after the demonstration contracts).

- two years of follow-up (the two years before the current one) on the contracts of the accounts
  ``demo-coordination`` and ``demo-coordination-2``: indicators with baseline, target and yearly
  values, progress and money per funder for their first sheets, a logic model for some, attendance
  at the meetings;
- the review of last year of the second contract validated by all its signatories; the review of
  last year of the first contract left as a draft (to be submitted by ``demo-coordination`` and
  validated by ``demo-partenaire``);
- an atelier santé ville with its local public-health plan on the priority neighbourhoods of the
  first contract, and a contrat local de santé mentale on the town of the second.

Everything is fictional and deterministic for a given seed (only the years follow the day of loading).
"""

from __future__ import annotations

import datetime

import numpy as np
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from equisante.contracts import vocabulary as v
from equisante.contracts.demo_actions import ACTIONS, AXES
from equisante.contracts.models import ActionSheet, Contract, Meeting, RoleAssignment, StrategicAxis
from equisante.followup import reviews
from equisante.followup.models import (
    IndicatorMeasure,
    LogicModel,
    MeetingAttendance,
    SheetFunding,
    SheetIndicator,
    SheetProgress,
)

SHEETS_FOLLOWED = 10
APPROACH = {"GD": "groupes-defavorises", "U": "universalisme", "UP": "universalisme-proportionne", None: ""}


def _contract_of(username: str) -> Contract | None:
    role = (RoleAssignment.objects.filter(user__username=username, role=v.COORDINATOR)
            .select_related("contract").first())
    return role.contract if role else None


def clear() -> None:
    """Remove the demonstration schemes and the follow-up of the fictional contracts."""
    from equisante.followup.models import AnnualReview

    fictional = Contract.objects.filter(fictional=True)
    AnnualReview.objects.filter(contract__in=fictional).delete()
    for model in (SheetIndicator, SheetProgress, SheetFunding, LogicModel):
        model.objects.filter(sheet__contract__in=fictional).delete()
    MeetingAttendance.objects.filter(meeting__committee__contract__in=fictional).delete()
    fictional.filter(kind__in=["asv", "clsm"]).delete()


def load(region) -> str:
    rng = np.random.default_rng(region.seed + 1501)
    today = timezone.localdate()
    years = (today.year - 2, today.year - 1)
    first, second = _contract_of("demo-coordination"), _contract_of("demo-coordination-2")
    if first is None or second is None:
        return "suivi annuel : contrats de démonstration absents, rien chargé."
    partner = get_user_model().objects.filter(username="demo-partenaire").first()
    with transaction.atomic():
        clear()
        n = 0
        for contract in (first, second):
            n += _follow(contract, years, rng)
        draft = reviews.review_for(first, years[1], create=True)
        reviews.save_draft(draft, None, summary="Deuxième année de mise en œuvre : la plupart des actions ont "
                                                 "démarré ; les actions de prévention restent en retrait.",
                           participation="Deux habitants du conseil citoyen siègent au comité de pilotage.",
                           axis_texts={"1": "Les permanences d'accès aux droits ont trouvé leur public."})
        validated = reviews.review_for(second, years[1], create=True)
        reviews.save_draft(validated, None, summary="Année de consolidation ; le volet financier est tenu.",
                           participation="Un atelier de restitution a réuni une trentaine d'habitants.", axis_texts={})
        reviews.submit(validated, None)
        for actor in second.signatories.all():
            reviews.approve(validated, actor, partner)
        asv = _scheme(first, "asv", rng, today)
        clsm = _scheme(second, "clsm", rng, today)
    return (f"suivi annuel {years[0]}–{years[1]} de {n} fiches sur {first.code} et {second.code} "
            f"(bilan {years[1]} validé pour {second.code}, en brouillon pour {first.code}) ; "
            f"{asv.name} et {clsm.name}.")


def _follow(contract: Contract, years, rng) -> int:
    sheets = list(ActionSheet.objects.filter(contract=contract).order_by("axis__number", "code")[:SHEETS_FOLLOWED])
    funders = list(contract.signatories.order_by("name"))[:2]
    for index, sheet in enumerate(sheets):
        target = float(rng.choice([50, 100, 200, 400]))
        reached = [float(round(target * share)) for share in sorted(rng.uniform(0.2, 1.1, size=2))]
        indicator = SheetIndicator.objects.create(
            sheet=sheet, label="Personnes touchées par l'action", kind="processus", unit="personnes",
            source="Tableau de suivi du porteur", baseline=0, baseline_date=datetime.date(years[0], 1, 1),
            target=target, target_date=sheet.ends_on)
        for year, value in zip(years, reached):
            IndicatorMeasure.objects.create(indicator=indicator, year=year, value=value)
        if index % 3 == 0:
            result = SheetIndicator.objects.create(
                sheet=sheet, label="Part des participants orientés vers un droit ou un soin", kind="resultat",
                unit="%", source="Enquête du porteur", baseline=20, target=50)
            IndicatorMeasure.objects.create(indicator=result, year=years[1], value=float(rng.integers(15, 60)))
        for k, year in enumerate(years):
            if index == len(sheets) - 1 and k == 1:
                state, percent = "abandonnee", None
            elif k == 0:
                state, percent = ("en-cours", int(rng.integers(10, 60))) if index % 4 else ("non-commencee", 0)
            else:
                state, percent = ("realisee", 100) if index % 3 == 1 else ("en-cours", int(rng.integers(40, 95)))
            SheetProgress.objects.create(sheet=sheet, year=year, state=state, percent=percent)
            for funder in funders:
                requested = int(rng.integers(2, 12)) * 1000
                granted = int(requested * float(rng.choice([0.5, 0.8, 1.0])))
                SheetFunding.objects.create(sheet=sheet, funder=funder, year=year, requested=requested,
                                            granted=granted, spent=int(granted * float(rng.uniform(0.6, 1.0))))
        if index % 2 == 0:
            LogicModel.objects.create(sheet=sheet, inputs="Un animateur à mi-temps, une salle, 5 000 € par an.",
                                      activities="Ateliers collectifs et permanences individuelles.",
                                      outputs="Nombre d'ateliers tenus, personnes accueillies.",
                                      outcomes="Moins de renoncement aux soins chez les habitants accueillis.")
    for meeting in Meeting.objects.filter(committee__contract=contract):
        MeetingAttendance.objects.create(meeting=meeting, attendees=int(rng.integers(8, 25)),
                                         residents=int(rng.integers(0, 4)))
    return len(sheets)


SCHEMES = {
    "asv": {"prefix": "ASV", "name": "Atelier santé ville de {town}", "axes": ("acces", "prevention"),
            "fields": {"local_plan_title": "Plan local de santé publique des quartiers de {town} 2024-2028",
                       "local_plan_adopted_on": datetime.date(2024, 3, 12)},
            "summary": "Atelier santé ville fictif des quartiers prioritaires de {town}, animé par un coordinateur "
                       "de la politique de la ville, avec son plan local de santé publique."},
    "clsm": {"prefix": "CLSM", "name": "Contrat local de santé mentale de {town}", "axes": ("mentale",),
             "fields": {"psychiatry_sector": "Secteur de psychiatrie adulte de {town} (fictif)"},
             "summary": "Contrat local de santé mentale fictif : conseil local de santé mentale, prévention des "
                        "crises et maintien dans le logement."},
}


def _scheme(beside: Contract, kind: str, rng, today) -> Contract:
    """A fictional scheme of ``kind`` on the territory of ``beside`` (QPV for an ASV, the whole
    perimeter otherwise), with a few sheets taken from the demonstration actions."""
    spec = SCHEMES[kind]
    perimeter = list(beside.perimeter.all())
    towns = [t for t in perimeter if t.level in ("commune", "epci")]
    town = towns[0].name if towns else beside.name
    code = f"{spec['prefix']}-{beside.code.split('-', 1)[-1]}"
    contract = Contract.objects.create(
        code=code, name=spec["name"].format(town=town), kind=kind, departement=beside.departement,
        status="mise-en-oeuvre", starts_on=datetime.date(today.year - 2, 1, 1),
        ends_on=datetime.date(today.year + 2, 12, 31), summary=spec["summary"].format(town=town),
        published=True, fictional=True,
        **{k: (val.format(town=town) if isinstance(val, str) else val) for k, val in spec["fields"].items()})
    qpv = [t for t in perimeter if t.level == "qpv"]
    contract.perimeter.set(qpv if kind == "asv" and qpv else perimeter)
    contract.signatories.set(list(beside.signatories.all())[:2])
    lead = beside.signatories.exclude(sector="sante").first() or beside.signatories.first()
    number = 0
    for key in spec["axes"]:
        number += 1
        axis = StrategicAxis.objects.create(contract=contract, number=number, title=AXES[key])
        for k, action in enumerate([a for a in ACTIONS if a.axis == key][:3], start=1):
            def fill(text):
                return text.replace("{ville}", town).replace("{quartier}", qpv[0].name if qpv else town)
            ActionSheet.objects.create(
                contract=contract, axis=axis, code=f"FA-{number}.{k}", title=fill(action.title),
                objectives=fill(action.objectives), description=fill(action.description),
                quantified_targets=action.target, publics=list(action.publics), lead=lead,
                determinants=list(action.determinants), strategies=list(action.strategies),
                approach=APPROACH[action.approach], themes=list(action.themes), coding_source="demo",
                coding_validated_at=timezone.now(), status="en-cours",
                starts_on=contract.starts_on, ends_on=contract.ends_on, budget=action.budget)
    return contract
