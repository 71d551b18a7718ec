"""Benchmark: deciding statistical confidentiality over a whole region (issue: one published cube).

Two measures:

1. **Core** (:mod:`equisante.confidentiality`, no database): a synthetic region of 1,300 communes in
   8 départements and about 100 EPCI, 22 indicators × 3 sexes (both, women, men) × 4 periods (three
   years and their pooled period) at commune, EPCI, département and région levels — counts drawn
   from Poisson laws with small means so that many cells fall under the threshold, additive by
   construction. For each indicator: building the cube, deciding primary and secondary withholding
   with the visitor's audit, then the audit again on the result (must find nothing).
2. **Store** (``--store``): the demonstration generator at 1,300 communes loaded into a fresh SQLite
   database, then :func:`equisante.indicators.withholding.refresh` over every indicator (reading the
   values, deciding, writing the decisions), as an import does.

Writes ``benchmarks/results/confidentiality.json`` and ``confidentiality.md``. The machine is shared
(2 CPUs): the load average is recorded.

    .venv/bin/python benchmarks/bench_confidentiality.py [--communes 1300] [--indicators 22] [--store]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
RESULTS = ROOT / "benchmarks" / "results"
THRESHOLD = 10


def synthetic_indicator(rng, communes: int, departements: int, mean: float):
    """Cells and links of one indicator: counts per commune × year × sex, summed upwards."""
    years = ["2019", "2020", "2021"]
    commune_ids = [f"C{i:05d}" for i in range(communes)]
    dep_of = {c: f"D{i * departements // communes:02d}" for i, c in enumerate(commune_ids)}
    epci_of = {c: f"E{i // 13:04d}" for i, c in enumerate(commune_ids)}
    sizes = rng.gamma(0.8, mean, size=communes)
    base = {}
    for i, commune in enumerate(commune_ids):
        for year in years:
            for sex in ("F", "H"):
                base[(commune, year, sex)] = int(rng.poisson(sizes[i]))
    rows = []
    groups = {c: [c] for c in commune_ids}
    for commune in commune_ids:
        groups.setdefault(epci_of[commune], []).append(commune)
        groups.setdefault(dep_of[commune], []).append(commune)
        groups.setdefault("R", []).append(commune)
    for territory, members in groups.items():
        for year in years:
            f = sum(base[(m, year, "F")] for m in members)
            h = sum(base[(m, year, "H")] for m in members)
            rows += [(territory, year, "F", "", f), (territory, year, "H", "", h), (territory, year, "", "", f + h)]
        for sex in ("F", "H"):
            rows.append((territory, "2019-2021", sex, "", sum(base[(m, y, sex)] for m in members for y in years)))
        rows.append((territory, "2019-2021", "", "", sum(base[(m, y, s)] for m in members for y in years for s in "FH")))
    cells = pd.DataFrame(rows, columns=["territory", "period", "sex", "age_band", "count"])
    cells["flagged"] = False
    links = [(c, epci_of[c], 1.0, "commune") for c in commune_ids] + [(c, dep_of[c], 1.0, "commune") for c in commune_ids]
    links += [(d, "R", 1.0, "departement") for d in sorted(set(dep_of.values()))]
    return cells, pd.DataFrame(links, columns=["child", "parent", "share", "child_level"])


def core(communes: int, indicators: int) -> dict:
    from equisante.confidentiality.audit import exposed_cells
    from equisante.confidentiality.cube import build_cube
    from equisante.confidentiality.suppression import decide

    rng = np.random.default_rng(20261204)
    per = []
    for number in range(indicators):
        cells, links = synthetic_indicator(rng, communes, 8, mean=float(rng.choice([4, 8, 15, 40, 120])))
        started = time.perf_counter()
        cube = build_cube(cells, links, threshold=THRESHOLD)
        built = time.perf_counter()
        decision = decide(cube)
        decided = time.perf_counter()
        exposed = [i for i in exposed_cells([(r.total, r.parts) for r in cube.relations], decision.withheld)
                   if i < cube.stored]
        audited = time.perf_counter()
        per.append({"indicator": number + 1, "cells": cube.stored, "relations": len(cube.relations),
                    "primary": int(decision.primary[: cube.stored].sum()),
                    "secondary": int(decision.secondary[: cube.stored].sum()),
                    "build_s": round(built - started, 3), "decide_s": round(decided - built, 3),
                    "audit_s": round(audited - decided, 3), "exposed_after": len(exposed)})
        print(f"indicateur {number + 1:2d} : {cube.stored} cellules, {per[-1]['primary']} primaires, "
              f"{per[-1]['secondary']} secondaires, décision {decided - started:.2f} s, audit {audited - decided:.2f} s, "
              f"retrouvables {len(exposed)}", flush=True)
    cells = sum(p["cells"] for p in per)
    return {
        "communes": communes, "indicators": indicators, "cells": cells,
        "primary_share": round(sum(p["primary"] for p in per) / cells, 4),
        "secondary_share": round(sum(p["secondary"] for p in per) / cells, 4),
        "decide_total_s": round(sum(p["build_s"] + p["decide_s"] for p in per), 2),
        "audit_total_s": round(sum(p["audit_s"] for p in per), 2),
        "exposed_after": sum(p["exposed_after"] for p in per),
        "per_indicator": per,
    }


def store(communes: int) -> dict:
    os.environ["EQUISANTE_DATA_DIR"] = tempfile.mkdtemp(prefix="bench-confidentiality-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "equisante.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from equisante.demo import loading
    from equisante.demo.generator import generate_region
    from equisante.indicators import withholding

    loading.EXTRA_LOADERS = []
    region = generate_region(n_departements=8, n_communes=communes)
    loading.load_region(region)
    started = time.perf_counter()
    report = withholding.refresh()
    seconds = time.perf_counter() - started
    return {"communes": communes, "values": report.cells, "indicators": len(report.indicators),
            "primary": report.primary, "secondary": report.secondary, "refresh_s": round(seconds, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=1300)
    parser.add_argument("--indicators", type=int, default=22)
    parser.add_argument("--store", action="store_true", help="mesurer aussi la mise à jour dans la base (SQLite)")
    args = parser.parse_args()
    run = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "machine": platform.machine(),
           "cpus": os.cpu_count(), "load_average_1min_at_start": round(os.getloadavg()[0], 2),
           "threshold": THRESHOLD, "core": core(args.communes, args.indicators)}
    if args.store:
        run["store"] = store(args.communes)
    run["load_average_1min_at_end"] = round(os.getloadavg()[0], 2)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "confidentiality.json").write_text(json.dumps(run, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    c = run["core"]
    lines = [
        "# Secret statistique : décision sur toute une région", "",
        f"Mesuré le {run['date']} ({run['cpus']} processeurs, charge {run['load_average_1min_at_start']} au début, "
        f"{run['load_average_1min_at_end']} à la fin ; machine partagée).", "",
        f"- Cœur : {c['communes']} communes × {c['indicators']} indicateurs × 3 sexes × 4 périodes, niveaux commune, "
        f"EPCI, département, région : {c['cells']} cellules.",
        f"- Décision (cube, secret primaire et secondaire, audit itéré) : {c['decide_total_s']} s ; "
        f"audit final : {c['audit_total_s']} s ; valeurs masquées retrouvables après : {c['exposed_after']}.",
        f"- Part des cellules masquées : primaire {100 * c['primary_share']:.1f} %, secondaire "
        f"{100 * c['secondary_share']:.1f} %.",
    ]
    if "store" in run:
        s = run["store"]
        lines.append(f"- Base (SQLite, générateur de démonstration à {s['communes']} communes) : {s['values']} valeurs de "
                     f"{s['indicators']} indicateurs décidées et écrites en {s['refresh_s']} s "
                     f"({s['primary']} primaires, {s['secondary']} secondaires).")
    (RESULTS / "confidentiality.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
