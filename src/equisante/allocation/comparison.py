"""Compare allocations: who gains, who loses, the share of each deprivation class, concentration
indices of the amounts and of the amounts per inhabitant by deprivation (pure).

Direction: deprivation class 1 is the most deprived. The concentration index
(:func:`equisante.stats.concentration_index`) ranks territories from the most deprived (rank 0) to
the least deprived (rank 1): **a negative index means the resource is concentrated in the most
deprived territories** (proportionate universalism), 0 an even spread, positive the reverse.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from equisante.stats import concentration_index

__all__ = ["class_table", "concentration", "compare", "summary"]


def class_table(frame: pd.DataFrame, *, classes: str = "deprivation_class", allocation: str = "allocation",
                population: str = "population") -> pd.DataFrame:
    """One row per deprivation class (1 = most deprived): territories, population and its share,
    amount and its share, amount per inhabitant."""
    data = frame[[classes, allocation, population]].copy()
    data = data[data[classes].notna()]
    grouped = data.groupby(classes, sort=True).agg(territories=(allocation, "size"),
                                                   population=(population, "sum"),
                                                   allocation=(allocation, "sum")).reset_index()
    grouped = grouped.rename(columns={classes: "deprivation_class"})
    grouped["deprivation_class"] = grouped["deprivation_class"].astype(int)
    pop_total, alloc_total = grouped["population"].sum(), grouped["allocation"].sum()
    grouped["population_share"] = grouped["population"] / pop_total if pop_total else np.nan
    grouped["allocation_share"] = grouped["allocation"] / alloc_total if alloc_total else np.nan
    grouped["per_capita"] = np.where(grouped["population"] > 0, grouped["allocation"] /
                                     grouped["population"].where(grouped["population"] > 0, 1), np.nan)
    return grouped


def concentration(frame: pd.DataFrame, *, rank: str, allocation: str = "allocation",
                  population: str = "population", per_capita: bool = True) -> dict:
    """Concentration index of the allocation by deprivation: ``rank`` ascends from the most deprived.

    ``per_capita=True``: the amount per inhabitant, territories weighted by their population (how the
    resource reaches people); False: the amounts themselves, one territory one weight. Returns
    ``value``, ``lower``, ``upper`` (95 %), ``se`` (NaN values when it cannot be computed)."""
    data = frame[[rank, allocation, population]].dropna()
    data = data[data[population] > 0]
    empty = {"value": np.nan, "lower": np.nan, "upper": np.nan, "se": np.nan}
    if len(data) < 3 or data[allocation].sum() <= 0:
        return empty
    if per_capita:
        table = pd.DataFrame({"h": data[allocation] / data[population], "r": data[rank], "w": data[population]})
        out = concentration_index(table, "h", "r", population="w")
    else:
        table = pd.DataFrame({"h": data[allocation], "r": data[rank]})
        out = concentration_index(table, "h", "r")
    row = out.iloc[0]
    return {"value": float(row["value"]), "lower": float(row["lower"]), "upper": float(row["upper"]),
            "se": float(row["se"])}


def compare(first: pd.DataFrame, second: pd.DataFrame, *, key: str = "code", population: str = "population",
            allocation: str = "allocation") -> pd.DataFrame:
    """Territory by territory: both amounts, the difference (second − first), both amounts per
    inhabitant. Territories in one frame only count 0 in the other."""
    a = first[[key, population, allocation]].rename(columns={allocation: "allocation_a"})
    b = second[[key, allocation]].rename(columns={allocation: "allocation_b"})
    out = a.merge(b, on=key, how="outer")
    if out[population].isna().any():
        extra = second.set_index(key)[population]
        out[population] = out[population].fillna(out[key].map(extra))
    out[["allocation_a", "allocation_b"]] = out[["allocation_a", "allocation_b"]].fillna(0.0)
    out["difference"] = out["allocation_b"] - out["allocation_a"]
    positive = out[population].where(out[population] > 0)
    out["per_capita_a"] = out["allocation_a"] / positive
    out["per_capita_b"] = out["allocation_b"] / positive
    return out


def summary(frame: pd.DataFrame, *, classes: str = "deprivation_class", rank: str = "deprivation_rank",
            allocation: str = "allocation", population: str = "population") -> dict:
    """Total, amount per inhabitant, share going to the most deprived class, and the two
    concentration indices (amounts per inhabitant weighted by population; amounts)."""
    total = float(frame[allocation].sum())
    people = float(frame[population].sum())
    table = class_table(frame, classes=classes, allocation=allocation, population=population) \
        if classes in frame.columns and frame[classes].notna().any() else pd.DataFrame()
    most = table.iloc[0] if len(table) else None
    return {
        "total": total,
        "population": people,
        "per_capita": total / people if people else np.nan,
        "most_deprived_share": float(most["allocation_share"]) if most is not None else np.nan,
        "most_deprived_population_share": float(most["population_share"]) if most is not None else np.nan,
        "classes": table,
        "concentration_per_capita": concentration(frame, rank=rank, allocation=allocation, population=population)
        if rank in frame.columns else None,
        "concentration_amounts": concentration(frame, rank=rank, allocation=allocation, population=population,
                                               per_capita=False) if rank in frame.columns else None,
    }
