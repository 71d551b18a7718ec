"""Helpers shared by the indicator tests."""

from __future__ import annotations


def write(folder, name: str, text: str, encoding: str = "utf-8"):
    """Write ``text`` to ``folder/name`` and return the path."""
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path
