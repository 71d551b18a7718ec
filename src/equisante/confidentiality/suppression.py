"""What to withhold in a cube so that no withheld count can be derived from what is published.

Rule, applied to every relation of the cube (a total and its parts) until nothing changes:

- a relation with no withheld cell is fine;
- a relation with exactly one withheld cell gives it back (total − Σ the other parts): one more cell
  is withheld — unless the only withheld cell is a hidden remainder whose count reveals no one
  (0 or at least the threshold);
- a relation whose withheld cells are all parts and add up to a small count (1 to threshold − 1)
  gives that small sum back: one more cell is withheld.

The cell added is the published member with the smallest non-zero count (parts before the total on
ties, then the first one), so as to withhold as little as possible; a cell withheld for one relation
is rechecked in every other relation it belongs to (commune, EPCI, département, sex, period, age), so
chains are closed. Complementary withholding is also called *secondary* suppression.
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
    relation gives a withheld count back). Arrays over every cell of the cube, hidden ones included."""

    primary: np.ndarray
    secondary: np.ndarray
    passes: int = 0

    @property
    def withheld(self) -> np.ndarray:
        return self.primary | self.secondary

    def reason(self, index: int) -> str | None:
        if self.primary[index]:
            return PRIMARY
        if self.secondary[index]:
            return SECONDARY
        return None


#: Rounds of cheap repairs (one cell in the exposed cell's own relations) before targeted ones (one
#: cell in a relation of the combination that actually pins the cell down: costlier, needed on cubes
#: where cheap repairs chase each other).
CHEAP_ROUNDS = 8
#: Then targeted rounds; past them, every published cell of those relations is withheld (a last
#: resort that always ends the loop with nothing exposed).
TARGETED_ROUNDS = 40


def decide(cube: Cube, *, audit: bool = True, rounds: int = 200) -> Decision:
    """Primary and secondary withholding of ``cube`` (see the module's rule).

    With ``audit`` (the default), the result is then attacked as a visitor would
    (:func:`equisante.confidentiality.audit.exposed_cells`: every relation solved together, so that
    combinations of relations are covered too); each withheld count still pinned down gets one more
    complementary cell in one of its relations, and the rule runs again, until nothing is exposed."""
    withheld = cube.primary | cube.hidden
    secondary = np.zeros(len(cube), dtype=bool)
    relations_of: list[list[int]] = [[] for _ in range(len(cube))]
    for r, relation in enumerate(cube.relations):
        for member in relation.members:
            relations_of[member].append(r)
    steps = _close(cube, withheld, secondary, relations_of, range(len(cube.relations)))
    if audit:
        pairs = [(relation.total, relation.parts) for relation in cube.relations]
        for _round in range(rounds):
            exposed = [cell for cell in exposed_cells(pairs, withheld) if _matters(cube, cell)]
            if not exposed:
                break
            touched: set[int] = set()
            combinations = None if _round < CHEAP_ROUNDS else _Combinations(cube, withheld)
            for cell in exposed:
                if combinations is None:
                    chosen = [_nearest_complement(cube, withheld, relations_of, cell)]
                elif _round < CHEAP_ROUNDS + TARGETED_ROUNDS:
                    chosen = [_cheapest(cube, withheld, combinations.involved(cell))]
                else:  # last resort, so that the loop always ends with nothing exposed
                    chosen = _published_members(cube, withheld, combinations.involved(cell))
                for one in chosen:
                    if one is not None and not withheld[one]:
                        withheld[one] = True
                        secondary[one] = True
                        touched.update(relations_of[one])
            if not touched:
                break
            steps += len(touched)
            steps += _close(cube, withheld, secondary, relations_of, sorted(touched))
    primary = cube.primary | cube.hidden
    return Decision(primary=primary, secondary=secondary & ~primary, passes=steps)


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


def _nearest_complement(cube: Cube, withheld: np.ndarray, relations_of, cell: int, depth: int = 6) -> int | None:
    """The cheapest published cell in the relations of ``cell``; when they are all withheld already
    (the cell is pinned down through other totals), in the relations of their members, and so on."""
    seen_cells, frontier = {cell}, [cell]
    seen_relations: set[int] = set()
    for _step in range(depth):
        relations = sorted({r for c in frontier for r in relations_of[c]} - seen_relations)
        if not relations:
            return None
        seen_relations.update(relations)
        chosen = _cheapest(cube, withheld, [cube.relations[r] for r in relations])
        if chosen is not None:
            return chosen
        frontier = [m for r in relations for m in cube.relations[r].members if m not in seen_cells]
        seen_cells.update(frontier)
    return None


class _Combinations:
    """Which relations combine to pin a withheld cell down. With A the relations restricted to the
    withheld cells, a pinned cell j has e_j = Aᵀw for w = (AAᵀ)⁺Ae_j; the relations with w ≠ 0 are the
    ones to break. AAᵀ (+ εI, as equations may repeat each other) is factorised once per round."""

    def __init__(self, cube: Cube, withheld: np.ndarray):
        from scipy import sparse
        from scipy.sparse.linalg import splu

        data, rows, columns = [], [], []
        for r, relation in enumerate(cube.relations):
            for member, sign in ((relation.total, 1.0), *((p, -1.0) for p in relation.parts)):
                if withheld[member]:
                    data.append(sign)
                    rows.append(r)
                    columns.append(member)
        self.relations = cube.relations
        self.matrix = sparse.csc_matrix((data, (rows, columns)), shape=(len(cube.relations), len(cube)))
        gram = (self.matrix @ self.matrix.T).tocsc() + 1e-9 * sparse.identity(len(cube.relations), format="csc")
        self.solver = splu(gram, permc_spec="MMD_AT_PLUS_A")

    def involved(self, cell: int) -> list:
        column = self.matrix[:, cell].toarray().ravel()
        weights = self.solver.solve(column)
        return [self.relations[r] for r in np.flatnonzero(np.abs(weights) > 1e-6)]


def _published_members(cube: Cube, withheld: np.ndarray, relations) -> list[int]:
    return sorted({m for relation in relations for m in relation.members if not withheld[m] and not cube.hidden[m]})


def _cheapest(cube: Cube, withheld: np.ndarray, relations) -> int | None:
    best = None
    for relation in relations:
        chosen = _complement(relation, withheld, cube)
        if chosen is not None:
            key = (not cube.count[chosen] > 0, cube.count[chosen], chosen)
            if best is None or key < best[0]:
                best = (key, chosen)
    return None if best is None else best[1]


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
