"""Benchmark: IDH-2 and FDep of the 35,357 communes of France computed *from the indicator store*.

``bench_indices.py`` times the pure functions on a DataFrame. This one times what the application
does: the 2018 communes (codes of ``../shared/data/geo/communes-france-2018.geojson.gz``, grouped in
their départements) and seeded, correlated variables are written to a fresh SQLite database as
indicator values (six indicators, 212,142 values) with populations; then it times

- ``compute_levels(idh2, [commune, departement])`` and the same for FDep: reading the values,
  choosing periods, applying confidentiality, the core index, storing 35,357 + 96 results;
- ``classify`` under the rule "IDH-2 < 0,52" (eligibility with French reasons for every commune),
  and weighted FDep quintiles;
- the page ``/priorisation/`` for the communes (ranked table, no map above 5,000 territories) and
  for the départements, rendered server-side (median of repeated requests).

Figures go to ``benchmarks/results/prioritisation.json`` and ``.md``.

    .venv/bin/python benchmarks/bench_prioritisation.py            # --repeat 5 --seed 20240611
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
RESULTS = ROOT / "benchmarks" / "results"
COMMUNES = ROOT.parent / "shared" / "data" / "geo" / "communes-france-2018.geojson.gz"
TARGET_S = 2.0


def read_codes(path: Path) -> list[tuple[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        collection = json.load(handle)
    return [(f["properties"]["code"], f["properties"].get("nom") or f["properties"]["code"])
            for f in collection["features"]]


def setup_database() -> None:
    os.environ["EQUISANTE_DATA_DIR"] = tempfile.mkdtemp(prefix="bench-prioritisation-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "equisante.config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def populate(communes: list[tuple[str, str]], seed: int) -> float:
    """Territories, populations and six indicators' values; returns the seconds taken."""
    from equisante.indicators.models import Indicator, Value
    from equisante.prioritisation.definitions import standard_definitions
    from equisante.prioritisation.models import IndexDefinition
    from equisante.territories.models import Population, Territory

    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    n = len(communes)
    level = rng.normal(size=n)
    noise = lambda sd: rng.normal(0, sd, n)  # noqa: E731
    columns = {
        "b-revenu": np.maximum(8000, 21500 - 2600 * level + noise(1800)),
        "b-bac": np.clip(44 - 8 * level + noise(6), 0, 100),
        "b-ouvriers": np.clip(26 + 6 * level + noise(6), 0, 100),
        "b-chomage": np.clip(10 + 3 * level + noise(2.5), 0, 100),
        "b-esperance-vie": 82.5 - 1.6 * level + noise(1.2),
        "b-diplomes": np.clip(70 - 7 * level + noise(5), 0, 100),
    }
    population = np.maximum(1, np.round(rng.lognormal(np.log(450), 1.4, n))).astype(int)

    region = Territory.objects.create(level="region", code="FR", name="France")
    departements = {}
    for code, _name in communes:
        dep = code[:3] if code.startswith("97") else code[:2]
        if dep not in departements:
            departements[dep] = Territory(level="departement", code=dep, name=f"Département {dep}", parent=region)
    Territory.objects.bulk_create(departements.values(), batch_size=1000)
    departements = {t.code: t for t in Territory.objects.filter(level="departement")}
    Territory.objects.bulk_create(
        [Territory(level="commune", code=code, name=name,
                   parent=departements[code[:3] if code.startswith("97") else code[:2]]) for code, name in communes],
        batch_size=2000)
    ids = dict(Territory.objects.filter(level="commune").values_list("code", "id"))
    Population.objects.bulk_create([Population(territory_id=ids[code], year=2021, population=int(p))
                                    for (code, _n), p in zip(communes, population)], batch_size=5000)
    units = {"b-revenu": "€", "b-esperance-vie": "années"}
    for code, values in columns.items():
        indicator = Indicator.objects.create(code=code, label=code, unit=units.get(code, "%"),
                                             multiplier=1 if code in units else 100)
        period = "2019-2021" if code == "b-esperance-vie" else "2021"
        Value.objects.bulk_create([Value(indicator=indicator, territory_id=ids[c], period=period, value=float(v),
                                         state="ok") for (c, _n), v in zip(communes, values)], batch_size=5000)
    codes = {"life_expectancy": "b-esperance-vie", "diploma_share": "b-diplomes", "income": "b-revenu",
             "bac_share": "b-bac", "blue_collar_share": "b-ouvriers", "unemployment": "b-chomage"}
    for data in standard_definitions({**{k: k for k in ("overcrowding", "no_heating", "non_owner", "foreign",
                                                         "no_car", "unskilled_workers", "large_households",
                                                         "low_education", "single_parent")}, **codes}):
        if data["code"] != "edi":
            IndexDefinition.objects.create(**data)
    return time.perf_counter() - started


def timed(function, repeat: int):
    timings, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - start)
    return timings, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20240611)
    parser.add_argument("--communes", type=Path, default=COMMUNES)
    args = parser.parse_args()
    if not args.communes.exists():
        print(f"Fichier des communes absent ({args.communes}) : benchmark ignoré.")
        return 0

    start = time.perf_counter()
    communes = read_codes(args.communes)
    read_s = time.perf_counter() - start
    setup_database()
    populate_s = populate(communes, args.seed)

    from django.test import Client

    from equisante.prioritisation import rules
    from equisante.prioritisation.classing import classify
    from equisante.prioritisation.computing import compute_levels
    from equisante.prioritisation.models import IndexDefinition

    idh2, fdep = IndexDefinition.objects.get(code="idh2"), IndexDefinition.objects.get(code="fdep")
    cases = {
        "IDH-2 from the store, communes + départements (read, compute, store)":
            lambda: compute_levels(idh2, ["commune", "departement"]),
        "FDep from the store, communes + départements (read, compute, store)":
            lambda: compute_levels(fdep, ["commune", "departement"]),
    }
    timings, results = {}, {}
    for name, function in cases.items():
        timings[name], results[name] = timed(function, args.repeat)
    idh2_communes = results["IDH-2 from the store, communes + départements (read, compute, store)"]["commune"]
    fdep_communes = results["FDep from the store, communes + départements (read, compute, store)"]["commune"]
    cls = rules.save_rule(idh2, code="cls", label="IDH-2 < 0,52", operator="<", threshold=0.52,
                          valid_from="2011-01-01", eligibility=True, primary=True,
                          exceptions=[{"code": "92004", "reason": "quartiers politique de la ville"}])
    quintiles = rules.save_rule(fdep, code="q5", label="Quintiles de FDep", kind="quantile", classes=5,
                                quantile_method="weighted", primary=True)
    extra = {
        "classify: IDH-2 < 0,52 with reasons, 35,357 communes":
            lambda: classify(idh2_communes, cls, on=date(2014, 2, 17)),
        "classify: weighted FDep quintiles, 35,357 communes": lambda: classify(fdep_communes, quintiles),
    }
    for name, function in extra.items():
        timings[name], results[name] = timed(function, args.repeat)
    eligible = int(results["classify: IDH-2 < 0,52 with reasons, 35,357 communes"].rows["eligible"].sum())

    client = Client(HTTP_HOST="localhost")
    pages = {
        "page /priorisation/ (IDH-2, communes: ranked table, no map)": "/priorisation/?index=idh2&level=commune",
        "page /priorisation/ (FDep quintiles, départements, with map data)":
            "/priorisation/?index=fdep&level=departement",
    }
    for name, url in pages.items():
        client.get(url)  # warm-up (templates, translations)
        timings[name], response = timed(lambda url=url: client.get(url), args.repeat)
        assert response.status_code == 200, (url, response.status_code)

    core = (statistics.median(timings["IDH-2 from the store, communes + départements (read, compute, store)"])
            + statistics.median(timings["FDep from the store, communes + départements (read, compute, store)"]))
    record = {
        "benchmark": "prioritisation",
        "run_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": "python benchmarks/bench_prioritisation.py" + ("" if args.repeat == 5 else f" --repeat {args.repeat}"),
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count(), "python": platform.python_version(),
                    "database": "SQLite (fichier temporaire)"},
        "communes": len(communes),
        "values_stored": 6 * len(communes),
        "seed": args.seed,
        "read_codes_s": read_s,
        "populate_s": populate_s,
        "repeat": args.repeat,
        "median_s": {name: statistics.median(t) for name, t in timings.items()},
        "best_s": {name: min(t) for name, t in timings.items()},
        "idh2_plus_fdep_from_store_median_s": core,
        "target_s": TARGET_S,
        "eligible_communes": eligible,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "prioritisation.json").write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n",
                                                 encoding="utf-8")
    (RESULTS / "prioritisation.md").write_text(markdown(record), encoding="utf-8")
    print(markdown(record))
    return 0


def markdown(r: dict) -> str:
    m = r["machine"]
    lines = [
        "# Benchmark: IDH-2 and FDep of every commune, from the indicator store",
        "",
        f"{r['communes']:,} communes (codes of `communes-france-2018.geojson.gz`), {r['values_stored']:,} indicator "
        f"values (synthetic, correlated, seed {r['seed']}) in {m['database']}. Reading the codes took "
        f"{r['read_codes_s']:.1f} s and writing the database {r['populate_s']:.1f} s (not timed below).",
        f"Run {r['run_at']} on {m['platform']} ({m['cpus']} CPUs), Python {m['python']}.",
        f"Command: `{r['command']}`",
        "",
        f"| operation | median of {r['repeat']} (s) | best (s) |",
        "|---|---|---|",
    ]
    for name in r["median_s"]:
        lines.append(f"| {name} | {r['median_s'][name]:.3f} | {r['best_s'][name]:.3f} |")
    verdict = "within" if r["idh2_plus_fdep_from_store_median_s"] <= r["target_s"] else "above"
    lines += [
        "",
        f"IDH-2 + FDep for all communes and départements *from the store, results stored* (median): "
        f"**{r['idh2_plus_fdep_from_store_median_s']:.2f} s** — {verdict} {r['target_s']:.0f} s. The issue's "
        f"≤ {r['target_s']:.0f} s target is for the computation itself (FDep + IDH-2 on a table of the "
        "communes: `indices.md`, a few hundredths of a second); the time here is mostly reading the input "
        "values (3 + 4 per commune) and writing the results of every commune and département in the "
        "database, on a shared 2-CPU machine.",
        f"Communes eligible under IDH-2 < 0,52 on 2014-02-17 (observed bounds): {r['eligible_communes']:,}.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
