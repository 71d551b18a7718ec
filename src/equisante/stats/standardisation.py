"""Direct and indirect age standardisation (PHE methods).

References: R package PHEindicatormethods v2.1.0, ``calculate_dsr`` (directly standardised rate,
Dobson limits), ``calculate_ISRate`` (indirectly standardised rate) and ``calculate_ISRatio``
(standardised ratio, SMR).

- **DSR** = Σ(xᵢ wᵢ / nᵢ) / Σwᵢ × multiplier, with standard-population weights wᵢ (default: European
  Standard Population 2013, :data:`ESP2013`). Dobson limits: with O = Σxᵢ and
  var = Σxᵢ (wᵢ/nᵢ)² / (Σwᵢ)², limit = DSR + √(var/O) · (Byar's(O) − O). Suppressed (NaN, with a
  ``suppression`` reason) when O < 10. For non-independent events (a person can have several
  events), each row holds the number of *people* with a given event frequency f; the events are
  f × people and var = Σ_f f² var_f.
- **Indirect standardisation**: expected E = Σ nᵢ · ref_xᵢ / ref_nᵢ; ratio = O/E (× ``refvalue``),
  ISR = O/E × reference crude rate; limits are the exact Poisson (O < 10) or Byar's limits of O
  divided by E, scaled the same way.

Missing counts are read as zero (as the reference does); missing populations are refused for the
DSR. Whether a higher rate is better or worse depends on the indicator (usually worse: mortality).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from equisante.stats._common import as_levels, by_columns, confidence_label, limit_columns, require_columns, z_value
from equisante.stats._frame import Groups, as_vector, leading_integer, numeric_column, output_frame, refuse_rows
from equisante.stats.confidence import _byars_lower, _byars_upper, poisson_limits, poisson_method
from equisante.stats.crude import check_multiplier
from equisante.stats.errors import StatsInputError

__all__ = ["ESP2013", "dsr", "isr", "smr"]

#: European Standard Population 2013, 19 five-year bands 0-4, 5-9, …, 85-89, 90+ (total 100,000).
ESP2013 = np.array(
    [5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
     7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000],
    dtype=float,
)
ESP2013.setflags(write=False)

#: Below this many events a DSR is not published.
DSR_MINIMUM_EVENTS = 10


# --- directly standardised rate ------------------------------------------------------------------

def dsr(
    df: pd.DataFrame,
    x: str,
    n: str,
    *,
    standard: str | Sequence[float] | np.ndarray | None = None,
    by: str | Iterable[str] | None = None,
    confidence: float | Sequence[float] = 0.95,
    multiplier: float = 100_000,
    independent_events: bool = True,
    event_frequency: str | None = None,
    age_band: str | None = None,
) -> pd.DataFrame:
    """Directly standardised rate per group with Dobson confidence limits.

    ``df`` has one row per group and age band (and per event frequency for non-independent
    events). ``x``: events (or, for non-independent events, people with ``event_frequency``
    events); ``n``: population (> 0, no missing value). ``standard``: None for
    :data:`ESP2013`, a column name of per-row weights, or a list of weights (one per age band).
    With a list (or None) the weights are matched to the age bands by the ``age_band`` column
    (bands ordered by their first age: "0-4", "5-9"… "90+") when given, else by row order within
    each group (each group must then have exactly one row per weight, in age order).
    Unit: events per ``multiplier`` population (default per 100,000).

    Output: ``by`` columns, ``value``, ``lower``, ``upper`` (per level), ``numerator`` (total
    events O), ``denominator`` (total population), ``method`` ("Dobson"), ``confidence``,
    ``suppression`` (French reason when the value is withheld: O < 10; empty otherwise).
    Reference: PHEindicatormethods ``calculate_dsr``.
    """
    levels = as_levels(confidence)
    mult = check_multiplier(multiplier)
    if not isinstance(independent_events, (bool, np.bool_)):
        raise StatsInputError("argument_invalid", argument="independent_events", value=independent_events,
                              accepted="True, False")
    by_list = by_columns(by)
    if not independent_events:
        if event_frequency is None:
            raise StatsInputError("argument_required", argument="event_frequency",
                                  why="quand les événements ne sont pas indépendants (independent_events=False)")
        if age_band is None:
            raise StatsInputError("argument_required", argument="age_band",
                                  why="quand les événements ne sont pas indépendants (independent_events=False)")
        by_list = [column for column in by_list if column != event_frequency]
    if age_band is not None:
        require_columns(df, [age_band])

    xs = numeric_column(df, x, argument="x")
    ns = numeric_column(df, n, argument="n")
    refuse_rows(xs < 0, "count_negative", df, x, xs)
    refuse_rows(np.isnan(ns), "denominator_missing", df, n, ns)
    refuse_rows(ns <= 0, "denominator_not_positive", df, n, ns)
    xs = np.where(np.isnan(xs), 0.0, xs)

    groups = Groups(df, by_list)
    bands = leading_integer(df[age_band], column=age_band) if age_band is not None else None
    weights = _standard_weights(df, standard, groups, bands, age_band, unique_bands=independent_events)
    ratio = weights / ns

    if independent_events:
        observed = groups.sum(xs)
        weighted = groups.sum(xs * ratio)
        variance_sum = groups.sum(xs * ratio * ratio)
        total_weight = groups.sum(weights)
        population = groups.sum(ns)
        method = "Dobson"
    else:
        freq = numeric_column(df, event_frequency, argument="event_frequency")
        refuse_rows(np.isnan(freq), "event_frequency_missing", df, event_frequency, freq)
        refuse_rows(freq < 0, "count_negative", df, event_frequency, freq)
        events = freq * xs
        observed = groups.sum(events)
        weighted = groups.sum(events * ratio)
        variance_sum = groups.sum(freq * freq * xs * ratio * ratio)
        total_weight, population = _per_band_totals(df, groups, bands, weights, ns, n, standard, age_band)
        method = "Dobson (non-independent events)"

    with np.errstate(divide="ignore", invalid="ignore"):
        rate = weighted / total_weight
        variance = variance_sum / total_weight**2
        spread = np.sqrt(variance / observed)
    suppressed = ~(observed >= DSR_MINIMUM_EVENTS)
    columns: dict[str, object] = {"value": np.where(suppressed, np.nan, rate * mult)}
    for level, (low, high) in zip(levels, limit_columns(levels)):
        z = z_value(level)
        with np.errstate(divide="ignore", invalid="ignore"):
            lower = (rate + spread * (_byars_lower(observed, z) - observed)) * mult
            upper = (rate + spread * (_byars_upper(observed, z) - observed)) * mult
        columns[low] = np.where(suppressed, np.nan, lower)
        columns[high] = np.where(suppressed, np.nan, upper)
    columns["numerator"] = observed
    columns["denominator"] = population
    columns["method"] = method
    columns["confidence"] = confidence_label(levels)
    columns["suppression"] = np.where(
        suppressed, f"moins de {DSR_MINIMUM_EVENTS} événements : taux standardisé non publié", ""
    ).astype(object)
    return output_frame(groups, columns)


def _standard_weights(df, standard, groups: Groups, bands, age_band, *, unique_bands: bool) -> np.ndarray:
    """Per-row standard-population weights."""
    if isinstance(standard, str):
        weights = numeric_column(df, standard, argument="standard")
        refuse_rows(np.isnan(weights), "standard_missing", df, standard, weights)
        refuse_rows(weights < 0, "standard_negative", df, standard, weights)
        return weights
    vector = ESP2013 if standard is None else as_vector(standard, argument="standard")
    argument = "ESP2013" if standard is None else "standard"
    _check_vector(vector, argument)
    if bands is None:
        counts = groups.count()
        wrong = np.flatnonzero(counts != len(vector))
        if wrong.size:
            g = int(wrong[0])
            raise StatsInputError(
                "group_size_mismatch", group=groups.describe(g), rows=int(counts[g]), expected=len(vector),
                why=f"une ligne par poids de la population standard ({argument}), dans l'ordre des âges",
            )
        return vector[groups.position()]
    ages = _distinct(bands)
    if len(ages) != len(vector):
        raise StatsInputError("age_band_count_mismatch", column=age_band, found=len(ages), expected=len(vector),
                              argument=argument)
    rank = np.searchsorted(ages, bands)
    _check_bands(groups, rank, len(ages), ages, age_band, unique=unique_bands)
    return vector[rank]


def _distinct(ages: np.ndarray) -> np.ndarray:
    """Sorted distinct start ages (a count table when ages are small integers, as they are)."""
    if ages.size and ages.min() >= 0 and ages.max() < 100_000:
        return np.flatnonzero(np.bincount(ages))
    return np.unique(ages)


def _check_vector(vector: np.ndarray, argument: str) -> None:
    bad = np.isnan(vector) | (vector < 0)
    if bad.any():
        position = int(np.flatnonzero(bad)[0])
        raise StatsInputError("value_negative", argument=argument, value=float(vector[position]), position=position)


def _check_bands(groups: Groups, rank: np.ndarray, n_bands: int, ages: np.ndarray, age_band: str, *, unique: bool):
    """Each group has every age band (and, for independent events, exactly once)."""
    key = groups.codes.astype(np.int64) * n_bands + rank
    seen = np.bincount(key, minlength=groups.size * n_bands).reshape(groups.size, n_bands)
    if unique:
        duplicate = np.argwhere(seen > 1)
        if duplicate.size:
            g, b = (int(v) for v in duplicate[0])
            raise StatsInputError("age_band_duplicate", group=groups.describe(g), age=int(ages[b]), column=age_band)
    present = (seen > 0).sum(axis=1)
    incomplete = np.flatnonzero(present != n_bands)
    if incomplete.size:
        g = int(incomplete[0])
        raise StatsInputError(
            "group_size_mismatch", group=groups.describe(g), rows=int(present[g]), expected=n_bands,
            why=f"toutes les tranches d'âge de la colonne « {age_band} » doivent être présentes",
        )


def _per_band_totals(df, groups: Groups, bands, weights, ns, n_column, standard, age_band):
    """Σ standard weights and Σ population over the distinct (group, age band) pairs (non-independent
    events: the rows of a band repeat the same population and weight for every event frequency)."""
    ages = _distinct(bands)
    rank = np.searchsorted(ages, bands)
    key = groups.codes.astype(np.int64) * len(ages) + rank
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    starts = np.flatnonzero(np.concatenate(([True], sorted_key[1:] != sorted_key[:-1])))
    for values, column in ((ns, n_column), (weights, standard if isinstance(standard, str) else "standard")):
        v = values[order]
        low = np.minimum.reduceat(v, starts)
        high = np.maximum.reduceat(v, starts)
        differ = np.flatnonzero(low != high)
        if differ.size:
            k = int(sorted_key[starts[differ[0]]])
            raise StatsInputError("event_frequency_inconsistent", group=groups.describe(k // len(ages)),
                                  age=int(ages[k % len(ages)]), column=column)
    first = order[starts]
    group_of = groups.codes[first]
    total_weight = np.bincount(group_of, weights=weights[first], minlength=groups.size)
    population = np.bincount(group_of, weights=ns[first], minlength=groups.size)
    return total_weight, population


# --- indirect standardisation --------------------------------------------------------------------

def isr(
    df: pd.DataFrame,
    x: str,
    n: str,
    ref_x: str | Sequence[float] | np.ndarray,
    ref_n: str | Sequence[float] | np.ndarray,
    *,
    by: str | Iterable[str] | None = None,
    confidence: float | Sequence[float] = 0.95,
    multiplier: float = 100_000,
    observed: pd.DataFrame | float | None = None,
) -> pd.DataFrame:
    """Indirectly standardised rate per group: O/E × reference crude rate (× ``multiplier``).

    ``x``: observed events per age band, ``n``: population per age band (≥ 0; 0 allowed);
    ``ref_x``, ``ref_n``: reference events and population per age band, either column names of
    ``df`` or lists with one value per age band (each group must then have that many rows, in the
    same age order). ``observed``: pre-aggregated observed totals instead of summing ``x`` — a
    DataFrame with the ``by`` columns and a column named ``x`` (or a number when ungrouped).
    Missing counts and populations are read as zero. Unit: events per ``multiplier``.

    Output: ``by`` columns, ``value``, ``lower``, ``upper``, ``observed``, ``expected``,
    ``reference_rate`` (per ``multiplier``), ``method`` ("Exact" below 10 observed events, else
    "Byars"), ``confidence``. Reference: PHEindicatormethods ``calculate_ISRate``.
    """
    levels = as_levels(confidence)
    mult = check_multiplier(multiplier)
    groups, obs, expected, ref_rate = _indirect(df, x, n, ref_x, ref_n, by, observed)
    ref_rate = ref_rate * mult
    columns: dict[str, object] = {"value": _ratio(obs, expected, ref_rate)}
    for level, (low, high) in zip(levels, limit_columns(levels)):
        lower, upper = poisson_limits(obs, level)
        columns[low] = _ratio(lower, expected, ref_rate)
        columns[high] = _ratio(upper, expected, ref_rate)
    columns["observed"] = obs
    columns["expected"] = expected
    columns["reference_rate"] = ref_rate
    columns["method"] = poisson_method(obs)
    columns["confidence"] = confidence_label(levels)
    return output_frame(groups, columns)


def smr(
    df: pd.DataFrame,
    x: str,
    n: str,
    ref_x: str | Sequence[float] | np.ndarray,
    ref_n: str | Sequence[float] | np.ndarray,
    *,
    by: str | Iterable[str] | None = None,
    confidence: float | Sequence[float] = 0.95,
    refvalue: float = 1,
    observed: pd.DataFrame | float | None = None,
) -> pd.DataFrame:
    """Standardised ratio (SMR) per group: O/E × ``refvalue`` (1: ratio; 100: "SMR × 100").

    Arguments as :func:`isr`. A value above ``refvalue`` means more events than expected from the
    reference rates. Output: ``by`` columns, ``value``, ``lower``, ``upper``, ``observed``,
    ``expected``, ``method`` ("Exact"/"Byars"), ``confidence``.
    Reference: PHEindicatormethods ``calculate_ISRatio``.
    """
    levels = as_levels(confidence)
    scale = check_multiplier(refvalue)
    groups, obs, expected, _ = _indirect(df, x, n, ref_x, ref_n, by, observed)
    columns: dict[str, object] = {"value": _ratio(obs, expected, scale)}
    for level, (low, high) in zip(levels, limit_columns(levels)):
        lower, upper = poisson_limits(obs, level)
        columns[low] = _ratio(lower, expected, scale)
        columns[high] = _ratio(upper, expected, scale)
    columns["observed"] = obs
    columns["expected"] = expected
    columns["method"] = poisson_method(obs)
    columns["confidence"] = confidence_label(levels)
    return output_frame(groups, columns)


def _finite(values: np.ndarray) -> np.ndarray:
    return np.where(np.isfinite(values), values, np.nan)


def _ratio(numerator: np.ndarray, expected: np.ndarray, scale) -> np.ndarray:
    """numerator / expected × scale, NaN where there is nothing expected."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return _finite(numerator / expected * scale)


def _indirect(df, x, n, ref_x, ref_n, by, observed):
    """Groups, observed O, expected E and reference crude rate (per 1) of each group."""
    groups = Groups(df, by)
    ns = numeric_column(df, n, argument="n")
    refuse_rows(ns < 0, "denominator_negative", df, n, ns)
    ns = np.where(np.isnan(ns), 0.0, ns)
    rx = _reference(df, ref_x, groups, "ref_x")
    rn = _reference(df, ref_n, groups, "ref_n")
    zero = (rn == 0) & (rx > 0)
    if zero.any():
        position = int(np.flatnonzero(zero)[0])
        raise StatsInputError("reference_zero_population", argument="ref_n", position=position)
    with np.errstate(divide="ignore", invalid="ignore"):
        contribution = ns * rx / rn
        expected = groups.sum(contribution, skipna=True)
        ref_rate = groups.sum(rx, skipna=True) / groups.sum(rn, skipna=True)
    if observed is None:
        xs = numeric_column(df, x, argument="x")
        refuse_rows(xs < 0, "count_negative", df, x, xs)
        obs = groups.sum(xs, skipna=True)
    else:
        obs = _observed_totals(observed, groups, x)
    return groups, obs, expected, ref_rate


def _reference(df, ref, groups: Groups, argument: str) -> np.ndarray:
    """Per-row reference values from a column name or a per-age-band vector."""
    if isinstance(ref, str):
        values = numeric_column(df, ref, argument=argument)
        bad = values < 0
        if bad.any():
            position = int(np.flatnonzero(bad)[0])
            raise StatsInputError("reference_negative", argument=argument, value=float(values[position]),
                                  position=position)
        return values
    vector = as_vector(ref, argument=argument)
    bad = vector < 0
    if bad.any():
        position = int(np.flatnonzero(bad)[0])
        raise StatsInputError("reference_negative", argument=argument, value=float(vector[position]),
                              position=position)
    counts = groups.count()
    wrong = np.flatnonzero(counts != len(vector))
    if wrong.size:
        g = int(wrong[0])
        raise StatsInputError("group_size_mismatch", group=groups.describe(g), rows=int(counts[g]),
                              expected=len(vector),
                              why=f"une ligne par valeur de {argument} (une par tranche d'âge, dans le même ordre)")
    return vector[groups.position()]


def _observed_totals(observed, groups: Groups, x: str) -> np.ndarray:
    if not isinstance(observed, pd.DataFrame):
        if groups.by:
            raise StatsInputError("argument_invalid", argument="observed", value=type(observed).__name__,
                                  accepted="un tableau (DataFrame) avec les colonnes de regroupement et " + x)
        table = pd.DataFrame({x: [observed]})
    else:
        table = observed
    require_columns(table, [*groups.by, x])
    values = numeric_column(table, x, argument="observed")
    if not groups.by:
        if len(table) != 1 or np.isnan(values[0]):
            raise StatsInputError("observed_incomplete", group=groups.describe(0), column=x)
        if values[0] < 0:
            raise StatsInputError("count_negative", column=x, row=1, label="0", value=values[0], count=1)
        return values[:1].copy()
    keys = table[groups.by]
    duplicated = keys.duplicated(keep=False).to_numpy()
    if duplicated.any():
        row = table.loc[duplicated].iloc[0]
        raise StatsInputError("observed_duplicate", group=", ".join(f"{c} = {row[c]!r}" for c in groups.by))
    refuse_rows(values < 0, "count_negative", table, x, values)
    lookup = table[groups.by].copy()
    lookup["__observed"] = values
    merged = groups.keys.merge(lookup, on=groups.by, how="left", sort=False)
    totals = merged["__observed"].to_numpy(dtype=float, na_value=np.nan)
    missing = np.flatnonzero(np.isnan(totals))
    if missing.size:
        raise StatsInputError("observed_incomplete", group=groups.describe(int(missing[0])), column=x)
    return totals
