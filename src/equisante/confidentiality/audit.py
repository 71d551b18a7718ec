"""The visitor's attack: which withheld counts can be pinned down from what is published?

A visitor who collects every published table knows the published counts and the additive relations
between cells (a total and its parts by sex, age, period and territory). Each relation is a linear
equation; the withheld cells are the unknowns. A withheld cell is *exposed* when the equations fix
its value whatever the other unknowns are — that is, when its unit vector lies in the row space of
the equations' matrix (equivalently, the null space of the matrix is zero on that unknown). Chains
(a recovered cell completing another total) are covered because all equations are solved together.

:func:`exposed_cells` works per connected group of unknowns (dense SVD on small blocks), so that a
whole region's indicator is audited in seconds. :func:`feasible_range` adds what non-negativity
gives (linear programming), for small cubes.

Pure (numpy, scipy; no Django).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import linalg
from scipy.optimize import linprog


def exposed_cells(relations: Sequence[tuple[int, Sequence[int]]], unknown: np.ndarray, *,
                  tolerance: float = 1e-8) -> list[int]:
    """Indices of the unknown cells that the relations determine exactly.

    ``relations``: ``(total, parts)`` index pairs (``total = Σ parts``); ``unknown``: boolean array over
    cells, True for the cells the visitor does not see.

    Exact over the reals, and fast on large cubes: equations with one unknown fix it (and it is
    substituted everywhere); an unknown that appears in a single equation is peeled off with that
    equation (it is fixed exactly when all the other unknowns of that equation are); what remains
    is solved per connected block by the null space of its matrix."""
    unknown = np.asarray(unknown, dtype=bool)
    equations: list[dict[int, float]] = []
    for total, parts in relations:
        row: dict[int, float] = {}
        if unknown[total]:
            row[total] = row.get(total, 0.0) + 1.0
        for part in parts:
            if unknown[part]:
                row[part] = row.get(part, 0.0) - 1.0
        row = {k: v for k, v in row.items() if v != 0.0}
        if row:
            equations.append(row)
    determined: set[int] = set()
    alive = set(range(len(equations)))
    where: dict[int, set[int]] = {}
    for e, row in enumerate(equations):
        for k in row:
            where.setdefault(k, set()).add(e)
    peeled: list[tuple[int, list[int]]] = []
    changed = True
    while changed:
        changed = False
        for e in list(alive):
            if e not in alive:
                continue
            row = equations[e]
            if len(row) == 1:  # one unknown: fixed
                (k,) = row
                determined.add(k)
                for other in list(where.get(k, ())):
                    equations[other].pop(k, None)
                    if not equations[other]:
                        alive.discard(other)
                where.pop(k, None)
                alive.discard(e)
                changed = True
        for k in list(where):
            places = where.get(k)
            if places is None or len(places) != 1:
                continue
            (e,) = places
            others = [o for o in equations[e] if o != k]
            peeled.append((k, others))
            for o in others:
                where[o].discard(e)
            where.pop(k, None)
            alive.discard(e)
            changed = True
    determined |= _solve_blocks([equations[e] for e in sorted(alive)], tolerance)
    for k, others in reversed(peeled):
        if all(o in determined for o in others):
            determined.add(k)
    return sorted(determined)


def _solve_blocks(equations: list[dict[int, float]], tolerance: float) -> set[int]:
    """Unknowns fixed by ``equations``, solved per connected block (null space of each matrix)."""
    if not equations:
        return set()
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for row in equations:
        first, *rest = row
        for other in rest:
            a, b = find(first), find(other)
            if a != b:
                parent[a] = b
    groups: dict[int, list[dict]] = {}
    for row in equations:
        groups.setdefault(find(next(iter(row))), []).append(row)
    fixed: set[int] = set()
    for rows in groups.values():
        columns = sorted({k for row in rows for k in row})
        if len(columns) > DENSE_LIMIT:
            fixed |= _projected_block(rows, columns, tolerance)
            continue
        position = {c: j for j, c in enumerate(columns)}
        matrix = np.zeros((len(rows), len(columns)))
        for i, row in enumerate(rows):
            for k, v in row.items():
                matrix[i, position[k]] = v
        null = _null_space(matrix)
        if null.size == 0:
            fixed.update(columns)
            continue
        free = np.abs(null).max(axis=1) >= tolerance
        fixed.update(c for c, f in zip(columns, free, strict=True) if not f)
    return fixed


def feasible_range(relations: Sequence[tuple[int, Sequence[int]]], counts: np.ndarray, unknown: np.ndarray,
                   cell: int) -> tuple[float, float]:
    """Smallest and largest value of unknown ``cell`` consistent with the published counts, the
    relations and non-negative counts (two linear programmes)."""
    unknown = np.asarray(unknown, dtype=bool)
    columns = [i for i in range(len(unknown)) if unknown[i]]
    position = {c: j for j, c in enumerate(columns)}
    a_eq, b_eq = [], []
    for total, parts in relations:
        row = np.zeros(len(columns))
        rhs = 0.0
        terms = [(total, 1.0)] + [(p, -1.0) for p in parts]
        for index, sign in terms:
            if unknown[index]:
                row[position[index]] += sign
            else:
                rhs -= sign * counts[index]
        if np.any(row):
            a_eq.append(row)
            b_eq.append(rhs)
    if not a_eq:
        return 0.0, float("inf")
    objective = np.zeros(len(columns))
    objective[position[cell]] = 1.0
    bounds = [(0, None)] * len(columns)
    low = linprog(objective, A_eq=np.array(a_eq), b_eq=np.array(b_eq), bounds=bounds, method="highs")
    high = linprog(-objective, A_eq=np.array(a_eq), b_eq=np.array(b_eq), bounds=bounds, method="highs")
    lower = low.fun if low.status == 0 else float("nan")
    upper = -high.fun if high.status == 0 else float("inf")
    return float(lower), float(upper)


#: Blocks of more unknowns than this are solved by projection (sparse) rather than dense SVD.
DENSE_LIMIT = 600
METHOD = "lu"


def _projected_block(rows: list[dict[int, float]], columns: list[int], tolerance: float) -> set[int]:
    """Unknowns of a large block fixed by its equations, by projecting random vectors on the null
    space of the (sparse) matrix A: z = x − Aᵀ(AAᵀ + εI)⁻¹Ax. A fixed unknown has z = 0 for every x
    (its unit vector is in the row space); a free one has z ≠ 0 for almost every x. Three random
    vectors, a sparse LU of AAᵀ (ε = 10⁻⁹ keeps it invertible when equations repeat each other)."""
    from scipy import sparse
    from scipy.sparse.linalg import lsqr, splu

    position = {c: j for j, c in enumerate(columns)}
    data, row_index, column_index = [], [], []
    for i, row in enumerate(rows):
        for k, v in row.items():
            data.append(v)
            row_index.append(i)
            column_index.append(position[k])
    matrix = sparse.csr_matrix((data, (row_index, column_index)), shape=(len(rows), len(columns)))
    rng = np.random.default_rng(len(columns))
    x = rng.standard_normal((len(columns), 3))
    if METHOD == "lsqr":
        z = np.empty_like(x)
        transposed = matrix.T.tocsr()
        for k in range(x.shape[1]):
            y = lsqr(transposed, x[:, k], atol=1e-14, btol=1e-14, iter_lim=20 * len(rows) + 100)[0]
            z[:, k] = x[:, k] - transposed @ y
    else:
        gram = (matrix @ matrix.T).tocsc() + 1e-9 * sparse.identity(len(rows), format="csc")
        solver = splu(gram, permc_spec="MMD_AT_PLUS_A", options={"SymmetricMode": True})
        z = x - matrix.T @ solver.solve(matrix @ x)
    free = np.abs(z).max(axis=1) > max(tolerance, 1e-6)
    return {c for c, f in zip(columns, free, strict=True) if not f}


def _null_space(matrix: np.ndarray) -> np.ndarray:
    """Orthonormal basis of the null space (SVD; the slower but sturdier LAPACK driver if needed)."""
    try:
        return linalg.null_space(matrix, rcond=1e-10)
    except np.linalg.LinAlgError:
        return linalg.null_space(matrix, rcond=1e-10, lapack_driver="gesvd")
