"""Database objects → the pure dataclasses of :mod:`equisante.actionsheets` (for the portfolio tables,
the ISTS profile and the exchange format).

>>> from equisante.contracts.models import Contract
>>> from equisante.contracts.selection import action_sheets, contract_facts
>>> sheets = action_sheets(Contract.objects.filter(departement__code="X1"))   # doctest: +SKIP
>>> facts = contract_facts(Contract.objects.all())                              # doctest: +SKIP

``contracts`` is a queryset or an iterable of :class:`~equisante.contracts.models.Contract` (or of
their codes). Sheets come out sorted by contract code then sheet code (FA-1.2 before FA-1.10).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from equisante.actionsheets.model import ActionSheet as SheetRecord
from equisante.actionsheets.model import ContractFacts
from equisante.contracts.models import ActionSheet, Actor, Committee, Contract, Meeting, code_sort_key


def _contract_queryset(contracts) -> QuerySet:
    if isinstance(contracts, QuerySet) and contracts.model is Contract:
        return contracts
    items = list(contracts)
    codes = [c for c in items if isinstance(c, str)]
    ids = [c.pk for c in items if isinstance(c, Contract)]
    return Contract.objects.filter(code__in=codes) | Contract.objects.filter(pk__in=ids)


def sheet_queryset(contracts) -> QuerySet:
    """The sheets of ``contracts`` with everything the conversion reads, in one round of queries."""
    return (ActionSheet.objects.filter(contract__in=_contract_queryset(contracts))
            .select_related("contract", "axis", "lead")
            .prefetch_related(Prefetch("partners", queryset=Actor.objects.order_by("name")), "funding_lines")
            .order_by("contract__code", "code"))


def partners_of(sheet: ActionSheet) -> list[str]:
    """Lead first, then partner actors (by name), then the partners outside the directory."""
    names = []
    if sheet.lead_id:
        names.append(sheet.lead.name)
    names += [a.name for a in sheet.partners.all()]
    names += list(sheet.other_partners or [])
    return list(dict.fromkeys(names))


def to_record(sheet: ActionSheet) -> SheetRecord:
    """One database sheet as an :class:`equisante.actionsheets.ActionSheet`.

    Facts the database does not hold as such are derived: ``quantified_targets`` is true when the
    sheet states quantified targets, unknown (None) when it has no objective at all;
    ``funding_identified`` is true when a funding line exists, unknown when there is none."""
    has_objectives = bool(sheet.objectives.strip() or sheet.quantified_targets.strip())
    lines = list(sheet.funding_lines.all())
    return SheetRecord(
        contract=sheet.contract.code,
        code=sheet.code,
        axis=sheet.axis.title if sheet.axis_id else "",
        title=sheet.title,
        description=sheet.description,
        publics=tuple(sheet.publics or ()),
        partners=tuple(partners_of(sheet)),
        themes=tuple(sheet.themes or ()),
        determinants=tuple(sheet.determinants or ()),
        strategies=tuple(sheet.strategies or ()),
        approach=sheet.approach or None,
        partner_sectors=tuple(sheet.partner_sectors or ()),
        objectives=sheet.objectives,
        quantified_targets=bool(sheet.quantified_targets.strip()) if has_objectives else None,
        ists_contribution=sheet.ists_contribution,
        resident_participation=sheet.resident_participation,
        evaluation_planned=sheet.evaluation_planned,
        funding_identified=True if lines else None,
        status=sheet.status,
    )


def action_sheets(contracts) -> list[SheetRecord]:
    """The coded action sheets of ``contracts`` as pure records (coded or not: the coding fields are
    empty when the sheet is not coded)."""
    sheets = sorted(sheet_queryset(contracts), key=lambda s: (s.contract.code, code_sort_key(s.code)))
    records = [to_record(sheet) for sheet in sheets]
    followup = _followup()
    return followup.enrich_records(records, sheets) if followup else records


def _followup():
    """The follow-up area's facts (indicators, logic models, yearly reviews) when it is installed."""
    from django.apps import apps

    if not apps.is_installed("equisante.followup"):
        return None
    from equisante.followup import facts

    return facts


def _meetings_last_year(committees: Iterable[Committee], today: datetime.date) -> int | None:
    steering = [c for c in committees if c.kind == "pilotage"]
    if not steering:
        return None
    start = today - datetime.timedelta(days=365)
    return sum(1 for c in steering for m in c.meetings.all() if start < m.date <= today)


def _whole_town_with_qpv(contract: Contract) -> bool | None:
    """The perimeter holds at least one whole commune and one of its priority neighbourhoods."""
    perimeter = list(contract.perimeter.all())
    if not perimeter:
        return None
    communes = {t.pk for t in perimeter if t.level == "commune"}
    qpv_parents = {t.parent_id for t in perimeter if t.level == "qpv"}
    return bool(communes & qpv_parents)


def to_facts(contract: Contract, today: datetime.date | None = None) -> ContractFacts:
    """One contract's facts for the checks; derived ones:

    - ``coordinator_fte``: sum of its coordination posts (0 when there is none);
    - ``copil_meetings_per_year``: meetings of its steering committee(s) in the 365 days up to
      ``today`` (None without a steering committee);
    - ``technical_committee``: a technical committee exists;
    - ``residents_in_copil``: a steering-committee member is a resident or user representative;
    - ``perimeter_whole_town_with_qpv``: a whole commune and one of its QPV are in the perimeter."""
    today = today or timezone.localdate()
    committees = list(contract.committees.all())
    steering_members = [m for c in committees if c.kind == "pilotage" for m in c.members.all()]
    return ContractFacts(
        code=contract.code,
        name=contract.name,
        departement=contract.departement.code if contract.departement_id else "",
        generation=contract.generation,
        ists_objective=contract.ists_objective,
        diagnosis_with_residents=contract.diagnosis_with_residents,
        residents_in_copil=any(m.resident for m in steering_members) if steering_members else None,
        diagnosis_covers_determinants=contract.diagnosis_covers_determinants,
        diagnosis_public=contract.diagnosis_public,
        coordinator_fte=float(sum(p.fte for p in contract.coordinator_posts.all())),
        project_team_pluridisciplinary=contract.project_team_pluridisciplinary,
        shared_responsibility_stated=contract.shared_responsibility_stated,
        other_ars_directions=contract.other_ars_directions,
        regional_plans_articulated=contract.regional_plans_articulated,
        evaluation_plan=contract.evaluation_plan,
        methodological_support=contract.methodological_support,
        copil_meetings_per_year=_meetings_last_year(committees, today),
        technical_committee=any(c.kind == "technique" for c in committees),
        perimeter_whole_town_with_qpv=_whole_town_with_qpv(contract),
    )


def contract_facts(contracts, today: datetime.date | None = None) -> list[ContractFacts]:
    """The facts of ``contracts`` (sorted by code) for the checks of DOMAIN §5."""
    queryset = (_contract_queryset(contracts).select_related("departement")
                .prefetch_related("perimeter", "coordinator_posts",
                                  Prefetch("committees", queryset=Committee.objects.prefetch_related(
                                      "members", Prefetch("meetings", queryset=Meeting.objects.order_by("date")))))
                .order_by("code"))
    items = list(queryset)
    facts = [to_facts(contract, today) for contract in items]
    followup = _followup()
    return followup.enrich_facts(facts, items, today or timezone.localdate()) if followup else facts
