"""Reading a portfolio: the action-sheet exchange format of :mod:`equisante.actionsheets`."""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO

from equisante.actionsheets.exchange import read_action_sheets
from equisante.actionsheets.model import ActionSheet


def load_actions(path: str | Path | bytes | BinaryIO, **options: Any) -> list[ActionSheet]:
    """The coded action sheets of a CSV or XLSX file in the exchange format (one row per sheet).

    ``options`` are those of :func:`equisante.actionsheets.read_action_sheets` (``format``,
    ``known_contracts``, ``grid``, ``name``). Raises :class:`equisante.errors.InputRejected` listing
    every problem when the file is not valid: nothing is returned then."""
    return read_action_sheets(path, **options)
