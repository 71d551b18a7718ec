"""``equisante stats …``: one subcommand per PHE method, tested on the click group directly."""

from __future__ import annotations

import click
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from equisante.cli.stats import read_table, stats
from equisante.stats import dsr, proportion

POP = [636, 558, 609, 543, 384, 594, 669, 843, 660, 576, 606, 522, 426, 273, 300, 288, 153, 123, 207]
BIG = [127, 25, 18, 21, 12, 27, 48, 27, 29, 32, 32, 34, 45, 65, 38, 68, 74, 82, 91]
SMALL = [12, 4, 3, 2, 3, 4, 8, 2, 2, 3, 4, 5, 6, 8, 5, 6, 5, 5, 4]
BANDS = ["0-4"] + [f"{a}-{a + 4}" for a in range(5, 90, 5)] + ["90+"]
REF_COUNT = [10303, 2824, 0, 3615, 3641, 3490, 3789, 3213, 3031, 2771, 3089, 3490, 3595, 4745, 5514, 7125, 5694,
             6210, 5757]
REF_POP = [50520, 57173, 60213, 54659, 44345, 50128, 62163, 67423, 62899, 55463, 60479, 49974, 44140, 40888, 37239,
           30819, 18136, 15325, 13918]


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def areas(tmp_path):
    data = pd.DataFrame({"area": ["big"] * 19 + ["small"] * 19, "ageband": BANDS * 2, "count": BIG + SMALL,
                         "pop": POP * 2})
    path = tmp_path / "areas.csv"
    data.to_csv(path, index=False)
    return path, data


def written_table(path) -> pd.DataFrame:
    """A result file (French CSV « ; » with decimal comma, or XLSX) under the column keys the library
    computes (the first of :data:`KEYS`, then of :data:`equisante.exports.COLUMNS`, whose French header it
    is); the columns of the input keep their names."""
    from pathlib import Path

    from equisante import exports

    path = Path(path)
    if path.suffix == ".xlsx":
        frame = pd.read_excel(path)
    else:
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        frame = pd.read_csv(path, encoding="utf-8-sig", sep=";", decimal=",")
    names = {}
    for key in [*KEYS, *exports.COLUMNS]:
        for header in (exports.csv_header(exports.describe(key)), exports.describe(key).header):
            names.setdefault(header, key)
    return frame.rename(columns={h: names.get(h, h) for h in frame.columns})


#: The columns the stats commands compute (their French headers are read back to these keys).
KEYS = ["value", "lower", "upper", "lower_95_0", "upper_95_0", "lower_99_8", "upper_99_8", "confidence", "method",
        "numerator", "denominator", "estimate", "se", "measure", "quantile", "quantiles", "quantile_invert",
        "quantile_direction", "significance", "significance_fr", "statistic", "observed", "expected", "mean",
        "rows", "deaths_used", "population_used", "reference_rate", "baseline", "lower_2s_limit", "upper_2s_limit",
        "lower_3s_limit", "upper_3s_limit", "funnel_x", "lower_95", "upper_95", "lower_99", "upper_99"]


def run(runner, *args):
    return runner.invoke(stats, [str(a) for a in args], catch_exceptions=False)


def test_group_lists_every_method(runner):
    result = run(runner, "--help")
    assert result.exit_code == 0
    for name in ["proportion", "rate", "mean", "dsr", "isr", "smr", "life-expectancy", "quantiles", "funnel-limits",
                 "funnel-significance", "funnel-points", "sii", "summary-measures", "concentration-index"]:
        assert name in result.output


def test_dsr_with_two_confidence_levels(runner, areas, tmp_path):
    path, data = areas
    output = tmp_path / "dsr.csv"
    result = run(runner, "dsr", path, "--x", "count", "--n", "pop", "--by", "area", "--confidence", "0.95",
                 "--confidence", "0.998", "--age-band", "ageband", "-o", output)
    assert result.exit_code == 0, result.output
    assert "2 lignes écrites" in result.output
    written = written_table(output)
    expected = dsr(data, "count", "pop", by="area", confidence=(0.95, 0.998), age_band="ageband")
    np.testing.assert_allclose(written["value"], expected["value"], rtol=1e-12)
    np.testing.assert_allclose(written["upper_99_8"], [11620.596000, 1530.032895], rtol=1e-6)
    assert written["confidence"].iloc[0] == "95%, 99.8%"


def test_dsr_standard_as_list_and_xlsx_output(runner, areas, tmp_path):
    path, _ = areas
    output = tmp_path / "dsr.xlsx"
    weights = "5000,5500,5500,5500,6000,6000,6500,7000,7000,7000,7000,6500,6000,5500,5000,4000,2500,1500,1000"
    result = run(runner, "dsr", path, "--x", "count", "--n", "pop", "--by", "area", "--standard", weights,
                 "--multiplier", "10000", "-o", output)
    assert result.exit_code == 0, result.output
    written = written_table(output)
    np.testing.assert_allclose(written["value"], [1043.024799, 110.321203], rtol=1e-6)


def test_isr_and_smr_with_reference_lists(runner, areas, tmp_path):
    path, _ = areas
    output = tmp_path / "isr.csv"
    common = ["--x", "count", "--n", "pop", "--by", "area", "--ref-x", ",".join(map(str, REF_COUNT)),
              "--ref-n", ",".join(map(str, REF_POP))]
    assert run(runner, "isr", path, *common, "-o", output).exit_code == 0
    written = written_table(output)
    np.testing.assert_allclose(written["value"], [10011.137622, 1017.892205], rtol=1e-6)
    assert run(runner, "smr", path, *common, "--refvalue", "100", "-o", output).exit_code == 0
    np.testing.assert_allclose(written_table(output)["value"], [107.072329, 10.886684], rtol=1e-6)


def test_semicolon_csv_with_decimal_commas_and_xlsx_sheet(runner, tmp_path):
    path = tmp_path / "fr.csv"
    path.write_text("zone;cas;population\nA;65;100\nB;1045;5000\n", encoding="latin-1")
    output = tmp_path / "p.csv"
    result = run(runner, "proportion", path, "--x", "cas", "--n", "population", "--by", "zone", "--multiplier", "100",
                 "-o", output)
    assert result.exit_code == 0, result.output
    written = written_table(output)
    np.testing.assert_allclose(written["lower"], [55.254443, 19.795550], atol=1e-5)
    workbook = tmp_path / "in.xlsx"
    with pd.ExcelWriter(workbook) as writer:
        pd.DataFrame({"a": [1]}).to_excel(writer, sheet_name="autre", index=False)
        pd.DataFrame({"v": [1.5, 2.5, 3.5]}).to_excel(writer, sheet_name="valeurs", index=False)
    assert run(runner, "mean", workbook, "--value", "v", "--sheet", "valeurs", "-o", output).exit_code == 0
    assert written_table(output)["value"].iloc[0] == pytest.approx(2.5)
    decimal = tmp_path / "dec.csv"
    decimal.write_text("zone;v\nA;1,5\nB;2,5\n", encoding="utf-8")
    assert read_table(decimal)["v"].tolist() == [1.5, 2.5]


def test_rate_and_mean(runner, tmp_path):
    path = tmp_path / "r.csv"
    pd.DataFrame({"x": [1, 20], "n": [100, 100], "g": ["a", "b"]}).to_csv(path, index=False)
    output = tmp_path / "o.csv"
    assert run(runner, "rate", path, "--x", "x", "--n", "n", "--by", "g", "--multiplier", "100", "-o",
               output).exit_code == 0
    written = written_table(output)
    assert written["method"].tolist() == ["Exact", "Byars"]
    np.testing.assert_allclose(written["upper"], [5.571643391, 30.889880369], rtol=1e-6)


def test_life_expectancy_and_le_age(runner, tmp_path):
    pops = [7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601, 50209, 56416, 46411, 39820, 37978,
            37039, 33288, 23306, 11936, 11936]
    deaths = [17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872, 1390, 1605, 1936, 1937]
    ages = [0, 1] + list(range(5, 95, 5))
    path = tmp_path / "le.csv"
    pd.DataFrame({"age": ages, "pop": pops, "deaths": deaths}).to_csv(path, index=False)
    output = tmp_path / "o.csv"
    result = run(runner, "life-expectancy", path, "--deaths", "deaths", "--population", "pop", "--start-age", "age",
                 "--le-age", "0", "--le-age", "5", "-o", output)
    assert result.exit_code == 0, result.output
    written = written_table(output)
    assert written["age"].tolist() == [0, 5]
    np.testing.assert_allclose(written["value"], [80.16960813, 75.44193645], rtol=1e-9)


def test_quantiles_direction_is_written(runner, tmp_path):
    path = tmp_path / "q.csv"
    pd.DataFrame({"iris": list("abcdefghij"), "score": range(10)}).to_csv(path, index=False)
    output = tmp_path / "o.csv"
    assert run(runner, "quantiles", path, "--value", "score", "--n", "5", "-o", output).exit_code == 0
    written = written_table(output)
    assert written.loc[written["score"] == 9, "quantile"].item() == 1
    assert written["quantile_direction"].iloc[0].startswith("quantile 1 = valeurs les plus élevées")
    assert run(runner, "quantiles", path, "--value", "score", "--n", "5", "--invert", "false", "-o",
               output).exit_code == 0
    assert written_table(output).loc[9, "quantile"] == 5


def test_funnel_commands(runner, tmp_path):
    path = tmp_path / "f.csv"
    rng = np.random.default_rng(1)
    n = rng.integers(1000, 20000, size=40)
    pd.DataFrame({"zone": range(40), "x": rng.binomial(n, 0.4), "n": n}).to_csv(path, index=False)
    output = tmp_path / "o.csv"
    result = run(runner, "funnel-limits", path, "--numerator", "x", "--denominator", "n", "--statistic", "proportion",
                 "--multiplier", "100", "-o", output)
    assert result.exit_code == 0, result.output
    assert len(written_table(output)) == 100
    assert run(runner, "funnel-significance", path, "--numerator", "x", "--denominator", "n", "--statistic",
               "proportion", "-o", output).exit_code == 0
    assert "significance_fr" in written_table(output).columns


def test_errors_are_french_on_stderr_with_non_zero_exit(runner, areas, tmp_path):
    path, data = areas
    bad = tmp_path / "bad.csv"
    data.assign(pop=data["pop"].where(data.index != 1, 0)).to_csv(bad, index=False)
    result = run(runner, "dsr", bad, "--x", "count", "--n", "pop", "--by", "area", "-o", tmp_path / "o.csv")
    assert result.exit_code != 0
    assert "strictement positifs" in result.stderr and "« pop »" in result.stderr
    result = run(runner, "dsr", path, "--x", "absente", "--n", "pop", "-o", tmp_path / "o.csv")
    assert result.exit_code != 0 and "« absente »" in result.stderr
    result = run(runner, "rate", tmp_path / "nope.csv", "--x", "x", "--n", "n", "-o", tmp_path / "o.csv")
    assert result.exit_code != 0 and "n'existe pas" in result.stderr
    result = run(runner, "rate", path, "--x", "count", "--n", "pop", "-o", tmp_path / "o.json")
    assert result.exit_code != 0 and "Format" in result.stderr
    result = run(runner, "rate", path, "--x", "count", "--n", "pop", "--confidence", "0.5", "-o", tmp_path / "o.csv")
    assert result.exit_code != 0 and "confiance" in result.stderr


def test_outputs_match_the_library(runner, tmp_path):
    path = tmp_path / "p.csv"
    data = pd.DataFrame({"g": ["a", "a", "b"], "x": [1, 2, 3], "n": [10, 20, 30]})
    data.to_csv(path, index=False)
    output = tmp_path / "o.csv"
    assert run(runner, "proportion", path, "--x", "x", "--n", "n", "--by", "g", "-o", output).exit_code == 0
    written = written_table(output)
    expected = proportion(data, "x", "n", by="g")
    assert list(written.columns) == list(expected.columns)
    np.testing.assert_allclose(written[["value", "lower", "upper"]], expected[["value", "lower", "upper"]], rtol=1e-12)


# --- inequality measures and French help -------------------------------------------------------------

#: DSR_testdata.csv of PHEindicatormethods v2.1.0 (shared/data/reference), periods 2010 and 2015.
DSR_TESTDATA = """Period,Quintile,total_pop,value,lowercl,uppercl
2010,1,1434002,150.2200205,147.3194185,153.1498241
2010,2,1450590,131.0221747,128.3676972,133.7051129
2010,3,1453827,127.4954973,125.0421198,129.975513
2010,4,1440980,130.494241,128.2469515,132.7657553
2010,5,1457780,135.4664241,133.2469515,137.8657553
2015,1,1508923,143.8177637,141.0941843,146.568661
2015,2,1538008,127.2058426,124.7351196,129.7026732
2015,3,1538564,122.4106945,120.1654081,124.6801651
2015,4,1509602,126.3922397,124.3450367,128.4613495
2015,5,1457780,135.4664241,133.2469515,137.8657553
"""
#: WHO HEAT worked fixture (STATS_METHODS §7): ordered, favourable, scale 100, and its published values.
HEAT_FIXTURE = pd.DataFrame({"quintile": [1, 2, 3, 4, 5], "pop": [78, 91, 162, 103, 105],
                             "y": [20, 30, 40, 50, 60], "se": [5, 7, 10, 12, 14]})
HEAT_PUBLISHED = {  # measure: (estimate, se) — se of SII on the 0–1 scale, of RII on the log scale, PAF as a fraction
    "ACI": (7.3284202, 0.29368517), "RCI": (0.17776859, 0.0071240491), "SII": (44.44502, 0.02190822),
    "RII": (3.159506, 0.07644001), "PAF": (45.544548, 0.10689361), "PAR": (18.775509, 4.4066348),
}


def test_sii_command_on_the_reference_rates(runner, tmp_path):
    path = tmp_path / "dsr.csv"
    path.write_text(DSR_TESTDATA, encoding="utf-8")
    output = tmp_path / "sii.csv"
    common = ["--quantile", "Quintile", "--population", "total_pop", "--value", "value", "--lower", "lowercl",
              "--upper", "uppercl", "--by", "Period", "--rii", "--intercept", "--repetitions", "2000", "--seed", "1"]
    result = run(runner, "sii", path, *common, "-o", output)
    assert result.exit_code == 0, result.output
    written = written_table(output)
    # weighted least squares of the published rates on the relative rank (tests/stats/test_gradient.py)
    np.testing.assert_allclose(written["sii"], [-14.848682584798299, -9.04236725811593], rtol=1e-9)
    np.testing.assert_allclose(written["rii"], [0.8956757889879822, 0.9332670245024187], rtol=1e-9)
    np.testing.assert_allclose(written["intercept"], [142.3320861069131, 135.50073544141117], rtol=1e-9)
    assert (written["sii_lower"] < written["sii"]).all() and (written["sii"] < written["sii_upper"]).all()
    assert {"rii_lower", "rii_upper", "quantiles", "population", "method", "confidence"} <= set(written.columns)

    result = run(runner, "sii", path, *common, "--value-type", "1", "--transform", "--multiplier", "-1", "-o", output)
    assert result.exit_code == 0, result.output
    logged = written_table(output)
    # log-linear fit converted back: exp(c0) − exp(c0 + c1), reversed by the multiplier
    np.testing.assert_allclose(logged["sii"].iloc[0], 14.036843, atol=1e-6)
    assert (logged["sii_lower"] < logged["sii"]).all() and (logged["rii"] > 1).all()
    assert "log-transformed" in logged["method"].iloc[0]


def test_sii_command_refuses_se_with_transform(runner, tmp_path):
    path = tmp_path / "dsr.csv"
    path.write_text(DSR_TESTDATA, encoding="utf-8")
    result = run(runner, "sii", path, "--quantile", "Quintile", "--population", "total_pop", "--value", "value",
                 "--se", "lowercl", "--value-type", "1", "--transform", "--by", "Period", "-o", tmp_path / "o.csv")
    assert result.exit_code == 1
    assert result.stderr.startswith("Erreur : ") and "transform=True" in result.stderr


def test_summary_measures_command_on_the_who_fixture(runner, tmp_path):
    path = tmp_path / "heat.csv"
    HEAT_FIXTURE.to_csv(path, index=False)
    output = tmp_path / "heat.csv.out.csv"
    result = run(runner, "summary-measures", path, "--estimate", "y", "--se", "se", "--population", "pop",
                 "--order", "quintile", "--seed", "1", "-o", output)
    assert result.exit_code == 0, result.output
    written = written_table(output).set_index("measure")
    assert list(written.index) == ["D", "R", "ACI", "RCI", "SII", "RII", "PAF", "PAR"]
    for measure, (estimate, se) in HEAT_PUBLISHED.items():
        assert written.loc[measure, "estimate"] == pytest.approx(estimate, rel=1e-6)
        scale = 100 if measure in ("SII", "PAF") else 1  # our se is in the units of our estimate
        assert written.loc[measure, "se"] == pytest.approx(se * scale, rel=1e-6)


def test_summary_measures_command_reference_column_and_measure_list(runner, tmp_path):
    path = tmp_path / "regions.csv"
    pd.DataFrame({"region": ["A", "B", "C"], "pop": [25, 25, 50], "y": [10, 20, 40], "se": [1, 2, 3],
                  "ref": ["non", "non", "oui"]}).to_csv(path, index=False)
    output = tmp_path / "o.csv"
    result = run(runner, "summary-measures", path, "--estimate", "y", "--se", "se", "--population", "pop",
                 "--reference", "ref", "--measures", "D,BGV", "--measures", "PAF", "-o", output)
    assert result.exit_code == 0, result.output
    written = written_table(output).set_index("measure")
    assert list(written.index) == ["D", "BGV", "PAF"]
    # μ = 27.5: BGV = Σ p (y − μ)² = 168.75; the reference (40) is the best: PAF = (40 − 27.5)/27.5
    assert written.loc["BGV", "estimate"] == pytest.approx(168.75)
    assert written.loc["PAF", "estimate"] == pytest.approx(100 * 12.5 / 27.5)
    assert written.loc["D", "estimate"] == pytest.approx(30)  # reference 40 vs the farthest subgroup (10)
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"pop": [1, 1], "y": [1, 2], "se": [1, 1], "ref": ["peut-être", "non"]}).to_csv(bad, index=False)
    result = run(runner, "summary-measures", bad, "--estimate", "y", "--se", "se", "--population", "pop",
                 "--reference", "ref", "-o", output)
    assert result.exit_code == 1 and "peut-être" in result.stderr and "ligne de données n° 1" in result.stderr


def test_concentration_index_command_on_the_who_fixture(runner, tmp_path):
    path = tmp_path / "c.csv"
    HEAT_FIXTURE.to_csv(path, index=False)
    output = tmp_path / "o.csv"
    common = ["--value", "y", "--rank-by", "quintile", "--population", "pop"]
    assert run(runner, "concentration-index", path, *common, "-o", output).exit_code == 0
    written = written_table(output)
    assert written["value"].iloc[0] == pytest.approx(HEAT_PUBLISHED["RCI"][0], rel=1e-6)
    assert written["se"].iloc[0] == pytest.approx(HEAT_PUBLISHED["RCI"][1], rel=1e-6)
    assert run(runner, "concentration-index", path, *common, "--kind", "generalised", "-o", output).exit_code == 0
    assert written_table(output)["value"].iloc[0] == pytest.approx(HEAT_PUBLISHED["ACI"][0],
                                                                                       rel=1e-6)
    result = run(runner, "concentration-index", path, *common, "--correction", "wagstaff", "--bounds", "0,100",
                 "-o", output)
    assert result.exit_code == 0, result.output
    mu = float(np.average(HEAT_FIXTURE.y, weights=HEAT_FIXTURE["pop"]))
    wagstaff = HEAT_PUBLISHED["RCI"][0] * 100 * mu / ((100 - mu) * mu)
    assert written_table(output)["value"].iloc[0] == pytest.approx(wagstaff, rel=1e-6)
    result = run(runner, "concentration-index", path, *common, "--bounds", "0", "-o", output)
    assert result.exit_code == 1 and "bounds" in result.stderr


def test_error_sheets_of_the_reference_are_refused_by_the_command(runner, shared_dir, tmp_path):
    workbook = shared_dir / "data" / "reference" / "pheindicatormethods" / "testdata_DSR_ISR.xlsx"
    for sheet_name, words in [("testdata_err1", "négative"), ("testdata_err2", "strictement positifs"),
                              ("testdata_err3", "strictement positifs")]:
        output = tmp_path / f"{sheet_name}.csv"
        result = run(runner, "dsr", workbook, "--sheet", sheet_name, "--x", "count", "--n", "pop", "--by", "area",
                     "-o", output)
        assert result.exit_code == 1, sheet_name
        assert result.stderr.startswith("Erreur : ") and words in result.stderr and "ligne de données" in result.stderr
        assert not output.exists()  # nothing written


def test_every_command_help_is_in_french(runner):
    group = run(runner, "--help").output
    assert "Utilisation :" in group and "Commandes" in group and "Afficher cette aide" in group
    for name in stats.list_commands(None):
        text = run(runner, name, "--help").output
        assert text.startswith("Utilisation : "), name
        assert "Afficher cette aide et quitter." in text, name
        for english in ("Show this message", "[required]", "default:", "Usage:"):
            assert english not in text, (name, english)
        # every option says, in French, what it is for
        for param in stats.get_command(None, name).params:
            if isinstance(param, click.Option):
                assert param.help and param.help.strip(), (name, param.name)
