"""Benchmark: import the 35,357 communes of France (2018) from GeoJSON into a fresh database.

Reads ``../shared/data/geo/communes-france-2018.geojson.gz`` (IGN ADMIN EXPRESS COG 2018, simplified;
46 MB of GeoJSON once unzipped), checks every feature, simplifies for the web and writes the
communes in one transaction, then imports the same file again (nothing changes: idempotence).
The file holds one self-intersecting commune (14174 Condé-en-Normandie), hence ``repair=True``.

Measures wall time of each import (and the process's CPU time: the database server's work is not in
it, and on a shared machine wall time also counts waiting for a core) and peak memory: ``ru_maxrss`` of the process (the resident set
at its highest, Python and GEOS included) and, with ``--tracemalloc``, the peak of Python's own
allocations (slows the run down: off by default). Writes ``benchmarks/results/import_communes.json``
and ``.md``.

    .venv/bin/python benchmarks/bench_import_communes.py                      # fresh SQLite in a temp dir
    .venv/bin/python benchmarks/bench_import_communes.py --database-url postgres:///test

With ``--database-url`` the benchmark runs in a new database ``<name>_bench_<pid>`` created on
that server and dropped afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
RESULTS = ROOT / "benchmarks" / "results"
DEFAULT_FILE = ROOT.parent / "shared" / "data" / "geo" / "communes-france-2018.geojson.gz"
TARGET_SECONDS, TARGET_BYTES = 60.0, 2 * 1024**3


def _peak_rss_bytes() -> int:
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _setup(database_url: str | None, data_dir: str) -> tuple[str, callable]:
    """Point Django at a fresh database; returns (description, cleanup)."""
    os.environ["EQUISANTE_DATA_DIR"] = data_dir
    cleanup = lambda: None  # noqa: E731
    if database_url:
        import dj_database_url
        import psycopg

        params = dj_database_url.parse(database_url)
        name = f"{params['NAME']}_bench_{os.getpid()}"
        admin = dict(dbname=params["NAME"], user=params.get("USER") or None, host=params.get("HOST") or None,
                     password=params.get("PASSWORD") or None, port=params.get("PORT") or None, autocommit=True)
        with psycopg.connect(**{k: v for k, v in admin.items() if v is not None}) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = database_url.rsplit("/", 1)[0] + "/" + name

        def cleanup() -> None:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(**{k: v for k, v in admin.items() if v is not None}) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')

        description = f"PostgreSQL (base temporaire {name})"
    else:
        os.environ.pop("DATABASE_URL", None)
        description = "SQLite (fichier neuf dans un dossier temporaire)"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "equisante.config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    return description, cleanup


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--database-url", default=None, help="PostgreSQL server to use (default: fresh SQLite)")
    parser.add_argument("--tracemalloc", action="store_true", help="also measure Python's allocation peak (slower)")
    parser.add_argument("--no-write", action="store_true", help="do not write benchmarks/results/")
    args = parser.parse_args()
    if not args.file.exists():
        sys.exit(f"fichier absent : {args.file}")

    with tempfile.TemporaryDirectory() as data_dir:
        database, cleanup = _setup(args.database_url, data_dir)
        try:
            from django.db import connection

            from equisante.territories.importing import import_territories
            from equisante.territories.models import Territory

            options = dict(level="commune", vintage=2018, parent_field=None, repair=True)
            if args.tracemalloc:
                tracemalloc.start()
            load_before = os.getloadavg()[0]  # other work on the machine lengthens wall time, not CPU time
            rss_before = _peak_rss_bytes()
            start, cpu = time.perf_counter(), _cpu_seconds()
            first = import_territories(args.file, **options)
            first_seconds, first_cpu = time.perf_counter() - start, _cpu_seconds() - cpu
            rss_first = _peak_rss_bytes()
            start, cpu = time.perf_counter(), _cpu_seconds()
            second = import_territories(args.file, **options)
            second_seconds, second_cpu = time.perf_counter() - start, _cpu_seconds() - cpu
            traced_peak = tracemalloc.get_traced_memory()[1] if args.tracemalloc else None
            rows = Territory.objects.filter(level="commune", vintage=2018).count()
            geometry_bytes = sum(len(g) for g in Territory.objects.values_list("geometry", flat=True).iterator())
            engine = connection.vendor
            if engine == "sqlite":
                version = ".".join(map(str, connection.Database.sqlite_version_info))
            else:
                version = f"{connection.pg_version // 10000}.{connection.pg_version % 10000}"
        finally:
            cleanup()

    run = {
        "database": database,
        "engine": f"{engine} {version}",
        "run_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_1min_at_start": round(load_before, 2),
        "python": platform.python_version(),
        "communes": first.total,
        "rows_in_database": rows,
        "first_import": {"seconds": round(first_seconds, 2), "cpu_seconds": round(first_cpu, 2),
                         "created": first.created, "updated": first.updated, "unchanged": first.unchanged,
                         "repaired": first.repaired},
        "second_import": {"seconds": round(second_seconds, 2), "cpu_seconds": round(second_cpu, 2),
                          "created": second.created, "updated": second.updated, "unchanged": second.unchanged},
        "peak_rss_bytes": _peak_rss_bytes(),
        "peak_rss_after_first_import_bytes": rss_first,
        "rss_before_bytes": rss_before,
        "tracemalloc_peak_bytes": traced_peak,
        "stored_geometry_bytes": geometry_bytes,
        "command": " ".join(["python", _script_name()] + sys.argv[1:]),
    }
    run["within_targets"] = first_seconds <= TARGET_SECONDS and run["peak_rss_bytes"] <= TARGET_BYTES
    print(json.dumps(run, indent=2, ensure_ascii=False))
    if not args.no_write:
        # One run per database engine: a PostgreSQL run keeps the SQLite figures beside it.
        path = RESULTS / "import_communes.json"
        try:
            result = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            result = {}
        result.update({"benchmark": "import_communes", "file": args.file.name, "file_bytes": args.file.stat().st_size,
                       "targets": {"seconds": TARGET_SECONDS, "bytes": TARGET_BYTES}})
        result.setdefault("runs", {})[engine] = run
        RESULTS.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        (RESULTS / "import_communes.md").write_text(_markdown(result), encoding="utf-8")


def _script_name() -> str:
    script = Path(sys.argv[0]).resolve()
    return str(script.relative_to(ROOT)) if script.is_relative_to(ROOT) else sys.argv[0]


def _markdown(result: dict) -> str:
    mib = 1024**2
    runs = [result["runs"][k] for k in ("sqlite", "postgresql") if k in result["runs"]]
    seconds, memory = result["targets"]["seconds"], result["targets"]["bytes"] / mib

    def row(label: str, cell, target: str = "") -> str:
        return f"| {label} | " + " | ".join(cell(r) for r in runs) + f" | {target} |"

    lines = [
        "# Benchmark: import of the communes of France",
        "",
        f"{runs[0]['communes']:,} communes from `{result['file']}` ({result['file_bytes'] / mib:.1f} MiB gzip, 46 MB "
        "of GeoJSON) into a fresh database: vintage 2018, every feature checked, geometries simplified (0.0005°) "
        "and rounded (5 decimals), `repair=True` (one self-intersecting commune); then the same file again "
        "(idempotence: everything unchanged). Peak memory is the process's `ru_maxrss` over both imports.",
        "",
        "| measure | " + " | ".join(r["engine"] for r in runs) + " | target |",
        "|---|" + "---|" * len(runs) + "---|",
        row("first import (35,357 created), wall time", lambda r: f"{r['first_import']['seconds']:.1f} s", f"≤ {seconds:.0f} s"),
        row("first import, CPU time of the Python process", lambda r: f"{r['first_import']['cpu_seconds']:.1f} s"),
        row("second import (all unchanged), wall time", lambda r: f"{r['second_import']['seconds']:.1f} s"),
        row("peak resident memory (ru_maxrss)", lambda r: f"{r['peak_rss_bytes'] / mib:.0f} MiB", f"≤ {memory:.0f} MiB"),
        row("peak of Python allocations (tracemalloc)",
            lambda r: f"{r['tracemalloc_peak_bytes'] / mib:.0f} MiB" if r["tracemalloc_peak_bytes"] else "not measured"),
        row("geometry stored (GeoJSON text)", lambda r: f"{r['stored_geometry_bytes'] / mib:.1f} MiB"),
        row("within targets", lambda r: "yes" if r["within_targets"] else "NO"),
        "",
    ]
    for r in runs:
        lines.append(f"- {r['engine']}: run {r['run_at']} on {r['platform']} ({r['cpus']} CPUs, load average "
                     f"{r['load_average_1min_at_start']} at start), Python {r['python']}; `{r['command']}`.")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
