"""The demonstration data of the allocation area, on a small generated region."""

from __future__ import annotations

import pytest

from equisante.allocation import demo
from equisante.allocation.building import build
from equisante.allocation.models import Grant, Scenario


@pytest.fixture
def small_region(db, monkeypatch):
    from equisante.demo import loading
    from equisante.demo.generator import generate_region
    from equisante.prioritisation import demo as indices_demo

    region = generate_region(seed=7, n_departements=4, n_communes=60)
    monkeypatch.setattr(loading, "EXTRA_LOADERS", [])
    loading.load_region(region)
    indices_demo.load(region)
    return region


def test_demo_scenarios_and_three_years_of_grants(small_region):
    text = demo.load(small_region)
    assert "2 scénarios" in text
    doses = Scenario.objects.get(resource="doses")
    assert doses.fictional and doses.unit == 10 and len(doses.adjustments[0]["territories"]) == 3
    result = build(doses)
    frame = result.frame
    assert frame["allocation"].sum() == doses.total and (frame["units"] * 10 == frame["allocation"]).all()
    adjusted = frame["departement"].isin(doses.adjustments[0]["territories"])
    assert frame.loc[adjusted, "adjusted_weight"].eq(1.1).all() and frame.loc[~adjusted, "adjusted_weight"].eq(1).all()
    # per inhabitant, the three départements get about 10 % more than the fourth
    per_head = frame.groupby(adjusted)["allocation"].sum() / frame.groupby(adjusted)["population"].sum()
    assert per_head[True] / per_head[False] == pytest.approx(1.1, rel=0.02)
    assert "outcome" in frame and frame["outcome"].notna().any()
    budget = build(Scenario.objects.get(resource="euros"))
    assert budget.frame["allocation"].sum() == pytest.approx(2_000_000)
    assert (budget.frame["allocation"] >= budget.scenario.floor - 1e-6).all()
    years = set(Grant.objects.filter(source="demo").values_list("year", flat=True))
    assert len(years) == 3
    demo.clear()
    assert not Scenario.objects.exists() and not Grant.objects.exists()
