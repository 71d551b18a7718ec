"""Reading a sheet's coding against the grid: which classes, strategies and sub-groups it falls under.

A node coded at any depth counts for each of its ancestors: a sheet coded « D2.3.1 » is a « D2 »
sheet, a sheet coded « S4.1.3 » is an « S4 » sheet of sub-group « S4.1 ». A sheet coded only at the
top level (« S4 ») counts for the strategy but for none of its sub-groups.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from equisante.actionsheets.model import ActionSheet
from equisante.grid.reference import Grid
from equisante.portfolio.errors import PortfolioError

#: The label of sheets without any strategy in the published Figure 2 (« non spécifié »).
NOT_SPECIFIED = "NS"


def unique_sheets(actions: Iterable[ActionSheet]) -> list[ActionSheet]:
    """The sheets as a list, refusing a sheet given twice (same contract and code): counting it twice
    would inflate every table."""
    sheets = list(actions)
    counts = Counter(s.key for s in sheets)
    for (contract, code), count in counts.items():
        if count > 1:
            raise PortfolioError("portfolio_duplicate_sheet", contract=contract, code=code, count=count)
    return sheets


def classes_of(sheet: ActionSheet, grid: Grid) -> set[str]:
    """Determinant classes (D1…D6) the sheet is coded with."""
    return {grid.top_level(d) for d in sheet.determinants}


def strategies_of(sheet: ActionSheet, grid: Grid) -> set[str]:
    """Top-level strategies (S1…S5) the sheet is coded with."""
    return {grid.top_level(s) for s in sheet.strategies}


def subgroups_of(sheet: ActionSheet, grid: Grid) -> set[str]:
    """Strategy sub-groups (level-2 nodes such as S4.1) the sheet is coded with at that depth or deeper."""
    return {grid.at_level(s, 2) for s in sheet.strategies if grid.node(s).level >= 2}


def codes_under(codes: Sequence[str], prefixes: Iterable[str], grid: Grid) -> list[str]:
    """The codes that are one of ``prefixes`` or lie below one of them."""
    wanted = set(prefixes)
    return [c for c in codes if c in wanted or wanted & {a.id for a in grid.ancestors(c)}]


def has_any(codes: Sequence[str], prefixes: Iterable[str], grid: Grid) -> bool:
    """Whether one of ``codes`` is at or below one of ``prefixes``."""
    return bool(codes_under(codes, prefixes, grid))


def only_within(codes: Sequence[str], prefixes: Iterable[str], grid: Grid) -> bool:
    """Whether ``codes`` is not empty and every code is at or below one of ``prefixes``."""
    prefixes = list(prefixes)
    return bool(codes) and len(codes_under(codes, prefixes, grid)) == len(codes)


def check_ids(rule: str, ids: Iterable[str], kind: str, grid: Grid) -> None:
    """Refuse a mapping rule that cites an id the grid does not have (or of the wrong kind)."""
    expected = {"determinant": "un déterminant", "strategy": "une stratégie", "approach": "un type d'approche"}[kind]
    for id in ids:
        if not grid.is_valid(id) or grid.node(id).kind != kind:
            raise PortfolioError("portfolio_rule_invalid", rule=rule, id=id, expected=expected, version=grid.version)
