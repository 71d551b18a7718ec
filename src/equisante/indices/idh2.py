"""IDH-2: the Île-de-France adaptation of the UNDP human development index, one value per territory.

Three sub-indices, each (v − floor) / (ceiling − floor):

- ``health``: life expectancy at birth, both sexes (years);
- ``education``: share of people aged 15+ out of school who hold a diploma (percent by default);
- ``income``: median taxable income per consumption unit (euros); with ``log_income=True`` the
  income, its floor and its ceiling are replaced by their natural logarithm (the IDH-4 variant,
  as the UNDP does for income).

IDH-2 = arithmetic mean of the three sub-indices. **Higher = more developed (favourable).**
The ARS Île-de-France rule "IDH-2 < 0.52" marks deprived territories (see ``classes``).

Floor and ceiling ("plancher", "plafond") default to the observed minimum and maximum of the
territories given (so the index is relative to that set); fixed bounds make values comparable
across years. With fixed bounds a value beyond them is **capped** (sub-index clipped to [0, 1]),
as the UNDP caps values at its goalposts; ``clip=False`` keeps the raw ratio. A territory missing
any of the three values has no IDH-2 (no mean of two sub-indices).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from equisante.indices._validate import (
    check_nonnegative,
    check_positive,
    check_share,
    check_unit,
    numeric,
    plain,
)
from equisante.indices.errors import IndicesInputError

__all__ = ["idh2", "COMPONENTS"]

#: The three dimensions, in output order.
COMPONENTS = ("health", "education", "income")

REFERENCE = (
    "IDH-2 : adaptation régionale (Île-de-France) de l'indicateur de développement humain du PNUD "
    "— moyenne de trois indices dimensionnels (espérance de vie à la naissance, part des 15 ans et "
    "plus sortis du système scolaire diplômés, revenu fiscal médian par unité de consommation), "
    "chacun (valeur − plancher) / (plafond − plancher) ; variante logarithmique du revenu : IDH-4. "
    "Plafonnement aux bornes : convention des notes techniques du Rapport sur le développement "
    "humain (PNUD)."
)


def idh2(
    df: pd.DataFrame,
    life_expectancy: str,
    diploma_share: str,
    income: str,
    *,
    bounds: Mapping[str, tuple[float, float]] | None = None,
    log_income: bool = False,
    clip: bool = True,
    unit: str = "percent",
    prefix: str = "",
) -> pd.DataFrame:
    """IDH-2 of each row (territory) of ``df``; higher = more developed.

    ``life_expectancy`` (years), ``diploma_share`` (percent in [0, 100], or ``unit="fraction"``)
    and ``income`` (euros per consumption unit, ≥ 0; > 0 with ``log_income``) name columns.
    ``bounds`` maps some of "health", "education", "income" to ``(floor, ceiling)`` in the units
    of the data (income bounds in euros even with ``log_income``); dimensions not given use the
    observed min/max. ``clip`` caps sub-indices to [0, 1] (only matters with fixed bounds).

    Returns a copy of ``df`` with ``health``, ``education``, ``income`` (sub-indices in [0, 1])
    and ``idh2`` (each name preceded by ``prefix``; a name already in ``df`` is refused so that
    no input column is overwritten — use e.g. ``prefix="idh2_"``). ``attrs["method"]`` records
    the bounds actually used, their origin, the log flag, the capping and the reference.
    """
    check_unit(unit)
    if not isinstance(log_income, bool):
        raise IndicesInputError("indices_argument_invalid", argument="log_income", value=log_income,
                                accepted="True ou False")
    arguments = {"health": ("life_expectancy", life_expectancy),
                 "education": ("diploma_share", diploma_share),
                 "income": ("income", income)}
    values = {c: numeric(df, column, argument=argument) for c, (argument, column) in arguments.items()}
    check_positive(df, life_expectancy, values["health"], why="une espérance de vie est strictement positive")
    check_share(df, diploma_share, values["education"], unit)
    if log_income:
        check_positive(df, income, values["income"],
                       why="le logarithme du revenu (log_income=True) exige un revenu strictement positif")
    else:
        check_nonnegative(df, income, values["income"], why="un revenu médian est positif ou nul")

    names = {c: f"{prefix}{c}" for c in (*COMPONENTS, "idh2")}
    clashes = [name for name in names.values() if name in df.columns]
    if clashes:
        raise IndicesInputError("indices_argument_invalid", argument="prefix", value=prefix,
                                accepted=f"un préfixe tel que les colonnes produites ({', '.join(clashes)}) "
                                         "n'existent pas déjà dans les données, par ex. « idh2_ »")

    fixed = _fixed_bounds(bounds, log_income)
    used: dict[str, tuple[float, float]] = {}
    origin: dict[str, str] = {}
    clipped: dict[str, int] = {}
    sub: dict[str, np.ndarray] = {}
    for component in COMPONENTS:
        v = values[component]
        if component in fixed:
            floor, ceiling = fixed[component]
            origin[component] = "fixed"
        else:
            floor, ceiling = _observed(v, arguments[component][1])
            origin[component] = "observed"
        used[component] = (plain(floor), plain(ceiling))
        transform = np.log if (component == "income" and log_income) else (lambda x: x)
        with np.errstate(invalid="ignore", divide="ignore"):
            lo, hi = transform(np.float64(floor)), transform(np.float64(ceiling))
            index = (transform(v) - lo) / (hi - lo)
        outside = (index < 0) | (index > 1)
        clipped[component] = int(np.count_nonzero(outside))
        if clip:
            index = np.clip(index, 0.0, 1.0)
        sub[component] = index

    out = df.copy()
    for component in COMPONENTS:
        out[names[component]] = sub[component]
    # NaN in any dimension propagates: a territory lacking one value has no IDH-2.
    out[names["idh2"]] = (sub["health"] + sub["education"] + sub["income"]) / 3.0
    out.attrs["method"] = {
        "name": "IDH-2",
        "formula": "moyenne de (v − plancher) / (plafond − plancher) sur santé, éducation, revenu"
                   + (" ; revenu en logarithme népérien" if log_income else ""),
        "columns": {c: arguments[c][1] for c in COMPONENTS},
        "bounds": used,
        "bounds_origin": origin,
        "log_income": log_income,
        "clip": clip,
        "outside_bounds": clipped,
        "unit": unit,
        "direction": "plus élevé = plus développé (favorable)",
        "reference": REFERENCE,
    }
    return out


def _fixed_bounds(bounds, log_income: bool) -> dict[str, tuple[float, float]]:
    if bounds is None:
        return {}
    if not isinstance(bounds, Mapping):
        raise IndicesInputError("indices_argument_invalid", argument="bounds", value=bounds,
                                accepted="un dictionnaire {dimension: (plancher, plafond)}")
    out = {}
    for component, pair in bounds.items():
        if component not in COMPONENTS:
            raise IndicesInputError("indices_bounds_invalid", component=component,
                                    why="dimension inconnue ; dimensions acceptées : health, education, income")
        try:
            floor, ceiling = (float(x) for x in pair)
        except (TypeError, ValueError):
            raise IndicesInputError("indices_bounds_invalid", component=component,
                                    why=f"{pair!r} n'est pas un couple de nombres (plancher, plafond)") from None
        if not (np.isfinite(floor) and np.isfinite(ceiling)) or floor >= ceiling:
            shown = [plain(x) if np.isfinite(x) else x for x in (floor, ceiling)]
            raise IndicesInputError("indices_bounds_invalid", component=component,
                                    why=f"le plancher ({shown[0]}) doit être strictement inférieur au plafond "
                                        f"({shown[1]}), deux nombres finis")
        if component == "income" and log_income and floor <= 0:
            raise IndicesInputError("indices_bounds_invalid", component=component,
                                    why="avec log_income=True, le plancher du revenu doit être strictement positif")
        out[component] = (floor, ceiling)
    return out


def _observed(values: np.ndarray, column: str) -> tuple[float, float]:
    present = values[~np.isnan(values)]
    if present.size < 2:
        raise IndicesInputError("indices_too_few_territories", count=int(present.size), minimum=2,
                                why=f"fixer plancher et plafond observés de « {column} »")
    low, high = float(present.min()), float(present.max())
    if low == high:
        raise IndicesInputError("indices_constant_variable", column=column, value=plain(low),
                                why="le plancher et le plafond observés sont égaux ; fournissez des bornes fixes "
                                    "(argument bounds)")
    return low, high
