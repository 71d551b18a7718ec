"""A small call with its territories, reviewers and applications (database tests and browser tests)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal


def build_world() -> dict:
    from django.contrib.auth import get_user_model

    from equisante.calls.models import Application, Assignment, Call, Criterion, Funder
    from equisante.contracts import vocabulary as cv
    from equisante.contracts.models import Contract, RoleAssignment
    from equisante.territories.models import Territory

    region = Territory.objects.create(level="region", code="11", name="Région test")
    d93 = Territory.objects.create(level="departement", code="93", name="Seine-Test", parent=region)
    d95 = Territory.objects.create(level="departement", code="95", name="Val-Test", parent=region)
    c1 = Territory.objects.create(level="commune", code="93001", name="Aubeville", parent=d93)
    c2 = Territory.objects.create(level="commune", code="93002", name="Bondy-Test", parent=d93)
    c3 = Territory.objects.create(level="commune", code="95001", name="Cergy-Test", parent=d95)
    qpv = Territory.objects.create(level="qpv", code="QN093001", name="Les Tilleuls", parent=c1)
    contract = Contract.objects.create(code="CLS-AUB", name="CLS d'Aubeville")
    contract.perimeter.set([c1])

    User = get_user_model()
    admin = User.objects.create_user("gestion", password="pw")
    RoleAssignment.objects.create(user=admin, role=cv.REGIONAL_ADMIN)
    alice = User.objects.create_user("alice", password="pw")
    bruno = User.objects.create_user("bruno", password="pw")
    chloe = User.objects.create_user("chloe", password="pw")
    porteur = User.objects.create_user("porteur", password="pw")

    call = Call.objects.create(code="mille-jours", title="1000 premiers jours", kind="aap", state="clos",
                               opens_on=date(2026, 1, 5), closes_on=date(2026, 3, 1),
                               cover_by="departement", min_per_group=1)
    Funder.objects.create(call=call, name="ARS", envelope=Decimal("100000"))
    Funder.objects.create(call=call, name="CAF", envelope=Decimal("50000"))
    k1 = Criterion.objects.create(call=call, order=1, label="Réduction des inégalités explicite", weight=2, scale_max=5)
    k2 = Criterion.objects.create(call=call, order=2, label="Participation des personnes concernées", weight=1,
                                  scale_max=5)
    specs = [("A1", "Ateliers parentalité", 90000, c1, (5, 5)), ("A2", "Maison des familles", 60000, c2, (4, 5)),
             ("A3", "Périnatalité en quartier", 50000, c1, (4, 4)), ("A4", "Visites à domicile", 40000, c3, (1, 2))]
    apps = {}
    for ref, title, amount, commune, (s1, s2) in specs:
        a = Application.objects.create(call=call, reference=ref, title=title, promoter=f"Association {ref}",
                                       promoter_kind="association", requested=Decimal(amount),
                                       summary="Soutien à la parentalité et accès aux droits")
        a.territories.set([commune])
        for reviewer, delta in ((alice, 0), (bruno, 0)):
            x = Assignment.objects.create(application=a, reviewer=reviewer, organisation="ARS")
            x.scores.create(criterion=k1, value=s1)
            x.scores.create(criterion=k2, value=max(0, s2 - delta))
            x.opinion = "Avis motivé"
            x.save()
        apps[ref] = a
    conflicted = Assignment.objects.create(application=apps["A1"], reviewer=chloe, organisation="CAF", conflict=True,
                                           conflict_statement="Je préside l'association")
    return {"call": call, "apps": apps, "admin": admin, "alice": alice, "chloe": chloe, "porteur": porteur,
            "criteria": (k1, k2), "conflicted": conflicted, "qpv": qpv, "communes": (c1, c2, c3)}
