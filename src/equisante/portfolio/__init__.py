"""Portfolio analysis of coded action sheets (seed 004): the published tables, the balance of the
three strategies and of the approaches, the sheets at risk of widening inequalities, the twelve
recommendations as checks, and a report object that pages, PDF and workbook exports lay out.

Pure Python (no Django). See ``docs/portfolio.md``.

>>> from equisante.actionsheets import ActionSheet
>>> sheets = [ActionSheet("C", "F1", title="Bilan", themes=("acces-aux-soins", "nutrition"),
...                       determinants=("D5.1",), strategies=("S4.1",)),
...           ActionSheet("C", "F2", title="Atelier", themes=("nutrition",), determinants=("D4.1.5",))]
>>> float(theme_table(sheets).set_index("theme").loc["nutrition", "share"])
100.0
>>> determinant_strategy_table(sheets).query("determinant == 'D4' and strategy == 'NS'")["n_actions"].item()
1
"""

from equisante.portfolio.balance import (
    DEFAULT_RISK_RULE, DEFAULT_STRATEGY_RULES, NOT_FILLED as APPROACH_NOT_FILLED, UNCLASSIFIED, RiskRule,
    StrategyRule, approach_distribution, families_of, strategy_balance, widening_risk,
)
from equisante.portfolio.checks import (
    ACTION, CHECKS, CONTRACT, LEVELS, NOT_FILLED, PORTFOLIO, SATISFIED, STATUSES, TO_STRENGTHEN, CheckResult,
    Thresholds, checks_frame, run_checks, run_checks_by_contract, status_counts,
)
from equisante.portfolio.coding import NOT_SPECIFIED
from equisante.portfolio.comparison import comparison_table
from equisante.portfolio.errors import PortfolioError
from equisante.portfolio.labels import FIGURE_2_LABELS, add_labels, label
from equisante.portfolio.loading import load_actions
from equisante.portfolio.report import TABLE_SHEETS, PortfolioReport, portfolio_report, to_xlsx
from equisante.portfolio.tables import FIGURE_2_SUBGROUPS, determinant_strategy_table, percent, theme_table

__all__ = [
    "ACTION", "APPROACH_NOT_FILLED", "CHECKS", "CONTRACT", "DEFAULT_RISK_RULE", "DEFAULT_STRATEGY_RULES",
    "FIGURE_2_LABELS", "FIGURE_2_SUBGROUPS", "LEVELS", "NOT_FILLED", "NOT_SPECIFIED", "PORTFOLIO", "SATISFIED",
    "STATUSES", "TABLE_SHEETS", "TO_STRENGTHEN", "UNCLASSIFIED", "CheckResult", "PortfolioError", "PortfolioReport",
    "RiskRule", "StrategyRule", "Thresholds", "add_labels", "approach_distribution", "checks_frame",
    "comparison_table", "determinant_strategy_table", "families_of", "label", "load_actions", "percent",
    "portfolio_report", "run_checks", "run_checks_by_contract", "status_counts", "strategy_balance",
    "theme_table", "to_xlsx", "widening_risk",
]
