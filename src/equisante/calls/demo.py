"""Demonstration calls on the fictional region (an extra loader of :mod:`equisante.demo.loading`).

Two fictional calls modelled on the two the regional agency reported in its contribution on health
inequalities: a joint call on the « 1000 premiers jours » (several funders, a few dozen applications,
instructed by reviewers of the agency and of the co-funders, one of whom declared a conflict of
interest; selection run, one choice changed by the committee with its reason, decided) and an AMI on the
reduction of health inequalities (criteria: reduction of inequalities explicit in the objectives,
participation of the people concerned, transferability), open to applications.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import numpy as np
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from equisante.calls import services
from equisante.calls import vocabulary as v
from equisante.calls.models import Application, Assignment, Call, Criterion, Funder, Score

DEMO_PASSWORD = "equisante-demo"
#: Reviewers: username → organisation.
REVIEWERS = {"demo-instructeur-ars": "ARS", "demo-instructeur-dreets": "DREETS", "demo-instructeur-caf": "CAF",
             "demo-instructeur-drac": "DRAC"}
CONFLICTED = "demo-instructeur-caf"

_THOUSAND_DAYS = [
    "Ateliers de préparation à la naissance en quartier prioritaire",
    "Visites à domicile de sages-femmes après la sortie de maternité",
    "Lieu d'accueil enfants-parents itinérant",
    "Éveil culturel et lecture pour les tout-petits",
    "Soutien aux parents isolés : groupes de parole",
    "Repérage précoce des troubles du neurodéveloppement",
    "Accompagnement des futures mères sans logement stable",
    "Médiation en santé périnatale pour les familles allophones",
    "Alimentation du jeune enfant : ateliers cuisine parents-enfants",
    "Prévention de la dépression post-partum",
    "Formation des professionnels de la petite enfance aux inégalités de santé",
    "Bus de la protection maternelle et infantile en zone rurale",
]
_AMI = [
    "Diagnostic participatif de santé avec les habitants",
    "Médiateurs en santé dans les quartiers prioritaires",
    "Accès aux droits de santé des travailleurs saisonniers",
    "Santé mentale des jeunes en insertion",
    "Aller-vers en dépistage des cancers",
    "Activité physique adaptée dans les quartiers",
]
_PROMOTERS = [("association", "Association"), ("collectivite", "Ville de"), ("centre-sante", "Centre de santé de"),
              ("etablissement-sante", "Centre hospitalier de"), ("etablissement-public", "CCAS de")]


def clear() -> None:
    """Remove the demonstration calls, their grants in the register and the reviewers."""
    from equisante.allocation.models import Grant

    for pk in Call.objects.filter(fictional=True).values_list("pk", flat=True):
        Grant.objects.filter(reference__startswith=f"appel:{pk}:").delete()
    Call.objects.filter(fictional=True).delete()
    get_user_model().objects.filter(username__in=list(REVIEWERS)).delete()


def _reviewers():
    users = {}
    for username, organisation in REVIEWERS.items():
        user, _created = get_user_model().objects.get_or_create(
            username=username, defaults={"first_name": f"Instructeur {organisation}"})
        user.set_password(DEMO_PASSWORD)
        user.save()
        users[username] = user
    return users


def _applications(call, titles, communes, rng, count, amounts):
    apps = []
    departements = sorted({c.parent_id for c in communes})
    for i in range(count):
        # cycle through the départements first so that each has applications
        pool = [c for c in communes if c.parent_id == departements[i % len(departements)]] if i < len(departements) \
            else communes
        commune = pool[int(rng.integers(len(pool)))]
        kind, prefix = _PROMOTERS[int(rng.integers(len(_PROMOTERS)))]
        title = titles[i % len(titles)]
        requested = int(rng.integers(amounts[0] // 1000, amounts[1] // 1000)) * 1000
        application = Application.objects.create(
            call=call, reference=f"{call.code.split('-', 1)[1].upper()[:8]}-{i + 1:03d}",
            title=title if i < len(titles) else f"{title} ({commune.name})",
            promoter=f"{prefix} {commune.name}" if kind != "association" else f"Association Familles de {commune.name}",
            promoter_kind=kind, requested=Decimal(requested), total_cost=Decimal(int(requested * 1.4)),
            summary=f"{title} à {commune.name} : projet fictif de démonstration.", source="demo")
        application.territories.set([commune])
        apps.append(application)
    return apps


def _instruct(apps, criteria, reviewers, rng, *, conflict_on=None, share=1.0):
    names = list(reviewers)
    for n, application in enumerate(apps):
        if rng.random() > share:
            continue
        quality = rng.beta(2, 2)
        chosen = [names[n % len(names)], names[(n + 1) % len(names)]]
        if conflict_on is not None and application.pk == conflict_on.pk and CONFLICTED not in chosen:
            chosen.append(CONFLICTED)
        for username in chosen:
            assignment = Assignment.objects.create(application=application, reviewer=reviewers[username],
                                                   organisation=REVIEWERS[username])
            if conflict_on is not None and application.pk == conflict_on.pk and username == CONFLICTED:
                services.declare_conflict(assignment, "Membre du conseil d'administration du porteur (fictif).",
                                          who=reviewers[username])
                continue
            for criterion in criteria:
                value = int(np.clip(round(quality * criterion.scale_max + rng.normal(0, 0.8)), 0, criterion.scale_max))
                Score.objects.create(assignment=assignment, criterion=criterion, value=value)
            assignment.opinion = ("Projet solide, public prioritaire bien ciblé." if quality > 0.5
                                  else "Objectifs peu précis sur la réduction des inégalités.")
            assignment.submitted_at = timezone.now()
            assignment.save()


def load(region) -> str:
    from equisante.territories.models import Territory

    communes = list(Territory.objects.filter(level="commune", fictional=True).order_by("code"))
    if not communes:
        return "Appels à projets : aucune commune de démonstration, rien chargé."
    rng = np.random.default_rng(region.seed + 1303)
    admin = get_user_model().objects.filter(username="demo-admin").first()
    today = timezone.localdate()
    with transaction.atomic():
        clear()
        reviewers = _reviewers()
        # --- the decided AAP « 1000 premiers jours » ---------------------------------------------------
        aap = Call.objects.create(
            code="demo-1000-jours", title="Appel à projets « 1000 premiers jours » (fictif)", kind="aap",
            description="Appel conjoint de l'agence et de ses cofinanceurs pour les projets d'accompagnement des "
                        "familles pendant les 1000 premiers jours de l'enfant : innovation, diversité des porteurs, "
                        "couverture territoriale. Appel fictif de démonstration.",
            opens_on=today - timedelta(days=200), closes_on=today - timedelta(days=140),
            instruction_until=today - timedelta(days=90), committee_on=today - timedelta(days=80),
            notification_on=today - timedelta(days=60), min_amount=Decimal(10000), max_amount=Decimal(150000),
            cover_by="departement", min_per_group=1, reserved_for="prioritaire", reserved_share=30, fictional=True)
        for name, amount in (("ARS", 500000), ("DREETS", 150000), ("CAF", 200000), ("DRAC", 50000)):
            Funder.objects.create(call=aap, name=name, envelope=Decimal(amount))
        criteria = [
            Criterion.objects.create(call=aap, order=1, label="Réduction des inégalités sociales de santé", weight=3,
                                     scale_max=5, guidance="Publics et territoires prioritaires explicitement visés."),
            Criterion.objects.create(call=aap, order=2, label="Caractère innovant", weight=2, scale_max=5),
            Criterion.objects.create(call=aap, order=3, label="Partenariats et ancrage local", weight=2, scale_max=5),
            Criterion.objects.create(call=aap, order=4, label="Faisabilité et budget", weight=1, scale_max=5),
        ]
        services.record(aap, "creation", aap.title, who=admin)
        services.transition(aap, v.OPENED, who=admin)
        apps = _applications(aap, _THOUSAND_DAYS, communes, rng, 36, (20000, 110000))
        services.transition(aap, v.CLOSED, who=admin)
        _instruct(apps, criteria, reviewers, rng, conflict_on=apps[0])
        view = services.run_selection(aap, who=admin)
        left_out = view.table[~view.table["selected"]].sort_values("score", ascending=False)
        if len(left_out):
            best_out = Application.objects.get(pk=left_out.index[0])
            services.override(best_out, True, "Seul projet porté par un centre de santé sur son territoire : le comité "
                                              "le retient malgré sa note (choix fictif de démonstration).", who=admin)
        decided = services.decide_all(aap, who=admin)
        services.transition(aap, v.DECIDED, who=admin)
        sheets = services.funding_lines(aap, who=admin)
        # --- the open AMI -------------------------------------------------------------------------------
        ami = Call.objects.create(
            code="demo-ami-inegalites", title="AMI « Réduction des inégalités de santé » (fictif)", kind="ami",
            description="Appel à manifestation d'intérêt pour des projets de réduction des inégalités sociales et "
                        "territoriales de santé. Appel fictif de démonstration.",
            opens_on=today - timedelta(days=20), closes_on=today + timedelta(days=40),
            instruction_until=today + timedelta(days=80), committee_on=today + timedelta(days=95),
            notification_on=today + timedelta(days=110), max_amount=Decimal(120000), fictional=True)
        Funder.objects.create(call=ami, name="ARS", envelope=Decimal(600000))
        ami_criteria = [
            Criterion.objects.create(call=ami, order=1, label="Réduction des inégalités explicite dans les objectifs",
                                     weight=2, scale_max=4),
            Criterion.objects.create(call=ami, order=2, label="Participation effective des personnes concernées",
                                     weight=1, scale_max=4),
            Criterion.objects.create(call=ami, order=3, label="Transférabilité", weight=1, scale_max=4),
        ]
        services.record(ami, "creation", ami.title, who=admin)
        services.transition(ami, v.OPENED, who=admin)
        ami_apps = _applications(ami, _AMI, communes, rng, 12, (15000, 100000))
        _instruct(ami_apps, ami_criteria, reviewers, rng, share=0.5)
    retained = aap.applications.exclude(decision=v.REFUSED).count()
    return (f"Appels à projets : « 1000 premiers jours » décidé ({len(apps)} candidatures, {retained} retenues, "
            f"{decided} décisions, {sheets} fiches-action créées dans les contrats) et un AMI ouvert ({len(ami_apps)} candidatures) ; instructeurs "
            f"{', '.join(REVIEWERS)} (mot de passe « {DEMO_PASSWORD} »), conflit d'intérêts déclaré par {CONFLICTED}.")
