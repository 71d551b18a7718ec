"""Values as a portrait publishes them: primary and secondary suppression applied to every breakdown it
shows with its total.

A portrait shows three kinds of breakdown next to their total:

- the single years of a territory next to the pooled range that covers them (``2019`` … ``2021`` and
  ``2019-2021``);
- the sub-territories (communes of an EPCI, IRIS of a commune) next to the territory;
- the peers of the funnel plot (the communes of a région) next to the région.

Each cell carries the decision stored with its value (:mod:`equisante.indicators.withholding`),
taken once over the indicator's whole published cube, so that no total — here or on any other page
— gives a withheld count back. Everything else a portrait computes (quintiles, funnel limits) is made
from the published cells only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import get_language

from equisante.charts.numbers import MINUS, format_number
from equisante.confidentiality import PRIMARY, SECONDARY, Suppression, is_withheld, publish
from equisante.indicators.models import Value
from equisante.portal import publication
from equisante.portraits import periods as period_rules

FIELDS = ("numerator", "denominator", "value", "lower", "upper", "state", "withheld")


@lru_cache(maxsize=64)
def _state_name(state: str, language: str | None) -> str:
    return str(publication.STATE_NAMES.get(state, state))


@dataclass
class Cell(publication.Published):
    """A published value (see :class:`equisante.portal.publication.Published`) that also says why it
    is withheld: ``primary`` (its own small count or the producer's flag) or ``secondary`` (only
    so that a total cannot reveal another cell)."""

    suppression: str | None = None

    @property
    def secondary(self) -> bool:
        return self.suppression == "secondary"

    @property
    def state_name(self) -> str:
        """As :attr:`Published.state_name`, translated once per language (a map names a thousand states)."""
        return _state_name(self.state, get_language())

    @property
    def value_text(self) -> str:
        """As :attr:`Published.value_text` (same decimals, same French notation), written without
        Django's locale machinery: a map of a thousand communes formats a thousand values."""
        if not (get_language() or "fr").startswith("fr"):
            return super().value_text  # another language: its own number format
        if not self.shown:
            return ""
        text = format_number(self.value, publication.decimals_for(self.value, self.kind))
        return text.replace(MINUS, "-")


def current(indicator_ids: Iterable[int]) -> None:
    """Take again the decisions of indicators decided with another threshold than the configured one."""
    from equisante.indicators import withholding
    from equisante.indicators.models import Indicator

    stale = Indicator.objects.filter(pk__in=list(indicator_ids)).exclude(withholding_threshold=publication.threshold())
    if stale.exists():
        withholding.refresh(list(stale))


def _record(value: Value | dict | None) -> dict:
    """The fields of a stored value (a model instance or a dict of :data:`FIELDS`)."""
    if value is None:
        return {"numerator": None, "denominator": None, "value": None, "lower": None, "upper": None, "state": "missing"}
    if isinstance(value, dict):
        return {field: value.get(field) for field in FIELDS}
    return {field: getattr(value, field) for field in FIELDS}


def stored_rows(indicator, period: str, where) -> dict[int, dict]:
    """Stored values of one indicator and period (all sexes and ages) as plain dicts, by territory
    id, for the territories selected by ``where`` (a condition from
    :func:`equisante.portraits.scope.within`): a portrait reads them by the thousand, model instances
    would cost more than the query."""
    columns = ("territory_id", *FIELDS)
    current([indicator.pk])
    rows = Value.objects.filter(where, indicator=indicator, period=period, sex="", age_band="").values_list(*columns)
    return {row[0]: dict(zip(FIELDS, row[1:], strict=True)) for row in rows}


def _cell(record: dict, indicator, territory, period: str) -> Cell:
    fields = {field: record.get(field) for field in FIELDS if field != "withheld"}
    return Cell(indicator=indicator, territory=territory, period=period, sex="", age_band="",
                suppression=record.get("suppression"), **fields)


def missing_cell(indicator, territory, period: str) -> Cell:
    return _cell(_record(None), indicator, territory, period)


def load(indicator_ids: Iterable[int], territory_ids: Iterable[int], periods: Iterable[str] | None = None) -> dict:
    """Stored values of all sexes and all ages: ``{(indicator id, territory id, period): Value}``."""
    indicator_ids = list(indicator_ids)
    current(indicator_ids)
    queryset = Value.objects.filter(indicator_id__in=list(indicator_ids), territory_id__in=list(territory_ids),
                                    sex="", age_band="")
    if periods is not None:
        queryset = queryset.filter(period__in=list(periods))
    return {(v.indicator_id, v.territory_id, v.period): v for v in queryset.only(
        "id", "indicator_id", "territory_id", "period", "sex", "age_band", *FIELDS)}


def over_periods(stored: dict, indicator, territory, *, withheld: dict[str, str] | None = None) -> dict[str, Cell]:
    """The published values of one indicator for one territory, every period, with pooled ranges
    protected: ``{period: Cell}``. ``withheld``: periods already withheld by another breakdown
    (period → reason), protected like the others."""
    by_period = {period: value for (ind, terr, period), value in stored.items()
                 if ind == indicator.pk and terr == territory.pk}
    return protect_periods(by_period, indicator, territory, withheld=withheld)


def protect_periods(by_period: dict[str, Value], indicator, territory, *,
                    withheld: dict[str, str] | None = None) -> dict[str, Cell]:
    """Cells of each period as every page publishes them: the stored decision of each value (taken
    once over the indicator's whole cube, pooled ranges and their years included). ``withheld``:
    periods withheld in any case (period → reason)."""
    reasons: dict[str, str] = dict(withheld or {})
    cells = {}
    for period, value in by_period.items():
        record = _published(_record(value), indicator, reasons.get(period))
        cells[period] = _cell(record, indicator, territory, period)
    return cells


def breakdown(values: Sequence[Value | dict | None], territories: Sequence, indicator, period: str,
              total: Cell | None) -> tuple[list[Cell], Cell | None, object]:
    """Cells of a breakdown (sub-territories or peers, in the order of ``territories``) with their
    ``total``, as every page publishes them: each value carries the decision taken over the
    indicator's whole cube, where a total and its parts never leave a single withheld count to
    recover. Returns the cells, the total (unchanged) and the
    :class:`~equisante.confidentiality.Suppression` of the breakdown (which cells are withheld and why)."""
    records = [_published(_record(value), indicator) for value in values]
    cells = [_cell(row, indicator, territory, period) for row, territory in zip(records, territories, strict=True)]
    decision = Suppression(
        primary=frozenset(i for i, row in enumerate(records) if row.get("suppression") == PRIMARY),
        secondary=frozenset(i for i, row in enumerate(records) if row.get("suppression") == SECONDARY),
    )
    return cells, total, decision


def _published(record: dict, indicator, reason: str | None = None) -> dict:
    """``record`` (stored fields with ``withheld``) blanked when withheld, with its ``suppression``."""
    threshold = publication.threshold()
    is_count = publication.is_count(indicator)
    reason = reason or (record.get("withheld") or None)
    if reason is None and record.get("state") != "missing" and is_withheld(
            record.get("state"), record.get("numerator"), threshold=threshold, value=record.get("value"),
            is_count=is_count):
        reason = PRIMARY
    published = publish(record, threshold=threshold, is_count=is_count)
    if reason is not None:
        published.update({"state": "suppressed", "value": None, "numerator": None, "lower": None, "upper": None})
    published["suppression"] = reason
    return published


def group_by_indicator(stored: dict) -> dict[int, dict[int, dict[str, Value]]]:
    """``{indicator id: {territory id: {period: Value}}}``."""
    grouped: dict[int, dict[int, dict[str, Value]]] = defaultdict(lambda: defaultdict(dict))
    for (indicator_id, territory_id, period), value in stored.items():
        grouped[indicator_id][territory_id][period] = value
    return grouped
