"""Profile: where the time of a read page goes (cold, without the page cache), on an existing data folder.

For each page (default: the home page, a département page and each indicator page of the
demonstration), one request through Django's test client under cProfile: total time, SQL queries
(count and time), template rendering, and the functions of equisante with the most cumulative time.
Then the same page served again by :class:`equisante.portal.caching.AnonymousPageCache`. Writes
``benchmarks/results/pages_profile.md``.

    EQUISANTE_DATA_DIR=benchmarks/.work/load-sqlite .venv/bin/python benchmarks/profile_pages.py
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "equisante.config.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from equisante.indicators.models import Indicator
    from equisante.territories.models import Territory

    paths = ["/", "/territoires/", "/priorisation/"]
    departement = Territory.objects.filter(level="departement").order_by("code").first()
    if departement:
        paths.append(f"/territoires/departement/{departement.code}/")
    paths += [f"/indicateurs/{code}/" for code in Indicator.objects.order_by("code").values_list("code", flat=True)[:4]]
    client = Client()
    lines = ["# Profile: where the time of the read pages goes", "",
             f"One cold request per page (no page cache), `{connection.vendor}`, data folder "
             f"`{os.environ.get('EQUISANTE_DATA_DIR', './var')}`; then the same page from the anonymous page cache.", "",
             "| page | cold total ms | SQL queries | SQL ms | cached ms |", "|---|---|---|---|---|"]
    details = []
    for path in paths:
        settings.EQUISANTE_PAGE_CACHE_SECONDS = 0
        client.get(path)  # warm imports, template loading
        profiler = cProfile.Profile()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            profiler.enable()
            response = client.get(path)
            profiler.disable()
            total = (time.perf_counter() - started) * 1000
        captured = list(queries.captured_queries)  # the next request resets Django's query log
        sql_ms = sum(float(q["time"]) for q in captured) * 1000
        settings.EQUISANTE_PAGE_CACHE_SECONDS = 600
        client.get(path)
        started = time.perf_counter()
        hit = client.get(path)
        cached = (time.perf_counter() - started) * 1000
        lines.append(f"| `{path}` ({response.status_code}) | {total:.0f} | {len(captured)} | "
                     f"{sql_ms:.0f} | {cached:.1f} ({hit.get('X-Equisante-Cache', '-')}) |")
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
        stats.print_stats(r"equisante|django/template/base|json|shapely", 14)
        text = "\n".join(line for line in out.getvalue().splitlines() if line.strip() and "{" not in line[:5])
        details += ["", f"## `{path}`", "", "```", text[-3500:], "```"]
        reset_queries()
    report = "\n".join(lines + details) + "\n"
    (ROOT / "benchmarks" / "results" / "pages_profile.md").write_text(report, encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
