"""Benchmark: the ISTS profile of a contract and the regional overview over the demonstration region.

A fresh SQLite database receives the demonstration region (``generate_region(2024, n_departements=3,
n_communes=90, with_iris=False)`` loaded by :func:`equisante.demo.loading.load_region`: territories,
indicators, indices and the six demonstration contracts with their action sheets). Then, as the
public (published contracts), it times

- the profile page of the published contract with the most sheets, and the overview page
  (``/profils/``), rendered server-side (median of repeated requests after one warm-up);
- the three exports of that profile: standalone HTML, PDF (WeasyPrint; split into rendering the
  HTML and laying out / writing the PDF) and XLSX;
- the pure report (:func:`equisante.portfolio.portfolio_report`) over the demonstration sheets
  copied ``--copies`` times under new contract codes (a region of ~1,000 sheets), to see how the
  computation grows with the number of sheets.

Writes ``benchmarks/results/profiles.json`` and ``profiles.md``.

    .venv/bin/python benchmarks/bench_profiles.py            # --repeat 5 --copies 6

The machine is shared (2 CPUs, other processes running): the load average is recorded.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
RESULTS = ROOT / "benchmarks" / "results"


def setup_database() -> None:
    os.environ["EQUISANTE_DATA_DIR"] = tempfile.mkdtemp(prefix="bench-profiles-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "equisante.config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def timed(function, repeat: int) -> tuple[float, object]:
    """Median seconds of ``repeat`` calls after one warm-up call; returns the last result too."""
    result = function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--copies", type=int, default=6)
    args = parser.parse_args()
    load_before = os.getloadavg()
    setup_database()
    from django.contrib.auth.models import AnonymousUser
    from django.test import Client
    from django.utils import translation

    from equisante.actionsheets.model import ContractFacts
    from equisante.contracts import permissions
    from equisante.contracts.models import Contract
    from equisante.contracts.selection import action_sheets, contract_facts
    from equisante.demo.generator import generate_region
    from equisante.demo.loading import load_region
    from equisante.portfolio import portfolio_report
    from equisante.profiles import reports
    from equisante.profiles.building import profile_presentation

    started = time.perf_counter()
    load_region(generate_region(2024, n_departements=3, n_communes=90, with_iris=False))
    load_seconds = time.perf_counter() - started
    translation.activate("fr")
    contract = max(Contract.objects.filter(published=True), key=lambda c: c.sheets.count())
    n_sheets = contract.sheets.count()
    client = Client(HTTP_HOST="localhost")

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    page_s, _ = timed(lambda: get(f"/profils/{contract.code}/"), args.repeat)
    overview_s, _ = timed(lambda: get("/profils/"), args.repeat)
    visible = permissions.visible_contracts(AnonymousUser())
    presentation_s, presentation = timed(
        lambda: profile_presentation(contract, visible, scope="les contrats publiés", links=False), args.repeat)
    html_s, html = timed(lambda: reports.html(presentation, pdf=True), args.repeat)
    pdf_s, pdf = timed(lambda: reports.pdf(presentation), max(1, args.repeat // 2))
    xlsx_s, xlsx = timed(lambda: reports.xlsx(presentation), args.repeat)
    from weasyprint import HTML

    pages = len(HTML(string=html).render().pages)

    sheets = action_sheets(Contract.objects.all())
    facts = contract_facts(Contract.objects.all())
    scaled_sheets, scaled_facts = [], []
    for copy in range(args.copies):
        rename = {f.code: f"{f.code}-{copy}" for f in facts}
        scaled_sheets += [dataclasses.replace(s, contract=rename[s.contract]) for s in sheets]
        scaled_facts += [dataclasses.replace(f, code=rename[f.code]) for f in facts]
    base_s, _ = timed(lambda: portfolio_report(sheets, facts), args.repeat)
    scaled_s, _ = timed(lambda: portfolio_report(scaled_sheets, scaled_facts), max(1, args.repeat // 2))
    assert all(isinstance(f, ContractFacts) for f in scaled_facts)

    figures = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "load_before": load_before, "load_after": os.getloadavg()},
        "demo_load_s": round(load_seconds, 2),
        "contracts": Contract.objects.count(),
        "profile_contract": contract.code,
        "profile_sheets": n_sheets,
        "profile_page_s": round(page_s, 3),
        "overview_page_s": round(overview_s, 3),
        "profile_presentation_s": round(presentation_s, 3),
        "report_html_s": round(html_s, 3),
        "report_pdf_s": round(pdf_s, 3),
        "report_pdf_pages": pages,
        "report_pdf_bytes": len(pdf),
        "report_xlsx_s": round(xlsx_s, 3),
        "report_xlsx_bytes": len(xlsx),
        "portfolio_report": {"sheets": len(sheets), "contracts": len(facts), "seconds": round(base_s, 3)},
        "portfolio_report_scaled": {"sheets": len(scaled_sheets), "contracts": len(scaled_facts),
                                    "seconds": round(scaled_s, 3)},
        "repeat": args.repeat,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "profiles.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    lines = [
        "# Profils ISTS : temps de calcul et de rendu",
        "",
        f"Mesuré le {figures['date']} (Python {figures['machine']['python']}, {figures['machine']['cpus']} CPU, "
        f"charge {load_before[0]:.2f} → {figures['machine']['load_after'][0]:.2f}) ; médianes de {args.repeat} essais.",
        "",
        f"Région de démonstration chargée en {load_seconds:.1f} s : {figures['contracts']} contrats ; profil du contrat "
        f"{contract.code} ({n_sheets} fiches-action), vu par le public.",
        "",
        "| étape | secondes |",
        "|---|---|",
        f"| page du profil | {page_s:.3f} |",
        f"| page de synthèse régionale | {overview_s:.3f} |",
        f"| calcul du profil (rapports du contrat et de la comparaison) | {presentation_s:.3f} |",
        f"| rapport HTML | {html_s:.3f} |",
        f"| rapport PDF ({pages} pages, {len(pdf) // 1024} Ko) | {pdf_s:.3f} |",
        f"| classeur XLSX ({len(xlsx) // 1024} Ko) | {xlsx_s:.3f} |",
        f"| `portfolio_report`, {len(sheets)} fiches, {len(facts)} contrats | {base_s:.3f} |",
        f"| `portfolio_report`, {len(scaled_sheets)} fiches, {len(scaled_facts)} contrats | {scaled_s:.3f} |",
        "",
    ]
    (RESULTS / "profiles.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
