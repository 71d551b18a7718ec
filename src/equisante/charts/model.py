"""What the chart builders draw: data points, series, map areas; colours and value states (pure).

Colours come from the Okabe–Ito palette, designed to stay distinct under every common colour-vision
deficiency; no chart relies on colour alone (labels, line patterns and marker shapes repeat it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from equisante.charts.numbers import is_number

#: Okabe–Ito colours (Okabe & Ito 2008), darker variants kept for text-like marks.
BLUE = "#0072B2"
VERMILION = "#D55E00"
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
PURPLE = "#CC79A7"
YELLOW = "#F0E442"
BLACK = "#000000"
GREY = "#8c8c8c"
#: Series colours in order, each with a dash pattern and a marker so that print in grey still reads.
SERIES_STYLES = (
    {"colour": BLUE, "dash": None, "marker": "circle"},
    {"colour": VERMILION, "dash": "6 3", "marker": "square"},
    {"colour": GREEN, "dash": "2 3", "marker": "diamond"},
    {"colour": PURPLE, "dash": "8 3 2 3", "marker": "triangle"},
    {"colour": ORANGE, "dash": "1 2", "marker": "circle"},
    {"colour": SKY, "dash": "10 4", "marker": "square"},
)

#: Value states, as in the indicator store; a chart shows each one distinctly.
OK, UNSTABLE, SUPPRESSED, MISSING = "ok", "unstable", "suppressed", "missing"
STATE_SHORT = {SUPPRESSED: "secret stat.", MISSING: "n.d.", UNSTABLE: "fragile"}
STATE_NAMES = {
    OK: "valeur disponible",
    UNSTABLE: "valeur fragile (à interpréter avec prudence)",
    SUPPRESSED: "secret statistique (valeur masquée)",
    MISSING: "donnée manquante",
}


@dataclass(frozen=True)
class Datum:
    """One value to draw.

    ``value``, ``lower``, ``upper``: the value and its confidence limits, in the chart's unit
    (limits may be None). ``state``: ``ok``, ``unstable`` (drawn lighter, dashed), ``suppressed``
    or ``missing`` (no value drawn, the state written instead). ``weight``: a size attached to the
    value — the population of a quantile on a gradient chart (its width), the denominator of an
    area on a funnel plot (its abscissa). ``highlight``: the territory the chart is about.
    ``key``: an identifier written as ``data-key`` (a territory code). ``note``: extra words
    for the text alternative (a significance, a comparison)."""

    label: str
    value: float | None
    lower: float | None = None
    upper: float | None = None
    state: str = OK
    weight: float | None = None
    highlight: bool = False
    key: str = ""
    note: str = ""

    @property
    def drawn(self) -> bool:
        """Is there a number to draw (available or fragile)?"""
        return self.state in (OK, UNSTABLE) and is_number(self.value)

    @property
    def has_interval(self) -> bool:
        return self.drawn and is_number(self.lower) and is_number(self.upper)

    @classmethod
    def from_mapping(cls, record: Mapping[str, Any], label_key: str = "label", **overrides: Any) -> Datum:
        """A Datum from a mapping with keys ``label``, ``value``, ``lower``, ``upper``, ``state``…"""
        fields = {name: record.get(name) for name in ("value", "lower", "upper", "weight")}
        fields["state"] = record.get("state") or (OK if is_number(record.get("value")) else MISSING)
        fields["label"] = str(record.get(label_key, ""))
        fields.update(overrides)
        return cls(**fields)


@dataclass(frozen=True)
class Series:
    """A named line of a trend chart: one :class:`Datum` per period (``Datum.label`` = period)."""

    label: str
    points: Sequence[Datum]
    highlight: bool = False


@dataclass(frozen=True)
class LegendItem:
    """One entry of a map legend: a swatch (``colour``, or the look of a ``state``) and its words."""

    label: str
    colour: str = ""
    state: str = OK
    count: int | None = None


@dataclass(frozen=True)
class MapArea:
    """One territory on a static map: its GeoJSON geometry (a mapping, WGS84 longitude/latitude),
    its fill colour and state, and the words of its tooltip (``label``, ``value_text``).
    ``outline``: drawn as a context border only (the enclosing territory)."""

    key: str
    label: str
    geometry: Mapping[str, Any] | None
    fill: str = "#ffffff"
    state: str = OK
    value_text: str = ""
    outline: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)
