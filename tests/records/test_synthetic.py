"""The synthetic records: exact size, chunked files, mergers, missing codes, social gradient."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from equisante.records.codes import code_table, read_history
from equisante.records.synthetic import COLUMNS, MERGER_YEAR, generate_records

pytestmark = pytest.mark.core


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return generate_records(60_000, tmp_path_factory.mktemp("gen"), chunk_rows=25_000, seed=7)


def test_exact_size_in_chunks_with_the_expected_columns(generated):
    assert generated.rows == 60_000 and len(generated.files) == 3
    table = pq.read_table(generated.files)
    assert table.num_rows == 60_000 and table.column_names == COLUMNS
    assert table.column("person_id").to_pandas().is_monotonic_increasing


def test_same_seed_same_records(generated, tmp_path):
    again = generate_records(60_000, tmp_path, chunk_rows=25_000, seed=7)
    assert pq.read_table(again.files).equals(pq.read_table(generated.files))


def test_former_codes_only_before_the_merger_and_mapped_by_the_history(generated):
    frame = pq.read_table(generated.files).to_pandas()
    frame["commune"] = frame["commune"].astype(object)
    former = frame[frame["commune"].isin(list(generated.merged))]
    assert len(former) > 0 and former["year"].max() < MERGER_YEAR
    communes = set(frame["commune"].dropna()) - set(generated.merged) - {"99134"}
    table = code_table(communes, read_history(generated.history), vintage=2024)
    mapping = dict(zip(table["source_code"], table["territory"]))
    assert all(mapping[old] == new for old, new in generated.merged.items())
    assert frame["commune"].isna().sum() > 0 and (frame["commune"] == "99134").sum() > 0


def test_social_gradient_in_diabetes_stays(generated):
    from equisante.demo.generator import generate_region

    z = generate_region(2024, with_iris=False).communes.set_index("code")["deprivation"]
    frame = pq.read_table(generated.files, columns=["person_id", "commune", "event"]).to_pandas()
    frame["commune"] = frame["commune"].astype(object)
    frame["z"] = frame["commune"].map(z)
    persons = frame[frame["event"] == "affiliation"].drop_duplicates("person_id")
    stays = frame[frame["event"] == "sejour_diabete"]
    deprived = persons["z"] > persons["z"].median()
    rate_deprived = stays["z"].gt(persons["z"].median()).sum() / deprived.sum()
    rate_affluent = stays["z"].le(persons["z"].median()).sum() / (~deprived).sum()
    assert rate_deprived > rate_affluent
