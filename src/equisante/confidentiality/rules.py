"""The small-count rule on published values (pure: no Django).

A value is *withheld* when its state is ``suppressed`` (set by the producer of the data), or when
the count it rests on — its numerator, or the value itself for an indicator that is a count — is
between 1 and ``threshold − 1`` (``EQUISANTE_CONFIDENTIALITY_THRESHOLD``). A withheld value is
published with its state ``suppressed`` and blank value, numerator and confidence limits: the limits
and the numerator would let anyone recompute the value. The denominator (a population) stays.

Every page and export goes through :func:`publish` (one record) or :func:`publish_frame` (a table).
A breakdown published with its total (the communes of an EPCI and the EPCI, single years and their
pooled period) goes through :func:`publish_breakdown`, which adds secondary suppression
(:func:`secondary_suppression`) so that the total cannot give a withheld count back.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

SUPPRESSED = "suppressed"
#: Fields blanked on a withheld value.
WITHHELD_FIELDS = ("value", "numerator", "lower", "upper")


def _number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def small_count(count: Any, threshold: int) -> bool:
    """Is ``count`` between 1 and ``threshold − 1``? (0 is publishable: it reveals no one.)"""
    number = _number(count)
    return number is not None and 0 < number < threshold


def is_withheld(state: str | None, numerator: Any = None, *, threshold: int, value: Any = None, is_count: bool = False) -> bool:
    """Must this value be withheld? ``is_count``: the indicator is itself a count (its value is one)."""
    if state == SUPPRESSED:
        return True
    if small_count(numerator, threshold):
        return True
    return is_count and small_count(value, threshold)


def publish(record: Mapping[str, Any], *, threshold: int, is_count: bool = False) -> dict[str, Any]:
    """A copy of ``record`` (keys ``state``, ``numerator``, ``value``, ``lower``, ``upper``…) fit for
    publication: withheld values get state ``suppressed`` and ``None`` in :data:`WITHHELD_FIELDS`."""
    published = dict(record)
    if is_withheld(record.get("state"), record.get("numerator"), threshold=threshold,
                   value=record.get("value"), is_count=is_count):
        published["state"] = SUPPRESSED
        for field in WITHHELD_FIELDS:
            if field in published:
                published[field] = None
    return published


def publish_frame(frame, *, threshold: int, count_indicators: frozenset[str] | set[str] = frozenset()):
    """A copy of a values table (pandas; columns ``state``, ``numerator``, ``value``, ``lower``,
    ``upper``, and ``indicator`` when ``count_indicators`` is given) with withheld values blanked."""
    import numpy as np

    table = frame.copy()
    numerator = _numeric(table, "numerator")
    value = _numeric(table, "value")
    withheld = table["state"].astype(str).eq(SUPPRESSED) | ((numerator > 0) & (numerator < threshold)).fillna(False)
    if count_indicators and "indicator" in table:
        counts = table["indicator"].isin(list(count_indicators))
        withheld |= counts & ((value > 0) & (value < threshold)).fillna(False)
    withheld = withheld.to_numpy(dtype=bool)
    for field in WITHHELD_FIELDS:
        if field in table:
            table[field] = table[field].where(~withheld)
    table.loc[withheld, "state"] = SUPPRESSED
    table.attrs["withheld"] = int(np.count_nonzero(withheld))
    return table


def _numeric(table, column: str):
    import pandas as pd

    if column not in table:
        return pd.Series(float("nan"), index=table.index)
    return pd.to_numeric(table[column], errors="coerce")


# --- secondary suppression -----------------------------------------------------------------------------
#
# A withheld count can be recomputed when the total of its breakdown is published with every other
# cell: total − Σ(published cells) = the withheld cell. Secondary suppression withholds more cells
# (the smallest non-zero ones, to lose as little as possible) until what the difference reveals is
# the sum of at least two cells, and that sum is not itself a small count. When no cell is left to
# withhold, the total is withheld instead.

PRIMARY, SECONDARY = "primary", "secondary"


@dataclass(frozen=True)
class Suppression:
    """Which cells of one breakdown are withheld, and why.

    ``primary``: cells withheld for themselves (small count, or state ``suppressed``);
    ``secondary``: cells withheld only so that the total cannot reveal a primary cell;
    ``total_withheld``: the total must be withheld as well (the cells alone could not protect it)."""

    primary: frozenset[int] = frozenset()
    secondary: frozenset[int] = frozenset()
    total_withheld: bool = False

    @property
    def withheld(self) -> frozenset[int]:
        return self.primary | self.secondary

    def reason(self, index: int) -> str | None:
        """``"primary"``, ``"secondary"`` or None for cell ``index``."""
        if index in self.primary:
            return PRIMARY
        if index in self.secondary:
            return SECONDARY
        return None


def secondary_suppression(counts: Sequence[Any], *, threshold: int, primary: Iterable[int] = (),
                          total_published: bool = True) -> Suppression:
    """The cells of a breakdown to withhold so that its published total reveals no withheld count.

    ``counts``: the count of each cell (a numerator, or the value of a count indicator; None when
    unknown); ``primary``: cells already withheld whatever their count (state ``suppressed``).
    Cells with a count between 1 and ``threshold − 1`` are primary too. When ``total_published``
    is False nothing can be recomputed: only the primary cells are withheld.

    Rule: while fewer than two cells are withheld, or the withheld cells add up to a small count
    (between 1 and ``threshold − 1``), withhold the published cell with the smallest non-zero
    count (the first one on ties). Zero cells never protect anything (0 + a small count is still a
    small count) and cells with an unknown count are never chosen. If no cell is left, the total
    is withheld."""
    numbers = [_number(count) for count in counts]
    first = {int(i) for i in primary} | {i for i, n in enumerate(numbers) if small_count(n, threshold)}
    first = {i for i in first if 0 <= i < len(numbers)}
    if not first or not total_published:
        return Suppression(primary=frozenset(first))
    hidden = set(first)
    while not _protected(hidden, numbers, threshold):
        candidates = [(numbers[i], i) for i in range(len(numbers))
                      if i not in hidden and numbers[i] is not None and numbers[i] > 0]
        if not candidates:
            return Suppression(primary=frozenset(first), secondary=frozenset(hidden - first), total_withheld=True)
        hidden.add(min(candidates)[1])
    return Suppression(primary=frozenset(first), secondary=frozenset(hidden - first))


def _protected(hidden: set[int], numbers: list[float | None], threshold: int) -> bool:
    if len(hidden) < 2:
        return False
    known = [numbers[i] for i in hidden]
    if any(n is None for n in known):
        return True  # the sum cannot be stated, but two cells share it
    return not small_count(sum(known), threshold)


def publish_breakdown(records: Sequence[Mapping[str, Any]], total: Mapping[str, Any] | None = None, *,
                      threshold: int, is_count: bool = False) -> tuple[list[dict[str, Any]], dict[str, Any] | None,
                                                                       Suppression]:
    """Records of a breakdown (the communes of an EPCI, the years of a pooled period…) and their
    ``total`` made fit for publication together: primary and secondary suppression applied.

    Each record is a mapping with ``state``, ``numerator``, ``value``, ``lower``, ``upper``; the
    count of a cell is its numerator, or its value when ``is_count``. Returns the published
    records (withheld ones as :func:`publish` leaves them, with ``suppression`` = ``primary`` or
    ``secondary``), the published total (None when not given) and the :class:`Suppression`."""
    counts = [record.get("value") if is_count else record.get("numerator") for record in records]
    flagged = [i for i, record in enumerate(records)
               if is_withheld(record.get("state"), record.get("numerator"), threshold=threshold,
                              value=record.get("value"), is_count=is_count)]
    total_shown = total is not None and not is_withheld(
        total.get("state"), total.get("numerator"), threshold=threshold, value=total.get("value"), is_count=is_count)
    decision = secondary_suppression(counts, threshold=threshold, primary=flagged, total_published=total_shown)
    published = []
    for index, record in enumerate(records):
        row = publish(record, threshold=threshold, is_count=is_count)
        reason = decision.reason(index)
        if reason is not None:
            row["state"] = SUPPRESSED
            for field in WITHHELD_FIELDS:
                if field in row:
                    row[field] = None
        row["suppression"] = reason
        published.append(row)
    published_total = None
    if total is not None:
        published_total = publish(total, threshold=threshold, is_count=is_count)
        if decision.total_withheld:
            published_total["state"] = SUPPRESSED
            for field in WITHHELD_FIELDS:
                if field in published_total:
                    published_total[field] = None
        published_total["suppression"] = (
            SECONDARY if decision.total_withheld else (PRIMARY if not total_shown else None))
    return published, published_total, decision


def rule_statement(threshold: int) -> str:
    """The rule applied, in French, for the foot of every published table, report and export."""
    return (
        f"Tout effectif compris entre 1 et {threshold - 1} (seuil {threshold}) est masqué (secret primaire), "
        "ainsi que les taux, proportions et intervalles calculés à partir de lui ; d'autres cellules sont "
        "masquées (secret secondaire) lorsque le total publié permettrait de retrouver une valeur masquée. "
        "Ce choix est fait une seule fois pour toutes les publications de l'indicateur (pages, exports, "
        "rapports, cartes, API), en tenant compte ensemble des sexes, des classes d'âge, des périodes et des "
        "territoires emboîtés : aucune soustraction entre tableaux publiés ne redonne une valeur masquée."
    )
