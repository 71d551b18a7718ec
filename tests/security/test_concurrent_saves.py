"""On SQLite, two people saving at the same moment: one save wins, the other gets the French refusal
of a stale edit — never a 500 « database is locked » (writes take the lock when their transaction
begins: ``transaction_mode = IMMEDIATE``, and wait for their turn up to the busy timeout)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def test_sqlite_runs_write_transactions_immediately_with_a_busy_timeout(settings):
    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("sqlite3"):
        pytest.skip("SQLite only")
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE" and db["OPTIONS"]["timeout"] >= 5


@pytest.mark.slow
def test_simultaneous_saves_on_a_file_sqlite_database_never_give_a_500(tmp_path):
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(EQUISANTE_DATA_DIR=str(tmp_path), ALLOWED_HOSTS="testserver")
    result = subprocess.run([sys.executable, str(HERE / "concurrent_saves.py"), "12"], capture_output=True,
                            text=True, env=environment, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    rounds = [line.split() for line in result.stdout.splitlines()]
    assert len(rounds) == 12
    for statuses in rounds:
        assert statuses == ["200", "302", "refus"], rounds
