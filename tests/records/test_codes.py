"""Residence codes of a year → communes of the vintage, from INSEE's history of communes."""

from __future__ import annotations

import datetime as dt

import pytest

from equisante.errors import EquisanteError
from equisante.records.codes import Movement, code_table, read_history

from .conftest import HISTORY

pytestmark = pytest.mark.core


def test_history_keeps_moves_between_communes_only():
    movements = read_history(HISTORY.encode(), name="mvt.csv")
    assert movements == [Movement(dt.date(2021, 1, 1), "01099", "01001", "32"),
                         Movement(dt.date(2021, 1, 1), "01001", "01001", "32")]


def test_codes_of_the_vintage_map_to_themselves_and_former_codes_follow_the_chain():
    movements = [
        Movement(dt.date(2016, 1, 1), "02001", "02002"),   # merged in 2016 …
        Movement(dt.date(2019, 1, 1), "02002", "02003"),   # … and its new commune again in 2019
        Movement(dt.date(2025, 1, 1), "02004", "02003"),   # after the vintage: not applied
        Movement(dt.date(2019, 1, 1), "02005", "09999"),   # to a code absent from the vintage
    ]
    table = code_table(["02003", "02004"], movements, vintage=2024)
    mapping = dict(zip(table["source_code"], table["territory"]))
    assert mapping == {"02001": "02003", "02002": "02003", "02003": "02003", "02004": "02004"}
    assert "02005" not in mapping  # stays unmapped: counted apart by the engines


def test_an_empty_history_and_a_faulty_date():
    assert read_history(b"MOD,DATE_EFF,COM_AV,COM_AP\n", name="vide.csv") == []
    with pytest.raises(EquisanteError) as caught:
        read_history(b"MOD,DATE_EFF,COM_AV,COM_AP\n32,01/01/2021,01099,01001\n", name="mvt.csv")
    assert caught.value.code == "records_history_invalid"
    assert "ligne 2" in str(caught.value) and "01/01/2021" in str(caught.value)
    with pytest.raises(EquisanteError) as caught:
        read_history(b"MOD,DATE,A,B\n32,2021-01-01,1,2\n", name="mvt.csv")
    assert "COM_AV" in str(caught.value) or "DATE_EFF" in str(caught.value)
