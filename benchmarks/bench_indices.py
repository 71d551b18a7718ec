"""Benchmark: FDep and IDH-2 for the 35,357 communes of France (2018), on synthetic variables.

Reads the commune codes (the ``code`` property only) from
``../shared/data/geo/communes-france-2018.geojson.gz`` with gzip + json, generates seeded,
correlated commune variables (one latent deprivation level drives income, baccalauréat share,
blue-collar share, unemployment, life expectancy and diploma share), then times:

- :func:`equisante.indices.fdep`, unweighted (Rey et al.) and population-weighted;
- :func:`equisante.indices.idh2`, observed bounds, and fixed bounds with log income;
- population-weighted FDep quintiles and département means (``quantile_classes``,
  ``weighted_mean_by``), and the IDH-2 eligibility rule with its French reasons (``eligible``).

Target: FDep + IDH-2 for all communes in at most 2 s. Figures go to
``benchmarks/results/indices.json`` and ``benchmarks/results/indices.md``.

    .venv/bin/python benchmarks/bench_indices.py            # --repeat 7 --seed 20240611
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from equisante import indices  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
COMMUNES = ROOT.parent / "shared" / "data" / "geo" / "communes-france-2018.geojson.gz"
TARGET_S = 2.0
FDEP_COLUMNS = ("revenu_median_uc", "part_bac", "part_ouvriers", "taux_chomage")
RULE = indices.Rule("IDH-2 < 0.52", "idh2", "<", 0.52, valid_from="2010-01-01",
                    exceptions=[("92004", "quartiers politique de la ville")])


def read_codes(path: Path) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        collection = json.load(handle)
    return [feature["properties"]["code"] for feature in collection["features"]]


def generate(codes: list[str], seed: int) -> pd.DataFrame:
    """One row per commune: population and six variables sharing one latent deprivation level."""
    rng = np.random.default_rng(seed)
    n = len(codes)
    level = rng.normal(size=n)
    population = np.maximum(1, np.round(rng.lognormal(np.log(450), 1.4, n))).astype(np.int64)
    noise = lambda sd: rng.normal(0, sd, n)  # noqa: E731
    return pd.DataFrame({
        "code": codes,
        "departement": [c[:3] if c.startswith("97") else c[:2] for c in codes],
        "population": population,
        "revenu_median_uc": np.maximum(8000, 21500 - 2600 * level + noise(1800)),
        "part_bac": np.clip(44 - 8 * level + noise(6), 0, 100),
        "part_ouvriers": np.clip(26 + 6 * level + noise(6), 0, 100),
        "taux_chomage": np.clip(10 + 3 * level + noise(2.5), 0, 100),
        "esperance_vie": 82.5 - 1.6 * level + noise(1.2),
        "part_diplomes": np.clip(70 - 7 * level + noise(5), 0, 100),
    })


def timed(function, repeat: int):
    timings, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - start)
    return timings, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=20240611)
    parser.add_argument("--communes", type=Path, default=COMMUNES)
    args = parser.parse_args()

    if not args.communes.exists():
        print(f"Fichier des communes absent ({args.communes}) : benchmark ignoré.")
        return 0
    start = time.perf_counter()
    codes = read_codes(args.communes)
    read_s = time.perf_counter() - start
    df = generate(codes, args.seed)

    cases = {
        "fdep (unweighted, Rey et al. 2009)": lambda: indices.fdep(df, *FDEP_COLUMNS),
        "fdep (population-weighted)": lambda: indices.fdep(df, *FDEP_COLUMNS, weights="population"),
        "idh2 (observed bounds)": lambda: indices.idh2(df, "esperance_vie", "part_diplomes", "revenu_median_uc"),
        "idh2 (fixed bounds, log income)": lambda: indices.idh2(
            df, "esperance_vie", "part_diplomes", "revenu_median_uc", log_income=True,
            bounds={"health": (75, 88), "education": (30, 95), "income": (9000, 45000)}),
    }
    timings, results = {}, {}
    first_call = {}
    for name, function in cases.items():
        start = time.perf_counter()
        function()
        first_call[name] = time.perf_counter() - start
        timings[name], results[name] = timed(function, args.repeat)

    scored = df.assign(fdep=results["fdep (unweighted, Rey et al. 2009)"]["fdep"])
    extra = {
        "FDep quintiles (population-weighted)": lambda: indices.quantile_classes(
            scored, "fdep", population="population"),
        "FDep quintiles (PHE, equisante.stats.quantiles)": lambda: indices.quantile_classes(
            scored, "fdep", method="phe"),
        "FDep by département (population-weighted mean)": lambda: indices.weighted_mean_by(
            scored, "fdep", "population", "departement"),
        "eligibility IDH-2 < 0.52 with reasons": lambda: indices.eligible(
            scored.assign(idh2=results["idh2 (observed bounds)"]["idh2"]), RULE, code="code", on="2014-02-17"),
    }
    for name, function in extra.items():
        start = time.perf_counter()
        function()
        first_call[name] = time.perf_counter() - start
        timings[name], results[name] = timed(function, args.repeat)

    best = {name: min(t) for name, t in timings.items()}
    core = best["fdep (unweighted, Rey et al. 2009)"] + best["idh2 (observed bounds)"]
    fdep_result = results["fdep (unweighted, Rey et al. 2009)"]
    quintiles = results["FDep quintiles (population-weighted)"]
    shares = quintiles.attrs["population_share"]
    record = {
        "benchmark": "indices",
        "run_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": "python benchmarks/bench_indices.py" + ("" if args.repeat == 7 else f" --repeat {args.repeat}"),
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count(), "python": platform.python_version(),
                    "numpy": np.__version__, "pandas": pd.__version__},
        "communes": len(df),
        "seed": args.seed,
        "read_codes_s": read_s,
        "repeat": args.repeat,
        "best_s": best,
        "median_s": {name: statistics.median(t) for name, t in timings.items()},
        "first_call_s": first_call,
        "fdep_plus_idh2_best_s": core,
        "target_s": TARGET_S,
        "within_target": core <= TARGET_S,
        "fdep": {"loadings": fdep_result.attrs["loadings"],
                 "explained_variance_ratio": fdep_result.attrs["explained_variance_ratio"]},
        "weighted_quintile_population_share": {str(k): v for k, v in shares.items()},
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "indices.json").write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (RESULTS / "indices.md").write_text(markdown(record), encoding="utf-8")
    print(markdown(record))
    return 0


def markdown(r: dict) -> str:
    m = r["machine"]
    lines = [
        "# Benchmark: FDep and IDH-2 for every commune",
        "",
        f"{r['communes']:,} communes (codes of `communes-france-2018.geojson.gz`; variables synthetic, correlated, "
        f"seed {r['seed']}). Reading the codes took {r['read_codes_s']:.2f} s (not timed below).",
        f"Run {r['run_at']} on {m['platform']} ({m['cpus']} CPUs), Python {m['python']}, NumPy {m['numpy']}, "
        f"pandas {m['pandas']}.",
        f"Command: `{r['command']}`",
        "",
        f"| operation | best of {r['repeat']} (s) | median (s) | first call (s) |",
        "|---|---|---|---|",
    ]
    for name in r["best_s"]:
        best, median, first = r["best_s"][name], r["median_s"][name], r["first_call_s"][name]
        lines.append(f"| {name} | {best:.4f} | {median:.4f} | {first:.4f} |")
    verdict = "within" if r["within_target"] else "OVER"
    loadings = ", ".join(f"{k} {v:+.3f}" for k, v in r["fdep"]["loadings"].items())
    shares = ", ".join(f"{k}: {v:.4f}" for k, v in r["weighted_quintile_population_share"].items())
    lines += [
        "",
        f"FDep + IDH-2 (best): **{r['fdep_plus_idh2_best_s']:.3f} s** — {verdict} the {r['target_s']:.0f} s target.",
        "",
        f"FDep loadings: {loadings}; explained variance {r['fdep']['explained_variance_ratio']:.3f}.",
        f"Population share of the weighted quintiles (1 = most deprived): {shares}.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
