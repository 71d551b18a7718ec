"""Benchmark: individual records aggregated by commune × age band × sex, DuckDB and Spark (local mode).

Generates synthetic records (:func:`equisante.records.synthetic.generate_records`, Parquet, in a
git-ignored folder: ``/tmp/equisante-records-bench`` by default) at 1 M, 10 M and 100 M rows, then for
each size and engine runs, in a fresh process, the aggregation of a definition that counts hospital
stays (events) and distinct affiliated persons by commune (mapped through the merger history) × ESP age
band × sex, and a plain ``count_rows`` by commune × sex × year. It measures wall time and the peak
resident memory of the whole process tree (the JVM included for Spark, sampled every 0.1 s from
/proc), checks that both engines give identical counts, and writes ``benchmarks/results/records.json``
and ``records.md``.

DuckDB runs with a memory limit well below the size of the data in memory (``--duckdb-memory``,
default 1GB), so the figures show that the data never need to fit in memory.

    .venv/bin/python benchmarks/bench_records.py                       # 1M, 10M, 100M; duckdb and spark
    .venv/bin/python benchmarks/bench_records.py --sizes 1000000 --engines duckdb
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
RESULTS = ROOT / "benchmarks" / "results"

DEFINITION = {
    "code": "bench_sejours",
    "label": "Séjours hospitaliers et personnes affiliées",
    "statistic": "rate",
    "unit": "pour 1 000",
    "years": [2019, 2021],
    "pooled": True,
    "age": {"at": "2021-01-01", "bands": "esp2013"},
    "numerator": {"count": "events", "where": {"event": ["sejour_diabete", "sejour_autre"]}},
    "denominator": {"count": "persons", "where": {"event": "affiliation"}},
    "breakdowns": ["territory", "age_band", "sex", "period"],
}


def label(rows: int) -> str:
    return f"{rows // 1_000_000}M" if rows >= 1_000_000 else str(rows)


def one(args) -> None:
    """Run one measurement in this process and print a JSON line."""
    from equisante.demo.generator import generate_region
    from equisante.records import engines
    from equisante.records.codes import code_table, read_history
    from equisante.records.definition import parse_definition

    folder = Path(args.folder)
    definition = parse_definition(DEFINITION)
    codes = code_table(generate_region(2024, with_iris=False).communes["code"],
                       read_history(folder / "mouvements_communes.csv"), vintage=2024)
    options = engines.EngineOptions(threads=2, memory_limit=args.duckdb_memory,
                                    temp_directory=str(Path(args.work) / "spill"),
                                    spark_memory=args.spark_memory)
    startup_s = 0.0
    if args.engine == "spark":  # start the session (JVM) apart: later calls reuse it
        started = time.perf_counter()
        engines._Spark(engines.record_files([folder]), options, None)
        startup_s = time.perf_counter() - started
    started = time.perf_counter()
    counts = engines.aggregate(definition, [folder], codes=codes, engine=args.engine, options=options)
    aggregate_s = time.perf_counter() - started
    started = time.perf_counter()
    plain = engines.count_rows([folder], ["commune", "sex", "year"], engine=args.engine, options=options)
    count_s = time.perf_counter() - started
    out = Path(args.work) / f"counts-{args.engine}-{folder.name}.parquet"
    counts.to_parquet(out)
    plain.to_parquet(out.with_name(out.stem + "-plain.parquet"))
    print(json.dumps({"startup_s": round(startup_s, 2), "aggregate_s": round(aggregate_s, 2), "count_s": round(count_s, 2), "cells": len(counts),
                      "numerator": int(counts["numerator"].sum()), "denominator": int(counts["denominator"].sum()),
                      "unmapped_denominator": int(counts.loc[counts["territory"].isna(), "denominator"].sum()),
                      "plain_rows": int(plain["n"].sum()), "output": str(out)}), flush=True)


def _tree_rss(root: int) -> int:
    """Resident memory (bytes) of ``root`` and all its descendants."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * page
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [root]
    children: dict[int, list[int]] = {}
    for pid, ppid in parents.items():
        children.setdefault(ppid, []).append(pid)
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def measure(engine: str, folder: Path, args) -> dict:
    command = [sys.executable, __file__, "--one", "--engine", engine, "--folder", str(folder), "--work", args.work,
               "--duckdb-memory", args.duckdb_memory, "--spark-memory", args.spark_memory]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss(process.pid))
        time.sleep(0.1)
    wall = time.perf_counter() - started
    output = process.stdout.read().strip().splitlines()
    if process.returncode != 0 or not output:
        return {"engine": engine, "error": f"exit {process.returncode}"}
    result = json.loads(output[-1])
    result.update({"engine": engine, "process_s": round(wall, 2), "peak_rss_mib": round(peak / 2**20)})
    return result


def data_size(folder: Path) -> tuple[int, int]:
    """(bytes on disk, bytes of the data once in memory as Arrow columns, text columns dictionary-encoded:
    measured on the first file, scaled to all rows)."""
    import pyarrow.parquet as pq

    files = sorted(folder.glob("*.parquet"))
    disk = sum(p.stat().st_size for p in files)
    rows = sum(pq.ParquetFile(p).metadata.num_rows for p in files)
    first = pq.read_table(files[0])
    return disk, int(first.nbytes / first.num_rows * rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000000,10000000,100000000")
    parser.add_argument("--engines", default="duckdb,spark")
    parser.add_argument("--data", default="/tmp/equisante-records-bench")
    parser.add_argument("--work", default="/tmp/equisante-records-bench/work")
    parser.add_argument("--duckdb-memory", default="1GB")
    parser.add_argument("--spark-memory", default="2g")
    parser.add_argument("--name", default="records", help="results file names (benchmarks/results/NAME.json, .md)")
    parser.add_argument("--one", action="store_true")
    parser.add_argument("--engine")
    parser.add_argument("--folder")
    args = parser.parse_args()
    if args.one:
        one(args)
        return
    Path(args.work).mkdir(parents=True, exist_ok=True)
    from equisante.records.synthetic import generate_records

    runs = []
    for rows in [int(s) for s in args.sizes.split(",")]:
        folder = Path(args.data) / label(rows)
        marker = folder / "rows.txt"
        generation_s = None
        if not marker.exists() or marker.read_text().strip() != str(rows):
            started = time.perf_counter()
            generate_records(rows, folder, chunk_rows=4_000_000)
            generation_s = round(time.perf_counter() - started, 1)
            marker.write_text(str(rows))
        disk, memory = data_size(folder)
        for engine in args.engines.split(","):
            result = measure(engine, folder, args)
            result.update({"rows": rows, "generation_s": generation_s, "parquet_mib": round(disk / 2**20),
                           "uncompressed_mib": round(memory / 2**20)})
            print(json.dumps(result), flush=True)
            runs.append(result)
        # Identical counts on every engine.
        import pandas as pd

        frames = {r["engine"]: pd.read_parquet(r["output"]) for r in runs if r["rows"] == rows and "output" in r}
        if len(frames) > 1:
            first = next(iter(frames.values()))
            same = all(first.equals(f) for f in frames.values())
            for r in runs:
                if r["rows"] == rows:
                    r["identical_counts"] = same
    write(runs, args)


def write(runs: list[dict], args) -> None:
    import duckdb

    try:
        import pyspark

        spark_version = pyspark.__version__
    except ImportError:
        spark_version = "absent"
    meta = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": f"{platform.platform()} ({os.cpu_count()} CPUs, "
                   f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB)",
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "pyspark": spark_version,
        "duckdb_memory_limit": args.duckdb_memory,
        "spark_driver_memory": args.spark_memory,
        "threads": 2,
        "load_average_at_end": [round(x, 1) for x in os.getloadavg()],
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{args.name}.json").write_text(json.dumps({"meta": meta, "runs": runs}, indent=2), encoding="utf-8")
    lines = [
        "# Benchmark: individual records → counts by commune × age band × sex",
        "",
        f"Run {meta['date']} on {meta['machine']}, Python {meta['python']}, DuckDB {meta['duckdb']}, "
        f"PySpark {meta['pyspark']} (Spark local mode, `local[*]`). Threads: 2. DuckDB memory limit "
        f"{meta['duckdb_memory_limit']}; Spark driver memory {meta['spark_driver_memory']}. Load average at the "
        f"end (1, 5, 15 min): {meta['load_average_at_end']} — other work shares the machine.",
        "Command: `python benchmarks/bench_records.py` (records generated in /tmp, never committed).",
        "",
        "Aggregation: hospital stays (events) and distinct affiliated persons, 2019-2021 pooled, by commune "
        "(codes of the year mapped to the 2024 communes through the merger history; unmapped codes counted "
        "apart) × 19 ESP age bands (age on 1 January 2021) × sex. Plain count: rows by commune × sex × year. "
        "Peak memory: resident memory of the whole process tree (JVM included), interpreter and libraries "
        "included.",
        "",
        "| rows | Parquet on disk (MiB) | data in memory as Arrow (MiB) | engine | Spark start (s) | aggregation (s) "
        "| plain count (s) | whole process (s) | peak memory (MiB) | cells | identical counts |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        if "error" in r:
            lines.append(f"| {r['rows']:,} | | | {r['engine']} | | {r['error']} | | | | | |")
            continue
        lines.append(f"| {r['rows']:,} | {r['parquet_mib']} | {r['uncompressed_mib']} | {r['engine']} | "
                     f"{r['startup_s'] if r['engine'] == 'spark' else '—'} | {r['aggregate_s']} | {r['count_s']} | {r['process_s']} | {r['peak_rss_mib']} | "
                     f"{r['cells']:,} | {r.get('identical_counts', '—')} |")
    (RESULTS / f"{args.name}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
