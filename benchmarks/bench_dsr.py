"""Benchmark: directly standardised rates with Dobson limits for 35,000 areas × 19 age bands.

Times :func:`equisante.stats.dsr` and, in the same run and on the same generated data,
``PHStatsMethods.ph_dsr`` (PyPI ``phstatsmethods==0.1.16``, the Python port of the UK methods),
checks that both give the same values (maximum relative difference) and writes the figures to
``benchmarks/results/dsr.json`` and ``benchmarks/results/dsr.md``.

    .venv/bin/pip install phstatsmethods==0.1.16     # benchmark only, not a runtime dependency
    .venv/bin/python benchmarks/bench_dsr.py          # --areas 35000 --repeat 7

When PHStatsMethods cannot be imported here, the script looks for a separate environment in
``benchmarks/.work/venv-phstats`` and runs it there through a subprocess; otherwise it reports
equisante alone.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from equisante.stats import standardisation  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
SEPARATE_VENV = ROOT / "benchmarks" / ".work" / "venv-phstats"
BANDS = ["0-4"] + [f"{a}-{a + 4}" for a in range(5, 90, 5)] + ["90+"]
# Rough mortality per person-year by band (shape only; the data are synthetic).
RATES = np.array([8e-4, 1e-4, 1e-4, 2e-4, 4e-4, 5e-4, 6e-4, 8e-4, 1.1e-3, 1.6e-3, 2.5e-3, 4e-3, 6e-3,
                  9.5e-3, 1.5e-2, 2.5e-2, 4.5e-2, 8.5e-2, 0.17])


def generate(areas: int, seed: int = 20240611) -> pd.DataFrame:
    """One row per area and age band: area code, band label, deaths, population (seeded)."""
    rng = np.random.default_rng(seed)
    size = rng.lognormal(mean=np.log(1800), sigma=0.6, size=areas)  # people per band, per area
    shape = np.linspace(1.1, 0.25, len(BANDS))
    pop = np.maximum(1, np.round(size[:, None] * shape[None, :] * rng.uniform(0.8, 1.2, (areas, len(BANDS)))))
    deaths = rng.poisson(pop * RATES[None, :] * rng.uniform(0.6, 1.6, (areas, 1)))
    return pd.DataFrame({
        "area": np.repeat([f"E{i:08d}" for i in range(areas)], len(BANDS)),
        "ageband": np.tile(BANDS, areas),
        "count": deaths.ravel().astype(float),
        "pop": pop.ravel().astype(np.int64),
    })


def time_equisante(df: pd.DataFrame, repeat: int, **options) -> tuple[list[float], pd.DataFrame]:
    timings, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = standardisation.dsr(df, "count", "pop", by="area", **options)
        timings.append(time.perf_counter() - start)
    return timings, result


PHSTATS_SNIPPET = """
import contextlib, io, json, sys, time
import pandas as pd
from PHStatsMethods import ph_dsr
import importlib.metadata as md
df = pd.read_pickle(sys.argv[1])
start = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()):
    out = ph_dsr(df, "count", "pop", "ageband", group_cols="area")
seconds = time.perf_counter() - start
out.to_pickle(sys.argv[2])
print(json.dumps({"seconds": seconds, "version": md.version("phstatsmethods")}))
"""


def time_phstats(df: pd.DataFrame) -> tuple[dict, pd.DataFrame] | tuple[None, None]:
    """Run PHStatsMethods once (in-process if importable, else in the separate venv)."""
    try:
        import importlib.metadata as md

        from PHStatsMethods import ph_dsr
    except ImportError:
        python = SEPARATE_VENV / "bin" / "python"
        if not python.exists():
            return None, None
        with tempfile.TemporaryDirectory() as tmp:
            src, dst = Path(tmp) / "in.pkl", Path(tmp) / "out.pkl"
            df.to_pickle(src)
            done = subprocess.run([str(python), "-c", PHSTATS_SNIPPET, str(src), str(dst)], check=True,
                                  capture_output=True, text=True)
            info = json.loads(done.stdout.strip().splitlines()[-1])
            info["where"] = str(SEPARATE_VENV)
            return info, pd.read_pickle(dst)
    data = df.copy()
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):  # it prints the age-band join table
        out = ph_dsr(data, "count", "pop", "ageband", group_cols="area")
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "version": md.version("phstatsmethods"), "where": "same environment"}, out


def max_relative_difference(ours: pd.DataFrame, theirs: pd.DataFrame) -> dict:
    merged = ours.merge(theirs, on="area", how="outer", validate="one_to_one", indicator=True)
    assert (merged["_merge"] == "both").all(), "the two results do not cover the same areas"
    out = {}
    for mine, other in [("value", "Value"), ("lower", "lower_95_ci"), ("upper", "upper_95_ci"),
                        ("numerator", "Total Count"), ("denominator", "Total Pop")]:
        a = merged[mine].to_numpy(dtype=float)
        b = merged[other].to_numpy(dtype=float)
        same_missing = np.array_equal(np.isnan(a), np.isnan(b))
        both = ~np.isnan(a) & ~np.isnan(b)
        rel = np.abs(a[both] - b[both]) / np.maximum(np.abs(b[both]), np.finfo(float).tiny)
        out[mine] = {"max_relative_difference": float(rel.max()) if rel.size else 0.0,
                     "same_missing_values": bool(same_missing)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--areas", type=int, default=35_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--skip-phstats", action="store_true")
    parser.add_argument("--output", type=Path, default=RESULTS / "dsr.json")
    args = parser.parse_args()

    load_before = os.getloadavg()
    df = generate(args.areas)
    standardisation.dsr(df.head(19 * 10), "count", "pop", by="area", age_band="ageband")  # warm-up

    by_label, ours = time_equisante(df, args.repeat, age_band="ageband")
    by_order, ours_order = time_equisante(df, args.repeat)
    pd.testing.assert_frame_equal(ours, ours_order)
    phstats, theirs = (None, None) if args.skip_phstats else time_phstats(df)

    best = min(by_label)
    report = {
        "benchmark": "DSR with Dobson limits (ESP 2013, 95 %)",
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": " ".join(["python", "benchmarks/bench_dsr.py", *sys.argv[1:]]),
        "machine": {
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "numpy": np.__version__,
            "pandas": pd.__version__,
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "note": "shared machine: other processes were running during the measurement",
        },
        "data": {"areas": args.areas, "age_bands": len(BANDS), "rows": len(df), "seed": 20240611,
                 "areas_suppressed_below_10_events": int(ours["value"].isna().sum())},
        "equisante": {
            "seconds_best": best,
            "seconds_median": statistics.median(by_label),
            "repeats": args.repeat,
            "call": "dsr(df, 'count', 'pop', by='area', age_band='ageband')",
            "row_order_variant_seconds_best": min(by_order),
        },
        "phstatsmethods": None,
        "speedup": None,
        "speedup_vs_median": None,
        "comparison": None,
    }
    if phstats is not None:
        report["phstatsmethods"] = {**phstats, "call": "ph_dsr(df, 'count', 'pop', 'ageband', group_cols='area')"}
        report["speedup"] = phstats["seconds"] / best
        report["speedup_vs_median"] = phstats["seconds"] / statistics.median(by_label)
        report["comparison"] = max_relative_difference(ours, theirs)

    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    args.output.with_suffix(".md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report))


def markdown(report: dict) -> str:
    eq = report["equisante"]
    lines = [
        "# Benchmark: directly standardised rates (Dobson limits)",
        "",
        f"{report['data']['areas']:,} areas × {report['data']['age_bands']} age bands "
        f"({report['data']['rows']:,} rows, synthetic, seed {report['data']['seed']}), ESP 2013, 95 % limits.",
        f"Run {report['date']} on {report['machine']['platform']} ({report['machine']['cpus']} CPUs), "
        f"Python {report['machine']['python']}, NumPy {report['machine']['numpy']}, "
        f"pandas {report['machine']['pandas']}.",
        "The machine is shared with other processes (load average "
        f"{report['machine']['load_average_before'][0]} "
        f"before the run, {report['machine']['load_average_after'][0]} after); both implementations ran in the "
        "same run, on the same data, under the same load. Target (issue 3): at least 100× faster than "
        "PHStatsMethods, identical values.",
        f"Command: `{report['command'].strip()}`",
        "",
        "| implementation | seconds |",
        "|---|---|",
        f"| equisante `dsr` (bands matched by label), best of {eq['repeats']} | {eq['seconds_best']:.3f} |",
        f"| equisante `dsr` (bands by row order), best of {eq['repeats']} | {eq['row_order_variant_seconds_best']:.3f} |",
    ]
    ph = report["phstatsmethods"]
    if ph:
        lines.append(f"| PHStatsMethods {ph['version']} `ph_dsr`, one run | {ph['seconds']:.2f} |")
        lines += ["", f"Speed-up: **{report['speedup']:.0f}×** against equisante's best run "
                  f"({report['speedup_vs_median']:.0f}× against its median run).", "",
                  "Agreement (equisante vs PHStatsMethods):", ""]
        for name, c in report["comparison"].items():
            lines.append(f"- `{name}`: max relative difference {c['max_relative_difference']:.1e}, "
                         f"same missing values: {c['same_missing_values']}")
    else:
        lines += ["", "PHStatsMethods not available in this run."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
