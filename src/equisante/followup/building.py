"""From the database to the figures of a yearly review (application layer): which sheets a year
holds, their progress, indicators and money as the plain records of :mod:`equisante.followup.figures`,
the governance of the year and the ISTS profile of the year against the previous one.

A sheet belongs to year Y when its period covers Y (``starts_on`` / ``ends_on``; a sheet without
dates belongs to every year) and it was not already abandoned in an earlier year.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch

from equisante.charts import Datum, horizontal_bars
from equisante.contracts.models import ActionSheet, Contract, Meeting, code_sort_key
from equisante.contracts.selection import action_sheets, contract_facts
from equisante.followup import figures
from equisante.followup.models import (
    AnnualReview,
    IndicatorMeasure,
    SheetFunding,
    SheetIndicator,
    SheetProgress,
)
from equisante.portfolio import CONTRACT, PORTFOLIO, run_checks, strategy_balance


def sheet_in_year(sheet: ActionSheet, year: int, abandoned_before: set[int]) -> bool:
    if sheet.pk in abandoned_before:
        return False
    if sheet.starts_on and sheet.starts_on.year > year:
        return False
    if sheet.ends_on and sheet.ends_on.year < year:
        return False
    return True


def sheets_of_year(contract: Contract, year: int) -> list[ActionSheet]:
    """The contract's sheets that belong to ``year`` (sorted by axis then code)."""
    abandoned = set(SheetProgress.objects.filter(sheet__contract=contract, year__lt=year,
                                                 state=figures.ABANDONED).values_list("sheet_id", flat=True))
    sheets = (ActionSheet.objects.filter(contract=contract).select_related("axis", "lead")
              .prefetch_related(Prefetch("followup_indicators", queryset=SheetIndicator.objects.prefetch_related(
                  Prefetch("measures", queryset=IndicatorMeasure.objects.order_by("year")))),
                  "progress", Prefetch("funding_followup", queryset=SheetFunding.objects.select_related("funder"))))
    chosen = [s for s in sheets if sheet_in_year(s, year, abandoned)]
    return sorted(chosen, key=lambda s: (s.axis.number if s.axis_id else 10_000, code_sort_key(s.code)))


def progress_records(sheets, year: int) -> list[figures.SheetProgress]:
    out = []
    for sheet in sheets:
        entry = next((p for p in sheet.progress.all() if p.year == year), None)
        out.append(figures.SheetProgress(
            sheet=sheet.code, title=sheet.title,
            axis=str(sheet.axis.number) if sheet.axis_id else "", axis_title=sheet.axis.title if sheet.axis_id else "",
            state=entry.state if entry else "", percent=entry.percent if entry else None))
    return out


def indicator_records(sheets, year: int) -> list[figures.IndicatorStatus]:
    out = []
    for sheet in sheets:
        for indicator in sheet.followup_indicators.all():
            values = {m.year: m.value for m in indicator.measures.all()}
            reading = figures.IndicatorReading(
                sheet=sheet.code, label=indicator.label, kind=indicator.kind, unit=indicator.unit,
                baseline=indicator.baseline, target=indicator.target, value=values.get(year),
                previous=values.get(year - 1))
            out.append(figures.indicator_status(reading))
    return out


def funding_records(sheets) -> list[figures.FundingRecord]:
    return [figures.FundingRecord(sheet=sheet.code, funder=line.funder_label or "?", year=line.year,
                                  requested=line.requested, granted=line.granted, spent=line.spent)
            for sheet in sheets for line in sheet.funding_followup.all()]


def governance_of_year(contract: Contract, year: int) -> dict:
    """Meetings held in ``year`` per committee, with the attendance entered."""
    meetings = list(Meeting.objects.filter(committee__contract=contract, date__year=year)
                    .select_related("committee", "attendance").order_by("date"))
    rows = []
    for meeting in meetings:
        attendance = getattr(meeting, "attendance", None)
        rows.append({"meeting": meeting, "committee": str(meeting.committee),
                     "kind": meeting.committee.get_kind_display(), "date": meeting.date,
                     "attendees": attendance.attendees if attendance else None,
                     "residents": attendance.residents if attendance else None})
    known = [r for r in rows if r["attendees"] is not None]
    return {"meetings": rows, "n": len(rows),
            "steering": sum(1 for m in meetings if m.committee.kind == "pilotage"),
            "attendees": sum(r["attendees"] for r in known) if known else None,
            "residents": sum(r["residents"] or 0 for r in known) if known else None,
            "with_residents": sum(1 for r in rows if r["residents"])}


def profile_snapshot(contract: Contract, year: int, sheets=None) -> figures.ProfileSnapshot:
    """The ISTS profile of the sheets of ``year`` (strategy balance and contract/portfolio checks)."""
    sheets = sheets if sheets is not None else sheets_of_year(contract, year)
    codes = {s.code for s in sheets}
    records = [r for r in action_sheets(Contract.objects.filter(pk=contract.pk)) if r.code in codes]
    facts = contract_facts(Contract.objects.filter(pk=contract.pk), today=datetime.date(year, 12, 31))
    balance = strategy_balance(records)
    checks = run_checks(records, facts[0] if facts else None, levels=(CONTRACT, PORTFOLIO))
    return figures.ProfileSnapshot(
        year=year, n_sheets=len(records),
        balance={row.family: (row.label, float(row.share)) for row in balance.itertuples()},
        checks={c.id: (c.title, c.status) for c in checks})


@dataclass
class ReviewFigures:
    contract: Contract
    year: int
    sheets: list
    progress: figures.ProgressRollup
    indicators: list[figures.IndicatorStatus]
    indicator_counts: dict
    funding: list[figures.FundingRow]
    funding_all_years: list[figures.FundingRow]
    governance: dict
    profile: figures.ProfileSnapshot
    previous_profile: figures.ProfileSnapshot | None
    comparison: figures.ProfileComparison
    participation_sheets: int

    def indicator_chart(self) -> str:
        """Share of the way to the target reached by each indicator (100 = target reached)."""
        bars = [Datum(label=f"{s.reading.sheet} — {s.reading.label}", value=s.achieved,
                      state="ok" if s.achieved is not None else "missing",
                      note=s.status) for s in self.indicators]
        if not bars:
            return ""
        return horizontal_bars(bars, title=f"Indicateurs face à leur cible en {self.year}",
                               description="Part du chemin parcouru de la valeur initiale à la cible (100 = cible "
                                           "atteinte).", unit="%", reference=100, reference_label="cible",
                               axis_label="% du chemin vers la cible", chart_id=f"indicateurs-{self.year}")

    def progress_chart(self) -> str:
        bars = [Datum(label=f"Axe {g.key} — {g.title}" if g.key != "—" else g.title, value=g.mean_percent,
                      state="ok" if g.mean_percent is not None else "missing") for g in self.progress.axes]
        if not bars:
            return ""
        return horizontal_bars(bars, title=f"Avancement moyen par axe en {self.year}", unit="%",
                               description="Moyenne des pourcentages d'avancement des fiches de l'axe.",
                               chart_id=f"avancement-{self.year}")


def review_figures(contract: Contract, year: int) -> ReviewFigures:
    """Every figure of the review of ``contract`` for ``year`` (computed from the current data)."""
    sheets = sheets_of_year(contract, year)
    indicators = indicator_records(sheets, year)
    funding = funding_records(sheets)
    profile = profile_snapshot(contract, year, sheets)
    previous = AnnualReview.objects.filter(contract=contract, year=year - 1).exclude(snapshot={}).first()
    if previous is not None and previous.snapshot.get("profile"):
        previous_profile = figures.ProfileSnapshot.from_dict(previous.snapshot["profile"])
    else:
        previous_sheets = sheets_of_year(contract, year - 1)
        previous_profile = profile_snapshot(contract, year - 1, previous_sheets) if previous_sheets else None
    return ReviewFigures(
        contract=contract, year=year, sheets=sheets,
        progress=figures.progress_rollup(progress_records(sheets, year)),
        indicators=indicators, indicator_counts=figures.indicator_summary(indicators),
        funding=figures.consolidate_funding(funding, year), funding_all_years=figures.consolidate_funding(funding),
        governance=governance_of_year(contract, year), profile=profile, previous_profile=previous_profile,
        comparison=figures.compare_profiles(previous_profile, profile),
        participation_sheets=sum(1 for s in sheets if s.resident_participation),
    )


def snapshot_of(fig: ReviewFigures) -> dict:
    """The figures frozen into a validated review (JSON)."""
    return {
        "profile": fig.profile.as_dict(),
        "progress": [g.as_row() for g in fig.progress.axes] + [fig.progress.overall.as_row()],
        "indicators": [s.as_row() for s in fig.indicators],
        "funding": [r.as_row() for r in fig.funding],
        "governance": {k: fig.governance[k] for k in ("n", "steering", "attendees", "residents", "with_residents")},
    }
