"""equisante.stats reproduces the published test data of PHEindicatormethods v2.1.0.

Reads every file of ``../shared/data/reference/pheindicatormethods/`` that concerns the PHE methods
(all sheets, grouped and ungrouped, 95 % and 99.8 %) and compares with relative tolerance 1e-6.
Skipped cleanly when ``../shared`` is absent (the key values are also written literally in the
other test files). ``DSR_testdata.csv`` and ``LE_testdata.csv`` are inputs of the slope index of
inequality (one row per deprivation quintile/decile, no age bands): they are not used here.

Known defects of the reference data (never checked by the R package's own tests):
- ``testresults_DSR``, rows ``testdata_1976``: the 99.8 % limits are 10 times too large (the
  "per 10,000" row holds the per-100,000 limits); only the 95 % limits are compared, and the
  defect itself is asserted.
- ``testdata_funnel_prop_outputs*.csv`` are rounded to 6 decimals: an absolute tolerance of half a
  unit of the last decimal is added there.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from equisante.stats import confidence as ci
from equisante.stats import crude, funnel, standardisation
from equisante.stats.errors import StatsInputError

REF = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "reference" / "pheindicatormethods"
RTOL = 1e-6


@pytest.fixture(autouse=True)
def _need_reference():
    if not REF.is_dir():
        pytest.skip(f"../shared absent ({REF})")


@cache
def _sheet(name: str, sheet: str | None = None) -> pd.DataFrame:
    path = REF / name
    if path.suffix == ".xlsx":
        return pd.read_excel(path, sheet_name=sheet if sheet is not None else 0)
    return pd.read_csv(path, encoding="utf-8-sig")


def sheet(name: str, sheet_name: str | None = None) -> pd.DataFrame:
    return _sheet(name, sheet_name).copy()


def close(actual, expected, *, rtol=RTOL, atol=0.0):
    np.testing.assert_allclose(np.asarray(actual, dtype=float), np.asarray(expected, dtype=float),
                               rtol=rtol, atol=atol, equal_nan=True)


def by_key(result: pd.DataFrame, key: str, order) -> pd.DataFrame:
    return result.set_index(key).loc[list(order)].reset_index()


# --- Byar's and Wilson ---------------------------------------------------------------------------

def test_byars_and_wilson_every_row():
    table = sheet("testdata_Byars_Wilson.xlsx")
    checked = 0
    for row in table.itertuples():
        level = 0.95 if row.confidence == "95%" else 0.998
        if row.method == "Byars":
            lower, upper = ci.byars_lower(row.x, level), ci.byars_upper(row.x, level)
        else:
            lower, upper = ci.wilson_lower(row.x, row.n, level), ci.wilson_upper(row.x, row.n, level)
        if not np.isnan(row.lowercl):  # the last row publishes only the upper limit
            close(lower, row.lowercl)
            checked += 1
        close(upper, row.uppercl)
        checked += 1
    assert checked == 25


# --- proportions and rates -----------------------------------------------------------------------

@pytest.mark.parametrize("function, workbook, method_column", [
    (crude.proportion, "testdata_Proportion.xlsx", False),
    (crude.rate, "testdata_Rate.xlsx", True),
])
def test_crude_ungrouped_both_levels(function, workbook, method_column):
    table = sheet(workbook, "testdata_Prop" if "Prop" in workbook else "testdata_Rate")
    for multiplier, part in table.groupby("multiplier"):
        result = by_key(function(part, "Numerator", "Denominator", by="Area", confidence=(0.95, 0.998),
                                 multiplier=multiplier), "Area", part["Area"])
        for ours, theirs in [("value", "value"), ("lower_95_0", "lower95_0cl"), ("upper_95_0", "upper95_0cl"),
                             ("lower_99_8", "lower99_8cl"), ("upper_99_8", "upper99_8cl")]:
            close(result[ours], part[theirs])
        if method_column:
            assert result["method"].fillna("NA").tolist() == part["method"].fillna("NA").tolist()
        assert (result["confidence"] == "95%, 99.8%").all()


@pytest.mark.parametrize("function, workbook, data_sheet, results_sheet", [
    (crude.proportion, "testdata_Proportion.xlsx", "testdata_Prop", "testdata_Prop_g"),
    (crude.rate, "testdata_Rate.xlsx", "testdata_Rate", "testdata_Rate_g"),
])
def test_crude_grouped(function, workbook, data_sheet, results_sheet):
    data = sheet(workbook, data_sheet)
    expected = sheet(workbook, results_sheet)
    multiplier = expected["multiplier"].iloc[0]
    result = by_key(function(data, "Numerator", "Denominator", by="Area", multiplier=multiplier), "Area",
                    expected["Area"])
    close(result["numerator"], expected["Numerator"])
    close(result["denominator"], expected["Denominator"])
    close(result["value"], expected["value"])
    close(result["lower"], expected["lowercl"])
    close(result["upper"], expected["uppercl"])
    assert (result["confidence"] == "95%").all()
    if function is crude.rate:
        assert result["method"].fillna("NA").tolist() == expected["method"].fillna("NA").tolist()


def test_means_grouped_and_ungrouped():
    data = sheet("testdata_Mean.xlsx", "testdata_Mean")
    expected = sheet("testdata_Mean.xlsx", "testdata_Mean_results")
    grouped = crude.mean(data, "values", by="area", confidence=(0.95, 0.998))
    whole = crude.mean(data, "values", confidence=(0.95, 0.998))
    result = pd.concat([grouped.drop(columns="area"), whole], ignore_index=True)
    for ours, theirs in [("sum", "value_sum"), ("n", "value_count"), ("sd", "stdev"), ("value", "value"),
                         ("lower_95_0", "lower95_0cl"), ("upper_95_0", "upper95_0cl"),
                         ("lower_99_8", "lower99_8cl"), ("upper_99_8", "upper99_8cl")]:
        close(result[ours], expected[theirs])


# --- directly standardised rates ---------------------------------------------------------------

DSR_COLUMNS = [("numerator", "total_count"), ("denominator", "total_pop"), ("value", "value"),
               ("lower_95_0", "lower95_0cl"), ("upper_95_0", "upper95_0cl"),
               ("lower_99_8", "lower99_8cl"), ("upper_99_8", "upper99_8cl")]


def _dsr_expected(rows):
    return sheet("testdata_DSR_ISR.xlsx", "testresults_DSR").iloc[rows].reset_index(drop=True)


@pytest.mark.parametrize("multiplier, rows", [(10_000, [0, 1, 2]), (100_000, [4, 5, 6])])
@pytest.mark.parametrize("how", ["default", "vector", "column", "age_band"])
def test_dsr_multiarea(multiplier, rows, how):
    data = sheet("testdata_DSR_ISR.xlsx", "testdata_multiarea")
    options = {}
    if how == "vector":
        options["standard"] = list(standardisation.ESP2013)
    elif how == "column":
        data["esp2013"] = np.tile(standardisation.ESP2013, 3)
        options["standard"] = "esp2013"
    elif how == "age_band":
        data = data.sample(frac=1, random_state=3)  # any row order: bands matched by label
        options["age_band"] = "ageband"
    result = standardisation.dsr(data, "count", "pop", by="area", confidence=(0.95, 0.998),
                                 multiplier=multiplier, **options)
    expected = _dsr_expected(rows)
    assert result["area"].tolist() == expected["area"].tolist()
    for ours, theirs in DSR_COLUMNS:
        close(result[ours], expected[theirs])
    assert result["suppression"].astype(bool).tolist() == [False, False, True]  # tiny: 9 events


@pytest.mark.parametrize("multiplier, row", [(10_000, 3), (100_000, 7)])
def test_dsr_esp1976_95_percent(multiplier, row):
    data = sheet("testdata_DSR_ISR.xlsx", "testdata_1976")
    expected = _dsr_expected([row])
    by_column = standardisation.dsr(data, "count", "pop", standard="esp1976", multiplier=multiplier,
                                    confidence=(0.95, 0.998))
    by_vector = standardisation.dsr(data, "count", "pop", standard=data["esp1976"].to_numpy(),
                                    multiplier=multiplier, confidence=(0.95, 0.998))
    for result in (by_column, by_vector):
        for ours, theirs in DSR_COLUMNS[:5]:
            close(result[ours], expected[theirs])
        # Reference defect: its 99.8 % limits are those of a multiplier 10 times larger.
        close(result["lower_99_8"] * 10, expected["lower99_8cl"])
        close(result["upper_99_8"] * 10, expected["upper99_8cl"])


def _nonindependent_long(data: pd.DataFrame) -> pd.DataFrame:
    long = data.melt(id_vars=["area", "ageband", "count", "pop"], value_vars=["f1", "f2", "f3", "f4"],
                     var_name="frequency", value_name="people")
    long["frequency"] = long["frequency"].str[1:].astype(int)
    return long.drop(columns="count")


@pytest.mark.parametrize("group_by_frequency", [False, True])
def test_dsr_non_independent_events(group_by_frequency):
    long = _nonindependent_long(sheet("testdata_DSR_ISR.xlsx", "testdata_nonindepe"))
    by = ["area", "frequency"] if group_by_frequency else "area"
    result = standardisation.dsr(long, "people", "pop", by=by, confidence=(0.95, 0.998), independent_events=False,
                                 event_frequency="frequency", age_band="ageband")
    expected = _dsr_expected([8, 9, 10, 11])
    assert result["area"].tolist() == expected["area"].tolist()
    for ours, theirs in DSR_COLUMNS:
        close(result[ours], expected[theirs])


# --- indirect standardisation --------------------------------------------------------------------

ISR_COLUMNS = [("observed", "observed"), ("expected", "expected"), ("value", "value"),
               ("lower_95_0", "lower95_0cl"), ("upper_95_0", "upper95_0cl"),
               ("lower_99_8", "lower99_8cl"), ("upper_99_8", "upper99_8cl")]


def _isr_expected(rows):
    return sheet("testdata_DSR_ISR.xlsx", "testresults_ISR").iloc[rows].reset_index(drop=True)


def _reference_vectors():
    ref = sheet("testdata_DSR_ISR.xlsx", "refdata")
    return ref["refcount"].to_numpy(), ref["refpop"].to_numpy()


@pytest.mark.parametrize("source", ["vectors", "columns", "vectors_with_missing", "multiarea", "observed"])
def test_isr_rates_and_ratios(source):
    own = sheet("testdata_DSR_ISR.xlsx", "testdata_multiarea_isr")
    ref_x, ref_n = _reference_vectors()
    data, options = own.drop(columns=["refcount", "refpop"]), {}
    if source == "columns":
        data, ref_x, ref_n = own, "refcount", "refpop"
    elif source == "vectors_with_missing":
        ref_x = ref_x.astype(float)
        ref_x[2] = np.nan  # the 10-14 band has no reference deaths: a missing value counts as zero
    elif source == "multiarea":
        data = sheet("testdata_DSR_ISR.xlsx", "testdata_multiarea")
    elif source == "observed":
        data = data.drop(columns="count")
        options["observed"] = sheet("testdata_DSR_ISR.xlsx", "testdata_multiarea_lookup")
    x = "total_count" if source == "observed" else "count"
    for multiplier, rows in [(100_000, [0, 1, 2]), (1000, [3, 4, 5])]:
        result = standardisation.isr(data, x, "pop", ref_x, ref_n, by="area", confidence=(0.95, 0.998),
                                     multiplier=multiplier, **options)
        expected = _isr_expected(rows)
        for ours, theirs in ISR_COLUMNS + [("reference_rate", "ref_rate")]:
            close(result[ours], expected[theirs])
        assert result["method"].tolist() == expected["method"].tolist()
    for refvalue, rows in [(1, [6, 7, 8]), (100, [9, 10, 11])]:
        result = standardisation.smr(data, x, "pop", ref_x, ref_n, by="area", confidence=(0.95, 0.998),
                                     refvalue=refvalue, **options)
        expected = _isr_expected(rows)
        for ours, theirs in ISR_COLUMNS:
            close(result[ours], expected[theirs])


def test_isr_zero_population_band_is_accepted():
    data = sheet("testdata_DSR_ISR.xlsx", "testdata_err2")  # Area1 has a population of 0 in one band
    ref_x, ref_n = _reference_vectors()
    rate = standardisation.isr(data, "count", "pop", ref_x, ref_n, by="area")
    ratio = standardisation.smr(data, "count", "pop", ref_x, ref_n, by="area", refvalue=100)
    for result, rows in ((rate, [12, 13]), (ratio, [14, 15])):
        expected = _isr_expected(rows)
        for ours, theirs in [("observed", "observed"), ("expected", "expected"), ("value", "value"),
                             ("lower", "lower95_0cl"), ("upper", "upper95_0cl")]:
            close(result[ours], expected[theirs])


# --- inputs the reference refuses ------------------------------------------------------------------

@pytest.mark.parametrize("sheet_name, code", [
    ("testdata_err1", "count_negative"),
    ("testdata_err2", "denominator_not_positive"),
    ("testdata_err3", "denominator_not_positive"),
    ("testdata_err4", "standard_negative"),
])
def test_dsr_refuses_error_sheets(sheet_name, code):
    data = sheet("testdata_DSR_ISR.xlsx", sheet_name)
    options = {"standard": "stdpop"} if "stdpop" in data.columns else {"by": "area"}
    with pytest.raises(StatsInputError) as caught:
        standardisation.dsr(data, "count", "pop", **options)
    assert caught.value.code == code
    assert "«" in str(caught.value)  # French message naming the column


@pytest.mark.parametrize("function", [standardisation.isr, standardisation.smr])
@pytest.mark.parametrize("sheet_name, code", [
    ("testdata_err1", "count_negative"),
    ("testdata_err3", "denominator_negative"),
])
def test_indirect_refuses_error_sheets(function, sheet_name, code):
    data = sheet("testdata_DSR_ISR.xlsx", sheet_name)
    ref_x, ref_n = _reference_vectors()
    with pytest.raises(StatsInputError) as caught:
        function(data, "count", "pop", ref_x, ref_n)
    assert caught.value.code == code


def test_indirect_refuses_negative_reference_from_error_sheet():
    data = sheet("testdata_DSR_ISR.xlsx", "testdata_err4")  # negative weight used as reference counts
    with pytest.raises(StatsInputError) as caught:
        standardisation.isr(data, "count", "pop", "stdpop", "pop")
    assert caught.value.code == "reference_negative"


# --- funnel plots ----------------------------------------------------------------------------------

FUNNEL_PROPORTION = ["population", "lower_2s_limit", "upper_2s_limit", "lower_3s_limit", "upper_3s_limit",
                     "baseline"]


@pytest.mark.parametrize("output, subset", [
    ("testdata_funnel_prop_outputs.csv", None),
    ("testdata_funnel_prop_outputs_with_axis_variation.csv", 31000),
])
def test_funnel_proportion_limits(output, subset):
    data = sheet("testdata_funnel_prop_inputs.csv")
    if subset:
        data = data[data["denominator"] < subset]
    result = funnel.funnel_limits(data, "numerator", "denominator", statistic="proportion", multiplier=100)
    expected = sheet(output)
    assert len(result) == len(expected) == 100
    close(result[FUNNEL_PROPORTION], expected, atol=5e-7)
    assert (result["statistic"] == "proportion").all() and (result["method"] == "Wilson").all()


def test_funnel_proportion_significance():
    data = sheet("testdata_funnel_prop_inputs.csv")
    result = funnel.funnel_significance(data.drop(columns="significance"), "numerator", "denominator",
                                        statistic="proportion")
    assert result["significance"].astype(str).tolist() == data["significance"].tolist()


@pytest.mark.parametrize("ratio_type", ["count", "isr"])
def test_funnel_ratio_limits(ratio_type):
    data = sheet("testdata_funnel_ratio_inputs.csv")
    expected = sheet("testdata_funnel_ratio_outputs.csv")
    expected = expected.rename(columns={expected.columns[0]: "observed_events"})
    result = funnel.funnel_limits(data, "obs", "expected", statistic="ratio", ratio_type=ratio_type)
    for label in ("lower_2s", "upper_2s", "lower_3s", "upper_3s"):
        close(result[f"{label}_exp_events"], expected[f"{label}_exp_events"])
        close(result[f"{label}_limit"], expected[f"{label}_{ratio_type}"])
    close(result["observed_events"], expected["observed_events"])
    assert (result["statistic"] == f"ratio ({ratio_type})").all()


def test_funnel_ratio_significance():
    data = sheet("testdata_funnel_ratio_inputs.csv")
    result = funnel.funnel_significance(data.drop(columns="significance"), "obs", "expected", statistic="ratio")
    assert result["significance"].astype(str).tolist() == data["significance"].tolist()


RATE_COLUMNS = ["lower_2s_population_1_year", "lower_2s_limit", "upper_2s_population_1_year", "upper_2s_limit",
                "lower_3s_population_1_year", "lower_3s_limit", "upper_3s_population_1_year", "upper_3s_limit",
                "baseline"]


def _rate_funnel_inputs():
    return sheet("testdata_funnel_rate_input_funnels.csv")


@pytest.mark.parametrize("case", ["dsr", "crude_below_10", "crude_zero_with_denominator"])
def test_funnel_rate_limits(case):
    data = _rate_funnel_inputs()
    options = dict(rate="rate", multiplier=1e5, statistic="rate", years_of_data=3)
    if case == "dsr":
        result = funnel.funnel_limits(data, "ev", rate_type="dsr", **options)
        expected = sheet("testdata_funnel_rate_outputs.csv")
    elif case == "crude_below_10":
        data.loc[data["ev"] == data["ev"].max(), "ev"] = 5
        result = funnel.funnel_limits(data, "ev", rate_type="crude", **options)
        expected = sheet("testdata_funnel_rate_outputs_2.csv")
    else:
        data = data[["ev", "rate"]].astype(float)
        data["pop"] = 1e5 * data["ev"] / data["rate"]
        top = data["ev"] == data["ev"].max()
        data.loc[top, ["ev", "rate"]] = 0
        data = data[data["pop"] > data["pop"].max() / 2]
        result = funnel.funnel_limits(data, "ev", "pop", rate_type="crude", **options)
        expected = sheet("testdata_funnel_rate_outputs_3.csv")
    close(result["events"], expected["Events"])
    close(result[RATE_COLUMNS], expected[RATE_COLUMNS])
    assert result["statistic"].tolist() == expected["statistic"].tolist()
    assert result["method"].tolist() == expected["method"].tolist()


@pytest.mark.parametrize("rate_type, multiplier, rate, column", [
    ("dsr", 1e5, "rate_dsr", "dsr_per_100000"),
    ("dsr", 100, "rate_dsr", "dsr_per_100"),
    ("crude", 1e5, "rate_crude_per_100000", "crude_per_100000"),
    ("crude", 100, "rate_crude_per_100", "crude_per_100"),
])
@pytest.mark.parametrize("zero", ["with_0", "without_0"])
def test_funnel_rate_significance(rate_type, multiplier, rate, column, zero):
    data = sheet("testdata_funnel_rate_dsr_inputs.csv")
    if zero == "without_0":
        data = data[data["count"] != 0]
    result = funnel.funnel_significance(data[["count", rate, "pop"]], "count", "pop", statistic="rate", rate=rate,
                                        rate_type=rate_type, multiplier=multiplier)
    assert result["significance"].astype(str).tolist() == data[f"{column}_{zero}"].tolist()


@pytest.mark.parametrize("case", ["dsr_below_10", "crude", "crude_zero_with_denominator"])
def test_funnel_points(case):
    data = _rate_funnel_inputs()
    top = data["ev"] == data["ev"].max()
    if case == "dsr_below_10":
        data.loc[top, "ev"] = 5
        result = funnel.funnel_points(data[["ev", "rate"]], "ev", "rate", rate_type="dsr", years_of_data=3,
                                      multiplier=1e5)
        chart, derived = "rate_chart", "denominator_derived"
    elif case == "crude":
        result = funnel.funnel_points(data[["ev", "rate"]], "ev", "rate", rate_type="crude", years_of_data=3,
                                      multiplier=1e5)
        chart, derived = "rate_chart_crude", "denominator_derived_crude"
    else:
        data.loc[top, "ev"] = 0
        result = funnel.funnel_points(data[["ev", "rate", "pop"]], "ev", "rate", denominator="pop",
                                      rate_type="crude", years_of_data=5, multiplier=1e5)
        chart, derived = "rate_chart_crude_with_denom", "denominator_derived_crude_with_denom"
    close(result["rate_chart"], data[chart])
    close(result["denominator_derived"], data[derived])
