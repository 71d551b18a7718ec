"""Linear scales and "nice" axis ticks (pure)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from equisante.charts.numbers import is_number

#: Multiples of a power of ten used as tick steps.
NICE_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)


def nice_step(span: float, count: int = 5) -> float:
    """A round step (1, 2, 2.5 or 5 × 10ⁿ) cutting ``span`` into about ``count`` intervals."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    for multiple in NICE_STEPS:
        if raw <= multiple * power * (1 + 1e-9):
            return multiple * power
    return 10 * power


def extent(values: Iterable[float | None], *, include: Iterable[float] = ()) -> tuple[float, float] | None:
    """Smallest and largest finite number among ``values`` and ``include`` (None when there is none)."""
    numbers = [float(v) for v in values if is_number(v)] + [float(v) for v in include if is_number(v)]
    if not numbers:
        return None
    return min(numbers), max(numbers)


@dataclass(frozen=True)
class LinearScale:
    """Maps the data interval ``[low, high]`` onto the pixel interval ``[start, end]`` (``end`` may
    be smaller than ``start``: a vertical axis grows upwards)."""

    low: float
    high: float
    start: float
    end: float
    step: float

    def __call__(self, value: float) -> float:
        if self.high == self.low:
            return (self.start + self.end) / 2
        return self.start + (float(value) - self.low) * (self.end - self.start) / (self.high - self.low)

    def ticks(self) -> list[float]:
        """Tick values from ``low`` to ``high`` every ``step`` (both ends included)."""
        count = int(round((self.high - self.low) / self.step))
        return [self._clean(self.low + i * self.step) for i in range(count + 1)]

    @staticmethod
    def _clean(value: float) -> float:
        # 0.1 + 0.2 style residues would print as 0,30000000000000004 without this
        return float(f"{value:.10g}")


def linear_scale(low: float, high: float, start: float, end: float, *, count: int = 5, zero: bool = False) -> LinearScale:
    """A scale whose data interval is ``[low, high]`` widened to round ticks.

    ``zero``: make the interval include 0 (bar charts must start at zero to be read by length).
    A single value gets an interval around it."""
    if zero:
        low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        pad = abs(high) * 0.1 or 1.0
        low, high = (low - pad, high + pad) if not zero or low != 0 else (0.0, pad)
    step = nice_step(high - low, count)
    nice_low = math.floor(low / step + 1e-9) * step
    nice_high = math.ceil(high / step - 1e-9) * step
    if nice_high == nice_low:
        nice_high = nice_low + step
    return LinearScale(nice_low, nice_high, start, end, step)
