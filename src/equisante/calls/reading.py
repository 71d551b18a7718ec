"""The applications file of a call: one row per application, CSV or XLSX (pure: no Django).

Columns (:data:`HEADERS`: the French headers in brackets are those written by the template; the English
names of earlier files and a few other spellings are accepted, case and accents ignored):

- required: ``reference`` (référence), ``title`` (titre, intitulé), ``promoter`` (porteur),
  ``promoter_kind`` (type de porteur: a key or a label of
  :data:`~equisante.calls.eligibility.PROMOTER_KINDS`), ``territories`` (territoires: codes
  separated by ``;``), ``requested`` (montant demandé, euros);
- optional: ``total_cost`` (coût total), ``summary`` (résumé).

Amounts accept « 12000 », « 12 000 », « 12000,50 », « 12 000 € ». Everything is checked first: when
there is a problem, :func:`read_applications` raises :class:`~equisante.errors.InputRejected` listing
every one (line as a spreadsheet shows it, header = line 1; column; why) and nothing is returned.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from equisante.calls import errors as _errors  # noqa: F401  (declares the codes)
from equisante.calls.eligibility import PROMOTER_KINDS
from equisante import tables
from equisante.errors import InputRejected, Location, Problem

REQUIRED = ("reference", "title", "promoter", "promoter_kind", "territories", "requested")
OPTIONAL = ("total_cost", "summary")
COLUMNS = REQUIRED + OPTIONAL
FORMATS = ("csv", "xlsx", "ods")
#: French header of each column: what exports and the template write; the English names and the
#: aliases below are accepted too.
HEADERS = {
    "reference": "Référence", "title": "Titre", "promoter": "Porteur", "promoter_kind": "Type de porteur",
    "territories": "Territoires", "requested": "Montant demandé", "total_cost": "Coût total", "summary": "Résumé",
}

_ALIASES = {
    "reference": ["reference", "ref", "numero"],
    "title": ["titre", "intitule", "intitule_du_projet", "projet"],
    "promoter": ["porteur", "structure", "porteur_du_projet"],
    "promoter_kind": ["type_de_porteur", "type_porteur", "statut_du_porteur"],
    "territories": ["territoires", "territoire", "communes", "codes_territoires"],
    "requested": ["montant_demande", "montant", "subvention_demandee"],
    "total_cost": ["cout_total", "budget_total", "cout_du_projet"],
    "summary": ["resume", "description", "resume_du_projet"],
}


@dataclass(frozen=True)
class ApplicationRow:
    """One valid row of the file."""

    line: int
    reference: str
    title: str
    promoter: str
    promoter_kind: str
    territories: tuple[str, ...]
    requested: float
    total_cost: float | None
    summary: str


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


_LOOKUP = tables.header_lookup(HEADERS, _ALIASES)
_KINDS = {_fold(k): k for k in PROMOTER_KINDS} | {_fold(label): k for k, label in PROMOTER_KINDS.items()}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_amount(value: Any) -> float | None:
    """An amount in euros from a cell, or None when it is not one (negative amounts are refused)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    else:
        text = _text(value).replace("€", "").replace("\u202f", "").replace("\xa0", "").replace(" ", "")
        if not re.fullmatch(r"\d+([.,]\d{1,2})?", text):
            return None
        number = float(text.replace(",", "."))
    return number if number >= 0 and number == number and number != float("inf") else None


def read_applications(source, *, name: str | None = None, fmt: str | None = None,
                      known_territories: set[str] | None = None) -> list[ApplicationRow]:
    """Read and check an applications file (path, bytes or binary stream; CSV, XLSX or ODS, through the
    shared reader :func:`equisante.tables.read_rows` and its limits); all rows or an
    :class:`InputRejected` listing every problem. ``known_territories``: the territory codes that exist
    (each code of the ``territories`` column must be one of them; not checked when None)."""
    display = name or (Path(str(source)).name if isinstance(source, (str, Path)) else
                       getattr(source, "name", None) or "fichier")
    if fmt is not None and fmt not in FORMATS:
        raise InputRejected(display, [Problem("format_unknown", {"format": fmt, "accepted": ", ".join(FORMATS)},
                                              Location(display))])
    try:
        display, _kind, rows = tables.read_rows(source, name, formats=FORMATS)
    except tables.TableError as exc:
        raise InputRejected(display, [exc.problem(display)]) from None
    problems: list[Problem] = []
    rows = [(line, row) for line, row in rows if any(_text(c) for c in row)]
    if not rows:
        raise InputRejected(display, [Problem("call_file_empty", {}, Location(display))])
    (header_line, header), body = rows[0], rows[1:]
    index: dict[str, int] = {}
    for position, heading in enumerate(header):
        text = _text(heading)
        if not text:
            continue
        column = _LOOKUP.get(_fold(text))
        if column is None:
            problems.append(Problem("call_file_column_unknown", {"column": text, "expected": _expected()},
                                    Location(display, line=header_line, column=text)))
        else:
            index.setdefault(column, position)
    missing = [c for c in REQUIRED if c not in index]
    if missing:
        problems.append(Problem("call_file_columns_missing", {"missing": ", ".join(HEADERS[c] for c in missing),
                                "expected": _expected()}, Location(display, line=header_line)))
    if problems:
        raise InputRejected(display, problems)
    if not body:
        raise InputRejected(display, [Problem("call_file_empty", {}, Location(display))])

    out: list[ApplicationRow] = []
    first_line: dict[str, int] = {}
    for line, row in body:
        def cell(column):
            position = index.get(column)
            return row[position] if position is not None and position < len(row) else None

        def where(column):
            return Location(display, line=line, column=HEADERS[column])

        before = len(problems)
        values = {c: _text(cell(c)) for c in COLUMNS}
        for column in REQUIRED:
            if not values[column]:
                problems.append(Problem("call_file_cell_required", {"column": HEADERS[column]}, where(column)))
        reference = values["reference"]
        if reference:
            if reference in first_line:
                problems.append(Problem("call_file_duplicate", {"reference": reference, "first": first_line[reference]},
                                        where("reference")))
            else:
                first_line[reference] = line
        kind = _KINDS.get(_fold(values["promoter_kind"])) if values["promoter_kind"] else None
        if values["promoter_kind"] and kind is None:
            problems.append(Problem("call_file_promoter_kind_unknown", {
                "value": values["promoter_kind"], "accepted": ", ".join(PROMOTER_KINDS)}, where("promoter_kind")))
        requested = parse_amount(cell("requested")) if values["requested"] else None
        if values["requested"] and requested is None:
            problems.append(Problem("call_file_amount_invalid", {"value": values["requested"]}, where("requested")))
        total = parse_amount(cell("total_cost")) if values["total_cost"] else None
        if values["total_cost"] and total is None:
            problems.append(Problem("call_file_amount_invalid", {"value": values["total_cost"]}, where("total_cost")))
        if requested is not None and total is not None and requested > total:
            problems.append(Problem("call_file_requested_over_total", {"requested": values["requested"],
                                    "total": values["total_cost"]}, where("requested")))
        codes = tuple(dict.fromkeys(c.strip() for c in values["territories"].split(";") if c.strip()))
        if known_territories is not None:
            for code in codes:
                if code not in known_territories:
                    problems.append(Problem("call_file_territory_unknown", {"code": code}, where("territories")))
        if len(problems) == before:
            out.append(ApplicationRow(line, reference, values["title"], values["promoter"], kind, codes,
                                      requested, total, values["summary"]))
    if problems:
        raise InputRejected(display, problems)
    return out


def _expected() -> str:
    return ", ".join(HEADERS[c] for c in COLUMNS)
