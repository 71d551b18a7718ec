"""The deprivation measures a portrait can cut its sub-territories into quintiles with: a composite
index computed by the prioritisation area at the sub-territories' level (FDep, EDI, IDH-2…), or any
indicator of the catalogue that has values there.

Direction: an index says it (``higher_is_worse``); an indicator is read from its polarity
(favourable: a lower value is more deprived; adverse and neutral: a higher value is).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db import DatabaseError

from equisante.indicators.models import Indicator, Value
from equisante.portal import publication
from equisante.portraits import periods as period_rules
from equisante.portraits.families import fold

logger = logging.getLogger(__name__)

INDEX_PREFIX = "indice:"
#: Preferred default measures, by code words: composite deprivation indices first.
HINTS = ("fdep", "edi", "idh2", "idh", "defavoris", "revenu", "chomage")


@dataclass
class Measure:
    """A deprivation measure over the sub-territories: ``values`` maps a territory id to its value;
    ``populations`` to the population stored with it (indices), when there is one."""

    key: str
    label: str
    higher_is_worse: bool
    period: str = ""
    kind: str = "indicator"
    count: int = 0
    values: dict[int, float] = field(default_factory=dict)
    populations: dict[int, float] = field(default_factory=dict)
    indicator: Indicator | None = None

    @property
    def direction(self) -> str:
        return "plus élevé = plus défavorisé" if self.higher_is_worse else "plus bas = plus défavorisé"


def index_measures(level: str, where) -> list[Measure]:
    """Indices computed at ``level`` (latest period) with values for some of the territories that
    ``where`` selects (:func:`equisante.portraits.scope.within`); empty when the prioritisation area
    is absent."""
    try:
        from equisante.prioritisation.models import IndexDefinition
        from equisante.prioritisation.results import latest_result
    except ImportError:
        return []
    measures = []
    try:
        for definition in IndexDefinition.objects.order_by("code"):
            result = latest_result(definition, level)
            if result is None:
                continue
            rows = list(result.values.filter(where, value__isnull=False)
                        .values_list("territory_id", "value", "population"))
            if not rows:
                continue
            measures.append(Measure(
                key=f"{INDEX_PREFIX}{definition.code}", label=f"Indice : {definition.label}",
                higher_is_worse=bool(definition.higher_is_worse), period=result.period, kind="index", count=len(rows),
                values={t: float(v) for t, v, _p in rows},
                populations={t: float(p) for t, _v, p in rows if p is not None and p > 0}))
    except DatabaseError:  # the area is installed but its tables are not there yet: no index measure
        logger.exception("indices de défavorisation illisibles")
        return []
    return measures


def indicator_candidates(counts: dict[int, int], exclude: Indicator | None = None) -> list[Measure]:
    """Indicators with values for the sub-territories (``counts``: number of values by indicator
    id), values not loaded yet."""
    out = []
    for indicator in Indicator.objects.filter(pk__in=list(counts)).order_by("label"):
        if exclude is not None and indicator.pk == exclude.pk:
            continue
        out.append(Measure(key=indicator.code, label=indicator.label, higher_is_worse=indicator.polarity != "favourable",
                           count=counts[indicator.pk], indicator=indicator))
    return out


def load_indicator(measure: Measure, where) -> Measure:
    """Fill an indicator measure with its published values at the period where it has the most."""
    indicator = measure.indicator
    stored = list(Value.objects.filter(where, indicator=indicator, sex="", age_band="")
                  .only("territory_id", "period", "numerator", "denominator", "value", "lower", "upper", "state",
                        "withheld"))
    counts: dict[str, int] = {}
    for value in stored:
        counts[value.period] = counts.get(value.period, 0) + 1
    if not counts:
        return measure
    most = max(counts.values())
    measure.period = period_rules.preferred([p for p, n in counts.items() if n == most]) or ""
    for value in stored:
        if value.period != measure.period:
            continue
        shown = publication.published(value, indicator=indicator, territory=value.territory_id)
        if shown.shown:
            measure.values[value.territory_id] = float(shown.value)
            if value.denominator:
                measure.populations.setdefault(value.territory_id, float(value.denominator))
    return measure


def default(measures: list[Measure]) -> Measure | None:
    """Indices first, in the order of :data:`HINTS`; then indicators by the same hints; else the first."""
    def words(measure: Measure) -> str:
        text = f"{measure.key} {measure.label}".lower()
        return " " + " ".join("".join(c if c.isalnum() else " " for c in fold(text)).split()) + " "

    for kind in ("index", "indicator"):
        for hint in HINTS:
            for measure in measures:
                if measure.kind != kind:
                    continue
                # short hints (edi, idh) must be whole words: « médian » is no EDI
                if (f" {hint} " in words(measure)) if len(hint) <= 4 else (f" {hint}" in words(measure)):
                    return measure
    return measures[0] if measures else None
