"""Counts → values through equisante.stats: empty breakdowns read as zeros, DSR equal to stats.dsr,
proportions by sex, values withheld by the method are missing (never crude), the import layouts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from equisante import stats
from equisante.records.compute import (
    catalogue_table,
    complete,
    compute_values,
    summarise,
    value_table,
)
from equisante.records.definition import ESP2013_STARTS, band_labels, parse_definition

pytestmark = pytest.mark.core

BANDS = band_labels(ESP2013_STARTS)


def definition(statistic="dsr", extra=""):
    return parse_definition(f"""
code: essai
label: Essai
statistic: {statistic}
years: [2019, 2021]
age: {{at: 2021-01-01}}
numerator: {{count: persons, where: {{event: a}}}}
denominator: {{count: persons, where: {{event: b}}}}
breakdowns: [territory, age_band, sex, period]
{extra}""")


def counts():
    rows = []
    rng = np.random.default_rng(1)
    for territory in ("01001", "01002"):
        for band in BANDS:
            for sex in ("F", "H"):
                if territory == "01002" and band == "90+":
                    continue  # an empty breakdown: no record at all
                n = int(rng.integers(200, 900))
                rows.append((territory, None, band, sex, "2019-2021", int(rng.binomial(n, 0.05)), n))
    rows.append((None, "99134", "40-44", "H", "2019-2021", 3, 40))
    return pd.DataFrame(rows, columns=["territory", "unmapped_code", "age_band", "sex", "period", "numerator",
                                       "denominator"])


def test_complete_adds_empty_breakdowns_as_zeros_and_leaves_unmapped_out():
    full = complete(counts(), definition())
    assert len(full) == 2 * 19 * 2
    empty = full[(full["territory"] == "01002") & (full["age_band"] == "90+")]
    assert empty[["numerator", "denominator"]].to_numpy().tolist() == [[0, 0], [0, 0]]


def test_dsr_is_that_of_equisante_stats():
    data = counts()
    values = compute_values(data, definition())
    assert list(values["territory"]) == ["01001", "01002"] and set(values["sex"]) == {""}
    first = data[data["territory"] == "01001"].groupby("age_band", as_index=False)[["numerator", "denominator"]].sum()
    reference = stats.dsr(first, "numerator", "denominator", age_band="age_band")
    assert values.loc[0, "value"] == pytest.approx(reference["value"].iloc[0])
    assert values.loc[0, "lower"] == pytest.approx(reference["lower"].iloc[0])
    # The empty 90+ band of 01002 contributes a zero rate, its weight kept.
    second = data[data["territory"] == "01002"].groupby("age_band", as_index=False)[["numerator", "denominator"]].sum()
    second = pd.concat([second, pd.DataFrame([{"age_band": "90+", "numerator": 0, "denominator": 1}])])
    expected = stats.dsr(second, "numerator", "denominator", age_band="age_band")
    assert values.loc[1, "value"] == pytest.approx(expected["value"].iloc[0])


def test_proportion_by_sex_and_withheld_values():
    d = definition("proportion", "by_sex: true\n")
    values = compute_values(counts(), d)
    assert list(values["sex"][:3]) == ["", "F", "H"]
    row = values.iloc[0]
    assert row["value"] == pytest.approx(row["numerator"] / row["denominator"] * 100)
    small = pd.DataFrame([("01001", None, "40-44", "F", "2019-2021", 2, 50)], columns=counts().columns)
    withheld = compute_values(small, definition())  # fewer than 10 events: no DSR
    assert withheld["state"].iloc[0] == "missing" and pd.isna(withheld["value"].iloc[0])
    table = value_table(withheld, definition(), vintage=2024)
    assert table.iloc[0]["state"] == "missing" and table.iloc[0]["value"] is None


def test_layouts_of_the_import_and_the_summary():
    d = definition()
    table = value_table(compute_values(counts(), d), d, vintage=2024)
    assert list(table.columns) == ["indicator", "level", "code", "vintage", "period", "sex", "age_band",
                                   "numerator", "denominator", "value", "lower", "upper", "state"]
    assert set(table["level"]) == {"commune"} and set(table["vintage"]) == {2024}
    catalogue = catalogue_table(d)
    assert catalogue.iloc[0]["unit"] == "pour 100 000" and catalogue.iloc[0]["multiplier"] == 100_000
    summary = summarise(counts())
    assert summary.unmapped_codes == {"99134": 43}
    assert "99134" in " ".join(summary.lines()) and "comptés à part" in " ".join(summary.lines())
