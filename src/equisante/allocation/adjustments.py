"""Dated adjustments of the need weights, each with its reason (pure).

« +10 % pour 93, 77 et 95 à partir du 15 février 2021 » is an :class:`Adjustment` with
``territories=("93", "77", "95")``, ``column="departement"`` (the communes of those départements, or
``"code"`` for the départements themselves), ``factor=1.10``, ``starts=date(2021, 2, 15)`` and its
reason. :func:`apply_adjustments` multiplies the weight of the territories concerned by the factors
of the adjustments in force on a date; the allocation then shares the same total with these weights,
so the territories concerned get 10 % more **per unit of need** than the others (the others get a
little less: the total does not change).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from equisante.allocation.errors import AllocationError
from equisante.numbers import french_number

__all__ = ["Adjustment", "apply_adjustments"]


@dataclass(frozen=True)
class Adjustment:
    """A multiplication of the need weight of some territories, in force between two dates."""

    territories: tuple[str, ...]
    factor: float
    reason: str
    starts: date | None = None
    ends: date | None = None
    column: str = "code"

    def in_force(self, on: date | None) -> bool:
        if on is None:
            return True
        return (self.starts is None or self.starts <= on) and (self.ends is None or on <= self.ends)

    def describe(self) -> str:
        """« +10 % pour 93, 77 et 95 à partir du 15/02/2021 » (and « jusqu'au … »)."""
        change = (self.factor - 1) * 100
        sign = "+" if change >= 0 else "−"
        codes = list(self.territories)
        listed = codes[0] if len(codes) == 1 else ", ".join(codes[:-1]) + " et " + codes[-1]
        text = f"{sign}{french_number(abs(change), 1)}\u00a0% pour {listed}"
        if self.starts:
            text += f" à partir du {self.starts:%d/%m/%Y}"
        if self.ends:
            text += f" jusqu'au {self.ends:%d/%m/%Y}"
        return text

    def to_dict(self) -> dict:
        return {"territories": list(self.territories), "factor": self.factor, "reason": self.reason,
                "starts": self.starts.isoformat() if self.starts else None,
                "ends": self.ends.isoformat() if self.ends else None, "column": self.column}

    @classmethod
    def from_dict(cls, data: dict) -> Adjustment:
        return cls(territories=tuple(str(t) for t in data["territories"]), factor=float(data["factor"]),
                   reason=str(data.get("reason", "")),
                   starts=date.fromisoformat(data["starts"]) if data.get("starts") else None,
                   ends=date.fromisoformat(data["ends"]) if data.get("ends") else None,
                   column=str(data.get("column") or "code"))


def _check(adjustment: Adjustment, frame: pd.DataFrame) -> None:
    reason = adjustment.reason or adjustment.describe()
    if not adjustment.reason.strip():
        raise AllocationError("allocation_adjustment_invalid", reason=adjustment.describe(),
                              why="un ajustement doit avoir un motif")
    if not np.isfinite(adjustment.factor) or adjustment.factor < 0:
        raise AllocationError("allocation_adjustment_invalid", reason=reason,
                              why=f"le facteur {adjustment.factor} doit être un nombre positif ou nul")
    if adjustment.starts and adjustment.ends and adjustment.ends < adjustment.starts:
        raise AllocationError("allocation_adjustment_invalid", reason=reason, why="la fin précède le début")
    if not adjustment.territories:
        raise AllocationError("allocation_adjustment_invalid", reason=reason, why="aucun territoire désigné")
    if adjustment.column not in frame.columns:
        raise AllocationError("allocation_adjustment_invalid", reason=reason,
                              why=f"la colonne « {adjustment.column} » manque")


def apply_adjustments(frame: pd.DataFrame, adjustments: Iterable[Adjustment], *, on: date | None = None,
                      weight: str | None = None, into: str = "adjusted_weight") -> pd.DataFrame:
    """A copy of ``frame`` with ``into`` (the weight, 1 when ``weight`` is None, times the factors of
    the adjustments in force on ``on``; every adjustment when ``on`` is None) and ``adjustments``
    (the descriptions and reasons applied to each row, « ; »-separated, empty when none)."""
    out = frame.copy()
    values = np.ones(len(out)) if weight is None else pd.to_numeric(out[weight], errors="coerce").to_numpy(float)
    values = values.copy()
    notes = [[] for _ in range(len(out))]
    for adjustment in adjustments:
        _check(adjustment, out)
        if not adjustment.in_force(on):
            continue
        wanted = {str(t) for t in adjustment.territories}
        hit = out[adjustment.column].astype(str).isin(wanted).to_numpy()
        values[hit] *= adjustment.factor
        text = f"{adjustment.describe()} ({adjustment.reason})"
        for i in np.flatnonzero(hit):
            notes[i].append(text)
    out[into] = values
    out["adjustments"] = ["; ".join(n) for n in notes]
    return out


def _decimal(text: str) -> float:
    return float(text.strip().replace("\u00a0", "").replace(" ", "").replace(",", "."))


def parse_adjustments(text: str, departements: set[str] | frozenset[str] = frozenset()) -> list[Adjustment]:
    """Adjustments written one per line « territoires ; variation ; à partir du ; jusqu'au ; motif », e.g.
    « 93, 77, 95 ; +10 % ; 2021-02-15 ; ; sur-allocation ». The variation is a percentage (``+10 %``,
    ``-5``) or a factor (``×1,1``). Codes that are all in ``departements`` apply to the communes of those
    départements (column ``departement``), otherwise to the territories of those codes. Raises
    :class:`AllocationError` (French, with the line number)."""
    import re

    out = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(";")]
        parts += [""] * (5 - len(parts))
        label = f"ligne {number}"
        codes = tuple(c for c in re.split(r"[,\s]+", parts[0]) if c)
        if not codes:
            raise AllocationError("allocation_adjustment_invalid", reason=label, why="aucun territoire")
        change = parts[1].replace("%", "").strip()
        try:
            factor = _decimal(change.lstrip("×xX")) if change.startswith(("×", "x", "X")) else 1 + _decimal(change) / 100
        except ValueError:
            raise AllocationError("allocation_adjustment_invalid", reason=label,
                                  why=f"« {parts[1]} » n'est pas une variation (ex. +10 % ou ×1,1)") from None
        dates = []
        for text_date in parts[2:4]:
            try:
                dates.append(date.fromisoformat(text_date) if text_date else None)
            except ValueError:
                raise AllocationError("allocation_adjustment_invalid", reason=label,
                                      why=f"« {text_date} » n'est pas une date (AAAA-MM-JJ)") from None
        reason = ";".join(parts[4:]).strip(" ;")
        if not reason:
            raise AllocationError("allocation_adjustment_invalid", reason=label, why="indiquer le motif")
        column = "departement" if departements and set(codes) <= set(departements) else "code"
        adjustment = Adjustment(codes, factor, reason, dates[0], dates[1], column)
        if adjustment.starts and adjustment.ends and adjustment.ends < adjustment.starts:
            raise AllocationError("allocation_adjustment_invalid", reason=label, why="la fin précède le début")
        if factor < 0:
            raise AllocationError("allocation_adjustment_invalid", reason=label, why="le facteur serait négatif")
        out.append(adjustment)
    return out
