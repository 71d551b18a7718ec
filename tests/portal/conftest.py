import pytest

from portal.sample import build_sample


@pytest.fixture
def sample(db):
    return build_sample(fictional=True)
