"""What to withhold in a cube so that no withheld count can be derived from what is published.

Two rules, applied until the visitor's attack (:func:`equisante.confidentiality.audit.exposed_cells`,
every relation of the cube solved together) pins nothing down:

1. **Exact recovery** — a withheld count is pinned down when the equations of the relations fix it.
   It is protected by withholding the cheapest set of published cells that gives the equations a
   direction of freedom moving it: a vector ``v`` with ``A v = 0`` (every relation still holds),
   ``v[cell] = 1``, zero on the cells that stay published. The set is the support of the solution of
   a linear programme that minimises Σ cost × |v| over published cells (withheld cells are free),
   cost = 1 + ln(1 + count): few cells, small ones first. Solved on the cell's neighbourhood in the
   relations (widened when that is not enough). This is the exact-disclosure model of Fischetti and
   Salazar-González ("Models and algorithms for optimizing cell suppression in tabular data with
   linear constraints", JASA, 2000), solved cell by cell; cells withheld for one cell protect the
   others, and once protected a cell stays protected (withholding more only adds freedom).
2. **Small sums** — a relation whose withheld cells are all parts and add up to a small count (1 to
   threshold − 1) gives that small sum back: one more cell is withheld (the published member with the
   smallest non-zero count, parts before the total). The same local rule also closes a relation with
   exactly one withheld cell (unless that cell is a hidden remainder whose count reveals no one).

Complementary withholding is also called *secondary* suppression. Measured on a synthetic region
(``benchmarks/bench_confidentiality.py``): see ``docs/confidentiality.md``.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from equisante.confidentiality.audit import exposed_cells
from equisante.confidentiality.cube import Cube
from equisante.confidentiality.rules import PRIMARY, SECONDARY, small_count


@dataclass(frozen=True)
class Decision:
    """Which cells of a cube are withheld: ``primary`` (for themselves), ``secondary`` (so that no
    relation gives a withheld count back). Arrays over every cell of the cube, hidden ones included.
    ``unprotected``: withheld cells that no withholding can protect (none on additive data)."""

    primary: np.ndarray
    secondary: np.ndarray
    passes: int = 0
    unprotected: tuple[int, ...] = ()

    @property
    def withheld(self) -> np.ndarray:
        return self.primary | self.secondary

    def reason(self, index: int) -> str | None:
        if self.primary[index]:
            return PRIMARY
        if self.secondary[index]:
            return SECONDARY
        return None


#: After this many cells repaired, the attack runs again (cells protected on the way are dropped).
REAUDIT_EVERY = 40
#: Neighbourhood depths tried (in relations) before the whole cube. The first feasible one is kept:
#: depth 2 often finds only a path through the totals (a commune's parent, département and région)
#: when a cheaper cycle through neighbouring communes and years lies one relation further.
DEPTHS = (3, 4)


def decide(cube: Cube, *, audit: bool = True, rounds: int = 200) -> Decision:
    """Primary and secondary withholding of ``cube`` (see the module's rules).

    Without ``audit``, only the local rule (2) runs: each relation is closed on its own, which does not
    cover combinations of relations."""
    withheld = cube.primary | cube.hidden
    secondary = np.zeros(len(cube), dtype=bool)
    relations_of: list[list[int]] = [[] for _ in range(len(cube))]
    for r, relation in enumerate(cube.relations):
        for member in relation.members:
            relations_of[member].append(r)
    everything = range(len(cube.relations))
    unprotected: set[int] = set()
    if not audit:
        steps = _close(cube, withheld, secondary, relations_of, everything)
    else:
        steps = 0
        protection = _Protection(cube, relations_of)
        pairs = [(relation.total, relation.parts) for relation in cube.relations]
        for _round in range(rounds):
            exposed = [cell for cell in exposed_cells(pairs, withheld)
                       if _matters(cube, cell) and cell not in unprotected]
            if not exposed:
                closed = _close(cube, withheld, secondary, relations_of, everything)
                steps += closed
                if not closed:
                    break
                continue
            repaired = 0
            for cell in exposed:
                chosen = protection.complement(cell, withheld)
                if chosen is None:
                    unprotected.add(cell)
                    continue
                if len(chosen):
                    withheld[chosen] = True
                    secondary[chosen] = True
                    repaired += 1
                    steps += 1
                    if repaired >= REAUDIT_EVERY:
                        break
            closed = _close(cube, withheld, secondary, relations_of, everything)
            steps += closed
            if not repaired and not closed:  # the programme and the attack disagree: say so
                unprotected.update(exposed)
                break
    primary = cube.primary | cube.hidden
    return Decision(primary=primary, secondary=secondary & ~primary, passes=steps,
                    unprotected=tuple(sorted(unprotected)))


class _Protection:
    """The linear programme of rule 1 for one exposed cell, on its neighbourhood in the relations."""

    def __init__(self, cube: Cube, relations_of: list[list[int]]):
        from scipy import sparse

        data, rows, columns = [], [], []
        for r, relation in enumerate(cube.relations):
            for member, sign in ((relation.total, 1.0), *((p, -1.0) for p in relation.parts)):
                data.append(sign)
                rows.append(r)
                columns.append(member)
        self.cube = cube
        self.relations_of = relations_of
        self.matrix = sparse.csr_matrix((data, (rows, columns)), shape=(len(cube.relations), len(cube)))
        self.cost = 1.0 + np.log1p(np.clip(np.nan_to_num(cube.count), 0.0, None))

    def neighbourhood(self, cell: int, depth: int) -> np.ndarray:
        cells, frontier = {cell}, {cell}
        for _step in range(depth):
            reached = {m for c in frontier for r in self.relations_of[c] for m in self.cube.relations[r].members}
            frontier = reached - cells
            if not frontier:
                break
            cells |= frontier
        return np.array(sorted(cells))

    def complement(self, cell: int, withheld: np.ndarray) -> np.ndarray | None:
        """Published cells to withhold so that ``cell`` is no longer pinned down (empty when it is
        not any more); None when no withholding can protect it."""
        for depth in (*DEPTHS, None):
            columns = np.arange(len(self.cube)) if depth is None else self.neighbourhood(cell, depth)
            solution = self._solve(cell, columns, withheld)
            if solution is not None:
                return solution
        return None

    def _solve(self, cell: int, columns: np.ndarray, withheld: np.ndarray) -> np.ndarray | None:
        from scipy import sparse
        from scipy.optimize import linprog

        rows = sorted({r for c in columns for r in self.relations_of[c]})
        if not rows:
            return np.array([], dtype=int)
        block = self.matrix[rows][:, columns]
        n = len(columns)
        cost = np.where(withheld[columns], 0.0, self.cost[columns])
        bounds = [(0.0, None)] * (2 * n)
        position = int(np.searchsorted(columns, cell))
        bounds[position] = (1.0, 1.0)  # v = v⁺ − v⁻, v[cell] = 1
        bounds[n + position] = (0.0, 0.0)
        result = linprog(np.concatenate([cost, cost]), A_eq=sparse.hstack([block, -block]).tocsc(),
                         b_eq=np.zeros(len(rows)), bounds=bounds, method="highs")
        if result.status != 0:
            return None
        moved = np.abs(result.x[:n] - result.x[n:]) > 1e-7
        return columns[moved & ~withheld[columns]]


def _close(cube: Cube, withheld: np.ndarray, secondary: np.ndarray, relations_of, start) -> int:
    """Apply the rule to the relations in ``start`` and to every relation a new cell touches."""
    queue = deque(start)
    queued = np.zeros(len(cube.relations), dtype=bool)
    queued[list(start)] = True
    steps = 0
    while queue:
        r = queue.popleft()
        queued[r] = False
        relation = cube.relations[r]
        if not _needs_more(relation, withheld, cube):
            continue
        chosen = _complement(relation, withheld, cube)
        if chosen is None:
            continue  # every member is already withheld
        steps += 1
        withheld[chosen] = True
        secondary[chosen] = True
        for other in relations_of[chosen] + [r]:
            if not queued[other]:
                queued[other] = True
                queue.append(other)
    return steps


def _matters(cube: Cube, cell: int) -> bool:
    """Is pinning down ``cell`` a disclosure? Always for a stored cell; for an unpublished remainder
    only when its count is small."""
    return not cube.hidden[cell] or small_count(cube.count[cell], cube.threshold)


def _needs_more(relation, withheld: np.ndarray, cube: Cube) -> bool:
    hidden_cells = [m for m in relation.members if withheld[m]]
    if not hidden_cells:
        return False
    if len(hidden_cells) == 1:
        only = hidden_cells[0]
        if cube.hidden[only] and not small_count(cube.count[only], cube.threshold):
            return False  # an unpublished remainder that reveals no one
        return True
    if relation.total in hidden_cells:
        return False
    return small_count(float(np.sum(cube.count[hidden_cells])), cube.threshold)


def _complement(relation, withheld: np.ndarray, cube: Cube) -> int | None:
    candidates = []
    for order, member in enumerate(relation.parts + (relation.total,)):
        if withheld[member] or cube.hidden[member]:
            continue
        count = cube.count[member]
        positive = bool(count > 0)
        # positive counts first (a zero protects no sum), then the smallest, parts before the total
        candidates.append((not positive, count if positive else 0.0, order, member))
    if not candidates:
        return None
    return min(candidates)[3]
