"""A portfolio report laid out for reading: rows with French labels, counts and percentages written
the French way, charts as inline SVG, checks with their badge.

The same :class:`Presentation` feeds the web pages (DSFR), the standalone HTML report and the PDF:
what a reader sees is computed once, here. Nothing in this module queries the database; links are
made by callables the caller passes (``sheet_url``, ``profile_url``), so that the command line can
lay out a report read from an exchange file.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from equisante.charts import Datum, Series, dot_chart, horizontal_bars
from equisante.charts.numbers import format_number, is_number
from equisante.grid.reference import Grid, load_grid
from equisante.portfolio import (
    ACTION, CONTRACT, LEVELS, NOT_FILLED, NOT_SPECIFIED, SATISFIED, STATUSES, TO_STRENGTHEN, PortfolioReport,
    label, status_counts,
)
from equisante.portfolio.comparison import CONTRACT_ROW, DEPARTEMENT_ROW, REGION_ROW
from equisante.portfolio.labels import FIGURE_2_LABELS

#: No-break space, between a number and « % » as French typography wants.
NBSP = "\u00a0"

#: DSFR badge of each check status (colour is never alone: the badge writes the status).
STATUS_BADGES = {
    SATISFIED: "fr-badge--success",
    TO_STRENGTHEN: "fr-badge--warning",
    NOT_FILLED: "fr-badge--info",
}
#: Short class names of the status columns of the comparison table.
STATUS_COLUMNS = (("n_satisfait", SATISFIED), ("n_a_renforcer", TO_STRENGTHEN), ("n_non_renseigne", NOT_FILLED))

SheetUrl = Callable[[str, str], "str | None"]
ProfileUrl = Callable[[str], "str | None"]


# --- numbers -------------------------------------------------------------------------------------------

def count_text(value) -> str:
    """A count in French notation (``1 234``), « — » when missing."""
    return format_number(value, 0) if is_number(value) else "—"


def share_text(value, decimals: int = 1) -> str:
    """A percentage in French notation (``23,3 %``), « — » when missing (an empty class)."""
    return f"{format_number(value, decimals)}{NBSP}%" if is_number(value) else "—"


# --- the published tables ------------------------------------------------------------------------------

def themes_view(report: PortfolioReport, grid: Grid) -> dict:
    """Figure 1 for one selection: one row per theme (published order, zeros kept), the total of
    mentions and a French note on sheets with several themes."""
    table = report.themes
    rows = [{"id": row.theme, "label": label(row.theme, grid=grid), "n": int(row.n_actions),
             "n_text": count_text(row.n_actions), "share": share_text(row.share)}
            for row in table.itertuples(index=False)]
    attrs = table.attrs
    n_sheets = int(attrs.get("n_sheets", report.n_actions))
    n_mentions = int(attrs.get("n_mentions", sum(r["n"] for r in rows)))
    several = int(attrs.get("n_several_themes", 0))
    by_count = attrs.get("several_themes_by_count") or {}
    note = _("Une fiche-action qui aborde plusieurs thématiques compte sous chacune : le total des mentions "
             "(%(mentions)s) peut dépasser le nombre de fiches-action (%(sheets)s).") % {
        "mentions": count_text(n_mentions), "sheets": count_text(n_sheets)}
    if several:
        detail = ", ".join(ngettext("%(n)s en aborde %(k)s", "%(n)s en abordent %(k)s", n) % {"n": n, "k": k}
                           for k, n in sorted(by_count.items()))
        note += " " + ngettext(
            "%(n)s fiche-action (%(share)s) aborde plus d'une thématique (%(detail)s).",
            "%(n)s fiches-action (%(share)s) abordent plus d'une thématique (%(detail)s).", several) % {
            "n": count_text(several), "share": share_text(100 * several / n_sheets if n_sheets else None),
            "detail": detail}
    without = int(attrs.get("n_without_theme", 0))
    if without:
        note += " " + ngettext("%(n)s fiche-action n'a pas de thématique codée.",
                               "%(n)s fiches-action n'ont pas de thématique codée.", without) % {"n": count_text(without)}
    return {
        "rows": rows,
        "n_sheets": n_sheets,
        "n_mentions": n_mentions,
        "mentions_text": count_text(n_mentions),
        "mentions_share": share_text(attrs.get("mention_share")),
        "n_several": several,
        "note": note,
    }


def determinants_view(report: PortfolioReport, grid: Grid, *, compact: bool = True) -> list[dict]:
    """Figure 2 for one selection, one group per determinant class (D1 to D6): the class total
    (sheets coded with the class, 100 %), then each strategy, its sub-groups and « NS ».

    ``compact``: leave out the sub-groups with no sheet (the strategies stay, zeros included, as in
    the published figure); a class with no sheet keeps only its total."""
    table = report.determinants_strategies
    groups = []
    for klass, rows in table.groupby("determinant", sort=False):
        total = rows[rows["strategy"] == ""]
        n_total = int(total["n_actions"].iloc[0]) if len(total) else 0
        items = []
        if n_total:
            for row in rows[rows["strategy"] != ""].itertuples(index=False):
                kind = "ns" if row.strategy == NOT_SPECIFIED else ("subgroup" if "." in row.strategy else "strategy")
                if compact and kind == "subgroup" and not row.n_actions:
                    continue
                items.append({"id": row.strategy, "label": label(row.strategy, grid=grid), "kind": kind,
                              "n": int(row.n_actions), "n_text": count_text(row.n_actions),
                              "share": share_text(row.share)})
        groups.append({"id": klass, "label": label(klass, grid=grid), "published_label": FIGURE_2_LABELS.get(klass, ""),
                       "n": n_total, "n_text": count_text(n_total), "share": share_text(100.0 if n_total else None),
                       "rows": items})
    return groups


def determinants_note(report: PortfolioReport, *, compact: bool = True) -> str:
    attrs = report.determinants_strategies.attrs
    note = _("Une fiche-action compte dans chaque classe de déterminants et sous chaque stratégie dont elle relève : "
             "les lignes d'une classe peuvent dépasser son total. Parts en % du total de la classe ; « NS » : "
             "fiches sans stratégie codée.")
    n_with = attrs.get("n_with_determinant")
    if n_with is not None:
        note += " " + ngettext("%(with)s fiche-action sur %(all)s a au moins un déterminant codé.",
                               "%(with)s fiches-action sur %(all)s ont au moins un déterminant codé.",
                               int(n_with) or 1) % {  # French: 0 takes the singular
            "with": count_text(n_with), "all": count_text(attrs.get("n_sheets", report.n_actions))}
    if compact:
        note += " " + _("Les sous-groupes sans fiche ne sont pas affichés (le classeur XLSX les contient tous).")
    return note


# --- balance, approaches, sheets at risk ---------------------------------------------------------------

def _bars(rows: Sequence[dict], *, title: str, description: str, chart_id: str) -> str:
    data = [Datum(row["label"], row["share_value"],
                  note=ngettext("%(n)s fiche-action", "%(n)s fiches-action", row["n"]) % {"n": row["n_text"]})
            for row in rows]
    return horizontal_bars(data, title=title, description=description, unit="%", decimals=1, width=620,
                           label_width=220, chart_id=chart_id)


def balance_view(report: PortfolioReport, *, chart_id: str) -> dict:
    """The three strategies of recommendation 5 (and the sheets in none): rows, rules and a chart."""
    table = report.balance
    rows = [{"id": row.family, "label": row.label, "n": int(row.n_actions), "n_text": count_text(row.n_actions),
             "share": share_text(row.share), "share_value": float(row.share) if is_number(row.share) else None,
             "rule": row.rule} for row in table.itertuples(index=False)]
    title = _("Équilibre des trois stratégies de réduction des inégalités")
    missing = [r["label"] for r in rows if r["id"] in set(table.attrs.get("missing", []))]
    return {
        "rows": rows,
        "missing": missing,
        "n_several": int(table.attrs.get("n_several", 0)),
        "chart": _bars(rows, title=title, chart_id=chart_id, description=_(
            "Part des fiches-action relevant du rattrapage, du nivellement et de la réduction du gradient, en % "
            "de toutes les fiches ; une fiche peut relever de plusieurs stratégies.")),
        "title": title,
    }


def approaches_view(report: PortfolioReport, grid: Grid, *, chart_id: str) -> dict:
    table = report.approaches
    rows = [{"id": row.approach, "label": label(row.approach, grid=grid).capitalize(), "n": int(row.n_actions),
             "n_text": count_text(row.n_actions), "share": share_text(row.share),
             "share_value": float(row.share) if is_number(row.share) else None}
            for row in table.itertuples(index=False)]
    title = _("Types d'approche des fiches-action")
    return {
        "rows": rows,
        "chart": _bars(rows, title=title, chart_id=chart_id, description=_(
            "Part des fiches-action par type d'approche (groupes défavorisés, universalisme, universalisme "
            "proportionné, non renseigné), en % de toutes les fiches.")),
        "title": title,
        "proportionate_missing": not any(r["n"] for r in rows if r["id"] == "universalisme-proportionne"),
    }


def at_risk_view(report: PortfolioReport, grid: Grid, sheet_url: SheetUrl | None = None) -> dict:
    table = report.at_risk
    rows = []
    for row in table.itertuples(index=False):
        strategies = [s.strip() for s in (row.strategies or "").split(";") if s.strip()]
        rows.append({"contract": row.contract, "code": row.code, "title": row.title,
                     "strategies": "; ".join(f"{s} {label(s, grid=grid)}" for s in strategies),
                     "approach": label(row.approach, grid=grid) if isinstance(row.approach, str) else _("non renseigné"),
                     "url": sheet_url(row.contract, row.code) if sheet_url else None})
    attrs = table.attrs
    return {"rows": rows, "n": int(attrs.get("n_flagged", len(rows))), "share": share_text(attrs.get("share")),
            "rule": attrs.get("rule", report.risk_rule.statement())}


# --- checks --------------------------------------------------------------------------------------------

def _check_row(result) -> dict:
    return {"id": result.id, "title": result.title, "level": result.level, "level_label": LEVELS.get(result.level, ""),
            "status": result.status, "badge": STATUS_BADGES.get(result.status, ""), "evidence": result.evidence,
            "rule": result.rule, "source": result.source, "subject": result.subject}


def checks_view(results: Sequence, sheets: Sequence, sheet_url: SheetUrl | None = None) -> dict:
    """The contract and portfolio checks as rows (catalogue order), the checks of each sheet as a
    matrix (one row per sheet, one column per action check) and the count of each status."""
    main = [_check_row(r) for r in results if r.level != ACTION]
    action = [r for r in results if r.level == ACTION]
    columns: dict[str, dict] = {}
    for r in action:
        columns.setdefault(r.id, {"id": r.id, "title": r.title, "rule": r.rule})
    titles = {(s.contract, s.code): s.title for s in sheets}
    matrix: dict[str, dict] = {}
    for r in action:
        contract, _slash, code = r.subject.partition("/")
        row = matrix.setdefault(r.subject, {"contract": contract, "code": code, "title": titles.get((contract, code), ""),
                                            "url": sheet_url(contract, code) if sheet_url else None, "cells": {}})
        row["cells"][r.id] = _check_row(r)
    for row in matrix.values():
        row["cells"] = [row["cells"].get(key) for key in columns]
    counts = status_counts(results)
    return {
        "rows": main,
        "contract_rows": [r for r in main if r["level"] == CONTRACT],
        "portfolio_rows": [r for r in main if r["level"] != CONTRACT],
        "action_columns": list(columns.values()),
        "action_rows": list(matrix.values()),
        "counts": [{"status": s, "badge": STATUS_BADGES[s], "n": counts.get(s, 0)} for s in STATUSES],
    }


# --- comparison ----------------------------------------------------------------------------------------

def comparison_columns(report: PortfolioReport, grid: Grid) -> dict[str, list[tuple[str, str]]]:
    """(column, French header) of the two halves of the comparison table (class labels as in the
    determinants table: the grid's)."""
    classes = [(f"share_D{k}", f"D{k} {label(f'D{k}', grid=grid)}") for k in range(1, 7)]
    strategies = [(f"share_{rule.id.replace('-', '_')}", rule.label) for rule in report.rules]
    strategies += [("share_universalisme_proportionne", _("Universalisme proportionné")),
                   ("share_at_risk", _("À risque d'accroître les inégalités"))]
    return {"classes": classes, "strategies": strategies}


def comparison_view(report: PortfolioReport, table: pd.DataFrame, grid: Grid, *, highlight: str | None = None,
                    profile_url: ProfileUrl | None = None, departement_names: Mapping[str, str] | None = None,
                    chart_id: str = "comparison") -> dict:
    """The comparison rows (contracts, then pooled rows per département and for the whole
    selection), their shares as French percentages, the check counts of the contract rows."""
    columns = comparison_columns(report, grid)
    names = departement_names or {}
    rows = []
    for record in table.to_dict("records"):
        kind = record["kind"]
        code = record["contract"] or ""
        if kind == DEPARTEMENT_ROW:
            name = _("Ensemble du département %(name)s") % {"name": names.get(code, code)}
        elif kind == REGION_ROW:
            name = _("Ensemble des contrats comparés")
        else:
            name = record.get("name") or code
        statuses = []
        for column, status in STATUS_COLUMNS:
            value = record.get(column)
            statuses.append({"status": status, "text": count_text(value) if kind == CONTRACT_ROW else "—"})
        rows.append({
            "kind": kind, "code": code, "name": name, "departement": record.get("departement") or "",
            "n_text": count_text(record.get("n_actions")),
            "classes": [share_text(record.get(c)) for c, _h in columns["classes"]],
            "strategies": [share_text(record.get(c)) for c, _h in columns["strategies"]],
            "statuses": statuses,
            "highlight": kind == CONTRACT_ROW and code == highlight,
            "url": profile_url(code) if profile_url and kind == CONTRACT_ROW else None,
        })
    return {"rows": rows, "class_headers": [h for _c, h in columns["classes"]],
            "strategy_headers": [h for _c, h in columns["strategies"]],
            "status_headers": [s for _c, s in STATUS_COLUMNS],
            "charts": comparison_charts(table.to_dict("records"), rows, columns, chart_id=chart_id)}


#: At most this many areas on one comparison chart (beyond, the table alone reads better).
MAX_CHART_SERIES = 6


def comparison_charts(records: Sequence[Mapping], rows: Sequence[dict], columns: Mapping[str, list],
                      *, chart_id: str) -> list[dict]:
    """Dot charts of the comparison table: the contract (highlighted) beside its département and
    the whole set, or the départements beside the whole set (overview), for the strategy shares
    and the determinant-class shares. Empty when there is nothing to compare."""
    chosen = [(record, row) for record, row in zip(records, rows, strict=True)
              if row["highlight"] or row["kind"] != CONTRACT_ROW]
    if len(chosen) < 2 or len(chosen) > MAX_CHART_SERIES:
        return []
    charts = []
    for key, title, description in (
        ("strategies", _("Stratégies et approches : comparaison des parts de fiches-action"),
         _("Part des fiches-action (en %) relevant de chaque stratégie de réduction des inégalités, de "
           "l'universalisme proportionné et des actions à risque, pour chaque contrat ou ensemble comparé.")),
        ("classes", _("Classes de déterminants : comparaison des parts de fiches-action"),
         _("Part des fiches-action (en %) visant chaque classe de déterminants, pour chaque contrat ou ensemble "
           "comparé.")),
    ):
        categories = [header for _column, header in columns[key]]
        series = []
        for record, row in chosen:
            points = [Datum(header, float(record[column]) if is_number(record.get(column)) else None,
                            state="ok" if is_number(record.get(column)) else "missing")
                      for column, header in columns[key]]
            series.append(Series(label=row["name"], points=points, highlight=row["highlight"]))
        if not any(p.drawn for line in series for p in line.points):
            continue
        charts.append({"key": key, "title": title,
                       "svg": dot_chart(categories, series, title=title, description=description, unit="%",
                                        decimals=1, high=100.0, width=620, label_width=220,
                                        axis_label=_("Part des fiches-action (%)"), chart_id=f"{chart_id}-{key}-chart")})
    return charts


# --- the whole ----------------------------------------------------------------------------------------

@dataclass
class Presentation:
    """Everything a profile page, the overview page or their reports show.

    ``kind``: ``profile`` (one contract) or ``overview`` (a selection); ``selection``: French lines
    saying which data were used; ``generated``: when; ``data_updated``: last change of the sheets
    (None when unknown)."""

    kind: str
    title: str
    report: PortfolioReport
    selection: list[str]
    generated: datetime.datetime
    themes: dict
    determinants: list[dict]
    determinants_note: str
    balance: dict
    approaches: dict
    at_risk: dict
    checks: dict
    comparison: dict
    data_updated: datetime.datetime | None = None
    contract: dict = field(default_factory=dict)
    territory_context: list[dict] = field(default_factory=list)
    fictional: bool = False
    settings: list[str] = field(default_factory=list)


def present(
    report: PortfolioReport,
    *,
    kind: str,
    selection: Sequence[str],
    generated: datetime.datetime,
    comparison: pd.DataFrame | None = None,
    highlight: str | None = None,
    sheet_url: SheetUrl | None = None,
    profile_url: ProfileUrl | None = None,
    departement_names: Mapping[str, str] | None = None,
    data_updated: datetime.datetime | None = None,
    contract: Mapping | None = None,
    territory_context: Sequence[dict] = (),
    fictional: bool = False,
    grid: Grid | None = None,
    compact: bool = True,
) -> Presentation:
    """Lay out ``report``; ``comparison`` replaces the report's own comparison table (a profile
    compares its contract with the others of its département and the region)."""
    grid = grid or load_grid(report.grid_version)
    prefix = kind
    settings = [rule.statement() for rule in report.rules] + [report.risk_rule.statement()]
    return Presentation(
        kind=kind,
        title=report.title,
        report=report,
        selection=list(selection),
        generated=generated,
        data_updated=data_updated,
        themes=themes_view(report, grid),
        determinants=determinants_view(report, grid, compact=compact),
        determinants_note=determinants_note(report, compact=compact),
        balance=balance_view(report, chart_id=f"{prefix}-balance"),
        approaches=approaches_view(report, grid, chart_id=f"{prefix}-approaches"),
        at_risk=at_risk_view(report, grid, sheet_url),
        checks=checks_view(report.checks, report.sheets, sheet_url),
        comparison=comparison_view(report, report.comparison if comparison is None else comparison, grid,
                                   highlight=highlight, profile_url=profile_url, departement_names=departement_names,
                                   chart_id=f"{prefix}-comparison"),
        contract=dict(contract or {}),
        territory_context=list(territory_context),
        fictional=fictional,
        settings=settings,
    )
