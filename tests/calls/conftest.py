"""A small call with its territories, reviewers and applications (database tests)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    from calls.sample import build_world

    return build_world()
