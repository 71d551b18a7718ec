"""From individual records to indicators (pure; no Django): definitions in YAML
(:mod:`~equisante.records.definition`), counts on DuckDB, Spark or pandas
(:mod:`~equisante.records.engines`), residence codes mapped to the COG vintage
(:mod:`~equisante.records.codes`), values through :mod:`equisante.stats`
(:mod:`~equisante.records.compute`) and synthetic records (:mod:`~equisante.records.synthetic`).
The import into the store is :mod:`equisante.records.store` (Django side). Guide: ``docs/records.md``.
"""

from equisante.records.codes import code_table, read_history
from equisante.records.compute import compute_values, summarise
from equisante.records.definition import load_definition, parse_definition
from equisante.records.engines import EngineOptions, aggregate, count_rows

__all__ = ["EngineOptions", "aggregate", "code_table", "compute_values", "count_rows", "load_definition",
           "parse_definition", "read_history", "summarise"]
