"""Statistical confidentiality of published values (equisante.confidentiality)."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from equisante.confidentiality import is_withheld, publish, publish_frame, small_count


def test_small_counts():
    assert small_count(1, 10) and small_count(9, 10) and small_count(9.5, 10)
    assert not small_count(0, 10)  # zero reveals no one
    assert not small_count(10, 10) and not small_count(None, 10) and not small_count("", 10)
    assert not small_count(float("nan"), 10)


def test_withheld_rules():
    assert is_withheld("suppressed", 500, threshold=10)
    assert is_withheld("ok", 3, threshold=10)
    assert not is_withheld("ok", 30, threshold=10)
    assert not is_withheld("unstable", None, threshold=10, value=3)  # a rate of 3, not a count
    assert is_withheld("ok", None, threshold=10, value=3, is_count=True)
    assert not is_withheld("ok", None, threshold=10, value=0, is_count=True)


def test_publish_blanks_value_numerator_and_limits():
    record = {"state": "suppressed", "value": 12.5, "numerator": 4, "denominator": 32, "lower": 3.0, "upper": 30.0,
              "code": "01003"}
    published = publish(record, threshold=10)
    assert published == {"state": "suppressed", "value": None, "numerator": None, "denominator": 32,
                         "lower": None, "upper": None, "code": "01003"}
    assert record["value"] == 12.5  # the input is left alone
    ok = {"state": "ok", "value": 40.0, "numerator": 40, "lower": 30.0, "upper": 50.0}
    assert publish(ok, threshold=10) == ok


def test_publish_frame():
    table = pd.DataFrame({
        "indicator": ["taux", "taux", "taux", "deces", "deces"],
        "state": ["ok", "suppressed", "ok", "ok", "ok"],
        "numerator": pd.array([50, 70, 3, None, None], dtype="Int64"),
        "denominator": [1000, 900, 80, None, None],
        "value": [5.0, 7.8, 3.75, 2.0, 25.0],
        "lower": [3.7, 6.1, 0.8, None, None],
        "upper": [6.6, 9.8, 10.9, None, None],
    })
    published = publish_frame(table, threshold=10, count_indicators={"deces"})
    assert list(published["state"]) == ["ok", "suppressed", "suppressed", "suppressed", "ok"]
    assert published["value"].isna().tolist() == [False, True, True, True, False]
    assert published["numerator"].isna().tolist() == [False, True, True, True, True]
    assert published["lower"].isna().tolist() == [False, True, True, True, True]
    assert published["denominator"].tolist()[:3] == [1000, 900, 80]
    assert published.attrs["withheld"] == 3
    assert table["state"].tolist()[1:3] == ["suppressed", "ok"]  # the input is left alone


@pytest.mark.parametrize("module", ["equisante.confidentiality", "equisante.maps"])
def test_pure_modules_import_without_django(module):
    code = f"import sys, {module}\nassert 'django' not in sys.modules, sorted(m for m in sys.modules if 'django' in m)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
