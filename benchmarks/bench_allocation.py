"""Benchmark: :func:`equisante.allocation.allocate` over 35,000 communes with floors, caps and units.

Seeded communes (log-normal populations as French communes: many small, a few large; a deprivation
class 1–5 giving a gradient of need weights 1,5 → 1,0) share 10,000,000 doses: flat per capita,
with the gradient, with a floor of 50 doses and a cap of 0.1 % of the total, then the same in whole
boxes of 10 doses by largest remainder, plus a dated +10 % adjustment for three départements.
Writes ``benchmarks/results/allocation.json`` and ``.md``; the machine is shared, so the load
average is recorded with the figures.

    .venv/bin/python benchmarks/bench_allocation.py           # --communes 35000 --repeat 5
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
from datetime import date, datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from common import ROOT, timed  # noqa: E402  (benchmarks/common.py)

from equisante.allocation import Adjustment, allocate, apply_adjustments, class_weights, linear_gradient  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
SEED = 20261204
TOTAL = 10_000_000


def generate(n: int, seed: int = SEED) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    population = np.maximum(1, np.round(np.exp(rng.normal(6.3, 1.4, n)))).astype(int)
    departement = rng.choice([f"{d:02d}" for d in range(1, 96)], n)
    classes = rng.integers(1, 6, n)
    return pd.DataFrame({"code": [f"C{i:05d}" for i in range(n)], "departement": departement,
                         "population": population, "deprivation_class": classes,
                         "weight": class_weights(classes, linear_gradient(5, 1.5, 1.0))})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=35_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--output", type=Path, default=RESULTS / "allocation.json")
    args = parser.parse_args()
    load_before = os.getloadavg()
    communes = generate(args.communes)
    floor, cap = 50.0, TOTAL / 1000
    rule = Adjustment(("93", "77", "95"), 1.10, "sur-allocation aux départements les plus défavorisés",
                      starts=date(2021, 2, 15), column="departement")
    runs, checks = {}, {}
    cases = {
        "flat per capita": dict(),
        "gradient 1.5 → 1.0": dict(weight="weight"),
        "gradient + floor 50 + cap 0.1 % (10,000)": dict(weight="weight", floor=floor, cap=cap),
        "gradient + floor + cap, whole boxes of 10 (Hamilton)": dict(weight="weight", floor=floor, cap=cap, unit=10),
    }
    for name, options in cases.items():
        out, seconds = timed(lambda options=options: allocate(communes, TOTAL, **options), args.repeat)
        runs[name] = seconds
        x = out["allocation"]
        checks[name] = {"sum": float(x.sum()), "min": float(x.min()), "max": float(x.max()),
                        "at_floor": int((x <= floor + 1e-9).sum()) if "floor" in options else 0,
                        "at_cap": int((x >= cap - 1e-9).sum()) if "cap" in options else 0}
    out, seconds = timed(lambda: allocate(apply_adjustments(communes, [rule], on=date(2021, 3, 1), weight="weight"),
                                          TOTAL, weight="adjusted_weight", floor=floor, cap=cap, unit=10), args.repeat)
    runs["+10 % for three départements, then floor + cap + boxes"] = seconds
    checks["+10 % for three départements, then floor + cap + boxes"] = {"sum": float(out["allocation"].sum())}
    report = {
        "benchmark": "allocation",
        "communes": args.communes,
        "population": int(communes["population"].sum()),
        "total": TOTAL,
        "seed": SEED,
        "run_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {
            "platform": platform.platform(), "cpus": os.cpu_count(), "python": platform.python_version(),
            "numpy": np.__version__, "pandas": pd.__version__,
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
        },
        "seconds": {name: {"median": round(statistics.median(s), 4), "best": round(min(s), 4)}
                    for name, s in runs.items()},
        "checks": checks,
        "command": "python benchmarks/bench_allocation.py",
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    args.output.with_suffix(".md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report))


def markdown(report: dict) -> str:
    machine = report["machine"]
    lines = [
        "# Benchmark: allocation by proportionate universalism (`equisante.allocation.allocate`)",
        "",
        f"{report['communes']:,} synthetic communes (seed {report['seed']}, {report['population']:,} inhabitants) "
        f"share {report['total']:,} doses.",
        f"Run {report['run_at']} on {machine['platform']} ({machine['cpus']} CPUs), Python {machine['python']}, "
        f"NumPy {machine['numpy']}, pandas {machine['pandas']}.",
        f"The machine is shared with other processes: load average {machine['load_average_before'][0]} before "
        f"the run, {machine['load_average_after'][0]} after.",
        f"Command: `{report['command']}`",
        "",
        "| run | seconds (median) | seconds (best) | sum | at floor | at cap |",
        "|---|---|---|---|---|---|",
    ]
    for name, s in report["seconds"].items():
        c = report["checks"].get(name, {})
        lines.append(f"| {name} | {s['median']} | {s['best']} | {c.get('sum', 0):,.0f} | {c.get('at_floor', '')} "
                     f"| {c.get('at_cap', '')} |")
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
