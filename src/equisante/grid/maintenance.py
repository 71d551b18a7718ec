"""Regenerate the grid's derived package data after editing ``data/grid-<version>.yaml``:

    python -m equisante.grid.maintenance vectors [VERSION]
    python -m equisante.grid.maintenance calibration FILE.jsonl [VERSION]

``vectors`` rewrites ``data/grid-<version>.e5.npz`` (embeddings of the grid's labels, definitions and
examples); ``calibration`` rewrites ``data/calibration-<version>.json`` (the calibrators used until
enough validated codings are available), fitted on a labelled JSONL file — run ``vectors`` first.
"""

from __future__ import annotations

import sys

from equisante.grid.embeddings import write_cache
from equisante.grid.reference import load_grid
from equisante.grid.suggest import reference_texts, write_default_calibration


def main(argv: list[str]) -> int:
    if argv[:1] == ["vectors"]:
        version = argv[1] if len(argv) > 1 else "v1"
        print(write_cache(reference_texts(load_grid(version)), version))
        return 0
    if argv[:1] == ["calibration"] and len(argv) >= 2:
        print(write_default_calibration(argv[1], argv[2] if len(argv) > 2 else "v1"))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
