"""Three contracts with coded action sheets, on top of the portal sample territories (shared by the
page, export, command-line and browser tests of the ISTS profiles).

Territories (``portal.sample``): départements 01 « Ain » and 69 « Rhône »; communes 01001, 01002
(holding the QPV QP001), 01003, 69001, 69002.

- ``CLS-01-VEY`` « CLS de la Veyle » (Ain, 1re génération, published), five sheets:

  ====== ============================================ ================= ============== ================
  sheet  themes                                       determinants      strategies     approach
  ====== ============================================ ================= ============== ================
  FA-1   accès aux soins, santé mentale               D5.1.2, D3.3.1    S4.1.5, S2.1   groupes défav.
  FA-2   nutrition                                    D4.1.5            S1.2           universalisme
  FA-3   santé-environnement                          D2.2.4            (none: NS)     univ. proport.
  FA-4   accès aux soins, nutrition, santé mentale    D5.4, D2.1        S4.2, S5.1.2   univ. proport.
  FA-5   (not coded)
  ====== ============================================ ================= ============== ================

- ``CLS-01-AMB`` « CLS d'Ambérieu » (Ain, 2e génération, published): FA-A (D5.1.2 / S4.1.5,
  groupes défavorisés, accès aux soins) and FA-B (D4.1.5 / S1.1, universalisme, nutrition).
- ``CLS-69-AFF`` « CLS d'Affoux » (Rhône, préfiguration, NOT published): FA-X (D1.1 / S3.1,
  universalisme proportionné, autres).

Users (password :data:`PASSWORD`): ``admin`` (regional administrator), ``coord69`` (coordinator of
CLS-69-AFF), ``citizen`` (no role).
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model

from equisante.contracts import vocabulary as v
from equisante.contracts.models import ActionSheet, Actor, Committee, Contract, CoordinatorPost, RoleAssignment
from equisante.territories.models import Territory
from portal.sample import build_sample

PASSWORD = "un-mot-de-passe-assez-long"

#: (code, title, themes, determinants, strategies, approach) of the sheets of CLS-01-VEY.
VEY_SHEETS = [
    ("FA-1", "Permanence d'accès aux droits au centre social", ["acces-aux-soins", "sante-mentale"],
     ["D5.1.2", "D3.3.1"], ["S4.1.5", "S2.1"], "groupes-defavorises"),
    ("FA-2", "Campagne d'affichage sur l'alimentation", ["nutrition"], ["D4.1.5"], ["S1.2"], "universalisme"),
    ("FA-3", "Repérage de l'habitat dégradé", ["sante-environnement"], ["D2.2.4"], [], "universalisme-proportionne"),
    ("FA-4", "Coordination des parcours de soins des familles", ["acces-aux-soins", "nutrition", "sante-mentale"],
     ["D5.4", "D2.1"], ["S4.2", "S5.1.2"], "universalisme-proportionne"),
    ("FA-5", "Forum santé annuel", [], [], [], ""),
]


def _sheet(contract, code, title, themes, determinants, strategies, approach, **extra):
    return ActionSheet.objects.create(contract=contract, code=code, title=title, themes=themes,
                                      determinants=determinants, strategies=strategies, approach=approach,
                                      coding_source="demo" if determinants else "", **extra)


def build_profiles_sample() -> dict:
    """Create territories, contracts, sheets and users; returns them in a dict."""
    data = build_sample(fictional=True)
    t = {x.code: x for x in Territory.objects.all()}
    vey = Contract.objects.create(
        code="CLS-01-VEY", name="CLS de la Veyle", departement=t["01"], generation="1", status="mise-en-oeuvre",
        starts_on=datetime.date(2023, 3, 1), ends_on=datetime.date(2027, 12, 31), ists_objective=True,
        diagnosis_with_residents=False, evaluation_plan=True, published=True, fictional=True)
    vey.perimeter.set([t["01001"], t["01002"], t["QP001"]])
    amb = Contract.objects.create(code="CLS-01-AMB", name="CLS d'Ambérieu", departement=t["01"], generation="2",
                                  status="signe", published=True, fictional=True)
    aff = Contract.objects.create(code="CLS-69-AFF", name="CLS d'Affoux", departement=t["69"],
                                  generation="prefiguration", status="preparation", published=False, fictional=True)
    Committee.objects.create(contract=vey, kind="technique", name="Comité technique")
    CoordinatorPost.objects.create(contract=vey, holder="Coordinatrice", fte="0.50")
    caf = Actor.objects.create(name="Caisse d'allocations familiales de l'Ain", sector="protection-sociale",
                               fictional=True)
    sheets = {}
    for code, title, themes, determinants, strategies, approach in VEY_SHEETS:
        sheets[code] = _sheet(vey, code, title, themes, determinants, strategies, approach,
                              partner_sectors=["sante", "protection-sociale"] if code == "FA-4" else [])
    sheets["FA-4"].partners.set([caf])
    sheets["FA-A"] = _sheet(amb, "FA-A", "Médiation santé au guichet", ["acces-aux-soins"], ["D5.1.2"], ["S4.1.5"],
                            "groupes-defavorises")
    sheets["FA-B"] = _sheet(amb, "FA-B", "Dépliant sur le sucre", ["nutrition"], ["D4.1.5"], ["S1.1"], "universalisme")
    sheets["FA-X"] = _sheet(aff, "FA-X", "Aide au budget des ménages", ["autres"], ["D1.1"], ["S3.1"],
                            "universalisme-proportionne")
    users = {}
    User = get_user_model()
    for name in ("admin", "coord69", "citizen"):
        users[name] = User.objects.create_user(name, password=PASSWORD)
    RoleAssignment.objects.create(user=users["admin"], role=v.REGIONAL_ADMIN)
    RoleAssignment.objects.create(user=users["coord69"], role=v.COORDINATOR, contract=aff)
    data.update(territories=t, contracts={"CLS-01-VEY": vey, "CLS-01-AMB": amb, "CLS-69-AFF": aff},
                sheets=sheets, users=users)
    return data
