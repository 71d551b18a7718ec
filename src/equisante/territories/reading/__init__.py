"""Readers of territory inputs (pure Python, no Django): GeoJSON boundaries, INSEE COG CSV files and
membership tables. Each returns a :class:`Reading` (records, problems); importers refuse the input
when there is any problem."""

from equisante.territories.reading._common import MembershipRecord, Reading, TerritoryRecord
from equisante.territories.reading.cog import read_cog, read_memberships
from equisante.territories.reading.geojson import DEFAULT_TOLERANCE, read_geojson

__all__ = [
    "DEFAULT_TOLERANCE",
    "MembershipRecord",
    "Reading",
    "TerritoryRecord",
    "read_cog",
    "read_geojson",
    "read_memberships",
]
