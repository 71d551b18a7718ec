"""Funnel plots: control limits and the significance of each area (PHE/OHID Fingertips method).

Reference: R package PHEindicatormethods v2.1.0, ``calculate_funnel_limits``,
``assign_funnel_significance`` and ``calculate_funnel_points``. Limits are drawn at 2 standard
deviations (p = 0.025 on each side, i.e. a 95 % interval) and 3 standard deviations (p = 0.001 on
each side, 99.8 %) around the overall value:

- **proportions**: the overall proportion p̄ = Σx/Σn; for a population N the limits are the
  proportions whose Wilson score interval just reaches p̄ (closed form);
- **ratios** (observed/expected counts, standardised ratios): for O observed events, the expected
  counts E at which the exact Poisson test of O is on the edge of significance; limit = O/E
  (``ratio_type="count"``: O/E − 1, ``"isr"``: O/E × 100);
- **rates** (directly standardised or crude): as ratios, around the overall rate, with the
  population derived from events and rate (``multiplier`` × events / rate), per year of data.

The Poisson edges are found by the same bisection as the reference (23 halvings, tolerance 1e-7 on
the transformed scale), so that the published tables are reproduced to the last digit.

Significance labels (column ``significance``, the reference's codes): "High (0.001)", "High
(0.025)", "Low (0.001)", "Low (0.025)", "Not significant" and, for DSRs with fewer than 10
events, "Not applicable for events less than 10 for dsrs"; ``significance_fr`` says the same in
French. "High" means *above the overall value*: whether that is good or bad depends on the
indicator's polarity.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special
from scipy import stats as sps

from equisante.stats._common import require_columns
from equisante.stats._frame import numeric_column, refuse_rows
from equisante.stats.confidence import poisson_limits
from equisante.stats.crude import check_multiplier
from equisante.stats.errors import StatsInputError

__all__ = ["funnel_limits", "funnel_significance", "funnel_points", "SIGNIFICANCE_FR"]

STATISTICS = ("proportion", "ratio", "rate")
RATIO_TYPES = ("count", "isr")
RATE_TYPES = ("dsr", "crude")
POINTS = 100

HIGH_3S, HIGH_2S, LOW_3S, LOW_2S = "High (0.001)", "High (0.025)", "Low (0.001)", "Low (0.025)"
NOT_SIGNIFICANT = "Not significant"
NOT_APPLICABLE = "Not applicable for events less than 10 for dsrs"
LEVELS = [HIGH_3S, HIGH_2S, LOW_3S, LOW_2S, NOT_SIGNIFICANT, NOT_APPLICABLE]

#: French wording of each significance code.
SIGNIFICANCE_FR = {
    HIGH_3S: "au-dessus de la limite à 3 écarts-types (99,8 %) : significativement plus élevé",
    HIGH_2S: "au-dessus de la limite à 2 écarts-types (95 %) : plus élevé",
    LOW_3S: "au-dessous de la limite à 3 écarts-types (99,8 %) : significativement plus bas",
    LOW_2S: "au-dessous de la limite à 2 écarts-types (95 %) : plus bas",
    NOT_SIGNIFICANT: "entre les limites : pas de différence significative",
    NOT_APPLICABLE: "non applicable : moins de 10 événements (taux standardisé)",
}


# --- kernels ---------------------------------------------------------------------------------------

def _wilson_edge(p: float, population, average: float, side: str, multiplier: float):
    """The proportion (× multiplier) for ``population`` whose Wilson interval at one-sided
    probability ``p`` has its ``side`` edge on ``average``."""
    z2 = sps.norm.ppf(p) ** 2
    N = np.asarray(population, dtype=float)
    first = average * (N / z2 + 1)
    with np.errstate(invalid="ignore"):
        root = np.sqrt(
            (-8 * average * (N / z2 + 1)) ** 2
            - 64 * (1 / z2 + 1 / N) * average * (N * (average * (N / z2 + 2) - 1) + z2 * (average - 1))
        )
    last = 1 / z2 + 1 / N
    edge = (first - root / 8) / last if side == "low" else (first + root / 8) / last
    return edge / N * multiplier


def _series_end(mu: np.ndarray) -> np.ndarray:
    """Where the reference's Poisson series stops: the first k > μ whose term is at most 1e-10 times
    the sum of the previous terms, i.e. pmf(k) ≤ 1e-10 · P(X ≤ k − 1) (found by binary search)."""
    lo = np.floor(mu) + 1
    hi = lo + np.ceil(12 * np.sqrt(mu)) + 64
    threshold = np.log(1e-10)

    def stops(k):
        log_term = k * np.log(mu) - mu - special.gammaln(k + 1)
        return log_term - np.log(special.pdtr(k - 1, mu)) <= threshold

    while np.any(hi > lo):
        mid = np.floor((lo + hi) / 2)
        ok = stops(mid)
        hi = np.where(ok, mid, hi)
        lo = np.where(ok, lo, mid + 1)
    return lo


def _series_probability(obs: np.ndarray, mu: np.ndarray, side: str) -> np.ndarray:
    """P(X ≥ obs) (``"low"``) or P(X ≤ obs) (``"high"``) for X ~ Poisson(μ), as the reference's
    truncated series computes it: the terms beyond the stopping point are left out of both the
    numerator and the total. (The truncation shifts P(X ≥ obs) by up to ~1e-9 absolute, which
    decides a bisection step now and then; it is reproduced so that the limits match exactly.)"""
    end = _series_end(mu)  # terms 0 … end-1 are summed
    beyond = special.pdtrc(end - 1, mu)  # P(X ≥ end), left out
    kept = 1 - beyond
    if side == "low":
        upper_part = np.where(obs > 0, special.pdtrc(np.maximum(obs - 1, 0), mu), 1.0)
        return np.maximum(upper_part - beyond, 0.0) / kept
    return np.where(obs <= end - 1, special.pdtr(obs, mu) / kept, 1.0)


def _poisson_edge(observed, p: float, side: str) -> np.ndarray:
    """Mean μ such that P(X ≥ O | μ) = p (``side="low"``) or P(X ≤ O | μ) = p (``"high"``), by the
    reference's bisection on v = μ / (1 + O + μ) (23 halvings)."""
    obs = np.asarray(observed, dtype=float)
    v = np.full(obs.shape, 0.5)
    dv = 0.5
    while dv > 1e-7:
        dv /= 2
        mu = (1 + obs) * v / (1 - v)
        prob = _series_probability(obs, mu, side)
        if side == "low":
            v = np.where(prob > p, v - dv, v + dv)
        else:
            v = np.where(prob < p, v - dv, v + dv)
    return (1 + obs) * v / (1 - v)


def _r_nchar(value: float) -> int:
    """Characters of a non-negative whole number as R's ``as.character`` writes it ("1e+05")."""
    digits = str(int(value))
    significant = len(digits.rstrip("0")) or 1
    exponent = len(digits) - 1
    scientific = (1 if significant == 1 else significant + 1) + (4 if exponent < 100 else 5)
    return scientific if len(digits) > scientific else len(digits)


def _floor_nice(x: float) -> float:
    if x == 0:
        return 0.0
    n = _r_nchar(np.floor(x * 0.95)) - 1
    return float(np.floor(x * 0.95 / 10**n) * 10**n)


def _ceiling_nice(x: float) -> float:
    if x == 0:
        return 0.0
    n = _r_nchar(np.ceil(x * 1.05)) - 2
    return float(np.ceil(x * 1.05 / 10.0**n) * 10.0**n)


def _axis(minimum: float, maximum: float, *, offset: int) -> np.ndarray:
    """The 100 x-axis points, denser at small values (offset 0 for proportions/rates, 1 for ratios)."""
    points = np.empty(POINTS)
    points[0] = max(1.0, minimum)
    for j in range(2, POINTS + 1):
        previous = points[j - 2]
        step = np.rint((maximum / previous) ** (1 / (101 - (j - offset))) * previous)
        points[j - 1] = max(step, previous + 1)
    return points


def _format_multiplier(multiplier: float) -> str:
    return f"{multiplier:,.0f}" if float(multiplier).is_integer() else f"{multiplier:,}"


# --- validation --------------------------------------------------------------------------------------

def _choice(value, accepted, argument, why):
    if value is None:
        raise StatsInputError("argument_required", argument=argument, why=why)
    if value not in accepted:
        raise StatsInputError("argument_invalid", argument=argument, value=value, accepted=", ".join(accepted))
    return value


def _positive(value, argument: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if isinstance(value, bool) or not (np.isfinite(number) and number > 0):
        raise StatsInputError("argument_invalid", argument=argument, value=value, accepted="un nombre strictement positif")
    return number


def _rate_inputs(df, numerator, denominator, rate, multiplier):
    """Events, rates, optional denominators and the multiplier of a rate funnel (validated)."""
    if rate is None:
        raise StatsInputError("argument_required", argument="rate", why="pour un taux (statistic='rate')")
    if multiplier is None:
        raise StatsInputError("argument_required", argument="multiplier", why="pour un taux (statistic='rate')")
    mult = check_multiplier(multiplier)
    events = numeric_column(df, numerator, argument="numerator")
    rates = numeric_column(df, rate, argument="rate")
    refuse_rows(np.isnan(events), "values_missing", df, numerator, events,
                why="le nombre d'événements est nécessaire pour chaque zone, même nul")
    refuse_rows(events < 0, "count_negative", df, numerator, events)
    zero = events == 0
    dens = None
    if denominator is not None:
        dens = numeric_column(df, denominator, argument="denominator")
    if zero.any():
        if dens is None:
            raise StatsInputError("funnel_zero_events", count=int(zero.sum()), column=numerator)
        bad = zero & ~(dens > 0)
        refuse_rows(bad, "denominator_not_positive", df, denominator, dens)
    refuse_rows(~zero & np.isnan(rates), "values_missing", df, rate, rates,
                why="le taux est nécessaire pour chaque zone ayant des événements")
    refuse_rows(~zero & ~(rates > 0), "denominator_not_positive", df, rate, rates)
    return events, rates, dens, mult


def _derived_denominator(events, rates, dens, mult, rate_type):
    with np.errstate(divide="ignore", invalid="ignore"):
        derived = mult * events / rates
    if rate_type == "dsr":
        return np.where(events == 0, np.nan, derived)
    if dens is None:
        return derived
    return np.where(events == 0, dens, derived)


# --- public API --------------------------------------------------------------------------------------

def funnel_limits(
    df: pd.DataFrame,
    numerator: str,
    denominator: str | None = None,
    *,
    statistic: str,
    multiplier: float | None = None,
    ratio_type: str | None = None,
    rate: str | None = None,
    rate_type: str | None = None,
    years_of_data: float | None = None,
) -> pd.DataFrame:
    """The 100-point table of funnel-plot control limits for the areas of ``df``.

    ``statistic="proportion"``: ``numerator`` cases, ``denominator`` population, ``multiplier``
    (100 for percentages) required. Columns: ``population``, ``lower_2s_limit``,
    ``upper_2s_limit``, ``lower_3s_limit``, ``upper_3s_limit``, ``baseline``, ``statistic``,
    ``method`` ("Wilson").

    ``statistic="ratio"``: ``numerator`` observed, ``denominator`` expected counts, ``ratio_type``
    "count" (limits of O/E − 1) or "isr" (O/E × 100). Columns: ``observed_events`` and, for each
    limit, the expected events at the limit (``lower_2s_exp_events``…) and the limit
    (``lower_2s_limit``…), ``statistic``, ``method`` ("Poisson").

    ``statistic="rate"``: ``numerator`` events, ``rate`` column, ``rate_type`` "dsr" or "crude",
    ``multiplier`` (the rate's, e.g. 100000) and ``years_of_data`` required; ``denominator`` needed
    when an area has no event. Columns: ``events``, for each limit the annual population at the
    limit (``lower_2s_population_1_year``…) and the rate limit, ``baseline``, ``statistic``,
    ``method`` ("Poisson").

    Reference: PHEindicatormethods ``calculate_funnel_limits``. Deviation: proportion limits are
    clipped to [0, multiplier] (the reference clips the upper limit at 100 whatever the
    multiplier; identical for percentages).
    """
    statistic = _choice(statistic, STATISTICS, "statistic", "(proportion, ratio ou rate)")
    require_columns(df, [numerator])
    if statistic == "proportion":
        return _limits_proportion(df, numerator, denominator, multiplier)
    if statistic == "ratio":
        ratio_type = _choice(ratio_type, RATIO_TYPES, "ratio_type", "pour un ratio (statistic='ratio')")
        return _limits_ratio(df, numerator, denominator, ratio_type)
    rate_type = _choice(rate_type, RATE_TYPES, "rate_type", "pour un taux (statistic='rate')")
    if years_of_data is None:
        raise StatsInputError("argument_required", argument="years_of_data", why="pour un taux (statistic='rate')")
    years = _positive(years_of_data, "years_of_data")
    return _limits_rate(df, numerator, denominator, rate, rate_type, multiplier, years)


def _proportion_inputs(df, numerator, denominator):
    if denominator is None:
        raise StatsInputError("argument_required", argument="denominator", why="pour une proportion")
    xs = numeric_column(df, numerator, argument="numerator")
    ns = numeric_column(df, denominator, argument="denominator")
    why = "le numérateur et le dénominateur sont nécessaires pour chaque zone, même nuls"
    refuse_rows(np.isnan(xs), "values_missing", df, numerator, xs, why=why)
    refuse_rows(np.isnan(ns), "values_missing", df, denominator, ns, why=why)
    refuse_rows(xs < 0, "count_negative", df, numerator, xs)
    refuse_rows(ns <= 0, "denominator_not_positive", df, denominator, ns)
    refuse_rows(xs > ns, "numerator_exceeds_denominator", df, numerator, xs, denominator_column=denominator)
    return xs, ns


def _limits_proportion(df, numerator, denominator, multiplier):
    if multiplier is None:
        raise StatsInputError("argument_required", argument="multiplier", why="pour une proportion (ex. 100)")
    mult = check_multiplier(multiplier)
    xs, ns = _proportion_inputs(df, numerator, denominator)
    average = xs.sum() / ns.sum()
    low, high = ns.min(), ns.max()
    minimum = 0.0 if high > 2 * low else _floor_nice(low)
    population = _axis(minimum, _ceiling_nice(high), offset=0)
    out = pd.DataFrame({"population": population})
    for label, p in (("2s", 0.975), ("3s", 0.999)):
        out[f"lower_{label}_limit"] = np.maximum(0.0, _wilson_edge(p, population, average, "low", mult))
        out[f"upper_{label}_limit"] = np.minimum(mult, _wilson_edge(p, population, average, "high", mult))
    out = out[["population", "lower_2s_limit", "upper_2s_limit", "lower_3s_limit", "upper_3s_limit"]]
    out["baseline"] = average * mult
    out["statistic"] = "proportion"
    out["method"] = "Wilson"
    return out


def _limits_ratio(df, numerator, denominator, ratio_type):
    if denominator is None:
        raise StatsInputError("argument_required", argument="denominator", why="(nombre attendu) pour un ratio")
    obs = numeric_column(df, numerator, argument="numerator")
    expected = numeric_column(df, denominator, argument="denominator")
    refuse_rows(obs < 0, "count_negative", df, numerator, obs)
    refuse_rows(expected <= 0, "denominator_not_positive", df, denominator, expected)
    low, high = np.nanmin(expected), np.nanmax(expected)
    minimum = 0.0 if high > 2 * low else _floor_nice(low)
    events = _axis(minimum, _ceiling_nice(high), offset=1)
    out = pd.DataFrame({"observed_events": events})
    for label, p in (("2s", 0.025), ("3s", 0.001)):
        for side, edge_side in (("lower", "high"), ("upper", "low")):
            edge = _poisson_edge(events, p, edge_side)
            ratio = events / edge
            out[f"{side}_{label}_exp_events"] = edge
            out[f"{side}_{label}_limit"] = ratio - 1 if ratio_type == "count" else ratio * 100
    out["statistic"] = f"ratio ({ratio_type})"
    out["method"] = "Poisson"
    return out


def _limits_rate(df, numerator, denominator, rate, rate_type, multiplier, years):
    events, rates, dens, mult = _rate_inputs(df, numerator, denominator, rate, multiplier)
    derived = _derived_denominator(events, rates, dens, mult, rate_type)
    average = events.sum() / np.nansum(derived)
    low, high = np.nanmin(derived), np.nanmax(derived)
    minimum = 0.0 if high > 2 * low else _floor_nice(low / years) * years
    maximum = _ceiling_nice(high / years) * years
    axis = _axis(np.floor(minimum * average), np.ceil(maximum * average), offset=0)
    out = pd.DataFrame({"events": axis})
    for label, p in (("2s", 0.025), ("3s", 0.001)):
        for side, edge_side in (("lower", "high"), ("upper", "low")):
            population = _poisson_edge(axis, p, edge_side) / average
            out[f"{side}_{label}_population_1_year"] = population / years
            out[f"{side}_{label}_limit"] = axis / population * mult
    out["baseline"] = average * mult
    out["statistic"] = f"rate ({rate_type} per {_format_multiplier(mult)})"
    out["method"] = "Poisson"
    return out


def funnel_significance(
    df: pd.DataFrame,
    numerator: str,
    denominator: str | None = None,
    *,
    statistic: str,
    rate: str | None = None,
    rate_type: str | None = None,
    multiplier: float | None = None,
) -> pd.DataFrame:
    """``df`` with the funnel-plot significance of each row (area) appended.

    Proportions: ``numerator``/``denominator`` compared with the Wilson-based limits around the
    overall proportion. Ratios: the exact (O < 10) or Byar's 95 % and 99.8 % limits of O/E
    (``numerator``/``denominator``) compared with 1. Rates: the Poisson limits of events over the
    derived population compared with the overall rate (``rate``, ``rate_type``, ``multiplier``
    required; ``denominator`` when an area has no event); DSRs with fewer than 10 events are "not
    applicable". Output: every input column, then ``significance`` (categorical, reference
    codes, see :data:`LEVELS`) and ``significance_fr`` (French wording).
    Reference: PHEindicatormethods ``assign_funnel_significance``.
    """
    statistic = _choice(statistic, STATISTICS, "statistic", "(proportion, ratio ou rate)")
    require_columns(df, [numerator])
    if statistic == "proportion":
        xs, ns = _proportion_inputs(df, numerator, denominator)
        average = xs.sum() / ns.sum()
        value = xs / ns
        label = _classify(
            value > _wilson_edge(0.999, ns, average, "high", 1.0),
            value > _wilson_edge(0.975, ns, average, "high", 1.0),
            value < _wilson_edge(0.999, ns, average, "low", 1.0),
            value < _wilson_edge(0.975, ns, average, "low", 1.0),
        )
    elif statistic == "ratio":
        if denominator is None:
            raise StatsInputError("argument_required", argument="denominator", why="(nombre attendu) pour un ratio")
        obs = numeric_column(df, numerator, argument="numerator")
        expected = numeric_column(df, denominator, argument="denominator")
        refuse_rows(obs < 0, "count_negative", df, numerator, obs)
        refuse_rows(expected <= 0, "denominator_not_positive", df, denominator, expected)
        (lo3, hi3), (lo2, hi2) = poisson_limits(obs, 0.998), poisson_limits(obs, 0.95)
        with np.errstate(divide="ignore", invalid="ignore"):
            label = _classify(1 < lo3 / expected, 1 < lo2 / expected, 1 > hi3 / expected, 1 > hi2 / expected)
    else:
        rate_type = _choice(rate_type, RATE_TYPES, "rate_type", "pour un taux (statistic='rate')")
        events, rates, dens, mult = _rate_inputs(df, numerator, denominator, rate, multiplier)
        derived = _derived_denominator(events, rates, dens, mult, rate_type)
        average = events.sum() / np.nansum(derived)
        (lo3, hi3), (lo2, hi2) = poisson_limits(events, 0.998), poisson_limits(events, 0.95)
        with np.errstate(divide="ignore", invalid="ignore"):
            label = _classify(average < lo3 / derived, average < lo2 / derived,
                              average > hi3 / derived, average > hi2 / derived)
        if rate_type == "dsr":
            label = np.where(events < 10, NOT_APPLICABLE, label)
    out = df.copy()
    out["significance"] = pd.Categorical(label, categories=LEVELS)
    out["significance_fr"] = pd.Series(label, index=df.index).map(SIGNIFICANCE_FR).astype(object)
    return out


def _classify(high3, high2, low3, low2) -> np.ndarray:
    """First matching label, in the reference's order (High 3s, High 2s, Low 3s, Low 2s)."""
    return np.select([high3, high2, low3, low2], [HIGH_3S, HIGH_2S, LOW_3S, LOW_2S], default=NOT_SIGNIFICANT)


def funnel_points(
    df: pd.DataFrame,
    numerator: str,
    rate: str,
    *,
    rate_type: str,
    years_of_data: float,
    multiplier: float,
    denominator: str | None = None,
) -> pd.DataFrame:
    """``df`` with the coordinates of each area on a rate funnel plot: ``{rate}_chart`` (the rate,
    withheld for DSRs with fewer than 10 events) and ``denominator_derived`` (annual population:
    ``multiplier`` × events / rate / ``years_of_data``; the given denominator when there is no
    event). Reference: PHEindicatormethods ``calculate_funnel_points``."""
    rate_type = _choice(rate_type, RATE_TYPES, "rate_type", "pour un taux")
    years = _positive(years_of_data, "years_of_data")
    require_columns(df, [numerator, rate])
    events, rates, dens, mult = _rate_inputs(df, numerator, denominator, rate, multiplier)
    with np.errstate(divide="ignore", invalid="ignore"):
        derived = mult * events / rates / years
    out = df.copy()
    if rate_type == "dsr":
        out[f"{rate}_chart"] = np.where(events < 10, np.nan, rates)
        out["denominator_derived"] = np.where(events < 10, np.nan, derived)
    else:
        out[f"{rate}_chart"] = rates
        out["denominator_derived"] = derived if dens is None else np.where(events == 0, dens / years, derived)
    return out
