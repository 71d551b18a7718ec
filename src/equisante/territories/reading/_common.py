"""Pieces shared by the territory readers: records, loading bytes, decoding text, checking codes.

Pure Python (no Django): an analyst can read and check a file from a notebook.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from equisante import tables
from equisante.errors import Location, Problem
from equisante.territories import problems as _catalogue  # noqa: F401 — declares the codes used here

#: A file path, its bytes, or an open binary file (an upload).
Source = str | os.PathLike | bytes | bytearray | BinaryIO

#: ``progress(stage, done, total)``: called as reading advances (stage in French).
Progress = Callable[[str, int, int], None]

#: Lengths of the database columns (``Territory.code``, ``Territory.name``): longer text is refused
#: here rather than truncated or rejected half-way by the database.
CODE_MAX_LENGTH = 32
NAME_MAX_LENGTH = 200
ZONE_TYPE_MAX_LENGTH = 40
#: Largest population a database integer column holds (PostgreSQL ``integer``).
POPULATION_MAX = 2_147_483_647

#: Official code formats by level (INSEE COG, SIREN for EPCI): a code outside them usually lost a
#: leading zero in a spreadsheet ("1001" for commune 01001). Checked unless the input is fictional.
CODE_FORMATS: dict[str, tuple[re.Pattern[str], str]] = {
    "region": (re.compile(r"\d{2}"), "2 chiffres, ex. 11 ou 04"),
    "departement": (re.compile(r"\d{2}|2[AB]|97\d"), "2 chiffres, 2A, 2B ou 97 suivi d'un chiffre, ex. 01, 2A, 974"),
    "commune": (re.compile(r"(?:\d{2}|2[AB])\d{3}"), "5 caractères, ex. 01001, 2A004, 97411"),
    "epci": (re.compile(r"\d{9}"), "numéro SIREN à 9 chiffres, ex. 200054781"),
    "iris": (re.compile(r"(?:\d{2}|2[AB])\d{7}"), "9 caractères : le code de la commune puis 4 chiffres"),
}

# Control characters and lone surrogates: never in a real code or name, and refused by PostgreSQL
# (NUL) or by any UTF-8 encoder (surrogates).
_BAD_TEXT = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]")


@dataclass
class TerritoryRecord:
    """One territory read from an input: code, name and what the input adds.

    ``geometry`` is GeoJSON text (WGS84 longitude/latitude in degrees, simplified, 5 decimals);
    ``bbox`` is (min longitude, min latitude, max longitude, max latitude) in degrees.
    """

    code: str
    name: str
    location: Location
    parent: str | None = None
    geometry: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    population: int | None = None
    zone_type: str | None = None


@dataclass
class MembershipRecord:
    """``member`` belongs to ``group`` for ``share`` of it (0 < share ≤ 1)."""

    member: str
    group: str
    location: Location
    share: float = 1.0


@dataclass
class Reading:
    """What a reader found: records, problems (empty when the input is sound) and a few counts.

    Unpacks as ``records, problems = read_…(…)``.
    """

    source: str
    records: list[Any] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: Invalid geometries made valid (``repair=True``).
    repaired: int = 0
    #: Rows left out on purpose (COG rows of another TYPECOM, memberships to no group).
    skipped: int = 0
    #: Values of a ``parent_level`` column (tables written by ``equisante export territories``).
    parent_levels: set[str] = field(default_factory=set)

    def __iter__(self) -> Iterator[Any]:
        yield self.records
        yield self.problems

    def add(self, code: str, location: Location | None = None, /, **params: Any) -> None:
        self.problems.append(Problem(code, params, location or Location(source=self.source)))


def load_bytes(source: Source, name: str | None, reading: Reading) -> bytes | None:
    """The bytes of ``source`` (gunzipped when they start with the gzip magic number, whatever the
    file is called, within the import limits of :mod:`equisante.tables`); None with a problem when
    it cannot be read. Sets ``reading.source``."""
    try:
        data, reading.source = tables.load(source, name)
    except tables.TableError as exc:
        if isinstance(source, (bytes, bytearray)):
            reading.source = name or "fichier"
        elif not hasattr(source, "read"):
            reading.source = name or Path(source).name
        else:
            reading.source = name or Path(str(getattr(source, "name", "fichier"))).name
        if exc.code == "import_archive_corrupt":
            reading.add("territory_gzip_corrupt", reason=exc.params["reason"])
        else:
            reading.problems.append(exc.problem(reading.source))
        return None
    if data is None:
        reading.add("file_not_found", path=str(source) if isinstance(source, (str, Path)) else reading.source)
        return None
    return data


def decode(data: bytes, reading: Reading) -> str | None:
    """Text of a file (:func:`equisante.tables.decode`: UTF-8 with or without BOM, UTF-16 with a BOM,
    else Windows-1252). None with a problem when the text holds control characters (a binary file,
    a wrong encoding, or UTF-16 without BOM)."""
    try:
        return tables.decode(data)
    except tables.TableError as exc:
        reading.problems.append(exc.problem(reading.source))
        return None


def describe_value(value: Any, limit: int = 40) -> str:
    """A short French rendering of a raw value for messages."""
    if value is None:
        return "nulle"
    if isinstance(value, bool):
        return "« vrai »" if value else "« faux »"
    if isinstance(value, (dict, list)):
        return "un objet" if isinstance(value, dict) else "une liste"
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"« {text} »"


def clean_code(value: Any) -> tuple[str | None, str | None]:
    """(code, None) for a usable code, (None, French reason) otherwise, (None, None) when empty.

    Numbers are accepted as their digits (a GeoJSON written by a tool that took codes for numbers);
    their lost leading zeros are caught by :func:`code_format_problem`."""
    if value is None:
        return None, None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        kind = "un nombre décimal" if isinstance(value, float) else "une liste ou un objet"
        if isinstance(value, bool):
            kind = "un booléen"
        return None, f"attendu un texte, trouvé {kind}"
    text = str(value).strip()
    if not text:
        return None, None
    if _BAD_TEXT.search(text):
        return None, "il contient un caractère de contrôle ou invalide"
    if _SPACES.search(text):
        return None, "il contient une espace"
    if len(text) > CODE_MAX_LENGTH:
        return None, f"il dépasse {CODE_MAX_LENGTH} caractères"
    return text, None


def clean_name(value: Any) -> tuple[str | None, str | None]:
    """Like :func:`clean_code` for a name (numbers allowed, inner spaces of course)."""
    if value is None:
        return None, None
    if isinstance(value, (dict, list, bool)):
        return None, "attendu un texte, trouvé une liste, un objet ou un booléen"
    text = " ".join(str(value).split())
    if not text:
        return None, None
    if _BAD_TEXT.search(text):
        return None, "il contient un caractère de contrôle ou invalide"
    if len(text) > NAME_MAX_LENGTH:
        return None, f"il dépasse {NAME_MAX_LENGTH} caractères"
    return text, None


def clean_zone_type(value: Any) -> tuple[str | None, str | None]:
    """Like :func:`clean_name` for a zone type (``Territory.zone_type``: 40 characters)."""
    text, why = clean_name(value)
    if text is not None and len(text) > ZONE_TYPE_MAX_LENGTH:
        return None, f"il dépasse {ZONE_TYPE_MAX_LENGTH} caractères"
    return text, why


def clean_population(value: Any) -> tuple[int | None, bool]:
    """(persons, ok): None and ok for an absent value; ok False for anything but a whole number
    between 0 and :data:`POPULATION_MAX` (spaces as thousands separators accepted)."""
    if value is None:
        return None, True
    if isinstance(value, bool):
        return None, False
    if isinstance(value, str):
        text = _SPACES.sub("", value)
        if not text:
            return None, True
        if text.isascii() and text.isdigit():
            number: Any = int(text)
        else:
            try:
                number = float(text.replace(",", "."))
            except ValueError:
                return None, False
    else:
        number = value
    if isinstance(number, float):
        if not number.is_integer():
            return None, False
        number = int(number)
    if not isinstance(number, int) or not 0 <= number <= POPULATION_MAX:
        return None, False
    return number, True


def code_format_problem(code: str, level: str | None) -> tuple[str, str] | None:
    """(level, expected format) when ``code`` does not follow the official format of ``level``."""
    if level not in CODE_FORMATS:
        return None
    pattern, expected = CODE_FORMATS[level]
    return None if pattern.fullmatch(code) else (level, expected)


def who(code: str | None, name: str | None) -> str:
    """How a message names a territory: « 75056 Paris », « 75056 » or « sans code »."""
    if code and name:
        return f"« {code} {name} »"
    if code:
        return f"« {code} »"
    return f"« {name} » (sans code)" if name else "sans code"


def step(progress: Progress | None, stage: str, done: int, total: int) -> None:
    if progress is not None:
        progress(stage, done, total)
