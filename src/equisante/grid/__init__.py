"""The analysis grid of local-health-contract actions (Annexe 3 of seed 004) as versioned reference
data, and automatic coding suggestions explained by their evidence.

>>> from equisante import grid
>>> g = grid.load_grid()
>>> g.top_level("D2.3")
'D2'
>>> s = grid.suggest("Aide aux démarches d'accès aux droits de santé")   # doctest: +SKIP
>>> [x.node_id for x in s.determinants]                                  # doctest: +SKIP
>>> many = grid.suggest_many(["Ateliers cuisine", "Maraudes"])          # doctest: +SKIP

Pure Python (no Django): the application persists validated codings and feeds them to
:meth:`Suggester.learn`.
"""

from equisante.grid.errors import GridError
from equisante.grid.learning import Coding, LabelledAction, make_coding, read_jsonl
from equisante.grid.reference import Grid, Node, available_versions, load_grid
from equisante.grid.suggest import (Evidence, Suggester, Suggestion, Suggestions, default_suggester, suggest,
                                    suggest_many)

__all__ = [
    "Coding", "Evidence", "Grid", "GridError", "LabelledAction", "Node", "Suggester", "Suggestion", "Suggestions",
    "available_versions", "default_suggester", "evaluate", "load_grid", "make_coding", "read_jsonl", "suggest",
    "suggest_many",
]


def evaluate(path, **options):
    """Held-out evaluation of the suggestions on a labelled JSONL file (see :mod:`equisante.grid.evaluation`)."""
    from equisante.grid.evaluation import evaluate as _evaluate

    return _evaluate(path, **options)
