"""Summary measures of health inequality, WHO Health Equity Assessment Toolkit (HEAT Plus).

Reference implementation: the R package ``healthequal`` (WHO); formulas in
``docs/stats.md`` (section "Inequality measures") and
``shared/domain/STATS_METHODS.md`` §7.

Input: one row per subgroup (per ``by`` group) with its estimate ``y_j`` (on a 0–``scale`` scale,
e.g. a percentage for ``scale=100``), its standard error ``σ_j`` and its population ``pop_j``.
Population shares ``p_j = pop_j/N``; setting average ``μ = Σ p_j y_j``. For an *ordered* dimension
(``order`` given: 1 = most disadvantaged, increasing towards the most advantaged) the rank of a
subgroup is ``X_j = Σ_{k<j} p_k + p_j/2``.

Direction conventions (``favourable=True``: higher is better, e.g. coverage; ``False``: adverse,
e.g. mortality):

- D, R (ordered): most advantaged − (÷) most disadvantaged for favourable indicators, the reverse
  for adverse ones, so that D > 0 (R > 1) means the disadvantaged are worse off.
  Non-ordered: highest − (÷) lowest estimate. Non-ordered with a reference subgroup: the subgroup k
  farthest from the reference (largest |y_k − y_ref|) is compared with it, oriented as if the
  reference were the advantaged one: ``y_ref − y_k`` (favourable), ``y_k − y_ref`` (adverse); the
  ratio likewise. So D > 0 means subgroup k is worse off than the reference.
- ACI, RCI, SII, RII are not re-oriented: ACI, RCI, SII > 0 and RII > 1 mean the estimate is
  higher among the advantaged (inequality for a favourable indicator, the reverse for an adverse one).
- BGV, BGSD, COV, MD*, IDIS*, TI, MLD are ≥ 0 (0 = equality), whatever the direction.
- PAF (in %), PAR (in units of the estimate): gain if every subgroup reached the reference
  subgroup; > 0 for favourable, < 0 for adverse indicators, 0 when the reference is worse than μ.

Reference subgroup of PAF, PAR: the ``reference`` subgroup when given; otherwise the most
advantaged subgroup (highest ``order``) for an ordered dimension, the best performing subgroup
(highest estimate if favourable, lowest if adverse) for a non-ordered one. MDRU/MDRW need a
``reference``.

Standard errors and limits (``method`` column):

- ``analytic``: estimate ± z·se (D, BGV, TI, MLD, PAF, PAR).
- ``delta (log scale)``: R and RII, ``se`` is the standard error of the *logarithm*, limits
  exp(ln estimate ± z·se).
- ``regression``: ACI and RCI, se of the "convenient regression" (Kakwani, Wagstaff & van Doorslaer
  1997) as in the WHO code; ``aci_se="formula"`` uses the technical notes'
  ``var(ACI) = Σ p_j² σ_j² (2X_j − 1)²`` instead (RCI: divided by μ).
- ``delta (HC1)``: SII, RII from ``glm(cbind(y, pop − y) ~ rank, weights = pop, binomial)``
  (effective weights pop², y = round(estimate/scale·pop)), sandwich variance HC1, delta method;
  ``sii_model="linear"`` fits weighted least squares of the estimate on the rank (weights pop)
  instead. SII is v1 − v0 (modelled estimates at rank 1 and 0) in units of the estimate, so its
  se is ``scale`` times the se on the 0–1 scale published by WHO.
- ``simulation``: BGSD, COV, MDMU, MDMW, MDBU, MDBW, MDRU, MDRW, IDISU, IDISW: ``simulations``
  draws ``y_j ~ N(y_j, σ_j)`` truncated to [0, scale], measure recomputed per draw (best subgroup
  re-chosen per draw; the reference subgroup stays the same subgroup), limits = percentiles
  α/2 and 1 − α/2 (linear interpolation); ``se`` is NaN for these measures.

Units: the estimate's units for D, ACI, SII, BGSD, MD*, PAR; squared units for BGV; RCI unitless;
COV, IDIS*, PAF in %; TI and MLD × 1000.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import stats as sps

from equisante.stats._common import (as_levels, by_columns, confidence_label, describe_group, limit_columns,
                                     require_columns, z_value)
from equisante.stats._frame import Groups, numeric_column, refuse_rows
from equisante.stats.errors_inequality import StatsInputError  # also declares the catalogue entries

__all__ = ["summary_measures", "MEASURES", "ORDERED_ONLY", "DEFAULT_ORDERED", "DEFAULT_NON_ORDERED"]

MEASURES = ("D", "R", "ACI", "RCI", "SII", "RII", "BGV", "BGSD", "COV", "MDMU", "MDMW", "MDBU", "MDBW",
            "MDRU", "MDRW", "IDISU", "IDISW", "TI", "MLD", "PAF", "PAR")
ORDERED_ONLY = ("ACI", "RCI", "SII", "RII")
REFERENCE_ONLY = ("MDRU", "MDRW")
#: Measures reported by default (as in HEAT) for ordered and non-ordered dimensions.
DEFAULT_ORDERED = ("D", "R", "ACI", "RCI", "SII", "RII", "PAF", "PAR")
DEFAULT_NON_ORDERED = ("D", "R", "BGV", "BGSD", "COV", "MDMU", "MDMW", "MDBU", "MDBW", "MDRU", "MDRW",
                       "IDISU", "IDISW", "TI", "MLD", "PAF", "PAR")
#: Measures that divide by the setting average μ (not defined when μ = 0).
MEAN_BASED = ("ACI", "RCI", "COV", "IDISU", "IDISW", "TI", "MLD", "PAF", "PAR")
SIMULATED = ("BGSD", "COV", "MDMU", "MDMW", "MDBU", "MDBW", "MDRU", "MDRW", "IDISU", "IDISW")

_NOT_ORDERED = "mesure réservée aux dimensions ordonnées (argument order)"
_NO_REFERENCE = "mesure qui exige un sous-groupe de référence (argument reference)"


def summary_measures(
    df: pd.DataFrame,
    estimate: str,
    se: str,
    population: str,
    *,
    order: str | None = None,
    favourable: bool = True,
    scale: float = 100,
    reference: str | None = None,
    measures: Sequence[str] | None = None,
    by: str | Iterable[str] | None = None,
    simulations: int = 100,
    seed: int | np.random.Generator | None = None,
    confidence: float | Sequence[float] = 0.95,
    aci_se: str = "regression",
    sii_model: str = "logistic",
    rci_correction: str | None = None,
) -> pd.DataFrame:
    """The WHO HEAT Plus summary measures of inequality between subgroups, per group.

    Parameters
    ----------
    df : one row per subgroup (and per ``by`` group).
    estimate, se, population : columns of the subgroup estimate (0 ≤ y ≤ ``scale``), its standard
        error and its population (> 0).
    order : column giving the subgroup order of an ordered dimension (1 = most disadvantaged,
        higher = more advantaged; distinct within a group); None for a non-ordered dimension.
    favourable : True when higher is better (coverage), False for an adverse indicator (mortality).
    scale : the indicator's scale (100 for percentages, 1000 per thousand…): truncation bound of
        the simulations, denominator of the logistic SII and of the PAF variance.
    reference : column of booleans marking the reference subgroup (exactly one per group).
    measures : subset of :data:`MEASURES`. None: the measures HEAT reports for this kind of
        dimension (:data:`DEFAULT_ORDERED` or :data:`DEFAULT_NON_ORDERED`, MDRU/MDRW only with a
        reference). A requested measure that does not apply (ACI, RCI, SII, RII on a non-ordered
        dimension; MDRU, MDRW without reference) gives a row of NaN with the reason in ``note``; so
        does a measure that is not defined for the data: those dividing by μ (:data:`MEAN_BASED`)
        when μ = 0, R when one of the two compared estimates is 0, MLD when an estimate is 0,
        SII/RII when the logistic model cannot be fitted (no event, or only events).
    by : grouping columns; one set of measures per group.
    simulations, seed : number of draws of the simulation intervals (100 as in WHO) and seed of
        :func:`numpy.random.default_rng`.
    confidence : level(s) of the intervals (several: ``lower_95_0``… columns).
    aci_se : ``"regression"`` (WHO code, default) or ``"formula"`` (technical notes).
    sii_model : ``"logistic"`` (WHO default) or ``"linear"``.
    rci_correction : None, ``"wagstaff"`` (RCI/(1 − μ/scale)) or ``"erreygers"`` (4μ/scale·RCI).

    Returns
    -------
    Long table: ``by`` columns, ``measure``, ``estimate``, ``se``, ``lower``, ``upper``, ``method``,
    ``confidence``, ``note`` (empty unless the measure is not applicable or is forced to 0).
    """
    levels = as_levels(confidence)
    _check_options(favourable, scale, simulations, aci_se, sii_model, rci_correction)
    wanted = _requested(measures)
    require_columns(df, [estimate, se, population, *(c for c in (order, reference) if c), *by_columns(by)])
    groups = Groups(df, by)
    y = numeric_column(df, estimate, argument="estimate")
    s = numeric_column(df, se, argument="se")
    pop = numeric_column(df, population, argument="population")
    why = "chaque sous-groupe doit avoir une estimation, une erreur type et une population"
    for name, array in ((estimate, y), (se, s), (population, pop)):
        refuse_rows(np.isnan(array), "values_missing", df, name, array, why=why)
    refuse_rows(pop <= 0, "denominator_not_positive", df, population, pop)
    refuse_rows(s < 0, "inequality_value_out_of_range", df, se, s, why="une erreur type est positive ou nulle")
    refuse_rows((y < 0) | (y > scale), "inequality_value_out_of_range", df, estimate, y,
                why=f"les estimations doivent être comprises entre 0 et scale ({scale:g})")
    rank = None
    if order is not None:
        rank = numeric_column(df, order, argument="order")
        refuse_rows(np.isnan(rank), "values_missing", df, order, rank,
                    why="une dimension ordonnée exige le rang de chaque sous-groupe")
    ref = None
    if reference is not None:
        given = df[reference].notna().to_numpy()
        ref = np.zeros(len(df), dtype=bool)
        ref[given] = df[reference].to_numpy(dtype=object)[given].astype(bool)  # missing = not the reference

    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    options = dict(favourable=bool(favourable), scale=float(scale), simulations=int(simulations), rng=rng,
                   levels=levels, aci_se=aci_se, sii_model=sii_model, rci_correction=rci_correction)
    order_rows = np.argsort(groups.codes, kind="stable")
    bounds = np.concatenate(([0], np.cumsum(np.bincount(groups.codes, minlength=groups.size))))
    frames = []
    for g in range(groups.size):
        rows = order_rows[bounds[g]:bounds[g + 1]]
        where = _describe(groups, g)
        if rank is not None:
            rows = rows[np.argsort(rank[rows], kind="stable")]
            dup = np.flatnonzero(np.diff(rank[rows]) == 0)
            if dup.size:
                raise StatsInputError("inequality_subgroup_duplicate", group=where, value=_plain(rank[rows][dup[0]]),
                                      column=order, what="rang de sous-groupe")
        if rows.size < 2:
            raise StatsInputError("inequality_too_few_subgroups", group=where, count=int(rows.size), minimum=2,
                                  why="comparer des sous-groupes")
        ref_index = None
        if ref is not None:
            hits = np.flatnonzero(ref[rows])
            if hits.size != 1:
                raise StatsInputError("inequality_reference_invalid", group=where, count=int(hits.size),
                                      column=reference)
            ref_index = int(hits[0])
        table = _group_measures(y[rows], s[rows], pop[rows], rank is not None, ref_index, wanted, where, **options)
        keys = groups.keys.iloc[[g] * len(table)].reset_index(drop=True) if groups.by else None
        frames.append(pd.concat([keys, table], axis=1) if keys is not None else table)
    if not frames:  # no row at all
        columns = ["measure", "estimate", "se", *(c for pair in limit_columns(levels) for c in pair), "method",
                   "confidence", "note"]
        return pd.concat([groups.keys.iloc[:0], pd.DataFrame(columns=columns)], axis=1)
    return pd.concat(frames, ignore_index=True)


# --------------------------------------------------------------------------------------------------
# Options


def _check_options(favourable, scale, simulations, aci_se, sii_model, rci_correction) -> None:
    if favourable not in (True, False):
        raise StatsInputError("argument_invalid", argument="favourable", value=favourable,
                              accepted="True (plus élevé = meilleur) ou False (indicateur défavorable)")
    if not isinstance(scale, (int, float, np.number)) or isinstance(scale, bool) or not np.isfinite(scale) \
            or scale <= 0:
        raise StatsInputError("argument_invalid", argument="scale", value=scale,
                              accepted="un nombre strictement positif (100, 1000…)")
    if not isinstance(simulations, (int, np.integer)) or isinstance(simulations, bool) or simulations < 2:
        raise StatsInputError("argument_invalid", argument="simulations", value=simulations,
                              accepted="un entier au moins égal à 2 (100 par défaut)")
    if aci_se not in ("regression", "formula"):
        raise StatsInputError("argument_invalid", argument="aci_se", value=aci_se, accepted="'regression', 'formula'")
    if sii_model not in ("logistic", "linear"):
        raise StatsInputError("argument_invalid", argument="sii_model", value=sii_model,
                              accepted="'logistic', 'linear'")
    if rci_correction not in (None, "wagstaff", "erreygers"):
        raise StatsInputError("argument_invalid", argument="rci_correction", value=rci_correction,
                              accepted="None, 'wagstaff', 'erreygers'")


def _requested(measures) -> list[str] | None:
    if measures is None:
        return None
    if isinstance(measures, str):
        measures = [measures]
    out = []
    for m in measures:
        code = str(m).upper()
        if code not in MEASURES:
            raise StatsInputError("argument_invalid", argument="measures", value=m, accepted=", ".join(MEASURES))
        if code not in out:
            out.append(code)
    return out


def _plain(value: float):
    value = float(value)
    return int(value) if value.is_integer() else value


# --------------------------------------------------------------------------------------------------
# One group


def _group_measures(y, s, pop, ordered, ref, wanted, where, *, favourable, scale, simulations, rng, levels,
                    aci_se, sii_model, rci_correction) -> pd.DataFrame:
    """All requested measures of one group (rows in subgroup order when ordered)."""
    if wanted is None:
        default = DEFAULT_ORDERED if ordered else DEFAULT_NON_ORDERED
        wanted = [m for m in default if ref is not None or m not in REFERENCE_ONLY]
    n = y.size
    N = pop.sum()
    p = pop / N
    mu = float(p @ y)
    results: dict[str, tuple] = {}  # code -> (estimate, se, limits per level, method, note)

    def analytic(code, est, se, method="analytic", note=""):
        results[code] = (est, se, [(est - z_value(c) * se, est + z_value(c) * se) for c in levels], method, note)

    def logscale(code, est, se_log, method="delta (log scale)"):
        limits = [(est * np.exp(-z_value(c) * se_log), est * np.exp(z_value(c) * se_log)) for c in levels]
        results[code] = (est, se_log, limits, method, "")

    def missing(code, note, est=np.nan, method=""):
        results[code] = (est, np.nan, [(np.nan, np.nan) for _ in levels], method, note)

    for code in wanted:
        if code in ORDERED_ONLY and not ordered:
            missing(code, _NOT_ORDERED)
        elif code in REFERENCE_ONLY and ref is None:
            missing(code, _NO_REFERENCE)
        elif code in MEAN_BASED and not mu > 0:
            missing(code, "mesure non définie : la moyenne pondérée des estimations est nulle")
    active = [m for m in wanted if m not in results]  # the measures left to compute

    # D and R
    if {"D", "R"} & set(active):
        if ordered:
            hi, lo = (n - 1, 0) if favourable else (0, n - 1)
        elif ref is None:
            hi, lo = int(np.argmax(y)), int(np.argmin(y))
        else:
            others = np.array([j for j in range(n) if j != ref])
            k = int(others[np.argmax(np.abs(y[others] - y[ref]))])
            hi, lo = (ref, k) if favourable else (k, ref)
        if "D" in active:
            analytic("D", y[hi] - y[lo], float(np.hypot(s[hi], s[lo])))
        if "R" in active:
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = y[hi] / y[lo]
                se_log = np.sqrt((s[hi] ** 2 + ratio ** 2 * s[lo] ** 2) / y[lo] ** 2) / ratio
            if y[lo] > 0 and y[hi] > 0:
                logscale("R", ratio, float(se_log))
            else:
                missing("R", "rapport (et son intervalle sur l'échelle log) non défini : une des deux "
                             "estimations comparées est nulle")

    if ordered:
        rank = np.cumsum(p) - p / 2
        if {"ACI", "RCI"} & set(active):
            _concentration(results, analytic, active, y, s, pop, p, rank, mu, scale, aci_se, rci_correction)
        if {"SII", "RII"} & set(active):
            _slope(results, analytic, logscale, missing, active, y, pop, rank, scale, sii_model)

    if "BGV" in active:
        q2 = p ** 2 * s ** 2
        var = 4 * np.sum(q2 * (y - mu) ** 2) + 2 * (np.sum(q2) ** 2 - np.sum(q2 ** 2)
                                                    + np.sum(q2 * (1 - p) ** 2 * s ** 2))
        analytic("BGV", float(p @ (y - mu) ** 2), float(np.sqrt(var)))
    if "TI" in active or "MLD" in active:
        with np.errstate(divide="ignore", invalid="ignore"):
            r = y / mu
            log_r = np.log(r)
            if "TI" in active:
                r_log_r = np.where(r > 0, r * log_r, 0.0)
                term = 1 + np.where(r > 0, log_r, -np.inf)
                centre = np.sum(p * np.where(r > 0, r * term, 0.0))
                var = np.sum(p ** 2 * s ** 2 * (term - centre) ** 2) / mu ** 2
                analytic("TI", float(np.sum(p * r_log_r) * 1000), float(np.sqrt(var) * 1000))
            if "MLD" in active and not np.all(y > 0):
                missing("MLD", "déviation logarithmique moyenne non définie : une estimation est nulle")
            elif "MLD" in active:
                var = np.sum(p ** 2 * s ** 2 / mu ** 2 * (1 - 1 / r) ** 2)
                analytic("MLD", float(np.sum(p * -log_r) * 1000), float(np.sqrt(var) * 1000))

    if {"PAF", "PAR"} & set(active):
        _attributable(analytic, missing, active, y, pop, N, mu, ordered, ref, favourable, scale)

    sims = [m for m in active if m in SIMULATED]
    if sims:
        draws = _truncated_draws(y, s, scale, simulations, rng)
        point = _simulated_measures(y[None, :], p, ref, favourable, sims)
        values = _simulated_measures(draws, p, ref, favourable, sims)
        for code in sims:
            limits = [tuple(np.quantile(values[code], [(1 - c) / 2, 1 - (1 - c) / 2])) for c in levels]
            results[code] = (float(point[code][0]), np.nan, limits, f"simulation ({simulations} draws)", "")

    rows = []
    for code in wanted:
        est, se, limits, method, note = results[code]
        row = {"measure": code, "estimate": float(est), "se": float(se)}
        for (low, high), (a, b) in zip(limit_columns(levels), limits):
            row[low], row[high] = float(a), float(b)
        row.update(method=method, confidence=confidence_label(levels), note=note)
        rows.append(row)
    return pd.DataFrame(rows)


def _concentration(results, analytic, wanted, y, s, pop, p, rank, mu, scale, aci_se, correction) -> None:
    """ACI = Σ p (2X − 1) y and RCI = ACI/μ with the WHO regression (or the notes' formula) se."""
    aci = float(np.sum(p * (2 * rank - 1) * y))
    n = y.size
    if aci_se == "regression":
        se_rci = _convenient_regression_se(y, pop, rank, mu) if n > 2 else np.nan
        se_aci = se_rci * mu
        method = "regression"
    else:
        se_aci = float(np.sqrt(np.sum(p ** 2 * s ** 2 * (2 * rank - 1) ** 2)))
        se_rci = se_aci / mu
        method = "analytic"
    if "ACI" in wanted:
        analytic("ACI", aci, se_aci, method)
    if "RCI" in wanted:
        factor = 1.0
        if correction == "wagstaff":
            factor = 1 / (1 - mu / scale)
        elif correction == "erreygers":
            factor = 4 * mu / scale
        note = f"correction de {correction.capitalize()}" if correction else ""
        analytic("RCI", aci / mu * factor, se_rci * factor, method, note)


def _convenient_regression_se(y, pop, rank, mu) -> float:
    """OLS se of the rank coefficient of 2σ_R²(y/μ)√pop on X√pop and √pop (no constant): se(RCI)."""
    p = pop / pop.sum()
    sigma2 = float(np.sum(p * (rank - 0.5) ** 2))
    root = np.sqrt(pop)
    lhs = 2 * sigma2 * (y / mu) * root
    design = np.column_stack([rank * root, root])
    coef, *_ = np.linalg.lstsq(design, lhs, rcond=None)
    resid = lhs - design @ coef
    s2 = float(resid @ resid) / (y.size - 2)
    cov = s2 * np.linalg.inv(design.T @ design)
    return float(np.sqrt(cov[0, 0]))


def logistic_fit(events, trials, weights, rank, *, tol: float = 1e-12, max_iter: int = 100):
    """Weighted binomial-logit fit of events/trials on rank (Newton–Raphson = IRLS).

    Returns (β, HC1 covariance). ``weights`` are the prior weights of the proportions (pop² for the
    WHO model); the sandwich variance is (X'WX)⁻¹ (Σ ψψ') (X'WX)⁻¹ · n/(n − 2), ψ_j = w_j (p̂_j − π_j) x_j.
    """
    design = np.column_stack([np.ones_like(rank), rank])
    share = events / trials
    beta = np.zeros(2)
    beta[0] = np.log((np.sum(weights * share) + 0.5) / (np.sum(weights * (1 - share)) + 0.5))
    for _ in range(max_iter):
        fitted = 1 / (1 + np.exp(-(design @ beta)))
        info = design.T @ ((weights * fitted * (1 - fitted))[:, None] * design)
        step = np.linalg.solve(info, design.T @ (weights * (share - fitted)))
        beta = beta + step
        if np.max(np.abs(step)) < tol * (1 + np.max(np.abs(beta))):
            break
    fitted = 1 / (1 + np.exp(-(design @ beta)))
    bread = np.linalg.inv(design.T @ ((weights * fitted * (1 - fitted))[:, None] * design))
    psi = (weights * (share - fitted))[:, None] * design
    n = rank.size
    cov = bread @ (psi.T @ psi) @ bread * n / (n - 2) if n > 2 else np.full((2, 2), np.nan)
    return beta, cov


def _slope(results, analytic, logscale, missing, wanted, y, pop, rank, scale, model) -> None:
    """SII = v1 − v0 and RII = v1/v0 from the logistic (or linear) model of y on the rank."""
    if model == "logistic":
        events = np.round(y / scale * pop)
        if events.sum() == 0 or np.all(events == pop):
            for code in ("SII", "RII"):
                if code in wanted:
                    missing(code, "modèle logistique non estimable : aucun événement (ou que des événements) "
                                  "une fois les estimations converties en effectifs")
            return
        try:
            with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
                beta, cov = logistic_fit(events, pop, pop ** 2, rank)
        except np.linalg.LinAlgError:
            for code in ("SII", "RII"):
                if code in wanted:
                    missing(code, "modèle logistique non estimable (matrice singulière)")
            return
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            v0 = 1 / (1 + np.exp(-beta[0]))
            v1 = 1 / (1 + np.exp(-(beta[0] + beta[1])))
        grad_sii = np.array([v1 * (1 - v1) - v0 * (1 - v0), v1 * (1 - v1)]) * scale
        grad_log_rii = np.array([v0 - v1, 1 - v1])
        sii, rii = (v1 - v0) * scale, v1 / v0
        method = "delta (HC1)"
    else:
        design = np.column_stack([np.ones_like(rank), rank])
        bread = np.linalg.inv(design.T @ (pop[:, None] * design))
        beta = bread @ design.T @ (pop * y)
        resid = y - design @ beta
        psi = (pop * resid)[:, None] * design
        n = y.size
        cov = bread @ (psi.T @ psi) @ bread * n / (n - 2) if n > 2 else np.full((2, 2), np.nan)
        v0, v1 = beta[0], beta[0] + beta[1]
        grad_sii = np.array([0.0, 1.0])
        grad_log_rii = np.array([1 / v1 - 1 / v0, 1 / v1])
        sii, rii = v1 - v0, v1 / v0
        method = "delta (HC1, linear)"
    if "SII" in wanted:
        analytic("SII", float(sii), float(np.sqrt(grad_sii @ cov @ grad_sii)), method)
    if "RII" in wanted:
        logscale("RII", float(rii), float(np.sqrt(grad_log_rii @ cov @ grad_log_rii)), method + ", log scale")


def _attributable(analytic, missing, wanted, y, pop, N, mu, ordered, ref, favourable, scale) -> None:
    """PAF = (y_ref − μ)/μ·100 and PAR = y_ref − μ, 0 when the reference is worse than μ."""
    if ref is None:
        ref = y.size - 1 if ordered else int(np.argmax(y) if favourable else np.argmin(y))
    y_ref, pop_ref = y[ref], pop[ref]
    worse = y_ref < mu if favourable else y_ref > mu
    if worse:
        note = "sous-groupe de référence moins favorable que la moyenne : mesure fixée à 0"
        for code in ("PAF", "PAR"):
            if code in wanted:
                missing(code, note, est=0.0, method="analytic")
        return
    c = y_ref / scale * pop_ref
    d = pop_ref - c
    a = mu / scale * N - c
    b = N - a - pop_ref
    var = c * N * (a * d * (N - c) + b * c ** 2) / ((a + c) ** 3 * (c + d) ** 3)
    se_fraction = float(np.sqrt(var))
    if "PAF" in wanted:
        analytic("PAF", float((y_ref - mu) / mu * 100), se_fraction * 100)
    if "PAR" in wanted:
        analytic("PAR", float(y_ref - mu), se_fraction * mu)


# --------------------------------------------------------------------------------------------------
# Simulation


def _truncated_draws(y, s, scale, simulations, rng) -> np.ndarray:
    """``simulations`` × subgroups draws of N(y, σ) truncated to [0, scale] (σ = 0: the estimate)."""
    sd = np.where(s > 0, s, 1.0)
    low, high = (0 - y) / sd, (scale - y) / sd
    draws = sps.truncnorm.rvs(low, high, loc=y, scale=sd, size=(simulations, y.size), random_state=rng)
    return np.where(s > 0, draws, y)


def _simulated_measures(draws, p, ref, favourable, codes) -> dict[str, np.ndarray]:
    """The simulation-based measures for each row of ``draws`` (draws × subgroups)."""
    n = draws.shape[1]
    mu = draws @ p
    dev = np.abs(draws - mu[:, None])
    best = draws.max(axis=1) if favourable else draws.min(axis=1)
    out = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        bgsd = np.sqrt(((draws - mu[:, None]) ** 2) @ p)
        values = {
            "BGSD": lambda: bgsd,
            "COV": lambda: bgsd / mu * 100,
            "MDMU": lambda: dev.sum(axis=1) / n,
            "MDMW": lambda: dev @ p,
            "MDBU": lambda: np.abs(draws - best[:, None]).sum(axis=1) / n,
            "MDBW": lambda: np.abs(draws - best[:, None]) @ p,
            "MDRU": lambda: np.abs(draws - draws[:, [ref]]).sum(axis=1) / n,
            "MDRW": lambda: np.abs(draws - draws[:, [ref]]) @ p,
            "IDISU": lambda: dev.sum(axis=1) / n / mu * 100,
            "IDISW": lambda: (dev @ p) / mu * 100,
        }
        for code in codes:
            out[code] = values[code]()
    return out


def _describe(groups: Groups, g: int) -> str:
    """French description of group number ``g`` (plain values, not NumPy reprs)."""
    return describe_group(groups.by, list(groups.keys.iloc[g]) if groups.by else [])
