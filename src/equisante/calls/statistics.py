"""The statistics of a call (pure): received, requested, retained, amounts, by a dimension, and the
share of the envelope that goes to the most deprived territories.

Input: one row per application with the columns ``requested`` (amount asked), ``granted`` (amount
decided, 0 when refused), ``decision`` (``retenu``, ``retenu-sous-conditions``, ``refuse`` or empty),
``most_deprived`` (bool) and the dimension columns (``departement``, ``promoter_kind``,
``priority_class``…).
"""

from __future__ import annotations

import pandas as pd

RETAINED = ("retenu", "retenu-sous-conditions")

#: Column names of the statistics tables (snake_case, as in the exports) → French headers.
COLUMNS = {
    "group": "groupe",
    "received": "candidatures reçues",
    "requested": "montant demandé (€)",
    "retained": "projets retenus",
    "granted": "montant attribué (€)",
    "granted_share": "part du montant attribué (%)",
}


def _summary(frame: pd.DataFrame) -> dict:
    retained = frame["decision"].isin(RETAINED)
    return {
        "received": int(len(frame)),
        "requested": float(frame["requested"].sum()),
        "retained": int(retained.sum()),
        "granted": float(frame.loc[retained, "granted"].sum()),
    }


def call_statistics(applications: pd.DataFrame, *, envelope: float, by=("departement", "promoter_kind",
                                                                          "priority_class")) -> dict:
    """``{"summary": {...}, "by": {dimension: DataFrame}}``.

    The summary has received, requested, retained, granted, ``deprived_granted`` (amount granted to
    applications flagged ``most_deprived``), ``deprived_share_of_envelope`` and
    ``deprived_share_of_granted`` (percentages, None when the denominator is zero).
    """
    frame = applications.copy()
    for column, default in (("requested", 0.0), ("granted", 0.0), ("decision", ""), ("most_deprived", False)):
        if column not in frame.columns:
            frame[column] = default
    frame["granted"] = pd.to_numeric(frame["granted"], errors="coerce").fillna(0.0)
    frame["requested"] = pd.to_numeric(frame["requested"], errors="coerce").fillna(0.0)
    frame["decision"] = frame["decision"].fillna("")
    summary = _summary(frame)
    retained = frame["decision"].isin(RETAINED)
    deprived = frame["most_deprived"].fillna(False).astype(bool)
    summary["deprived_granted"] = float(frame.loc[retained & deprived, "granted"].sum())
    summary["envelope"] = float(envelope)
    summary["deprived_share_of_envelope"] = (100 * summary["deprived_granted"] / envelope) if envelope else None
    summary["deprived_share_of_granted"] = (
        100 * summary["deprived_granted"] / summary["granted"] if summary["granted"] else None)
    tables = {}
    for dimension in by:
        if dimension not in frame.columns:
            continue
        rows = []
        for group, part in frame.groupby(frame[dimension].fillna("—").astype(str), sort=True):
            row = {"group": group, **_summary(part)}
            row["granted_share"] = 100 * row["granted"] / summary["granted"] if summary["granted"] else None
            rows.append(row)
        tables[dimension] = pd.DataFrame(rows, columns=list(COLUMNS))
    return {"summary": summary, "by": tables}
