"""The fictional region generator: deterministic by seed, consistent counts, plausible geometry and a
social gradient in the directions observed in France (pure: no database)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely
import shapely.geometry
from scipy.stats import spearmanr

from equisante import stats
from equisante.demo.generator import (
    ESP_BANDS,
    SCREENING_BANDS,
    SOCIO_COUNTS,
    generate_region,
)

pytestmark = pytest.mark.core


@pytest.fixture(scope="module")
def region():
    return generate_region(seed=2024)


@pytest.fixture(scope="module")
def communes(region):
    """One row per commune: socio-economic shares, observed pooled health counts."""
    socio = region.socio[region.socio["level"] == "commune"].set_index("code")
    health = region.by_age_sex.groupby("commune")[["deces", "patients_diabete"]].sum()
    frame = socio.join(health).join(region.communes.set_index("code")[["deprivation", "kind"]])
    frame["chomage"] = frame["chomeurs_15_64"] / frame["actifs_15_64"]
    frame["diplomes_part"] = frame["diplomes"] / frame["non_scolarises_15_plus"]
    frame["ouvriers_part"] = frame["ouvriers_actifs"] / frame["actifs_15_64"]
    return frame


# --- determinism -----------------------------------------------------------------------------------

def test_same_seed_gives_the_same_region():
    first = generate_region(seed=11, n_communes=60)
    second = generate_region(seed=11, n_communes=60)
    assert first.fingerprint() == second.fingerprint()
    pd.testing.assert_frame_equal(first.by_age_sex, second.by_age_sex)
    assert first.geometries == second.geometries


def test_another_seed_gives_another_region():
    first, second = generate_region(seed=11, n_communes=60), generate_region(seed=12, n_communes=60)
    assert first.fingerprint() != second.fingerprint()


@pytest.mark.parametrize("kwargs", [{"n_departements": 0}, {"n_departements": 10}, {"n_communes": 20},
                                    {"years": (2019, 2021)}])
def test_impossible_parameters_are_refused_in_french(kwargs):
    with pytest.raises(ValueError, match="doit"):
        generate_region(**kwargs)


# --- codes and levels ------------------------------------------------------------------------------

def test_levels_and_counts(region):
    assert region.count("region") == 1
    assert region.count("departement") == 4
    assert region.count("commune") == 300
    assert region.count("epci") >= 4 * 2  # several EPCI per département
    assert region.count("qpv") >= 1
    assert region.count("iris") >= 6
    assert region.count("zone") >= 1


def test_every_code_contains_x_and_is_unique(region):
    codes = region.territories["code"]
    assert codes.str.contains("X").all()
    assert not region.territories.duplicated(["level", "code"]).any()
    communes = region.territories[region.territories["level"] == "commune"]
    # commune codes begin with their département's code
    assert (communes.apply(lambda r: r["code"].startswith(r["parent_code"]), axis=1)).all()


def test_every_parent_exists(region):
    known = set(region.territories["code"])
    parents = region.territories["parent_code"]
    assert set(parents[parents != ""]) <= known
    assert set(region.memberships["group_code"]) <= known
    assert set(region.memberships["member_code"]) <= known


def test_the_region_is_labelled_fictional(region):
    assert "fictive" in region.name
    assert region.catalogue["source"].str.contains("fictives").all()
    assert region.catalogue["definition"].str.contains("fictives").all()
    assert region.catalogue["code"].str.startswith("demo-").all()


# --- geometry --------------------------------------------------------------------------------------

def _shape(region, code):
    return shapely.geometry.shape(region.geometries[code])


def test_communes_tile_the_region(region):
    communes = region.territories.loc[region.territories["level"] == "commune", "code"]
    shapes = [_shape(region, c) for c in communes]
    assert all(s.is_valid and s.area > 0 for s in shapes)
    whole = _shape(region, region.code)
    total = sum(s.area for s in shapes)
    assert total == pytest.approx(whole.area, rel=1e-3)  # no overlap, no gap
    # a commune of ~45 km² in the middle of France: about 0.005 square degrees
    assert 0.001 < np.median([s.area for s in shapes]) < 0.02


def test_qpv_and_iris_lie_in_their_commune(region):
    table = region.territories
    for row in table[table["level"].isin(["qpv", "iris"])].itertuples():
        inner, commune = _shape(region, row.code), _shape(region, row.parent_code)
        assert inner.intersection(commune).area == pytest.approx(inner.area, rel=1e-3)
    iris = table[table["level"] == "iris"]
    city = iris["parent_code"].iloc[0]
    union = shapely.union_all([_shape(region, c) for c in iris["code"]])
    assert union.area == pytest.approx(_shape(region, city).area, rel=1e-3)


# --- counts ----------------------------------------------------------------------------------------

def test_populations_by_age_band(region):
    cells = region.by_age_sex
    per_group = cells.groupby(["commune", "year", "sex"])["age_band"].apply(tuple)
    assert (per_group == ESP_BANDS).all()  # the 19 ESP bands, in order, everywhere
    assert (cells["population"] >= 1).all()
    last = cells[cells["year"] == region.reference_year].groupby("commune")["population"].sum()
    published = region.communes.set_index("code")["population"]
    assert (last.reindex(published.index) == published).all()


def test_events_never_exceed_populations(region):
    cells = region.by_age_sex
    for column in ("deces", "patients_diabete"):
        assert (cells[column] >= 0).all()
        assert (cells[column] <= cells["population"]).all()
    invited = cells["age_band"].isin(SCREENING_BANDS)
    assert cells.loc[~invited, "depistes"].isna().all()
    screened = cells.loc[invited, "depistes"].astype(int)
    assert (screened <= cells.loc[invited, "population"]).all()
    infants = region.infants.merge(cells[cells["age_band"] == "0-4"], on=["commune", "year", "sex"],
                                   suffixes=("_0", "_04"))
    assert (infants["population_0"] <= infants["population_04"]).all()
    assert (infants["deces_0"] <= infants["deces_04"]).all()


@pytest.mark.parametrize("numerator, denominator", [
    ("actifs_15_64", "population"), ("chomeurs_15_64", "actifs_15_64"), ("ouvriers_actifs", "actifs_15_64"),
    ("ouvriers_non_qualifies", "ouvriers_actifs"), ("bacheliers", "diplomes"),
    ("diplomes", "non_scolarises_15_plus"), ("faible_niveau_etudes", "non_scolarises_15_plus"),
    ("menages_hlm", "non_proprietaires"), ("non_proprietaires", "menages"), ("sans_voiture", "menages"),
    ("etrangers", "population"),
])
def test_census_numerators_within_denominators(region, numerator, denominator):
    socio = region.socio
    assert (socio[numerator] >= 0).all()
    assert (socio[numerator] <= socio[denominator]).all()


def test_parent_populations_are_sums_of_communes(region):
    pops = region.populations
    communes = region.communes.set_index("code")
    last = pops[pops["year"] == region.reference_year].set_index(["level", "code"])["population"]
    for dept, group in communes.groupby("departement"):
        assert last[("departement", dept)] == group["population"].sum()
    assert last[("region", region.code)] == communes["population"].sum()
    city_iris = region.territories[region.territories["level"] == "iris"]
    city = city_iris["parent_code"].iloc[0]
    assert sum(last[("iris", c)] for c in city_iris["code"]) == last[("commune", city)]


# --- plausibility and the social gradient -----------------------------------------------------------

def test_orders_of_magnitude_are_french(region, communes):
    total = communes[list(SOCIO_COUNTS)].sum()
    assert 0.06 < total["chomeurs_15_64"] / total["actifs_15_64"] < 0.22
    assert 0.5 < total["diplomes"] / total["non_scolarises_15_plus"] < 0.85
    assert 0.05 < total["menages_hlm"] / total["menages"] < 0.30
    assert 15_000 < communes["revenu_median_uc"].median() < 30_000
    deaths = region.by_age_sex["deces"].sum() / region.by_age_sex["population"].sum()
    assert 0.007 < deaths < 0.014  # 700 to 1,400 deaths per 100,000 a year
    assert 76 < communes["esperance_vie_h"].median() < communes["esperance_vie_f"].median() < 88


def test_socio_economic_variables_correlate_as_in_real_life(communes):
    def rho(a, b):
        return spearmanr(communes[a], communes[b]).statistic

    assert rho("revenu_median_uc", "chomage") < -0.3
    assert rho("revenu_median_uc", "diplomes_part") > 0.3
    assert rho("diplomes_part", "ouvriers_part") < 0
    assert rho("chomage", "ouvriers_part") > 0
    assert rho("revenu_median_uc", "esperance_vie") > 0.3
    assert rho("deprivation", "revenu_median_uc") < -0.5


def _quintile_dsr(region, communes, event):
    """Standardised rate (ESP 2013, pooled period) of ``event`` per income quintile of communes."""
    quintile = pd.qcut(communes["revenu_median_uc"].rank(method="first"), 5, labels=False)
    cells = region.by_age_sex.assign(quintile=region.by_age_sex["commune"].map(quintile))
    pooled = cells.groupby(["quintile", "age_band"], as_index=False)[[event, "population"]].sum()
    return stats.dsr(pooled, event, "population", by="quintile", age_band="age_band").set_index("quintile")


def test_mortality_has_a_social_gradient(region, communes):
    dsr = _quintile_dsr(region, communes, "deces")
    poorest, richest = dsr.loc[0], dsr.loc[4]
    assert poorest["lower"] > richest["upper"]  # significantly higher among the poorest fifth
    assert (np.diff(dsr["value"].to_numpy()) < 0).sum() >= 3  # decreasing with income, mostly


def test_diabetes_and_screening_follow_the_gradient(region, communes):
    diabetes = _quintile_dsr(region, communes, "patients_diabete")
    assert diabetes.loc[0, "value"] > diabetes.loc[4, "value"]
    quintile = pd.qcut(communes["revenu_median_uc"].rank(method="first"), 5, labels=False)
    invited = region.by_age_sex[region.by_age_sex["age_band"].isin(SCREENING_BANDS)]
    invited = invited.assign(quintile=invited["commune"].map(quintile), depistes=invited["depistes"].astype(int))
    share = stats.proportion(invited, "depistes", "population", by="quintile").set_index("quintile")
    assert share.loc[0, "upper"] < share.loc[4, "lower"]  # the poorest take part less
