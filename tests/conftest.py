"""Shared test configuration.

- Tests under the pure-library folders are marked ``core``: they touch no database, so the
  PostgreSQL pass of ``scripts/test`` skips them (``-m "not core"``).
- ``shared_dir`` locates ``../shared`` beside the checkout; tests that read it skip when it is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORE_FOLDERS = {"stats", "indices", "grid", "portfolio", "actionsheets", "charts", "maps", "core"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        parts = Path(str(item.fspath)).resolve().relative_to(ROOT / "tests").parts
        if parts and parts[0] in CORE_FOLDERS:
            item.add_marker(pytest.mark.core)


def shared_path(*parts: str) -> Path:
    """A path inside ../shared, or skip the test when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared absent ({path})")
    return path


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.exists():
        pytest.skip("../shared absent")
    return SHARED


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix) -> None:
    """Give each PostgreSQL test run its own database, so that concurrent runs never collide."""
    import os

    from django.conf import settings

    db = settings.DATABASES["default"]
    if "postgresql" in db["ENGINE"]:
        test = db.setdefault("TEST", {})
        base = test.get("NAME") or f"test_{db['NAME']}"
        test["NAME"] = f"{base}_{os.getpid()}"
