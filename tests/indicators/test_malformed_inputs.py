"""Malformed inputs, generated: an import either succeeds or is refused with InputRejected (French
problems, nothing written); it never crashes with another exception and never half-imports."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from equisante.errors import InputRejected
from equisante.indicators import importing
from equisante.indicators.importing import import_catalogue, import_values
from equisante.indicators.models import Indicator, Value
from equisante.indicators.reading import LONG_COLUMNS

pytestmark = pytest.mark.django_db

COLUMNS = [c for c in LONG_COLUMNS if c != "name"] + ["name", "Niveau", "valeur", "", "junk", "CODE__value"]
POOLS = {
    "indicator": ["part_65", "mortalite", "deces", "inconnu", "", "part 65"],
    "level": ["commune", "Département", "departement", "canton", "", "EPCI"],
    "code": ["01001", "01002", "69001", "01", "1001", "99999", "", "2A004"],
    "period": ["2021", "2019-2021", "21", "", "2021-T2", "2021-13", "abc"],
    "sex": ["", "F", "H", "X", "femmes"],
    "age_band": ["", "0-4", "90+", "4-0", "vieux"],
    "state": ["", "ok", "missing", "secret", "perdu"],
}
NUMBERS = ["", "1", "12,5", "0", "-3", "abc", "1e400", "1 000", "3.5", "1.234,5", "100000"]
JUNK = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)


def cell(column: str):
    pool = POOLS.get(column, NUMBERS)
    return st.one_of(st.sampled_from(pool), JUNK)


@st.composite
def csv_texts(draw):
    header = draw(st.lists(st.sampled_from(COLUMNS), min_size=0, max_size=10))
    if draw(st.booleans()):
        header = ["indicator", "level", "code", "period", *header]
    separator = draw(st.sampled_from([",", ";", "\t"]))
    rows = draw(st.lists(st.lists(st.one_of(*(cell(c) for c in header)) if header else JUNK,
                                  min_size=0, max_size=len(header) + 2), max_size=6))
    quote = draw(st.booleans())

    def render(cells):
        if quote:
            return separator.join('"' + c.replace('"', '""') + '"' for c in cells)
        return separator.join(cells)

    lines = [render(header), *(render(r) for r in rows)]
    return draw(st.sampled_from(["\n", "\r\n"])).join(lines) + draw(st.sampled_from(["", "\n"]))


def snapshot():
    return (
        sorted(Value.objects.values_list("indicator__code", "territory_id", "period", "sex", "age_band", "value", "state")),
        sorted(Indicator.objects.values_list("code", "label", "unit", "multiplier")),
    )


def import_and_check(path, **options):
    before = snapshot()
    try:
        report = import_values(path, **options)
    except InputRejected as exc:
        assert exc.problems and all(p.message for p in exc.problems) and exc.report()
        assert snapshot() == before, "un import refusé a modifié la base"
        event("refusé")
        return None
    event("importé")
    assert report.created + report.updated + report.unchanged == report.rows
    return report


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(text=csv_texts(), encoding=st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"]))
def test_generated_csv_never_crashes_nor_half_imports(tmp_path, territories, catalogue, text, encoding):
    path = tmp_path / "v.csv"
    path.write_bytes(text.encode(encoding, errors="replace"))
    import_and_check(path)


@SETTINGS
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".csv", ".xlsx", ".ods", ".txt", ""]))
def test_arbitrary_bytes_are_refused_cleanly(tmp_path, territories, catalogue, data, suffix):
    path = tmp_path / f"v{suffix}"
    path.write_bytes(data)
    import_and_check(path)
    import_and_check(path, layout="wide", period="2021")
    before = snapshot()
    try:
        import_catalogue(path)
    except InputRejected:
        assert snapshot() == before


@SETTINGS
@given(text=csv_texts())
def test_generated_wide_csv(tmp_path, territories, catalogue, text):
    path = tmp_path / "w.csv"
    path.write_text(text.replace("indicator", "part_65", 1), encoding="utf-8")
    import_and_check(path, layout="wide", period="2021")


def test_a_failure_while_writing_rolls_everything_back(tmp_path, territories, catalogue, monkeypatch):
    rows = "".join(f"part_65,commune,{code},2021,1,10\n" for code in ("01001", "01002", "69001"))
    path = tmp_path / "v.csv"
    path.write_text("indicator,level,code,period,numerator,denominator\n" + rows, encoding="utf-8")
    monkeypatch.setattr(importing, "BATCH", 1)
    original = importing._write_batch
    calls = []

    def failing(rows):
        calls.append(rows)
        if len(calls) == 2:
            raise RuntimeError("disque plein")
        return original(rows)

    monkeypatch.setattr(importing, "_write_batch", failing)
    with pytest.raises(RuntimeError):
        import_values(path)
    assert len(calls) == 2 and Value.objects.count() == 0
