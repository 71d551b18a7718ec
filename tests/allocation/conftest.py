import pytest

from equisante.contracts import vocabulary as v
from equisante.contracts.models import RoleAssignment

from prioritisation import sample


@pytest.fixture
def data(db):
    """The prioritisation sample (communes C1–C5 in XT1 and XT2) with IDH-2 and FDep computed and the
    eligibility rule « IDH-2 < 0,52 » (C1, C2, C5 eligible)."""
    return sample.build_with_indices()


@pytest.fixture
def agent(django_user_model, client, data):
    user = django_user_model.objects.create_user("agence", password="un-mot-de-passe-assez-long")
    RoleAssignment.objects.create(user=user, role=v.REGIONAL_ADMIN)
    client.force_login(user)
    return user
