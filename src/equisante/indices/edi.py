"""EDI, French version (Pornet et al. 2012): the European Deprivation Index at IRIS level.

EDI = Σ_j w_j · (p_j − m_j), over ten census proportions p_j expressed in **percentage points**,
each centred on its national mean m_j, with the weights of the French version (the coefficients
of the logistic regression linking the census variables to the individual deprivation indicator
built from EU-SILC):

======================  ======================================================  ======
keyword                 census proportion (percent)                              weight
======================  ======================================================  ======
``overcrowding``        households in overcrowded housing                         0.11
``no_heating``          main residences without central or electric heating       0.34
``non_owner``           households not owning their home                          0.55
``unemployment``        unemployed among the active population                    0.47
``foreign``             people of foreign nationality                             0.23
``no_car``              households without a car                                  0.52
``unskilled_workers``   unskilled or farm workers among the active population     0.37
``large_households``    households of more than 6 persons                         0.45
``low_education``       people with a low level of education                      0.19
``single_parent``       single-parent households                                  0.41
======================  ======================================================  ======

**Higher = more deprived**; 0 is the profile of the mean IRIS. Standardisation: Pornet et al.
centre each proportion on its national mean and do not divide by a standard deviation (the weights
are applied to proportions, in their own scale), which is what ``standardise="centre"`` does. The
means are those of the rows given (unweighted; population-weighted with ``weights``) unless
``reference`` supplies national means — needed when scoring a subset of France (one region) on
the national scale. ``standardise="zscore"`` (divide by the standard deviation as well) is
offered as a documented variant that is *not* the published EDI.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from equisante.indices._validate import check_share, check_unit, numeric, weights_column
from equisante.indices.errors import IndicesInputError

__all__ = ["edi", "EDI_WEIGHTS"]

#: The weights of the French EDI (Pornet et al. 2012), by keyword.
EDI_WEIGHTS: dict[str, float] = {
    "overcrowding": 0.11,
    "no_heating": 0.34,
    "non_owner": 0.55,
    "unemployment": 0.47,
    "foreign": 0.23,
    "no_car": 0.52,
    "unskilled_workers": 0.37,
    "large_households": 0.45,
    "low_education": 0.19,
    "single_parent": 0.41,
}

REFERENCE = (
    "Pornet C, Delpierre C, Dejardin O, Grosclaude P, Launay L, Guittet L, Lang T, Launoy G. "
    "Construction of an adaptable European transnational ecological deprivation index: the French "
    "version. J Epidemiol Community Health 2012;66(11):982–989."
)

_STANDARDISATIONS = ("centre", "zscore")


def edi(
    df: pd.DataFrame,
    *,
    overcrowding: str,
    no_heating: str,
    non_owner: str,
    unemployment: str,
    foreign: str,
    no_car: str,
    unskilled_workers: str,
    large_households: str,
    low_education: str,
    single_parent: str,
    standardise: str = "centre",
    reference: Mapping[str, float] | None = None,
    weights: str | None = None,
    unit: str = "percent",
    name: str = "edi",
) -> pd.DataFrame:
    """French EDI of each row (IRIS) of ``df``; higher = more deprived.

    Each keyword names the column of one of the ten proportions (see the module table), in
    percent ([0, 100]) or, with ``unit="fraction"``, in [0, 1] — fractions are converted to
    percentage points so that the score does not depend on the unit. ``reference`` maps keywords
    to national means in percent (the others are computed from the rows, population-weighted
    when ``weights`` names a population column). Rows missing any proportion get NaN.

    Returns a copy of ``df`` with the column ``name`` (default ``edi``); ``attrs["weights"]``,
    ``attrs["means"]`` (percent), ``attrs["std"]`` (zscore only) and ``attrs["method"]``.
    """
    upper = check_unit(unit)
    if standardise not in _STANDARDISATIONS:
        raise IndicesInputError("indices_argument_invalid", argument="standardise", value=standardise,
                                accepted="« centre » (EDI publié) ou « zscore » (variante)")
    columns = {"overcrowding": overcrowding, "no_heating": no_heating, "non_owner": non_owner,
               "unemployment": unemployment, "foreign": foreign, "no_car": no_car,
               "unskilled_workers": unskilled_workers, "large_households": large_households,
               "low_education": low_education, "single_parent": single_parent}
    if not isinstance(name, str) or not name or name in df.columns:
        raise IndicesInputError("indices_argument_invalid", argument="name", value=name,
                                accepted="un nom de colonne absent des données")
    reference = _reference(reference)

    data = np.empty((len(df), len(columns)))
    for j, (role, column) in enumerate(columns.items()):
        values = numeric(df, column, argument=role)
        check_share(df, column, values, unit)
        data[:, j] = values * (100.0 / upper)  # percentage points whatever the input unit
    w = weights_column(df, weights, argument="weights") if weights is not None else np.ones(len(df))

    means, stds = {}, {}
    score = np.zeros(len(df))
    for j, role in enumerate(columns):
        values = data[:, j]
        present = ~np.isnan(values)
        if role in reference:
            mean = reference[role]
        else:
            mean = _mean(values[present], w[present], columns[role], weights)
        centred = values - mean
        if standardise == "zscore":
            # The spread is the rows' own, around their own mean, even when the centre is a reference.
            own_mean = _mean(values[present], w[present], columns[role], weights)
            std = _std(values[present], w[present], own_mean, columns[role], weights)
            stds[role] = std
            centred = centred / std
        means[role] = float(mean)
        score = score + EDI_WEIGHTS[role] * centred  # NaN propagates: incomplete rows get no EDI

    out = df.copy()
    out[name] = score
    out.attrs["weights"] = dict(EDI_WEIGHTS)
    out.attrs["means"] = means
    if stds:
        out.attrs["std"] = stds
    out.attrs["method"] = {
        "name": "EDI (version française)",
        "formula": "Σ poids × (proportion en points de % − moyenne nationale)"
                   + (" / écart-type" if standardise == "zscore" else ""),
        "standardise": standardise,
        "published_method": standardise == "centre",
        "columns": columns,
        "means_origin": {role: ("reference" if role in reference else
                                ("weighted" if weights is not None else "rows")) for role in columns},
        "weights_column": weights,
        "unit": unit,
        "territories_missing": int(np.count_nonzero(np.isnan(score))),
        "direction": "plus élevé = plus défavorisé (défavorable) ; 0 = IRIS moyen",
        "reference": REFERENCE,
    }
    return out


def _reference(reference) -> dict[str, float]:
    if reference is None:
        return {}
    if not isinstance(reference, Mapping):
        raise IndicesInputError("indices_argument_invalid", argument="reference", value=reference,
                                accepted="un dictionnaire {variable: moyenne nationale en %}")
    out = {}
    for role, mean in reference.items():
        if role not in EDI_WEIGHTS:
            raise IndicesInputError("indices_argument_invalid", argument="reference", value=role,
                                    accepted=", ".join(EDI_WEIGHTS))
        try:
            mean = float(mean)
        except (TypeError, ValueError):
            mean = float("nan")
        if not 0 <= mean <= 100:
            raise IndicesInputError("indices_argument_invalid", argument=f"reference[{role!r}]", value=mean,
                                    accepted="une moyenne nationale en pourcentage, entre 0 et 100")
        out[role] = mean
    return out


def _mean(values: np.ndarray, w: np.ndarray, column: str, weights: str | None) -> float:
    if values.size == 0:
        raise IndicesInputError("indices_too_few_territories", count=0, minimum=1,
                                why=f"calculer la moyenne de « {column} » (ou fournir reference)")
    total = w.sum()
    if total <= 0:
        raise IndicesInputError("indices_weights_zero", column=weights)
    return float(w @ values / total)


def _std(values: np.ndarray, w: np.ndarray, mean: float, column: str, weights: str | None) -> float:
    total = w.sum()
    if values.size < 2 or total <= 0:
        raise IndicesInputError("indices_too_few_territories", count=int(values.size), minimum=2,
                                why=f"calculer l'écart-type de « {column} »")
    std = float(np.sqrt(w @ (values - mean) ** 2 / total))
    if std <= 1e-12 * max(1.0, abs(mean)):
        raise IndicesInputError("indices_constant_variable", column=column, value=float(values[0]),
                                why="son écart-type est nul, elle ne peut pas être réduite (standardise='zscore')")
    return std
