"""Concentration index of a health variable by socio-economic rank (individual or grouped data).

Rows are individuals (``population=None``: weight 1 each) or groups (``population``: frequency
weights, e.g. the population of each deprivation quintile). Rows are ranked by ``rank_by``
(lowest = most disadvantaged, e.g. income or the quintile number from most deprived); the weighted
fractional rank is ``R_i = (W_<i + w_i/2)/W``, where W_<i is the weight of the rows ranked before
i; rows with equal ``rank_by`` share the rank of their block (``(W_before + W_block/2)/W``).

- ``kind="relative"``: ``C = 2·cov_w(h, R)/μ`` (unitless, between −1 and 1 for h ≥ 0).
- ``kind="generalised"``: ``GC = 2·cov_w(h, R) = μ·C`` (units of ``value``); on grouped data it is
  the WHO "absolute concentration index" (ACI) and ``C`` the "relative" one (RCI) of :mod:`heat`.
- ``correction="wagstaff"``: ``C·(b − a)·μ/((b − μ)(μ − a))`` (= C/(1 − μ) for a binary variable);
  ``correction="erreygers"``: ``4μ/(b − a)·C``; ``bounds=(a, b)`` of the variable, (0, 1) by
  default. Both require ``kind="relative"``.

Direction: > 0 when the variable is concentrated among the advantaged (higher ranks); for an
adverse health variable (illness), a negative index means inequality against the disadvantaged.

Standard error (``se_method``):

- ``"regression"`` (default): the "convenient regression" of Kakwani, Wagstaff & van Doorslaer
  (1997), ``2σ_R²·h/μ = α + β·R`` by weighted least squares (weights w; σ_R² = Σ w (R − ½)²/W):
  β = C and se = its OLS standard error (the WHO HEAT code's choice; identical to
  :func:`equisante.stats.summary_measures` for ACI/RCI on grouped data). It ignores the sampling
  variability of μ and the serial correlation of the ranks.
- ``"kakwani"``: the asymptotic (delta-method) variance of Kakwani, Wagstaff & van Doorslaer
  (1997), ``var(C) = [Σ a_i²/n − (1 + C)²]/n``, ``a_i = (h_i/μ)(2R_i − 1 − C) + 2 − q_{i−1} − q_i``,
  q_i the concentration-curve ordinate (cumulative share of h) — individual data only
  (``population=None``).

For the generalised and corrected indices the se is the relative one times the same factor (μ,
Wagstaff or Erreygers factor), μ being treated as fixed. Limits: index ± z·se.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from equisante.stats._common import (as_levels, by_columns, confidence_label, describe_group, limit_columns,
                                     require_columns, z_value)
from equisante.stats._frame import Groups, numeric_column, refuse_rows
from equisante.stats.errors_inequality import StatsInputError  # also declares the catalogue entries

__all__ = ["concentration_index", "fractional_rank"]


def concentration_index(
    df: pd.DataFrame,
    value: str,
    rank_by: str,
    *,
    population: str | None = None,
    by: str | Iterable[str] | None = None,
    kind: str = "relative",
    correction: str | None = None,
    bounds: tuple[float, float] | None = None,
    confidence: float | Sequence[float] = 0.95,
    se_method: str = "regression",
) -> pd.DataFrame:
    """Concentration index of ``value`` by the rank of ``rank_by`` (see the module docstring).

    Returns one row per group: ``by`` columns, ``value`` (the index), ``se``, ``lower``, ``upper``
    (one pair per confidence level), ``mean`` (weighted mean μ of ``value``), ``rows``,
    ``population`` (total weight), ``method``, ``confidence``.
    """
    levels = as_levels(confidence)
    if kind not in ("relative", "generalised"):
        raise StatsInputError("argument_invalid", argument="kind", value=kind, accepted="'relative', 'generalised'")
    if correction not in (None, "wagstaff", "erreygers"):
        raise StatsInputError("argument_invalid", argument="correction", value=correction,
                              accepted="None, 'wagstaff', 'erreygers'")
    if correction is not None and kind != "relative":
        raise StatsInputError("argument_invalid", argument="kind", value=kind,
                              accepted="'relative' (les corrections s'appliquent à l'indice relatif)")
    if se_method not in ("regression", "kakwani"):
        raise StatsInputError("argument_invalid", argument="se_method", value=se_method,
                              accepted="'regression', 'kakwani'")
    if se_method == "kakwani" and population is not None:
        raise StatsInputError("argument_invalid", argument="se_method", value=se_method,
                              accepted="'regression' (la formule de Kakwani suppose des données individuelles, "
                                       "sans pondération)")
    low_b, high_b = (0.0, 1.0) if bounds is None else _bounds(bounds)

    require_columns(df, [value, rank_by, *([population] if population else []), *by_columns(by)])
    groups = Groups(df, by)
    h = numeric_column(df, value, argument="value")
    key = numeric_column(df, rank_by, argument="rank_by")
    why = "chaque ligne doit avoir une valeur et un rang pour l'indice de concentration"
    refuse_rows(np.isnan(h), "values_missing", df, value, h, why=why)
    refuse_rows(np.isnan(key), "values_missing", df, rank_by, key, why=why)
    if population is not None:
        w = numeric_column(df, population, argument="population")
        refuse_rows(np.isnan(w), "values_missing", df, population, w, why=why)
        refuse_rows(w <= 0, "denominator_not_positive", df, population, w)
    else:
        w = np.ones(len(df))
    if correction is not None:
        refuse_rows((h < low_b) | (h > high_b), "inequality_value_out_of_range", df, value, h,
                    why=f"la correction de {correction.capitalize()} suppose des valeurs entre {low_b:g} et "
                        f"{high_b:g} (argument bounds)")

    order = np.lexsort((key, groups.codes))
    codes = groups.codes[order]
    bounds_idx = np.concatenate(([0], np.cumsum(np.bincount(codes, minlength=groups.size))))
    size = groups.size
    index, se, mean, weight = (np.full(size, np.nan) for _ in range(4))
    rows = np.zeros(size, dtype=np.int64)
    for g in range(size):
        sel = order[bounds_idx[g]:bounds_idx[g + 1]]
        where = _describe(groups, g)
        if sel.size < 2:
            raise StatsInputError("inequality_too_few_subgroups", group=where, count=int(sel.size), minimum=2,
                                  why="calculer un indice de concentration")
        hg, wg, kg = h[sel], w[sel], key[sel]
        rank = fractional_rank(kg, wg)
        mu = float(wg @ hg / wg.sum())
        if not mu > 0:
            raise StatsInputError("inequality_mean_zero", group=where, column=value,
                                  why="l'indice de concentration divise par la moyenne")
        rel = float(2 * np.sum(wg * (hg - mu) * (rank - 0.5)) / wg.sum() / mu)
        if se_method == "regression":
            rel_se = _regression_se(hg, wg, rank, mu) if sel.size > 2 else np.nan
        else:
            rel_se = _kakwani_se(hg, rank, mu, rel)
        factor = 1.0
        if kind == "generalised":
            factor = mu
        elif correction == "wagstaff":
            factor = (high_b - low_b) * mu / ((high_b - mu) * (mu - low_b))
        elif correction == "erreygers":
            factor = 4 * mu / (high_b - low_b)
        index[g], se[g], mean[g], weight[g], rows[g] = rel * factor, rel_se * factor, mu, wg.sum(), sel.size

    out = groups.frame()
    out["value"] = index
    out["se"] = se
    for c, (low, high) in zip(levels, limit_columns(levels)):
        out[low] = index - z_value(c) * se
        out[high] = index + z_value(c) * se
    out["mean"] = mean
    out["rows"] = rows
    out["population"] = weight
    label = {"relative": "relative concentration index", "generalised": "generalised concentration index"}[kind]
    if correction:
        label = f"{correction.capitalize()}-corrected concentration index"
    se_label = "KWvD convenient regression" if se_method == "regression" else "Kakwani-Wagstaff-van Doorslaer variance"
    out["method"] = f"{label}, se: {se_label}"
    out["confidence"] = confidence_label(levels)
    return out


def fractional_rank(key: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted fractional rank in (0, 1) of each element of ``key`` (ties share their block's
    mid-point rank); the weighted mean of the ranks is exactly ½."""
    key = np.asarray(key, dtype=float)
    weights = np.asarray(weights, dtype=float)
    order = np.argsort(key, kind="stable")
    sorted_key, sorted_w = key[order], weights[order]
    starts = np.flatnonzero(np.concatenate(([True], sorted_key[1:] != sorted_key[:-1])))
    block_w = np.add.reduceat(sorted_w, starts)
    before = np.concatenate(([0.0], np.cumsum(block_w)[:-1]))
    block_rank = (before + block_w / 2) / sorted_w.sum()
    block_of = np.repeat(np.arange(starts.size), np.diff(np.concatenate((starts, [key.size]))))
    rank = np.empty_like(key)
    rank[order] = block_rank[block_of]
    return rank


def _bounds(bounds) -> tuple[float, float]:
    try:
        low, high = (float(b) for b in bounds)
    except (TypeError, ValueError):
        raise StatsInputError("argument_invalid", argument="bounds", value=bounds,
                              accepted="un couple (minimum, maximum) avec minimum < maximum") from None
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise StatsInputError("argument_invalid", argument="bounds", value=bounds,
                              accepted="un couple (minimum, maximum) avec minimum < maximum")
    return low, high


def _regression_se(h, w, rank, mu) -> float:
    """OLS se of β in 2σ_R²(h/μ)√w = α√w + β R√w + e (no constant): the convenient regression."""
    W = w.sum()
    sigma2 = float(np.sum(w * (rank - 0.5) ** 2) / W)
    root = np.sqrt(w)
    lhs = 2 * sigma2 * (h / mu) * root
    design = np.column_stack([rank * root, root])
    coef, *_ = np.linalg.lstsq(design, lhs, rcond=None)
    resid = lhs - design @ coef
    s2 = float(resid @ resid) / (h.size - 2)
    return float(np.sqrt(s2 * np.linalg.inv(design.T @ design)[0, 0]))


def _kakwani_se(h, rank, mu, index) -> float:
    """Kakwani, Wagstaff & van Doorslaer (1997) variance of C for n unweighted observations."""
    order = np.argsort(rank, kind="stable")
    hs, rs = h[order], rank[order]
    n = h.size
    q = np.cumsum(hs) / (n * mu)
    q_prev = np.concatenate(([0.0], q[:-1]))
    a = hs / mu * (2 * rs - 1 - index) + 2 - q_prev - q
    var = (np.sum(a ** 2) / n - (1 + index) ** 2) / n
    return float(np.sqrt(var)) if var >= 0 else np.nan


def _describe(groups: Groups, g: int) -> str:
    """French description of group number ``g`` (plain values, not NumPy reprs)."""
    return describe_group(groups.by, list(groups.keys.iloc[g]) if groups.by else [])
