"""Builders of small GeoJSON inputs for the territory tests (made-up squares)."""

from __future__ import annotations

import json
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def square(x: float, y: float, size: float = 0.01) -> list[list[float]]:
    """A closed ring: the square of side ``size`` (degrees) whose south-west corner is (x, y)."""
    x2, y2 = round(x + size, 6), round(y + size, 6)
    return [[x, y], [x2, y], [x2, y2], [x, y2], [x, y]]


def polygon(x: float = 2.3, y: float = 48.8, size: float = 0.01) -> dict:
    return {"type": "Polygon", "coordinates": [square(x, y, size)]}


def feature(code, name, geometry=None, **properties) -> dict:
    props = {"code": code, "nom": name, **properties}
    return {"type": "Feature", "properties": props, "geometry": polygon() if geometry is None else geometry}


def collection(*features) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def communes(n: int = 3, x: float = 2.0, y: float = 48.0) -> list[dict]:
    """``n`` valid communes of département 75 on a row of squares (codes 75001…)."""
    return [feature(f"75{i:03d}", f"Commune {i}", polygon(x + 0.02 * i, y)) for i in range(1, n + 1)]


def write(path: Path, document) -> Path:
    """Write ``document`` (a dict, or text / bytes as they are) to ``path``."""
    if isinstance(document, bytes):
        path.write_bytes(document)
    elif isinstance(document, str):
        path.write_text(document, encoding="utf-8")
    else:
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def codes(problems) -> list[str]:
    return [p.code for p in problems]
