"""Map helpers (pure, no Django): classification of values into classes, colour-blind-safe
sequential palettes and GeoJSON assembly. The pages call them; an analyst can too."""

from equisante.maps.classify import METHODS, Classification, assign, classify, jenks_bounds, quantile_bounds
from equisante.maps.geojson import feature, feature_collection, union_bbox
from equisante.maps.palettes import for_polarity, sequential

__all__ = [
    "METHODS",
    "Classification",
    "assign",
    "classify",
    "jenks_bounds",
    "quantile_bounds",
    "feature",
    "feature_collection",
    "union_bbox",
    "for_polarity",
    "sequential",
]
