"""A small contracts registry on top of the portal sample territories (shared by the page, service
and browser tests).

Territories (``portal.sample``): départements 01 « Ain » and 69 « Rhône »; communes 01001, 01002
(holding the QPV QP001), 01003, 69001, 69002.

- ``CLS-01-VEY`` « CLS de la Veyle » (Ain, 1re génération, published): perimeter 01001, 01002 and
  QP001; a steering committee (a resident member, two meetings) and a technical committee; a
  coordinator post of 0.8 FTE; axes 1 « Accès aux soins » and 2 « Cadre de vie »; sheets FA-1.1
  (coded and validated), FA-1.2 (not coded), FA-2.1 (coded, not validated, no strategy).
- ``CLS-69-AFF`` « CLS d'Affoux » (Rhône, préfiguration, not published): one sheet FA-1.

Users (password :data:`PASSWORD`): ``admin`` (regional administrator), ``referent01`` (référent of
Ain), ``coord01`` (coordinator of CLS-01-VEY), ``coord69`` (coordinator of CLS-69-AFF),
``partner01`` (partner of CLS-01-VEY), ``citizen`` (no role).
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from equisante.contracts import vocabulary as v
from equisante.contracts.models import (
    ActionSheet,
    Actor,
    Committee,
    CommitteeMember,
    Contract,
    CoordinatorPost,
    FundingLine,
    Meeting,
    RoleAssignment,
    StrategicAxis,
)
from equisante.territories.models import Territory
from portal.sample import build_sample

PASSWORD = "un-mot-de-passe-assez-long"

SHEET_TEXTS = {
    "FA-1.1": ("Permanence d'accès aux droits de santé au centre social",
               "Une permanence hebdomadaire aide les habitants du quartier à ouvrir leurs droits à l'assurance "
               "maladie et à la complémentaire santé solidaire, avec l'appui d'un médiateur."),
    "FA-1.2": ("Dépistage bucco-dentaire dans les écoles maternelles",
               "Des dentistes examinent les enfants de moyenne section dans les écoles du quartier prioritaire et "
               "orientent les familles vers un cabinet."),
    "FA-2.1": ("Lutte contre l'habitat insalubre",
               "Repérage des logements dégradés, visites du service d'hygiène, relogement des familles exposées "
               "au plomb."),
}


def build_registry() -> dict:
    """Create territories, actors, contracts, sheets and users; returns them in a dict."""
    data = build_sample(fictional=True)
    t = {x.code: x for x in Territory.objects.all()}
    actors = {name: Actor.objects.create(name=name, sector=sector, fictional=True) for name, sector in [
        ("ARS de démonstration", "sante"), ("Ville de Saint-Étienne-du-Bois", "collectivite"),
        ("Préfecture de l'Ain", "etat"), ("CPAM de l'Ain", "protection-sociale"),
        ("Centre social des Tilleuls", "social"), ("Office HLM du Bois", "logement"),
        ("Association Bouche en fête", "associatif"),
    ]}
    cls01 = Contract.objects.create(
        code="CLS-01-VEY", name="CLS de la Veyle", departement=t["01"], generation="1", status="mise-en-oeuvre",
        signed_on=datetime.date(2023, 2, 17), starts_on=datetime.date(2023, 3, 1), ends_on=datetime.date(2027, 12, 31),
        ists_objective=True, diagnosis_with_residents=False, evaluation_plan=True, published=True, fictional=True)
    cls01.perimeter.set([t["01001"], t["01002"], t["QP001"]])
    cls01.signatories.set([actors["ARS de démonstration"], actors["Ville de Saint-Étienne-du-Bois"],
                           actors["Préfecture de l'Ain"]])
    cls69 = Contract.objects.create(code="CLS-69-AFF", name="CLS d'Affoux", departement=t["69"],
                                    generation="prefiguration", status="preparation", published=False, fictional=True)
    cls69.perimeter.set([t["69001"]])
    copil = Committee.objects.create(contract=cls01, kind="pilotage", name="Comité de pilotage")
    CommitteeMember.objects.create(committee=copil, actor=actors["ARS de démonstration"], role="co-président")
    CommitteeMember.objects.create(committee=copil, person="Conseil citoyen des Tilleuls", resident=True)
    today = timezone.localdate()
    Meeting.objects.create(committee=copil, date=today - datetime.timedelta(days=40), minutes="Bilan annuel.")
    Meeting.objects.create(committee=copil, date=today - datetime.timedelta(days=500), minutes="Lancement.")
    Committee.objects.create(contract=cls01, kind="technique", name="Comité technique")
    CoordinatorPost.objects.create(contract=cls01, holder="Coordinatrice", fte="0.80", annual_cost=45000,
                                   ars_funding=20000, employer=actors["Ville de Saint-Étienne-du-Bois"])
    axis1 = StrategicAxis.objects.create(contract=cls01, number=1, title="Accès aux soins")
    axis2 = StrategicAxis.objects.create(contract=cls01, number=2, title="Cadre de vie")
    users = {}
    User = get_user_model()
    for name in ("admin", "referent01", "coord01", "coord69", "partner01", "citizen"):
        users[name] = User.objects.create_user(name, password=PASSWORD)
    RoleAssignment.objects.create(user=users["admin"], role=v.REGIONAL_ADMIN)
    RoleAssignment.objects.create(user=users["referent01"], role=v.DEPARTMENTAL_REFERENT, departement=t["01"])
    RoleAssignment.objects.create(user=users["coord01"], role=v.COORDINATOR, contract=cls01)
    RoleAssignment.objects.create(user=users["coord69"], role=v.COORDINATOR, contract=cls69)
    RoleAssignment.objects.create(user=users["partner01"], role=v.PARTNER, contract=cls01)
    title, description = SHEET_TEXTS["FA-1.1"]
    fa11 = ActionSheet.objects.create(
        contract=cls01, axis=axis1, code="FA-1.1", title=title, description=description,
        publics=["Habitants du quartier des Tilleuls"], lead=actors["Centre social des Tilleuls"],
        determinants=["D5.1.2"], strategies=["S4.1.5"], approach="groupes-defavorises", themes=["acces-aux-soins"],
        partner_sectors=["social", "protection-sociale"], quantified_targets="200 personnes accompagnées par an",
        objectives="Réduire le non-recours aux droits de santé.", coding_source="demo",
        coding_validated_at=timezone.now(), status="en-cours")
    fa11.partners.set([actors["CPAM de l'Ain"]])
    FundingLine.objects.create(sheet=fa11, funder=actors["ARS de démonstration"], amount=12000, year=2024,
                               secured=True)
    title, description = SHEET_TEXTS["FA-1.2"]
    fa12 = ActionSheet.objects.create(contract=cls01, axis=axis1, code="FA-1.2", title=title, description=description,
                                      lead=actors["Association Bouche en fête"])
    title, description = SHEET_TEXTS["FA-2.1"]
    fa21 = ActionSheet.objects.create(contract=cls01, axis=axis2, code="FA-2.1", title=title, description=description,
                                      determinants=["D2.2.4"], themes=["sante-environnement"], approach="",
                                      other_partners=["Service communal d'hygiène"])
    fa1 = ActionSheet.objects.create(contract=cls69, code="FA-1", title="Diagnostic local de santé partagé",
                                     description="Réunions avec les habitants et les professionnels.")
    data.update(territories=t, actors=actors, contracts={"CLS-01-VEY": cls01, "CLS-69-AFF": cls69},
                sheets={"FA-1.1": fa11, "FA-1.2": fa12, "FA-2.1": fa21, "FA-1": fa1}, users=users,
                axes={1: axis1, 2: axis2})
    return data
