"""The figures of a yearly review of a local scheme, computed from plain records (pure Python, no
Django: an analyst uses it from a notebook, the pages and exports lay its results out).

- :func:`progress_rollup`: the progress of the sheets of a year, by axis and overall;
- :func:`indicator_status`: one indicator's value of the year against its baseline and its target;
- :func:`consolidate_funding`: money requested, granted and spent by funder (and the total);
- :func:`compare_profiles`: what changed in the ISTS profile between two years (balance of the three
  strategies and checks of the portfolio).

Rules (stated on the pages):

- a sheet's percentage is the one entered for the year; without one, « non commencée » counts 0 %,
  « réalisée » 100 %, « en cours » is unknown (left out of the mean); abandoned sheets are counted
  but left out of the mean;
- an indicator is « atteint » when its value of the year reaches the target in the direction going
  from the baseline to the target; otherwise « en progrès » when it moved from the baseline toward the
  target, « en recul » when it moved away, « stable » when equal to the baseline; « sans valeur »
  when the year has no value; the share achieved is (value − baseline) / (target − baseline);
- rates of the financial table: granted / requested and spent / granted, in percent (None when the
  denominator is 0 or unknown).

>>> rollup = progress_rollup([SheetProgress("FA-1", "1", "Accès", "realisee", None),
...                           SheetProgress("FA-2", "1", "Accès", "non-commencee", None)])
>>> rollup.overall.mean_percent
50.0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

#: The states of a sheet's progress in a year (id → French label).
PROGRESS_STATES: dict[str, str] = {
    "non-commencee": "Non commencée",
    "en-cours": "En cours",
    "realisee": "Réalisée",
    "abandonnee": "Abandonnée",
}
NOT_STARTED, IN_PROGRESS, DONE, ABANDONED = PROGRESS_STATES
#: Kinds of indicators of an action sheet.
INDICATOR_KINDS: dict[str, str] = {"processus": "Processus", "resultat": "Résultat", "impact": "Impact"}
#: Status of an indicator against its target.
REACHED, PROGRESSING, STABLE, RECEDING, NO_VALUE, NO_TARGET = (
    "atteint", "en progrès", "stable", "en recul", "sans valeur", "sans cible")


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return round(100.0 * numerator / denominator, 1)


# --- progress -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SheetProgress:
    """The progress of one sheet in one year: ``state`` (a key of :data:`PROGRESS_STATES`, or ``""``
    when nothing was entered) and ``percent`` (0–100, or None)."""

    sheet: str
    axis: str
    axis_title: str
    state: str
    percent: float | None
    title: str = ""

    @property
    def effective_percent(self) -> float | None:
        if self.state == ABANDONED:
            return None
        if self.percent is not None:
            return float(self.percent)
        return {NOT_STARTED: 0.0, DONE: 100.0}.get(self.state)


@dataclass
class ProgressGroup:
    """Progress of a group of sheets (an axis or the whole contract)."""

    key: str
    title: str
    n_sheets: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {**{k: 0 for k in PROGRESS_STATES}, "": 0})
    mean_percent: float | None = None
    sheets: list[SheetProgress] = field(default_factory=list)

    @property
    def not_filled(self) -> int:
        return self.counts[""]

    @property
    def count_items(self) -> list[tuple[str, int]]:
        """(French state, number of sheets), « non renseignée » last."""
        return [(PROGRESS_STATES[k], self.counts[k]) for k in PROGRESS_STATES] + [("Non renseignée", self.counts[""])]

    def as_row(self) -> dict:
        return {"axe": self.key, "intitule": self.title, "fiches": self.n_sheets,
                **{PROGRESS_STATES[k]: self.counts[k] for k in PROGRESS_STATES},
                "non renseignée": self.counts[""], "avancement_moyen": self.mean_percent}


@dataclass
class ProgressRollup:
    axes: list[ProgressGroup]
    overall: ProgressGroup


def _fill(group: ProgressGroup, items: list[SheetProgress]) -> ProgressGroup:
    group.sheets = items
    group.n_sheets = len(items)
    for item in items:
        group.counts[item.state if item.state in PROGRESS_STATES else ""] += 1
    known = [p for p in (i.effective_percent for i in items) if p is not None]
    group.mean_percent = round(sum(known) / len(known), 1) if known else None
    return group


def progress_rollup(items: Iterable[SheetProgress]) -> ProgressRollup:
    """Counts per state and mean percentage, per axis (in order of first appearance; sheets without
    axis in « — ») and overall."""
    items = list(items)
    by_axis: dict[str, list[SheetProgress]] = {}
    titles: dict[str, str] = {}
    for item in items:
        by_axis.setdefault(item.axis or "—", []).append(item)
        titles.setdefault(item.axis or "—", item.axis_title or "Sans axe")
    axes = [_fill(ProgressGroup(key, titles[key]), group) for key, group in by_axis.items()]
    return ProgressRollup(axes, _fill(ProgressGroup("ensemble", "Ensemble du contrat"), items))


# --- indicators -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class IndicatorReading:
    """One indicator of a sheet with its baseline, its target and its value for the year."""

    sheet: str
    label: str
    kind: str = ""
    unit: str = ""
    baseline: float | None = None
    target: float | None = None
    value: float | None = None
    previous: float | None = None


@dataclass(frozen=True)
class IndicatorStatus:
    reading: IndicatorReading
    status: str
    achieved: float | None  # percent of the way from baseline to target

    def as_row(self) -> dict:
        r = self.reading
        return {"fiche": r.sheet, "indicateur": r.label, "type": INDICATOR_KINDS.get(r.kind, r.kind), "unite": r.unit,
                "valeur_initiale": r.baseline, "cible": r.target, "valeur_annee_precedente": r.previous,
                "valeur": r.value, "statut": self.status, "part_atteinte": self.achieved}


def indicator_status(reading: IndicatorReading) -> IndicatorStatus:
    """The indicator's value of the year against its target (see the module's rules)."""
    value, target, baseline = reading.value, reading.target, reading.baseline
    if value is None:
        return IndicatorStatus(reading, NO_VALUE, None)
    if target is None:
        return IndicatorStatus(reading, NO_TARGET, None)
    start = baseline if baseline is not None else 0.0
    if target == start:
        return IndicatorStatus(reading, REACHED if value == target else RECEDING, 100.0 if value == target else None)
    upward = target > start
    achieved = round(100.0 * (value - start) / (target - start), 1)
    if (value >= target) if upward else (value <= target):
        status = REACHED
    elif value == start:
        status = STABLE
    elif (value > start) == upward:
        status = PROGRESSING
    else:
        status = RECEDING
    return IndicatorStatus(reading, status, achieved)


def indicator_summary(statuses: Iterable[IndicatorStatus]) -> dict[str, int]:
    """Number of indicators per status (every status present)."""
    counts = {s: 0 for s in (REACHED, PROGRESSING, STABLE, RECEDING, NO_VALUE, NO_TARGET)}
    for item in statuses:
        counts[item.status] += 1
    return counts


# --- money ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FundingRecord:
    """Money of one funder for one sheet and one year, in euros (None = not filled)."""

    sheet: str
    funder: str
    year: int
    requested: float | None = None
    granted: float | None = None
    spent: float | None = None


@dataclass
class FundingRow:
    funder: str
    requested: float = 0.0
    granted: float = 0.0
    spent: float = 0.0
    sheets: set[str] = field(default_factory=set)

    @property
    def granted_rate(self) -> float | None:
        return _ratio(self.granted, self.requested)

    @property
    def spent_rate(self) -> float | None:
        return _ratio(self.spent, self.granted)

    def as_row(self) -> dict:
        return {"financeur": self.funder, "fiches": len(self.sheets), "demande": self.requested,
                "accorde": self.granted, "depense": self.spent, "taux_accord": self.granted_rate,
                "taux_consommation": self.spent_rate}


TOTAL_LABEL = "Total"


def consolidate_funding(records: Iterable[FundingRecord], year: int | None = None) -> list[FundingRow]:
    """One row per funder (sorted by amount granted, then name) and a last « Total » row; only the
    records of ``year`` when given. Missing amounts count as 0 in the sums."""
    rows: dict[str, FundingRow] = {}
    total = FundingRow(TOTAL_LABEL)
    for record in records:
        if year is not None and record.year != year:
            continue
        row = rows.setdefault(record.funder, FundingRow(record.funder))
        for target in (row, total):
            target.requested += record.requested or 0
            target.granted += record.granted or 0
            target.spent += record.spent or 0
            target.sheets.add(record.sheet)
    ordered = sorted(rows.values(), key=lambda r: (-r.granted, r.funder.casefold()))
    return ordered + [total]


# --- the ISTS profile, one year against the previous ------------------------------------------------------

@dataclass(frozen=True)
class ProfileSnapshot:
    """The parts of an ISTS profile compared from one year to the next: the share (percent of the
    sheets) of each strategy family (id → (label, share)), the number of sheets, and the status of
    each contract- or portfolio-level check (id → (title, status))."""

    year: int
    n_sheets: int
    balance: Mapping[str, tuple[str, float]]
    checks: Mapping[str, tuple[str, str]]

    def as_dict(self) -> dict:
        return {"year": self.year, "n_sheets": self.n_sheets,
                "balance": {k: list(v) for k, v in self.balance.items()},
                "checks": {k: list(v) for k, v in self.checks.items()}}

    @classmethod
    def from_dict(cls, data: Mapping) -> ProfileSnapshot:
        return cls(int(data["year"]), int(data["n_sheets"]),
                   {k: (v[0], float(v[1])) for k, v in data["balance"].items()},
                   {k: (v[0], v[1]) for k, v in data["checks"].items()})


@dataclass(frozen=True)
class ProfileComparison:
    strategies: list[dict]  # family, label, before, after, change (points of percent)
    checks_changed: list[dict]  # id, title, before, after
    checks_same: int
    n_before: int | None
    n_after: int


def compare_profiles(before: ProfileSnapshot | None, after: ProfileSnapshot) -> ProfileComparison:
    """Strategy shares side by side with their change in points, and the checks whose status changed
    (a check absent one year reads « — »)."""
    strategies = []
    for key, (label, share) in after.balance.items():
        old = before.balance.get(key) if before else None
        strategies.append({"family": key, "label": label, "before": old[1] if old else None, "after": share,
                           "change": round(share - old[1], 1) if old else None})
    changed, same = [], 0
    ids = list(after.checks) + [k for k in (before.checks if before else {}) if k not in after.checks]
    for key in ids:
        new = after.checks.get(key)
        old = before.checks.get(key) if before else None
        if before is not None and new and old and new[1] == old[1]:
            same += 1
            continue
        changed.append({"id": key, "title": (new or old)[0], "before": old[1] if old else "—",
                        "after": new[1] if new else "—"})
    return ProfileComparison(strategies, changed, same, before.n_sheets if before else None, after.n_sheets)
