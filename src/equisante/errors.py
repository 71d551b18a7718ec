"""The error catalogue: every error the product reports has a code, a French title and a French
message template.

Domains declare their own entries with :func:`declare` (next to the code that raises them); the
catalogue is the union, listed by :func:`catalogue` and documented in ``docs/errors.md``.
Importers collect :class:`Problem` records (one per faulty line, feature or cell) and refuse the
whole input with :class:`InputRejected` when there is at least one: nothing is half-imported.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

from equisante.numbers import plural


@dataclass(frozen=True)
class ErrorKind:
    """One entry of the catalogue."""

    code: str
    title: str
    template: str

    def render(self, **params: Any) -> str:
        try:
            return self.template.format(**params)
        except (KeyError, IndexError):
            return self.template


_CATALOGUE: dict[str, ErrorKind] = {}

#: Modules that declare catalogue entries; imported by :func:`catalogue` so that the list is complete.
DECLARING_MODULES = [
    "equisante.errors",
    "equisante.stats.errors",
    "equisante.stats.errors_inequality",
    "equisante.territories.problems",
    "equisante.indicators.problems",
    "equisante.indices.errors",
    "equisante.grid.errors",
    "equisante.actionsheets.errors",
    "equisante.portfolio.errors",
    "equisante.contracts.problems",
    "equisante.prioritisation.problems",
    "equisante.portraits.problems",
    "equisante.profiles.problems",
    "equisante.followup.problems",
    "equisante.demo.problems",
    "equisante.records.problems",
    "equisante.jobs.problems",
    "equisante.allocation.errors",
    "equisante.calls.errors",
    "equisante.tables.errors",
    "equisante.api.problems",
]


def declare(code: str, title: str, template: str) -> ErrorKind:
    """Add an entry to the catalogue (idempotent for an identical entry)."""
    kind = ErrorKind(code, title, template)
    existing = _CATALOGUE.get(code)
    if existing is not None and existing != kind:
        raise ValueError(f"error code {code!r} declared twice with different texts")
    _CATALOGUE[code] = kind
    return kind


def kind(code: str) -> ErrorKind:
    """The catalogue entry for ``code``."""
    return _CATALOGUE[code]


def catalogue() -> list[ErrorKind]:
    """Every entry, sorted by code (imports the declaring modules first)."""
    for module in DECLARING_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError:
            continue
    return sorted(_CATALOGUE.values(), key=lambda k: k.code)


@dataclass
class Location:
    """Where a problem sits in an input: file, line (1-based, header = 1), feature index, column."""

    source: str | None = None
    line: int | None = None
    feature: int | None = None
    column: str | None = None

    def describe(self) -> str:
        parts = []
        if self.source:
            parts.append(f"{self.source}")
        if self.line is not None:
            parts.append(f"ligne {self.line}")
        if self.feature is not None:
            parts.append(f"objet n° {self.feature}")
        if self.column:
            parts.append(f"colonne « {self.column} »")
        return ", ".join(parts)


@dataclass
class Problem:
    """One catalogued problem found in an input, with its location and parameters."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)
    location: Location = field(default_factory=Location)

    @property
    def title(self) -> str:
        return kind(self.code).title

    @property
    def message(self) -> str:
        return kind(self.code).render(**self.params)

    def __str__(self) -> str:
        where = self.location.describe()
        prefix = f"{where} : " if where else ""
        return f"{prefix}{self.title} — {self.message} [{self.code}]"


class EquisanteError(Exception):
    """Base of the product's errors: a catalogue code, its parameters and an optional location."""

    def __init__(self, code: str, /, location: Location | None = None, **params: Any):
        self.code = code
        self.params = params
        self.location = location or Location()
        super().__init__(str(self))

    @property
    def title(self) -> str:
        return kind(self.code).title

    @property
    def message(self) -> str:
        return kind(self.code).render(**self.params)

    def __str__(self) -> str:
        return str(Problem(self.code, self.params, self.location))


class InputRejected(EquisanteError):
    """An input refused as a whole because of the listed problems; nothing was imported."""

    def __init__(self, source: str, problems: list[Problem]):
        self.problems = problems
        super().__init__("input_rejected", Location(source=source), count=len(problems))

    def report(self, limit: int = 50) -> str:
        """A French, multi-line report: the summary then one line per problem (at most ``limit``)."""
        lines = [str(self)]
        lines += [f"  - {p}" for p in self.problems[:limit]]
        if len(self.problems) > limit:
            rest = plural(len(self.problems) - limit, "autre problème", "autres problèmes")
            lines.append(f"  … et {rest}.")
        return "\n".join(lines)


declare(
    "input_rejected",
    "Fichier refusé",
    "Problèmes trouvés : {count} ; rien n'a été importé.",
)
declare("file_not_found", "Fichier introuvable", "Le fichier « {path} » n'existe pas ou ne peut pas être lu.")
declare(
    "encoding_invalid",
    "Encodage non reconnu",
    "Le fichier n'est ni en UTF-8 ni en Latin-1 (octet {byte} à la position {position}).",
)
declare("format_unknown", "Format non pris en charge", "Format « {format} » inconnu ; formats acceptés : {accepted}.")
