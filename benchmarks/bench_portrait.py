"""Benchmark: server-side rendering of the portrait page of a 1,300-commune région.

Loads the fictional demonstration région (``equisante demo --communes 1300``: communes, IRIS, EPCI,
zones, 22 indicators with their values, composite indices) into a fresh SQLite database, then asks
the portrait pages through Django's test client (the whole request: URL resolution, the portrait's
queries and computations — quintiles, SII with 100,000 simulations, funnel limits — and the
template) and reports the median and the best of repeated requests, in wall-clock and CPU time.
The target (issue 4) is a median of at most 300 ms for the région's page; it is printed, never
asserted. The PDF report of an EPCI is timed once.

Figures go to ``benchmarks/results/portrait.json`` and ``benchmarks/results/portrait.md``.

    .venv/bin/python benchmarks/bench_portrait.py                  # --communes 1300 --repeat 15
    .venv/bin/python benchmarks/bench_portrait.py --data-dir DIR   # reuse a database loaded before
"""

from __future__ import annotations

import argparse
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

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
TARGET_S = 0.300


def _cli() -> list[str]:
    script = Path(sys.executable).with_name("equisante")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from equisante.cli import main; main()"]


def load_demo(data_dir: Path, communes: int, seed: int) -> float:
    """Create the database and load the demonstration région; returns the seconds it took."""
    env = {**os.environ, "EQUISANTE_DATA_DIR": str(data_dir)}
    started = time.perf_counter()
    subprocess.run([*_cli(), "init"], env=env, check=True, capture_output=True)
    subprocess.run([*_cli(), "demo", "--communes", str(communes), "--seed", str(seed)], env=env, check=True,
                   capture_output=True)
    return time.perf_counter() - started


def timed_requests(client, url: str, repeat: int, warm: int = 2) -> dict:
    for _ in range(warm):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return {"url": url, "bytes": len(response.content), "median_s": statistics.median(walls), "best_s": min(walls),
            "cpu_median_s": statistics.median(cpus), "repeat": repeat}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=1300)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="database already loaded (skips the demonstration load)")
    args = parser.parse_args()

    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="equisante-bench-portrait-"))
    load_s = None if args.data_dir else load_demo(data_dir, args.communes, args.seed)

    os.environ["EQUISANTE_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "equisante.config.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from equisante.portraits import report
    from equisante.portraits.portrait import build
    from equisante.territories.models import Territory

    settings.ALLOWED_HOSTS = ["*"]
    region = Territory.objects.filter(level="region").order_by("code").first()
    communes = Territory.objects.filter(level="commune").count()
    epci = Territory.objects.filter(level="epci").order_by("code").first()
    commune = Territory.objects.filter(level="commune", children__level="iris").distinct().order_by("code").first()
    client = Client()
    pages = [("région (" + f"{communes:,}".replace(",", " ") + " communes)", region),
             ("EPCI", epci), ("commune avec IRIS", commune)]
    rows = []
    for label, territory in pages:
        if territory is None:
            continue
        result = timed_requests(client, f"/portraits/{territory.code}/?niveau={territory.level}", args.repeat)
        result.update(label=label, territory=f"{territory.name} ({territory.code})")
        rows.append(result)

    portrait = build(epci)
    started = time.perf_counter()
    pdf = report.pdf(portrait)
    pdf_s = time.perf_counter() - started

    import numpy
    import pandas

    record = {
        "benchmark": "portrait page (server-side rendering)",
        "run_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": platform.platform(), "cpus": os.cpu_count(), "python": platform.python_version(),
        "numpy": numpy.__version__, "pandas": pandas.__version__, "database": settings.DATABASES["default"]["ENGINE"],
        "communes": communes, "demo_seed": args.seed, "load_s": load_s, "target_s": TARGET_S,
        "pages": rows, "pdf_epci_s": pdf_s, "pdf_bytes": len(pdf),
        "command": "python benchmarks/bench_portrait.py",
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "portrait.json").write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (RESULTS / "portrait.md").write_text(markdown(record), encoding="utf-8")
    print(markdown(record))
    return 0


def markdown(r: dict) -> str:
    lines = [
        "# Benchmark: portrait page of a territory",
        "",
        f"Demonstration région (fictive, seed {r['demo_seed']}) with {r['communes']:,} communes"
        + (f", loaded in {r['load_s']:.1f} s (not timed below)" if r["load_s"] else "") + ".",
        f"Run {r['run_at']} on {r['machine']} ({r['cpus']} CPUs), Python {r['python']}, NumPy {r['numpy']}, "
        f"pandas {r['pandas']}, database {r['database'].rsplit('.', 1)[-1]}.",
        f"Command: `{r['command']}`. Whole request through Django's test client, after two warm-up requests.",
        "",
        "| page | territory | median (s) | best (s) | CPU median (s) | HTML (kB) |",
        "|---|---|---|---|---|---|",
    ]
    for p in r["pages"]:
        lines.append(f"| {p['label']} | {p['territory']} | {p['median_s']:.3f} | {p['best_s']:.3f} | "
                     f"{p['cpu_median_s']:.3f} | {p['bytes'] / 1024:.0f} |")
    region = r["pages"][0] if r["pages"] else None
    if region:
        verdict = "within" if region["median_s"] <= r["target_s"] else "above"
        lines += ["", f"Région page, median of {region['repeat']} requests: **{region['median_s'] * 1000:.0f} ms** — "
                  f"{verdict} the {r['target_s'] * 1000:.0f} ms target."]
    lines += ["", f"PDF report of the EPCI: {r['pdf_epci_s']:.2f} s ({r['pdf_bytes'] / 1024:.0f} kB).", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
