import pytest

from contracts.sample import build_registry


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Six accounts per test: the default PBKDF2 hasher would spend seconds hashing test passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def registry(db):
    from equisante.contracts.coding import forget_suggesters

    forget_suggesters()
    return build_registry()
