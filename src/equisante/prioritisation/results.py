"""Query API over the stored index results, for other pages (territory portraits) and the CLI.

:func:`indices_for` answers "which indices, classes and eligibility does this territory have?",
one dictionary per index computed at the territory's level, using the index's primary rule
(``PriorityRule.primary``) in force on the date asked (default today).
"""

from __future__ import annotations

import equisante.prioritisation.problems  # noqa: F401  (declares the error codes raised here)

from collections import OrderedDict
from datetime import date, datetime

from equisante.prioritisation.classing import Classification, classify
from equisante.prioritisation.models import IndexDefinition, IndexResult, IndexValue, PriorityRule, RuleException

__all__ = ["indices_for", "latest_result", "primary_rule", "direction_text"]

_CACHE: OrderedDict = OrderedDict()
_CACHE_SIZE = 32


def direction_text(definition: IndexDefinition) -> str:
    return ("plus élevé = plus défavorisé" if definition.higher_is_worse
            else "plus élevé = plus favorable (plus développé)")


def latest_result(definition: IndexDefinition, level: str, period: str | None = None) -> IndexResult | None:
    """The result of ``definition`` at ``level`` for ``period`` (default: the most recent period)."""
    results = IndexResult.objects.filter(definition=definition, level=level)
    if period:
        results = results.filter(period=period)
    return results.order_by("-period", "-computed_at").first()


def primary_rule(definition: IndexDefinition) -> PriorityRule | None:
    """The rule used by default for an index: the one marked primary, else its first eligibility
    rule, else its first rule (None when the index has no rule)."""
    rules = list(PriorityRule.objects.filter(index=definition).order_by("-primary", "-eligibility", "valid_from",
                                                                         "code"))
    return rules[0] if rules else None


def _classified(result: IndexResult, rule: PriorityRule | None, on: date) -> Classification:
    """Classification of a whole result, cached while neither the result nor the rule changes."""
    key = (result.pk, result.computed_at, _signature(rule), on)
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key]
    classification = classify(result, rule, on=on)
    _CACHE[key] = classification
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return classification


def _signature(rule: PriorityRule | None) -> tuple:
    """What the classification under ``rule`` depends on: every version of its policy and their
    exceptions (an edited exception changes the signature, so the cache is never stale)."""
    if rule is None:
        return ()
    versions = PriorityRule.objects.filter(policy=rule.policy, index_id=rule.index_id)
    return (
        rule.pk,
        tuple(versions.order_by("pk").values_list("pk", "updated_at")),
        tuple(RuleException.objects.filter(rule__in=versions).order_by("pk").values_list(
            "pk", "rule_id", "territory_id", "reason", "valid_from", "valid_to")),
    )


def indices_for(territory, *, on: date | None = None) -> list[dict]:
    """The indices of ``territory`` (a :class:`~equisante.territories.models.Territory`), one
    dictionary per index computed at its level (latest period), ordered by index code:

    - ``index`` (code), ``label``, ``value`` (float, None when missing), ``direction`` (French);
    - ``class_label`` (French, "" without a rule), ``class_rank`` (1 = most deprived, None),
      ``eligible`` (True / False under an eligibility rule; None when the rule does not decide
      eligibility, or when the value is missing), ``reason`` (why, in French), ``rule`` (the rule
      in force stated in French, "" without a rule; the error when no version is in force);
    - ``rank`` (1 = most deprived among the level's territories) and ``ranked`` (how many);
    - ``method``, ``parameters`` (dict: bounds, loadings…), ``period`` (reference period),
      ``input_periods`` (indicator → period used), ``computed_at`` (datetime), ``components``
      (IDH-2 sub-indices at the base level), ``population``, ``level``.
    """
    on = on or date.today()
    out = []
    stored = {v.result_id: v for v in IndexValue.objects.filter(territory=territory, result__level=territory.level)}
    for definition in IndexDefinition.objects.order_by("code"):
        result = next((r for r in IndexResult.objects.filter(definition=definition, level=territory.level)
                       .order_by("-period", "-computed_at") if r.pk in stored), None)
        if result is None:
            continue
        value = stored[result.pk]
        rule = primary_rule(definition)
        classification = _classified(result, rule, on)
        row = classification.rows[classification.rows["territory_id"] == territory.pk]
        record = row.iloc[0] if len(row) else None
        eligible = None
        if record is not None and classification.decides_eligibility and not _missing(record["eligible"]):
            eligible = bool(record["eligible"])
        class_rank = None if record is None or _missing(record["class_rank"]) else int(record["class_rank"])
        out.append({
            "index": definition.code,
            "label": definition.label,
            "value": value.value,
            "direction": direction_text(definition),
            "class_label": (record["class_label"] if record is not None else "") if rule else "",
            "class_rank": class_rank,
            "eligible": eligible,
            "reason": record["reason"] if record is not None else "",
            "rule": classification.rule_text or classification.error,
            "rank": None if record is None or _missing(record["rank"]) else int(record["rank"]),
            "ranked": int(classification.rows["rank"].notna().sum()),
            "method": result.method,
            "parameters": result.parameters,
            "period": result.period,
            "input_periods": result.input_periods,
            "computed_at": result.computed_at,
            "components": value.components,
            "population": value.population,
            "level": result.level,
        })
    return out


def _missing(value) -> bool:
    try:
        import pandas as pd

        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def as_of(moment: datetime | date | str | None) -> date | None:
    """A date from a datetime, a date or ISO text (None stays None)."""
    if moment is None or moment == "":
        return None
    if isinstance(moment, datetime):
        return moment.date()
    if isinstance(moment, date):
        return moment
    return date.fromisoformat(str(moment))
