"""What the follow-up adds to the facts read by the portfolio checks (called by
:mod:`equisante.contracts.selection` when this application is installed):

- a sheet whose « évaluation prévue » is not filled in counts as planned when it has at least one
  structured indicator with a target (R12d); its logic model is complete, incomplete or absent (R12f);
- a contract whose « évaluation prévue » is not filled in counts as planned when one of its sheets
  has an indicator with a target (R12a); ``yearly_review_held`` (R12e): the review of the last
  complete year (the year before ``today``) is validated or archived — unknown when the contract
  started after that year.
"""

from __future__ import annotations

import dataclasses
import datetime

from equisante.followup.models import REVIEW_ARCHIVED, REVIEW_VALIDATED, AnnualReview, LogicModel, SheetIndicator


def enrich_records(records: list, sheets: list) -> list:
    """``records`` (pure sheets) with the follow-up facts of ``sheets`` (database sheets, same order)."""
    ids = [s.pk for s in sheets]
    with_target = set(SheetIndicator.objects.filter(sheet_id__in=ids, target__isnull=False)
                      .values_list("sheet_id", flat=True))
    logic = {m.sheet_id: m for m in LogicModel.objects.filter(sheet_id__in=ids)}
    out = []
    for record, sheet in zip(records, sheets):
        changes = {}
        if record.evaluation_planned is None and sheet.pk in with_target:
            changes["evaluation_planned"] = True
        model = logic.get(sheet.pk)
        if model is not None and any(x.strip() for x in (model.inputs, model.activities, model.outputs, model.outcomes)):
            changes["logic_model"] = model.complete
        out.append(dataclasses.replace(record, **changes) if changes else record)
    return out


def enrich_facts(facts: list, contracts: list, today: datetime.date) -> list:
    """``facts`` (one per contract, same order as ``contracts``) with the follow-up facts."""
    ids = [c.pk for c in contracts]
    year = today.year - 1
    validated = set(AnnualReview.objects.filter(contract_id__in=ids, year=year,
                                                status__in=(REVIEW_VALIDATED, REVIEW_ARCHIVED))
                    .values_list("contract_id", flat=True))
    with_targets = set(SheetIndicator.objects.filter(sheet__contract_id__in=ids, target__isnull=False)
                       .values_list("sheet__contract_id", flat=True))
    out = []
    for fact, contract in zip(facts, contracts):
        changes = {}
        if contract.starts_on is None or contract.starts_on.year <= year:
            changes["yearly_review_held"] = contract.pk in validated
        if fact.evaluation_plan is None and contract.pk in with_targets:
            changes["evaluation_plan"] = True
        out.append(dataclasses.replace(fact, **changes) if changes else fact)
    return out
