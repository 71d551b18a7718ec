"""Demonstration data of the allocation area (an extra loader of ``equisante demo``):

- a dose allocation reproducing the rule « +10 % pour trois départements » (the three most deprived
  départements of the fictional région by IDH-2), doses per inhabitant otherwise, in boxes of 10, with
  the participation in organised colorectal screening as the outcome looked at after the event (the
  demonstration has no vaccination uptake: screening stands in for it);
- a prevention budget shared along the IDH-2 gradient with a floor and a cap per commune;
- three years of fictional grants drawn with a link to deprivation that changes from year to year (a
  targeting rule « pas toujours systématiquement appliquée »), plus the secured funding lines of the demo
  contracts.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy as np
from django.db import transaction
from django.utils import timezone

from equisante.allocation.models import Grant, Scenario

PROGRAMMES = ["Prévention et promotion de la santé", "Médiation en santé", "Coordination des contrats locaux de santé"]
FUNDER = "ARS de démonstration"


def clear() -> None:
    Scenario.objects.filter(fictional=True).delete()
    Grant.objects.filter(fictional=True).delete()
    Grant.objects.filter(territory__fictional=True).delete()  # entries made on the demo territories


def _idh2(level: str) -> dict:
    from equisante.prioritisation.models import IndexResult, IndexValue

    result = IndexResult.objects.filter(definition__code="idh2", level=level).order_by("-period").first()
    if result is None:
        return {}
    return dict(IndexValue.objects.filter(result=result, value__isnull=False).values_list("territory__code", "value"))


def load(region) -> str:
    from equisante.allocation.services import grants_from_calls, grants_from_contracts
    from equisante.territories.models import Population, Territory

    rng = np.random.default_rng(region.seed + 1401)
    with transaction.atomic():
        clear()
        communes = list(Territory.objects.filter(level="commune", fictional=True).order_by("code"))
        people = {}
        for territory_id, year, population in Population.objects.filter(territory__in=communes).order_by(
                "year").values_list("territory_id", "year", "population"):
            people[territory_id] = population
        total_people = sum(people.values()) or 1
        departements = _idh2("departement")
        poorest = sorted(departements, key=departements.get)[:3] if len(departements) >= 3 else list(departements)
        doses = int(round(total_people * 0.05, -3)) or 1000
        adjustments = [{"territories": poorest, "factor": 1.1, "column": "departement",
                        "reason": "sur-allocation de doses aux départements les plus défavorisés",
                        "starts": "2021-02-15", "ends": None}] if poorest else []
        Scenario.objects.create(
            name="Doses : +10 % pour trois départements (démonstration)", resource="doses", total=doses, unit=10,
            level="commune", weighting="flat", adjustments=adjustments, applies_on=date(2021, 3, 1),
            outcome_indicator="demo-depistage-colorectal", fictional=True,
            description="Les doses sont réparties par habitant, avec 10 % de plus par habitant dans les trois "
                        "départements les plus défavorisés selon l'IDH-2, en boîtes de 10 doses. Après coup : la "
                        "participation au dépistage organisé du cancer colorectal tient lieu de taux de recours "
                        "(la démonstration n'a pas de taux de vaccination).")
        budget = 2_000_000
        n = max(len(communes), 1)
        Scenario.objects.create(
            name="Budget prévention : gradient, plancher et plafond (démonstration)", resource="euros",
            total=budget, level="commune", measure_kind="index", measure="idh2", weighting="gradient",
            gradient_high=1.5, gradient_low=1.0, floor=float(round(0.05 * budget / n, -2)),
            cap=float(round(0.4 * budget, -2)), fictional=True,
            description="2 millions d'euros répartis selon le gradient de l'IDH-2 (poids 1,5 pour le quintile le "
                        "plus défavorisé, 1 pour le moins défavorisé), avec un plancher par commune (5 % du budget en "
                        "tout) et un plafond de 40 % du budget pour une commune. Un plafond plus bas retiendrait "
                        "surtout la grande ville la plus défavorisée : la comparaison par quintile le montre.")

        idh2 = _idh2("commune")
        values = np.array([idh2.get(c.code, np.nan) for c in communes], dtype=float)
        known = values[~np.isnan(values)]
        low, high = (np.nanmin(known), np.nanmax(known)) if known.size else (0.0, 1.0)
        deprivation = np.where(np.isnan(values), 0.5, 1 - (values - low) / ((high - low) or 1))  # 1 = most deprived
        this_year = timezone.localdate().year
        grants = []
        for step, year in enumerate(range(this_year - 3, this_year)):
            targeting = 1.0 * step  # the link with deprivation grows: 0, 1, 2
            for commune, need in zip(communes, deprivation, strict=True):
                population = people.get(commune.pk, 0)
                if population <= 0 or rng.random() > 0.35 + 0.4 * need:
                    continue
                per_head = 4.0 * np.exp(targeting * (need - 0.5)) * rng.lognormal(0, 0.5)
                amount = Decimal(str(round(per_head * population, -2) or 500))
                grants.append(Grant(territory=commune, year=year, programme=PROGRAMMES[int(rng.integers(0, 3))],
                                    funder=FUNDER, amount=amount, source="demo", fictional=True))
        Grant.objects.bulk_create(grants)
        from_contracts = grants_from_contracts(fictional=True)
        from_calls = grants_from_calls()["added"]
    return (f"Allocation : 2 scénarios (doses avec +10 % pour {', '.join(poorest) or 'aucun département'}, budget "
            f"avec plancher et plafond), {len(grants)} subventions fictives sur trois ans, {from_contracts} "
            f"reprises des financements des contrats et {from_calls} des appels à projets décidés.")
