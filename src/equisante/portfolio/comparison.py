"""One row per contract (and pooled rows per département and for the whole selection) so that a
contract can be read against the others: where its sheets act, how they are balanced, how its checks
stand. Shares are percentages of the row's sheets; the pooled rows pool the sheets (they are not
averages of contract shares).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from equisante.actionsheets.model import ActionSheet, ContractFacts
from equisante.grid.reference import Grid, load_grid
from equisante.portfolio.balance import DEFAULT_RISK_RULE, DEFAULT_STRATEGY_RULES, RiskRule, StrategyRule, families_of
from equisante.portfolio.checks import NOT_FILLED, SATISFIED, TO_STRENGTHEN, CheckResult
from equisante.portfolio.coding import classes_of, unique_sheets
from equisante.portfolio.tables import percent

CONTRACT_ROW, DEPARTEMENT_ROW, REGION_ROW = "contrat", "département", "ensemble"


def comparison_table(
    actions: Iterable[ActionSheet],
    contracts: Iterable[ContractFacts] = (),
    *,
    checks_by_contract: dict[str, list[CheckResult]] | None = None,
    rules: Sequence[StrategyRule] = DEFAULT_STRATEGY_RULES,
    risk_rule: RiskRule = DEFAULT_RISK_RULE,
    grid: Grid | None = None,
    pooled: bool = True,
) -> pd.DataFrame:
    """Columns: ``kind`` (``contrat``, ``département``, ``ensemble``), ``contract`` (code; for pooled
    rows the département code or empty), ``name``, ``departement``, ``n_actions``, ``share_D1`` …
    ``share_D6`` (sheets coded with the class), ``share_<family>`` per strategy family,
    ``share_universalisme_proportionne``, ``share_at_risk`` (higher is worse), then for contract rows
    the number of check results per status (``n_satisfait``, ``n_a_renforcer``, ``n_non_renseigne``)."""
    grid = grid or load_grid()
    sheets = unique_sheets(actions)
    facts = {c.code: c for c in contracts}
    codes = sorted({s.contract for s in sheets} | set(facts))
    classes = [n.id for n in grid.determinants() if n.level == 1]
    rows = []
    for code in codes:
        own = [s for s in sheets if s.contract == code]
        fact = facts.get(code, ContractFacts(code))
        row = {"kind": CONTRACT_ROW, "contract": code, "name": fact.name, "departement": fact.departement}
        row.update(_figures(own, classes, rules, risk_rule, grid))
        if checks_by_contract is not None:
            results = checks_by_contract.get(code, [])
            for status, column in ((SATISFIED, "n_satisfait"), (TO_STRENGTHEN, "n_a_renforcer"),
                                   (NOT_FILLED, "n_non_renseigne")):
                row[column] = sum(1 for r in results if r.status == status)
        rows.append(row)
    if pooled and codes:
        departement_of = {code: facts.get(code, ContractFacts(code)).departement for code in codes}
        for departement in sorted({d for d in departement_of.values() if d}):
            own = [s for s in sheets if departement_of[s.contract] == departement]
            row = {"kind": DEPARTEMENT_ROW, "contract": departement, "name": f"Contrats du département {departement}",
                   "departement": departement}
            row.update(_figures(own, classes, rules, risk_rule, grid))
            rows.append(row)
        row = {"kind": REGION_ROW, "contract": "", "name": "Ensemble des contrats sélectionnés", "departement": ""}
        row.update(_figures(sheets, classes, rules, risk_rule, grid))
        rows.append(row)
    table = pd.DataFrame(rows)
    for column in ("n_satisfait", "n_a_renforcer", "n_non_renseigne"):
        if column in table.columns:  # pooled rows have no check counts: nullable integers, not floats
            table[column] = table[column].astype("Int64")
    return table


def _figures(sheets: list[ActionSheet], classes, rules, risk_rule: RiskRule, grid: Grid) -> dict:
    total = len(sheets)
    out: dict = {"n_actions": total}
    coded_classes = [classes_of(s, grid) for s in sheets]
    for klass in classes:
        out[f"share_{klass}"] = percent(sum(1 for c in coded_classes if klass in c), total)
    memberships = [families_of(s, rules, grid) for s in sheets]
    for rule in rules:
        out[f"share_{rule.id.replace('-', '_')}"] = percent(sum(1 for m in memberships if rule.id in m), total)
    out["share_universalisme_proportionne"] = percent(
        sum(1 for s in sheets if s.approach == "universalisme-proportionne"), total)
    out["share_at_risk"] = percent(sum(1 for s in sheets if risk_rule.matches(s, grid)), total)
    return out
