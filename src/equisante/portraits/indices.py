"""The composite indices of a territory and its class, as the prioritisation area computes them.

The prioritisation area (``equisante.prioritisation.results.indices_for``) may be absent from a
deployment or not yet computed: the portrait then says « indices non calculés » instead of failing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)


@dataclass
class IndexSummary:
    """``rows``: dicts with ``index``, ``label``, ``value``, ``class_label``, ``eligible``, ``rule``,
    ``method``, ``parameters``, ``period``, ``computed_at``. ``status``: ``ok``, ``empty`` (nothing
    computed for this territory), ``absent`` (no prioritisation area) or ``error``."""

    rows: list[dict] = field(default_factory=list)
    status: str = "absent"

    @property
    def available(self) -> bool:
        return self.status == "ok"


def indices_for(territory) -> IndexSummary:
    try:
        from equisante.prioritisation.results import indices_for as compute
    except ImportError:
        return IndexSummary(status="absent")
    try:
        rows = [dict(row) for row in compute(territory)]
    except Exception:  # a portrait must still open when the indices cannot be read (logged for the admin)
        logger.exception("indices de %s illisibles", territory)
        return IndexSummary(status="error")
    return IndexSummary(rows=rows, status="ok" if rows else "empty")
