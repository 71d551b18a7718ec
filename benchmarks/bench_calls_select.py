"""Benchmark: the committee's optimal proposal (:func:`equisante.calls.select`) on 5,000 applications.

Generates seeded applications (scores 0–100 with two decimals, amounts 5,000–300,000 €, 13
départements, scores loosely correlated with the amount as in real calls) and times ``select`` for an
envelope of 10 % of the total requested: budget only, then with at least 5 projects per département,
then :func:`equisante.calls.explain` for the left-out applications. Also records the gap between the
optimum and the greedy choice by decreasing score (what a ranking alone would fund). Writes
``benchmarks/results/calls_select.json`` and ``.md``; the machine is shared, so the load average is
recorded with the figures.

    .venv/bin/python benchmarks/bench_calls_select.py           # --applications 5000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd
import scipy

from common import ROOT, timed  # noqa: E402  (benchmarks/common.py)

from equisante.calls import explain, select  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
SEED = 20261204


def generate(n: int, seed: int = SEED) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    cost = rng.integers(1, 60, n) * 5000.0
    score = np.clip(40 + 20 * rng.standard_normal(n) + cost / 30000, 0, 100).round(2)
    departement = rng.choice([f"{d:02d}" for d in range(1, 14)], n)
    # one département files weaker applications: the coverage wish then costs points
    score = np.where(departement == "13", np.clip(score - 30, 0, 100), score).round(2)
    return pd.DataFrame({"score": score, "cost": cost, "departement": departement},
                        index=[f"A{i:05d}" for i in range(n)])


def greedy(table: pd.DataFrame, budget: float) -> float:
    total = spent = 0.0
    for score, cost in table.sort_values("score", ascending=False)[["score", "cost"]].itertuples(index=False):
        if spent + cost <= budget:
            spent += cost
            total += score
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--output", type=Path, default=RESULTS / "calls_select.json")
    args = parser.parse_args()
    load_before = os.getloadavg()
    table = generate(args.applications)
    budget = float(0.10 * table["cost"].sum())
    runs = {}
    plain, seconds = timed(lambda: select(table, budget=budget), args.repeat)
    runs["budget only"] = seconds
    covered, seconds = timed(lambda: select(table, budget=budget, cover="departement", min_per_group=5),
                             args.repeat)
    runs["budget + at least 5 per département (13)"] = seconds
    binding, seconds = timed(lambda: select(table, budget=budget, cover="departement", min_per_group=80),
                             args.repeat)
    runs["budget + at least 80 per département (binding)"] = seconds
    reasons, seconds = timed(lambda: explain(binding, budget=budget, cover="departement", min_per_group=80),
                             args.repeat)
    runs["explain (reasons for the left-out, 80 per département)"] = seconds
    optimum = float(plain.loc[plain["selected"], "score"].sum())
    report = {
        "benchmark": "calls_select",
        "applications": args.applications,
        "seed": SEED,
        "budget": budget,
        "run_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {
            "platform": platform.platform(), "cpus": os.cpu_count(), "python": platform.python_version(),
            "numpy": np.__version__, "pandas": pd.__version__, "scipy": scipy.__version__,
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
        },
        "seconds": {name: {"median": round(statistics.median(s), 3), "best": round(min(s), 3)}
                    for name, s in runs.items()},
        "selected": {"budget only": int(plain["selected"].sum()),
                     "with coverage": int(covered["selected"].sum())},
        "total_score": {"optimum": round(optimum, 2),
                        "with coverage": round(float(covered.loc[covered["selected"], "score"].sum()), 2),
                        "with 80 per département": round(float(binding.loc[binding["selected"], "score"].sum()), 2),
                        "greedy by score": round(greedy(table, budget), 2)},
        "left_out_explained": {"count": int(len(reasons)),
                               "by reason": {k: int(v) for k, v in reasons["reason"].value_counts().items()}},
        "command": "python benchmarks/bench_calls_select.py",
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    args.output.with_suffix(".md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report))


def markdown(report: dict) -> str:
    machine = report["machine"]
    lines = [
        "# Benchmark: optimal selection of a call's applications (`equisante.calls.select`)",
        "",
        f"{report['applications']:,} synthetic applications (seed {report['seed']}), envelope "
        f"{report['budget']:,.0f} € (10 % of the total requested), exact 0-1 programme (scipy "
        f"{machine['scipy']} `milp`, HiGHS, zero optimality gap).",
        f"Run {report['run_at']} on {machine['platform']} ({machine['cpus']} CPUs), Python {machine['python']}, "
        f"NumPy {machine['numpy']}, pandas {machine['pandas']}.",
        f"The machine is shared with other processes: load average {machine['load_average_before'][0]} before "
        f"the run, {machine['load_average_after'][0]} after.",
        f"Command: `{report['command']}`",
        "",
        "| run | seconds (median) | seconds (best) |",
        "|---|---|---|",
    ]
    for name, s in report["seconds"].items():
        lines.append(f"| {name} | {s['median']} | {s['best']} |")
    totals = report["total_score"]
    lines += [
        "",
        f"Selected: {report['selected']['budget only']} applications (budget only), "
        f"{report['selected']['with coverage']} with the coverage.",
        f"Total score: optimum {totals['optimum']}, with coverage {totals['with coverage']}, with 80 per "
        f"département {totals['with 80 per département']}, "
        f"greedy by decreasing score {totals['greedy by score']} (what funding the ranking would give).",
        f"Left-out applications scored above the lowest retained one, explained: "
        f"{report['left_out_explained']['count']} ({report['left_out_explained']['by reason']}).",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
