"""Writing to the register of grants: one entry point for every feeder (application layer).

- :func:`record_grants` — the function other areas call (the decided calls for projects, a script):
  plain dicts in, validated all together, written in one transaction, idempotent by ``reference``;
- :func:`import_grants` — a CSV/XLSX file (:mod:`equisante.allocation.reading`), all or nothing;
- :func:`grants_from_contracts` — the secured funding lines of the contracts' action sheets, shared
  equally among the sheet's territories (or the contract's communes when the sheet names none).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from equisante.allocation.models import Grant
from equisante.allocation.reading import GrantRecord, read_grants
from equisante.errors import InputRejected, Location, Problem
from equisante.territories.models import Territory


def _resolve(records: list[GrantRecord], source: str) -> tuple[dict, list[Problem]]:
    """Territory of each record by (level, code), the most recent vintage first."""
    wanted = {(r.level, r.code) for r in records}
    found = {}
    for territory in Territory.objects.filter(code__in={c for _l, c in wanted}).order_by("vintage"):
        found[(territory.level, territory.code)] = territory  # the latest vintage wins
    problems = [Problem("allocation_grant_territory_unknown", {"level": r.level, "code": r.code},
                        Location(source=source, line=r.line, column="code"))
                for r in records if (r.level, r.code) not in found]
    return found, problems


def _existing(references: set[str]) -> set[str]:
    return set(Grant.objects.filter(reference__in=references).values_list("reference", flat=True)) if references else set()


def _save(records: list[GrantRecord], found: dict, source_kind: str, fictional: bool) -> int:
    already = _existing({r.reference for r in records if r.reference})
    new = [Grant(territory=found[(r.level, r.code)], year=r.year, programme=r.programme, funder=r.funder,
                 amount=r.amount, source=source_kind, reference=r.reference, note=r.note, fictional=fictional)
           for r in records if not (r.reference and r.reference in already)]
    with transaction.atomic():
        Grant.objects.bulk_create(new)
    return len(new)


def import_grants(source, name: str | None = None, *, fictional: bool = False) -> int:
    """Import a grants file; every row checked first, nothing imported on any problem
    (:class:`InputRejected` listing them with line and column). Returns the number of grants added
    (rows whose ``reference`` is already in the register are skipped: re-importing changes nothing)."""
    records, problems = read_grants(source, name)
    display = name or str(getattr(source, "name", "fichier"))
    found, unknown = _resolve(records, display)
    problems = sorted(problems + unknown, key=lambda p: (p.location.line or 0))
    if problems:
        raise InputRejected(display, problems)
    return _save(records, found, "import", fictional)


def record_grants(grants: Iterable[Mapping], *, source: str = "call", fictional: bool = False) -> int:
    """Record grants given as mappings with ``code``, ``year``, ``programme``, ``funder``, ``amount``
    and optional ``level`` (default ``commune``), ``reference`` (idempotency key, e.g.
    ``appel:<call>:<application>``) and ``note``. All checked first; raises :class:`InputRejected`
    (« ligne » = position in the list + 1, line 1 being the header) and records nothing on any problem. Returns the number
    added. This is the entry point for the decided calls for projects."""
    header = ["code", "level", "year", "programme", "funder", "amount", "reference", "note"]
    rows = [header] + [[g.get(c, "") if g.get(c) is not None else "" for c in header] for g in grants]
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    records, problems = read_grants(buffer.getvalue().encode("utf-8"), f"enregistrement ({source})")
    found, unknown = _resolve(records, f"enregistrement ({source})")
    problems = sorted(problems + unknown, key=lambda p: (p.location.line or 0))
    if problems:
        raise InputRejected(f"enregistrement ({source})", problems)
    return _save(records, found, source, fictional)


def grants_from_contracts(*, fictional: bool | None = None) -> int:
    """Add to the register the secured, dated funding lines of the contracts' action sheets, each
    shared equally among the sheet's communes (else the contract's communes); reference
    ``contrat:ligne:<id>:<commune>`` so that running it again adds only new lines."""
    from equisante.contracts.models import FundingLine

    lines = (FundingLine.objects.filter(secured=True, year__isnull=False, amount__isnull=False, amount__gt=0)
             .select_related("sheet__contract", "funder"))
    records = []
    for line in lines:
        sheet = line.sheet
        if getattr(sheet, "deleted_at", None) or getattr(sheet.contract, "deleted_at", None):
            continue
        places = [t for t in sheet.territories.all() if t.level == "commune"] or \
            [t for t in sheet.contract.perimeter.all() if t.level == "commune"]
        if not places:
            continue
        amount = Decimal(line.amount)
        share = (amount / len(places)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        for i, place in enumerate(sorted(places, key=lambda t: t.code)):
            part = share if i < len(places) - 1 else amount - share * (len(places) - 1)
            records.append(GrantRecord(0, place.code, "commune", int(line.year),
                                       f"{sheet.contract.code} — {sheet.code}"[:200],
                                       (line.funder_label or "")[:200] or "non renseigné", part,
                                       f"contrat:ligne:{line.pk}:{place.code}", sheet.title[:300]))
            records[-1].territory = place
    found = {(r.level, r.code): r.territory for r in records}
    flag = fictional if fictional is not None else False
    return _save(records, found, "contract", flag)
