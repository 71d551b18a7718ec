"""The worker that runs the jobs: ``equisante worker`` (the task library's database worker), started
beside the web server by ``equisante serve`` (and so by ``./scripts/start``).

``EQUISANTE_WORKER=off`` keeps ``serve`` from starting one — when the worker runs as its own service
(a systemd unit or a container running ``equisante worker``), as docs/jobs.md describes.
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys


def wanted() -> bool:
    return os.environ.get("EQUISANTE_WORKER", "on").strip().lower() not in {"0", "off", "non", "false", "no"}


def start_worker() -> subprocess.Popen | None:
    """Start ``equisante worker`` in a child process, stopped when this process ends; None when off."""
    if not wanted():
        return None
    process = subprocess.Popen([sys.executable, "-c", "from equisante.cli import main; main()", "worker"])

    def stop():
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()

    atexit.register(stop)
    return process


def run(interval: float = 1.0, max_tasks: int | None = None, batch: bool = False) -> None:
    """Run the worker in this process until stopped (or, with ``batch``, until the queue is empty)."""
    from django.core.management import call_command

    options = {"interval": interval, "reload": False, "startup_delay": False, "batch": batch, "verbosity": 1}
    if max_tasks:
        options["max_tasks"] = max_tasks
    call_command("db_worker", **options)
