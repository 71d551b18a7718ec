"""Benchmark: the public database of actions (``/actions/``) over 5,000 published actions.

A fresh database (SQLite in a temporary folder, or with ``--postgres`` a new PostgreSQL database
created for the run and dropped after) receives 100 communes with simple square geometries, 60
published schemes of every kind over them and 5,000 action sheets (texts drawn from the
demonstration actions, coded on the grid, with a lead, territories and funding lines). Then, as the
public, it times the page rendered server-side by Django's test client (no network): the median of
``--repeat`` requests after one warm-up, for a filtered text search and other typical searches, and
once the first build of the search index (done by the first request after a bulk load).

Writes ``benchmarks/results/actions.json`` and ``actions.md`` (one section per database).

    .venv/bin/python benchmarks/bench_actions.py                 # SQLite, --actions 5000 --repeat 15
    .venv/bin/python benchmarks/bench_actions.py --postgres      # PostgreSQL (local server, trust auth)

The machine is shared (2 CPUs, other processes running): the load average is recorded.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import time
from datetime import date, datetime, timezone

from common import RESULTS, setup_database  # noqa: E402  (benchmarks/common.py)

SEED = 20261204

SEARCHES = {
    "texte + 2 filtres (« prevention », thème nutrition, année 2025)":
        {"q": "prevention", "theme": "nutrition", "annee": "2025"},
    "texte sans accents (« acces aux droits ») + territoire": {"q": "acces aux droits", "territoire": "X0005"},
    "filtres seuls (déterminant D2, dispositif CLS, page 3)": {"determinant": "D2", "dispositif": "cls", "page": "3"},
    "sans filtre (toutes les actions, page 1)": {},
}


def populate(n_actions: int) -> dict:
    import numpy as np
    from django.utils import timezone as tz

    from equisante.contracts import vocabulary as v
    from equisante.contracts.demo_actions import ACTIONS
    from equisante.contracts.models import ActionSheet, Actor, Contract, FundingLine
    from equisante.territories.models import Territory

    rng = np.random.default_rng(SEED)
    dep = Territory.objects.create(level="departement", code="X1", name="Département fictif", fictional=True)
    communes = []
    for i in range(100):
        x, y = 2 + (i % 10) * 0.1, 45 + (i // 10) * 0.1
        ring = [[x, y], [x + 0.1, y], [x + 0.1, y + 0.1], [x, y + 0.1], [x, y]]
        communes.append(Territory(level="commune", code=f"X{i:04d}", name=f"Commune fictive {i}", parent=dep,
                                  fictional=True, geometry=json.dumps({"type": "Polygon", "coordinates": [ring]}),
                                  min_lon=x, min_lat=y, max_lon=x + 0.1, max_lat=y + 0.1))
    communes = Territory.objects.bulk_create(communes)
    actors = Actor.objects.bulk_create([Actor(name=f"Acteur fictif {i}", sector=str(rng.choice(
        ["sante", "social", "collectivite", "associatif", "logement"])), fictional=True) for i in range(80)])
    kinds = [k for k, _label in v.SCHEME_KINDS]
    contracts = []
    for i in range(60):
        contracts.append(Contract(code=f"BENCH-{i:02d}", name=f"Dispositif fictif {i}", kind=kinds[i % len(kinds)],
                                  departement=dep, published=True, fictional=True))
    contracts = Contract.objects.bulk_create(contracts)
    for i, contract in enumerate(contracts):
        contract.perimeter.set(communes[(i * 7) % 100:(i * 7) % 100 + 3])
    approaches = {"GD": "groupes-defavorises", "U": "universalisme", "UP": "universalisme-proportionne", None: ""}
    sheets = []
    for i in range(n_actions):
        action = ACTIONS[int(rng.integers(len(ACTIONS)))]
        start = date(2022 + int(rng.integers(0, 4)), 1 + int(rng.integers(0, 12)), 1)
        fill = lambda t, i=i: t.replace("{ville}", f"Commune fictive {i % 100}").replace("{quartier}", "quartier")  # noqa: E731
        sheets.append(ActionSheet(
            contract=contracts[i % len(contracts)], code=f"FA-{i // len(contracts) + 1}.{i % 7 + 1}",
            title=fill(action.title), objectives=fill(action.objectives), description=fill(action.description),
            publics=list(action.publics), lead=actors[int(rng.integers(len(actors)))],
            determinants=list(action.determinants), strategies=list(action.strategies),
            approach=approaches[action.approach], themes=list(action.themes), coding_source="demo",
            status=str(rng.choice(["prevue", "en-cours", "realisee"])), starts_on=start,
            ends_on=start.replace(year=start.year + 2), budget=action.budget))
    sheets = ActionSheet.objects.bulk_create(sheets, batch_size=500)
    through = ActionSheet.territories.through
    through.objects.bulk_create([through(actionsheet_id=s.pk, territory_id=communes[int(rng.integers(100))].pk)
                                 for s in sheets], batch_size=1000)
    FundingLine.objects.bulk_create([FundingLine(sheet=s, funder=actors[int(rng.integers(len(actors)))],
                                                 amount=int(rng.integers(1, 30)) * 1000, year=s.starts_on.year,
                                                 secured=True) for s in sheets], batch_size=1000)
    return {"actions": len(sheets), "contracts": len(contracts), "communes": len(communes), "at": tz.now()}


def measure(repeat: int) -> dict:
    """Times with the anonymous page cache switched off (the view runs at every request), then one
    search again with the cache on, for comparison."""
    from django.test import override_settings

    with override_settings(EQUISANTE_PAGE_CACHE_SECONDS=0):
        figures = _measure(repeat)
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    params = next(iter(SEARCHES.values()))
    client.get("/actions/", params)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get("/actions/", params)
        times.append(time.perf_counter() - started)
    figures["cached_first_search_median_ms"] = round(1000 * statistics.median(times), 2)
    return figures


def _measure(repeat: int) -> dict:
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    started = time.perf_counter()
    first = client.get("/actions/", {"q": "prevention"})
    build = time.perf_counter() - started
    assert first.status_code == 200
    results = {}
    for label, params in SEARCHES.items():
        response = client.get("/actions/", params)  # warm-up
        assert response.status_code == 200, label
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get("/actions/", params)
            times.append(time.perf_counter() - started)
        text = response.content.decode()
        found = text.split('id="resultats">', 1)[1].split("<", 1)[0].strip()
        results[label] = {"median_ms": round(1000 * statistics.median(times), 1),
                          "max_ms": round(1000 * max(times), 1), "found": found, "params": params}
    return {"database": connection.vendor, "index_build_first_request_s": round(build, 2), "searches": results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    load_before = os.getloadavg()
    name = setup_database(args.postgres, "bench-actions")
    try:
        from django.utils import translation

        translation.activate("fr")
        data = populate(args.actions)
        figures = measure(args.repeat)
    finally:
        if name:
            from django.db import connections

            connections.close_all()
            subprocess.run(["dropdb", "--if-exists", name], check=False)
    figures.update({"actions": data["actions"], "contracts": data["contracts"], "repeat": args.repeat,
                    "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "python": platform.python_version(), "cpus": os.cpu_count(),
                    "load_average_before": [round(x, 2) for x in load_before],
                    "load_average_after": [round(x, 2) for x in os.getloadavg()]})
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "actions.json"
    stored = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    stored[figures["database"]] = figures
    path.write_text(json.dumps(stored, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    lines = ["# Base publique des actions (`/actions/`)", "",
             "Temps serveur (client de test Django, sans réseau) d'une recherche publique, cache des pages "
             "anonymes désactivé (la vue s'exécute à chaque requête) ; médiane de requêtes répétées après un "
             "premier appel. Objectif : recherche filtrée ≤ 300 ms (médiane).",
             "Commande : `.venv/bin/python benchmarks/bench_actions.py [--postgres]`.", ""]
    for vendor, fig in sorted(stored.items()):
        lines += [f"## {vendor} — {fig['actions']} actions publiées, {fig['contracts']} dispositifs ({fig['date']})", "",
                  f"Première requête (construction de l'index après chargement en masse) : "
                  f"{fig['index_build_first_request_s']} s. Charge de la machine avant / après : "
                  f"{fig['load_average_before']} / {fig['load_average_after']} ({fig['cpus']} processeurs).", "",
                  "| recherche | résultat | médiane (ms) | maximum (ms) |", "|---|---|---|---|"]
        for label, row in fig["searches"].items():
            lines.append(f"| {label} | {row['found']} | {row['median_ms']} | {row['max_ms']} |")
        if "cached_first_search_median_ms" in fig:
            lines.append(f"\nAvec le cache des pages anonymes (même adresse demandée de nouveau) : "
                         f"{fig['cached_first_search_median_ms']} ms (médiane).")
        lines.append("")
    (RESULTS / "actions.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
