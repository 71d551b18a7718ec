"""Public-health statistics that reproduce the reference implementations.

Pure library (NumPy, SciPy, pandas; no Django), vectorised over many areas at once. Methods and
reference values: ``docs/stats.md``. Every DataFrame function groups by the optional ``by`` columns
and returns ``by`` columns, ``value``, ``lower``, ``upper``, the totals used, ``method`` and
``confidence``.

The functions are imported eagerly: two of them (``quantiles``, ``life_expectancy``) share their
name with their module, and a lazy lookup would let the module shadow the function.
"""

from equisante.stats.concentration import concentration_index
from equisante.stats.confidence import (
    byars_lower,
    byars_upper,
    exact_poisson_lower,
    exact_poisson_upper,
    wilson_lower,
    wilson_upper,
)
from equisante.stats.crude import mean, proportion, rate
from equisante.stats.errors import StatsInputError
from equisante.stats.funnel import funnel_limits, funnel_points, funnel_significance
from equisante.stats.gradient import sii
from equisante.stats.heat import summary_measures
from equisante.stats.life_expectancy import life_expectancy
from equisante.stats.quantiles import quantiles
from equisante.stats.standardisation import ESP2013, dsr, isr, smr

__all__ = [
    "ESP2013",
    "StatsInputError",
    "byars_lower",
    "byars_upper",
    "concentration_index",
    "dsr",
    "exact_poisson_lower",
    "exact_poisson_upper",
    "funnel_limits",
    "funnel_points",
    "funnel_significance",
    "isr",
    "life_expectancy",
    "mean",
    "proportion",
    "quantiles",
    "rate",
    "sii",
    "smr",
    "summary_measures",
    "wilson_lower",
    "wilson_upper",
]
