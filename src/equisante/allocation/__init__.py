"""Allocation by proportionate universalism, and where the money goes.

The package itself is pure (no Django): an analyst uses it from a notebook::

    from equisante.allocation import allocate, Adjustment, apply_adjustments

- :func:`allocate` — share a total among territories in proportion to population × need weight,
  within floors and caps, in whole units by largest remainder (:mod:`.rules`);
- :class:`Adjustment`, :func:`apply_adjustments` — dated adjustments of the weights with their reason
  (« +10 % pour 93, 77 et 95 à partir du … ») (:mod:`.adjustments`);
- :func:`linear_gradient`, :func:`class_weights`, :func:`deprivation_classes`,
  :func:`proportional_weights` — need weights (:mod:`.needs`);
- :func:`compare`, :func:`class_table`, :func:`concentration`, :func:`summary` — gains and losses,
  shares by deprivation class, concentration indices (:mod:`.comparison`).

The Django application (models, pages, register of grants) lives in the submodules ``models``,
``views``, ``services``…, imported only by Django.
"""

from equisante.allocation.adjustments import Adjustment, apply_adjustments
from equisante.allocation.comparison import class_table, compare, concentration, summary
from equisante.allocation.errors import AllocationError
from equisante.allocation.needs import class_weights, deprivation_classes, linear_gradient, proportional_weights
from equisante.allocation.rules import allocate

__all__ = [
    "Adjustment",
    "AllocationError",
    "allocate",
    "apply_adjustments",
    "class_table",
    "class_weights",
    "compare",
    "concentration",
    "deprivation_classes",
    "linear_gradient",
    "proportional_weights",
    "summary",
]
