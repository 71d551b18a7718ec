"""Benchmark: what background jobs change for a report, and what a job costs by itself.

A fresh SQLite database receives the demonstration region (``generate_region(2024, n_departements=3,
n_communes=90, with_iris=False)``, as ``bench_profiles.py``). Logged in as a regional administrator
(Django's test client, no network), it times

- **time to first byte of a report**: before, the PDF profile of the contract with the most sheets was
  made inside the request (``GET /profils/<code>/?format=pdf``, the whole PDF before the first byte);
  now the page's button starts a job (``POST /travaux/rapport/``) and answers at once with the job's
  page address; the job page itself (``GET /travaux/<id>/``) is timed too;
- **job overhead for a small job**: a job that does nothing, run by the task library's database worker
  (in a thread of this process, polling every ``--interval`` seconds): the cost of starting it
  (``running.submit`` + the task row), the bookkeeping of running it (``running.execute`` of the empty
  job), and the latency from the request to the job being done (mostly the worker's polling interval).

Writes ``benchmarks/results/jobs.json`` and ``jobs.md``.

    .venv/bin/python benchmarks/bench_jobs.py            # --repeat 5 --small 20 --interval 1.0

The machine is shared (2 CPUs, other processes running): the load average is recorded.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
RESULTS = ROOT / "benchmarks" / "results"


def setup_database() -> None:
    folder = tempfile.mkdtemp(prefix="bench-jobs-")
    os.environ["EQUISANTE_DATA_DIR"] = folder
    os.environ.pop("DATABASE_URL", None)
    os.environ["EQUISANTE_TASKS"] = "database"
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "equisante.config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def median_ms(values) -> float:
    return round(1000 * statistics.median(values), 1)


def timed(function, repeat: int):
    function()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return times, result


class ThreadWorker:
    """The task library's database worker in a thread (signals belong to the main thread)."""

    def __init__(self, interval: float):
        from django_tasks_db.management.commands.db_worker import Worker

        class Quiet(Worker):
            def configure_signals(self):
                return None

            def reset_signals(self):
                return None

        self.worker = Quiet(queue_names=["*"], interval=interval, batch=False, backend_name="default",
                            startup_delay=False, max_tasks=None, worker_id="bench", excluded_queue_names=[])
        self.thread = threading.Thread(target=self.worker.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.worker.running = False
        self.thread.join(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--small", type=int, default=20, help="petits travaux mesurés")
    parser.add_argument("--interval", type=float, default=1.0, help="intervalle de lecture de la file (s)")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    setup_database()

    from django.contrib.auth import get_user_model
    from django.test import Client

    from equisante.contracts.models import Contract
    from equisante.demo.generator import generate_region
    from equisante.demo.loading import load_region
    from equisante.jobs import running
    from equisante.jobs.models import DONE, Job

    started = time.perf_counter()
    load_region(generate_region(2024, n_departements=3, n_communes=90, with_iris=False))
    load_seconds = time.perf_counter() - started
    contract = max(Contract.objects.filter(published=True), key=lambda c: c.sheets.count())
    admin = get_user_model().objects.create_superuser("bench", password="un-mot-de-passe-assez-long")
    client = Client()
    client.force_login(admin)
    address = f"/profils/{contract.code}/?format=pdf"

    # --- time to first byte of the report: in the request (before) and as a job (now) ---
    def synchronous():
        response = client.get(address)
        assert response.status_code == 200 and response.content[:4] == b"%PDF"
        return len(response.content)

    sync_times, pdf_size = timed(synchronous, args.repeat)

    def start_job():
        response = client.post("/travaux/rapport/", {"adresse": address, "intitule": "Profil"})
        assert response.status_code == 302
        return response["Location"]

    start_times, job_url = timed(start_job, args.repeat)
    page_times, _ = timed(lambda: client.get(job_url).status_code, args.repeat)
    # the PDF job itself, run by the worker, from the button to the file being ready
    Job.objects.all().delete()
    with ThreadWorker(args.interval):
        asked = time.perf_counter()
        job_url = start_job()
        job = Job.objects.get()
        while Job.objects.get(pk=job.pk).state != DONE:
            time.sleep(0.02)
        report_ready = time.perf_counter() - asked
    job.refresh_from_db()

    # --- overhead of a small job ---
    running.register("mesure", "Travail vide")(lambda job, reporter: running.Outcome(summary="rien"))
    submit_times, execute_times, latencies = [], [], []
    for _ in range(args.small):  # without the worker: starting and running bookkeeping
        begun = time.perf_counter()
        empty = running.submit("mesure", owner=admin)
        from equisante.jobs.tasks import run_job

        run_job.enqueue(empty.pk)  # what the commit hook does after the request
        submit_times.append(time.perf_counter() - begun)
        begun = time.perf_counter()
        running.execute(empty.pk)
        execute_times.append(time.perf_counter() - begun)
    with ThreadWorker(args.interval):
        for _ in range(args.small):
            begun = time.perf_counter()
            empty = running.submit("mesure", owner=admin)
            run_job.enqueue(empty.pk)
            while Job.objects.get(pk=empty.pk).state != DONE:
                time.sleep(0.005)
            latencies.append(time.perf_counter() - begun)

    results = {
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "repeat": args.repeat,
        "demo_load_seconds": round(load_seconds, 1),
        "contract": contract.code,
        "sheets": contract.sheets.count(),
        "pdf_bytes": pdf_size,
        "ttfb_ms": {"rapport PDF fait dans la requête (avant)": median_ms(sync_times),
                    "bouton « Rapport PDF » : travail démarré (maintenant)": median_ms(start_times),
                    "page du travail (barre d'avancement)": median_ms(page_times)},
        "pdf_job_ready_seconds": round(report_ready, 2),
        "pdf_job_work_seconds": round(job.duration.total_seconds(), 2),
        "small_job_ms": {"démarrer (travail + ligne de la file)": median_ms(submit_times),
                         "exécuter un travail vide (écritures d'état et de résultat)": median_ms(execute_times),
                         f"de la demande à la fin, travailleur lisant la file toutes les {args.interval:g} s":
                             median_ms(latencies)},
        "small_jobs": args.small,
        "interval": args.interval,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "jobs.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    lines = [
        "# Travaux en arrière-plan : délai de réponse d'un rapport et coût d'un petit travail", "",
        f"Mesuré le {results['measured_at']} (Python {results['python']}, {results['cpus']} CPU, charge "
        f"{results['load'][0]} → {results['load'][1]}) ; médianes de {args.repeat} essais.", "",
        f"Région de démonstration chargée en {results['demo_load_seconds']} s ; profil ISTS PDF du contrat "
        f"{contract.code} ({results['sheets']} fiches-action, {pdf_size // 1024} Ko), demandé par un administrateur.", "",
        "| délai avant le premier octet | ms |", "|---|---|",
        *[f"| {k} | {v} |" for k, v in results["ttfb_ms"].items()], "",
        f"Le PDF est prêt {results['pdf_job_ready_seconds']} s après le clic (dont {results['pdf_job_work_seconds']} s "
        f"de travail dans le travailleur) ; pendant ce temps la page montre l'avancement.", "",
        f"| petit travail (vide), médiane de {args.small} | ms |", "|---|---|",
        *[f"| {k} | {v} |" for k, v in results["small_job_ms"].items()], "",
    ]
    (RESULTS / "jobs.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
