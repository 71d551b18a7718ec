"""FDep: the French deprivation index of Rey et al. (2009), one value per territory (commune).

FDep is the first principal component of four commune-level variables, each standardised
(centred, divided by its standard deviation — i.e. a PCA of the correlation matrix):

- ``income``: median taxable income per consumption unit (euros);
- ``bac_share``: share of baccalauréat holders among non-students aged 15+ (percent by default);
- ``blue_collar_share``: share of blue-collar workers in the active population aged 15–64;
- ``unemployment``: unemployment rate, aged 15–64.

score_i = Σ_j v_j · z_ij, where v is the unit eigenvector of the largest eigenvalue λ₁ of the
correlation matrix and z the standardised values (standard deviation with divisor N, the
territories being the whole population of units, not a sample). The score has mean 0 and
variance λ₁. **Sign: higher = more deprived** — the eigenvector's sign is chosen so that it
points in the deprived direction (positive scalar product with (−1, −1, +1, +1) over income,
bac, blue collar, unemployment); the usual structure then has a negative income loading and a
positive unemployment loading, which is checked (a warning is issued otherwise).

Weighting. ``weights=None`` (default) reproduces Rey et al. 2009: every commune counts the same
in the means, standard deviations and correlations. ``weights="population"`` (a column name)
makes the standardisation and the correlation matrix population-weighted, so that the
component reflects the population's situation rather than that of the many small rural
communes; the formula is otherwise identical. Both are offered because they answer different
questions; the method in ``attrs`` says which was used.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from equisante.indices._validate import (
    check_nonnegative,
    check_share,
    check_unit,
    numeric,
    plain,
    weights_column,
)
from equisante.indices.errors import IndicesInputError

__all__ = ["fdep", "VARIABLES"]

#: The four variables, in order, with the sign they take in a deprivation direction.
VARIABLES = ("income", "bac_share", "blue_collar_share", "unemployment")
_DEPRIVED_DIRECTION = np.array([-1.0, -1.0, 1.0, 1.0])

REFERENCE = (
    "Rey G, Jougla E, Fouillet A, Hémon D. Ecological association between a deprivation index and "
    "mortality in France over the period 1997–2001: variations with spatial scale, degree of "
    "urbanicity, age, gender and cause of death. BMC Public Health 2009;9:33."
)


def fdep(
    df: pd.DataFrame,
    income: str,
    bac_share: str,
    blue_collar_share: str,
    unemployment: str,
    *,
    weights: str | None = None,
    unit: str = "percent",
    name: str = "fdep",
) -> pd.DataFrame:
    """FDep of each row (territory) of ``df``; higher = more deprived.

    ``income`` (euros per consumption unit, ≥ 0) and the three shares (percent in [0, 100], or
    ``unit="fraction"``) name columns. ``weights`` names a population column for a
    population-weighted standardisation and PCA (default: unweighted, as Rey et al. 2009).
    Rows missing any of the four values get NaN and do not enter the PCA.

    Returns a copy of ``df`` with the column ``name`` (default ``fdep``). ``attrs``:
    ``loadings`` (eigenvector coefficient per variable, keyed income / bac_share /
    blue_collar_share / unemployment), ``correlations`` (correlation of each variable with the
    score), ``explained_variance_ratio`` (λ₁ / 4), ``eigenvalues``, ``means``, ``std``,
    ``sign_check`` and ``method``.
    """
    upper = check_unit(unit)
    columns = dict(zip(VARIABLES, (income, bac_share, blue_collar_share, unemployment)))
    data = np.column_stack([numeric(df, column, argument=role) for role, column in columns.items()])
    check_nonnegative(df, income, data[:, 0], why="un revenu médian est positif ou nul")
    for j, role in enumerate(VARIABLES[1:], start=1):
        check_share(df, columns[role], data[:, j], unit)
    if not isinstance(name, str) or not name or name in df.columns:
        raise IndicesInputError("indices_argument_invalid", argument="name", value=name,
                                accepted="un nom de colonne absent des données")

    w = weights_column(df, weights, argument="weights") if weights is not None else np.ones(len(df))
    complete = ~np.isnan(data).any(axis=1)
    if np.count_nonzero(complete) < 3:
        raise IndicesInputError("indices_too_few_territories", count=int(np.count_nonzero(complete)), minimum=3,
                                why="une analyse en composantes principales")
    x, wc = data[complete], w[complete]
    total = wc.sum()
    if total <= 0:
        raise IndicesInputError("indices_weights_zero", column=weights)
    share = wc / total
    means = share @ x
    centred = x - means
    std = np.sqrt(share @ centred**2)
    for j, role in enumerate(VARIABLES):
        # A relative tolerance: a variable equal everywhere up to rounding is still constant.
        if std[j] <= 1e-12 * max(1.0, abs(means[j])):
            raise IndicesInputError("indices_constant_variable", column=columns[role], value=plain(x[0, j]),
                                    why="sa variance est nulle, elle ne peut pas être standardisée pour "
                                        "l'analyse en composantes principales")
    z = centred / std
    correlation = (z * share[:, None]).T @ z
    eigenvalues, eigenvectors = np.linalg.eigh(correlation)  # ascending order
    order = np.argsort(eigenvalues)[::-1]
    eigenvalues, eigenvectors = eigenvalues[order], eigenvectors[:, order]
    v = eigenvectors[:, 0]
    orientation = float(v @ _DEPRIVED_DIRECTION)
    if orientation < 0 or (orientation == 0 and v[3] < 0):
        v = -v
    scores = np.full(len(df), np.nan)
    scores[complete] = z @ v

    loadings = {role: float(v[j]) for j, role in enumerate(VARIABLES)}
    sign_check = loadings["income"] < 0 and loadings["unemployment"] > 0
    if not sign_check:
        warnings.warn(
            "FDep : la première composante n'a pas la structure attendue (coefficient du revenu "
            f"{loadings['income']:+.3f}, du chômage {loadings['unemployment']:+.3f}) ; vérifier les "
            "données avant d'interpréter l'indice comme un indice de défavorisation.",
            UserWarning,
            stacklevel=2,
        )

    out = df.copy()
    out[name] = scores
    out.attrs["loadings"] = loadings
    out.attrs["correlations"] = {role: float(v[j] * np.sqrt(max(eigenvalues[0], 0.0)))
                                 for j, role in enumerate(VARIABLES)}
    out.attrs["explained_variance_ratio"] = float(eigenvalues[0] / eigenvalues.sum())
    out.attrs["eigenvalues"] = [float(e) for e in eigenvalues]
    out.attrs["means"] = {role: float(means[j]) for j, role in enumerate(VARIABLES)}
    out.attrs["std"] = {role: float(std[j]) for j, role in enumerate(VARIABLES)}
    out.attrs["sign_check"] = bool(sign_check)
    out.attrs["method"] = {
        "name": "FDep",
        "formula": "première composante principale des quatre variables standardisées "
                   "(matrice des corrélations) ; score = Σ coefficient × valeur standardisée",
        "columns": columns,
        "weighting": "population" if weights is not None else "none",
        "weights": weights,
        "std_divisor": "N (somme des poids)",
        "territories_used": int(np.count_nonzero(complete)),
        "territories_missing": int(np.count_nonzero(~complete)),
        "unit": unit,
        "share_upper_bound": plain(upper),
        "direction": "plus élevé = plus défavorisé (défavorable)",
        "sign_rule": "vecteur propre orienté vers (−revenu, −bac, +ouvriers, +chômage)",
        "reference": REFERENCE,
    }
    return out
