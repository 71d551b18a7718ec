"""The two published tables of seed 004, for any set of coded action sheets.

- :func:`theme_table` — Figure 1, « Nombre (%) de fiches-action abordant une thématique donnée »;
- :func:`determinant_strategy_table` — Figure 2, « Nombre (%) d'actions visant un déterminant de la
  santé donné et type d'intervention ».

Counts are numbers of distinct action sheets; shares are percentages (0–100) without rounding (the
pages round them). Neither is "better" when higher: they describe where a portfolio acts.
The explanatory figures (number of sheets, of mentions, of sheets with several themes…) and a
French note travel with each table in ``DataFrame.attrs``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from equisante.numbers import french_number, french_percent, plural

from equisante.actionsheets.model import ActionSheet
from equisante.grid.reference import Grid, load_grid
from equisante.portfolio.coding import NOT_SPECIFIED, classes_of, strategies_of, subgroups_of, unique_sheets

THEME_COLUMNS = ("theme", "n_actions", "share")
DETERMINANT_STRATEGY_COLUMNS = ("determinant", "strategy", "n_actions", "share")

#: The sub-groups shown under each strategy in the published Figure 2 (in its order). The default of
#: :func:`determinant_strategy_table` shows every level-2 sub-group of the grid instead.
FIGURE_2_SUBGROUPS: dict[str, tuple[str, ...]] = {
    "S1": ("S1.2", "S1.1"),
    "S4": ("S4.1", "S4.2", "S4.3", "S4.4"),
    "S5": ("S5.1", "S5.2", "S5.3"),
}


def percent(count: int, total: int) -> float:
    """``count`` as a percentage of ``total`` (NaN when the total is zero: no share exists)."""
    return 100.0 * count / total if total else math.nan


def theme_table(actions: Iterable[ActionSheet], *, grid: Grid | None = None, include_empty: bool = True) -> pd.DataFrame:
    """Per health theme (the 16 of Figure 1, in its order): the number of sheets addressing it
    (``n_actions``) and its share of all sheets (``share``, percent).

    A sheet with several themes counts once under each, so the shares add up to more than 100 %;
    sheets without a theme count in the denominator only. ``include_empty``: keep themes addressed
    by no sheet (count 0), as the published figure does.

    ``attrs``: ``n_sheets`` (all sheets), ``n_mentions`` (sum of ``n_actions``), ``mention_share``
    (``n_mentions`` in percent of ``n_sheets``), ``n_several_themes`` (sheets with two themes or more),
    ``several_themes_by_count`` ({number of themes: sheets}), ``n_without_theme``, ``note`` (French).
    """
    grid = grid or load_grid()
    sheets = unique_sheets(actions)
    total = len(sheets)
    rows = []
    for theme in grid.themes():
        count = sum(1 for s in sheets if theme.id in s.themes)
        if count or include_empty:
            rows.append({"theme": theme.id, "n_actions": count, "share": percent(count, total)})
    table = pd.DataFrame(rows, columns=list(THEME_COLUMNS)).astype({"n_actions": int, "share": float})
    several: dict[int, int] = {}
    for sheet in sheets:
        if len(sheet.themes) > 1:
            several[len(sheet.themes)] = several.get(len(sheet.themes), 0) + 1
    n_several = sum(several.values())
    mentions = int(table["n_actions"].sum())
    table.attrs.update({
        "n_sheets": total,
        "n_mentions": mentions,
        "mention_share": percent(mentions, total),
        "n_several_themes": n_several,
        "several_themes_by_count": dict(sorted(several.items())),
        "n_without_theme": sum(1 for s in sheets if not s.themes),
        "note": _theme_note(total, mentions, several),
    })
    return table


def _theme_note(total: int, mentions: int, several: Mapping[int, int]) -> str:
    if not several:
        return (f"{plural(total, 'fiche-action', 'fiches-action')} ; chacune aborde au plus une thématique, "
                "les parts se lisent directement.")
    detail = ", ".join(f"{n} en {'aborde' if n < 2 else 'abordent'} {k}" for k, n in sorted(several.items()))
    n_several = sum(several.values())
    share = percent(n_several, total)
    return (f"Le total des mentions ({mentions}) dépasse le nombre de fiches-action ({total}) : "
            f"{plural(n_several, 'fiche')} ({french_percent(share)}) "
            + ("aborde plus d'une thématique" if n_several < 2 else "abordent plus d'une thématique")
            + f" ({detail}) et " + ("compte" if n_several < 2 else "comptent") + " sous chacune.")


def determinant_strategy_table(
    actions: Iterable[ActionSheet],
    *,
    grid: Grid | None = None,
    subgroups: Mapping[str, Sequence[str]] | None = None,
    include_empty: bool = True,
) -> pd.DataFrame:
    """Per determinant class (D1…D6), the sheets coded with at least one of its determinants, then
    how they act.

    Rows, for each class in grid order:

    - the class total: ``strategy`` empty, ``n_actions`` = distinct sheets coded with the class,
      ``share`` = 100 (NaN when the class has no sheet);
    - per strategy S1…S5: the class's sheets coded with that strategy (at any depth), followed by
      its sub-groups (``S4.1``…: sheets coded with the sub-group or below), ``share`` in percent of
      the class total;
    - ``NS``: the class's sheets with no strategy at all.

    A sheet counts under every class and every strategy it has, so the strategy rows of a class may
    add up to more than its total. ``subgroups``: strategy id → sub-group ids to show (default: every
    level-2 sub-group of the grid; :data:`FIGURE_2_SUBGROUPS` gives the published layout).
    ``include_empty``: keep rows whose count is 0 (strategy, sub-group and NS rows; class-total rows
    are always kept).

    ``attrs``: ``n_sheets``, ``n_with_determinant``, ``n_without_strategy``, ``n_several_classes``,
    ``n_several_strategies``, ``note`` (French).
    """
    grid = grid or load_grid()
    sheets = unique_sheets(actions)
    strategies = [n.id for n in grid.strategies() if n.level == 1]
    if subgroups is None:
        subgroups = {s: tuple(n.id for n in grid.children(s)) for s in strategies}
    coded = [(classes_of(s, grid), strategies_of(s, grid), subgroups_of(s, grid)) for s in sheets]
    rows = []
    for klass in (n.id for n in grid.determinants() if n.level == 1):
        members = [(strats, subs) for classes, strats, subs in coded if klass in classes]
        total = len(members)
        rows.append({"determinant": klass, "strategy": "", "n_actions": total, "share": percent(total, total)})
        for strategy in strategies:
            count = sum(1 for strats, _ in members if strategy in strats)
            _append(rows, klass, strategy, count, total, include_empty)
            for subgroup in subgroups.get(strategy, ()):
                _append(rows, klass, subgroup, sum(1 for _, subs in members if subgroup in subs), total, include_empty)
        _append(rows, klass, NOT_SPECIFIED, sum(1 for strats, _ in members if not strats), total, include_empty)
    table = pd.DataFrame(rows, columns=list(DETERMINANT_STRATEGY_COLUMNS)).astype({"n_actions": int, "share": float})
    with_determinant = sum(1 for classes, _, _ in coded if classes)
    table.attrs.update({
        "n_sheets": len(sheets),
        "n_with_determinant": with_determinant,
        "n_without_strategy": sum(1 for classes, strats, _ in coded if classes and not strats),
        "n_several_classes": sum(1 for classes, _, _ in coded if len(classes) > 1),
        "n_several_strategies": sum(1 for classes, strats, _ in coded if classes and len(strats) > 1),
        "note": ("Une fiche-action compte dans chaque classe de déterminants et sous chaque stratégie dont elle "
                 "relève : les lignes d'une classe peuvent dépasser son total. « NS » : fiches sans stratégie "
                 "renseignée. Parts en % du total de la classe."),
    })
    return table


def _append(rows: list, klass: str, strategy: str, count: int, total: int, include_empty: bool) -> None:
    if count or include_empty:
        rows.append({"determinant": klass, "strategy": strategy, "n_actions": count, "share": percent(count, total)})
