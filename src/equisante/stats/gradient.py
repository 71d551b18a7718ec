"""Slope index of inequality (SII) and relative index of inequality (RII), PHE method.

Reference implementation: ``phe_sii`` of the R package PHEindicatormethods v2.1.0 (UK public
health methods); formulas in ``docs/stats.md`` (section "Inequality measures") and
``shared/domain/STATS_METHODS.md`` §6.

Within each group (``by``), the rows are quantiles of deprivation (5 to 100 of them), numbered from
the most deprived (lowest ``quantile`` value) to the least deprived. With population ``a_j`` and
total ``N``, the relative rank is ``b_j = (a_1 + … + a_j)/N − a_j/(2N)``. The value ``y_j`` is
regressed on ``b_j`` by weighted least squares (weights ``a_j``; equivalently ``√a·y`` on ``√a`` and
``b·√a`` without constant): ``y = β0 + β1·b``.

- ``SII = β1 · multiplier``: the modelled gap between the least deprived end (rank 1) and the most
  deprived end (rank 0), in the units of ``value`` times ``multiplier``. Positive means the value
  rises from the most to the least deprived; use ``multiplier=-1`` to report it the other way.
- ``RII = (β0 + β1)/β0``: ratio of the modelled values at rank 1 and rank 0 (inverted when the
  multiplier is negative).
- Confidence limits by simulation: each repetition draws one value per quantile from a normal
  distribution and recomputes the slope; the limits are the sorted draws at (1-based) positions
  ``round(reps·α/2)`` and ``round(reps·(1 − α/2))``. As in the reference, rates
  (``value_type=1``) and proportions (``value_type=2``) are drawn on the log or logit scale (their
  standard error is read from the log or logit of the 95 % limits) and each draw is turned back into
  a rate or proportion before the regression: this is what happens with the default
  ``transform=False``.
- ``transform=True`` (rates and proportions only) fits the regression itself on the log or logit of
  the values, then converts the fitted line back to the original units: SII = g(β0 + β1) − g(β0),
  RII = g(β0 + β1)/g(β0) (g = exp or the logistic function); the limits come from the simulated
  slope on the transformed scale, centred on the fitted value at mid-rank.

Everything is vectorised: the closed-form solution is linear in the values, so the SII of every
repetition of every group is one batched matrix product; repetitions are processed in chunks so
that memory stays bounded.
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from equisante.numbers import plural
from equisante.stats._common import (as_levels, by_columns, confidence_label, describe_group, limit_columns,
                                     require_columns)
from equisante.stats._frame import Groups, numeric_column, refuse_rows
from equisante.stats.errors_inequality import InequalityWarning, StatsInputError

__all__ = ["sii", "sii_point", "InequalityWarning"]

#: z used by the reference to turn 95 % limits into a standard error, se = (U − L)/(2·z): the R code
#: takes ``qnorm(0.975)`` (1.959964…), not the rounded 1.96 of the written method.
LIMITS_Z = 1.959963984540054
MIN_QUANTILES, MAX_QUANTILES, WARN_QUANTILES = 5, 100, 10
#: Number of sets of limits of the reliability statistic (the reported set plus nine reruns).
RELIABILITY_SETS = 10
#: Bounds on the size of the arrays of one chunk (draws) and of one block (sorted statistics).
_DRAW_CELLS = 1 << 21
_STAT_CELLS = 1 << 22

_VALUE_TYPES = {0: "other", 1: "rate", 2: "proportion"}


def sii(
    df: pd.DataFrame,
    quantile: str,
    population: str,
    value: str,
    *,
    se: str | None = None,
    lower: str | None = None,
    upper: str | None = None,
    value_type: int = 0,
    transform: bool = False,
    multiplier: float = 1,
    repetitions: int = 100_000,
    confidence: float | Sequence[float] = 0.95,
    rii: bool = False,
    intercept: bool = False,
    reliability: bool = False,
    by: str | Iterable[str] | None = None,
    seed: int | np.random.Generator | None = None,
) -> pd.DataFrame:
    """Slope (and relative) index of inequality by group, PHE method with simulated limits.

    Parameters
    ----------
    df : one row per group and quantile.
    quantile : column numbering the quantiles, lowest = most deprived (5 to 100 per group; a
        warning above 10). Quantile numbers need not be consecutive; each appears once per group.
    population : column of the population of each quantile (weights, > 0).
    value : column of the indicator value (rate, proportion on the 0–1 scale, or other).
    se : column of the standard error of ``value``, used as the standard deviation of the draws.
        As in the reference, for a rate or a proportion (``value_type`` 1 or 2) it is read on the
        log or logit scale, where the draws are made. When absent, ``lower`` and ``upper`` (95 %
        limits) give it: ``se = (upper − lower)/(2·1.959964)``, computed on the log (logit) scale
        for rates (proportions).
    value_type : 0 = other (drawn on its own scale), 1 = rate (drawn on the log scale, > 0),
        2 = proportion (0–1, drawn on the logit scale).
    transform : False (default, as the reference): the regression is fitted on the values as
        given. True (``value_type`` 1 or 2, limits required, ``se`` refused, as the reference): it
        is fitted on their log (logit) and the fitted line is converted back to the original units.
    multiplier : factor applied to the SII (e.g. 100 for proportions in percentage points; −1 to
        reverse the direction, which also inverts the RII).
    repetitions : number of simulations for the limits (100,000 as in the reference).
    confidence : 0.95, 0.998 or several levels (one pair of limit columns per level, suffixed
        ``_95_0``, ``_99_8``).
    rii, intercept : also return the RII (with limits) and the intercept, the modelled value at
        rank 0: β0 in the units of ``value`` (not multiplied) when ``transform=False``;
        g(β0) × |multiplier| when ``transform=True`` (both as the reference).
    reliability : also run nine more sets of ``repetitions`` and report ``sii_mad`` (and
        ``rii_mad``): the mean absolute difference between the reported limits and those of each
        rerun, averaged over both limits (per level suffix when several levels).
    by : grouping columns (one SII per group).
    seed : seed (or Generator) of :func:`numpy.random.default_rng`; same seed, same limits.

    Returns
    -------
    One row per group: ``by`` columns, ``sii``, ``sii_lower``, ``sii_upper`` (+ ``rii``,
    ``rii_lower``, ``rii_upper``; ``intercept``; ``sii_mad``/``rii_mad``), ``quantiles`` (number
    used), ``population`` (total), ``method``, ``confidence``.
    """
    levels = as_levels(confidence)
    _check_options(value_type, transform, multiplier, repetitions, levels)
    if transform and se is not None:
        raise StatsInputError("argument_invalid", argument="se", value=se,
                              accepted="None avec transform=True (comme la méthode de référence, la "
                                       "transformation exige les limites lower et upper)")
    layout = _layout(df, quantile, population, value, by)
    centre, sds = _uncertainty(df, layout, value, se, lower, upper, value_type)

    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    positions = _positions(repetitions, levels)
    sets = RELIABILITY_SETS if reliability else 1
    w0, w1 = _wls(layout.shares)
    if transform:
        out_point, sii_limits, rii_limits = _transformed(centre, sds, w0, w1, value_type, multiplier, repetitions,
                                                         positions, rng, sets, rii)
        point0, sii_value, rii_value = out_point
    else:
        point0 = np.einsum("gq,gq->g", w0, layout.values)
        point1 = np.einsum("gq,gq->g", w1, layout.values)
        sii_value = point1 * multiplier
        rii_value = _rii(point0, point1, multiplier)
        sii_limits = np.empty((sets, layout.size, len(positions)))
        rii_limits = np.empty_like(sii_limits) if rii else None
        for s in range(sets):
            _simulate(centre, sds, w0, w1, value_type, multiplier, repetitions, positions, rng, sii_limits[s],
                      rii_limits[s] if rii else None)

    out = layout.groups.frame()
    out["sii"] = sii_value
    _put_limits(out, "sii", sii_limits[0], levels)
    if rii:
        out["rii"] = rii_value
        _put_limits(out, "rii", rii_limits[0], levels)
    if intercept:
        out["intercept"] = point0
    if reliability:
        _put_mad(out, "sii", sii_limits, levels)
        if rii:
            _put_mad(out, "rii", rii_limits, levels)
    out["quantiles"] = layout.counts
    out["population"] = layout.population
    out["method"] = _method_label(value_type, transform, repetitions)
    out["confidence"] = confidence_label(levels)
    return out


def _method_label(value_type: int, transform: bool, repetitions: int) -> str:
    scale = {1: "log", 2: "logit"}.get(value_type)
    if transform:
        return (f"PHE SII: WLS on {scale}-transformed values, back-transformed, simulated limits, "
                f"{repetitions} repetitions")
    draws = f" (draws on the {scale} scale)" if scale else ""
    return f"PHE SII: WLS on relative rank, simulated limits{draws}, {repetitions} repetitions"


def sii_point(shares: np.ndarray, values: np.ndarray) -> tuple[float, float]:
    """β0 and β1 of the weighted regression of ``values`` on the relative rank (one group, in
    quantile order, most deprived first; ``shares`` proportional to the populations)."""
    shares = np.asarray(shares, dtype=float)[None, :]
    w0, w1 = _wls(shares / shares.sum())
    values = np.asarray(values, dtype=float)
    return float(w0[0] @ values), float(w1[0] @ values)


# --------------------------------------------------------------------------------------------------
# Layout: groups × quantiles, padded with zero population


class _Layout:
    """Rows of ``df`` arranged as (groups × quantiles) matrices, quantiles in increasing order,
    padded with zero-population cells on the right for groups with fewer quantiles."""

    def __init__(self, groups: Groups, order: np.ndarray, counts: np.ndarray, column: np.ndarray,
                 pop: np.ndarray, values: np.ndarray):
        self.groups = groups
        self.size = groups.size
        self.order = order  # row numbers sorted by (group, quantile)
        self.counts = counts
        self.width = int(counts.max()) if counts.size else 0
        self.row = groups.codes[order]
        self.col = column
        self.mask = np.zeros((self.size, self.width), dtype=bool)
        self.mask[self.row, self.col] = True
        self.population = self.spread(pop).sum(axis=1)
        self.shares = self.spread(pop) / self.population[:, None]
        self.values = self.spread(values)

    def spread(self, column_values: np.ndarray) -> np.ndarray:
        """A per-row array (original row order) as a padded (groups × quantiles) matrix."""
        out = np.zeros((self.size, self.width))
        out[self.row, self.col] = np.asarray(column_values, dtype=float)[self.order]
        return out


def _layout(df: pd.DataFrame, quantile: str, population: str, value: str, by) -> _Layout:
    require_columns(df, [quantile, population, value, *by_columns(by)])
    groups = Groups(df, by)
    q = numeric_column(df, quantile, argument="quantile")
    pop = numeric_column(df, population, argument="population")
    val = numeric_column(df, value, argument="value")
    why = "chaque quantile doit avoir une valeur pour calculer l'indice de pente"
    for name, array in ((quantile, q), (population, pop), (value, val)):
        refuse_rows(np.isnan(array), "values_missing", df, name, array, why=why)
    refuse_rows(pop <= 0, "denominator_not_positive", df, population, pop)

    order = np.lexsort((q, groups.codes))
    codes = groups.codes[order]
    counts = np.bincount(codes, minlength=groups.size)
    for g in np.flatnonzero((counts < MIN_QUANTILES) | (counts > MAX_QUANTILES)):
        raise StatsInputError("inequality_quantile_count", group=_describe(groups, g), count=int(counts[g]),
                              column=quantile)
    sorted_q = q[order]
    same = (codes[1:] == codes[:-1]) & (sorted_q[1:] == sorted_q[:-1])
    if same.any():
        i = int(np.flatnonzero(same)[0])
        raise StatsInputError("inequality_subgroup_duplicate", group=_describe(groups, codes[i]),
                              value=_plain(sorted_q[i]), column=quantile, what="quantile")
    many = np.flatnonzero(counts > WARN_QUANTILES)
    if many.size:
        warnings.warn(
            f"{plural(int(many.size), 'groupe a', 'groupes ont')} plus de {WARN_QUANTILES} quantiles "
            f"(par ex. {_describe(groups, many[0])} : {int(counts[many[0]])}) ; la méthode PHE est conçue pour "
            "des déciles ou des quintiles.",
            InequalityWarning, stacklevel=3)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    column = np.arange(len(order)) - starts[codes]
    return _Layout(groups, order, counts, column, pop, val)


def _plain(value: float):
    value = float(value)
    return int(value) if value.is_integer() else value


# --------------------------------------------------------------------------------------------------
# Checks and standard errors


def _check_options(value_type, transform, multiplier, repetitions, levels) -> None:
    if value_type not in _VALUE_TYPES:
        raise StatsInputError("argument_invalid", argument="value_type", value=value_type,
                              accepted="0 (autre), 1 (taux), 2 (proportion)")
    if transform not in (True, False):
        raise StatsInputError("argument_invalid", argument="transform", value=transform, accepted="True, False")
    if transform and value_type == 0:
        raise StatsInputError("argument_invalid", argument="value_type", value=value_type,
                              accepted="1 (taux, échelle log) ou 2 (proportion, échelle logit) avec transform=True")
    if not isinstance(multiplier, (int, float, np.number)) or isinstance(multiplier, bool) \
            or not math.isfinite(multiplier) or multiplier == 0:
        raise StatsInputError("argument_invalid", argument="multiplier", value=multiplier,
                              accepted="un nombre fini non nul (ex. 1, 100, -1)")
    smallest = min(round(repetitions * (1 - c) / 2) for c in levels) if _is_count(repetitions) else 0
    if not _is_count(repetitions) or smallest < 1:
        raise StatsInputError("argument_invalid", argument="repetitions", value=repetitions,
                              accepted="un entier assez grand pour situer les limites (au moins 1000 conseillé)")


def _is_count(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool) and value > 0


def _uncertainty(df, layout: _Layout, value, se, lower, upper, value_type):
    """Centres and standard deviations of the draws, as padded (groups × quantiles) matrices.

    The draws are made on the log scale for rates and the logit scale for proportions, as the
    reference does whatever ``transform``: the centre is the log (logit) of the value and the
    standard deviation is the ``se`` column as given, or (f(upper) − f(lower))/(2·z).
    """
    raw = numeric_column(df, value, argument="value")
    val = layout.spread(raw)
    if value_type == 2:
        refuse_rows((raw < 0) | (raw > 1), "inequality_value_out_of_range", df, value, raw,
                    why="une proportion (value_type=2) s'exprime entre 0 et 1 ; utilisez multiplier=100 "
                        "pour un résultat en points de pourcentage")
        refuse_rows((raw == 0) | (raw == 1), "inequality_value_out_of_range", df, value, raw,
                    why="une proportion (value_type=2) est tirée sur l'échelle logit, comme dans la méthode de "
                        "référence : elle doit être strictement entre 0 et 1 (sinon, value_type=0)")
    elif value_type == 1:
        refuse_rows(raw <= 0, "inequality_value_out_of_range", df, value, raw,
                    why="un taux (value_type=1) est tiré sur l'échelle logarithmique, comme dans la méthode de "
                        "référence : il doit être strictement positif (sinon, value_type=0)")
    mask = layout.mask
    if se is not None:
        require_columns(df, [se])
        sd = numeric_column(df, se, argument="se")
        refuse_rows(np.isnan(sd), "values_missing", df, se, sd,
                    why="l'erreur type de chaque quantile est nécessaire aux limites simulées")
        refuse_rows(sd < 0, "inequality_value_out_of_range", df, se, sd,
                    why="une erreur type est positive ou nulle")
        sds = layout.spread(sd)
    else:
        if lower is None or upper is None:
            raise StatsInputError("inequality_uncertainty_missing",
                                  why="les limites simulées de l'indice de pente en ont besoin")
        require_columns(df, [lower, upper])
        low = numeric_column(df, lower, argument="lower")
        high = numeric_column(df, upper, argument="upper")
        why = "les limites de confiance de chaque quantile sont nécessaires aux limites simulées"
        refuse_rows(np.isnan(low), "values_missing", df, lower, low, why=why)
        refuse_rows(np.isnan(high), "values_missing", df, upper, high, why=why)
        refuse_rows(low > raw, "inequality_value_out_of_range", df, lower, low,
                    why=f"la limite inférieure dépasse la valeur (colonne « {value} »)")
        refuse_rows(high < raw, "inequality_value_out_of_range", df, upper, high,
                    why=f"la limite supérieure est inférieure à la valeur (colonne « {value} »)")
        if value_type == 1:
            refuse_rows(low <= 0, "inequality_value_out_of_range", df, lower, low,
                        why="l'erreur type d'un taux (value_type=1) se lit sur l'échelle logarithmique : "
                            "les limites doivent être strictement positives")
        elif value_type == 2:
            why = ("l'erreur type d'une proportion (value_type=2) se lit sur l'échelle logit : les limites "
                   "doivent être strictement entre 0 et 1")
            refuse_rows((low <= 0) | (low >= 1), "inequality_value_out_of_range", df, lower, low, why=why)
            refuse_rows((high <= 0) | (high >= 1), "inequality_value_out_of_range", df, upper, high, why=why)
        sds = layout.spread((_forward(high, value_type) - _forward(low, value_type)) / (2 * LIMITS_Z))
    centre = np.where(mask, _forward(np.where(mask, val, 0.5), value_type), 0.0)
    return centre, np.where(mask, sds, 0.0)


def _forward(x: np.ndarray, value_type: int) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    if value_type == 1:
        return np.log(x)
    if value_type == 2:
        return np.log(x / (1 - x))
    return x


def _backward(x: np.ndarray, value_type: int) -> np.ndarray:
    if value_type == 1:
        return np.exp(x)
    if value_type == 2:
        return 1 / (1 + np.exp(-x))
    return x


# --------------------------------------------------------------------------------------------------
# Closed-form weighted least squares and simulation


def _wls(shares: np.ndarray):
    """Weights w0, w1 (groups × quantiles) such that β0 = Σ w0·y and β1 = Σ w1·y for any values y.

    With shares p_j (summing to 1 per group), rank b_j = cumulative share − p_j/2 and
    S1 = Σ p b, S2 = Σ p b²: β1 = Σ p (b − S1) y / (S2 − S1²), β0 = Σ p (S2 − S1 b) y / (S2 − S1²).
    Zero-share padding cells get zero weights.
    """
    rank = np.cumsum(shares, axis=1) - shares / 2
    s1 = np.sum(shares * rank, axis=1, keepdims=True)
    s2 = np.sum(shares * rank * rank, axis=1, keepdims=True)
    det = s2 - s1 * s1
    w1 = shares * (rank - s1) / det
    w0 = shares * (s2 - s1 * rank) / det
    return w0, w1


def _rii(beta0, beta1, multiplier):
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (beta0 + beta1) / beta0
        return 1 / ratio if multiplier < 0 else ratio


def _positions(repetitions: int, levels: list[float]) -> list[int]:
    """0-based indices of the sorted draws that give the limits: lower then upper for each level."""
    out = []
    for c in levels:
        alpha = 1 - c
        out += [int(round(repetitions * alpha / 2)) - 1, int(round(repetitions * (1 - alpha / 2))) - 1]
    return out


def _simulate(values, sds, w0, w1, scale, multiplier, repetitions, positions, rng, sii_out, rii_out) -> None:
    """Fill ``sii_out`` (and ``rii_out``), groups × positions, with the order statistics of the
    simulated SII (RII) at ``positions``. ``scale``: 0 = draw on the original scale, 1 = log, 2 = logit.

    Groups are processed in blocks (bounded memory for the sorted statistics), repetitions in
    chunks; each chunk has its own random stream spawned from ``rng`` in a fixed order, so the
    result depends on the seed only, not on the number of threads that run the chunks.
    """
    groups, width = values.shape
    weights = np.stack([w0, w1], axis=2)  # groups × quantiles × 2
    # Untransformed draws: β0, β1 of a repetition are β_point + Σ_q z_q·se_q·w_q (one matmul).
    scaled = weights * sds[:, :, None] if scale == 0 else None
    block = max(1, min(groups, _STAT_CELLS // repetitions))
    kth = sorted(set(positions))
    with ThreadPoolExecutor(max_workers=_workers()) as pool:
        for g0 in range(0, groups, block):
            g1 = min(groups, g0 + block)
            nb = g1 - g0
            betas = np.empty((2, nb, repetitions))
            chunk = max(1, _DRAW_CELLS // max(1, nb * width))
            starts = range(0, repetitions, chunk)
            streams = rng.spawn(len(starts))

            def run(r0: int, stream: np.random.Generator, g0=g0, g1=g1, nb=nb, chunk=chunk, betas=betas) -> None:
                r1 = min(repetitions, r0 + chunk)
                z = stream.standard_normal((nb, r1 - r0, width))
                if scale == 0:
                    part = np.matmul(z, scaled[g0:g1])
                else:
                    z *= sds[g0:g1, None, :]
                    z += values[g0:g1, None, :]
                    part = np.matmul(_backward(z, scale), weights[g0:g1])
                betas[:, :, r0:r1] = np.moveaxis(part, 2, 0)

            list(pool.map(run, starts, streams))
            b0, b1 = betas
            if scale == 0:
                b0 += np.einsum("gq,gq->g", w0[g0:g1], values[g0:g1])[:, None]
                b1 += np.einsum("gq,gq->g", w1[g0:g1], values[g0:g1])[:, None]
            if rii_out is not None:
                ratio = _rii(b0, b1, multiplier)
                ratio[np.isnan(ratio)] = np.inf
                ratio.partition(kth, axis=1)
                rii_out[g0:g1] = ratio[:, positions]
                del ratio
            b1 *= multiplier
            b1.partition(kth, axis=1)
            sii_out[g0:g1] = b1[:, positions]


def _transformed(centre, sds, w0, w1, value_type, multiplier, repetitions, positions, rng, sets, rii):
    """``transform=True``: the regression is fitted on the log (logit) values ``centre`` and converted
    back to the original units, as the reference does.

    With β0, β1 fitted on the transformed scale and g the inverse transformation (exp, logistic):
    SII = (g(β0 + β1) − g(β0))·multiplier, RII = g(β0 + β1)/g(β0), intercept = g(β0)·|multiplier|.
    Limits: the slope is simulated on the transformed scale (draws not turned back); a slope s is
    read as the line through the fitted mid-rank value m = β0 + β1/2, so it becomes
    g(m + s/2) − g(m − s/2) (an increasing function of s) and the ratio g(m + s/2)/g(m − s/2).
    A negative multiplier swaps the lower and upper limits and inverts the RII.

    Returns ((intercept, sii, rii), sii limits, rii limits or None); the limits are arrays
    (sets × groups × positions).
    """
    beta0 = np.einsum("gq,gq->g", w0, centre)
    beta1 = np.einsum("gq,gq->g", w1, centre)
    at0, at1 = _backward(beta0, value_type), _backward(beta0 + beta1, value_type)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = at1 / at0
    point = (at0 * abs(multiplier), (at1 - at0) * multiplier, 1 / ratio if multiplier < 0 else ratio)

    slopes = np.empty((sets, centre.shape[0], len(positions)))
    for s in range(sets):
        _simulate(centre, sds, w0, w1, 0, 1, repetitions, positions, rng, slopes[s], None)
    mid = (beta0 + beta1 / 2)[None, :, None]
    low_end, high_end = _backward(mid - slopes / 2, value_type), _backward(mid + slopes / 2, value_type)
    gap = (high_end - low_end) * multiplier
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = high_end / low_end
    if multiplier < 0:  # the lower slope now gives the upper limit, and the RII is inverted
        swap = np.arange(len(positions)).reshape(-1, 2)[:, ::-1].ravel()
        gap, ratios = gap[..., swap], 1 / ratios[..., swap]
    return point, gap, (ratios if rii else None)


def _workers() -> int:
    """Threads for the simulation (NumPy's generators and matmul release the GIL)."""
    try:
        count = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        count = os.cpu_count() or 1
    return max(1, min(count, 8))


def _put_limits(out: pd.DataFrame, prefix: str, limits: np.ndarray, levels: list[float]) -> None:
    for i, (low, high) in enumerate(limit_columns(levels)):
        out[f"{prefix}_{low}"] = limits[:, 2 * i]
        out[f"{prefix}_{high}"] = limits[:, 2 * i + 1]


def _put_mad(out: pd.DataFrame, prefix: str, limits: np.ndarray, levels: list[float]) -> None:
    """Mean absolute difference between the limits of the first set and those of each rerun."""
    diff = np.abs(limits[1:] - limits[0][None])  # reruns × groups × positions
    for i, (low, _) in enumerate(limit_columns(levels)):
        suffix = low[len("lower"):]
        out[f"{prefix}_mad{suffix}"] = diff[:, :, 2 * i:2 * i + 2].mean(axis=(0, 2))


def _describe(groups: Groups, g: int) -> str:
    """French description of group number ``g`` (plain values, not NumPy reprs)."""
    return describe_group(groups.by, list(groups.keys.iloc[g]) if groups.by else [])
