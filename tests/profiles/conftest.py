import pytest

from profiles.sample import build_profiles_sample


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # A few accounts per test: the default PBKDF2 hasher would spend seconds hashing test passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def sample(db):
    return build_profiles_sample()
