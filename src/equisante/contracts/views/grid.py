"""``/contrats/grille/``: the analysis grid, browsable — part 1 (D1–D6), part 2 (S1–S5), the approach
types and the health themes, each element with its id, label, published aliases, definition and
examples."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _

from equisante.contracts import coding
from equisante.contracts.models import DEFAULT_GRID_VERSION
from equisante.grid import available_versions, load_grid


def grid_page(request):
    version = request.GET.get("version", DEFAULT_GRID_VERSION)
    if version not in available_versions():
        version = DEFAULT_GRID_VERSION
    grid = load_grid(version)
    return render(request, "contracts/grid.html", {
        "grid": grid,
        "version": version,
        "versions": available_versions(),
        "determinant_tree": coding.tree(version, "determinant"),
        "strategy_tree": coding.tree(version, "strategy"),
        "approaches": grid.approaches(),
        "themes": grid.themes(),
        "counts": {"determinants": len(grid.determinants()), "strategies": len(grid.strategies())},
        "breadcrumb_data": {"current": _("Grille d'analyse des fiches-action")},
    })
