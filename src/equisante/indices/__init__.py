"""Composite indices of development and deprivation, and prioritisation of territories.

Pure library (NumPy, pandas; no Django). Methods, references and worked examples:
``docs/indices.md``. Directions: IDH-2 and composites — higher = better (more developed);
FDep and EDI — higher = more deprived; quantile classes — class 1 = most deprived.
Shares are in percent (0–100) unless ``unit="fraction"``.
"""

from __future__ import annotations

# Imported eagerly, not lazily: several functions share their module's name (idh2, fdep, edi,
# composite), and a lazy loader would hand back the module once the submodule had been
# imported directly (``import equisante.indices.idh2`` binds the package attribute).
from equisante.indices.aggregate import weighted_mean_by
from equisante.indices.classes import Exemption, Rule, eligible, quantile_classes, rule_in_force, threshold_classes
from equisante.indices.composite import CompositeSpec, composite
from equisante.indices.edi import EDI_WEIGHTS, edi
from equisante.indices.errors import IndicesInputError
from equisante.indices.fdep import fdep
from equisante.indices.idh2 import idh2

__all__ = [
    "CompositeSpec",
    "EDI_WEIGHTS",
    "Exemption",
    "IndicesInputError",
    "Rule",
    "composite",
    "edi",
    "eligible",
    "fdep",
    "idh2",
    "quantile_classes",
    "rule_in_force",
    "threshold_classes",
    "weighted_mean_by",
]
