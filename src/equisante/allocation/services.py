"""Writing to the register of grants: one entry point for every feeder (application layer).

- :func:`record_grants` — the function other areas call (the decided calls for projects, a script):
  plain dicts in, validated all together, written in one transaction, idempotent by ``reference``;
- :func:`import_grants` — a CSV/XLSX file (:mod:`equisante.allocation.reading`), all or nothing;
- :func:`grants_from_contracts` — the secured funding lines of the contracts' action sheets, shared
  equally among the sheet's territories (or the contract's communes when the sheet names none);
- :func:`sync_grants` — bring the register's entries of one origin (all references starting with a
  prefix) to a given list: new ones added, changed ones updated, vanished ones removed; the decided
  calls for projects feed the register through it (:func:`grants_from_calls`,
  :func:`equisante.calls.services.register_grants`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from equisante.allocation.models import Grant
from equisante.allocation.reading import HEADERS, GrantRecord, read_grants
from equisante.errors import InputRejected, Location, Problem
from equisante.territories.models import Territory


def _resolve(records: list[GrantRecord], source: str) -> tuple[dict, list[Problem]]:
    """Territory of each record by (level, code), the most recent vintage first."""
    wanted = {(r.level, r.code) for r in records}
    found = {}
    for territory in Territory.objects.filter(code__in={c for _l, c in wanted}).order_by("vintage"):
        found[(territory.level, territory.code)] = territory  # the latest vintage wins
    problems = [Problem("allocation_grant_territory_unknown", {"level": r.level, "code": r.code},
                        Location(source=source, line=r.line, column=HEADERS["code"]))
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


#: Fields of a grant compared by :func:`sync_grants` to tell an unchanged entry from an updated one.
_SYNCED = ("territory_id", "year", "programme", "funder", "amount", "note", "fictional")


def sync_grants(entries: Iterable[Mapping], *, prefix: str, source: str, fictional: bool = False) -> dict[str, int]:
    """Make the register's grants whose ``reference`` starts with ``prefix`` exactly ``entries``.

    Each entry has ``territory`` (a :class:`Territory`), ``year``, ``programme``, ``funder``,
    ``amount`` (≥ 0), ``reference`` (starting with ``prefix``, unique) and optional ``note``. Entries
    already in the register with the same values are left alone, changed ones updated in place (a
    decision taken again changes the grant, it does not add a second one), entries no longer listed
    removed. One transaction. Returns ``{"added", "updated", "removed", "unchanged"}``."""
    wanted = {}
    for entry in entries:
        reference = str(entry["reference"])
        if not reference.startswith(prefix) or reference in wanted:
            raise ValueError(f"référence {reference!r} hors du préfixe {prefix!r} ou en double")
        wanted[reference] = {
            "territory_id": entry["territory"].pk, "year": int(entry["year"]),
            "programme": str(entry["programme"])[:200] or "non renseigné",
            "funder": str(entry["funder"])[:200] or "non renseigné",
            "amount": Decimal(str(entry["amount"])).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
            "note": str(entry.get("note") or "")[:300], "fictional": bool(fictional)}
    counts = {"added": 0, "updated": 0, "removed": 0, "unchanged": 0}
    with transaction.atomic():
        existing = {g.reference: g for g in Grant.objects.select_for_update().filter(reference__startswith=prefix)}
        new = []
        for reference, values in wanted.items():
            grant = existing.get(reference)
            if grant is None:
                new.append(Grant(reference=reference, source=source, **values))
                counts["added"] += 1
            elif any(getattr(grant, k) != v for k, v in values.items()) or grant.source != source:
                for key, value in values.items():
                    setattr(grant, key, value)
                grant.source = source
                grant.save()
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
        Grant.objects.bulk_create(new)
        stale = [pk for reference, pk in ((r, g.pk) for r, g in existing.items()) if reference not in wanted]
        if stale:
            Grant.objects.filter(pk__in=stale).delete()
        counts["removed"] = len(stale)
    return counts


def grants_from_calls() -> dict[str, int]:
    """Bring the register up to date with every decided (or archived) call for projects: each
    retained application becomes grants (see :func:`equisante.calls.services.register_grants`).
    Returns the counts added up over the calls, with ``calls``: how many calls were read."""
    from equisante.calls import vocabulary as calls_vocabulary
    from equisante.calls.models import Call
    from equisante.calls.services import register_grants

    total = {"calls": 0, "added": 0, "updated": 0, "removed": 0, "unchanged": 0}
    for call in Call.objects.filter(state__in=[calls_vocabulary.DECIDED, calls_vocabulary.ARCHIVED]):
        counts = register_grants(call)
        total["calls"] += 1
        for key in ("added", "updated", "removed", "unchanged"):
            total[key] += counts[key]
    return total
