import pytest

from prioritisation import sample


@pytest.fixture
def data(db):
    built = sample.build()
    built["definitions"] = sample.define_indices()
    return built
