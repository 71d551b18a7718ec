"""The values of the demonstration indicators, computed from a generated region (pure: pandas and
:mod:`equisante.stats`, no Django).

:func:`indicator_values` turns the counts of a :class:`~equisante.demo.generator.DemoRegion` into one
table in the long import format (``docs/import-formats.md``): one row per indicator, territory,
period and stratum, with numerator, denominator, value, 95 % confidence limits and state. Every
number comes from the product's own reference-checked statistics, so that the demonstration shows
what an analyst would compute:

- proportions: :func:`equisante.stats.proportion` (Wilson score limits);
- crude rates: :func:`equisante.stats.rate` (exact Poisson below 10 events, Byar's above), also per
  age band on the pooled period for the levels above the commune;
- directly standardised rates: :func:`equisante.stats.dsr` on the 19 bands of the European Standard
  Population 2013 (Dobson limits; not published below 10 events);
- life expectancy at birth: :func:`equisante.stats.life_expectancy` (Chiang II abridged table,
  Silcocks variance) on the pooled deaths and person-years of the 20 life-table bands.

Parents (région, départements, EPCI, ZIP zones) get the sums of their communes' counts — the same
sums as :func:`equisante.indicators.aggregation.aggregate_to_parent` would make — and their own
standardised rates and life tables. States: ``suppressed`` when the method publishes no value (a
standardised rate on fewer than 10 events, a life table on 5,000 inhabitants or fewer…),
``unstable`` for a rate resting on 10 to 19 events, ``ok`` otherwise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from equisante import stats
from equisante.demo.generator import ESP_BANDS, SOCIO_COUNTS, DemoRegion, pooled_median

#: Columns of the result (the long import format, without the informative ``name`` and ``vintage``).
COLUMNS = ["indicator", "level", "code", "period", "sex", "age_band", "numerator", "denominator", "value",
           "lower", "upper", "state"]
#: A rate or standardised rate resting on fewer events than this is flagged ``unstable``.
UNSTABLE_BELOW = 20
#: Levels that group communes (their counts are the sums of their communes').
PARENT_LEVELS = ("region", "departement", "epci", "zone")
_HEALTH_COUNTS = ["population", "deces", "patients_diabete", "depistes"]


def indicator_values(region: DemoRegion) -> pd.DataFrame:
    """Every value of the region's catalogue, at every level the catalogue names (see module doc).

    Numbers: counts (persons, events, person-years) for ``numerator`` and ``denominator``; ``value``,
    ``lower`` and ``upper`` in the indicator's unit (``%``, per 100,000, years, euros).
    """
    links = commune_links(region)
    health = health_cells(region, links)
    socio = socio_counts(region, links)
    parts = []
    for row in region.catalogue.itertuples(index=False):
        levels = set(row.levels.split(","))
        if row.table == "socio":
            frame = socio[socio["level"].isin(levels)]
            if row.method == "median":
                part = _median(region, links, levels)
            else:
                part = _proportion(frame, row.numerator, row.denominator, row.multiplier, ["level", "code", "period"])
        elif row.method == "life_expectancy":
            part = _life_expectancy(region, links, levels)
        else:
            frame = health[health["level"].isin(levels) & health["period"].isin(row.periods.split(","))]
            if row.bands:
                frame = frame[frame["age_band"].isin(row.bands.split(","))]
            part = _health(frame, row)
        part.insert(0, "indicator", row.code)
        parts.append(part)
    values = pd.concat(parts, ignore_index=True)
    for column in ("sex", "age_band"):
        values[column] = values[column].fillna("")
    return values[COLUMNS].sort_values(["indicator", "level", "code", "period", "sex", "age_band"],
                                       key=_band_order).reset_index(drop=True)


# --- which commune counts where ---------------------------------------------------------------------

def commune_links(region: DemoRegion) -> pd.DataFrame:
    """``commune`` → (``level``, ``code``): the commune itself and every territory grouping it
    (région, département, EPCI, ZIP zone). One row per commune and territory."""
    communes = region.communes
    parts = [
        pd.DataFrame({"commune": communes["code"], "level": "commune", "code": communes["code"]}),
        pd.DataFrame({"commune": communes["code"], "level": "departement", "code": communes["departement"]}),
        pd.DataFrame({"commune": communes["code"], "level": "epci", "code": communes["epci"]}),
        pd.DataFrame({"commune": communes["code"], "level": "region", "code": region.code}),
    ]
    zones = region.memberships[(region.memberships["group_level"] == "zone")
                               & (region.memberships["member_level"] == "commune")]
    parts.append(pd.DataFrame({"commune": zones["member_code"], "level": "zone", "code": zones["group_code"]}))
    return pd.concat(parts, ignore_index=True)


def health_cells(region: DemoRegion, links: pd.DataFrame) -> pd.DataFrame:
    """Counts by territory, period (each year and the pooled period), sex (``F``, ``H`` and ``""``
    for both) and ESP band: ``population`` (person-years), ``deces``, ``patients_diabete``,
    ``depistes`` (screened; 0 outside the invited bands)."""
    counts = region.by_age_sex.copy()
    counts["depistes"] = counts["depistes"].fillna(0).astype(np.int64)
    merged = links.merge(counts, on="commune")
    keys = ["level", "code", "year", "sex", "age_band", "age_start"]
    by_year = merged.groupby(keys, sort=False)[_HEALTH_COUNTS].sum().reset_index()
    by_year["period"] = by_year["year"].astype(str)
    pooled = by_year.groupby([k for k in keys if k != "year"], sort=False)[_HEALTH_COUNTS].sum().reset_index()
    pooled["period"] = region.pooled_period
    cells = pd.concat([by_year.drop(columns="year"), pooled], ignore_index=True)
    both = cells.groupby(["level", "code", "period", "age_band", "age_start"], sort=False)[_HEALTH_COUNTS].sum()
    both = both.reset_index().assign(sex="")
    return pd.concat([cells, both], ignore_index=True)


def socio_counts(region: DemoRegion, links: pd.DataFrame) -> pd.DataFrame:
    """Census-like counts of communes, IRIS and QPV as generated, and of the parents as the sums of
    their communes' (the main city's counts are already the sums of its IRIS)."""
    socio = region.socio
    own = socio[["level", "code", *SOCIO_COUNTS]]
    communes = socio[socio["level"] == "commune"].rename(columns={"code": "commune"})
    parents = links[links["level"].isin(PARENT_LEVELS)].merge(communes[["commune", *SOCIO_COUNTS]], on="commune")
    summed = parents.groupby(["level", "code"], sort=False)[list(SOCIO_COUNTS)].sum().reset_index()
    counts = pd.concat([own, summed], ignore_index=True)
    counts["period"] = str(region.reference_year)
    return counts


# --- one method each ------------------------------------------------------------------------------------

def _proportion(frame: pd.DataFrame, numerator: str, denominator: str, multiplier: float,
                by: list[str]) -> pd.DataFrame:
    """Wilson proportions per ``by`` group (a group without denominator gets a missing value)."""
    usable = frame[frame[denominator] > 0]
    result = stats.proportion(usable, numerator, denominator, by=by, multiplier=multiplier)
    result["state"] = "ok"
    empty = frame[frame[denominator] <= 0][by].drop_duplicates()
    if len(empty):
        result = pd.concat([result, empty.assign(numerator=0.0, denominator=0.0, state="missing")], ignore_index=True)
    return result


def _health(frame: pd.DataFrame, row) -> pd.DataFrame:
    """Crude rates, standardised rates or proportions of a health indicator, per sex; crude rates
    also per age band on the pooled period (as the catalogue's definition says)."""
    by = ["level", "code", "period", "sex"]
    if row.method == "proportion":
        return _proportion(frame, row.numerator, row.denominator, row.multiplier, by)
    if row.method == "rate":
        overall = stats.rate(frame, row.numerator, row.denominator, by=by, multiplier=row.multiplier)
        # By age band: the pooled period, above the commune (a village has a handful of deaths a
        # year: its 19 band rates would be noise).
        pooled = frame[frame["period"].str.contains("-") & (frame["level"] != "commune")]
        banded = stats.rate(pooled, row.numerator, row.denominator, by=[*by, "age_band"], multiplier=row.multiplier)
        result = pd.concat([overall, banded], ignore_index=True)
        result["state"] = _rate_state(result)
        return result
    if row.method == "dsr":
        bands = row.bands.split(",") if row.bands else list(ESP_BANDS)
        weights = stats.ESP2013[[ESP_BANDS.index(b) for b in bands]]
        result = stats.dsr(frame, row.numerator, row.denominator, by=by, standard=weights, age_band="age_band",
                           multiplier=row.multiplier)
        result["state"] = np.where(result["value"].isna(), "suppressed", _rate_state(result))
        return result
    raise ValueError(f"méthode inconnue : {row.method}")


def _rate_state(result: pd.DataFrame) -> np.ndarray:
    return np.where(result["numerator"] < UNSTABLE_BELOW, "unstable", "ok")


def _life_expectancy(region: DemoRegion, links: pd.DataFrame, levels: set[str]) -> pd.DataFrame:
    """Life expectancy at birth (years) on the pooled period, per sex.

    Communes: the generator's modelled value (a village's deaths are far too few for a life table),
    without limits. Parents: the Chiang II abridged life table of their pooled deaths and
    person-years, with Silcocks limits; a table the reference method withholds is ``suppressed``."""
    period = region.pooled_period
    parts = []
    if "commune" in levels:
        model = region.socio[region.socio["level"] == "commune"]
        for sex, column in (("", "esperance_vie"), ("F", "esperance_vie_f"), ("H", "esperance_vie_h")):
            parts.append(pd.DataFrame({"level": "commune", "code": model["code"].to_numpy(), "period": period,
                                       "sex": sex, "value": model[column].to_numpy(), "state": "ok"}))
    wanted = [lv for lv in PARENT_LEVELS if lv in levels]
    if wanted:
        table = region.life_table_counts()
        merged = links[links["level"].isin(wanted)].merge(table, on="commune")
        keys = ["level", "code", "sex", "age_start"]
        by_sex = merged.groupby(keys, sort=False)[["population", "deces"]].sum().reset_index()
        both = by_sex.groupby(["level", "code", "age_start"], sort=False)[["population", "deces"]].sum()
        cells = pd.concat([by_sex, both.reset_index().assign(sex="")], ignore_index=True)
        result = stats.life_expectancy(cells, "deces", "population", "age_start", by=["level", "code", "sex"], le_age=0)
        withheld = result["suppression"].astype(str) != ""
        result.loc[withheld, ["value", "lower", "upper"]] = np.nan
        parts.append(pd.DataFrame({
            "level": result["level"], "code": result["code"], "period": period, "sex": result["sex"],
            "numerator": result["deaths_used"], "denominator": result["population_used"],
            "value": result["value"], "lower": result["lower"], "upper": result["upper"],
            "state": np.where(withheld, "suppressed", "ok"),
        }))
    return pd.concat(parts, ignore_index=True)


def _median(region: DemoRegion, links: pd.DataFrame, levels: set[str]) -> pd.DataFrame:
    """Median income per consumption unit (€): as generated for communes, IRIS and QPV; for parents,
    the median of the union of their communes, approximated by
    :func:`~equisante.demo.generator.pooled_median` (each commune log-normal around its own median,
    weighted by its population). A median does not add up, so this is an approximation, as the
    catalogue says; unlike a median of medians it is not the value of one member commune, so a
    département does not repeat the figure of one of its EPCI."""
    socio = region.socio
    own = socio[socio["level"].isin(levels)][["level", "code", "revenu_median_uc"]]
    communes = socio[socio["level"] == "commune"][["code", "revenu_median_uc", "population"]]
    communes = communes.rename(columns={"code": "commune"})
    parents = links[links["level"].isin([lv for lv in PARENT_LEVELS if lv in levels])].merge(communes, on="commune")
    rows = [(level, group, pooled_median(g["revenu_median_uc"], g["population"]))
            for (level, group), g in parents.groupby(["level", "code"], sort=False)]
    summary = pd.DataFrame(rows, columns=["level", "code", "revenu_median_uc"])
    frame = pd.concat([own, summary], ignore_index=True).rename(columns={"revenu_median_uc": "value"})
    frame["period"] = str(region.reference_year)
    frame["state"] = "ok"
    return frame


def _band_order(column: pd.Series) -> pd.Series:
    """Sort age bands by their first age ("5-9" before "10-14"), other columns as they are."""
    if column.name != "age_band":
        return column
    return column.map(lambda band: (int(band.split("-")[0].rstrip("+")) if band else -1))
