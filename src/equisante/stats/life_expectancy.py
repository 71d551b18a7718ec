"""Life expectancy from an abridged life table (Chiang II) with Silcocks et al. (2001) variance.

Reference: R package PHEindicatormethods v2.1.0, ``phe_life_expectancy`` (the PHE/OHID life
expectancy calculator). Twenty age bands starting at 0, 1, 5, 10, …, 85, 90 (the last one open,
90+). For band i: Mᵢ = deathsᵢ/populationᵢ, width nᵢ (1, 4, 5, …, 5; 2/M for 90+),
aᵢ = 0.1 for age 0 and 0.5 otherwise, qᵢ = Mᵢnᵢ / (1 + Mᵢnᵢ(1 − aᵢ)) (1 when deaths exceed
population/(nᵢaᵢ)), l₀ = 100,000, Lᵢ = nᵢ(lᵢ₊₁ + aᵢdᵢ) and L₉₀ = l₉₀/M₉₀, eᵢ = Tᵢ/lᵢ.
Variance (Silcocks): Σ_{j≥i} lⱼ² ((1 − aⱼ)nⱼ + eⱼ₊₁)² qⱼ²(1 − qⱼ)/Dⱼ plus (l₉₀/2)² · 4/(D₉₀M₉₀²),
divided by lᵢ²; limits eᵢ ± z·SE.

Unit: years. Direction: higher is better (longer life).

Suppression, per group, as the reference (the whole group's rows get NaN, with a French reason in
``suppression``): negative deaths, a population ≤ 0, missing or duplicated age bands, deaths above
the population of a band, total population ≤ 5,000; also missing values and no death at 90+
(the open band needs at least one death). A single value is suppressed (its limits are kept, as the
reference) when its 95 % interval is wider than 20 years (1.96·SE > 10).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import stats as sps

from equisante.stats._common import as_levels, confidence_label, limit_columns, require_columns, z_value
from equisante.stats._frame import Groups, leading_integer, numeric_column
from equisante.stats.errors import StatsInputError

__all__ = ["life_expectancy", "AGES"]

#: Start ages of the 20 bands: 0, 1-4, 5-9, …, 85-89, 90+.
AGES = np.array([0, 1] + list(range(5, 95, 5)), dtype=np.int64)
AGES.setflags(write=False)
_WIDTH = np.diff(AGES).astype(float)  # 19 closed bands
_A = np.where(AGES == 0, 0.1, 0.5)
MINIMUM_POPULATION = 5000
#: A value is suppressed when the half-width of its 95 % interval exceeds this many years.
MAXIMUM_HALF_WIDTH = 10.0

_REASONS = {
    "negative_deaths": "décès négatifs dans au moins une tranche d'âge",
    "population": "population nulle ou négative dans au moins une tranche d'âge",
    "bands": "tranches d'âge manquantes ou en double (20 tranches attendues)",
    "deaths_above_population": "plus de décès que d'habitants dans au moins une tranche d'âge",
    "small_population": f"population totale inférieure ou égale à {MINIMUM_POPULATION:,}".replace(",", "\u202f"),
    "missing": "valeur manquante (décès ou population)",
    "no_death_90": "aucun décès dans la tranche 90 ans et plus",
    "wide_interval": "intervalle de confiance à 95 % plus large que 20 ans",
}


def life_expectancy(
    df: pd.DataFrame,
    deaths: str,
    population: str,
    start_age: str,
    *,
    by: str | Iterable[str] | None = None,
    confidence: float | Sequence[float] = 0.95,
    le_age: str | int | Sequence[int] = "all",
) -> pd.DataFrame:
    """Life expectancy (years) at each start age, per group, with confidence limits.

    ``df`` has, per group, one row per age band: ``deaths`` and ``population`` (person-years) and
    ``start_age`` (0, 1, 5, …, 90 as numbers, or labels beginning with the start age such as "0",
    "1-4", "5-9", "90+"; any order). ``le_age``: "all" (every age), one start age or a list.

    Output, one row per group and requested age (groups sorted, ages ascending): ``by`` columns,
    ``start_age`` (the column named as in the input, holding the start age in years), ``value``,
    ``lower``, ``upper`` (per level), ``population_used`` and ``deaths_used`` (totals from that
    age upwards), ``method`` ("Chiang II"), ``confidence``, ``suppression`` (reason or "").
    """
    levels = as_levels(confidence)
    require_columns(df, [start_age])
    dx = numeric_column(df, deaths, argument="deaths")
    px = numeric_column(df, population, argument="population")
    ages = leading_integer(df[start_age], column=start_age)
    _check_ages(ages, start_age)
    wanted = _requested_ages(le_age)

    groups = Groups(df, by)
    size = groups.size
    band = np.searchsorted(AGES, ages)
    seen = np.bincount(groups.codes * len(AGES) + band, minlength=size * len(AGES)).reshape(size, len(AGES))
    D = np.full((size, len(AGES)), np.nan)
    P = np.full((size, len(AGES)), np.nan)
    D[groups.codes, band] = dx
    P[groups.codes, band] = px

    reason = np.full(size, "", dtype=object)

    def flag(mask: np.ndarray, key: str) -> None:
        reason[(reason == "") & mask] = _REASONS[key]

    with np.errstate(invalid="ignore"):
        flag(np.any(D < 0, axis=1), "negative_deaths")
        flag(np.any(P <= 0, axis=1), "population")
        flag(np.any(seen != 1, axis=1), "bands")
        flag(np.any(D > P, axis=1), "deaths_above_population")
        flag(~(np.nansum(P, axis=1) > MINIMUM_POPULATION) & ~np.isnan(P).any(axis=1), "small_population")
        flag(np.isnan(D).any(axis=1) | np.isnan(P).any(axis=1), "missing")
        flag(D[:, -1] == 0, "no_death_90")
    valid = reason == ""

    # Compute on valid groups only (others are filled with harmless values, then masked).
    Dv = np.where(valid[:, None], D, 1.0)
    Pv = np.where(valid[:, None], P, 2.0)
    e, se = _chiang(Dv, Pv)
    e[~valid] = np.nan
    se[~valid] = np.nan
    with np.errstate(invalid="ignore"):
        wide = sps.norm.ppf(0.975) * se > MAXIMUM_HALF_WIDTH
    value = np.where(np.isfinite(e) & ~wide, e, np.nan)
    row_reason = np.repeat(reason[:, None], len(AGES), axis=1)
    row_reason[(row_reason == "") & wide] = _REASONS["wide_interval"]

    population_used = np.cumsum(P[:, ::-1], axis=1)[:, ::-1]
    deaths_used = np.cumsum(D[:, ::-1], axis=1)[:, ::-1]

    keep = np.isin(AGES, wanted)
    n_ages = int(keep.sum())
    out = groups.frame().loc[np.repeat(np.arange(size), n_ages)].reset_index(drop=True)
    out[start_age] = np.tile(AGES[keep], size)
    out["value"] = value[:, keep].ravel()
    for level, (low, high) in zip(levels, limit_columns(levels)):
        z = z_value(level)
        with np.errstate(invalid="ignore"):
            out[low] = (e - z * se)[:, keep].ravel()
            out[high] = (e + z * se)[:, keep].ravel()
    out["population_used"] = population_used[:, keep].ravel()
    out["deaths_used"] = deaths_used[:, keep].ravel()
    out["method"] = "Chiang II"
    out["confidence"] = confidence_label(levels)
    out["suppression"] = row_reason[:, keep].ravel()
    return out


def _chiang(D: np.ndarray, P: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Life expectancy and its standard error for each row of the (groups × 20) matrices."""
    size, k = D.shape
    with np.errstate(divide="ignore", invalid="ignore"):
        M = D / P
        width = np.empty_like(M)
        width[:, :-1] = _WIDTH
        width[:, -1] = 2 / M[:, -1]
        a = _A[None, :]
        q = np.where(D <= P / width / a, M * width / (1 + M * width * (1 - a)), 1.0)
        p = 1 - q
        l = np.empty_like(M)
        l[:, 0] = 1e5
        l[:, 1:] = 1e5 * np.cumprod(p[:, :-1], axis=1)
        l_next = np.concatenate([l[:, 1:], np.zeros((size, 1))], axis=1)
        d = l - l_next
        L = np.empty_like(M)
        L[:, :-1] = width[:, :-1] * (l_next[:, :-1] + a[:, :-1] * d[:, :-1])
        L[:, -1] = l[:, -1] / M[:, -1]
        T = np.cumsum(L[:, ::-1], axis=1)[:, ::-1]
        e = np.where(l == 0, 0.0, T / l)
        sp = np.where(d == 0, 0.0, q**2 * (1 - q) / D)
        sp[:, -1] = 4 / (D[:, -1] * M[:, -1] ** 2)
        W = np.empty_like(M)
        W[:, :-1] = sp[:, :-1] * l[:, :-1] ** 2 * ((1 - a[:, :-1]) * width[:, :-1] + e[:, 1:]) ** 2
        W[:, -1] = (l[:, -1] / 2) ** 2 * sp[:, -1]
        ST = np.cumsum(W[:, ::-1], axis=1)[:, ::-1]
        se = np.sqrt(ST / l**2)
    return e, se


def _check_ages(ages: np.ndarray, column: str) -> None:
    present = np.unique(ages)
    missing = np.setdiff1d(AGES, present)
    extra = np.setdiff1d(present, AGES)
    if missing.size or extra.size:
        parts = []
        if missing.size:
            parts.append("absentes : " + ", ".join(str(int(v)) for v in missing))
        if extra.size:
            parts.append("inattendues : " + ", ".join(str(int(v)) for v in extra))
        raise StatsInputError("start_age_invalid", column=column, why="tranches " + " ; ".join(parts))


def _requested_ages(le_age) -> np.ndarray:
    if isinstance(le_age, str):
        if le_age == "all":
            return AGES
        values = [le_age]
    elif np.ndim(le_age) == 0:
        values = [le_age]
    else:
        values = list(le_age)
    out = []
    for value in values:
        try:
            age = int(str(value).strip().rstrip("+")) if isinstance(value, str) else int(value)
        except (TypeError, ValueError):
            raise StatsInputError("le_age_unknown", value=value) from None
        if age not in AGES or (not isinstance(value, str) and float(value) != age):
            raise StatsInputError("le_age_unknown", value=value)
        out.append(age)
    return np.array(out, dtype=np.int64)
