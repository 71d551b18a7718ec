"""From counts per breakdown to indicator values, through :mod:`equisante.stats` (pure).

:func:`compute_values` takes the counts of :func:`equisante.records.engines.aggregate` and gives one
value per territory and period (and per sex when the definition asks for it): a directly standardised
rate (Dobson limits), a crude rate (exact Poisson / Byar's), a proportion (Wilson) or a count.
:func:`value_table` and :func:`catalogue_table` write them in the long layout and the catalogue layout
of the indicator import (``docs/import-formats.md``), so that they enter the store through the same
validated import as any file, statistical confidentiality included.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from equisante import stats
from equisante.numbers import plural
from equisante.records.definition import Definition

__all__ = ["Summary", "complete", "compute_values", "value_table", "catalogue_table", "summarise"]


@dataclass
class Summary:
    """What the counts hold, for the French summary."""

    numerator: int = 0
    denominator: int = 0
    territories: int = 0
    cells: int = 0
    unmapped_records_numerator: int = 0
    unmapped_records_denominator: int = 0
    unmapped_codes: dict[str, int] = field(default_factory=dict)  # code ("" = missing) → denominator count
    unknown_age_or_sex: int = 0

    def lines(self) -> list[str]:
        lines = [f"Numérateur : {_n(self.numerator)} ; dénominateur : {_n(self.denominator)} ; "
                 f"{_counted(self.territories, 'territoire', 'territoires')}, "
                 f"{_counted(self.cells, 'case de ventilation', 'cases de ventilation')}."]
        if self.unmapped_codes:
            shown = ", ".join(f"{code or '(code absent)'} : {_n(n)}" for code, n in
                              sorted(self.unmapped_codes.items(), key=lambda kv: (-kv[1], kv[0]))[:10])
            more = len(self.unmapped_codes) - 10
            others = f" et {plural(more, 'autre')}" if more > 0 else ""
            lines.append(f"Codes de résidence non rattachés au millésime : "
                         f"{_counted(len(self.unmapped_codes), 'code', 'codes')}, "
                         f"{_n(self.unmapped_records_numerator)} au numérateur et "
                         f"{_n(self.unmapped_records_denominator)} au dénominateur, comptés à part "
                         f"(colonne « unmapped_code ») — {shown}{others}.")
        if self.unknown_age_or_sex:
            lines.append(_counted(self.unknown_age_or_sex, "case d'âge ou de sexe inconnu",
                                  "cases d'âge ou de sexe inconnu") + ", hors des valeurs par sexe ou standardisées.")
        return lines


def _n(value: int) -> str:
    return f"{int(value):,}".replace(",", "\u202f")


def _counted(value: int, singular: str, plural_form: str) -> str:
    return plural(int(value), singular, plural_form, number=_n(value))


def summarise(counts: pd.DataFrame) -> Summary:
    summary = Summary(numerator=int(counts["numerator"].sum()), denominator=int(counts["denominator"].sum()),
                      cells=len(counts))
    if "territory" in counts.columns:
        summary.territories = int(counts["territory"].dropna().nunique())
        unmapped = counts[counts["territory"].isna()]
        summary.unmapped_records_numerator = int(unmapped["numerator"].sum())
        summary.unmapped_records_denominator = int(unmapped["denominator"].sum())
        grouped = unmapped.groupby("unmapped_code", dropna=False)[["numerator", "denominator"]].sum()
        summary.unmapped_codes = {("" if pd.isna(code) else str(code)): int(row["numerator"] + row["denominator"])
                                  for code, row in grouped.iterrows()}
    unknown = pd.Series(False, index=counts.index)
    for column in ("age_band", "sex"):
        if column in counts.columns:
            unknown |= counts[column].isna()
    summary.unknown_age_or_sex = int(unknown.sum())
    return summary


def complete(counts: pd.DataFrame, definition: Definition) -> pd.DataFrame:
    """Counts of the mapped territories with every age band and sex present (0 where no record), so
    that empty breakdowns read as zeros rather than as missing rows."""
    frame = counts
    if "territory" in frame.columns:
        frame = frame[frame["territory"].notna()].drop(columns=["unmapped_code"])
    for column in ("age_band", "sex"):
        if column in frame.columns:
            frame = frame[frame[column].notna()]
    keys = [c for c in ("territory", "age_band", "sex", "period") if c in frame.columns]
    frame = frame.groupby(keys, dropna=False)[["numerator", "denominator"]].sum().reset_index()
    axes = {}
    for key in keys:
        if key == "age_band":
            axes[key] = list(definition.age.labels)
        elif key == "sex":
            axes[key] = ["F", "H"]
        else:
            axes[key] = sorted(frame[key].unique())
    if not len(frame):
        return frame
    grid = pd.MultiIndex.from_product([axes[k] for k in keys], names=keys)
    full = frame.set_index(keys).reindex(grid, fill_value=0).reset_index()
    return full.astype({"numerator": "int64", "denominator": "int64"})


def compute_values(counts: pd.DataFrame, definition: Definition, *, confidence: float = 0.95) -> pd.DataFrame:
    """One row per territory, period and sex (``""``: both sexes; ``F``/``H`` when ``by_sex``):
    ``territory, period, sex, numerator, denominator, value, lower, upper, state``."""
    full = complete(counts, definition)
    if "territory" not in full.columns:
        full = full.assign(territory="")
    groups = [("", full)]
    if definition.by_sex:
        groups += [(s, full[full["sex"] == s]) for s in ("F", "H")]
    parts = []
    for sex, frame in groups:
        if not len(frame):
            continue
        part = _statistic(frame, definition, confidence)
        part["sex"] = sex
        parts.append(part)
    if not parts:
        return pd.DataFrame(columns=["territory", "period", "sex", "numerator", "denominator", "value", "lower",
                                     "upper", "state"])
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values(["territory", "period", "sex"], ignore_index=True)[
        ["territory", "period", "sex", "numerator", "denominator", "value", "lower", "upper", "state"]]


def _statistic(frame: pd.DataFrame, d: Definition, confidence: float) -> pd.DataFrame:
    by = ["territory", "period"]
    totals = frame.groupby(by)[["numerator", "denominator"]].sum().reset_index()
    if d.statistic == "count":
        return totals.assign(value=totals["numerator"].astype(float), lower=np.nan, upper=np.nan, state="")
    if d.statistic == "dsr":
        bands = frame.groupby(by + ["age_band"])[["numerator", "denominator"]].sum().reset_index()
        # An age band without population contributes a zero rate (its weight stays in the standard);
        # a group with events in a band without population has no rate.
        empty = bands["denominator"] <= 0
        broken = bands.loc[empty & (bands["numerator"] > 0), by].drop_duplicates()
        usable = bands.assign(denominator=bands["denominator"].where(~empty, 1))
        if len(broken):
            flag = usable.merge(broken.assign(broken__=True), on=by, how="left")["broken__"].fillna(False)
            usable = usable[~flag.to_numpy(bool)]
        result = stats.dsr(usable, "numerator", "denominator", by=by, age_band="age_band",
                           standard=None if d.standard is None else list(d.standard), confidence=confidence,
                           multiplier=d.multiplier)
    else:
        usable = totals[totals["denominator"] > 0]
        method = stats.proportion if d.statistic == "proportion" else stats.rate
        result = method(usable, "numerator", "denominator", by=by, confidence=confidence, multiplier=d.multiplier)
    result = result.rename(columns={"numerator": "stat_numerator", "denominator": "stat_denominator"})
    out = totals.merge(result[by + ["value", "lower", "upper"]], on=by, how="left")
    # No population at all, or a value the method withholds: the value is missing, never invented.
    out["state"] = np.where(out["value"].isna(), "missing", "")
    return out


def value_table(values: pd.DataFrame, definition: Definition, *, vintage: int | None) -> pd.DataFrame:
    """The values in the long layout of the indicator import (one line per territory, period and sex)."""
    rows = values[values["territory"].astype(str) != ""]
    return pd.DataFrame({
        "indicator": definition.code,
        "level": definition.territory_level,
        "code": rows["territory"].astype(str).to_numpy(),
        "vintage": "" if vintage is None else int(vintage),
        "period": rows["period"].astype(str).to_numpy(),
        "sex": rows["sex"].to_numpy(),
        "age_band": "",
        "numerator": rows["numerator"].to_numpy(),
        "denominator": rows["denominator"].to_numpy(),
        "value": [None if pd.isna(v) else round(float(v), 6) for v in rows["value"]],
        "lower": [None if pd.isna(v) else round(float(v), 6) for v in rows["lower"]],
        "upper": [None if pd.isna(v) else round(float(v), 6) for v in rows["upper"]],
        "state": rows["state"].to_numpy(),
    })


def catalogue_table(definition: Definition) -> pd.DataFrame:
    """The indicator's line in the catalogue layout of the import."""
    return pd.DataFrame([{
        "code": definition.code,
        "label": definition.label,
        "definition": definition.definition,
        "source": definition.source,
        "unit": definition.unit,
        "polarity": definition.polarity,
        "multiplier": definition.multiplier,
        "numerator_label": definition.numerator_label,
        "denominator_label": definition.denominator_label,
        "theme": definition.theme,
        "levels": definition.territory_level,
    }])
