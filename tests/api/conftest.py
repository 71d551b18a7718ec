import pytest

from portal.sample import build_sample


@pytest.fixture
def sample(db):
    return build_sample(fictional=True)


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings, tmp_path):
    """Each test starts with empty rate-limit counters and its own open-data folder."""
    from django.core.cache import cache

    cache.clear()
    settings.DATA_DIR = tmp_path
