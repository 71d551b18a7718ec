import pytest

from portraits.sample import build_portrait_sample


@pytest.fixture
def area(db):
    return build_portrait_sample()
