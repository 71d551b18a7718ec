"""Directly and indirectly standardised rates (data and results of PHEindicatormethods v2.1.0,
testdata_DSR_ISR.xlsx, copied here so that they are checked without ../shared)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from equisante.stats import ESP2013, dsr, isr, smr
from equisante.stats.errors import StatsInputError

RTOL = 1e-6
BANDS = ["0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54",
         "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90+"]
POP = [636, 558, 609, 543, 384, 594, 669, 843, 660, 576, 606, 522, 426, 273, 300, 288, 153, 123, 207]
COUNTS = {
    "big": [127, 25, 18, 21, 12, 27, 48, 27, 29, 32, 32, 34, 45, 65, 38, 68, 74, 82, 91],
    "small": [12, 4, 3, 2, 3, 4, 8, 2, 2, 3, 4, 5, 6, 8, 5, 6, 5, 5, 4],
    "tiny": [0, 0, np.nan, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 2, 3],
}
REF_COUNT = [10303, 2824, 0, 3615, 3641, 3490, 3789, 3213, 3031, 2771, 3089, 3490, 3595, 4745, 5514, 7125, 5694,
             6210, 5757]
REF_POP = [50520, 57173, 60213, 54659, 44345, 50128, 62163, 67423, 62899, 55463, 60479, 49974, 44140, 40888, 37239,
           30819, 18136, 15325, 13918]


def multiarea() -> pd.DataFrame:
    return pd.DataFrame({
        "area": np.repeat(list(COUNTS), 19),
        "ageband": BANDS * 3,
        "count": np.concatenate([COUNTS[a] for a in COUNTS]).astype(float),
        "pop": POP * 3,
    })


def test_esp2013():
    assert len(ESP2013) == 19 and ESP2013.sum() == 100_000
    assert ESP2013[0] == 5000 and ESP2013[-1] == 1000
    with pytest.raises(ValueError):
        ESP2013[0] = 1  # read-only


def test_dsr_published_rows():
    out = dsr(multiarea(), "count", "pop", by="area", confidence=(0.95, 0.998)).set_index("area")
    cols = ["value", "lower_95_0", "upper_95_0", "lower_99_8", "upper_99_8"]
    np.testing.assert_allclose(out.loc["big", cols].to_numpy(float),
                               [10430.247991, 9717.709068, 11178.940915, 9323.287880, 11620.596000], rtol=RTOL)
    np.testing.assert_allclose(out.loc["small", cols].to_numpy(float),
                               [1103.212025, 877.455768, 1367.088223, 763.642036, 1530.032895], rtol=RTOL)
    assert out.loc["big", ["numerator", "denominator"]].tolist() == [895, 8970]
    # 9 events (the missing count is read as zero): withheld, with the reason stated.
    assert out.loc["tiny", "numerator"] == 9
    assert out.loc["tiny", cols].isna().all()
    assert "moins de 10" in out.loc["tiny", "suppression"] and out.loc["big", "suppression"] == ""
    assert (out["method"] == "Dobson").all()


def test_dsr_multiplier_and_column_order():
    out = dsr(multiarea(), "count", "pop", by="area", multiplier=10_000)
    assert list(out.columns) == ["area", "value", "lower", "upper", "numerator", "denominator", "method",
                                 "confidence", "suppression"]
    np.testing.assert_allclose(out.loc[0, ["value", "lower", "upper"]].to_numpy(float),
                               [1043.024799, 971.770907, 1117.894092], rtol=RTOL)


def test_dsr_standard_as_list_column_or_age_band_label():
    data = multiarea()
    default = dsr(data, "count", "pop", by="area")
    as_list = dsr(data, "count", "pop", by="area", standard=list(ESP2013))
    data["w"] = np.tile(ESP2013, 3)
    as_column = dsr(data, "count", "pop", by="area", standard="w")
    shuffled = data.sample(frac=1, random_state=1)
    by_label = dsr(shuffled, "count", "pop", by="area", age_band="ageband")
    for other in (as_list, as_column, by_label):
        pd.testing.assert_frame_equal(default, other, rtol=1e-12)


def test_dsr_esp1976_user_standard():
    esp1976 = [8000, 7000, 7000, 7000, 7000, 7000, 7000, 7000, 7000, 7000, 7000, 6000, 5000, 4000, 3000, 2000, 1000,
               1000]
    data = pd.DataFrame({"count": COUNTS["big"][:18], "pop": POP[:18]})
    out = dsr(data, "count", "pop", standard=esp1976).iloc[0]
    np.testing.assert_allclose(out[["value", "lower", "upper", "numerator", "denominator"]].to_numpy(float),
                               [8592.097585, 7991.160931, 9225.253880, 804, 8763], rtol=RTOL)


# testdata_nonindepe, area testdata_nonind_big: people with 1, 2, 3, 4 events per band
F1 = [75, 16, 11, 12, 8, 18, 26, 18, 18, 21, 21, 23, 23, 39, 25, 40, 46, 49, 56]
F2 = [16, 3, 2, 3, 0, 3, 6, 3, 4, 4, 4, 4, 6, 8, 5, 9, 9, 10, 11]
F3 = [4, 1, 1, 1, 0, 1, 2, 1, 1, 1, 1, 1, 2, 2, 1, 2, 2, 3, 3]
F4 = [2, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 1, 1, 1, 1]


def test_dsr_non_independent_events():
    people = pd.DataFrame({
        "ageband": BANDS * 4,
        "frequency": np.repeat([1, 2, 3, 4], 19),
        "people": F1 + F2 + F3 + F4,
        "pop": POP * 4,
    })
    assert (people["people"] * people["frequency"]).sum() == 895
    out = dsr(people, "people", "pop", confidence=(0.95, 0.998), independent_events=False,
              event_frequency="frequency", age_band="ageband").iloc[0]
    np.testing.assert_allclose(
        out[["value", "lower_95_0", "upper_95_0", "lower_99_8", "upper_99_8", "numerator", "denominator"]]
        .to_numpy(float),
        [10430.247991, 9532.949779, 11373.074833, 9036.256314, 11929.249807, 895, 8970], rtol=RTOL)
    assert out["method"] == "Dobson (non-independent events)"
    # Wider than the independent-events limits, same value.
    independent = dsr(multiarea().query("area == 'big'"), "count", "pop").iloc[0]
    assert out["value"] == pytest.approx(independent["value"], rel=1e-12)
    assert out["lower_95_0"] < independent["lower"] and out["upper_95_0"] > independent["upper"]


def test_dsr_non_independent_needs_frequency_and_consistent_bands():
    people = pd.DataFrame({"ageband": BANDS * 2, "f": np.repeat([1, 2], 19), "people": F1 + F2, "pop": POP * 2})
    with pytest.raises(StatsInputError) as caught:
        dsr(people, "people", "pop", independent_events=False, age_band="ageband")
    assert caught.value.code == "argument_required" and "event_frequency" in str(caught.value)
    with pytest.raises(StatsInputError) as caught:
        dsr(people, "people", "pop", independent_events=False, event_frequency="f")
    assert caught.value.code == "argument_required"
    inconsistent = people.copy()
    inconsistent.loc[20, "pop"] += 1  # band 5-9: two populations for the two frequencies
    with pytest.raises(StatsInputError) as caught:
        dsr(inconsistent, "people", "pop", independent_events=False, event_frequency="f", age_band="ageband")
    assert caught.value.code == "event_frequency_inconsistent" and "5 ans" in str(caught.value)


@pytest.mark.parametrize("change, code", [
    (lambda d: d.assign(count=d["count"].where(d.index != 5, -26)), "count_negative"),  # testdata_err1
    (lambda d: d.assign(pop=d["pop"].where(d.index != 1, 0)), "denominator_not_positive"),  # testdata_err2
    (lambda d: d.assign(pop=d["pop"].where(d.index != 1, -558)), "denominator_not_positive"),  # testdata_err3
    (lambda d: d.assign(pop=d["pop"].where(d.index != 1, np.nan)), "denominator_missing"),
    (lambda d: d.iloc[1:], "group_size_mismatch"),
])
def test_dsr_refuses_invalid_inputs(change, code):
    data = change(multiarea())
    with pytest.raises(StatsInputError) as caught:
        dsr(data, "count", "pop", by="area")
    assert caught.value.code == code
    assert "{" not in str(caught.value)


def test_dsr_refuses_bad_standards():
    data = multiarea().query("area == 'big'").copy()
    data["w"] = ESP2013
    data.loc[data.index[5], "w"] = -6000  # testdata_err4
    with pytest.raises(StatsInputError) as caught:
        dsr(data, "count", "pop", standard="w")
    assert caught.value.code == "standard_negative" and "« w »" in str(caught.value)
    with pytest.raises(StatsInputError) as caught:
        dsr(data, "count", "pop", standard=[1, 2, 3])
    assert caught.value.code == "group_size_mismatch"
    twice = pd.concat([data, data.iloc[:1]])
    with pytest.raises(StatsInputError) as caught:
        dsr(twice, "count", "pop", age_band="ageband")
    assert caught.value.code == "age_band_duplicate"
    with pytest.raises(StatsInputError) as caught:
        dsr(data, "count", "pop", independent_events="non")
    assert caught.value.code == "argument_invalid"


# --- indirect standardisation ------------------------------------------------------------------------

def test_isr_published_rows():
    out = isr(multiarea(), "count", "pop", REF_COUNT, REF_POP, by="area", confidence=(0.95, 0.998))
    out = out.set_index("area")
    cols = ["observed", "expected", "reference_rate", "value", "lower_95_0", "upper_95_0", "lower_99_8",
            "upper_99_8"]
    np.testing.assert_allclose(out.loc["big", cols].to_numpy(float),
                               [895, 835.883561, 9349.883092, 10011.137622, 9365.916003, 10689.097583, 9008.757862,
                                11089.027185], rtol=RTOL)
    np.testing.assert_allclose(out.loc["tiny", cols].to_numpy(float),
                               [9, 835.883561, 9349.883092, 100.670658, 46.033035, 191.104267, 27.431909,
                                253.436964], rtol=RTOL)
    assert out["method"].tolist() == ["Byars", "Byars", "Exact"]


def test_isr_output_columns():
    out = isr(multiarea(), "count", "pop", REF_COUNT, REF_POP, by="area")
    assert list(out.columns) == ["area", "value", "lower", "upper", "observed", "expected", "reference_rate",
                                 "method", "confidence"]
    out = smr(multiarea(), "count", "pop", REF_COUNT, REF_POP, by="area")
    assert list(out.columns) == ["area", "value", "lower", "upper", "observed", "expected", "method",
                                 "confidence"]


def test_smr_published_rows():
    out = smr(multiarea(), "count", "pop", REF_COUNT, REF_POP, by="area", refvalue=100,
              confidence=(0.95, 0.998)).set_index("area")
    np.testing.assert_allclose(
        out.loc["small", ["value", "lower_95_0", "upper_95_0", "lower_99_8", "upper_99_8"]].to_numpy(float),
        [10.886684, 8.765040, 13.366576, 7.695426, 14.897921], rtol=RTOL)
    ratio = smr(multiarea(), "count", "pop", REF_COUNT, REF_POP, by="area").set_index("area")
    np.testing.assert_allclose(ratio.loc["big", ["value", "lower", "upper"]].to_numpy(float),
                               [1.070723, 1.001715, 1.143233], rtol=RTOL, atol=5e-7)


def test_isr_reference_as_columns_observed_totals_and_zero_population():
    data = multiarea()
    data["refcount"] = REF_COUNT * 3
    data["refpop"] = REF_POP * 3
    by_column = isr(data, "count", "pop", "refcount", "refpop", by="area")
    by_vector = isr(data, "count", "pop", REF_COUNT, REF_POP, by="area")
    pd.testing.assert_frame_equal(by_column, by_vector)
    totals = pd.DataFrame({"area": ["tiny", "big", "small"], "total_count": [9, 895, 91]})
    observed = isr(data.drop(columns="count"), "total_count", "pop", REF_COUNT, REF_POP, by="area",
                   observed=totals)
    pd.testing.assert_frame_equal(observed, by_vector)
    # testdata_err2: a band with no population is allowed for indirect standardisation.
    big = multiarea().query("area == 'big'").copy()
    big.loc[big.index[1], "pop"] = 0
    out = isr(big, "count", "pop", REF_COUNT, REF_POP).iloc[0]
    np.testing.assert_allclose(out[["expected", "value", "lower", "upper"]].to_numpy(float),
                               [808.321740, 10352.493262, 9685.271142, 11053.570021], rtol=RTOL)


def test_indirect_refuses_invalid_inputs():
    data = multiarea()
    with pytest.raises(StatsInputError) as caught:
        isr(data, "count", "pop", REF_COUNT[:18], REF_POP, by="area")
    assert caught.value.code == "group_size_mismatch" and "ref_x" in str(caught.value)
    with pytest.raises(StatsInputError) as caught:
        smr(data.assign(count=-data["count"]), "count", "pop", REF_COUNT, REF_POP, by="area")
    assert caught.value.code == "count_negative"
    with pytest.raises(StatsInputError) as caught:
        smr(data.assign(pop=-data["pop"]), "count", "pop", REF_COUNT, REF_POP, by="area")
    assert caught.value.code == "denominator_negative"
    with pytest.raises(StatsInputError) as caught:
        isr(data, "count", "pop", [-1] + REF_COUNT[1:], REF_POP, by="area")
    assert caught.value.code == "reference_negative"
    with pytest.raises(StatsInputError) as caught:
        isr(data, "count", "pop", REF_COUNT, [0] + REF_POP[1:], by="area")
    assert caught.value.code == "reference_zero_population"
    totals = pd.DataFrame({"area": ["big", "small"], "total_count": [895, 91]})
    with pytest.raises(StatsInputError) as caught:
        isr(data, "total_count", "pop", REF_COUNT, REF_POP, by="area", observed=totals)
    assert caught.value.code == "observed_incomplete" and "tiny" in str(caught.value)
    with pytest.raises(StatsInputError) as caught:
        smr(data, "count", "pop", REF_COUNT, REF_POP, by="area", refvalue=0)
    assert caught.value.code == "multiplier_invalid"
