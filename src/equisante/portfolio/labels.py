"""French labels for the ids shown in the portfolio tables.

Two vocabularies: the grid's own labels (default, « Mode de vie », « Réorientation des services de
santé ») and the shorter labels printed in the published Figure 2 of seed 004 (« Style de vie »,
« Réorientation des services »), chosen with ``published=True``.
"""

from __future__ import annotations

import pandas as pd

from equisante.grid.reference import Grid, load_grid
from equisante.portfolio.coding import NOT_SPECIFIED

#: Labels as printed in the published Figure 2 (ids of the grid → label of the figure).
FIGURE_2_LABELS: dict[str, str] = {
    "D1": "Conditions socio-économiques",
    "D2": "Conditions de vie",
    "D3": "Environnement social",
    "D4": "Style de vie",
    "D5": "Système de soins",
    "D6": "Environnement programmatique et stratégique",
    "S1": "Renforcement des capacités individuelles",
    "S1.1": "Information",
    "S1.2": "Éducation pour la santé",
    "S2": "Renforcement des capacités des groupes et communautés",
    "S3": "Amélioration des conditions de vie",
    "S4": "Réorientation des services",
    "S4.1": "Adaptation des services",
    "S4.2": "Intégration et coordination",
    "S4.3": "Renforcement de l'offre préventive",
    "S4.4": "Renforcement capacités des PS et services de santé",
    "S5": "Développement stratégique",
    "S5.1": "Développement du partenariat intersectoriel",
    "S5.2": "Amélioration des connaissances",
    "S5.3": "Planification",
}
NOT_SPECIFIED_LABEL = "Non spécifié (NS)"
CLASS_TOTAL_LABEL = "Total de la classe"
NOT_FILLED_LABEL = "Non renseigné"
#: Pseudo-ids of the distribution tables (:mod:`equisante.portfolio.balance`).
PSEUDO_LABELS = {"non-renseigne": NOT_FILLED_LABEL, "non-classee": "Non classée"}

#: Table column holding ids → the column added next to it with their labels.
LABELLED_COLUMNS = {
    "theme": "theme_label",
    "determinant": "determinant_label",
    "strategy": "strategy_label",
    "approach": "approach_label",
}


def label(id: str | None, *, grid: Grid | None = None, published: bool = False) -> str:
    """The French label of a grid id (theme, node, approach), of ``NS``, or of an empty strategy
    (the class-total row). Unknown ids are returned as they are."""
    if id is None or id == "":
        return CLASS_TOTAL_LABEL if id == "" else NOT_FILLED_LABEL
    if id == NOT_SPECIFIED:
        return NOT_SPECIFIED_LABEL
    if id in PSEUDO_LABELS:
        return PSEUDO_LABELS[id]
    if published and id in FIGURE_2_LABELS:
        return FIGURE_2_LABELS[id]
    grid = grid or load_grid()
    return grid.node(id).label if grid.is_valid(id) else id


def add_labels(table: pd.DataFrame, *, grid: Grid | None = None, published: bool = False) -> pd.DataFrame:
    """A copy of ``table`` with a ``…_label`` column right after each id column it has (``theme``,
    ``determinant``, ``strategy``, ``approach``); ``attrs`` are kept."""
    grid = grid or load_grid()
    out = table.copy()
    for column, target in LABELLED_COLUMNS.items():
        if column in out.columns and target not in out.columns:
            values = [label(v if isinstance(v, str) else None, grid=grid, published=published) for v in out[column]]
            out.insert(out.columns.get_loc(column) + 1, target, values)
    out.attrs = dict(table.attrs)
    return out
