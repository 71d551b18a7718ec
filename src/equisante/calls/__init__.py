"""Calls for projects (AAP) and for expressions of interest (AMI): from the call to the decision.

The package is also a Django app (models, pages, importer) but importing it loads no Django: the pure
core — :func:`select` (the committee's optimal proposal), :func:`rank`, :func:`explain`, the
eligibility checks, the statistics of a call and the reader of application files — is usable from a
notebook::

    from equisante.calls import select
    proposal = select(applications, budget=1_700_000, cover="departement", min_per_group=1)

The names are loaded on first use, so that starting Django (which imports every app's package) does not
pay for pandas and SciPy's optimiser.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "select": "equisante.calls.selection",
    "propose": "equisante.calls.selection",
    "rank": "equisante.calls.selection",
    "explain": "equisante.calls.selection",
    "euros": "equisante.calls.selection",
    "Proposal": "equisante.calls.selection",
    "Rules": "equisante.calls.eligibility",
    "check_eligibility": "equisante.calls.eligibility",
    "call_statistics": "equisante.calls.statistics",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)
