"""Life expectancy, Chiang II with Silcocks variance (reference: PHEindicatormethods v2.1.0 tests and
``shared/data/reference/README.md``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from equisante.stats.life_expectancy import life_expectancy
from equisante.stats.errors import StatsInputError
from equisante.stats.life_expectancy import AGES, _chiang

RTOL = 1e-6
POPS = [7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601, 50209, 56416, 46411, 39820, 37978,
        37039, 33288, 23306, 11936, 11936]
DEATHS = [17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872, 1390, 1605, 1936, 1937]
VALUE = [80.16960813, 79.36245674, 75.44193645, 70.47299936, 65.52909542, 60.67510088, 55.78835987, 50.92752727,
         46.06740425, 41.24505636, 36.49322717, 31.83343842, 27.26027992, 22.9719144, 18.76856852, 14.95858336,
         11.51684445, 8.618849241, 6.163942934, 6.16210635]
LOWER = [79.88268548, 79.0898816, 75.17407307, 70.20675732, 65.26548673, 60.41876577, 55.53801579, 50.68279939,
         45.82666794, 41.00842831, 36.26223216, 31.60996318, 27.04337271, 22.76653134, 18.57570352, 14.77985004,
         11.34831778, 8.451134045, 5.978358351, 5.887683386]
UPPER = [80.45653078, 79.63503188, 75.70979983, 70.7392414, 65.79270412, 60.931436, 56.03870395, 51.17225516,
         46.30814055, 41.48168441, 36.72422219, 32.05691365, 27.47718713, 23.17729746, 18.96143352, 15.13731667,
         11.68537112, 8.786564437, 6.349527517, 6.436529314]
LABELS = ["0", "1-4"] + [f"{a}-{a + 4}" for a in range(5, 90, 5)] + ["90 +"]


def table(**changes) -> pd.DataFrame:
    data = pd.DataFrame({"startage": AGES, "pops": POPS, "deaths": DEATHS})
    for column, (position, value) in changes.items():
        data.loc[position, column] = value
    return data


def check_reference(out: pd.DataFrame) -> None:
    np.testing.assert_allclose(out["value"], VALUE, rtol=RTOL)
    np.testing.assert_allclose(out["lower"], LOWER, rtol=RTOL)
    np.testing.assert_allclose(out["upper"], UPPER, rtol=RTOL)


def test_published_life_table():
    out = life_expectancy(table(), "deaths", "pops", "startage")
    check_reference(out)
    assert out["value"].iloc[0] == pytest.approx(80.16960813, rel=1e-9)  # e0 (README)
    assert out["value"].iloc[1] == pytest.approx(79.36245674, rel=1e-9)  # e1
    assert out["value"].iloc[2] == pytest.approx(75.44193645, rel=1e-9)  # e5
    assert list(out.columns) == ["startage", "value", "lower", "upper", "population_used", "deaths_used", "method",
                                 "confidence", "suppression"]
    assert out["startage"].tolist() == list(AGES)
    assert out["population_used"].iloc[0] == sum(POPS) and out["deaths_used"].iloc[-1] == 1937
    assert (out["method"] == "Chiang II").all() and (out["suppression"] == "").all()


def test_published_limits_were_computed_with_z_1_96():
    # The published limits use z = 1.96 exactly; ours use the exact normal quantile (as the R code),
    # within 1e-6. The standard errors themselves agree to 1e-9.
    e, se = _chiang(np.array([DEATHS], float), np.array([POPS], float))
    np.testing.assert_allclose(e[0] - 1.96 * se[0], LOWER, rtol=1e-9)
    np.testing.assert_allclose(e[0] + 1.96 * se[0], UPPER, rtol=1e-9)


def test_any_row_order_and_age_labels():
    shuffled = table().sample(frac=1, random_state=4)
    check_reference(life_expectancy(shuffled, "deaths", "pops", "startage"))
    labelled = table().assign(startage=LABELS).sample(frac=1, random_state=5)
    out = life_expectancy(labelled, "deaths", "pops", "startage")
    check_reference(out)
    assert out["startage"].tolist() == list(AGES)


def test_grouped_and_requested_ages():
    two = pd.concat([table().assign(area="A"), table().assign(area="B")])
    out = life_expectancy(two, "deaths", "pops", "startage", by="area", confidence=(0.95, 0.998))
    assert len(out) == 40 and out["area"].tolist() == ["A"] * 20 + ["B"] * 20
    np.testing.assert_allclose(out["lower_95_0"].iloc[20:], LOWER, rtol=RTOL)
    assert (out["lower_99_8"] < out["lower_95_0"]).all()
    five = life_expectancy(table(), "deaths", "pops", "startage", le_age=5)
    assert len(five) == 1
    np.testing.assert_allclose(five[["value", "lower", "upper"]].iloc[0].to_numpy(float),
                               [VALUE[2], LOWER[2], UPPER[2]], rtol=RTOL)
    two_ages = life_expectancy(table(), "deaths", "pops", "startage", le_age=[5, 25])
    assert two_ages["startage"].tolist() == [5, 25]
    np.testing.assert_allclose(two_ages["value"], [VALUE[2], VALUE[6]], rtol=RTOL)


def test_group_suppression_rules():
    good = table().rename(columns={"startage": "age", "pops": "pop"})
    cases = {
        "good": good,
        "negative deaths": good.assign(deaths=good["deaths"].where(good.index != 2, -2)),
        "negative pops": good.assign(pop=good["pop"].where(good.index != 3, -10)),
        "zero pop": good.assign(pop=good["pop"].where(good.index != 5, 0)),
        "deaths above pops": good.assign(deaths=good["deaths"].where(good.index != 5, 50000)),
        "low pops": good.assign(pop=100, deaths=[17, 9, 4, 8, 20, 15, 24, 33, 50, 71] + [80] * 10),
        "missing band": good.iloc[:19],
        "duplicated band": pd.concat([good, good.iloc[[3]]]),
    }
    data = pd.concat([frame.assign(area=name) for name, frame in cases.items()])
    out = life_expectancy(data, "deaths", "pop", "age", by="area").set_index("area")
    assert len(out) == 20 * len(cases)
    np.testing.assert_allclose(out.loc["good", "value"], VALUE, rtol=RTOL)
    reasons = out.groupby(level=0)["suppression"].first()
    assert reasons["good"] == ""
    assert "négatifs" in reasons["negative deaths"]
    assert "nulle ou négative" in reasons["negative pops"] and "nulle ou négative" in reasons["zero pop"]
    assert "plus de décès" in reasons["deaths above pops"]
    assert "5\u202f000" in reasons["low pops"]
    assert "manquantes ou en double" in reasons["missing band"]
    assert "manquantes ou en double" in reasons["duplicated band"]
    suppressed = out.drop(index="good")
    assert suppressed[["value", "lower", "upper"]].isna().all().all()


def test_total_population_of_exactly_5000_is_suppressed():
    data = table(pops=(0, 7060))
    data["pops"] = 250  # 20 × 250 = 5,000
    data["deaths"] = 1
    out = life_expectancy(data, "deaths", "pops", "startage")
    assert out["value"].isna().all() and out["suppression"].str.contains("5\u202f000").all()


def test_values_with_a_very_wide_interval_are_withheld_but_limits_kept():
    data = pd.DataFrame({"startage": AGES, "pops": [300] * 20, "deaths": [1] * 19 + [3]})
    out = life_expectancy(data, "deaths", "pops", "startage")
    wide = (out["upper"] - out["lower"]) / 2 > 10  # 1.96·SE > 10 years
    assert wide.any()
    assert out.loc[wide, "value"].isna().all()
    assert out.loc[wide, ["lower", "upper"]].notna().all().all()
    assert out.loc[wide, "suppression"].str.contains("20 ans").all()
    assert out.loc[~wide, "value"].notna().all()


def test_no_death_in_the_open_band_cannot_be_computed():
    out = life_expectancy(table(deaths=(19, 0)), "deaths", "pops", "startage")
    assert out["value"].isna().all() and "90 ans" in out["suppression"].iloc[0]


@pytest.mark.parametrize("call, code", [
    (lambda d: life_expectancy(d.iloc[:19], "deaths", "pops", "startage"), "start_age_invalid"),
    (lambda d: life_expectancy(d.assign(startage=list(range(0, 100, 5))), "deaths", "pops", "startage"),
     "start_age_invalid"),
    (lambda d: life_expectancy(d, "deaths", "pops", "startage", le_age=4), "le_age_unknown"),
    (lambda d: life_expectancy(d, "deaths", "pops", "startage", le_age=[5, 6]), "le_age_unknown"),
    (lambda d: life_expectancy(d, "deaths", "pops", "startage", confidence=0.8), "confidence_invalid"),
    (lambda d: life_expectancy(d, "deaths", "pops", "age"), "column_missing"),
    (lambda d: life_expectancy(d.assign(startage=["x"] * 20), "deaths", "pops", "startage"), "age_band_unreadable"),
])
def test_invalid_calls_are_refused(call, code):
    with pytest.raises(StatsInputError) as caught:
        call(table())
    assert caught.value.code == code
    assert "{" not in str(caught.value)
