"""Share a resource among territories by proportionate universalism (pure: pandas and numpy).

:func:`allocate` gives every territory an amount proportional to ``population × weight`` (the need),
within its floor and its cap, the amounts adding up to the total:

- the territories held by neither bound share what the bounded ones leave, in proportion to
  ``population × weight``. Formally every territory gets ``clamp(λ·p_i·w_i, floor_i, cap_i)`` with
  the one level λ that makes the sum equal the total (« remplissage » by levels, water-filling).
  The sum is a piecewise-linear, non-decreasing function of λ whose breakpoints are ``floor/need``
  and ``cap/need``: λ is found exactly by sorting these breakpoints (O(n log n), no iteration that
  could oscillate between floors and caps);
- with ``unit`` (a dose, a post, 1 €), the shares are computed in units (floors rounded up to a whole
  unit, caps rounded down), every territory gets the whole part of its share and the units left
  go one each to the largest remainders (Hamilton's method), ties going to the larger population,
  then to the earlier row;
- impossible constraints raise :class:`~equisante.allocation.errors.AllocationError` (an
  ``EquisanteError``) whose French message names the territory and the constraint.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from equisante.allocation.errors import AllocationError
from equisante.numbers import french_number

__all__ = ["allocate", "territory_label"]

#: Relative tolerance when checking that the total is a multiple of the unit.
UNIT_TOLERANCE = 1e-9
#: Territories named in a message about a sum of bounds.
NAMED = 3


def territory_label(frame: pd.DataFrame, position: int) -> str:
    """« Nom (code) » of the row at ``position`` when the frame has ``name``/``code`` columns, else
    its index label and row number."""
    row = frame.iloc[position]
    name = row.get("name") if "name" in frame.columns else None
    code = row.get("code") if "code" in frame.columns else None
    if isinstance(name, str) and name and code is not None and not pd.isna(code):
        return f"« {name} » ({code})"
    if code is not None and not pd.isna(code):
        return f"« {code} »"
    if isinstance(name, str) and name:
        return f"« {name} »"
    return f"« {frame.index[position]} » (ligne {position + 1})"


def _number(value) -> str:
    return french_number(float(value), digits=2) if np.isfinite(value) else "illimité"


def _column(frame: pd.DataFrame, name: str, role: str) -> np.ndarray:
    if name not in frame.columns:
        raise AllocationError("allocation_column_missing", column=name, role=role,
                              available=", ".join(map(str, frame.columns)) or "aucune")
    values = pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float)
    bad = np.flatnonzero(~np.isfinite(values) | (values < 0))
    if bad.size:
        i = int(bad[0])
        raise AllocationError("allocation_value_invalid", territory=territory_label(frame, i), role=role,
                              value=frame[name].iloc[i])
    return values


def _bound(frame: pd.DataFrame, bound, role: str, default: float) -> np.ndarray:
    if bound is None:
        return np.full(len(frame), default)
    if isinstance(bound, str):
        if bound not in frame.columns:
            raise AllocationError("allocation_column_missing", column=bound, role=role,
                                  available=", ".join(map(str, frame.columns)) or "aucune")
        values = pd.to_numeric(frame[bound], errors="coerce").to_numpy(dtype=float)
        values = np.where(np.isnan(values), default, values)  # an empty cell: no bound
    else:
        try:
            scalar = float(bound)
        except (TypeError, ValueError):
            raise AllocationError("allocation_value_invalid", territory="(tous)", role=role, value=bound) from None
        values = np.full(len(frame), scalar)
    bad = np.flatnonzero((values < 0) | np.isnan(values))
    if bad.size:
        i = int(bad[0])
        raise AllocationError("allocation_value_invalid", territory=territory_label(frame, i), role=role,
                              value=_number(values[i]))
    return values


def _named(frame: pd.DataFrame, values: np.ndarray, *, largest: bool) -> str:
    order = np.argsort(-values if largest else values, kind="stable")[:NAMED]
    return ", ".join(f"{territory_label(frame, int(i))} {_number(values[i])}" for i in order)


def level_shares(total: float, need: np.ndarray, floor: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """``clamp(λ·need, floor, cap)`` with λ such that the sum is ``total`` (feasibility checked by
    the caller: ``Σ floor ≤ total ≤ Σ reachable caps``). Exact up to floating rounding."""
    base = float(floor.sum())
    rest = total - base
    if rest <= 0:
        return floor.copy()
    active = need > 0
    p = need[active]
    a = floor[active] / p  # level at which the territory leaves its floor
    b = cap[active] / p  # level at which it reaches its cap (inf without cap)
    # S(λ) − Σfloor = Σ p·(clamp(λ, a, b) − a): slope +p from a, −p from b
    points = np.concatenate([a, b])
    slopes = np.concatenate([p, -p])
    finite = np.isfinite(points)
    points, slopes = points[finite], slopes[finite]
    order = np.argsort(points, kind="stable")
    points, slopes = points[order], slopes[order]
    slope_after = np.cumsum(slopes)  # slope on [points[k], points[k+1]]
    gains = np.concatenate([[0.0], np.cumsum(slope_after[:-1] * np.diff(points))])  # S − Σfloor at points[k]
    k = int(np.searchsorted(gains, rest, side="left"))  # first breakpoint reaching the rest
    if k == 0:
        level = points[0]
    else:
        k -= 1
        slope = slope_after[k]
        level = points[k] + (rest - gains[k]) / slope if slope > 0 else points[min(k + 1, len(points) - 1)]
    out = floor.copy()
    out[active] = np.clip(level * p, floor[active], cap[active])
    return out


def _fix_sum(shares: np.ndarray, total: float, free: np.ndarray) -> np.ndarray:
    """Put the floating-point residual on the largest territory held by no bound."""
    residual = total - math.fsum(shares)
    if residual and free.any():
        candidates = np.flatnonzero(free)
        i = candidates[np.argmax(shares[candidates])]
        shares[i] += residual
    return shares


def allocate(
    frame: pd.DataFrame,
    total: float,
    *,
    population: str = "population",
    weight: str | None = None,
    floor: str | float | None = None,
    cap: str | float | None = None,
    unit: float | None = None,
) -> pd.DataFrame:
    """A copy of ``frame`` with the column ``allocation`` (see the module docstring).

    ``floor`` and ``cap`` are a column name (an empty cell: no bound) or one number for every
    territory. With ``unit``, ``total`` must be a whole number of units; the copy also has the column
    ``units`` (whole units per territory). Messages name territories by the ``name`` and ``code``
    columns when there are some.
    """
    try:
        total = float(total)
    except (TypeError, ValueError):
        raise AllocationError("allocation_total_invalid", value=total) from None
    if not np.isfinite(total) or total < 0:
        raise AllocationError("allocation_total_invalid", value=total)
    if len(frame) == 0:
        raise AllocationError("allocation_empty", total=_number(total))
    pop = _column(frame, population, "population")
    w = np.ones(len(frame)) if weight is None else _column(frame, weight, "poids")
    need = pop * w
    if need.size and need.max() > 0:  # relative scale; a need below 1e-12 of the largest counts as none
        need = need / need.max()
        need[need < 1e-12] = 0.0
    low = _bound(frame, floor, "plancher", 0.0)
    high = _bound(frame, cap, "plafond", np.inf)

    scale = 1.0
    if unit is not None:
        try:
            scale = float(unit)
        except (TypeError, ValueError):
            raise AllocationError("allocation_unit_invalid", value=unit) from None
        if not np.isfinite(scale) or scale <= 0:
            raise AllocationError("allocation_unit_invalid", value=unit)
        units = total / scale
        if abs(units - round(units)) > UNIT_TOLERANCE * max(1.0, abs(units)):
            raise AllocationError("allocation_total_not_multiple", total=_number(total), unit=french_number(scale, 6))
        total = float(round(units))
        # a floor of 2.5 units means at least 3; a cap of 2.5 units, at most 2
        low = np.ceil(low / scale - UNIT_TOLERANCE)
        high = np.floor(high / scale + UNIT_TOLERANCE)

    crossed = np.flatnonzero(low > high)
    if crossed.size:
        i = int(crossed[0])
        raise AllocationError("allocation_floor_above_cap", territory=territory_label(frame, i),
                              floor=_number(low[i] * scale), cap=_number(high[i] * scale))
    floors = math.fsum(low)
    if floors > total * (1 + 1e-12):
        raise AllocationError("allocation_floors_above_total", floors=_number(floors * scale),
                              total=_number(total * scale), territories=_named(frame, low * scale, largest=True))
    # a territory without need stays at its floor: its cap cannot absorb anything
    reachable = np.where(need > 0, high, low)
    if math.fsum(reachable) < total * (1 - 1e-12):
        if math.fsum(high) >= total:  # room only in territories without need
            idle = np.flatnonzero((need <= 0) & (high > low))
            raise AllocationError("allocation_no_weight", rest=_number((total - math.fsum(reachable)) * scale),
                                  territories=", ".join(territory_label(frame, int(i)) for i in idle[:NAMED])
                                  or "aucun")
        raise AllocationError("allocation_caps_below_total", caps=_number(math.fsum(reachable) * scale),
                              total=_number(total * scale), territories=_named(frame, reachable * scale, largest=False))

    shares = level_shares(total, need, low, high)
    free = (need > 0) & (shares > low) & (shares < high)
    out = frame.copy()
    if unit is None:
        out["allocation"] = _fix_sum(shares, total, free)
        return out
    whole = hamilton(shares, int(total), pop, low, high)
    out["units"] = whole
    out["allocation"] = whole * scale
    return out


def hamilton(shares: np.ndarray, total: int, population: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Whole units: the whole part of each share, then one more unit to the largest remainders
    (ties: larger population, then earlier row), never above a cap nor below a floor."""
    base = np.floor(shares + 1e-9)
    base = np.clip(base, low, high)
    left = int(round(total - base.sum()))
    remainder = np.round(shares - base, 9)
    if left > 0:
        room = base < high
        candidates = np.flatnonzero(room)
        order = np.lexsort((candidates, -population[candidates], -remainder[candidates]))
        chosen = candidates[order[:left]]
        base[chosen] += 1
    elif left < 0:  # rounding pushed a floor up: take back from the smallest remainders above their floor
        candidates = np.flatnonzero(base > low)
        order = np.lexsort((-candidates, population[candidates], remainder[candidates]))
        base[candidates[order[:-left]]] -= 1
    return base.astype(np.int64)
