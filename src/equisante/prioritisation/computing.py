"""Computing an index for a level from the indicator store, and storing the result (thin layer).

:func:`compute` reads the inputs (:mod:`equisante.prioritisation.store`), calls the core function
of the method (:mod:`equisante.indices`), and stores one :class:`IndexResult` with its values.
Recomputing the same index, level and period replaces the previous result.

Levels above the base level: with ``aggregation="weighted_mean"`` (IDH-2, FDep and EDI as
defined by default; STATS_METHODS §8 for FDep) the index is computed on the base level (communes)
and each territory above takes the mean of its communes weighted by their population
(:func:`equisante.indices.weighted_mean_by`; a commune partly inside an overlay such as a QPV
counts for its share of population). With ``aggregation="direct"`` the index is computed from the
level's own indicator values.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
from django.db import connection, transaction
from django.utils import timezone

from equisante import indices
from equisante.errors import EquisanteError
from equisante.prioritisation import definitions
from equisante.prioritisation.models import IndexDefinition, IndexResult, IndexValue
from equisante.prioritisation.store import Inputs, links_to, read_inputs, reachable
from equisante.territories.levels import Level

#: Output columns of each method that are stored as components of the value.
COMPONENTS = {"idh2": ("health", "education", "income")}


def get_definition(code_or_definition) -> IndexDefinition:
    if isinstance(code_or_definition, IndexDefinition):
        return code_or_definition
    try:
        return IndexDefinition.objects.get(code=code_or_definition)
    except IndexDefinition.DoesNotExist:
        known = ", ".join(IndexDefinition.objects.values_list("code", flat=True)) or "aucun"
        raise EquisanteError("prioritisation_index_unknown", code=code_or_definition, known=known) from None


def check_level(level: str) -> str:
    if level not in Level._value2member_map_:
        raise EquisanteError("prioritisation_level_unknown", level=level, accepted=", ".join(lv.value for lv in Level))
    return level


def compute(definition, level: str, period: str | None = None, *, base: IndexResult | None = None) -> IndexResult:
    """Compute ``definition`` (an :class:`IndexDefinition` or its code) for every territory of
    ``level`` with data, for the reference ``period`` (default: the latest year every input
    covers); store and return the result.

    A level above the base level of a ``weighted_mean`` definition is averaged from ``base`` (a
    result of the base level) when given, else from a fresh computation of the base level."""
    definition = get_definition(definition)
    check_level(level)
    definitions.check_definition(definition.code, definition.method, definition.inputs, definition.parameters)
    if level != definition.base_level and definition.aggregation == "weighted_mean":
        if not reachable(level, definition.base_level):
            raise EquisanteError("prioritisation_level_unreachable", index=definition.code, level=level,
                                 base=definition.base_level)
        if base is None or base.definition_id != definition.pk or base.level != definition.base_level:
            base = compute(definition, definition.base_level, period)
        return _aggregate(definition, base, level)
    inputs = read_inputs(definition.code, definitions.indicator_codes(definition.method, definition.inputs),
                         level, period)
    reference = reference_means(definition, inputs)
    scored, method, parameters = score(definition, inputs.frame, reference=reference)
    parameters["withheld_inputs"] = inputs.withheld
    return _store(definition, level, str(inputs.reference_year), inputs, scored, method, parameters)


def compute_levels(definition, levels, period: str | None = None) -> dict[str, IndexResult]:
    """Compute ``definition`` for each of ``levels``; the base level is computed once and the
    levels above averaged from that one result. Returns level → result."""
    definition = get_definition(definition)
    levels = [check_level(level) for level in levels]
    results: dict[str, IndexResult] = {}
    base = None
    if definition.aggregation == "weighted_mean" and any(lv != definition.base_level for lv in levels):
        base = compute(definition, definition.base_level, period)
        if definition.base_level in levels:
            results[definition.base_level] = base
    for level in levels:
        if level not in results:
            results[level] = compute(definition, level, period, base=base)
    return {level: results[level] for level in levels}


def reference_means(definition: IndexDefinition, inputs: Inputs) -> dict[str, float] | None:
    """EDI centred on one territory's proportions (``parameters.reference_territory``, e.g. the
    région): its values of the ten inputs, for the same periods as the scored level's."""
    anchor = (definition.parameters or {}).get("reference_territory")
    if definition.method != "edi" or not anchor:
        return None
    codes = definitions.indicator_codes(definition.method, definition.inputs)
    reference = read_inputs(definition.code, codes, anchor["level"], str(inputs.reference_year)).frame
    row = reference[reference["code"] == str(anchor["code"])]
    if row.empty or row[list(codes)].isna().any(axis=None):
        raise EquisanteError("prioritisation_parameters_invalid", code=definition.code,
                             parameter="reference_territory",
                             why=f"le territoire {anchor['level']} {anchor['code']} n'a pas les dix proportions")
    return {role: float(row.iloc[0][role]) for role in codes}


def score(definition: IndexDefinition, frame: pd.DataFrame, *,
          reference: dict[str, float] | None = None) -> tuple[pd.DataFrame, str, dict]:
    """Apply the core function of the definition's method to ``frame`` (one column per role);
    returns the frame with an ``index`` column (and components), the method's name and the
    parameters actually used (bounds, loadings…), JSON-ready."""
    p = dict(definition.parameters or {})
    method = definition.method
    if method == "idh2":
        out = indices.idh2(frame, "life_expectancy", "diploma_share", "income", bounds=p.get("bounds"),
                           log_income=bool(p.get("log_income", False)), clip=bool(p.get("clip", True)),
                           prefix="idh2_")
        out["index"] = out["idh2_idh2"]
        for component in COMPONENTS["idh2"]:
            out[component] = out[f"idh2_{component}"]
    elif method == "fdep":
        out = indices.fdep(frame, "income", "bac_share", "blue_collar_share", "unemployment",
                           weights=p.get("weights"), name="index")
    elif method == "edi":
        columns = {role: role for role in definitions.ROLES["edi"]}
        out = indices.edi(frame, **columns, standardise=p.get("standardise", "centre"),
                          reference=reference or p.get("reference"), weights=p.get("weights"), name="index")
    else:
        spec = definitions.composite_spec(definition.code, definition.inputs, p)
        out = indices.composite(frame, spec)
    return out, _method_name(out), _jsonable(_used_parameters(out))


def _method_name(out: pd.DataFrame) -> str:
    method = out.attrs.get("method", {})
    name = method.get("name", "")
    formula = method.get("formula", "")
    return f"{name} : {formula}" if name and formula else (name or formula)


def _used_parameters(out: pd.DataFrame) -> dict:
    attrs = dict(out.attrs)
    method = dict(attrs.pop("method", {}))
    used = {key: value for key, value in method.items() if key not in ("name", "formula")}
    used.update(attrs)  # loadings, explained variance, EDI weights and means…
    return used


def _jsonable(value):
    """Plain JSON types (NumPy numbers and tuples converted; NaN → None)."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        value = float(value)
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def _number(value) -> float | None:
    if value is None or pd.isna(value):
        return None
    return float(value)


@transaction.atomic
def _store(definition, level, period, inputs: Inputs, scored: pd.DataFrame, method: str, parameters: dict,
           aggregated_from: str = "") -> IndexResult:
    IndexResult.objects.filter(definition=definition, level=level, period=period).delete()
    values = scored["index"].to_numpy(dtype=float)
    present = int(np.count_nonzero(~np.isnan(values)))
    result = IndexResult.objects.create(
        definition=definition, level=level, period=period, input_periods=inputs.periods, method=method[:255],
        parameters=parameters, aggregated_from=aggregated_from, vintage=inputs.vintage, territories=present,
        territories_missing=len(values) - present, computed_at=timezone.now(),
    )
    components = [c for c in COMPONENTS.get(definition.method, ()) if c in scored.columns]
    territory_ids = scored["territory_id"].astype(int).tolist()
    populations = scored["population"].tolist() if "population" in scored.columns else [None] * len(scored)
    parts = [scored[c].tolist() for c in components]
    rows = []
    for i, territory_id in enumerate(territory_ids):
        rows.append((result.pk, territory_id, _number(values[i]), _number(populations[i]),
                     json.dumps({c: _number(part[i]) for c, part in zip(components, parts)})))
    _insert_values(rows)
    return result


def _insert_values(rows: list[tuple]) -> None:
    """Insert (result, territory, value, population, components as JSON text) rows with one
    parameterised statement: tens of thousands of communes, without building a model instance
    for each (the ORM's bulk_create spends most of its time there)."""
    meta = IndexValue._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column)
                        for name in ("result", "territory", "value", "population", "components"))
    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES (%s, %s, %s, %s, %s{cast})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start:start + 5000])


def _aggregate(definition: IndexDefinition, base: IndexResult, level: str) -> IndexResult:
    """Population-weighted means of the base result's values into the territories of ``level``."""
    frame = pd.DataFrame(list(base.values.values_list("territory_id", "value", "population")),
                         columns=["child", "value", "population"])
    links = links_to(level, frame["child"].tolist(), base.level)
    if links.empty:
        raise EquisanteError("prioritisation_no_territories", level=level, index=definition.code)
    merged = links.merge(frame, on="child", how="inner")
    merged["value"] = merged["value"].astype(float)
    # A child without a population cannot be weighted: it is left out and counted as missing.
    without_population = merged["population"].isna()
    merged["weight"] = merged["population"].fillna(0.0).astype(float) * merged["share"].astype(float)
    merged.loc[without_population, "value"] = np.nan
    means = indices.weighted_mean_by(merged, "value", "weight", "parent")
    from equisante.territories.models import Territory

    territories = {t["id"]: t for t in Territory.objects.filter(pk__in=means["parent"].tolist())
                   .values("id", "code", "name", "vintage")}
    scored = pd.DataFrame({
        "territory_id": means["parent"].astype(int),
        "index": means["value"].astype(float),
        "population": means["weight"] + means["weight_missing"],
    })
    parameters = dict(base.parameters)
    parameters["aggregation"] = {
        "method": "moyenne pondérée par la population",
        "formula": f"Σ(indice × population × part) / Σ(population × part), communes du niveau {base.level}",
        "from_level": base.level,
        "from_result_computed_at": base.computed_at.isoformat(),
        "children_missing": int(means["territories_missing"].sum()),
    }
    vintages = {t["vintage"] for t in territories.values()}
    inputs = Inputs(frame=scored, periods=base.input_periods, reference_year=int(base.period) if
                    base.period.isdigit() else 0, withheld=0, vintage=max(vintages) if vintages else None)
    method = f"{base.method} — niveau {level} : moyenne des valeurs du niveau {base.level} pondérée par la population"
    return _store(definition, level, base.period, inputs, scored, method, parameters, aggregated_from=base.level)
