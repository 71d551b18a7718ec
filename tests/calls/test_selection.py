"""``equisante.calls.select`` against exhaustive search on small random instances, and its errors."""

from __future__ import annotations

import itertools
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from equisante.calls import explain, propose, rank, select
from equisante.errors import EquisanteError

pytestmark = pytest.mark.core


def brute_force(table, budget, cover=None, minimum=0):
    """Best total score over every subset (None when no subset is feasible)."""
    scores = table["score"].to_numpy(dtype=float)
    costs = table["cost"].to_numpy(dtype=float)
    groups = table[cover].to_numpy() if cover else None
    values = sorted(set(groups)) if cover else []
    best = None
    for mask in itertools.product((False, True), repeat=len(table)):
        mask = np.array(mask, dtype=bool)
        if costs[mask].sum() > budget:
            continue
        if cover and any((groups[mask] == g).sum() < minimum for g in values):
            continue
        total = scores[mask].sum()
        if best is None or total > best:
            best = total
    return best


def random_instance(rng, n, groups=3):
    return pd.DataFrame({
        "score": rng.integers(0, 100, n) + rng.random(n).round(2),
        "cost": rng.integers(1, 50, n) * 1000.0,
        "departement": rng.choice([f"0{i + 1}" for i in range(groups)], n),
    }, index=[f"C{i:02d}" for i in range(n)])


def check(table, budget, cover=None, minimum=0):
    expected = brute_force(table, budget, cover, minimum)
    if expected is None:
        with pytest.raises(EquisanteError):
            select(table, budget=budget, cover=cover, min_per_group=minimum)
        return
    result = select(table, budget=budget, cover=cover, min_per_group=minimum)
    chosen = result["selected"]
    assert result["selected"].dtype == bool
    assert result["cost"][chosen].sum() <= budget
    if cover:
        counts = result[chosen].groupby(cover).size()
        for value in table[cover].unique():
            assert counts.get(value, 0) >= minimum
    assert result["score"][chosen].sum() == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("seed", range(40))
def test_matches_exhaustive_search_without_coverage(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 13))
    table = random_instance(rng, n)
    budget = float(rng.uniform(0.1, 0.7) * table["cost"].sum())
    check(table, budget)


@pytest.mark.parametrize("seed", range(40))
def test_matches_exhaustive_search_with_coverage(seed):
    rng = np.random.default_rng(1000 + seed)
    n = int(rng.integers(3, 13))
    table = random_instance(rng, n, groups=int(rng.integers(1, 4)))
    budget = float(rng.uniform(0.2, 0.8) * table["cost"].sum())
    check(table, budget, cover="departement", minimum=int(rng.integers(1, 3)))


@pytest.mark.parametrize("seed", range(30))
def test_matches_exhaustive_search_with_coverage_by_type_of_promoter(seed):
    """The coverage wish « au moins un projet par type de porteur »: any column of labels works as a group."""
    rng = np.random.default_rng(5000 + seed)
    n = int(rng.integers(3, 13))
    table = random_instance(rng, n)
    kinds = ["Association", "Collectivité territoriale", "Centre ou maison de santé"]
    table["type de porteur"] = rng.choice(kinds[:int(rng.integers(1, 4))], n)
    budget = float(rng.uniform(0.2, 0.8) * table["cost"].sum())
    check(table, budget, cover="type de porteur", minimum=int(rng.integers(1, 3)))


@settings(max_examples=60, deadline=None)
@given(
    scores=st.lists(st.integers(-5, 60), min_size=1, max_size=10),
    data=st.data(),
)
def test_matches_exhaustive_search_hypothesis(scores, data):
    n = len(scores)
    costs = data.draw(st.lists(st.integers(0, 40), min_size=n, max_size=n))
    groups = data.draw(st.lists(st.sampled_from("abc"), min_size=n, max_size=n))
    budget = data.draw(st.integers(0, 120))
    minimum = data.draw(st.integers(0, 2))
    table = pd.DataFrame({"score": scores, "cost": costs, "departement": groups})
    check(table, float(budget), cover="departement", minimum=minimum)
    check(table, float(budget))


def test_returns_a_copy_with_the_other_columns_untouched():
    table = pd.DataFrame({"score": [3.0, 2.0], "cost": [5.0, 5.0], "titre": ["a", "b"]})
    result = select(table, budget=5)
    assert "selected" not in table.columns
    assert list(result["titre"]) == ["a", "b"]
    assert list(result["selected"]) == [True, False]


def test_custom_column_names_and_budget_zero():
    table = pd.DataFrame({"note": [3.0, 2.0, 1.0], "montant": [0.0, 5.0, 0.0]})
    result = select(table, budget=0, score="note", cost="montant")
    assert list(result["selected"]) == [True, False, True]


def test_coverage_changes_the_choice():
    table = pd.DataFrame({"score": [10.0, 9.0, 1.0], "cost": [50.0, 50.0, 50.0],
                          "departement": ["93", "93", "95"]})
    assert list(select(table, budget=100)["selected"]) == [True, True, False]
    covered = select(table, budget=100, cover="departement", min_per_group=1)
    assert list(covered["selected"]) == [True, False, True]
    reasons = explain(covered, budget=100, cover="departement", min_per_group=1)
    assert list(reasons.index) == [1]
    assert reasons.loc[1, "reason"] == "couverture"
    assert "93" in reasons.loc[1, "explanation"]


def test_budget_reason():
    table = pd.DataFrame({"score": [10.0, 9.0, 8.0], "cost": [80.0, 50.0, 50.0]})
    result = select(table, budget=100)
    assert list(result["selected"]) == [False, True, True]
    reasons = explain(result, budget=100)
    assert reasons.loc[0, "reason"] == "budget"
    assert "dépasse le reste de l'enveloppe" in reasons.loc[0, "explanation"]


def test_infeasible_group_too_small_names_the_group():
    table = pd.DataFrame({"score": [1.0, 2.0, 3.0], "cost": [1.0, 1.0, 1.0], "departement": ["93", "93", "95"]})
    with pytest.raises(EquisanteError) as caught:
        select(table, budget=10, cover="departement", min_per_group=2)
    assert caught.value.code == "call_coverage_too_few"
    assert "« 95 »" in str(caught.value)
    assert "au moins 2 projets retenus pour « 95 »" in str(caught.value)
    assert "mais seulement 1 candidature y est déposée." in str(caught.value)


def test_infeasible_coverage_over_budget_names_the_costliest_group():
    table = pd.DataFrame({"score": [1.0, 2.0, 3.0], "cost": [10.0, 70.0, 80.0],
                          "departement": ["93", "95", "95"]})
    with pytest.raises(EquisanteError) as caught:
        select(table, budget=75, cover="departement", min_per_group=1)
    assert caught.value.code == "call_coverage_over_budget"
    message = str(caught.value)
    assert "« 95 »" in message and "80 €" in message and "75 €" in message


def test_reserved_share_and_its_infeasibility():
    table = pd.DataFrame({"score": [10.0, 1.0], "cost": [50.0, 50.0], "prioritaire": [False, True]})
    plain = propose(table, budget=50)
    assert list(plain.table["selected"]) == [True, False]
    reserved = propose(table, budget=50, reserved="prioritaire", reserved_share=0.5)
    assert list(reserved.table["selected"]) == [False, True]
    with pytest.raises(EquisanteError) as caught:
        propose(table, budget=50, reserved="prioritaire", reserved_share=1.5)
    assert caught.value.code == "call_share_unreachable"


def test_forced_choices_are_kept():
    table = pd.DataFrame({"score": [10.0, 9.0, 1.0], "cost": [50.0, 50.0, 50.0]})
    result = propose(table, budget=100, forced_in=[2], forced_out=[0]).table
    assert list(result["selected"]) == [False, True, True]


@pytest.mark.parametrize("bad", [{"cost": [-1.0]}, {"cost": [float("nan")]}, {"score": ["beaucoup"]}])
def test_invalid_values_are_refused_in_french(bad):
    table = pd.DataFrame({"score": [1.0], "cost": [1.0]} | bad)
    with pytest.raises(EquisanteError) as caught:
        select(table, budget=10)
    assert caught.value.code == "call_value_invalid"


def test_missing_column_and_bad_budget():
    with pytest.raises(EquisanteError, match="colonne « note »"):
        select(pd.DataFrame({"score": [1.0], "cost": [1.0]}), budget=1, score="note")
    with pytest.raises(EquisanteError) as caught:
        select(pd.DataFrame({"score": [1.0], "cost": [1.0]}), budget=-3)
    assert caught.value.code == "call_budget_invalid"


def test_empty_table():
    result = select(pd.DataFrame({"score": [], "cost": []}), budget=10)
    assert len(result) == 0 and "selected" in result.columns


def test_rank_orders_by_score_with_shared_ranks():
    table = pd.DataFrame({"score": [1.0, 3.0, 3.0, 2.0]}, index=list("abcd"))
    ranked = rank(table)
    assert list(ranked.index) == ["b", "c", "d", "a"]
    assert list(ranked["rank"]) == [1, 1, 3, 4]


def test_importable_without_django():
    code = ("import sys\nfrom equisante.calls import select\nimport pandas as pd\n"
            "select(pd.DataFrame({'score': [1.0], 'cost': [1.0]}), budget=1)\n"
            "assert not [m for m in sys.modules if m.startswith('django')]\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
