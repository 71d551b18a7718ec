"""Reading the SVG the chart builders write: parse it, find marks, read the value axis back."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

NS = {"svg": "http://www.w3.org/2000/svg"}
SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    """The root element; fails the test when the text is not well-formed XML."""
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def all_text(element: ET.Element) -> str:
    return "".join(element.itertext())


def find_all(root: ET.Element, tag: str, cls: str | None = None) -> list[ET.Element]:
    found = root.iter(f"{SVG}{tag}")
    if cls is None:
        return list(found)
    return [e for e in found if cls in (e.get("class") or "").split()]


def french_number(text: str) -> float:
    """« 1 234,5 » / « −2,5 » back to a float."""
    cleaned = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("\u2212", "-")
    return float(cleaned.replace(",", "."))


def axis_map(root: ET.Element, axis: str = "y"):
    """A function from data value to pixel, read from the tick labels and grid lines of an axis."""
    group = next(g for g in find_all(root, "g") if f"eq-chart__axis--{axis}" in (g.get("class") or ""))
    lines = [e for e in group if e.tag == f"{SVG}line"]
    texts = [e for e in group if e.tag == f"{SVG}text"]
    ticks = []
    for line, label in zip(lines, texts, strict=False):
        if not re.fullmatch(r"[\u2212\-]?[\d\u00a0,]+", label.text or ""):
            continue
        pixel = float(line.get("y1") if axis == "y" else line.get("x1"))
        ticks.append((french_number(label.text), pixel))
    (v0, p0), (v1, p1) = ticks[0], ticks[-1]
    return lambda value: p0 + (value - v0) * (p1 - p0) / (v1 - v0)


def path_numbers(d: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", d)]


def check_accessible(root: ET.Element) -> None:
    """``role="img"``, and ``aria-labelledby`` pointing at a non-empty ``<title>`` and ``<desc>``."""
    assert root.get("role") == "img"
    ids = root.get("aria-labelledby").split()
    assert len(ids) == 2
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and title.get("id") == ids[0] and title.text.strip()
    assert desc is not None and desc.get("id") == ids[1] and desc.text.strip()
    assert root.get("viewBox", "").startswith("0 0 ")
