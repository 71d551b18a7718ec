"""The exchange format of coded action sheets: one row per sheet, CSV or XLSX (pure: no Django).

Columns (header names; French spellings such as « contrat », « titre », « thématiques » are accepted):

- always present (:data:`COLUMNS`): ``contract``, ``code``, ``axis``, ``title``, ``description``,
  ``publics``, ``partners``, ``themes``, ``determinants``, ``strategies``, ``approach``;
  the cells ``contract``, ``code`` and ``title`` must not be empty;
- optional (:data:`OPTIONAL_COLUMNS`), each may be absent: ``partner_sectors``, ``objectives``,
  ``quantified_targets``, ``ists_contribution``, ``resident_participation``, ``evaluation_planned``,
  ``funding_identified``, ``status`` (see :mod:`equisante.actionsheets.model`).

Cells:

- lists (``publics``, ``partners``, ``themes``, ``determinants``, ``strategies``,
  ``partner_sectors``) are separated by ``;``; blanks around items and empty items are ignored,
  repeated items are kept once (first position);
- ``determinants`` / ``strategies``: grid node ids (``D2.3.1``, ``S4.1``), case-insensitive;
- ``themes``: the Figure 1 labels (« Accès aux soins »), their published variants or the theme ids,
  case-, accent- and punctuation-insensitive; written back as the Figure 1 labels;
- ``approach``: the approach id, its label or abbreviation (GD, U, UP); empty = not coded;
- ``partner_sectors``: ids or labels of :data:`~equisante.actionsheets.model.SECTORS`;
- yes/no columns: « oui » / « non » (also vrai/faux, true/false, 1/0, o/n); empty = not filled in.

CSV is read as UTF-8 (with or without BOM), the separator (``;`` or ``,``) guessed from the header
line; XLSX from its first sheet. Reading validates everything first and raises
:class:`~equisante.errors.InputRejected` listing every problem (line, column, why) — no sheet is
returned when there is one. Lines are numbered as a spreadsheet shows them: the header is line 1.
Writing produces CSV (UTF-8 with BOM, ``;``-separated) or XLSX, with the French headers of
:data:`HEADERS` (the English names are still read); ``read(write(sheets)) == sheets``
when the texts have no leading/trailing blanks and list items contain no ``;``.
"""

from __future__ import annotations

import difflib
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd

from equisante.actionsheets.errors import ActionSheetError
from equisante import exports, tables
from equisante.actionsheets.model import SECTORS, ActionSheet
from equisante.errors import InputRejected, Location, Problem
from equisante.grid.errors import GridError
from equisante.grid.lexicon import fold, normalise_label
from equisante.grid.reference import Grid, load_grid

#: The columns every file has, in this order on export.
COLUMNS: tuple[str, ...] = (
    "contract", "code", "axis", "title", "description", "publics", "partners",
    "themes", "determinants", "strategies", "approach",
)
#: Optional columns (facts used by the portfolio checks), exported after :data:`COLUMNS`.
OPTIONAL_COLUMNS: tuple[str, ...] = (
    "partner_sectors", "objectives", "quantified_targets", "ists_contribution",
    "resident_participation", "evaluation_planned", "funding_identified", "status",
)
ALL_COLUMNS = COLUMNS + OPTIONAL_COLUMNS
#: Columns whose cell must not be empty.
REQUIRED_CELLS = ("contract", "code", "title")
LIST_COLUMNS = ("publics", "partners", "themes", "determinants", "strategies", "partner_sectors")
BOOLEAN_COLUMNS = (
    "quantified_targets", "ists_contribution", "resident_participation", "evaluation_planned", "funding_identified",
)
FORMATS = ("csv", "xlsx")
LIST_SEPARATOR = ";"
#: French header of each column: what exports and templates write (the English names above, and the
#: spellings of :data:`_HEADER_ALIASES`, are read too).
HEADERS = {
    "contract": "Contrat", "code": "Code de la fiche", "axis": "Axe", "title": "Titre", "description": "Description",
    "publics": "Publics", "partners": "Partenaires", "themes": "Thématiques", "determinants": "Déterminants",
    "strategies": "Stratégies", "approach": "Approche", "partner_sectors": "Secteurs partenaires",
    "objectives": "Objectifs", "quantified_targets": "Objectifs chiffrés",
    "ists_contribution": "Contribution à la réduction des ISTS", "resident_participation": "Participation des habitants",
    "evaluation_planned": "Évaluation prévue", "funding_identified": "Financement identifié", "status": "Statut",
}

# Accepted header spellings (folded: lower case, no accents, words joined by "_").
_HEADER_ALIASES = {
    "contract": ["contrat", "code_contrat", "cls"],
    "code": ["code_fiche", "fiche", "numero", "numero_fiche"],
    "axis": ["axe", "axe_strategique"],
    "title": ["titre", "intitule", "libelle"],
    "publics": ["public", "publics_cibles", "public_cible"],
    "partners": ["partenaires"],
    "themes": ["theme", "thematique", "thematiques"],
    "determinants": ["determinant"],
    "strategies": ["strategie"],
    "approach": ["approche", "type_approche", "type_d_approche"],
    "partner_sectors": ["secteurs_partenaires", "secteurs"],
    "objectives": ["objectifs"],
    "quantified_targets": ["objectifs_chiffres", "cibles_chiffrees"],
    "ists_contribution": ["contribution_ists"],
    "resident_participation": ["participation_habitants"],
    "evaluation_planned": ["evaluation_prevue"],
    "funding_identified": ["financement_identifie"],
    "status": ["statut", "etat"],
}
_TRUE = {"oui", "o", "vrai", "true", "yes", "y", "1", "x"}
_FALSE = {"non", "n", "faux", "false", "no", "0"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# --- Reading -------------------------------------------------------------------------------------


def read_action_sheets(
    source: str | Path | bytes | BinaryIO,
    *,
    format: str | None = None,
    known_contracts: Iterable[str] | None = None,
    grid: Grid | None = None,
    name: str | None = None,
) -> list[ActionSheet]:
    """The action sheets of a CSV or XLSX file, in file order.

    ``source``: a path, the file's bytes or a binary file object; ``format``: ``csv`` or ``xlsx``
    (guessed from the file name, then from the content, when omitted); ``known_contracts``: when
    given, a sheet whose contract is not in it is refused; ``grid``: the grid version to validate
    against (default: the current one); ``name``: the file name shown in messages.
    Raises :class:`InputRejected` (every problem listed) when anything is wrong.
    """
    grid = grid or load_grid()
    try:  # bytes, gunzipped, within the import limits (equisante.tables)
        data, display = tables.load(source, name)
    except tables.TableError as exc:
        display = name or (Path(str(source)).name if isinstance(source, (str, Path)) else "fichier")
        raise InputRejected(display, [exc.problem(display)]) from None
    if data is None:
        raise InputRejected(display, [Problem("file_not_found", {"path": display}, Location(source=display))])
    problems: list[Problem] = []
    fmt = (format or _format_of(display, data)).lower()
    if fmt not in FORMATS:
        problems.append(Problem("format_unknown", {"format": fmt, "accepted": ", ".join(FORMATS)}, Location(display)))
        raise InputRejected(display, problems)
    rows = _csv_rows(data, display, problems) if fmt == "csv" else _xlsx_rows(data, display, problems)
    if rows is None:
        raise InputRejected(display, problems)
    sheets = _parse_rows(rows, display, grid, None if known_contracts is None else set(known_contracts), problems)
    if problems:
        raise InputRejected(display, problems)
    return sheets


def _format_of(display: str, data: bytes) -> str:
    suffix = Path(str(display)).suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    return "csv" if suffix in ("", "txt") else suffix


def _csv_rows(data: bytes, display: str, problems: list[Problem]) -> list[tuple[int, list[Any]]] | None:
    if tables.looks_binary(data):
        try:
            tables.decode(data)
        except tables.TableError as exc:
            problems.append(exc.problem(display))
            return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(Problem("actionsheet_encoding_invalid", {"byte": f"0x{data[exc.start]:02x}",
                                "position": exc.start}, Location(display, line=line)))
        return None
    if (match := _CONTROL.search(text)) and tables.looks_binary(data):
        line = text[: match.start()].count("\n") + 1
        problems.append(Problem("import_binary_file", {"byte": f"0x{ord(match.group()):02x}",
                                "position": match.start()}, Location(display, line=line)))
        return None
    if match:
        line = text[: match.start()].count("\n") + 1
        problems.append(Problem("actionsheet_encoding_invalid", {"byte": f"0x{ord(match.group()):02x}",
                                "position": match.start()}, Location(display, line=line)))
        return None
    header_line = text.split("\n", 1)[0]
    # The separator is whichever of ";" and "," the header uses more (column names hold neither).
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    try:
        records = [[tables.strip_neutraliser(c) for c in record]
                   for _, record in tables.csv_rows(text, separator=delimiter)]
    except tables.TableError as exc:
        if exc.code == "csv_malformed":
            problems.append(Problem("actionsheet_csv_malformed", dict(exc.params), Location(display)))
        else:
            problems.append(exc.problem(display))
        return None
    # Records, not physical lines, are numbered: a quoted text over several lines is one spreadsheet row.
    return [(index, record) for index, record in enumerate(records, start=1)]


def _xlsx_rows(data: bytes, display: str, problems: list[Problem]) -> list[tuple[int, list[Any]]] | None:
    from openpyxl import load_workbook

    try:  # sizes and rows checked before anything is parsed (zip bombs)
        tables.check_workbook(data, "xlsx")
    except tables.TableError as exc:
        problems.append(exc.problem(display))
        return None
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        problems.append(Problem("actionsheet_spreadsheet_unreadable", {"reason": tables.unreadable_reason(exc)}, Location(display)))
        return None
    try:
        sheet = workbook.worksheets[0]
        return [(index, [tables.strip_neutraliser(v) for v in row])
                for index, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        workbook.close()


def _header_index(header: list[Any], display: str, problems: list[Problem]) -> dict[str, int] | None:
    lookup = {_fold_name(c): c for c in ALL_COLUMNS}
    for column, aliases in _HEADER_ALIASES.items():
        lookup.update({alias: column for alias in aliases})
    lookup.update({_fold_name(header): column for column, header in HEADERS.items()})
    index: dict[str, int] = {}
    seen: dict[str, list[int]] = {}
    ok = True
    for position, heading in enumerate(header):
        text = _text(heading)
        if not text:
            continue  # trailing empty header cells (spreadsheets) carry nothing
        column = lookup.get(_fold_name(text))
        if column is None:
            close = difflib.get_close_matches(_fold_name(text), list(lookup), n=1, cutoff=0.75)
            close = [HEADERS[lookup[close[0]]]] if close else []
            hint = f" (vouliez-vous dire « {close[0]} » ?)" if close else ""
            problems.append(Problem("actionsheet_column_unknown",
                                    {"column": text, "hint": hint, "accepted": ", ".join(HEADERS[c] for c in ALL_COLUMNS)},
                                    Location(display, line=1, column=text)))
            ok = False
            continue
        seen.setdefault(column, []).append(position)
        index.setdefault(column, position)
    for column, positions in seen.items():
        if len(positions) > 1:
            problems.append(Problem("actionsheet_column_duplicate", {"column": HEADERS[column], "count": len(positions)},
                                    Location(display, line=1, column=HEADERS[column])))
            ok = False
    missing = [c for c in COLUMNS if c not in index]
    if missing:
        found = ", ".join(_text(h) for h in header if _text(h)) or "(aucune)"
        problems.append(Problem("actionsheet_columns_missing", {"missing": ", ".join(HEADERS[c] for c in missing),
                                "expected": ", ".join(HEADERS[c] for c in COLUMNS), "found": found}, Location(display, line=1)))
        ok = False
    return index if ok else None


def _parse_rows(rows, display: str, grid: Grid, known: set[str] | None, problems: list[Problem]) -> list[ActionSheet]:
    rows = [(line, cells) for line, cells in rows if not all(_is_blank(c) for c in cells)]
    if not rows:
        problems.append(Problem("actionsheet_file_empty", {}, Location(display)))
        return []
    header_line, header = rows[0]
    index = _header_index(header, display, problems)
    if index is None:
        return []
    if len(rows) == 1:
        problems.append(Problem("actionsheet_file_empty", {}, Location(display)))
        return []
    width = max(index.values()) + 1
    last_header = max((p for p, h in enumerate(header) if _text(h)), default=-1) + 1
    resolver = _Resolver(grid)
    sheets: list[ActionSheet] = []
    first_line: dict[tuple[str, str], int] = {}
    for line, cells in rows[1:]:
        extra = [c for c in cells[max(width, last_header):] if not _is_blank(c)]
        if extra:
            problems.append(Problem("actionsheet_row_too_long", {"found": len(cells), "expected": last_header},
                                    Location(display, line=line)))
            continue
        # The identity is checked even on a faulty line, so that a duplicate is reported in the same run.
        key = tuple(_text(cells[index[c]]) if index[c] < len(cells) else "" for c in ("contract", "code"))
        if all(key) and key in first_line:
            problems.append(Problem("actionsheet_duplicate", {"contract": key[0], "code": key[1],
                                    "first_line": first_line[key]}, Location(display, line=line, column=HEADERS["code"])))
        elif all(key):
            first_line[key] = line
        sheet = _parse_row(line, cells, index, display, resolver, known, problems)
        if sheet is not None:
            sheets.append(sheet)
    return sheets


def _parse_row(line, cells, index, display, resolver: "_Resolver", known, problems) -> ActionSheet | None:
    before = len(problems)

    def cell(column: str) -> str:
        position = index.get(column)
        return _text(cells[position]) if position is not None and position < len(cells) else ""

    def where(column: str) -> Location:
        return Location(display, line=line, column=HEADERS.get(column, column))

    values: dict[str, Any] = {}
    for column in REQUIRED_CELLS:
        values[column] = cell(column)
        if not values[column]:
            problems.append(Problem("actionsheet_cell_required", {"column": HEADERS[column]}, where(column)))
    if known is not None and values["contract"] and values["contract"] not in known:
        close = difflib.get_close_matches(values["contract"], sorted(known), n=1, cutoff=0.5)
        hint = f" (vouliez-vous dire « {close[0]} » ?)" if close else " dans le registre des contrats"
        problems.append(Problem("actionsheet_contract_unknown", {"contract": values["contract"], "hint": hint},
                                where("contract")))
    for column in ("axis", "description", "objectives", "status"):
        values[column] = cell(column)
    for column in ("publics", "partners"):
        values[column] = _split(cell(column))
    for column, resolve in (("themes", resolver.theme), ("determinants", resolver.determinant),
                            ("strategies", resolver.strategy), ("partner_sectors", resolver.sector)):
        resolved = []
        for item in _split(cell(column)):
            try:
                resolved.append(resolve(item))
            except _Unknown as exc:
                problems.append(Problem(exc.code, exc.params, where(column)))
        values[column] = tuple(dict.fromkeys(resolved))
    text = cell("approach")
    values["approach"] = None
    if text:
        try:
            values["approach"] = resolver.approach(text)
        except _Unknown as exc:
            problems.append(Problem(exc.code, exc.params, where("approach")))
    for column in BOOLEAN_COLUMNS:
        values[column] = _boolean(cell(column), where(column), problems)
    if len(problems) > before:
        return None
    return ActionSheet(**values)


# --- Value resolution ----------------------------------------------------------------------------


class _Unknown(Exception):
    def __init__(self, code: str, **params: Any):
        super().__init__(code)
        self.code = code
        self.params = params


class _Resolver:
    """Turns the cells' words into grid ids, with a hint for the unknown ones."""

    def __init__(self, grid: Grid):
        self.grid = grid
        self.by_upper = {n.id.upper(): n.id for n in grid.nodes.values() if n.kind in ("determinant", "strategy")}
        self.theme_ids = {n.id.lower(): n.id for n in grid.themes()}
        self.sectors = {_fold_name(k): k for k in SECTORS} | {_fold_name(v): k for k, v in SECTORS.items()}

    def _node(self, text: str, kind: str, other: str, code: str) -> str:
        id = self.by_upper.get(text.upper().replace(" ", ""))
        if id is not None and self.grid.nodes[id].kind == kind:
            return id
        if id is not None:
            column = "strategies" if other == "strategy" else "determinants"
            hint = f" : c'est un identifiant de {'stratégie' if other == 'strategy' else 'déterminant'}, à placer dans la colonne « {column} »"
        else:
            hint = self._node_hint(text, kind)
        raise _Unknown(code, text=text, version=self.grid.version, hint=hint)

    def _node_hint(self, text: str, kind: str) -> str:
        try:
            id = self.grid.resolve_label(text, kind=kind)
            return f" ; « {text} » est le libellé de « {id} » : écrire l'identifiant"
        except GridError as exc:
            if exc.code == "grid_label_ambiguous":
                return (f" ; « {text} » est le libellé de plusieurs nœuds ({exc.params['candidates']}) : "
                        "écrire l'identifiant voulu")
        ids = [n.id for n in self.grid.of_kind(kind)]
        close = difflib.get_close_matches(text.upper(), ids, n=1, cutoff=0.6)
        return f" ; vouliez-vous dire « {close[0]} » ({self.grid.nodes[close[0]].label}) ?" if close else ""

    def determinant(self, text: str) -> str:
        return self._node(text, "determinant", "strategy", "actionsheet_determinant_unknown")

    def strategy(self, text: str) -> str:
        return self._node(text, "strategy", "determinant", "actionsheet_strategy_unknown")

    def theme(self, text: str) -> str:
        if text.lower() in self.theme_ids:
            return self.theme_ids[text.lower()]
        try:
            return self.grid.resolve_label(text, kind="theme")
        except GridError:
            pass
        labels = {normalise_label(n.label): n.label for n in self.grid.themes()}
        close = difflib.get_close_matches(normalise_label(text), list(labels), n=1, cutoff=0.6)
        hint = f" (vouliez-vous dire « {labels[close[0]]} » ?)" if close else ""
        accepted = ", ".join(f"« {n.label} »" for n in self.grid.themes())
        raise _Unknown("actionsheet_theme_unknown", text=text, hint=hint, accepted=accepted)

    def approach(self, text: str) -> str:
        try:
            return self.grid.resolve_label(text, kind="approach")
        except GridError:
            accepted = ", ".join(f"{n.id} (« {n.label} »)" for n in self.grid.approaches())
            raise _Unknown("actionsheet_approach_unknown", text=text, accepted=accepted) from None

    def sector(self, text: str) -> str:
        key = self.sectors.get(_fold_name(text))
        if key is not None:
            return key
        close = difflib.get_close_matches(_fold_name(text), list(self.sectors), n=1, cutoff=0.6)
        hint = f" (vouliez-vous dire « {self.sectors[close[0]]} » ?)" if close else ""
        raise _Unknown("actionsheet_sector_unknown", text=text, hint=hint, accepted=", ".join(SECTORS))


def _boolean(text: str, where: Location, problems: list[Problem]) -> bool | None:
    folded = fold(text)[0].strip().rstrip(".")  # not normalise_label: it drops numbers such as « 0 »
    if not folded:
        return None
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    problems.append(Problem("actionsheet_boolean_invalid", {"text": text}, where))
    return None


def _split(text: str) -> tuple[str, ...]:
    items = (item.strip() for item in text.split(LIST_SEPARATOR))
    return tuple(dict.fromkeys(item for item in items if item))


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    """A cell as stripped text (spreadsheet numbers without a spurious « .0 »)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


def _fold_name(text: str) -> str:
    return normalise_label(str(text)).replace(" ", "_")


# --- Writing -------------------------------------------------------------------------------------


def action_sheets_frame(sheets: Sequence[ActionSheet], *, optional: bool = True, grid: Grid | None = None) -> pd.DataFrame:
    """The sheets as a table in the exchange format (one row per sheet, text cells).

    Columns: :data:`COLUMNS`, then :data:`OPTIONAL_COLUMNS` when ``optional``. Lists are joined
    with « ; », themes written as their Figure 1 labels, the approach as its id, yes/no facts as
    « oui » / « non » / empty."""
    grid = grid or load_grid()
    columns = ALL_COLUMNS if optional else COLUMNS
    rows = []
    for sheet in sheets:
        row = {}
        for column in columns:
            value = getattr(sheet, column)
            if column == "themes":
                value = [grid.node(t).label if grid.is_valid(t) else t for t in value]
            if column in LIST_COLUMNS:
                value = f"{LIST_SEPARATOR} ".join(value)
            elif column in BOOLEAN_COLUMNS:
                value = "" if value is None else ("oui" if value else "non")
            elif value is None:
                value = ""
            row[column] = value
        rows.append(row)
    return pd.DataFrame(rows, columns=list(columns), dtype=object)


def write_action_sheets(
    sheets: Sequence[ActionSheet],
    target: str | Path | BinaryIO | None = None,
    format: str | None = None,
    *,
    optional: bool = True,
    grid: Grid | None = None,
) -> bytes:
    """Write the sheets in the exchange format and return the bytes.

    ``target``: a path or a binary file object (or ``None``: only return the bytes); ``format``:
    ``csv`` (UTF-8 with BOM, ``;``-separated) or ``xlsx`` (sheet « Fiches-action », then « À propos »);
    guessed from the path's suffix, else ``csv``. Headers are the French ones (:data:`HEADERS`)."""
    if format is None:
        suffix = Path(str(target)).suffix.lower().lstrip(".") if isinstance(target, (str, Path)) else ""
        format = suffix if suffix in FORMATS else "csv"
    format = format.lower()
    if format not in FORMATS:
        raise ActionSheetError("actionsheet_format_unknown", format=format, accepted=", ".join(FORMATS))
    frame = action_sheets_frame(sheets, optional=optional, grid=grid)
    columns = {key: exports.text(header) for key, header in HEADERS.items()}
    if format == "csv":
        data = exports.to_french_csv_bytes(frame, columns=columns)
    else:
        data = exports.to_xlsx_bytes({"fiches_actions": frame}, columns=columns, about=exports.About(
            title="Fiches-action au format d'échange (réimportable)",
            source="equisante, fiches-action des contrats locaux de santé"))
    if isinstance(target, (str, Path)):
        Path(target).write_bytes(data)
    elif target is not None:
        target.write(data)
    return data
