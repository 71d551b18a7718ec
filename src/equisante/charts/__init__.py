"""Static SVG charts for pages, standalone reports and PDFs (pure: no Django, no JavaScript).

Every builder takes plain data (:class:`Datum`, :class:`Series`, :class:`MapArea`) and returns the
text of one ``<svg>`` element that:

- is an accessible image (``role="img"``, a ``<title>`` naming it and a ``<desc>`` giving the data
  in words, so that a screen reader or a text extraction of a PDF gets the numbers);
- writes numbers the French way (``1 234,5``; :mod:`equisante.charts.numbers`);
- uses colour-blind-safe colours (Okabe–Ito) and never colour alone: values are written beside the
  marks, series differ by dash pattern and marker shape, states by hatching or words;
- shows the state of each value: fragile values lighter and dashed, withheld (statistical
  confidentiality) and missing values not drawn but named.

Builders: :func:`bar_chart`, :func:`horizontal_bars`, :func:`dot_chart`, :func:`gradient_chart`,
:func:`funnel_plot`, :func:`trend_chart`, :func:`choropleth_map`. Guide: ``docs/charts.md``.
"""

from equisante.charts.bars import bar_chart, horizontal_bars
from equisante.charts.dots import dot_chart
from equisante.charts.funnel import LIMIT_KEYS, funnel_plot
from equisante.charts.gradient import gradient_chart, relative_ranks
from equisante.charts.maps import choropleth_map
from equisante.charts.model import Datum, LegendItem, MapArea, Series
from equisante.charts.numbers import format_number, with_unit
from equisante.charts.trend import trend_chart

__all__ = [
    "LIMIT_KEYS",
    "Datum",
    "LegendItem",
    "MapArea",
    "Series",
    "bar_chart",
    "choropleth_map",
    "dot_chart",
    "format_number",
    "funnel_plot",
    "gradient_chart",
    "horizontal_bars",
    "relative_ranks",
    "trend_chart",
    "with_unit",
]
