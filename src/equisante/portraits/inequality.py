"""The social gradient of a portrait: an indicator across deprivation quintiles of the sub-territories,
with the slope and relative indices of inequality (pure: pandas and the stats core, no Django).

Steps, for the sub-territories (communes of an EPCI, IRIS of a commune…) of a territory:

1. **Quintiles of deprivation, weighted by population** (``equisante.indices.quantile_classes``):
   the sub-territories are ordered from the most to the least deprived on the chosen measure and
   cut so that each quintile holds about a fifth of the population; quintile 1 = most deprived.
2. **The indicator per quintile**, from the *published* values of its sub-territories only (the
   portrait leaves withheld ones out: a quintile total set beside the other pages' tables could
   otherwise give a withheld count back); a quintile whose own count is small is withheld itself
   (:func:`protect_quintiles`; no SII then: it would give the quintile back). The value of a
   quintile is
   - ``pooled`` (proportions and crude rates whose numerators and denominators are all known):
     Σ numerators / Σ denominators, Wilson (proportion) or exact/Byar's (rate) limits
     (``equisante.stats.proportion`` / ``rate``);
   - otherwise a population-weighted mean of the values, its standard error
     √(Σ wᵢ² seᵢ²) / Σ wᵢ with seᵢ = (upper − lower) / (2 × 1.96) (sub-territories taken as
     independent), limits ± 1.96 se.
3. **SII and RII** by the PHE method (``equisante.stats.sii``: weighted regression on the relative
   rank, simulated limits, fixed seed). SII = modelled value at the least deprived end minus the
   value at the most deprived end, in the indicator's unit (percentage points for a percentage);
   RII = their ratio. A negative SII means lower values where people are more deprived.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from equisante import indices, stats
from equisante.numbers import plural

QUINTILES = 5
#: Repetitions of the simulation of the SII limits (the reference's default) and the seed that makes
#: a portrait give the same limits every time it is drawn.
REPETITIONS = 100_000
SEED = 20_240_611
Z95 = 1.959963984540054

#: Columns expected in the frame of sub-territories. ``hidden``: the value is withheld on the page;
#: ``count``: the count that confidentiality judges (the numerator, or the value of a count indicator).
COLUMNS = ("code", "name", "population", "deprivation", "value", "lower", "upper", "numerator", "denominator",
           "hidden", "count")


@dataclass
class GradientResult:
    """The gradient of one indicator across the deprivation quintiles of a territory's sub-territories.

    ``quintiles``: one row per quintile, most deprived first (``quintile``, ``territories``,
    ``population``, ``value``, ``lower``, ``upper``, ``numerator``, ``denominator``).
    ``sii``…``rii_upper``: the indices and their 95 % limits (None when not computed).
    ``intercept`` and ``slope``: the regression line in the indicator's unit (value at rank 0, and
    its change from rank 0 to rank 1) for the chart. ``reason``: why nothing was computed."""

    quintiles: pd.DataFrame
    assignments: pd.DataFrame
    withheld_codes: frozenset = frozenset()
    withheld_quintiles: frozenset = frozenset()
    computed: bool = False
    reason: str = ""
    sii: float | None = None
    sii_lower: float | None = None
    sii_upper: float | None = None
    rii: float | None = None
    rii_lower: float | None = None
    rii_upper: float | None = None
    intercept: float | None = None
    slope: float | None = None
    aggregation: str = ""
    method: str = ""
    method_reference: str = ""
    direction: str = ""
    excluded: int = 0
    notes: list[str] = field(default_factory=list)


def assign_quintiles(frame: pd.DataFrame, *, higher_is_worse: bool, n: int = QUINTILES) -> pd.DataFrame:
    """``frame`` (columns ``deprivation``, ``population``) with ``quintile`` (Int64, 1 = most
    deprived, <NA> without a deprivation value or a population).

    Quintiles are weighted by population (each holds about a fifth of the people). When one
    sub-territory holds more than a fifth of the population (a city in its EPCI), weighting leaves a
    quintile empty and no slope index can be computed: the quintiles then hold a fifth of the
    sub-territories each (PHE method), as ``table.attrs["quintile_method"]`` says."""
    table = frame.copy()
    usable = pd.to_numeric(table["deprivation"], errors="coerce").notna() & (
        pd.to_numeric(table["population"], errors="coerce").fillna(0) > 0)
    table["quintile"] = pd.array([pd.NA] * len(table), dtype="Int64")
    table.attrs["quintile_method"] = "weighted"
    if usable.sum() == 0:
        return table
    part = table.loc[usable, ["deprivation", "population"]].astype(float)
    classes = indices.quantile_classes(part, "deprivation", n=n, population="population", method="weighted",
                                       higher_is_worse=bool(higher_is_worse))
    found = classes["quantile_class"]
    if found.dropna().nunique() < n and int(usable.sum()) >= n:
        classes = indices.quantile_classes(part, "deprivation", n=n, method="phe",
                                           higher_is_worse=bool(higher_is_worse))
        found = classes["quantile_class"]
        table.attrs["quintile_method"] = "phe"
    table.loc[usable, "quintile"] = found.to_numpy()
    return table


def quintile_values(assigned: pd.DataFrame, *, kind: str, multiplier: float, pooled: bool,
                    n: int = QUINTILES) -> tuple[pd.DataFrame, str]:
    """The indicator per quintile from the sub-territories that have a published value.

    Returns the table (one row per quintile 1…n, even empty ones) and the aggregation used, in
    French."""
    rows = assigned[assigned["quintile"].notna() & pd.to_numeric(assigned["value"], errors="coerce").notna()].copy()
    for column in ("population", "value", "lower", "upper", "numerator", "denominator"):
        rows[column] = pd.to_numeric(rows[column], errors="coerce").astype(float)
    rows["quintile"] = rows["quintile"].astype(int)
    base = pd.DataFrame({"quintile": range(1, n + 1)})
    counts = rows.groupby("quintile").agg(territories=("code", "size"), population=("population", "sum"))
    can_pool = pooled and kind in ("proportion", "rate") and len(rows) and rows[["numerator", "denominator"]].notna().all().all() \
        and bool((rows["denominator"] > 0).all())
    if can_pool:
        function = stats.proportion if kind == "proportion" else stats.rate
        result = function(rows, "numerator", "denominator", by="quintile", multiplier=multiplier)
        result = result[["quintile", "value", "lower", "upper", "numerator", "denominator"]]
        label = ("somme des numérateurs / somme des dénominateurs, intervalle de Wilson" if kind == "proportion"
                 else "somme des événements / somme des populations, intervalle exact de Poisson ou de Byar")
    else:
        result = _weighted_means(rows)
        label = ("moyenne des valeurs pondérée par la population, erreur type combinée à partir des intervalles "
                 "de confiance (sous-territoires supposés indépendants)")
    table = base.merge(counts.reset_index(), on="quintile", how="left").merge(result, on="quintile", how="left")
    table["territories"] = table["territories"].fillna(0).astype(int)
    table["population"] = table["population"].fillna(0.0)
    return table, label


def protect_quintiles(assigned: pd.DataFrame, *, threshold: int) -> tuple[set, set]:
    """Secondary suppression of each quintile seen as a breakdown (its sub-territories) with a
    published total (the quintile value): returns the codes of the sub-territories to withhold as
    well, and the quintiles whose value must be withheld (its count is small, or nothing else can
    protect a withheld member)."""
    from equisante.confidentiality import secondary_suppression, small_count

    more, quintiles = set(), set()
    usable = assigned[assigned["quintile"].notna() & pd.to_numeric(assigned["value"], errors="coerce").notna()]
    for quintile, group in usable.groupby(usable["quintile"].astype(int)):
        counts = pd.to_numeric(group["count"], errors="coerce")
        known = counts.dropna()
        if len(known) == len(group) and small_count(float(known.sum()), threshold):
            quintiles.add(int(quintile))  # the quintile's own count is small
            continue
        hidden = [i for i, flag in enumerate(group["hidden"].tolist()) if bool(flag)]
        decision = secondary_suppression([None if pd.isna(c) else float(c) for c in counts], threshold=threshold,
                                         primary=hidden)
        codes = group["code"].tolist()
        more |= {codes[i] for i in decision.secondary}
        if decision.total_withheld:
            quintiles.add(int(quintile))
    return more, quintiles


def _weighted_means(rows: pd.DataFrame) -> pd.DataFrame:
    out = []
    for quintile, group in rows.groupby("quintile"):
        weights = group["population"].to_numpy(dtype=float)
        values = group["value"].to_numpy(dtype=float)
        total = weights.sum()
        value = float((weights * values).sum() / total)
        half = (group["upper"] - group["lower"]).to_numpy(dtype=float) / 2
        if np.isnan(half).any():
            lower = upper = math.nan
        else:
            se = math.sqrt(float(((weights * half / Z95) ** 2).sum())) / total
            lower, upper = value - Z95 * se, value + Z95 * se
        out.append({"quintile": quintile, "value": value, "lower": lower, "upper": upper,
                    "numerator": math.nan, "denominator": math.nan})
    return pd.DataFrame(out, columns=["quintile", "value", "lower", "upper", "numerator", "denominator"])


def slope_index(table: pd.DataFrame, *, kind: str, multiplier: float, repetitions: int = REPETITIONS,
                seed: int = SEED) -> dict:
    """SII and RII of the per-quintile ``table`` (see :func:`_slope_index`). The result depends on
    the inputs only (the seed is fixed), so it is remembered: a portrait asked again does not rerun
    the 100,000 simulations."""
    frame = table[["quintile", "population", "value", "lower", "upper"]].astype(float)
    key = tuple(map(tuple, frame.to_numpy().tolist()))
    return dict(_remembered_slope_index(key, kind, float(multiplier), int(repetitions), int(seed)))


@lru_cache(maxsize=256)
def _remembered_slope_index(key: tuple, kind: str, multiplier: float, repetitions: int, seed: int) -> dict:
    table = pd.DataFrame(list(key), columns=["quintile", "population", "value", "lower", "upper"])
    return _slope_index(table, kind=kind, multiplier=multiplier, repetitions=repetitions, seed=seed)


def _slope_index(table: pd.DataFrame, *, kind: str, multiplier: float, repetitions: int = REPETITIONS,
                 seed: int = SEED) -> dict:
    """SII and RII (with 95 % limits) of the per-quintile ``table`` by :func:`equisante.stats.sii`.

    Proportions are passed on the 0–1 scale (``value_type=2``, SII × ``multiplier``: percentage
    points for a percentage), rates as they are (``value_type=1``); the draws then happen on the
    logit or log scale as in the reference. Values that those scales cannot take (0 %, 100 %, a
    zero rate) fall back to ``value_type=0``. Returns ``sii``, ``sii_lower``, ``sii_upper``,
    ``rii``…, ``intercept`` and ``slope`` (in the indicator's unit) and ``method``."""
    frame = table[["quintile", "population", "value", "lower", "upper"]].astype(float).copy()
    value_type, scale = 0, 1.0
    if kind == "proportion" and multiplier > 0:
        fractions = frame[["value", "lower", "upper"]] / multiplier
        if bool(((fractions > 0) & (fractions < 1)).all().all()):
            frame[["value", "lower", "upper"]] = fractions
            value_type, scale = 2, float(multiplier)
    elif kind == "rate" and bool((frame[["value", "lower", "upper"]] > 0).all().all()):
        value_type = 1
    result = stats.sii(frame, "quintile", "population", "value", lower="lower", upper="upper", value_type=value_type,
                       multiplier=scale, rii=True, intercept=True, repetitions=repetitions, seed=seed)
    row = result.iloc[0]
    sii_value = float(row["sii"])
    return {
        "sii": sii_value, "sii_lower": float(row["sii_lower"]), "sii_upper": float(row["sii_upper"]),
        "rii": float(row["rii"]), "rii_lower": float(row["rii_lower"]), "rii_upper": float(row["rii_upper"]),
        "intercept": float(row["intercept"]) * scale, "slope": sii_value, "method": method_words(value_type, repetitions),
        "method_reference": str(row["method"]), "value_type": value_type,
    }


def method_words(value_type: int, repetitions: int) -> str:
    """The SII method in French, as the portrait states it."""
    scale = {1: ", tirages sur l'échelle logarithmique", 2: ", tirages sur l'échelle logit"}.get(value_type, "")
    count = f"{repetitions:,}".replace(",", "\u00a0")
    return (f"méthode PHE : régression pondérée par la population sur le rang relatif, limites à 95 % par {count} "
            f"simulations{scale} (graine fixe)")


def social_gradient(frame: pd.DataFrame, *, higher_is_worse: bool, kind: str, multiplier: float, pooled: bool = True,
                    deprivation_label: str = "", threshold: int | None = None, repetitions: int = REPETITIONS,
                    seed: int = SEED) -> GradientResult:
    """The whole gradient for the sub-territories in ``frame`` (columns :data:`COLUMNS`: the stored
    numbers, ``hidden`` where the page withholds the value; ``value`` empty where there is none).

    With a ``threshold``, the quintiles are protected (:func:`protect_quintiles`): the result lists
    the sub-territories the page must withhold as well (``withheld_codes``) and the withheld
    quintiles, whose value is blanked."""
    frame = frame.copy()
    for column, default in (("hidden", False), ("count", None)):
        if column not in frame:
            frame[column] = default
    assigned = assign_quintiles(frame, higher_is_worse=higher_is_worse)
    table, aggregation = quintile_values(assigned, kind=kind, multiplier=multiplier, pooled=pooled)
    withheld_codes, withheld_quintiles = (protect_quintiles(assigned, threshold=threshold) if threshold
                                          else (set(), set()))
    table["state"] = np.where(table["value"].notna(), "ok", "missing").astype(object)
    if withheld_quintiles:
        mask = table["quintile"].isin(sorted(withheld_quintiles))
        table.loc[mask, ["value", "lower", "upper", "numerator"]] = np.nan
        table.loc[mask, "state"] = "suppressed"
    worse = "plus élevé = plus défavorisé" if higher_is_worse else "plus bas = plus défavorisé"
    measure = f" selon « {deprivation_label} »" if deprivation_label else ""
    if assigned.attrs.get("quintile_method") == "phe":
        direction = (f"Quintile 1 = le cinquième des sous-territoires les plus défavorisés{measure} ({worse}) ; "
                     "quintile 5 = le moins défavorisé. Quintiles à nombre égal de sous-territoires (méthode PHE) : "
                     "un sous-territoire regroupe plus du cinquième de la population et laisserait un quintile "
                     "pondéré vide ; l'indice de pente reste pondéré par la population.")
    else:
        direction = (f"Quintile 1 = le cinquième de la population vivant dans les sous-territoires les plus "
                     f"défavorisés{measure} ({worse}) ; quintile 5 = le moins défavorisé. Quintiles pondérés par "
                     "la population.")
    with_deprivation = int(assigned["quintile"].notna().sum())
    has_value = pd.to_numeric(assigned["value"], errors="coerce").notna()
    excluded = int((assigned["quintile"].notna() & ~has_value).sum())
    result = GradientResult(quintiles=table, assignments=assigned, aggregation=aggregation, direction=direction,
                            excluded=excluded, withheld_codes=frozenset(withheld_codes),
                            withheld_quintiles=frozenset(withheld_quintiles))
    if with_deprivation < QUINTILES:
        having = plural(with_deprivation, "sous-territoire a", "sous-territoires ont")
        result.reason = (f"{having} une mesure de défavorisation et une population : il en faut au moins "
                         f"{QUINTILES} pour former des quintiles.")
        return result
    if withheld_quintiles:
        names = ", ".join(str(q) for q in sorted(withheld_quintiles))
        if len(withheld_quintiles) < 2:
            result.reason = (f"Quintile {names} masqué par le secret statistique : l'indice de pente permettrait de "
                             "le retrouver.")
        else:
            result.reason = (f"Quintiles {names} masqués par le secret statistique : l'indice de pente permettrait "
                             "de les retrouver.")
        return result
    empty = table["value"].isna()
    if empty.any():
        missing = ", ".join(str(q) for q in table.loc[empty, "quintile"])
        result.reason = (f"{'Quintile' if int(empty.sum()) < 2 else 'Quintiles'} {missing} sans valeur de "
                         "l'indicateur : l'indice de pente demande une valeur dans chacun des cinq quintiles.")
        return result
    if table[["lower", "upper"]].isna().any().any():
        result.reason = "Intervalles de confiance manquants : les limites de l'indice de pente ne peuvent être simulées."
        return result
    try:
        indices_ = slope_index(table, kind=kind, multiplier=multiplier, repetitions=repetitions, seed=seed)
    except ValueError as error:  # StatsInputError: values the method refuses
        result.reason = str(error)
        return result
    result.computed = True
    for key in ("sii", "sii_lower", "sii_upper", "rii", "rii_lower", "rii_upper", "intercept", "slope"):
        setattr(result, key, indices_[key])
    result.method = indices_["method"]
    result.method_reference = indices_["method_reference"]
    return result
