"""What the benchmarks share: paths, a repeated timer, a fresh database for a Django benchmark."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))


def timed(function, repeat: int):
    """Call ``function`` ``repeat`` times: its last result and the wall-clock seconds of each call."""
    seconds, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - start)
    return result, seconds


def setup_database(postgres: bool, prefix: str) -> str | None:
    """A fresh data folder and database (SQLite there, or a new PostgreSQL database ``<prefix>_<pid>``),
    Django set up and migrated. Returns the PostgreSQL database's name (to drop afterwards), or None."""
    os.environ["EQUISANTE_DATA_DIR"] = tempfile.mkdtemp(prefix=f"{prefix}-")
    name = None
    if postgres:
        name = f"{prefix.replace('-', '_')}_{os.getpid()}"
        subprocess.run(["createdb", name], check=True)
        os.environ["DATABASE_URL"] = f"postgres:///{name}"
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "equisante.config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return name
