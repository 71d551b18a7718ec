"""Benchmark: 50 concurrent readers on the production server, with locust.

Starts the product exactly as the quick start does (``./scripts/start``: database, demonstration
region, ``equisante serve`` = gunicorn) on a fresh data folder, waits for ``/health/``, then runs
locust headless: ``--users`` readers (default 50) who are not logged in, requesting the main pages
without pause (``benchmarks/locustfile.py``) for ``--seconds`` (default 60). Reports requests per
second, median and 95th percentile response times, errors, per page and overall, into
``benchmarks/results/load.json`` and ``.md`` (one entry per database engine, kept side by side).

Locust runs in its own virtual environment (it pins gevent and friends that the product does not
need): ``python -m venv benchmarks/.work/locust && benchmarks/.work/locust/bin/pip install locust``.

    .venv/bin/python benchmarks/bench_load.py
    .venv/bin/python benchmarks/bench_load.py --database-url postgres:///equisante_bench
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
WORK = ROOT / "benchmarks" / ".work"
LOCUST = WORK / "locust" / "bin" / "locust"
TARGET_RPS, TARGET_P95_MS = 200, 300


def _wait(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise SystemExit(f"le serveur ne répond pas sur {url}")


def _engine(database_url: str | None) -> str:
    return "postgresql" if database_url and database_url.startswith("postgres") else "sqlite"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--warmup", type=int, default=15,
                        help="secondes de lecture non mesurées avant la mesure (chaque processus remplit son cache)")
    parser.add_argument("--workers", type=int, help="EQUISANTE_WORKERS (défaut : celui du serveur)")
    parser.add_argument("--keep-data", action="store_true", help="réutiliser le dossier de données existant")
    args = parser.parse_args()
    engine = _engine(args.database_url)
    data = WORK / f"load-{engine}"
    if data.exists() and not args.keep_data:
        shutil.rmtree(data)
    data.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(EQUISANTE_DATA_DIR=str(data), HOST="127.0.0.1", PORT=str(args.port), LOG_LEVEL="ERROR")
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    if args.workers:
        env["EQUISANTE_WORKERS"] = str(args.workers)
    host = f"http://127.0.0.1:{args.port}"
    log = (data / "server.log").open("w")
    server = subprocess.Popen([str(ROOT / "scripts" / "start")], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    try:
        _wait(host + "/health/", 900)
        stem = data / "locust"
        if args.warmup:  # a server that has just started renders each page once per worker: not measured
            subprocess.run([str(LOCUST), "-f", str(ROOT / "benchmarks" / "locustfile.py"), "--headless",
                            "-u", str(args.users), "-r", str(args.users), "-t", f"{args.warmup}s", "--host", host,
                            "--only-summary", "--loglevel", "ERROR"], cwd=ROOT, check=False,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started = time.time()
        server_cpu_before = _cpu_seconds(_group(server.pid))
        locust = subprocess.Popen([str(LOCUST), "-f", str(ROOT / "benchmarks" / "locustfile.py"), "--headless",
                                   "-u", str(args.users), "-r", str(args.users), "-t", f"{args.seconds}s",
                                   "--host", host, "--csv", str(stem), "--only-summary", "--loglevel", "WARNING"],
                                  cwd=ROOT)
        locust_cpu = 0.0
        while locust.poll() is None:  # the load generator shares the two cores: measure what it takes
            locust_cpu = max(locust_cpu, _cpu_seconds([locust.pid]))
            time.sleep(0.5)
        elapsed = time.time() - started
        server_cpu = _cpu_seconds(_group(server.pid)) - server_cpu_before
        with (stem.parent / (stem.name + "_stats.csv")).open() as handle:
            rows = list(csv.DictReader(handle))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    pages = [{"page": r["Name"], "requests": int(r["Request Count"]), "failures": int(r["Failure Count"]),
              "rps": float(r["Requests/s"]), "p50_ms": float(r["50%"]), "p95_ms": float(r["95%"]),
              "max_ms": float(r["Max Response Time"])} for r in rows]
    total = next(p for p in pages if p["page"] == "Aggregated")
    entry = {
        "engine": engine,
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} processeurs, Python {platform.python_version()}",
        "users": args.users, "seconds": args.seconds, "warmup_s": args.warmup, "wall_s": round(elapsed, 1),
        "load_average_after": [round(x, 1) for x in os.getloadavg()],
        "workers": args.workers or "défaut (2 × processeurs + 1)",
        "total": total, "pages": [p for p in pages if p["page"] != "Aggregated"],
        "cpu_s": {"server": round(server_cpu, 1), "locust": round(locust_cpu, 1),
                  "server_ms_per_request": round(1000 * server_cpu / max(1, total["requests"]), 2)},
        "target": {"rps": TARGET_RPS, "p95_ms": TARGET_P95_MS},
        "met": total["rps"] >= TARGET_RPS and total["p95_ms"] <= TARGET_P95_MS and total["failures"] == 0,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    store = RESULTS / "load.json"
    runs = json.loads(store.read_text()) if store.exists() else {}
    runs[engine] = entry
    store.write_text(json.dumps(runs, indent=2, ensure_ascii=False) + "\n")
    (RESULTS / "load.md").write_text(_markdown(runs), encoding="utf-8")
    print(f"{engine}: {total['rps']:.1f} req/s, p50 {total['p50_ms']:.0f} ms, p95 {total['p95_ms']:.0f} ms, "
          f"{total['failures']} erreur(s) sur {total['requests']} requêtes")


def _group(leader: int) -> list[int]:
    """Processes of the server's session (the start script, gunicorn, its workers)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getsid(int(entry.name)) == leader:
                    pids.append(int(entry.name))
            except (ProcessLookupError, PermissionError):
                continue
    return pids


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of living processes, from /proc (Linux)."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _markdown(runs: dict) -> str:
    lines = ["# Benchmark: 50 concurrent readers on the production server", "",
             "`benchmarks/bench_load.py`: `./scripts/start` (gunicorn, demonstration region) on a fresh data "
             "folder, then locust headless, readers not logged in, no pause between pages "
             "(`benchmarks/locustfile.py`). Target: ≥ 200 requests/s with p95 ≤ 300 ms and no error.", ""]
    for engine, run in runs.items():
        t = run["total"]
        lines += [f"## {engine} — {run['when']}", "",
                  f"{run['users']} users, {run['seconds']} s measured after {run.get('warmup_s', 0)} s of warm-up, "
                  f"workers: {run['workers']}; {run['machine']}; "
                  f"load average after the run (1, 5, 15 min): {run.get('load_average_after', '?')} — the "
                  "machine is shared, other processes compete for its cores.", "",
                  f"**{t['rps']:.1f} requests/s, p50 {t['p50_ms']:.0f} ms, p95 {t['p95_ms']:.0f} ms, "
                  f"{t['failures']} errors / {t['requests']} requests — target {'met' if run['met'] else 'NOT met'}.**", "",
                  *([f"CPU during the run: server {run['cpu_s']['server']} s "
                     f"({run['cpu_s']['server_ms_per_request']} ms per request), load generator (locust) "
                     f"{run['cpu_s']['locust']} s, out of {2 * run['seconds']} s for the two cores.", ""]
                    if "cpu_s" in run else []),
                  "| page | requests | errors | req/s | p50 ms | p95 ms | max ms |", "|---|---|---|---|---|---|---|"]
        lines += [f"| {p['page']} | {p['requests']} | {p['failures']} | {p['rps']:.1f} | {p['p50_ms']:.0f} | "
                  f"{p['p95_ms']:.0f} | {p['max_ms']:.0f} |" for p in run["pages"]]
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
