"""The published cube of one indicator: its cells and the linear relations a visitor can combine.

Every value of an indicator that is published anywhere (page, export, portrait, report, map, API,
open-data file) is a *cell* of one cube, keyed by territory, period, sex and age band. Cells are tied
by additive relations, each a total and its parts:

- **sex**: the both-sexes cell = women + men (same territory, period, age band);
- **age**: the all-ages cell = Σ age bands (same territory, period, sex);
- **period**: a pooled period ``2019-2021`` = Σ its single years (same territory and stratum);
- **territory**: a parent = Σ its children of one level (commune → département, EPCI → département,
  département → région, IRIS → commune, commune → EPCI or zone made of whole communes); a zone that
  covers part of a commune (a QPV) gives commune = zone + remainder.

A relation is kept only when the counts add up, give or take rounding and small corrections (up to
the threshold, or 5 % of the total when less): a parent supplied by a producer that is not the sum of
its children relates nothing. A part that is not published — an absent cell, or the
remainder of a commune outside its QPV — is a *hidden* cell: its count is what the relation implies
(total − Σ published parts); it is never published and counts as withheld.

Pure (numpy and pandas, no Django); :mod:`equisante.confidentiality.suppression` decides what to
withhold on a :class:`Cube`, :mod:`equisante.confidentiality.audit` attacks the result.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from equisante.confidentiality.rules import small_count

#: Columns of the cells table given to :func:`build_cube`.
CELL_COLUMNS = ("territory", "period", "sex", "age_band", "count", "flagged")
#: Columns of the territory links given to :func:`build_cube`.
LINK_COLUMNS = ("child", "parent", "share", "child_level")
#: Names of the dimensions, in French (what the documentation and the notes say).
DIMENSIONS = {"sex": "sexe", "age": "classe d'âge", "period": "période", "territory": "territoire"}

_POOLED = re.compile(r"^\s*(\d{4})\s*[-–]\s*(\d{4})\s*$")


@dataclass(frozen=True)
class Relation:
    """``cells[total] = Σ cells[parts]`` along one dimension (``sex``, ``age``, ``period``, ``territory``)."""

    total: int
    parts: tuple[int, ...]
    dimension: str

    @property
    def members(self) -> tuple[int, ...]:
        return (self.total, *self.parts)


@dataclass
class Cube:
    """Cells (stored ones first, then hidden ones) and the relations between them.

    ``count``: the count of each cell (NaN when unknown); ``primary``: withheld for itself (flagged by
    the producer, or a count between 1 and threshold − 1); ``hidden``: not a stored cell (an absent
    part or a remainder), never published. ``stored``: number of stored cells (indices below it)."""

    keys: list[Hashable]
    count: np.ndarray
    primary: np.ndarray
    hidden: np.ndarray
    relations: list[Relation]
    stored: int
    threshold: int
    skipped: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.keys)


def pooled_years(period: str) -> list[str] | None:
    """The single years of a pooled period (``"2019-2021"`` → 2019, 2020, 2021), None otherwise."""
    match = _POOLED.match(str(period))
    if not match:
        return None
    first, last = int(match.group(1)), int(match.group(2))
    if last <= first or last - first > 50:
        return None
    return [str(year) for year in range(first, last + 1)]


class _Builder:
    def __init__(self, cells: pd.DataFrame, threshold: int):
        self.threshold = threshold
        self.keys: list[Hashable] = list(zip(cells["territory"], cells["period"].astype(str),
                                             cells["sex"].fillna("").astype(str),
                                             cells["age_band"].fillna("").astype(str), strict=True))
        self.index = {key: i for i, key in enumerate(self.keys)}
        self.count = list(pd.to_numeric(cells["count"], errors="coerce").astype(float))
        flagged = cells["flagged"].fillna(False).astype(bool).tolist()
        self.primary = [bool(f) or small_count(c, threshold) for f, c in zip(flagged, self.count, strict=True)]
        self.hidden = [False] * len(self.keys)
        self.stored = len(self.keys)
        self.relations: list[Relation] = []
        self.skipped: dict[str, int] = defaultdict(int)

    def _hidden_cell(self, key: Hashable, count: float) -> int:
        self.keys.append(key)
        self.count.append(count)
        self.primary.append(small_count(count, self.threshold))
        self.hidden.append(True)
        return len(self.keys) - 1

    def relate(self, total_key, part_keys: Iterable, dimension: str, *, remainder: bool = False) -> None:
        """Record ``total = Σ parts`` when it holds; absent parts become one hidden remainder."""
        total = self.index.get(total_key)
        if total is None:
            return
        parts = [self.index.get(key) for key in part_keys]
        present = [p for p in parts if p is not None]
        if not present:
            return
        counts = [self.count[p] for p in present]
        total_count = self.count[total]
        if math.isnan(total_count) or any(math.isnan(c) for c in counts):
            self.skipped[dimension] += 1  # no counts: the relation cannot be stated
            return
        rest = total_count - sum(counts)
        # counts that nearly add up still give a withheld count back nearly: kept as a relation
        tolerance = max(0.5, min(float(self.threshold), 0.05 * abs(total_count)))
        absent = remainder or len(present) < len(parts)
        if rest < -tolerance or (not absent and abs(rest) > tolerance):
            self.skipped[dimension] += 1  # the parts do not add up to the total
            return
        members = tuple(present)
        if absent:
            members += (self._hidden_cell(("reste", dimension, total_key), max(0.0, round(rest, 6))),)
        self.relations.append(Relation(total, members, dimension))

    def cube(self) -> Cube:
        return Cube(keys=self.keys, count=np.array(self.count, dtype=float), primary=np.array(self.primary, dtype=bool),
                    hidden=np.array(self.hidden, dtype=bool), relations=self.relations, stored=self.stored,
                    threshold=self.threshold, skipped=dict(self.skipped))


def build_cube(cells: pd.DataFrame, links: pd.DataFrame | None = None, *, threshold: int) -> Cube:
    """The cube of one indicator.

    ``cells``: one row per stored value: ``territory`` (any hashable id), ``period``, ``sex`` ("" both),
    ``age_band`` ("" all ages), ``count`` (the count the value rests on: numerator, or the value of a
    count indicator, or value × denominator / multiplier; NaN when unknown), ``flagged`` (withheld by
    the producer). ``links``: territory relations ``child``, ``parent``, ``share`` (1 = the whole
    child is in the parent) and ``child_level`` (children of one level form one breakdown).
    Row ``i`` of ``cells`` is cell ``i`` of the cube."""
    builder = _Builder(cells.reset_index(drop=True), threshold)
    keys = builder.keys[: builder.stored]
    by_point: dict[tuple, set] = defaultdict(set)  # (territory, period) -> strata
    for territory, period, sex, band in keys:
        by_point[(territory, period)].add((sex, band))

    for (territory, period), strata in by_point.items():
        # sex: both sexes = women + men, for each age band
        for band in {b for _s, b in strata}:
            if ("", band) in strata and any(s for s, b in strata if b == band):
                builder.relate((territory, period, "", band), [(territory, period, s, band) for s in ("F", "H")], "sex")
        # age: all ages = Σ bands, for each sex
        for sex in {s for s, _b in strata}:
            bands = sorted(b for s, b in strata if s == sex and b)
            if bands and (sex, "") in strata:
                builder.relate((territory, period, sex, ""), [(territory, period, sex, b) for b in bands], "age")
        # period: a pooled period = Σ its years
        years = pooled_years(period)
        if years:
            for sex, band in strata:
                builder.relate((territory, period, sex, band), [(territory, y, sex, band) for y in years], "period")

    if links is not None and len(links):
        _relate_territories(builder, keys, links)
    return builder.cube()


def _relate_territories(builder: _Builder, keys: list, links: pd.DataFrame) -> None:
    strata_of: dict[Hashable, set] = defaultdict(set)
    for territory, period, sex, band in keys:
        strata_of[territory].add((period, sex, band))
    whole = links[pd.to_numeric(links["share"], errors="coerce").fillna(1.0) >= 1.0 - 1e-9]
    for (parent, _level), group in whole.groupby(["parent", "child_level"], sort=False):
        children = list(dict.fromkeys(group["child"].tolist()))
        for period, sex, band in strata_of.get(parent, ()):
            builder.relate((parent, period, sex, band), [(c, period, sex, band) for c in children], "territory")
    # a zone covering part of one commune: commune = zone + remainder (outside the zone)
    partial = links[pd.to_numeric(links["share"], errors="coerce").fillna(1.0) < 1.0 - 1e-9]
    zones_parts = partial.groupby("parent")["child"].nunique()
    for zone, parts in zones_parts.items():
        if parts != 1:
            continue  # a zone over parts of several communes: no relation with published cells
        commune = partial.loc[partial["parent"] == zone, "child"].iloc[0]
        for period, sex, band in strata_of.get(zone, ()):
            builder.relate((commune, period, sex, band), [(zone, period, sex, band)], "territory", remainder=True)
