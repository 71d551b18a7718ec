"""Territorial levels, from the largest to the smallest, and the overlays (pure Python)."""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    REGION = "region"
    DEPARTEMENT = "departement"
    EPCI = "epci"
    COMMUNE = "commune"
    IRIS = "iris"
    QPV = "qpv"
    ZONE = "zone"


LABELS = {
    Level.REGION: "Région",
    Level.DEPARTEMENT: "Département",
    Level.EPCI: "EPCI",
    Level.COMMUNE: "Commune",
    Level.IRIS: "IRIS",
    Level.QPV: "Quartier prioritaire (QPV)",
    Level.ZONE: "Zone",
}

PLURALS = {
    Level.REGION: "Régions",
    Level.DEPARTEMENT: "Départements",
    Level.EPCI: "EPCI",
    Level.COMMUNE: "Communes",
    Level.IRIS: "IRIS",
    Level.QPV: "Quartiers prioritaires (QPV)",
    Level.ZONE: "Zones",
}

#: The nested hierarchy: each level's parent level. EPCI, QPV and zones are overlays reached through
#: memberships (a commune belongs to one EPCI; a QPV or a zone groups communes or parts of them).
PARENT_LEVEL = {
    Level.DEPARTEMENT: Level.REGION,
    Level.COMMUNE: Level.DEPARTEMENT,
    Level.IRIS: Level.COMMUNE,
    Level.EPCI: Level.DEPARTEMENT,
    Level.QPV: Level.COMMUNE,
}

ORDER = [Level.REGION, Level.DEPARTEMENT, Level.EPCI, Level.COMMUNE, Level.IRIS, Level.QPV, Level.ZONE]


def parse_level(text: str) -> Level | None:
    """The level named by ``text`` (value or French label, any case, accents optional), or None."""
    wanted = _fold(text)
    for level in Level:
        if wanted in {_fold(level.value), _fold(LABELS[level]), _fold(PLURALS[level])}:
            return level
    return None


def _fold(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return text.strip().lower()
