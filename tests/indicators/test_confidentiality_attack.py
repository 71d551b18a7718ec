"""The visitor's attack on the demonstration territory: every published table harvested, every linear
relation between published cells solved together; no withheld count may come back.

The visitor reads the values as the indicator pages and their CSV exports publish them
(:func:`equisante.portal.publication.published`, checked against real CSV downloads), relates the
cells by sex, age band, pooled period and territory (parents, EPCI and zones made of whole communes, a
QPV inside its commune) as anyone knowing the territorial structure can, keeps the relations that hold
in the data, and solves them (:func:`equisante.confidentiality.audit.exposed_cells`).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict

import numpy as np
import pytest

from exports.french import read_back

from equisante import exports
from equisante.confidentiality import small_count
from equisante.confidentiality.audit import exposed_cells
from equisante.confidentiality.cube import pooled_years
from equisante.indicators.models import Indicator, Value
from equisante.indicators.reading import indicator_kind
from equisante.portal import publication
from equisante.territories.models import Membership, Territory

T = 10


@pytest.fixture
def demo_region(db, monkeypatch, settings):
    from equisante.demo import loading
    from equisante.demo.generator import generate_region

    settings.EQUISANTE_CONFIDENTIALITY_THRESHOLD = T
    monkeypatch.setattr(loading, "EXTRA_LOADERS", [])  # indicators only: contracts and the rest are not needed
    region = generate_region()  # the demonstration territory itself (seed 2024, 300 communes)
    return loading.load_region(region)


def _count(numerator, denominator, value, kind, multiplier):
    if numerator is not None:
        return float(numerator)
    if value is None:
        return None
    if kind == "count":
        return float(value)
    if kind in ("proportion", "rate") and denominator:
        return float(value) * float(denominator) / float(multiplier or 1)
    return None


def harvest(indicator):
    """``{(territory id, period, sex, age band): (published count or None, true count or None, reason)}``."""
    kind = indicator_kind(indicator.unit)
    cells = {}
    for value in Value.objects.filter(indicator=indicator).select_related("territory"):
        shown = publication.published(value, indicator=indicator, territory=value.territory)
        truth = _count(value.numerator, value.denominator, value.value, kind, indicator.multiplier)
        seen = _count(shown.numerator, shown.denominator, shown.value, kind, indicator.multiplier) if shown.shown else None
        cells[(value.territory_id, value.period, value.sex, value.age_band)] = (seen, truth, shown.suppression)
    return cells


def structure():
    """Territory groups a visitor can read off the territory pages: ``[(parent, [children])]`` of whole
    children, and ``[(commune, qpv)]`` for a zone inside part of one commune."""
    groups = defaultdict(list)
    for child, parent, level in Territory.objects.filter(parent__isnull=False).values_list("id", "parent_id", "level"):
        if level != "qpv":
            groups[(parent, level)].append(child)
    partial = defaultdict(list)
    for member, group, share, level in Membership.objects.values_list("member_id", "group_id", "share", "member__level"):
        if share >= 1:
            groups[(group, level)].append(member)
        else:
            partial[group].append(member)
    whole = [(parent, sorted(set(children))) for (parent, _level), children in groups.items()]
    inside = [(members[0], zone) for zone, members in partial.items() if len(set(members)) == 1]
    return whole, inside


def equations(cells, whole, inside):
    """Relations between cells that hold in the data: ``(total key, [part keys], remainder)``."""
    strata = defaultdict(set)
    for territory, period, sex, band in cells:
        strata[territory].add((period, sex, band))
    found = []
    for territory, points in strata.items():
        for period, sex, band in points:
            if sex == "":
                found.append(((territory, period, "", band), [(territory, period, s, band) for s in "FH"]))
            if band == "":
                bands = [b for p, s, b in points if p == period and s == sex and b]
                if bands:
                    found.append(((territory, period, sex, ""), [(territory, period, sex, b) for b in bands]))
            years = pooled_years(period)
            if years:
                found.append(((territory, period, sex, band), [(territory, y, sex, band) for y in years]))
    for parent, children in whole:
        for point in strata.get(parent, ()):
            found.append(((parent, *point), [(c, *point) for c in children]))
    relations = []
    for total, parts in found:
        if total not in cells or not any(p in cells for p in parts):
            continue
        truth = [cells[k][1] for k in [total, *[p for p in parts if p in cells]]]
        if any(t is None for t in truth):
            continue
        rest = truth[0] - sum(truth[1:])
        if all(p in cells for p in parts):
            if abs(rest) <= 0.5:
                relations.append((total, [p for p in parts], None))
        elif rest >= -0.5:
            relations.append((total, [p for p in parts if p in cells], rest))
    for commune, zone in inside:
        for point in strata.get(zone, ()):
            total, part = (commune, *point), (zone, *point)
            if total in cells and part in cells and None not in (cells[total][1], cells[part][1]):
                rest = cells[total][1] - cells[part][1]
                if rest >= -0.5:
                    relations.append((total, [part], rest))
    return relations


def attack(indicator, whole, inside):
    """The withheld counts the visitor pins down, and the published small counts."""
    cells = harvest(indicator)
    keys = list(cells)
    index = {k: i for i, k in enumerate(keys)}
    unknown = [cells[k][0] is None for k in keys]
    truth = [cells[k][1] for k in keys]
    pairs = []
    for total, parts, rest in equations(cells, whole, inside):
        members = [index[p] for p in parts]
        if rest is not None:  # what is not published of the total: one more unknown
            keys.append(("reste", total))
            unknown.append(True)
            truth.append(rest)
            members.append(len(keys) - 1)
        pairs.append((index[total], members))
    found = exposed_cells(pairs, np.array(unknown, dtype=bool))
    exposed = [keys[i] for i in found
               if (i < len(cells) and cells[keys[i]][1] not in (None,))
               or (i >= len(cells) and small_count(truth[i], T))]
    small = [k for k, (seen, _truth, _why) in cells.items() if seen is not None and small_count(seen, T)]
    reasons = [why for _seen, _truth, why in cells.values()]
    return exposed, small, reasons


def test_the_visitor_recovers_no_withheld_count_on_the_demonstration_territory(demo_region, client):
    whole, inside = structure()
    totals = {"cells": 0, "primary": 0, "secondary": 0}
    for indicator in Indicator.objects.order_by("code"):
        exposed, small, reasons = attack(indicator, whole, inside)
        assert exposed == [], f"{indicator.code} : {len(exposed)} valeurs masquées retrouvées, ex. {exposed[:3]}"
        assert small == [], f"{indicator.code} : petits effectifs publiés {small[:3]}"
        totals["cells"] += len(reasons)
        totals["primary"] += reasons.count("primary")
        totals["secondary"] += reasons.count("secondary")
    # protection must not blank out the product: complementary cells stay a small share
    assert totals["secondary"] > 0
    assert totals["secondary"] / totals["cells"] < 0.10
    print(f"\ncellules {totals['cells']}, secret primaire {totals['primary']} "
          f"({100 * totals['primary'] / totals['cells']:.1f} %), secondaire {totals['secondary']} "
          f"({100 * totals['secondary'] / totals['cells']:.1f} %)")


def test_the_examples_of_the_report_no_longer_subtract(demo_region, client):
    """The three subtractions of the report, through the real CSV downloads of the indicator page."""
    code = "demo-depistage-colorectal"

    def download(**params):
        response = client.get(f"/indicateurs/{code}/", {"level": "commune", "format": "csv", **params})
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        text = response.content.decode("utf-8-sig")
        reader = csv.DictReader(io.StringIO(text), delimiter=";")
        # the columns of the import format, in order, then « Secret », under their French headers
        keys = ["indicator", "level", "code", "name", "vintage", "period", "sex", "age_band", "numerator",
                "denominator", "value", "lower", "upper", "state", "secret"]
        assert reader.fieldnames == [exports.csv_header(exports.COLUMNS[k]) for k in keys]
        rows = read_back(response.content).to_dict("records")  # back under the keys and codes
        return {row["code"]: row for row in rows}

    both, women, men = (download(period="2019", sex=s) for s in ("", "F", "H"))
    for commune, row in men.items():
        if row["state"] == "suppressed":
            assert row["secret"] in ("primaire", "secondaire") and row["numerator"] == "" and row["value"] == ""
            # both sexes minus women gives men back only if both are published: never
            assert both[commune]["numerator"] == "" or women[commune]["numerator"] == ""
    pooled = download(period="2019-2021", sex="H")
    years = {y: download(period=y, sex="H") for y in ("2019", "2020", "2021")}
    for commune, row in pooled.items():
        hidden = [y for y in years if years[y].get(commune, {}).get("numerator", "") == ""]
        assert row["numerator"] == "" or len(hidden) != 1
