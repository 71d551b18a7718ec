"""Demonstration data of the prioritisation area (called by ``equisante demo`` through
``equisante.demo.loading.EXTRA_LOADERS``, after the demo territories and indicators are loaded).

:func:`load` defines IDH-2, FDep and EDI over the demonstration indicators (``demo-…``) and computes
them for the communes, the EPCI, the départements, the région and the ZIP zones — IDH-2 and FDep
above the commune as population-weighted means of the communes, EDI directly from each level's own
proportions, centred on the région's (0 = the région). Communes whose inputs rest on counts under
the confidentiality threshold get no value (most villages for EDI, whose ten proportions include
rare situations). Then it stores the rules:

- ``cls-idh2`` "IDH-2 < 0,52", in force since 2011-01-01, deciding eligibility for a local health
  contract (the ARS rule of seed 004 L1845-1846), with one exception: the commune above the
  threshold that has the most people in quartiers prioritaires, admitted "for its QPV" as the
  seed describes for Asnières, Rueil-Malmaison and Créteil (004 L1889-1892) — or, when every QPV
  lies in a commune below the threshold (the case of the default demo region), the ZIP commune
  closest above the threshold, labelled as a demonstration exception;
- ``fdep-quintiles``: FDep quintiles weighted by population (STATS_METHODS §8);
- ``edi-quintiles``: EDI quintiles by the PHE method (same number of communes per class).

Honesty about the threshold: the demo IDH-2 uses floors and ceilings *observed* on the region's
communes, so 0.52 sits near the middle of the distribution — about half the communes fall below it
(a real regional IDH-2 with fixed bounds would place them differently). The summary line says how
many communes are eligible; if none were, the summary would say so rather than move the threshold.
"""

from __future__ import annotations

from django.db import transaction

from equisante.numbers import plural
from equisante.prioritisation import rules
from equisante.prioritisation.computing import compute_levels
from equisante.prioritisation.definitions import standard_definitions
from equisante.prioritisation.models import IndexDefinition, IndexResult, IndexValue
from equisante.territories.models import Membership

#: Levels computed for the demonstration (communes first: the others are weighted means of them).
LEVELS = ("commune", "epci", "departement", "region", "zone")
RULE_FROM = "2011-01-01"
SOURCE = "ARS Île-de-France, règle « IDH-2 < 0,52 » (rapport d'évaluation des CLS d'Île-de-France, 2014) ; appliquée ici à des données fictives"


def clear() -> None:
    """Remove the demonstration indices (their results, values, rules and exceptions go with them)."""
    IndexDefinition.objects.filter(fictional=True).delete()


def load(region) -> str:
    """Define, compute and classify the demonstration indices; returns a French summary line."""
    with transaction.atomic():
        clear()
        definitions = {}
        for data in standard_definitions():
            if data["code"] == "edi":
                # centred on the région's own proportions, so that every level shares one scale
                # (0 = the région) — the fictional région stands for "France" here
                data["parameters"] = {**data["parameters"],
                                      "reference_territory": {"level": "region", "code": region.code}}
                data["description"] += (" Démonstration : proportions centrées sur celles de la région "
                                         "(0 = moyenne régionale).")
            definitions[data["code"]] = IndexDefinition.objects.create(**data, fictional=True)
        computed = {}
        for code, definition in definitions.items():
            for level, result in compute_levels(definition, LEVELS).items():
                computed[(code, level)] = result
        exception = _exception(computed[("idh2", "commune")])
        rules.save_rule(
            definitions["idh2"], code="cls-idh2", policy="cls-idh2", label="IDH-2 < 0,52", operator="<",
            threshold=0.52, valid_from=RULE_FROM, eligibility=True, primary=True, source=SOURCE, fictional=True,
            notes="Seuil présenté dans le seed comme la « moyenne nationale » ; c'est une donnée configurable.",
            exceptions=[exception] if exception else [])
        rules.save_rule(definitions["fdep"], code="fdep-quintiles", label="Quintiles de FDep (pondérés)",
                        kind="quantile", classes=5, quantile_method="weighted", primary=True, fictional=True)
        rules.save_rule(definitions["edi"], code="edi-quintiles", label="Quintiles d'EDI (méthode PHE)",
                        kind="quantile", classes=5, quantile_method="phe", primary=True, fictional=True)
    return summary(computed, exception)


def _exception(result: IndexResult) -> dict | None:
    """A commune above 0.52 admitted by exception: the one with the most people in quartiers
    prioritaires (the seed's case), else — the demo's QPV all lying in communes below the
    threshold — the ZIP commune closest above the threshold (None when there is neither)."""
    above = {v.territory_id: v for v in IndexValue.objects.filter(result=result, value__gte=0.52)
             .select_related("territory")}
    best, best_people = None, 0.0
    for membership in Membership.objects.filter(member_id__in=above, group__level="qpv").select_related("member"):
        people = (above[membership.member_id].population or 0) * membership.share
        if people > best_people:
            best, best_people = membership.member, people
    if best is not None:
        return {"code": best.code, "reason": f"{best.name} : IDH-2 au-dessus du seuil, admise pour ses quartiers "
                                             "prioritaires de la politique de la ville (exception historique)"}
    in_zip = [above[m.member_id] for m in Membership.objects.filter(member_id__in=above, group__level="zone",
                                                                     group__zone_type="ZIP")]
    if not in_zip:
        return None
    closest = min(in_zip, key=lambda v: (v.value, v.territory.code))
    town = closest.territory
    return {"code": town.code, "reason": f"{town.name} : IDH-2 au-dessus du seuil, admise comme commune d'une zone "
                                         "d'intervention prioritaire (ZIP) de l'ARS (exception de démonstration)"}


def summary(computed: dict, exception: dict | None) -> str:
    communes = computed[("idh2", "commune")]
    below = IndexValue.objects.filter(result=communes, value__lt=0.52).count()
    total = communes.territories
    text = (f"Indices : IDH-2, FDep et EDI calculés pour {total} communes, les EPCI, départements, région et "
            "zones ZIP (IDH-2 et FDep : moyennes des communes pondérées par la population ; EDI : calcul direct "
            "centré sur la région) ; règle « IDH-2 < 0,52 » depuis 2011 : ")
    if below:
        text += f"{below} commune{'s' if below > 1 else ''} sous le seuil"
    else:
        text += "aucune commune sous le seuil (bornes observées sur la région)"
    text += f" + 1 exception ({exception['code']})." if exception else ", sans exception."
    missing = {code: r.territories_missing for (code, level), r in computed.items() if level == "commune"}
    if any(missing.values()):
        text += " Sans valeur (entrées manquantes ou sous secret statistique) : " + ", ".join(
            f"{plural(count, 'commune')} pour {code}" for code, count in missing.items() if count) + "."
    return text
