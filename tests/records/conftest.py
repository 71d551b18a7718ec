"""Shared fixtures of the records tests: small hand-made records with the tricky cases, written as
Parquet and as CSV, and their commune codes and merger history."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

#: (person_id, sex, birth_date, year, commune, event). Codes: 01001, 01002, 01003 exist in 2024;
#: 01099 merged into 01001 on 1 January 2021; 99134 is abroad; None is missing.
ROWS = [
    (1, "F", "1950-06-15", 2019, "01001", "affiliation"),
    (1, "F", "1950-06-15", 2019, "01001", "sejour_diabete"),
    (1, "F", "1950-06-15", 2020, "01001", "affiliation"),
    (1, "F", "1950-06-15", 2020, "01001", "sejour_diabete"),  # same person, another year
    (1, "F", "1950-06-15", 2021, "01002", "affiliation"),     # moved
    (2, "H", "1980-01-01", 2019, "01099", "affiliation"),     # former code of 01001
    (2, "H", "1980-01-01", 2021, "01001", "affiliation"),
    (2, "H", "1980-01-01", 2021, "01001", "sejour_diabete"),
    (3, "F", "1971-01-01", 2019, None, "affiliation"),        # missing code; 50 on 2021-01-01
    (3, "F", "1971-01-01", 2019, None, "sejour_diabete"),
    (4, "H", "1971-01-02", 2020, "99134", "affiliation"),     # abroad; 49 on 2021-01-01
    (5, "F", "1990-03-03", 2018, "01001", "affiliation"),     # outside the years
    (6, "F", "1990-03-03", 2019, "01003", "affiliation"),     # a commune without any stay
    (7, "H", "2000-05-05", 2020, "01001", "sejour_autre"),    # neither numerator nor denominator
]
KNOWN = ["01001", "01002", "01003"]
HISTORY = (
    "MOD;DATE_EFF;TYPECOM_AV;COM_AV;LIBELLE_AV;TYPECOM_AP;COM_AP;LIBELLE_AP\n"
    "32;2021-01-01;COM;01099;Ancienne;COM;01001;Nouvelle\n"
    "32;2021-01-01;COM;01001;Chef-lieu;COM;01001;Nouvelle\n"
    "32;2021-01-01;COM;01099;Ancienne;COMD;01099;Ancienne\n"
)


def frame() -> pd.DataFrame:
    out = pd.DataFrame(ROWS, columns=["person_id", "sex", "birth_date", "year", "commune", "event"])
    return out


@pytest.fixture(scope="session")
def tricky(tmp_path_factory):
    """{"parquet": folder, "csv": file} holding :data:`ROWS` (Parquet split in two files)."""
    folder = tmp_path_factory.mktemp("tricky")
    data = frame()
    table = pa.table({
        "person_id": pa.array(data["person_id"], pa.int64()),
        "sex": pa.array(data["sex"]),
        "birth_date": pa.array([dt.date.fromisoformat(d) for d in data["birth_date"]], pa.date32()),
        "year": pa.array(data["year"], pa.int16()),
        "commune": pa.array([r[4] for r in ROWS], pa.string()),
        "event": pa.array(data["event"]),
    })
    parquet = folder / "parquet"
    parquet.mkdir()
    pq.write_table(table.slice(0, 7), parquet / "part-0.parquet")
    pq.write_table(table.slice(7), parquet / "part-1.parquet")
    csv = folder / "records.csv"
    data.to_csv(csv, index=False)
    history = folder / "mvt_commune_2024.csv"
    history.write_text(HISTORY, encoding="utf-8")
    return {"parquet": parquet, "csv": csv, "history": history}
