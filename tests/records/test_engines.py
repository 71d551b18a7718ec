"""DuckDB, Spark (local mode) and pandas give identical counts: hand-made tricky records with counts
worked out by hand (distinct persons across years, missing and foreign codes, a merged commune, a
commune without events, ages on the birthday), then generated records. Spark tests skip without Java
or pyspark."""

from __future__ import annotations

import pandas as pd
import pytest

from equisante.errors import EquisanteError
from equisante.records import engines
from equisante.records.codes import code_table, read_history
from equisante.records.definition import parse_definition

from .conftest import KNOWN

pytestmark = pytest.mark.core

DEFINITION = """
code: diabete
label: Patients hospitalisés pour diabète
statistic: dsr
years: [2019, 2021]
age: {at: 2021-01-01}
numerator: {count: persons, where: {event: sejour_diabete}}
denominator: {count: persons, where: {event: affiliation}}
breakdowns: [territory, age_band, sex, period]
"""
KEYS = ["territory", "unmapped_code", "age_band", "sex", "period"]
EXPECTED = [
    ("01001", None, "40-44", "H", "2019-2021", 1, 1),  # person 2: former code 01099 in 2019, 01001 in 2021
    ("01001", None, "70-74", "F", "2019-2021", 1, 1),  # person 1: stays in 2019 and 2020, one person
    ("01002", None, "70-74", "F", "2019-2021", 0, 1),  # person 1 after moving
    ("01003", None, "30-34", "F", "2019-2021", 0, 1),  # a commune without stays: numerator 0
    (None, "", "50-54", "F", "2019-2021", 1, 1),       # missing code, 50 on her birthday
    (None, "99134", "45-49", "H", "2019-2021", 0, 1),  # abroad, 49 the day before his birthday
]


def _engines():
    reason = engines.spark_available()
    return ["pandas", "duckdb", pytest.param("spark", marks=pytest.mark.skipif(bool(reason), reason=reason or ""))]


@pytest.fixture(scope="module")
def codes(tricky):
    return code_table(KNOWN, read_history(tricky["history"]), vintage=2024)


def expected_frame(rows=EXPECTED):
    frame = pd.DataFrame(rows, columns=KEYS + ["numerator", "denominator"])
    for key in KEYS:
        frame[key] = pd.Series([None if pd.isna(v) else v for v in frame[key]], dtype=object)
    return frame.astype({"numerator": "int64", "denominator": "int64"})


OPTIONS = engines.EngineOptions(threads=2, memory_limit="512MB", spark_memory="1g")


@pytest.mark.parametrize("engine", _engines())
@pytest.mark.parametrize("source", ["parquet", "csv"])
def test_tricky_records_give_the_hand_counts(tricky, codes, engine, source):
    result = engines.aggregate(parse_definition(DEFINITION), [tricky[source]], codes=codes, engine=engine,
                               options=OPTIONS)
    pd.testing.assert_frame_equal(result, expected_frame())


@pytest.mark.parametrize("engine", _engines())
def test_events_per_year_and_no_code_table(tricky, engine):
    definition = parse_definition(DEFINITION.replace("statistic: dsr", "statistic: rate")
                                  .replace("{count: persons, where: {event: sejour_diabete}}",
                                           "{count: events, where: {event: [sejour_diabete, sejour_autre]}}")
                                  .replace("age_band, sex, period", "period") + "pooled: false\n")
    result = engines.aggregate(definition, [tricky["parquet"]], engine=engine, options=OPTIONS)
    expected = pd.DataFrame([
        ("01001", None, "2019", 1, 1), ("01001", None, "2020", 2, 1), ("01001", None, "2021", 1, 1),
        ("01002", None, "2021", 0, 1), ("01003", None, "2019", 0, 1), ("01099", None, "2019", 0, 1),
        ("99134", None, "2020", 0, 1), (None, "", "2019", 1, 1),
    ], columns=["territory", "unmapped_code", "period", "numerator", "denominator"])
    for key in ("territory", "unmapped_code", "period"):
        expected[key] = pd.Series([None if pd.isna(v) else v for v in expected[key]], dtype=object)
    pd.testing.assert_frame_equal(result, expected.astype({"numerator": "int64", "denominator": "int64"}))


@pytest.mark.parametrize("engine", _engines())
def test_count_rows_and_distinct(tricky, engine):
    result = engines.count_rows([tricky["parquet"]], ["commune", "year"], engine=engine, options=OPTIONS)
    assert list(result.columns) == ["commune", "year", "n"]
    assert result["n"].sum() == 14
    assert result.iloc[-1]["commune"] is None  # missing values last
    first = result.iloc[0]
    assert (first["commune"], first["year"], first["n"]) == ("01001", 2018, 1)
    distinct = engines.count_rows([tricky["csv"]], ["sex"], distinct="person_id", engine=engine, options=OPTIONS)
    assert distinct.to_dict("list") == {"sex": ["F", "H"], "n": [4, 3]}


def test_missing_column_and_unknown_engine(tricky):
    with pytest.raises(EquisanteError) as caught:
        engines.count_rows([tricky["parquet"]], ["region"], engine="duckdb")
    assert caught.value.code == "records_column_missing" and "« region »" in str(caught.value)
    with pytest.raises(EquisanteError) as caught:
        engines.count_rows([tricky["parquet"]], ["sex"], engine="polars")
    assert caught.value.code == "records_engine_unknown"
    with pytest.raises(EquisanteError) as caught:
        engines.record_files([tricky["parquet"] / "absent.parquet"])
    assert caught.value.code == "records_input_unreadable"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    from equisante.records.synthetic import generate_records

    return generate_records(40_000, tmp_path_factory.mktemp("generated"), chunk_rows=15_000, seed=11)


@pytest.mark.parametrize("engine", [e for e in _engines() if e != "pandas"])
def test_generated_records_identical_on_every_engine(generated, engine):
    from equisante.demo.generator import generate_region

    communes = generate_region(2024, with_iris=False).communes["code"]
    codes = code_table(communes, read_history(generated.history), vintage=2024)
    definition = parse_definition(DEFINITION)
    reference = engines.aggregate(definition, generated.files, codes=codes, engine="pandas")
    result = engines.aggregate(definition, generated.files, codes=codes, engine=engine, options=OPTIONS)
    pd.testing.assert_frame_equal(result, reference)
    assert set(reference["unmapped_code"].dropna()) == {"", "99134"}  # counted apart, not dropped
    assert not reference["territory"].isin(list(generated.merged)).any()  # former codes all mapped
    by = ["commune", "sex", "year"]
    pd.testing.assert_frame_equal(engines.count_rows(generated.files, by, engine=engine, options=OPTIONS),
                                  engines.count_rows(generated.files, by, engine="pandas"))


@pytest.mark.parametrize("engine", _engines())
def test_semicolon_csv_reads_the_same(tmp_path, engine):
    path = tmp_path / "records.csv"
    path.write_text("commune;sex\n01001;F\n01001;H\n;F\n01002;F\n", encoding="utf-8")
    result = engines.count_rows([path], ["commune"], engine=engine, options=OPTIONS)
    assert result.to_dict("list") == {"commune": ["01001", "01002", None], "n": [2, 1, 1]}
