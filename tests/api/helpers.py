"""Shared helpers of the API tests: contracts, users and tokens on top of the portal sample."""

from __future__ import annotations

import csv
import io

from django.contrib.auth import get_user_model

from equisante.api.models import ApiToken
from equisante.contracts import vocabulary as v
from equisante.contracts.models import ActionSheet, Contract, RoleAssignment, StrategicAxis


def contracts(sample) -> dict:
    """A published contract with an axis and a coded sheet, and an unpublished one with a sheet."""
    d01 = sample["territories"]["01"]
    public = Contract.objects.create(code="CLS-PUB", name="Contrat publié de test", departement=d01, published=True,
                                     fictional=True)
    public.perimeter.add(sample["territories"]["01001"])
    axis = StrategicAxis.objects.create(contract=public, number=1, title="Accès aux soins")
    ActionSheet.objects.create(contract=public, axis=axis, code="FA-1.1", title="Bus santé dans les quartiers",
                               determinants=["D1"], strategies=["S1"], themes=["acces-aux-soins"])
    hidden = Contract.objects.create(code="CLS-PRIVE", name="Contrat en préparation secret", departement=d01,
                                     published=False, fictional=True)
    ActionSheet.objects.create(contract=hidden, code="FA-9.9", title="Fiche confidentielle")
    return {"public": public, "hidden": hidden}


def user_with_token(username: str, *, role: str | None = None, contract=None, superuser: bool = False):
    User = get_user_model()
    if superuser:
        user = User.objects.create_superuser(username, password="un-mot-de-passe-assez-long")
    else:
        user = User.objects.create_user(username, password="un-mot-de-passe-assez-long")
    if role:
        RoleAssignment.objects.create(user=user, role=role, contract=contract)
    token, clear = ApiToken.issue(user, "test")
    return user, token, clear


def bearer(clear: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {clear}"}


def read_csv(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


COORDINATOR = v.COORDINATOR
