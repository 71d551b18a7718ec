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
    _link(rows, territory)
    return IndexSummary(rows=rows, status="ok" if rows else "empty")


def _link(rows: list[dict], territory) -> None:
    """``url``: the prioritisation page of each index at the territory's level (when the page exists)."""
    from urllib.parse import urlencode

    from django.urls import NoReverseMatch, reverse

    try:
        base = reverse("prioritisation:index")
    except NoReverseMatch:
        return
    for row in rows:
        row["url"] = f"{base}?{urlencode({'index': row.get('index', ''), 'level': row.get('level') or territory.level})}"
