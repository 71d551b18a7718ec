"""Residence codes of a year → communes of the store's COG vintage (pure).

Records carry the commune code *of their year*; communes merge (« communes nouvelles ») and a few
change code. INSEE publishes every change in the COG's « mouvements des communes » file
(``mvt_commune_AAAA.csv``: ``MOD, DATE_EFF, TYPECOM_AV, COM_AV, …, TYPECOM_AP, COM_AP, …``), read here
with the same tolerant table reading as the COG files of the territories importer (separator,
encoding, column names in any case).

:func:`code_table` gives, for every code to map, the commune of the target vintage: a code of the
vintage maps to itself; a former code follows the changes that took effect up to 1 January of the
vintage, in date order (a merger of a merger ends at the last commune). A code that reaches no commune
of the vintage stays unmapped: engines count its records apart, by code, and the summary names it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

import equisante.records.problems  # noqa: F401
from equisante.errors import EquisanteError
from equisante.territories.reading._common import Reading
from equisante.territories.reading.cog import _table

__all__ = ["Movement", "read_history", "code_table"]


@dataclass(frozen=True)
class Movement:
    """One line of the history: ``before`` (a commune code) became ``after`` on ``date``."""

    date: dt.date
    before: str
    after: str
    kind: str = ""


def read_history(source, *, name: str | None = None) -> list[Movement]:
    """Read an INSEE « mouvements des communes » CSV (path or bytes). Only lines between communes
    (``TYPECOM_AV`` and ``TYPECOM_AP`` equal to ``COM``, or absent) are kept: delegated and associated
    communes share their code with a commune."""
    reading = Reading(source=name or str(source) if not isinstance(source, bytes) else (name or "historique"))
    table = _table(source, name, reading)
    label = reading.source
    if table is None:
        if reading.problems and reading.problems[0].code == "territory_file_empty":
            return []
        reason = str(reading.problems[0]) if reading.problems else "fichier vide"
        raise EquisanteError("records_history_invalid", source=label, line=1, reason=reason)
    columns = {}
    for wanted in ("DATE_EFF", "COM_AV", "COM_AP", "TYPECOM_AV", "TYPECOM_AP", "MOD"):
        columns[wanted] = table.find([wanted])
    for wanted in ("DATE_EFF", "COM_AV", "COM_AP"):
        if columns[wanted] is None:
            raise EquisanteError("records_history_invalid", source=label, line=1,
                                 reason=f"colonne {wanted} absente (colonnes : {', '.join(table.header)})")
    movements = []
    for line, cells in table.rows:
        def cell(key):
            index = columns[key]
            return cells[index].strip() if index is not None and index < len(cells) else ""

        if cell("TYPECOM_AV") not in ("", "COM") or cell("TYPECOM_AP") not in ("", "COM"):
            continue
        try:
            date = dt.date.fromisoformat(cell("DATE_EFF")[:10])
        except ValueError:
            raise EquisanteError("records_history_invalid", source=label, line=line,
                                 reason=f"date d'effet « {cell('DATE_EFF')} » illisible (AAAA-MM-JJ attendu)") from None
        before, after = cell("COM_AV"), cell("COM_AP")
        if not before or not after:
            raise EquisanteError("records_history_invalid", source=label, line=line,
                                 reason="code commune avant ou après vide")
        movements.append(Movement(date, before, after, cell("MOD")))
    return movements


def code_table(vintage_codes: Iterable[str], movements: Iterable[Movement] = (), *,
               vintage: int | None = None) -> pd.DataFrame:
    """``source_code → territory``: each code of the vintage to itself, each former code to the commune
    of the vintage it became (changes effective on or before 1 January of ``vintage``; all when None)."""
    known = {str(c) for c in vintage_codes}
    limit = dt.date(vintage, 1, 1) if vintage is not None else dt.date.max
    forward: dict[str, list[tuple[dt.date, str]]] = {}
    for m in sorted(movements, key=lambda m: m.date):
        if m.date <= limit and m.before != m.after:
            forward.setdefault(m.before, []).append((m.date, m.after))
    mapping = {code: code for code in known}
    for code in forward:
        if code in known:
            continue
        current, when, seen = code, dt.date.min, {code}
        while current not in known:
            steps = [(d, a) for d, a in forward.get(current, ()) if d >= when]
            if not steps:
                break
            when, current = steps[0]
            if current in seen:
                break
            seen.add(current)
        if current in known:
            mapping[code] = current
    return pd.DataFrame({"source_code": list(mapping), "territory": list(mapping.values())}).sort_values(
        "source_code", ignore_index=True)
