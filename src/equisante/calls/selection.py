"""The committee's proposal: the applications that maximise the total score under the envelope and the
coverage wishes, solved exactly as a 0-1 integer programme (``scipy.optimize.milp``, HiGHS).

Pure module (no Django): an analyst calls :func:`select` from a notebook on a table of applications.

Model. One binary variable per application (retained or not); maximise the sum of the scores of the
retained applications subject to

- the sum of their costs is at most the envelope (``budget``);
- when ``cover`` names a column, every value of that column has at least ``min_per_group`` retained
  applications (rows whose value is missing belong to no group);
- optionally (:func:`propose`), the retained applications flagged by a boolean column take at least a
  given share of the envelope (« part réservée aux territoires prioritaires »).

Feasibility of the first two is decided before solving, exactly: groups are disjoint, so the cheapest
way to satisfy the coverage is to take the ``min_per_group`` cheapest applications of every group; if
a group has too few applications or these cheapest choices cost more than the envelope, the error names
the group. The solver is asked for a zero optimality gap, so the result is the true optimum.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

from equisante.calls.errors import CallError
from equisante.numbers import plural

__all__ = ["select", "propose", "rank", "explain", "euros", "Proposal"]

#: Slack allowed on the budget when checking the solver's answer (euros; costs are money).
_TOLERANCE = 1e-6


def euros(value: float) -> str:
    """A sum of money written the French way, without decimals when whole: 12000 → "12 000"."""
    value = float(value)
    if abs(value - round(value)) < 0.005:
        text = f"{round(value):,}"
    else:
        text = f"{value:,.2f}"
    return text.replace(",", "\u202f").replace(".", ",")


def select(applications: pd.DataFrame, *, budget: float, score: str = "score", cost: str = "cost",
           cover: str | None = None, min_per_group: int = 0) -> pd.DataFrame:
    """A copy of ``applications`` with a boolean column ``selected``: the set of rows of largest total
    ``score`` whose total ``cost`` is at most ``budget`` and, when ``cover`` is given, with at least
    ``min_per_group`` selected rows for each value of the ``cover`` column.

    Raises :class:`~equisante.calls.errors.CallError` (an ``EquisanteError``) with a French message
    naming the constraint that cannot be met (which group, which amount).
    """
    return propose(applications, budget=budget, score=score, cost=cost, cover=cover,
                   min_per_group=min_per_group).table


@dataclass
class Proposal:
    """The solved proposal: the table (with ``selected``), its totals and the solver's figures."""

    table: pd.DataFrame
    budget: float
    total_score: float
    total_cost: float

    @property
    def selected(self) -> pd.DataFrame:
        return self.table[self.table["selected"]]


def propose(applications: pd.DataFrame, *, budget: float, score: str = "score", cost: str = "cost",
            cover: str | None = None, min_per_group: int = 0, reserved: str | None = None,
            reserved_share: float = 0.0, forced_in=(), forced_out=()) -> Proposal:
    """:func:`select` with the extras the committee uses.

    ``reserved``/``reserved_share``: the selected rows where the boolean column ``reserved`` is true
    must take at least ``reserved_share`` (0 to 1) of the envelope. ``forced_in``/``forced_out``: index
    labels the committee has decided by hand (they are fixed, the rest is optimised around them).
    """
    budget = _check_budget(budget)
    table = applications.copy()
    scores = _numbers(table, score, allow_negative=True)
    costs = _numbers(table, cost, allow_negative=False)
    n = len(table)
    lower = np.zeros(n)
    upper = np.ones(n)
    positions = {label: i for i, label in enumerate(table.index)}
    for label in forced_in:
        lower[positions[label]] = 1
    for label in forced_out:
        upper[positions[label]] = 0

    groups = _groups(table, cover) if cover is not None else {}
    min_per_group = int(min_per_group)
    if cover is not None and min_per_group > 0:
        _check_coverage(groups, costs, lower, upper, budget, cover, min_per_group)
    if lower @ costs > budget + _TOLERANCE:
        raise CallError("call_coverage_over_budget", column="décisions manuelles", minimum=1,
                        retained=_retained(1),
                        needed=euros(lower @ costs), group_cost=euros(lower @ costs),
                        group="projets retenus à la main", budget=euros(budget))

    if n == 0:
        table["selected"] = pd.Series(dtype=bool)
        return Proposal(table, budget, 0.0, 0.0)

    rows = [costs]
    lows = [-np.inf]
    highs = [budget]
    if cover is not None and min_per_group > 0:
        for members in groups.values():
            row = np.zeros(n)
            row[members] = 1.0
            rows.append(row)
            lows.append(min_per_group)
            highs.append(np.inf)
    if reserved is not None and reserved_share > 0:
        if reserved not in table.columns:
            raise CallError("call_column_missing", column=reserved, columns=_columns(table))
        flags = table[reserved].fillna(False).astype(bool).to_numpy()
        rows.append(np.where(flags, costs, 0.0))
        lows.append(reserved_share * budget)
        highs.append(np.inf)
    constraints = LinearConstraint(np.vstack(rows), np.array(lows), np.array(highs))
    # HiGHS's presolve makes these knapsack-like programmes much slower (18 s against 1.4 s on the
    # 5,000 applications of benchmarks/bench_calls_select.py) without changing the optimum: it is off.
    result = milp(-scores, constraints=constraints, integrality=np.ones(n), bounds=Bounds(lower, upper),
                  options={"mip_rel_gap": 0.0, "presolve": False})
    if result.status == 2:  # infeasible: only the reserved share can be the cause (coverage checked above)
        raise CallError("call_share_unreachable", share=_percent(reserved_share), column=reserved or "",
                        budget=euros(budget))
    if result.x is None or result.status not in (0,):
        raise CallError("call_solver_failed", message=str(result.message))
    chosen = np.round(result.x).astype(bool)
    if costs[chosen].sum() > budget + _TOLERANCE * max(1.0, budget):
        raise CallError("call_solver_failed", message="la solution dépasse l'enveloppe")
    table["selected"] = chosen
    return Proposal(table, budget, float(scores[chosen].sum()), float(costs[chosen].sum()))


def rank(applications: pd.DataFrame, *, score: str = "score") -> pd.DataFrame:
    """A copy sorted by decreasing ``score`` with a column ``rank`` (1 = best; ties share the best rank)."""
    _numbers(applications, score, allow_negative=True)
    table = applications.copy()
    table["rank"] = table[score].rank(method="min", ascending=False).astype(int)
    return table.sort_values(["rank"], kind="stable")


def explain(result: pd.DataFrame, *, budget: float, score: str = "score", cost: str = "cost",
            cover: str | None = None, min_per_group: int = 0) -> pd.DataFrame:
    """Why well-scored applications were left out of a :func:`select` result.

    "Well-scored": not selected although its score is above the lowest score of the selected ones.
    Returns one row per such application (same index) with ``reason`` (``"budget"`` or
    ``"couverture"``) and ``explanation`` (a French sentence). The reason is ``"couverture"`` when the
    application belongs to the best set under the envelope alone but not to the best set once the
    coverage is required (its place went to a project of an under-covered group), ``"budget"``
    otherwise (the envelope is better spent on the retained projects).
    """
    if "selected" not in result.columns:
        raise CallError("call_column_missing", column="selected", columns=_columns(result))
    scores = _numbers(result, score, allow_negative=True)
    costs = _numbers(result, cost, allow_negative=False)
    chosen = result["selected"].to_numpy(dtype=bool)
    columns = ["reason", "explanation"]
    if not chosen.any():
        floor = -math.inf
    else:
        floor = scores[chosen].min()
    candidates = np.flatnonzero(~chosen & (scores > floor))
    if len(candidates) == 0:
        return pd.DataFrame(columns=columns, index=result.index[:0])
    left = float(budget) - costs[chosen].sum()
    free = None
    if cover is not None and min_per_group > 0:
        free = select(result.drop(columns=["selected"]), budget=budget, score=score, cost=cost)["selected"]
        free = free.to_numpy(dtype=bool)
    reasons, texts = [], []
    lowest = float(floor)
    for i in candidates:
        if free is not None and free[i]:
            group = result[cover].iloc[i]
            reasons.append("couverture")
            texts.append(
                f"Sans l'exigence de couverture ({plural(min_per_group, 'projet')} au moins par « {cover} »), elle "
                f"serait retenue ; son montant ({euros(costs[i])} €) va à des projets d'autres groupes que "
                f"« {group} » pour les couvrir.")
        else:
            reasons.append("budget")
            if costs[i] > left + _TOLERANCE:
                texts.append(
                    f"Son montant ({euros(costs[i])} €) dépasse le reste de l'enveloppe ({euros(max(left, 0))} €) : "
                    f"la retenir obligerait à écarter des projets dont la note totale est plus élevée que la "
                    f"sienne ({_number(scores[i])}).")
            else:
                texts.append(
                    f"L'enveloppe est mieux employée par les projets retenus (note la plus basse retenue : "
                    f"{_number(lowest)}).")
    return pd.DataFrame({"reason": reasons, "explanation": texts}, index=result.index[candidates])


# --- checks ------------------------------------------------------------------------------------------

def _check_budget(budget) -> float:
    try:
        value = float(budget)
    except (TypeError, ValueError):
        raise CallError("call_budget_invalid", budget=budget) from None
    if not math.isfinite(value) or value < 0:
        raise CallError("call_budget_invalid", budget=budget)
    return value


def _columns(table: pd.DataFrame) -> str:
    return ", ".join(str(c) for c in table.columns) or "aucune"


def _numbers(table: pd.DataFrame, column: str, *, allow_negative: bool) -> np.ndarray:
    if column not in table.columns:
        raise CallError("call_column_missing", column=column, columns=_columns(table))
    values = pd.to_numeric(table[column], errors="coerce").to_numpy(dtype=float)
    for label, raw, value in zip(table.index, table[column], values):
        if not math.isfinite(value):
            raise CallError("call_value_invalid", row=label, column=column, value=raw,
                            expected="un nombre est attendu")
        if value < 0 and not allow_negative:
            raise CallError("call_value_invalid", row=label, column=column, value=raw,
                            expected="un montant positif ou nul est attendu")
    return values


def _groups(table: pd.DataFrame, cover: str) -> dict:
    if cover not in table.columns:
        raise CallError("call_column_missing", column=cover, columns=_columns(table))
    groups: dict = {}
    for position, value in enumerate(table[cover]):
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        groups.setdefault(value, []).append(position)
    return groups


def _retained(minimum: int) -> str:
    """« 1 projet retenu », « 2 projets retenus »: the minimum of a coverage error."""
    return plural(minimum, "projet retenu", "projets retenus")


def _check_coverage(groups, costs, lower, upper, budget, cover, minimum) -> None:
    needed_by_group = {}
    for group, members in sorted(groups.items(), key=lambda item: str(item[0])):
        members = np.array(members)
        usable = members[upper[members] > 0]
        if len(usable) < minimum:
            deposited = ("aucune candidature n'y est déposée" if len(usable) == 0 else
                         "seulement " + plural(len(usable), "candidature y est déposée", "candidatures y sont déposées"))
            raise CallError("call_coverage_too_few", minimum=minimum, retained=_retained(minimum), group=group,
                            column=cover, available=len(usable), deposited=deposited)
        forced = usable[lower[usable] > 0]
        others = np.sort(costs[usable[lower[usable] == 0]])
        extra = max(0, minimum - len(forced))
        needed_by_group[group] = float(others[:extra].sum())
    forced_cost = float(lower @ costs)
    needed = forced_cost + sum(needed_by_group.values())
    if needed > budget + _TOLERANCE:
        worst = max(needed_by_group, key=lambda g: needed_by_group[g])
        raise CallError("call_coverage_over_budget", minimum=minimum, retained=_retained(minimum), column=cover,
                        needed=euros(needed),
                        group=worst, group_cost=euros(needed_by_group[worst]), budget=euros(budget))


def _percent(share: float) -> str:
    return _number(100 * share)


def _number(value: float) -> str:
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")
