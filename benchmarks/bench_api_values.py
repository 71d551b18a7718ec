"""Benchmark: the values of one indicator for 35,000 communes through the API, as JSON and as CSV.

A fresh database (SQLite in a temporary folder, or with ``--postgres`` a new PostgreSQL database
created for the run and dropped after) receives a synthetic region: 100 départements and
``--communes`` communes (35,000 by default, as many as France has), and one rate indicator with a
value for every commune (numerator, denominator, confidence limits; about 3 % small counts, which
statistical confidentiality withholds). The statistical-confidentiality decisions are taken once
(as after an import). Then, as an anonymous client, through Django's test client (no network):

- ``/api/indicateurs/<code>/valeurs?level=commune&limit=50000`` (JSON, one page) and ``&format=csv``;
- the same read in pages of 10,000 (following ``next`` / ``Link``);

with the anonymous page cache off, so that every request is computed;

median time of ``--repeat`` requests after one warm-up, response size, and memory: the peak of
Python allocations during one request (tracemalloc, measured on a separate run, since tracing slows
the request) and the growth of the process's resident memory.

Writes ``benchmarks/results/api_values.json`` and ``api_values.md`` (one section per database).

    .venv/bin/python benchmarks/bench_api_values.py               # SQLite, 35,000 communes, --repeat 5
    .venv/bin/python benchmarks/bench_api_values.py --postgres    # PostgreSQL (local server, trust auth)

The machine is shared (2 CPUs, other processes running): the load average is recorded.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import time
import tracemalloc
from datetime import datetime, timezone

import common  # noqa: E402  (benchmarks/common.py)
from common import RESULTS  # noqa: E402

SEED = 20261204
CODE = "bench-mortalite"


def setup_database(postgres: bool) -> str | None:
    os.environ["EQUISANTE_API_RATE_LIMIT"] = "0"
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    # every request computed (the anonymous page cache, when on, would answer repeats from memory)
    os.environ["EQUISANTE_PAGE_CACHE_SECONDS"] = "0"
    return common.setup_database(postgres, "bench-api")


def populate(n_communes: int) -> dict:
    from equisante.indicators.models import Indicator, Value
    from equisante.territories.models import Territory

    rng = random.Random(SEED)
    started = time.perf_counter()
    region = Territory.objects.create(level="region", code="99", name="Région de mesure", fictional=True)
    departements = Territory.objects.bulk_create([
        Territory(level="departement", code=f"D{i:02d}", name=f"Département {i}", parent=region, fictional=True)
        for i in range(100)])
    communes = Territory.objects.bulk_create([
        Territory(level="commune", code=f"{i:05d}", name=f"Commune {i}", parent=departements[i % 100],
                  fictional=True) for i in range(n_communes)], batch_size=2000)
    indicator = Indicator.objects.create(code=CODE, label="Mortalité (mesure)", unit="pour 100 000 habitants",
                                         multiplier=100_000, polarity="adverse", levels="commune", fictional=True)
    values = []
    small = 0
    for commune in communes:
        population = rng.randint(80, 60_000)
        deaths = max(0, int(rng.gauss(population * 0.009, 3 + population * 0.001)))
        small += 1 <= deaths < 10
        rate = deaths / population * 100_000
        values.append(Value(indicator=indicator, territory=commune, period="2021", numerator=deaths,
                            denominator=population, value=rate, lower=rate * 0.9, upper=rate * 1.1, state="ok"))
    Value.objects.bulk_create(values, batch_size=2000)
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    try:
        from equisante.indicators import withholding

        withholding.refresh([indicator])
    except ImportError:  # before stored confidentiality decisions: decided at publication
        pass
    return {"communes": n_communes, "small_counts": small, "load_seconds": round(loaded, 2),
            "withholding_seconds": round(time.perf_counter() - started, 2)}


def _get(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return response


def read_all(client, fmt: str, page: int) -> tuple[int, int]:
    """Every value of the indicator in pages of ``page``; (rows, bytes)."""
    url = f"/api/indicateurs/{CODE}/valeurs?level=commune&limit={page}" + ("&format=csv" if fmt == "csv" else "")
    rows = size = 0
    while url:
        response = _get(client, url)
        size += len(response.content)
        if fmt == "csv":
            rows += response.content.count(b"\n") - 1
            link = response.get("Link", "")
            url = link.split(";")[0].strip("<>").replace("http://testserver", "") if 'rel="next"' in link else None
        else:
            body = json.loads(response.content)
            rows += len(body["results"])
            url = body["next"].replace("http://testserver", "") if body["next"] else None
    return rows, size


def measure(repeat: int, n: int) -> dict:
    from django.test import Client

    client = Client()
    figures = {}
    for fmt in ("json", "csv"):
        for page in (50_000, 10_000):
            read_all(client, fmt, page)  # warm-up
            times = []
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            for _ in range(repeat):
                started = time.perf_counter()
                rows, size = read_all(client, fmt, page)
                times.append(time.perf_counter() - started)
            rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            assert rows == n, (fmt, page, rows)
            tracemalloc.start()
            read_all(client, fmt, page)
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            label = f"{fmt.upper()}, pages de {page:,}".replace(",", "\u202f").replace("\u202f", ",", 1)
            figures[label] = {
                "rows": rows, "bytes": size, "median_seconds": round(statistics.median(times), 3),
                "min_seconds": round(min(times), 3), "rows_per_second": round(rows / statistics.median(times)),
                "python_peak_mib": round(peak / 2**20, 1),
                "max_rss_growth_mib": round((rss_after - rss_before) / 1024, 1),
            }
            print(label, figures[label], flush=True)
    figures["max_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=35_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    load_before = os.getloadavg()
    name = setup_database(args.postgres)
    try:
        data = populate(args.communes)
        print("données :", data, flush=True)
        figures = measure(args.repeat, args.communes)
    finally:
        if name:
            from django.db import connections

            connections.close_all()
            subprocess.run(["dropdb", name], check=False)
    database = "PostgreSQL" if args.postgres else "SQLite"
    result = {"database": database, "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
              "data": data, "figures": figures, "repeat": args.repeat, "python": platform.python_version(),
              "cpus": os.cpu_count(), "load_average_before": [round(x, 2) for x in load_before],
              "load_average_after": [round(x, 2) for x in os.getloadavg()]}
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "api_values.json"
    stored = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    stored[database] = result
    path.write_text(json.dumps(stored, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    lines = ["# API : valeurs d'un indicateur pour 35 000 communes", "",
             "Produit par `benchmarks/bench_api_values.py` (client de test Django, sans réseau ; client anonyme ; "
             "secret statistique appliqué).", ""]
    for db, fig in sorted(stored.items()):
        lines += [f"## {db} — {fig['date']}", "",
                  f"{fig['data']['communes']} communes, {fig['data']['small_counts']} petits effectifs masqués ; "
                  f"médiane de {fig['repeat']} lectures complètes après un échauffement. Charge de la machine : "
                  f"{fig['load_average_before']} / {fig['load_average_after']} ({fig['cpus']} processeurs).", "",
                  "| lecture | valeurs | octets | médiane (s) | valeurs/s | pic Python (Mio) | croissance RSS (Mio) |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        for label, f in fig["figures"].items():
            if isinstance(f, dict):
                lines.append(f"| {label} | {f['rows']} | {f['bytes']} | {f['median_seconds']} | "
                             f"{f['rows_per_second']} | {f['python_peak_mib']} | {f['max_rss_growth_mib']} |")
        lines += ["", f"Mémoire résidente maximale du processus : {fig['figures']['max_rss_mib']} Mio.", ""]
    (RESULTS / "api_values.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
