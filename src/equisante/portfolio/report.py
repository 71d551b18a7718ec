"""The portfolio report as data: everything a page, a PDF or a workbook shows, computed once.

:func:`portfolio_report` gathers the two published tables, the balance of the three strategies,
the approaches, the sheets at risk, the checks (per contract and over the whole selection) and the
comparison between contracts. Rendering layers only lay it out; :func:`to_xlsx` writes every table
to one workbook sheet.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields

import pandas as pd

from equisante import exports
from equisante.numbers import plural
from equisante.actionsheets.model import ActionSheet, ContractFacts
from equisante.grid.reference import Grid, load_grid
from equisante.portfolio.balance import (
    DEFAULT_RISK_RULE, DEFAULT_STRATEGY_RULES, RiskRule, StrategyRule, approach_distribution, strategy_balance,
    widening_risk,
)
from equisante.portfolio.checks import (
    PORTFOLIO, CheckResult, Thresholds, checks_frame, run_checks, run_checks_by_contract, status_counts,
)
from equisante.portfolio.coding import unique_sheets
from equisante.portfolio.comparison import comparison_table
from equisante.portfolio.labels import add_labels
from equisante.portfolio.tables import determinant_strategy_table, theme_table

#: French names of the settings of the checks (« À propos » of the workbook).
THRESHOLD_LABELS = {
    "coordinator_fte": "Seuil : poste de coordination (ETP, au moins)",
    "ists_contribution_share": "Seuil : fiches disant leur contribution à la réduction des ISTS (%, au moins)",
    "quantified_share": "Seuil : fiches aux objectifs chiffrés (%, au moins)",
    "behaviour_only_share": "Seuil : fiches agissant sur les seuls comportements (%, au plus)",
    "risk_share": "Seuil : fiches à risque d'accroître les inégalités (%, au plus)",
    "life_stages": "Seuil : âges de la vie couverts (au moins, sur 6)",
    "precarity_publics": "Seuil : publics en situation de précarité visés (au moins, sur 7)",
    "copil_meetings_per_year": "Seuil : réunions du comité de pilotage par an (au moins)",
    "lever_share": "Seuil : fiches agissant sur des leviers reconnus contre les ISTS (%, au moins)",
}

#: The published source of the grid and the checks.
SOURCE = ("Rapport d'évaluation des contrats locaux de santé d'Île-de-France (2014), annexe 3 « Grille de "
          "lecture des actions proposées dans les contrats locaux de santé » et préconisations")


def workbook_columns(grid: Grid | None = None) -> dict[str, exports.Column]:
    """French headers and kinds of the report's columns (shares are percentage points, 0–100)."""
    grid = grid or load_grid()
    columns: dict[str, exports.Column] = {
        "level": exports.text("Niveau de la vérification", exports.LEVEL_OF_CHECK),
        "family": exports.text("Stratégie (code)"), "label": exports.text("Stratégie"),
        "value": exports.decimal("Valeur observée", 1), "threshold": exports.decimal("Seuil", 1),
        "evidence": exports.text("Constat"), "strategies": exports.text("Stratégies (codes)"),
        "name": exports.text("Nom"), "share_at_risk": exports.percentage("Part des fiches à risque"),
        "n_satisfait": exports.integer("Vérifications satisfaites"),
        "n_a_renforcer": exports.integer("Vérifications à renforcer"),
        "n_non_renseigne": exports.integer("Vérifications non renseignées"),
        "share_rattrapage": exports.percentage("Part en rattrapage"),
        "share_nivellement": exports.percentage("Part en nivellement des états de santé"),
        "share_reduction_gradient": exports.percentage("Part en réduction du gradient"),
        "share_universalisme_proportionne": exports.percentage("Part en universalisme proportionné"),
    }
    for number in range(1, 7):
        code = f"D{number}"
        try:
            label = grid.node(code).label
        except Exception:  # a grid version without this class: the code alone
            label = code
        columns[f"share_{code}"] = exports.percentage(f"Part {code} ({label})")
    return columns


#: Workbook sheet name → attribute of :class:`PortfolioReport` (in workbook order).
TABLE_SHEETS = {
    "thematiques": "themes",
    "determinants_strategies": "determinants_strategies",
    "trois_strategies": "balance",
    "approches": "approaches",
    "fiches_a_risque": "at_risk",
    "verifications": "checks",
    "comparaison": "comparison",
}


@dataclass
class PortfolioReport:
    """All the results over one selection of action sheets.

    - ``title``: French title; ``contracts``: the facts of the contracts in the selection (a bare
      ``ContractFacts(code)`` when none was given), by code order; ``n_actions``: sheets;
    - ``themes``, ``determinants_strategies``: the published tables (ids, no labels; their ``attrs``
      hold the notes), see :mod:`equisante.portfolio.tables`;
    - ``balance``, ``approaches``, ``at_risk``: see :mod:`equisante.portfolio.balance`;
    - ``checks``: the checks over the whole selection — with contract-level checks when it holds a
      single contract, portfolio-level only otherwise; ``checks_by_contract``: code → results;
    - ``comparison``: one row per contract plus pooled rows (:mod:`equisante.portfolio.comparison`);
    - ``thresholds``, ``rules``, ``risk_rule``, ``grid_version``: the settings used.
    """

    title: str
    contracts: list[ContractFacts]
    n_actions: int
    themes: pd.DataFrame
    determinants_strategies: pd.DataFrame
    balance: pd.DataFrame
    approaches: pd.DataFrame
    at_risk: pd.DataFrame
    checks: list[CheckResult]
    checks_by_contract: dict[str, list[CheckResult]]
    comparison: pd.DataFrame
    thresholds: Thresholds
    rules: tuple[StrategyRule, ...]
    risk_rule: RiskRule
    grid_version: str
    sheets: list[ActionSheet] = field(default_factory=list, repr=False)

    @property
    def contract_codes(self) -> list[str]:
        return [c.code for c in self.contracts]

    def status_counts(self, code: str | None = None) -> dict[str, int]:
        """Results per status, for one contract or (``None``) the whole selection's checks."""
        return status_counts(self.checks if code is None else self.checks_by_contract.get(code, []))

    def tables(self, *, labels: bool = True, published_labels: bool = False, grid: Grid | None = None) -> dict[str, pd.DataFrame]:
        """Every table by workbook sheet name (:data:`TABLE_SHEETS`), with French label columns
        (``labels``) and shares rounded to two decimals. ``verifications`` holds the checks of every
        contract then those of the whole selection (when it holds several contracts)."""
        grid = grid or load_grid(self.grid_version)
        out = {}
        for sheet, attribute in TABLE_SHEETS.items():
            if attribute == "checks":
                results = [r for code in self.contract_codes for r in self.checks_by_contract.get(code, [])]
                if len(self.contracts) != 1:
                    results += self.checks
                table = checks_frame(results)
            else:
                table = getattr(self, attribute)
            if labels:
                table = add_labels(table, grid=grid, published=published_labels)
            out[sheet] = _rounded(table)
        return out

    def notes(self) -> dict[str, str]:
        """French notes for the workbook: sources, counting rules, settings."""
        notes = {
            "titre": self.title,
            "fiches_action": f"{plural(self.n_actions, 'fiche-action', 'fiches-action')}, "
                             f"{plural(len(self.contracts), 'contrat')} : "
                             + ", ".join(self.contract_codes),
            "grille": f"Grille d'analyse version {self.grid_version} (annexe 3 du rapport d'évaluation des contrats "
                      "locaux de santé d'Île-de-France, 2014).",
            "thematiques": self.themes.attrs.get("note", ""),
            "determinants_strategies": self.determinants_strategies.attrs.get("note", ""),
            "trois_strategies": self.balance.attrs.get("note", "") + " " + " ".join(r.statement() for r in self.rules),
            "fiches_a_risque": self.risk_rule.statement(),
            "statuts": "satisfait / à renforcer / non renseigné (information manquante, pas une réponse négative).",
        }
        notes.update({THRESHOLD_LABELS.get(f.name, f"seuil_{f.name}"): _french_number(getattr(self.thresholds, f.name))
                      for f in fields(self.thresholds)})
        return notes


def portfolio_report(
    actions: Iterable[ActionSheet],
    contracts: Iterable[ContractFacts] | None = None,
    *,
    title: str | None = None,
    thresholds: Thresholds | None = None,
    rules: Sequence[StrategyRule] = DEFAULT_STRATEGY_RULES,
    risk_rule: RiskRule = DEFAULT_RISK_RULE,
    grid: Grid | None = None,
) -> PortfolioReport:
    """The report over ``actions`` (any selection: one contract, a département, the region).

    ``contracts``: facts of the contracts (those without sheets still appear in the checks and the
    comparison); ``thresholds``, ``rules``, ``risk_rule``: settings of the checks and balance."""
    grid = grid or load_grid()
    thresholds = thresholds or Thresholds()
    sheets = unique_sheets(actions)
    given = {c.code: c for c in (contracts or ())}
    codes = sorted({s.contract for s in sheets} | set(given))
    facts = [given.get(code, ContractFacts(code)) for code in codes]
    options = {"thresholds": thresholds, "rules": rules, "risk_rule": risk_rule, "grid": grid}
    by_contract = run_checks_by_contract(sheets, facts, **options)
    if len(facts) == 1:
        overall = by_contract[facts[0].code]
    else:
        overall = run_checks(sheets, None, levels=(PORTFOLIO,), subject="ensemble", **options)
    if title is None:
        title = (f"Profil ISTS du contrat {facts[0].name or facts[0].code}" if len(facts) == 1
                 else f"Analyse de {len(facts)} contrats locaux de santé")
    return PortfolioReport(
        title=title,
        contracts=facts,
        n_actions=len(sheets),
        themes=theme_table(sheets, grid=grid),
        determinants_strategies=determinant_strategy_table(sheets, grid=grid),
        balance=strategy_balance(sheets, rules=rules, grid=grid),
        approaches=approach_distribution(sheets, grid=grid),
        at_risk=widening_risk(sheets, rule=risk_rule, grid=grid),
        checks=overall,
        checks_by_contract=by_contract,
        comparison=comparison_table(sheets, facts, checks_by_contract=by_contract, rules=rules,
                                    risk_rule=risk_rule, grid=grid),
        thresholds=thresholds,
        rules=tuple(rules),
        risk_rule=risk_rule,
        grid_version=grid.version,
        sheets=sheets,
    )


def to_xlsx(report: PortfolioReport, *, published_labels: bool = False, about: exports.About | None = None,
            fmt: str = "xlsx") -> bytes:
    """The report as an XLSX (or ``fmt="ods"``) workbook: one sheet per table (:data:`TABLE_SHEETS`,
    French headers and labels, typed cells) and the « À propos » sheet (source, counting rules, mapping
    rules, thresholds)."""
    about = about or exports.About(source=SOURCE, title=report.title)
    if not about.source:
        about.source = SOURCE
    return exports.workbook(report.tables(published_labels=published_labels), fmt, notes=report.notes(),
                            about=about, columns=workbook_columns())


def _french_number(value) -> str:
    return (f"{value:g}" if isinstance(value, float) else str(value)).replace(".", ",")


def _rounded(table: pd.DataFrame) -> pd.DataFrame:
    out = table.copy()
    for column in out.columns:
        if column == "share" or column.startswith("share_") or column == "value":
            out[column] = pd.to_numeric(out[column], errors="coerce").round(2)
    out.attrs = dict(table.attrs)
    return out

