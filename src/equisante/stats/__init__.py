"""Public-health statistics that reproduce the reference implementations.

Pure library (NumPy, SciPy, pandas; no Django), vectorised over many areas at once. Methods and
reference values: ``docs/stats.md``. Every DataFrame function groups by the optional ``by`` columns
and returns ``by`` columns, ``value``, ``lower``, ``upper``, the totals used, ``method`` and
``confidence``.

Names are loaded lazily so that ``from equisante import stats`` stays cheap.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "byars_lower": "confidence",
    "byars_upper": "confidence",
    "wilson_lower": "confidence",
    "wilson_upper": "confidence",
    "exact_poisson_lower": "confidence",
    "exact_poisson_upper": "confidence",
    "proportion": "crude",
    "rate": "crude",
    "mean": "crude",
    "dsr": "standardisation",
    "isr": "standardisation",
    "smr": "standardisation",
    "ESP2013": "standardisation",
    "life_expectancy": "life_expectancy",
    "quantiles": "quantiles",
    "funnel_limits": "funnel",
    "funnel_significance": "funnel",
    "funnel_points": "funnel",
    "sii": "gradient",
    "summary_measures": "heat",
    "concentration_index": "concentration",
    "StatsInputError": "errors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'equisante.stats' has no attribute {name!r}")
    module = importlib.import_module(f"{__name__}.{module_name}")
    value = getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
