"""Demonstration contracts on the fictional region (called by ``equisante demo``).

:func:`load` builds, from the region's seed, about six fictional local health contracts over the
demonstration territories already in the database: towns with priority neighbourhoods and one
intercommunal contract, in several départements and of every generation; each with signatories,
steering and technical committees with their meetings, a coordination post, strategic axes and
20 to 40 action sheets written for the demo (:mod:`equisante.contracts.demo_actions`) and coded on
the grid — most codings validated, a few left to validate or to code. It also creates one account
per role (see ``docs/contracts.md``). Everything is marked fictional; :func:`clear` removes it.

Same seed → same contracts, sheets and codings; only the meeting dates follow the day of loading
(so that « meetings in the last year » keeps a meaning) along with the history timestamps.
"""

from __future__ import annotations

import datetime
import re
import unicodedata

import numpy as np
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from equisante.contracts import coding, services
from equisante.contracts import vocabulary as v
from equisante.contracts.demo_actions import ACTIONS, AXES, ROLES, DemoAction
from equisante.contracts.models import (
    ActionSheet,
    Actor,
    Committee,
    CommitteeMember,
    Contract,
    CoordinatorPost,
    Meeting,
    RoleAssignment,
    StrategicAxis,
)
from equisante.territories.models import Territory

#: Password of the demonstration accounts (demo only: change or delete them on a real install).
DEMO_PASSWORD = "equisante-demo"  # the same as the demo superuser « admin » (equisante.demo.loading)
#: Demonstration accounts: username → (role, which contract or département it covers, description).
DEMO_USERS = {
    "demo-admin": (v.REGIONAL_ADMIN, None, "administrateur régional : voit et modifie tout"),
    "demo-referent": (v.DEPARTMENTAL_REFERENT, "departement", "référent départemental du premier département"),
    "demo-coordination": (v.COORDINATOR, 0, "coordinatrice du premier contrat"),
    "demo-coordination-2": (v.COORDINATOR, 1, "coordinateur du deuxième contrat"),
    "demo-partenaire": (v.PARTNER, 0, "partenaire du premier contrat (lecture seule, avec l'historique)"),
}
#: Generations of the contracts in the order they are created.
GENERATIONS = ["3", "2", "1", "2", "prefiguration", "1"]
APPROACH = {"GD": "groupes-defavorises", "U": "universalisme", "UP": "universalisme-proportionne", None: ""}
MINUTES = [
    "Bilan de l'année écoulée : {n} fiches-action en cours. Le comité valide les priorités de l'année et demande "
    "un point sur la participation des habitants.",
    "Présentation du diagnostic actualisé par quartier. Décision de renforcer l'axe « {axis} » et d'associer le "
    "bailleur social aux groupes de travail.",
    "Point sur les financements : plusieurs actions restent sans financement acquis. Le comité demande aux "
    "signataires d'examiner les demandes en priorité.",
    "Examen des indicateurs de suivi. Les actions de médiation atteignent leurs cibles ; le dépistage reste "
    "en retrait dans les quartiers prioritaires.",
]


def _slug(text: str, size: int = 3) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    letters = re.sub(r"[^A-Za-z]", "", ascii_text.replace("Saint", "S"))
    return letters[:size].upper() or "X"


def _pick_sites(region, rng) -> list[dict]:
    """Towns with priority neighbourhoods (or the largest) spread over the départements, then one
    intercommunal site: up to six sites."""
    communes = region.communes.set_index("code")
    territories = region.territories
    qpvs = territories[territories["level"] == "qpv"]
    qpv_of: dict[str, list[str]] = {}
    for code, parent in zip(qpvs["code"], qpvs["parent_code"]):
        qpv_of.setdefault(parent, []).append(code)
    candidates = communes.assign(has_qpv=[c in qpv_of for c in communes.index],
                                 urban=communes["kind"].isin(["ville", "pôle"]))
    candidates = candidates.sort_values(["has_qpv", "urban", "population"], ascending=False)
    chosen: list[str] = []
    departements = list(dict.fromkeys(candidates["departement"]))
    # round robin over départements so that several are represented
    by_dep = {d: list(candidates[candidates["departement"] == d].index) for d in departements}
    while len(chosen) < 5 and any(by_dep.values()):
        for d in departements:
            if by_dep[d] and len(chosen) < 5:
                chosen.append(by_dep[d].pop(0))
    sites = [{"kind": "commune", "code": c, "town": communes.loc[c, "name"], "departement": communes.loc[c, "departement"],
              "qpv": qpv_of.get(c, []), "members": [c]} for c in chosen]
    # the intercommunal site: the most deprived EPCI (population-weighted) without a chosen town
    epci = communes[~communes["epci"].isin(communes.loc[chosen, "epci"])].copy()
    if len(epci):
        epci["weight"] = epci["deprivation"] * epci["population"]
        score = epci.groupby("epci")["weight"].sum() / epci.groupby("epci")["population"].sum()
        code = str(score.sort_values(ascending=False, kind="stable").index[0])
        members = list(epci[epci["epci"] == code].sort_values("population", ascending=False).index)
        name = territories.set_index(["level", "code"]).loc[("epci", code), "name"]
        sites.append({"kind": "epci", "code": code, "town": communes.loc[members[0], "name"], "epci_name": name,
                      "departement": communes.loc[members[0], "departement"],
                      "qpv": [q for m in members for q in qpv_of.get(m, [])], "members": members})
    if len(sites) >= 3 and rng.random() < 0.5:  # a little variety in which town gets which generation
        sites[1], sites[2] = sites[2], sites[1]
    return sites


class _Actors:
    """Actors of the directory, created on first use (one per role, town and département)."""

    def __init__(self, departement_names: dict[str, str]):
        self.departement_names = departement_names
        self.cache: dict[str, Actor] = {}

    def get(self, role: str, site: dict) -> Actor:
        pattern, sector, kind = ROLES[role]
        name = pattern.format(ville=site["town"], dep=self.departement_names.get(site["departement"], ""))
        name = f"{name} (fictif)"
        actor = self.cache.get(name)
        if actor is None:
            actor, _ = Actor.objects.get_or_create(name=name, defaults={"sector": sector, "kind": kind,
                                                                        "fictional": True})
            self.cache[name] = actor
        return actor

    def named(self, name: str, sector: str, kind: str) -> Actor:
        full = f"{name} (fictif)"
        actor = self.cache.get(full)
        if actor is None:
            actor, _ = Actor.objects.get_or_create(name=full, defaults={"sector": sector, "kind": kind,
                                                                        "fictional": True})
            self.cache[full] = actor
        return actor


def _fill(text: str, site: dict, quartier: str) -> str:
    return text.format(ville=site["town"], quartier=quartier)


def clear() -> None:
    """Remove the demonstration contracts, their actors and the demonstration accounts."""
    from equisante.immutable import purging

    # Replacing the demonstration takes its history with it (the one case, with a restore, where
    # history rows go: see equisante.immutable.purging).
    with transaction.atomic(), purging():
        Contract.all_objects.filter(fictional=True).delete()
        Actor.all_objects.filter(fictional=True).delete()
        get_user_model().objects.filter(username__in=list(DEMO_USERS)).delete()
    coding.forget_suggesters()


def load(region) -> str:
    """Create the demonstration contracts over ``region`` (a :class:`~equisante.demo.generator.DemoRegion`
    whose territories are in the database); returns a French summary."""
    rng = np.random.default_rng(region.seed + 501)
    territories = {(t.level, t.code): t for t in Territory.objects.filter(vintage=region.vintage, fictional=True)}
    if not territories:
        territories = {(t.level, t.code): t for t in Territory.objects.filter(fictional=True)}
    sites = _pick_sites(region, rng)
    dep_names = dict(zip(region.territories.loc[region.territories["level"] == "departement", "code"],
                         region.territories.loc[region.territories["level"] == "departement", "name"]))
    today = timezone.localdate()
    stats = {"contracts": 0, "sheets": 0, "validated": 0}
    with transaction.atomic():
        clear()
        actors = _Actors(dep_names)
        contracts = []
        for index, site in enumerate(sites):
            contract = _contract(index, site, territories, actors, rng, today, region)
            contracts.append(contract)
            n, validated = _sheets(contract, site, territories, actors, rng, region)
            stats["contracts"] += 1
            stats["sheets"] += n
            stats["validated"] += validated
        users = _users(contracts)
        _later_changes(contracts, users, rng)
    # Embed the validated sheets now (stored in the database), not at the first click on « Proposer ».
    coding.warm_up()
    return (f"{stats['contracts']} contrats locaux de santé fictifs, {stats['sheets']} fiches-action "
            f"({stats['validated']} codages validés), {Actor.objects.filter(fictional=True).count()} acteurs ; "
            f"comptes de démonstration {', '.join(DEMO_USERS)} (mot de passe « {DEMO_PASSWORD} »).")


def _contract(index, site, territories, actors: _Actors, rng, today, region) -> Contract:
    generation = GENERATIONS[index % len(GENERATIONS)]
    departement = territories.get(("departement", site["departement"]))
    if site["kind"] == "epci":
        name = f"Contrat local de santé — {site['epci_name']}"
        code = f"CLS-{site['departement']}-{_slug(site['epci_name'].split()[-1])}I"
    else:
        name = f"Contrat local de santé de {site['town']}"
        code = f"CLS-{site['departement']}-{_slug(site['town'])}"
    while Contract.objects.filter(code=code).exists():
        code += "X"
    signed = {"3": datetime.date(2023, 6, 15), "2": datetime.date(2022, 3, 10), "1": datetime.date(2021, 2, 17),
              "prefiguration": None}[generation]
    if generation == "1" and index > 3:
        signed = datetime.date(2024, 1, 25)
    status = {"3": "mise-en-oeuvre", "2": "mise-en-oeuvre", "1": "evaluation" if index <= 3 else "signe",
              "prefiguration": "preparation"}[generation]
    yes = lambda p: bool(rng.random() < p)  # noqa: E731 - a draw that reads as a sentence
    contract = Contract.objects.create(
        code=code, name=name, departement=departement, generation=generation, status=status, signed_on=signed,
        starts_on=signed and signed.replace(day=1) + datetime.timedelta(days=31),
        ends_on=signed and signed.replace(year=signed.year + 5),
        summary=(f"Contrat fictif de démonstration signé entre l'agence régionale de santé, "
                 f"{'la communauté' if site['kind'] == 'epci' else 'la ville'} et la préfecture, pour réduire les "
                 f"inégalités de santé sur {site.get('epci_name', site['town'])}."),
        ists_objective=True if generation in ("2", "3") else yes(0.5),
        ists_objective_text="Réduire les écarts de santé entre les quartiers prioritaires et le reste du territoire."
        if generation in ("2", "3") else "",
        diagnosis_summary=(f"Diagnostic partagé mené avec les professionnels{' et les habitants' if index % 2 == 0 else ''} : "
                           "non-recours aux droits, offre de médecine générale fragile, habitat dégradé, surpoids "
                           "des enfants et isolement des personnes âgées."),
        diagnosis_date=signed and signed.replace(year=signed.year - 1),
        diagnosis_with_residents=index % 2 == 0, diagnosis_covers_determinants=yes(0.6),
        diagnosis_public=yes(0.5) if generation != "prefiguration" else None,
        shared_responsibility_stated=yes(0.5), other_ars_directions=yes(0.4), regional_plans_articulated=yes(0.6),
        project_team_pluridisciplinary=yes(0.5), evaluation_plan=generation in ("2", "3") or yes(0.3),
        evaluation_note="Indicateurs de suivi par fiche et bilan annuel présenté au comité de pilotage."
        if generation in ("2", "3") else "",
        methodological_support=yes(0.4), published=generation != "prefiguration" and index != 3, fictional=True)
    perimeter = [territories[(site["kind"], site["code"])]] if (site["kind"], site["code"]) in territories else []
    perimeter += [territories[("qpv", q)] for q in site["qpv"] if ("qpv", q) in territories]
    contract.perimeter.set(perimeter)
    town_actor = (actors.named(site["epci_name"], "collectivite", "intercommunalité") if site["kind"] == "epci"
                  else actors.get("ville", site))
    signatories = [actors.get("ars", site), town_actor, actors.get("prefecture", site)]
    if yes(0.4):
        signatories.append(actors.get("departement", site))
    contract.signatories.set(signatories)
    # governance
    copil = Committee.objects.create(contract=contract, kind="pilotage", name="Comité de pilotage",
                                     chair="Co-présidence : élu·e à la santé et délégation départementale de l'ARS")
    for role, seat in (("ars", "co-présidence"), ("prefecture", ""), ("cpam", ""), ("departement", ""),
                       ("caf", ""), ("bailleur", ""), ("education", "")):
        if role in ("caf", "bailleur", "education") and not yes(0.6):
            continue
        CommitteeMember.objects.create(committee=copil, actor=actors.get(role, site), role=seat)
    CommitteeMember.objects.create(committee=copil, actor=town_actor, role="co-présidence")
    if yes(0.5):
        CommitteeMember.objects.create(committee=copil, person="Deux membres du conseil citoyen", resident=True)
    n_meetings = int(rng.integers(1, 3)) if generation != "prefiguration" else 1
    for k in range(n_meetings):
        Meeting.objects.create(committee=copil, date=today - datetime.timedelta(days=int(60 + 150 * k)),
                               agenda="Bilan et orientations" if k == 0 else "Suivi des fiches-action",
                               minutes=MINUTES[(index + k) % len(MINUTES)].format(n=20 + index, axis=AXES["acces"]))
    Meeting.objects.create(committee=copil, date=today - datetime.timedelta(days=430), agenda="Lancement",
                           minutes="Installation du comité, présentation du diagnostic et des axes du contrat.")
    if generation != "prefiguration":
        cotech = Committee.objects.create(contract=contract, kind="technique", name="Comité technique")
        for role in ("ars", "ccas", "cms", "centre-social", "pmi", "mission-locale"):
            CommitteeMember.objects.create(committee=cotech, actor=actors.get(role, site))
        Meeting.objects.create(committee=cotech, date=today - datetime.timedelta(days=90), agenda="Suivi technique",
                               minutes="Revue des fiches-action, préparation du comité de pilotage.")
    fte = float(rng.choice([0.5, 0.8, 1.0]))
    CoordinatorPost.objects.create(contract=contract, holder="Coordinatrice du contrat (fictive)", employer=town_actor,
                                   fte=f"{fte:.2f}", annual_cost=int(50000 * fte), ars_funding=int(20000 * fte),
                                   other_funding="Ville (reste à charge)", since=signed)
    return contract


def _sheets(contract, site, territories, actors: _Actors, rng, region) -> tuple[int, int]:
    keys = list(AXES)
    chosen = ["acces", "prevention"] + [k for k in rng.permutation([k for k in keys if k not in ("acces", "prevention")])
                                        [: int(rng.integers(2, 5))]]
    chosen = [k for k in keys if k in chosen]  # axes numbered in a stable order
    axes = {k: StrategicAxis.objects.create(contract=contract, number=i, title=AXES[k]) for i, k in
            enumerate(chosen, start=1)}
    pool = [a for a in ACTIONS if a.axis in axes]
    n = int(min(len(pool), rng.integers(20, 41)))
    picked = [pool[i] for i in sorted(rng.choice(len(pool), size=n, replace=False))]
    qpv_names = [territories[("qpv", q)].name for q in site["qpv"] if ("qpv", q) in territories]
    perimeter = list(contract.perimeter.all())
    counters: dict[str, int] = {}
    validated = 0
    base = contract.starts_on or datetime.date(2025, 1, 1)
    for action in picked:
        counters[action.axis] = counters.get(action.axis, 0) + 1
        quartier = str(rng.choice(qpv_names)) if qpv_names else "les quartiers prioritaires"
        draw = rng.random()
        state = "validated" if draw < 0.8 else ("coded" if draw < 0.93 else "uncoded")
        if contract.generation == "prefiguration" and state == "validated" and draw > 0.5:
            state = "coded"
        sheet = _sheet(contract, axes[action.axis], f"FA-{axes[action.axis].number}.{counters[action.axis]}",
                       action, site, quartier, actors, rng, base, state, perimeter)
        validated += sheet.coding_validated_at is not None
    return len(picked), validated


def _sheet(contract, axis, code, action: DemoAction, site, quartier, actors, rng, base, state, perimeter):
    lead = actors.get(action.lead, site)
    partners = [actors.get(role, site) for role in action.partners]
    sectors = list(dict.fromkeys([lead.sector] + [p.sector for p in partners]))
    start = base + datetime.timedelta(days=int(rng.integers(0, 540)))
    end = start + datetime.timedelta(days=int(rng.choice([365, 730, 1095])))
    if contract.generation == "prefiguration":
        status = "projet"
    else:
        status = str(rng.choice(["prevue", "en-cours", "en-cours", "realisee", "reportee"]))
    coded = state != "uncoded"
    values = {
        "code": code, "title": _fill(action.title, site, quartier), "axis": axis,
        "objectives": _fill(action.objectives, site, quartier), "quantified_targets": action.target,
        "description": _fill(action.description, site, quartier) + " (Action fictive de démonstration.)",
        "publics": list(action.publics), "lead": lead, "budget": action.budget or None,
        "indicators": "\n".join(["Nombre de personnes touchées par an"] + ([f"Cible : {action.target}"]
                                                                           if action.target else [])),
        "starts_on": start, "ends_on": end, "status": status, "ists_contribution": action.ists,
        "resident_participation": action.residents, "evaluation_planned": action.evaluation,
        "determinants": list(action.determinants) if coded else [],
        "strategies": list(action.strategies) if coded else [],
        "approach": APPROACH[action.approach] if coded else "", "themes": list(action.themes) if coded else [],
        "partner_sectors": sectors if coded else [],
        "coding_note": "Codage de démonstration." if coded else "",
        "coding_source": "demo" if coded else "",
    }
    if state == "validated":
        values["coding_validated_at"] = timezone.make_aware(datetime.datetime.combine(start, datetime.time(10)))
    funding = []
    if action.budget:
        ars_share = int(action.budget * float(rng.choice([0.3, 0.5, 0.7])) // 100 * 100)
        funding.append(services.Funding(funder=actors.get("ars", site), amount=ars_share, year=start.year,
                                        secured=bool(rng.random() < 0.7)))
        if action.budget - ars_share > 0:
            funding.append(services.Funding(funder=actors.get("ville", site) if site["kind"] == "commune" else lead,
                                            amount=action.budget - ars_share, year=start.year, secured=True))
    territories = [perimeter[0]] if perimeter and rng.random() < 0.3 else []
    return services.create_sheet(contract, values, m2m={"partners": [p for p in partners if p != lead],
                                                        "territories": territories},
                                 funding=funding, user=None, note="données de démonstration")


def _users(contracts: list[Contract]) -> dict:
    User = get_user_model()
    users = {}
    for username, (role, scope, description) in DEMO_USERS.items():
        user, created = User.objects.get_or_create(username=username, defaults={
            "first_name": description.split(" :")[0].split(" (")[0].capitalize()[:150]})
        user.set_password(DEMO_PASSWORD)
        if role == v.REGIONAL_ADMIN:
            user.is_staff = True  # the administration site, to manage contracts, actors and roles
        user.save()
        assignment = {"user": user, "role": role}
        if scope == "departement":
            assignment["departement"] = contracts[0].departement
        elif isinstance(scope, int) and scope < len(contracts):
            assignment["contract"] = contracts[scope]
        elif isinstance(scope, int):
            continue
        RoleAssignment.objects.get_or_create(**assignment)
        users[username] = user
    if users.get("demo-admin") is not None:
        from django.contrib.auth.models import Permission

        users["demo-admin"].user_permissions.set(Permission.objects.filter(content_type__app_label="contracts"))
    return users


def _later_changes(contracts, users, rng) -> None:
    """A few edits by the coordinators, so that the history of the demo shows who changed what."""
    for index, username in ((0, "demo-coordination"), (1, "demo-coordination-2")):
        if index >= len(contracts) or username not in users:
            continue
        sheets = list(ActionSheet.objects.filter(contract=contracts[index]).order_by("code")[:3])
        for sheet in sheets:
            services.update_sheet(sheet, {"status": "en-cours" if sheet.status != "en-cours" else "realisee",
                                          "quantified_targets": sheet.quantified_targets
                                          or "Cible à préciser avec les partenaires"},
                                  user=users[username], expected_version=sheet.version)
