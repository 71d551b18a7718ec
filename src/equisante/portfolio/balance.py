"""The balance of the three strategies against inequalities, the approach types, and the sheets at
risk of widening inequalities (seed 004, recommendation 5 and the preamble of the recommendations).

The three strategies of recommendation 5:

- **rattrapage** — catching up on the effects of precarity through the care system;
- **nivellement** — countering the unequal effects of ordinary health and social care;
- **réduction du gradient** — measures proportionate to unequal exposures in living and working
  environments (proportionate universalism).

The seed names them but does not say how to recognise them on a coded sheet: the mapping rules
below are a stated, configurable reading of DOMAIN §5.1 (a sheet belongs to a family when it has at
least one determinant under the rule's determinants, at least one strategy under the rule's
strategies, and — when the rule names approaches — one of those approaches). A sheet may belong to
several families or to none; shares are percentages of all sheets.

Sheets « à risque d'accroître les inégalités »: every strategy is information or health education
(S1.1 / S1.2) and the approach is universal — generic campaigns reach the best-off first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from equisante.actionsheets.model import ActionSheet
from equisante.grid.reference import Grid, load_grid
from equisante.portfolio.coding import check_ids, has_any, only_within, unique_sheets
from equisante.portfolio.labels import label
from equisante.portfolio.tables import percent

#: Pseudo-id of a sheet without an approach (or without any family) in the distribution tables.
NOT_FILLED = "non-renseigne"
UNCLASSIFIED = "non-classee"


def _approaches_text(approaches: Sequence[str]) -> str:
    """« universalisme proportionné » rather than its id, in the rules shown to people."""
    return " ou ".join(f"« {label(a)} »" for a in approaches)


@dataclass(frozen=True)
class StrategyRule:
    """How to recognise one of the three strategies on a coded sheet.

    ``determinants`` / ``strategies``: grid ids; the sheet must have a code at or below one of each
    (an empty tuple means « any, or none »). ``approaches``: approach ids, one of which the sheet must
    have (empty: any approach, coded or not)."""

    id: str
    label: str
    determinants: tuple[str, ...] = ()
    strategies: tuple[str, ...] = ()
    approaches: tuple[str, ...] = ()

    def matches(self, sheet: ActionSheet, grid: Grid) -> bool:
        return ((not self.determinants or has_any(sheet.determinants, self.determinants, grid))
                and (not self.strategies or has_any(sheet.strategies, self.strategies, grid))
                and (not self.approaches or sheet.approach in self.approaches))

    def statement(self) -> str:
        """The rule in French, as shown next to the results."""
        parts = []
        if self.determinants:
            parts.append("un déterminant sous " + " ou ".join(self.determinants))
        if self.strategies:
            parts.append("une stratégie sous " + " ou ".join(self.strategies))
        if self.approaches:
            parts.append("l'approche " + _approaches_text(self.approaches))
        return f"{self.label} : fiche codée avec " + (", ".join(parts) if parts else "n'importe quel codage") + "."

    def validate(self, grid: Grid) -> None:
        check_ids(self.id, self.determinants, "determinant", grid)
        check_ids(self.id, self.strategies, "strategy", grid)
        check_ids(self.id, self.approaches, "approach", grid)


#: The default reading of recommendation 5 (DOMAIN §5.1; the « nivellement » mapping is a judgement
#: of the domain notes: care determinants where ordinary care acts unequally — social conditions taken
#: into account, continuity — or the use of services, reoriented services, any approach).
DEFAULT_STRATEGY_RULES: tuple[StrategyRule, ...] = (
    StrategyRule("rattrapage", "Rattrapage", determinants=("D5",), strategies=("S4",),
                 approaches=("groupes-defavorises",)),
    StrategyRule("nivellement", "Nivellement des états de santé", determinants=("D5.2.3", "D5.4", "D4.3"),
                 strategies=("S4",)),
    StrategyRule("reduction-gradient", "Réduction du gradient", determinants=("D2", "D3"),
                 strategies=("S3", "S5"), approaches=("universalisme-proportionne",)),
)


@dataclass(frozen=True)
class RiskRule:
    """Sheets at risk of widening inequalities: all their strategies lie under ``strategies`` (and
    they have at least one) and their approach is one of ``approaches``."""

    strategies: tuple[str, ...] = ("S1.1", "S1.2")
    approaches: tuple[str, ...] = ("universalisme",)

    def matches(self, sheet: ActionSheet, grid: Grid) -> bool:
        return sheet.approach in self.approaches and only_within(sheet.strategies, self.strategies, grid)

    def statement(self) -> str:
        return ("Fiche dont toutes les stratégies relèvent de " + " ou ".join(self.strategies)
                + " (information, éducation pour la santé) avec l'approche " + _approaches_text(self.approaches)
                + " : risque d'accroître les inégalités (les publics les plus favorisés sont touchés d'abord).")

    def validate(self, grid: Grid) -> None:
        check_ids("risque", self.strategies, "strategy", grid)
        check_ids("risque", self.approaches, "approach", grid)


DEFAULT_RISK_RULE = RiskRule()


def families_of(sheet: ActionSheet, rules: Sequence[StrategyRule], grid: Grid) -> tuple[str, ...]:
    """Ids of the rules (strategy families) the sheet matches, in rule order."""
    return tuple(rule.id for rule in rules if rule.matches(sheet, grid))


def strategy_balance(
    actions: Iterable[ActionSheet],
    *,
    rules: Sequence[StrategyRule] = DEFAULT_STRATEGY_RULES,
    grid: Grid | None = None,
) -> pd.DataFrame:
    """Per strategy family: ``family`` (rule id), ``label``, ``n_actions`` (sheets matching the rule),
    ``share`` (percent of all sheets) and ``rule`` (the rule in French); a last row ``non-classee``
    counts sheets matching no rule.

    ``attrs``: ``n_sheets``, ``n_several`` (sheets in two families or more), ``missing`` (ids of the
    families with no sheet), ``note``."""
    grid = grid or load_grid()
    for rule in rules:
        rule.validate(grid)
    sheets = unique_sheets(actions)
    memberships = [families_of(s, rules, grid) for s in sheets]
    rows = []
    for rule in rules:
        count = sum(1 for m in memberships if rule.id in m)
        rows.append({"family": rule.id, "label": rule.label, "n_actions": count,
                     "share": percent(count, len(sheets)), "rule": rule.statement()})
    unclassified = sum(1 for m in memberships if not m)
    rows.append({"family": UNCLASSIFIED, "label": "Non classée", "n_actions": unclassified,
                 "share": percent(unclassified, len(sheets)), "rule": "Fiche ne relevant d'aucune des règles ci-dessus."})
    table = pd.DataFrame(rows, columns=["family", "label", "n_actions", "share", "rule"])
    missing = [r.id for r, row in zip(rules, rows) if row["n_actions"] == 0]
    table.attrs.update({
        "n_sheets": len(sheets),
        "n_several": sum(1 for m in memberships if len(m) > 1),
        "missing": missing,
        "note": ("Une fiche peut relever de plusieurs stratégies ; parts en % de l'ensemble des fiches-action. "
                 + (("Stratégie" if len(missing) == 1 else "Stratégies") + f" sans aucune fiche : {', '.join(missing)}."
                    if missing else "")).strip(),
    })
    return table


def approach_distribution(actions: Iterable[ActionSheet], *, grid: Grid | None = None) -> pd.DataFrame:
    """Per approach type (grid order), then ``non-renseigne``: ``approach``, ``n_actions``, ``share``
    (percent of all sheets). ``attrs``: ``n_sheets``, ``n_coded`` (sheets with an approach)."""
    grid = grid or load_grid()
    sheets = unique_sheets(actions)
    rows = []
    for approach in [n.id for n in grid.approaches()] + [NOT_FILLED]:
        count = sum(1 for s in sheets if (s.approach or NOT_FILLED) == approach)
        rows.append({"approach": approach, "n_actions": count, "share": percent(count, len(sheets))})
    table = pd.DataFrame(rows, columns=["approach", "n_actions", "share"])
    table.attrs.update({"n_sheets": len(sheets), "n_coded": sum(1 for s in sheets if s.approach)})
    return table


def widening_risk(
    actions: Iterable[ActionSheet], *, rule: RiskRule = DEFAULT_RISK_RULE, grid: Grid | None = None
) -> pd.DataFrame:
    """The sheets at risk of widening inequalities: ``contract``, ``code``, ``title``,
    ``strategies`` (« ; »-joined), ``approach``. ``attrs``: ``n_sheets``, ``n_flagged``, ``share``
    (percent of all sheets; higher is worse), ``rule`` (French)."""
    grid = grid or load_grid()
    rule.validate(grid)
    sheets = unique_sheets(actions)
    flagged = [s for s in sheets if rule.matches(s, grid)]
    table = pd.DataFrame(
        [{"contract": s.contract, "code": s.code, "title": s.title, "strategies": "; ".join(s.strategies),
          "approach": s.approach} for s in flagged],
        columns=["contract", "code", "title", "strategies", "approach"],
    )
    table.attrs.update({"n_sheets": len(sheets), "n_flagged": len(flagged),
                        "share": percent(len(flagged), len(sheets)), "rule": rule.statement()})
    return table
