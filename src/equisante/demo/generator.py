"""Deterministic generator of the fictional demonstration region (pure: NumPy, pandas, shapely).

:func:`generate_region` draws, from one seed, a whole fictional French region: geometry of communes,
départements, EPCI, QPV, ZIP zones and IRIS of the main city; populations by sex and the 19 age bands of
the European Standard Population 2013; socio-economic census-like counts; and health events with a
social gradient. The same seed always gives the same region (:meth:`DemoRegion.fingerprint`).

The model, in short (details in ``docs/demo.md``):

- one **latent deprivation factor** ``z`` per commune (mean 0, sd 1; *higher = more deprived*): a
  smooth spatial field plus an urban-core effect, an affluent periurban ring and local noise;
- every socio-economic proportion is a logistic function of ``z`` (income: log-linear), drawn as
  binomial counts on consistent denominators (numerator ≤ denominator by construction);
- health events are binomial draws (at most one event per person and year, so counts never exceed
  populations) with age- and sex-specific base rates multiplied by ``exp(β·z)``: mortality and
  diabetes are higher, screening participation lower, where deprivation is higher.

Codes cannot collide with real INSEE codes: every code contains an ``X`` (see :data:`CODE_SCHEME`).
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely
import shapely.geometry
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra

__all__ = [
    "DemoRegion",
    "generate_region",
    "ESP_BANDS",
    "ESP_STARTS",
    "LIFE_TABLE_BANDS",
    "LIFE_TABLE_STARTS",
    "SCREENING_BANDS",
    "PREMATURE_BANDS",
    "REGION_CODE",
    "pooled_median",
    "REGION_NAME",
    "SOURCE",
    "CODE_SCHEME",
]

# --- vocabulary ------------------------------------------------------------------------------------

#: The 19 five-year bands of the European Standard Population 2013 (0-4 … 85-89, 90+).
ESP_STARTS = tuple(range(0, 95, 5))
ESP_BANDS = tuple(f"{a}-{a + 4}" for a in ESP_STARTS[:-1]) + ("90+",)
#: The 20 bands of an abridged life table (0, 1-4, 5-9 … 90+): the 0-4 band split at the first birthday.
LIFE_TABLE_STARTS = (0, 1) + ESP_STARTS[1:]
LIFE_TABLE_BANDS = ("0", "1-4") + ESP_BANDS[1:]
#: Bands invited to organised colorectal cancer screening (50 to 74 years).
SCREENING_BANDS = ("50-54", "55-59", "60-64", "65-69", "70-74")
#: Bands of premature mortality (deaths before 65).
PREMATURE_BANDS = ESP_BANDS[:13]

REGION_CODE = "XR"
REGION_NAME = "Région de démonstration (fictive)"
SOURCE = "Données fictives de démonstration"
VINTAGE = 2024

#: How fictional codes are built. No INSEE / COG code contains the letter X, so none can collide.
CODE_SCHEME = {
    "region": "XR",
    "departement": "X1 … X9 (X + un chiffre)",
    "commune": "code du département + 3 chiffres, dans l'ordre alphabétique (X1001, X1002…)",
    "epci": "code du département + E + 2 chiffres (X1E01)",
    "qpv": "code du département + Q + 2 chiffres (X1Q01)",
    "iris": "code de la commune + 4 chiffres (X10010001)",
    "zone": "XZ + 2 chiffres (XZ01), zones d'intervention prioritaires (ZIP)",
}

# Where the fictional region sits (WGS84): centre of France, which is fine since it is fictional.
_CENTRE_LON, _CENTRE_LAT = 3.0, 46.75
_KM_PER_DEG_LAT = 110.57
_KM_PER_DEG_LON = 111.32 * math.cos(math.radians(_CENTRE_LAT))
_GRID_KM = 1e-4  # 10 cm: fixed-precision overlay so that neighbours share identical edges
_GRID_DEG = 1e-6  # ≈ 0.1 m in the published GeoJSON
_MEAN_COMMUNE_AREA_KM2 = 45.0

# --- demographic and epidemiological base tables (plausible orders of magnitude for France) --------

# Share of the population in each ESP band (France, early 2020s, rounded).
_AGE_SHARE = np.array([5.3, 5.9, 6.2, 6.1, 5.6, 5.6, 6.0, 6.3, 6.2, 6.7, 6.8, 6.6, 6.2, 5.8, 5.4, 3.9, 3.0, 2.0, 1.0])
_AGE_MID = np.array([2.5 + 5 * i for i in range(18)] + [93.0])
# Share of women in each ESP band (more women at old ages).
_FEMALE_SHARE = np.array([0.488] * 3 + [0.492] * 8 + [0.51, 0.51, 0.53, 0.53, 0.57, 0.60, 0.66, 0.75])
# Share of the 0-4 band aged under one.
_INFANT_SHARE = 0.19

# Annual death probabilities per life-table band (0, 1-4, 5-9 … 90+), women then men.
_DEATH_RATE = {
    "F": np.array([3.2e-3, 1.2e-4, 8e-5, 8e-5, 2e-4, 2.5e-4, 3e-4, 4e-4, 6e-4, 1.0e-3, 1.7e-3, 2.6e-3,
                   3.8e-3, 5.5e-3, 7.8e-3, 1.2e-2, 2.1e-2, 4.0e-2, 8.5e-2, 2.1e-1]),
    "H": np.array([3.9e-3, 1.5e-4, 1e-4, 1e-4, 4e-4, 7e-4, 8e-4, 9e-4, 1.3e-3, 1.9e-3, 3.1e-3, 5.0e-3,
                   8.0e-3, 1.2e-2, 1.7e-2, 2.5e-2, 4.0e-2, 7.0e-2, 1.3e-1, 2.7e-1]),
}
# Social gradient of mortality (log-rate per unit of deprivation), steeper before 65.
_DEATH_BETA = {"F": 0.10, "H": 0.16}
_DEATH_AGE_GRADIENT = np.where(np.array(LIFE_TABLE_STARTS) < 65, 1.4, 0.7)
# Year effects on mortality at 65+ (2020: the epidemic) and a slow secular decline at all ages.
_DEATH_YEAR_OLD = {2019: 1.00, 2020: 1.08, 2021: 1.04}
_SECULAR_DECLINE = 0.012

# Annual probability of a hospital stay for diabetes per ESP band (men; women × 0.7).
_DIABETES_RATE = np.array([5e-5, 1e-4, 1.5e-4, 2e-4, 1.5e-4, 2e-4, 3e-4, 4e-4, 7e-4, 1.1e-3, 1.7e-3,
                           2.4e-3, 3.1e-3, 3.8e-3, 4.5e-3, 5.2e-3, 5.5e-3, 5.2e-3, 4.5e-3])
_DIABETES_BETA = 0.35
_DIABETES_YEAR = {2019: 1.00, 2020: 0.88, 2021: 0.97}

_SCREENING_BASE = 0.33
_SCREENING_BETA = -0.30  # logit per unit of deprivation: lower participation where more deprived
_SCREENING_YEAR = {2019: 0.0, 2020: -0.25, 2021: -0.05}


# --- the result ------------------------------------------------------------------------------------

@dataclass
class DemoRegion:
    """A generated fictional region: plain pandas DataFrames and GeoJSON-like geometries (WGS84).

    - ``territories``: ``level``, ``code``, ``name``, ``parent_code`` ("" for none), ``zone_type``.
    - ``geometries``: code → GeoJSON geometry dict (lon/lat, Polygon or MultiPolygon).
    - ``communes``: one row per commune: ``code``, ``name``, ``departement``, ``epci``, ``lon``, ``lat``
      (a point inside), ``area_km2``, ``kind`` ("ville", "pôle", "commune"), ``population`` (last year),
      ``deprivation`` (the latent factor, mean 0, sd 1, *higher = more deprived*; not observable in
      real life, kept for checks).
    - ``memberships``: ``member_level``, ``member_code``, ``group_level``, ``group_code``, ``share``
      (commune → EPCI, commune → ZIP zone: 1; commune → QPV: share of the commune's population).
    - ``populations``: ``level``, ``code``, ``year``, ``population`` (persons) for every territory.
    - ``by_age_sex``: ``commune``, ``year``, ``sex`` ("F"/"H"), ``age_band`` (19 ESP bands),
      ``age_start``, ``population``, ``deces`` (deaths, all causes), ``patients_diabete`` (people with
      at least one hospital stay for diabetes), ``depistes`` (people screened for colorectal cancer;
      <NA> outside the invited bands 50-74). Every population cell is ≥ 1.
    - ``infants``: ``commune``, ``year``, ``sex``, ``population`` and ``deces`` aged under one (to split
      the 0-4 band for life tables; see :meth:`life_table_counts`).
    - ``socio``: one row per commune, QPV and IRIS (``level``, ``code``, ``year``): census-like counts
      (numerators ≤ denominators) and the median taxable income per consumption unit (€); for
      communes also the modelled life expectancy at birth (years) by sex.
    - ``catalogue``: the indicator catalogue (see :func:`catalogue`).
    """

    seed: int
    years: tuple[int, ...]
    territories: pd.DataFrame
    geometries: dict[str, dict]
    communes: pd.DataFrame
    memberships: pd.DataFrame
    populations: pd.DataFrame
    by_age_sex: pd.DataFrame
    infants: pd.DataFrame
    socio: pd.DataFrame
    catalogue: pd.DataFrame
    code: str = REGION_CODE
    name: str = REGION_NAME
    vintage: int = VINTAGE
    parameters: dict = field(default_factory=dict)

    @property
    def pooled_period(self) -> str:
        """The label of the pooled period, e.g. "2019-2021"."""
        return f"{self.years[0]}-{self.years[-1]}"

    @property
    def reference_year(self) -> int:
        """The year of the census-like variables and of the published populations (the last one)."""
        return self.years[-1]

    def count(self, level: str) -> int:
        """Number of territories at ``level``."""
        return int((self.territories["level"] == level).sum())

    def life_table_counts(self) -> pd.DataFrame:
        """Deaths and populations by commune, year, sex and the 20 life-table bands (0, 1-4 … 90+)."""
        frame = self.by_age_sex[["commune", "year", "sex", "age_band", "population", "deces"]]
        infants = self.infants.set_index(["commune", "year", "sex"])
        young = frame[frame["age_band"] == "0-4"].set_index(["commune", "year", "sex"])
        under_one = infants.reindex(young.index)
        one_to_four = young[["population", "deces"]] - under_one[["population", "deces"]].to_numpy()
        parts = [
            under_one[["population", "deces"]].assign(age_band="0").reset_index(),
            one_to_four.assign(age_band="1-4").reset_index(),
            frame[frame["age_band"] != "0-4"],
        ]
        out = pd.concat(parts, ignore_index=True)
        out["age_start"] = out["age_band"].map(dict(zip(LIFE_TABLE_BANDS, LIFE_TABLE_STARTS))).astype(int)
        return out.sort_values(["commune", "year", "sex", "age_start"]).reset_index(drop=True)[
            ["commune", "year", "sex", "age_band", "age_start", "population", "deces"]
        ]

    def fingerprint(self) -> str:
        """SHA-256 of every table and geometry: equal fingerprints mean identical regions."""
        digest = hashlib.sha256()
        for name in ("territories", "communes", "memberships", "populations", "by_age_sex", "infants",
                     "socio", "catalogue"):
            frame: pd.DataFrame = getattr(self, name)
            digest.update(name.encode())
            digest.update(",".join(map(str, frame.columns)).encode())
            digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
        digest.update(json.dumps(self.geometries, sort_keys=True).encode())
        return digest.hexdigest()


# --- entry point -------------------------------------------------------------------------------------

def generate_region(
    seed: int = 2024,
    *,
    n_departements: int = 4,
    n_communes: int = 300,
    n_cities: int | None = None,
    years: tuple[int, ...] = (2019, 2020, 2021),
    with_iris: bool = True,
) -> DemoRegion:
    """Draw the fictional region for ``seed`` (same seed and parameters → identical region).

    ``n_departements``: 1 to 9; ``n_communes``: at least 10 per département (communes are grouped in
    contiguous départements and EPCI of about 8 to 15 communes); ``n_cities``: number of large towns
    (50,000 to 200,000 inhabitants; default 3, or fewer for small regions); ``years``: consecutive
    years of health events (2019 to 2021 have calibrated year effects; others get none);
    ``with_iris``: cut the main city into IRIS.
    """
    if not 1 <= n_departements <= 9:
        raise ValueError("n_departements doit être compris entre 1 et 9.")
    if n_communes < 10 * n_departements:
        raise ValueError(f"n_communes doit valoir au moins {10 * n_departements} (10 par département).")
    years = tuple(int(y) for y in years)
    if not years or list(years) != list(range(years[0], years[0] + len(years))):
        raise ValueError("years doit être une suite d'années consécutives.")
    if n_cities is None:
        n_cities = 3 if n_communes >= 90 else (2 if n_communes >= 30 else 1)
    n_cities = max(1, min(int(n_cities), n_departements + 2, n_communes // 10))
    rng = np.random.default_rng(seed)

    outline, radius = _outline(rng, n_communes)
    city_points = _city_points(rng, outline, radius, n_cities)
    points = _seed_points(rng, outline, radius, city_points, n_communes)
    cells = _tessellate(points, outline)
    adjacency, neighbours = _adjacency(cells)
    centroids = shapely.get_coordinates(shapely.point_on_surface(cells))
    n = len(cells)
    city_index = np.arange(n_cities)  # the city seeds are the first points

    dept_of = _grow_departements(centroids, adjacency, city_index, n_departements)
    population, kind, distance = _commune_populations(rng, centroids, city_index, radius)
    deprivation = _deprivation(rng, centroids, radius, population, kind, distance)
    epci_of = _grow_epci(centroids, neighbours, dept_of, kind, population)

    # Names and codes: communes numbered in alphabetical order within their département.
    namer = _Namer(rng)
    dept_names = [namer.departement() for _ in range(n_departements)]
    order = np.argsort(-population, kind="stable")  # biggest first: cities get the short names
    names = np.empty(n, dtype=object)
    for i in order:
        names[i] = namer.commune(city=kind[i] == "ville")
    dept_codes = [f"X{d + 1}" for d in range(n_departements)]
    codes = np.empty(n, dtype=object)
    for d in range(n_departements):
        members = np.flatnonzero(dept_of == d)
        for rank, i in enumerate(sorted(members, key=lambda i: _sort_key(names[i])), start=1):
            codes[i] = f"{dept_codes[d]}{rank:03d}"

    epci_codes, epci_names, epci_dept = _epci_labels(epci_of, dept_of, dept_codes, names, population, kind, namer)
    zones = _zip_zones(rng, neighbours, deprivation, kind, population, n_communes)
    qpvs = _qpvs(rng, cells, population, kind, deprivation, codes, dept_of, dept_codes, names, namer)
    iris = _iris(rng, cells, population, deprivation, codes, names, kind, qpvs) if with_iris else []

    # Geometries (WGS84) of every territory.
    geoms: dict[str, shapely.Geometry] = {}
    for i in range(n):
        geoms[codes[i]] = cells[i]
    for d in range(n_departements):
        geoms[dept_codes[d]] = shapely.union_all(cells[dept_of == d], grid_size=_GRID_KM)
    geoms[REGION_CODE] = shapely.union_all(cells, grid_size=_GRID_KM)
    for e, code in enumerate(epci_codes):
        geoms[code] = shapely.union_all(cells[epci_of == e], grid_size=_GRID_KM)
    for z, members in enumerate(zones):
        geoms[f"XZ{z + 1:02d}"] = shapely.union_all(cells[members], grid_size=_GRID_KM)
    for q in qpvs:
        geoms[q["code"]] = q["geometry"]
    for r in iris:
        geoms[r["code"]] = r["geometry"]
    geometries = {code: _to_geojson(geom) for code, geom in geoms.items()}
    lonlat = _km_to_lonlat(centroids)

    # Territories table.
    rows = [("region", REGION_CODE, REGION_NAME, "", "")]
    rows += [("departement", dept_codes[d], dept_names[d], REGION_CODE, "") for d in range(n_departements)]
    rows += [("epci", code, epci_names[e], epci_dept[e], "") for e, code in enumerate(epci_codes)]
    rows += [("commune", codes[i], names[i], dept_codes[dept_of[i]], "") for i in range(n)]
    rows += [("iris", r["code"], r["name"], r["commune"], "") for r in iris]
    rows += [("qpv", q["code"], q["name"], q["commune"], "") for q in qpvs]
    zone_names = [namer.zone(names[_largest(members, population)]) for members in zones]
    rows += [("zone", f"XZ{z + 1:02d}", zone_names[z], "", "ZIP") for z in range(len(zones))]
    territories = pd.DataFrame(rows, columns=["level", "code", "name", "parent_code", "zone_type"])

    communes = pd.DataFrame({
        "code": codes.astype(str),
        "name": names.astype(str),
        "departement": [dept_codes[d] for d in dept_of],
        "epci": [epci_codes[e] for e in epci_of],
        "lon": np.round(lonlat[:, 0], 6),
        "lat": np.round(lonlat[:, 1], 6),
        "area_km2": np.round(shapely.area(cells), 3),
        "kind": kind,
        "deprivation": deprivation,
    })

    # Populations by sex and age, then health events.
    by_age_sex, infants, totals = _age_sex_populations(rng, communes["code"].to_numpy(), population, kind,
                                                      deprivation, years)
    communes["population"] = totals[:, -1]
    by_age_sex, infants, life_expectancy = _health_events(rng, by_age_sex, infants, communes, years)

    memberships = _memberships(communes, zones, qpvs, iris, totals[:, -1])
    socio = _socio(rng, communes, by_age_sex, qpvs, iris, years[-1], life_expectancy)
    populations = _populations(communes, totals, years, territories, qpvs, iris, epci_codes, zones)
    communes = communes.sort_values("code").reset_index(drop=True)
    communes = communes[["code", "name", "departement", "epci", "lon", "lat", "area_km2", "kind",
                         "population", "deprivation"]]
    return DemoRegion(
        seed=int(seed),
        years=years,
        territories=territories,
        geometries=geometries,
        communes=communes,
        memberships=memberships,
        populations=populations,
        by_age_sex=by_age_sex,
        infants=infants,
        socio=socio,
        catalogue=catalogue(years),
        parameters={"n_departements": n_departements, "n_communes": n_communes, "n_cities": n_cities,
                    "with_iris": with_iris},
    )


# --- geometry ----------------------------------------------------------------------------------------

def _outline(rng: np.random.Generator, n_communes: int) -> tuple[shapely.Polygon, float]:
    """A smooth, organic, star-shaped outline (km, centred on 0, 0) and its mean radius."""
    radius = math.sqrt(n_communes * _MEAN_COMMUNE_AREA_KM2 / math.pi)
    theta = np.linspace(0, 2 * math.pi, 240, endpoint=False)
    r = np.ones_like(theta)
    for k in range(2, 8):  # a few low harmonics: a blob, not a star
        r += rng.uniform(0.02, 0.11) / k**0.7 * np.cos(k * theta + rng.uniform(0, 2 * math.pi))
    r = radius * r / r.mean()
    ring = np.column_stack([r * np.cos(theta), r * np.sin(theta)])
    return shapely.set_precision(shapely.Polygon(ring), _GRID_KM), radius


def _city_points(rng, outline, radius, n_cities) -> np.ndarray:
    """Centres of the large towns: inside the inner part of the region, well apart."""
    inner = shapely.buffer(outline, -0.3 * radius)
    chosen: list[np.ndarray] = []
    spacing = 0.55 * radius
    while len(chosen) < n_cities:
        candidate = rng.uniform(-radius, radius, size=2)
        if not shapely.contains_xy(inner, *candidate):
            continue
        if all(np.hypot(*(candidate - c)) > spacing for c in chosen):
            chosen.append(candidate)
        else:
            spacing *= 0.995  # never loop forever on an awkward outline
    return np.array(chosen)


def _seed_points(rng, outline, radius, cities, n) -> np.ndarray:
    """Commune seeds: the city centres first, then points denser around the cities."""
    min_dist = 0.35 * math.sqrt(_MEAN_COMMUNE_AREA_KM2)
    points = [c for c in cities]
    minx, miny, maxx, maxy = outline.bounds
    while len(points) < n:
        if rng.random() < 0.3:
            c = cities[rng.integers(len(cities))]
            candidate = c + rng.normal(0, 0.12 * radius, size=2)
        else:
            candidate = np.array([rng.uniform(minx, maxx), rng.uniform(miny, maxy)])
        if not shapely.contains_xy(outline, *candidate):
            continue
        existing = np.array(points)
        if np.min(np.hypot(*(existing - candidate).T)) < min_dist:
            continue
        points.append(candidate)
    points = np.array(points)
    # One Lloyd step (cities kept in place) evens out the cell shapes without losing the density.
    cells = _tessellate(points, outline)
    moved = shapely.get_coordinates(shapely.centroid(cells))
    points[len(cities):] = 0.5 * points[len(cities):] + 0.5 * moved[len(cities):]
    return points


def _tessellate(points: np.ndarray, outline) -> np.ndarray:
    """Voronoi cells of ``points`` clipped to ``outline``, in the order of the points, each one a Polygon.

    Clipping a cell by a concave outline may cut it in pieces: the small pieces go to the neighbour
    that shares most of their boundary, so that cells stay single polygons and still tile the outline.
    """
    diagram = shapely.voronoi_polygons(shapely.multipoints(points), extend_to=shapely.buffer(outline, 10.0),
                                       ordered=True)
    cells = shapely.intersection(np.array(shapely.get_parts(diagram)), outline, grid_size=_GRID_KM)
    pieces: list[shapely.Geometry] = []
    for i, cell in enumerate(cells):
        if shapely.get_type_id(cell) == 6:  # MultiPolygon
            parts = sorted(shapely.get_parts(cell), key=shapely.area, reverse=True)
            cells[i] = parts[0]
            pieces.extend(parts[1:])
    for piece in pieces:
        touching = [j for j in range(len(cells))
                    if shapely.length(shapely.intersection(cells[j], piece, grid_size=_GRID_KM)) > 1e-3]
        j = max(touching, key=lambda j: shapely.length(shapely.intersection(cells[j], piece, grid_size=_GRID_KM)))
        merged = shapely.union(cells[j], piece, grid_size=_GRID_KM)
        cells[j] = merged if shapely.get_type_id(merged) == 3 else cells[j]
    return cells


def _adjacency(cells: np.ndarray):
    """Sparse adjacency (edge weight = distance between centroids) of cells sharing a border."""
    tree = shapely.STRtree(cells)
    left, right = tree.query(cells, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    shared = shapely.length(shapely.intersection(cells[left], cells[right], grid_size=_GRID_KM))
    keep = shared > 1e-3  # a common edge, not a single point
    left, right = left[keep], right[keep]
    centres = shapely.get_coordinates(shapely.centroid(cells))
    weight = np.hypot(*(centres[left] - centres[right]).T)
    n = len(cells)
    matrix = coo_matrix((np.concatenate([weight, weight]), (np.concatenate([left, right]),
                                                            np.concatenate([right, left]))), shape=(n, n)).tocsr()
    neighbours = [[] for _ in range(n)]
    for a, b in zip(left, right):
        neighbours[a].append(int(b))
        neighbours[b].append(int(a))
    return matrix, [sorted(x) for x in neighbours]


def _farthest_points(centroids: np.ndarray, start: list[int], k: int, among: np.ndarray | None = None) -> list[int]:
    """``start`` completed to ``k`` indices by farthest-point sampling (spread seeds)."""
    among = np.arange(len(centroids)) if among is None else among
    chosen = list(start)[:k]
    if not chosen:
        centre = centroids[among].mean(axis=0)
        chosen = [int(among[np.argmin(np.hypot(*(centroids[among] - centre).T))])]
    while len(chosen) < k:
        d = np.min(np.hypot(*(centroids[among, None, :] - centroids[None, chosen, :]).transpose(2, 0, 1)), axis=1)
        chosen.append(int(among[np.argmax(d)]))
    return chosen


def _grow_departements(centroids, adjacency, city_index, k) -> np.ndarray:
    """Départements: each commune joins the nearest seed along the adjacency graph (multi-source
    Dijkstra), which keeps every département contiguous. The cities are the first seeds
    (préfectures)."""
    seeds = _farthest_points(centroids, list(city_index), k)
    _, _, sources = dijkstra(adjacency, directed=False, indices=seeds, min_only=True, return_predecessors=True)
    lookup = {s: d for d, s in enumerate(seeds)}
    return np.array([lookup[int(s)] for s in sources])


def _grow_epci(centroids, neighbours, dept_of, kind, population) -> np.ndarray:
    """EPCI: contiguous groups of about 8 to 15 communes inside each département, grown together
    (the smallest group takes its nearest free neighbour) so that sizes stay balanced."""
    epci_of = np.full(len(dept_of), -1)
    next_id = 0
    for d in range(dept_of.max() + 1):
        members = np.flatnonzero(dept_of == d)
        k = max(1, round(len(members) / 11))
        poles = [int(i) for i in members[np.argsort(-population[members], kind="stable")] if kind[i] != "commune"]
        seeds = _farthest_points(centroids, poles[:1], k, among=members)
        groups = [[s] for s in seeds]
        for g, s in enumerate(seeds):
            epci_of[s] = next_id + g
        free = set(int(i) for i in members) - set(seeds)
        while free:
            progress = False
            for g in sorted(range(k), key=lambda g: (len(groups[g]), g)):
                frontier = sorted({j for i in groups[g] for j in neighbours[i] if j in free})
                if not frontier:
                    continue
                seed = centroids[groups[g][0]]
                j = min(frontier, key=lambda j: (np.hypot(*(centroids[j] - seed)), j))
                groups[g].append(j)
                epci_of[j] = next_id + g
                free.discard(j)
                progress = True
                break
            if not progress:  # unreachable for a contiguous département; kept as a safeguard
                for j in sorted(free):
                    epci_of[j] = next_id
                free.clear()
        next_id += k
    return epci_of


# --- populations and deprivation --------------------------------------------------------------------

def _commune_populations(rng, centroids, city_index, radius):
    """Total population per commune (persons, last year), the kind of commune and the distance to
    the nearest city (km). Cities 50,000–200,000; villages log-normal around a few hundred."""
    n = len(centroids)
    sizes = np.sort(np.concatenate([[rng.uniform(120_000, 200_000)], rng.uniform(50_000, 110_000, len(city_index) - 1)]))[::-1]
    distance = np.min(np.hypot(*(centroids[:, None, :] - centroids[None, city_index, :]).transpose(2, 0, 1)), axis=1)
    log_pop = math.log(330) + 2.4 * np.exp(-distance / (0.16 * radius)) + rng.normal(0, 0.75, n)
    population = np.clip(np.exp(log_pop), 100, 45_000)
    population[city_index] = sizes
    population = np.round(population).astype(np.int64)
    kind = np.where(population >= 10_000, "pôle", "commune").astype(object)
    kind[city_index] = "ville"
    return population, kind, distance


def _deprivation(rng, centroids, radius, population, kind, distance) -> np.ndarray:
    """Latent deprivation factor (mean 0, sd 1; higher = more deprived): a smooth field, deprived
    city cores, an affluent periurban ring, remote rural areas a little more deprived, plus noise."""
    field = np.zeros(len(centroids))
    for _ in range(6):
        centre = rng.uniform(-radius, radius, 2)
        width = rng.uniform(0.2, 0.45) * radius
        field += rng.normal(0, 1) * np.exp(-np.sum((centroids - centre) ** 2, axis=1) / (2 * width**2))
    ring = np.exp(-(((distance / radius) - 0.2) ** 2) / (2 * 0.08**2))  # periurban crown
    z = 0.6 * field - 0.8 * ring + 0.35 * np.clip(distance / radius - 0.5, 0, None) + rng.normal(0, 0.45, len(centroids))
    z = z + np.where(kind == "ville", 0.9, 0.0) + np.where(kind == "pôle", 0.3, 0.0)
    return np.round((z - z.mean()) / z.std(), 10)


def _age_sex_populations(rng, codes, population, kind, deprivation, years):
    """Population by commune, year, sex and ESP band, and under-one populations.

    The last year is drawn (one person at least in each sex × band cell, the rest multinomial, so the
    cells sum exactly to the total); earlier years apply the commune's annual growth rate to each
    cell. Villages are older, towns younger with a student bulge at 20–29."""
    n = len(codes)
    urban = np.clip((np.log10(population) - 2) / 3, 0, 1)
    tilt = 0.35 * (1 - urban) - 0.15 + rng.normal(0, 0.1, n)
    weights = _AGE_SHARE[None, :] * np.exp(tilt[:, None] * (_AGE_MID[None, :] - 45) / 45)
    weights[:, 4:6] *= (1 + 0.5 * urban)[:, None]
    cell_weights = np.concatenate([weights * _FEMALE_SHARE, weights * (1 - _FEMALE_SHARE)], axis=1)
    cell_weights /= cell_weights.sum(axis=1, keepdims=True)
    n_cells = cell_weights.shape[1]
    last = 1 + rng.multinomial(population - n_cells, cell_weights)  # (n, 38): F bands then H bands
    growth = rng.normal(0.003, 0.004, n) - 0.002 * deprivation + np.where(kind == "commune", 0.0, 0.002)
    frames, infant_frames = [], []
    totals = np.zeros((n, len(years)), dtype=np.int64)
    infants_last = rng.binomial(last[:, [0, 19]], _INFANT_SHARE)  # under one, F and H, last year
    for t, year in enumerate(years):
        factor = (1 + growth) ** (year - years[-1])
        cells = np.maximum(1, np.round(last * factor[:, None])).astype(np.int64)
        totals[:, t] = cells.sum(axis=1)
        infants = np.minimum(np.round(infants_last * factor[:, None]).astype(np.int64), cells[:, [0, 19]])
        for s, sex in enumerate(("F", "H")):
            block = cells[:, s * 19:(s + 1) * 19]
            frames.append(pd.DataFrame({
                "commune": np.repeat(codes, 19).astype(str),
                "year": year,
                "sex": sex,
                "age_band": np.tile(ESP_BANDS, n),
                "age_start": np.tile(ESP_STARTS, n),
                "population": block.ravel(),
            }))
            infant_frames.append(pd.DataFrame({"commune": codes.astype(str), "year": year, "sex": sex,
                                               "population": infants[:, s]}))
    by_age_sex = pd.concat(frames, ignore_index=True)
    infants = pd.concat(infant_frames, ignore_index=True)
    return by_age_sex, infants, totals


def _health_events(rng, by_age_sex, infants, communes, years):
    """Deaths, diabetes hospital patients and screened people, with a social gradient.

    Each count is binomial on the cell's population (so never above it). Returns the frames and the
    modelled life expectancy at birth per commune (years) for F, H and both sexes, from the expected
    (noise-free) death rates of the pooled period."""
    communes_frame = communes
    frame = by_age_sex.sort_values(["commune", "year", "sex", "age_start"], kind="stable").reset_index(drop=True)
    infants = infants.sort_values(["commune", "year", "sex"], kind="stable").reset_index(drop=True)
    communes = np.sort(frame["commune"].unique())
    n, n_years = len(communes), len(years)
    pop = frame["population"].to_numpy().reshape(n, n_years, 2, 19)
    pop0 = infants["population"].to_numpy().reshape(n, n_years, 2)
    z = communes_frame.set_index("code").loc[communes, "deprivation"].to_numpy()
    noise = rng.normal(0, 0.04, n)

    # Death probabilities per life-table band (n, years, sex, 20).
    rates = np.empty((n, n_years, 2, 20))
    old = np.array(LIFE_TABLE_STARTS) >= 65
    for s, sex in enumerate(("F", "H")):
        base = _DEATH_RATE[sex][None, :] * np.exp(_DEATH_BETA[sex] * _DEATH_AGE_GRADIENT[None, :] * z[:, None]
                                                  + noise[:, None])
        for t, year in enumerate(years):
            year_effect = np.where(old, _DEATH_YEAR_OLD.get(year, 1.0), 1.0) * (1 - _SECULAR_DECLINE) ** (year - years[-1])
            rates[:, t, s, :] = np.minimum(base * year_effect, 0.9)
    pop_life = np.concatenate([pop0[..., None], (pop[..., 0] - pop0)[..., None], pop[..., 1:]], axis=-1)
    deaths_life = rng.binomial(pop_life, rates)
    deaths = np.concatenate([(deaths_life[..., 0] + deaths_life[..., 1])[..., None], deaths_life[..., 2:]], axis=-1)
    frame["deces"] = deaths.reshape(-1)
    infants["deces"] = deaths_life[..., 0].reshape(-1)

    # Diabetes: people with at least one hospital stay in the year.
    noise2 = rng.normal(0, 0.08, n)
    sex_factor = np.array([0.7, 1.0])
    year_factor = np.array([_DIABETES_YEAR.get(y, 1.0) for y in years])
    p = (_DIABETES_RATE[None, None, None, :] * sex_factor[None, None, :, None] * year_factor[None, :, None, None]
         * np.exp(_DIABETES_BETA * z + noise2)[:, None, None, None])
    frame["patients_diabete"] = rng.binomial(pop, np.minimum(p, 0.5)).reshape(-1)

    # Colorectal screening among the invited bands (50–74).
    invited = np.isin(np.array(ESP_BANDS), SCREENING_BANDS)
    logit = (math.log(_SCREENING_BASE / (1 - _SCREENING_BASE)) + _SCREENING_BETA * z[:, None, None, None]
             + rng.normal(0, 0.1, n)[:, None, None, None]
             + np.array([0.12, 0.0])[None, None, :, None]
             + np.array([_SCREENING_YEAR.get(y, 0.0) for y in years])[None, :, None, None]
             + 0.04 * np.arange(19)[None, None, None, :] - 0.04 * 12)
    screened = rng.binomial(pop, 1 / (1 + np.exp(-logit)))
    frame["depistes"] = pd.array(np.where(invited[None, None, None, :], screened, 0).reshape(-1), dtype="Int64")
    frame.loc[~frame["age_band"].isin(SCREENING_BANDS), "depistes"] = pd.NA

    # Modelled life expectancy at birth: the noise-free pooled rates, populations as weights.
    mean_rates = rates.mean(axis=1)  # (n, sex, 20)
    le = np.empty((n, 3))
    le[:, 0] = _life_expectancy(mean_rates[:, 0, :])
    le[:, 1] = _life_expectancy(mean_rates[:, 1, :])
    weights = pop_life.sum(axis=1).astype(float)  # (n, sex, 20)
    # A band empty in both sexes (no infant in a village) takes the plain mean of the two rates.
    total = weights.sum(axis=1)
    weighted = (mean_rates * weights).sum(axis=1) / np.where(total > 0, total, 1.0)
    both = np.where(total > 0, weighted, mean_rates.mean(axis=1))
    le[:, 2] = _life_expectancy(both)
    life = pd.DataFrame({"commune": communes, "esperance_vie_f": np.round(le[:, 0], 2),
                         "esperance_vie_h": np.round(le[:, 1], 2), "esperance_vie": np.round(le[:, 2], 2)})
    return frame, infants, life


def _life_expectancy(m: np.ndarray) -> np.ndarray:
    """Life expectancy at birth (years) from annual death probabilities per life-table band
    (rows: areas; 20 columns 0, 1-4 … 90+), abridged table with a = 0.1 at age 0 and 0.5 elsewhere.
    A model quantity (no sampling error), not a statistic of observed counts."""
    width = np.diff(np.array(LIFE_TABLE_STARTS, dtype=float))
    a = np.where(np.array(LIFE_TABLE_STARTS[:-1]) == 0, 0.1, 0.5)
    q = width * m[:, :-1] / (1 + width * m[:, :-1] * (1 - a))
    q = np.minimum(q, 1.0)
    survivors = np.cumprod(np.concatenate([np.ones((len(m), 1)), 1 - q], axis=1), axis=1)  # l_x / l_0
    years_lived = width * (survivors[:, 1:] + a * (survivors[:, :-1] - survivors[:, 1:]))
    last = survivors[:, -1] / m[:, -1]
    return years_lived.sum(axis=1) + last


# --- overlays -----------------------------------------------------------------------------------------

def _zip_zones(rng, neighbours, deprivation, kind, population, n_communes) -> list[np.ndarray]:
    """ZIP zones: a few contiguous groups of 5 to 9 rural communes grown from the most deprived ones."""
    n_zones = max(1, min(5, n_communes // 80))
    taken = np.zeros(len(deprivation), dtype=bool)
    zones = []
    for i in np.argsort(-deprivation, kind="stable"):
        if len(zones) == n_zones:
            break
        if kind[i] != "commune" or taken[i] or any(taken[j] for j in neighbours[i]):
            continue
        size = int(rng.integers(5, 10))
        members = [int(i)]
        while len(members) < size:
            frontier = sorted({j for m in members for j in neighbours[m]
                               if j not in members and not taken[j] and kind[j] == "commune"})
            if not frontier:
                break
            members.append(max(frontier, key=lambda j: (deprivation[j], -j)))
        if len(members) >= 3:
            taken[members] = True
            zones.append(np.array(sorted(members)))
    return zones


def _blob(rng, centre, radius) -> shapely.Polygon:
    theta = np.linspace(0, 2 * math.pi, 24, endpoint=False)
    r = radius * (1 + 0.25 * np.sin(2 * theta + rng.uniform(0, 6.3)) + 0.15 * np.cos(3 * theta + rng.uniform(0, 6.3)))
    ring = np.column_stack([centre[0] + r * np.cos(theta), centre[1] + r * np.sin(theta)])
    return shapely.set_precision(shapely.Polygon(ring), _GRID_KM)


def _qpvs(rng, cells, population, kind, deprivation, codes, dept_of, dept_codes, names, namer) -> list[dict]:
    """Priority neighbourhoods (QPV): small blobs inside the towns of 10,000 inhabitants or more
    (1 to 4 per town), each with 1,000 to 9,000 inhabitants and a much higher deprivation."""
    qpvs: list[dict] = []
    counters = {d: 0 for d in dept_codes}
    for i in np.argsort(-population, kind="stable"):
        if population[i] < 10_000:
            break
        wanted = min(4, 1 + int(population[i] // 45_000))
        inside = shapely.buffer(cells[i], -1.2)
        if shapely.is_empty(inside):
            continue
        placed: list[tuple[np.ndarray, float]] = []
        budget = 0.4 * population[i]
        minx, miny, maxx, maxy = inside.bounds
        for _ in range(400):
            if len(placed) == wanted:
                break
            centre = np.array([rng.uniform(minx, maxx), rng.uniform(miny, maxy)])
            r = rng.uniform(0.35, 0.8)
            if not shapely.contains_xy(inside, *centre) or any(np.hypot(*(centre - c)) < r + rr + 0.3 for c, rr in placed):
                continue
            pop = int(min(rng.uniform(1_000, 9_000), budget))
            if pop < 1_000:
                break
            budget -= pop
            placed.append((centre, r))
            dept = dept_codes[dept_of[i]]
            counters[dept] += 1
            geometry = shapely.intersection(_blob(rng, centre, r), cells[i], grid_size=_GRID_KM)
            qpvs.append({
                "code": f"{dept}Q{counters[dept]:02d}",
                "name": f"{namer.quartier()} ({names[i]})",
                "commune": codes[i],
                "commune_index": int(i),
                "population": pop,
                "deprivation": float(deprivation[i] + rng.uniform(1.2, 2.0)),
                "geometry": geometry,
            })
    return qpvs


def _iris(rng, cells, population, deprivation, codes, names, kind, qpvs) -> list[dict]:
    """IRIS of the main city: a Voronoi tessellation of the city, 2,000 to 7,000 inhabitants each;
    the IRIS holding a QPV are more deprived. The city's census counts will be the sum of its IRIS."""
    city = int(np.argmax(population))
    polygon = cells[city]
    n_iris = int(np.clip(round(population[city] / 5_000), 6, 40))
    minx, miny, maxx, maxy = polygon.bounds
    centre = shapely.get_coordinates(shapely.point_on_surface(polygon))[0]
    # Seeds at least ``spacing`` km apart: 0.6 km, or less in a small city (random sequential
    # packing jams at about half the area), relaxed a little at each rejection so it always ends.
    spacing = min(0.6, 0.5 * math.sqrt(shapely.area(polygon) / n_iris))
    points: list[np.ndarray] = []
    while len(points) < n_iris:
        p = centre + rng.normal(0, 0.3 * max(maxx - minx, maxy - miny), 2)
        if not shapely.contains_xy(polygon, *p):
            continue
        if all(np.hypot(*(p - q)) > spacing for q in points):
            points.append(p)
        else:
            spacing *= 0.995
    parts = _tessellate(np.array(points), polygon)
    shares = rng.dirichlet(np.full(n_iris, 8.0))
    pops = np.maximum(1, np.round(shares * population[city])).astype(np.int64)
    pops[-1] = population[city] - pops[:-1].sum()
    city_qpvs = [q for q in qpvs if q["commune_index"] == city]
    names_seen: set[str] = set()
    out = []
    for k, geom in enumerate(parts):
        overlap = sum(shapely.area(shapely.intersection(geom, q["geometry"], grid_size=_GRID_KM)) for q in city_qpvs)
        boost = 1.5 * min(1.0, overlap / max(shapely.area(geom), 1e-9) * 4)
        label = _iris_name(rng, k, names_seen)
        out.append({
            "code": f"{codes[city]}{k + 1:04d}",
            "name": f"{names[city]} – {label}",
            "commune": codes[city],
            "population": int(pops[k]),
            "deprivation": float(deprivation[city] - 0.4 + boost + rng.normal(0, 0.5)),
            "geometry": geom,
        })
    return out


_IRIS_WORDS = ["Centre", "Gare", "Hôtel de Ville", "Cathédrale", "Faubourg", "Les Prés", "La Croix", "Le Port",
               "Les Jardins", "Le Moulin", "La Butte", "Les Forges", "Saint-Roch", "Les Remparts", "Le Marché",
               "La Citadelle", "Les Écoles", "Le Parc", "Les Casernes", "Le Pont", "Les Vignes", "La Plaine"]


def _iris_name(rng, k, seen: set[str]) -> str:
    base = _IRIS_WORDS[k % len(_IRIS_WORDS)]
    label = base if k < len(_IRIS_WORDS) else f"{base} {k // len(_IRIS_WORDS) + 1}"
    seen.add(label)
    return label


def _memberships(communes, zones, qpvs, iris, population) -> pd.DataFrame:
    rows = [("commune", c, "epci", e, 1.0) for c, e in zip(communes["code"], communes["epci"])]
    for z, members in enumerate(zones):
        rows += [("commune", communes["code"].iloc[i], "zone", f"XZ{z + 1:02d}", 1.0) for i in members]
    for q in qpvs:
        share = round(q["population"] / population[q["commune_index"]], 6)
        rows.append(("commune", q["commune"], "qpv", q["code"], share))
    del iris  # IRIS are reached through their parent commune, not through memberships
    frame = pd.DataFrame(rows, columns=["member_level", "member_code", "group_level", "group_code", "share"])
    return frame.sort_values(["group_level", "group_code", "member_code"]).reset_index(drop=True)


def _populations(communes, totals, years, territories, qpvs, iris, epci_codes, zones) -> pd.DataFrame:
    """Population per territory and year: communes drawn, aggregates summed, QPV and IRIS scaled with
    their commune's growth."""
    per_commune = pd.DataFrame(totals, columns=list(years))
    per_commune["code"] = communes["code"].to_numpy()
    per_commune["departement"] = communes["departement"].to_numpy()
    per_commune["epci"] = communes["epci"].to_numpy()
    rows = []
    for t, year in enumerate(years):
        col = per_commune[year]
        rows += [("commune", c, year, int(v)) for c, v in zip(per_commune["code"], col)]
        rows += [("departement", d, year, int(v)) for d, v in col.groupby(per_commune["departement"]).sum().items()]
        rows += [("epci", e, year, int(v)) for e, v in col.groupby(per_commune["epci"]).sum().items()]
        rows.append(("region", REGION_CODE, year, int(col.sum())))
        for z, members in enumerate(zones):
            rows.append(("zone", f"XZ{z + 1:02d}", year, int(col.iloc[members].sum())))
        for unit in [*qpvs, *iris]:
            level = "qpv" if unit in qpvs else "iris"
            i = int(np.flatnonzero(per_commune["code"].to_numpy() == unit["commune"])[0])
            ratio = totals[i, t] / totals[i, -1]
            rows.append((level, unit["code"], year, int(round(unit["population"] * ratio))))
    del territories, epci_codes
    frame = pd.DataFrame(rows, columns=["level", "code", "year", "population"])
    return frame.sort_values(["level", "code", "year"]).reset_index(drop=True)


# --- socio-economic census-like counts ---------------------------------------------------------------

def _logistic(x):
    return 1 / (1 + np.exp(-x))


def _logit(p):
    return math.log(p / (1 - p))


def _socio_counts(rng, pop, pop_15_64, pop_15_plus, students, z, urban) -> dict[str, np.ndarray]:
    """Census-like counts for units with populations ``pop`` and deprivation ``z`` (higher = more
    deprived). Every proportion is a logistic function of ``z``; numerators are binomial draws on
    their denominators, so they never exceed them."""
    n = len(pop)
    e = lambda s: rng.normal(0, s, n)  # noqa: E731 - local noise of a given spread
    out: dict[str, np.ndarray] = {}
    out["revenu_median_uc"] = np.round(np.exp(math.log(22_500) - 0.12 * z + 0.05 * urban + e(0.04)), -1)
    out["population"] = pop
    active = rng.binomial(pop_15_64, _logistic(_logit(0.74) - 0.15 * z + e(0.05)))
    out["actifs_15_64"] = active
    out["chomeurs_15_64"] = rng.binomial(active, _logistic(_logit(0.11) + 0.38 * z + e(0.12)))
    out["ouvriers_actifs"] = rng.binomial(active, _logistic(_logit(0.21) + 0.35 * z - 0.3 * urban + e(0.12)))
    out["ouvriers_non_qualifies"] = rng.binomial(out["ouvriers_actifs"], _logistic(_logit(0.35) + 0.3 * z + e(0.1)))
    non_students = pop_15_plus - students
    out["non_scolarises_15_plus"] = non_students
    bac_share = _logistic(_logit(0.45) - 0.42 * z + 0.25 * urban + e(0.1))
    out["bacheliers"] = rng.binomial(non_students, bac_share)
    # Diploma holders include the bacheliers: the others get a diploma with their own probability.
    out["diplomes"] = out["bacheliers"] + rng.binomial(non_students - out["bacheliers"],
                                                       _logistic(_logit(0.58) - 0.35 * z + e(0.1)))
    # Low education (no diploma, CEP or BEPC) includes everyone without a diploma.
    out["faible_niveau_etudes"] = (non_students - out["diplomes"]) + rng.binomial(
        out["diplomes"] - out["bacheliers"], _logistic(_logit(0.25) + 0.2 * z + e(0.1)))
    size = 2.35 - 0.25 * urban + 0.06 * z
    households = np.maximum(1, np.round(pop / size)).astype(np.int64)
    out["menages"] = households
    social = _logistic(_logit(0.04) + 0.55 * z + 1.6 * urban + e(0.2))  # big towns: about a quarter
    out["menages_hlm"] = rng.binomial(households, social)
    out["non_proprietaires"] = out["menages_hlm"] + rng.binomial(
        households - out["menages_hlm"], _logistic(_logit(0.2) + 0.3 * z + 1.0 * urban + e(0.1)))
    out["logements_suroccupes"] = rng.binomial(households, _logistic(_logit(0.03) + 0.45 * z + 0.9 * urban + e(0.1)))
    out["sans_chauffage"] = rng.binomial(households, _logistic(_logit(0.04) + 0.3 * z - 0.3 * urban + e(0.1)))
    out["sans_voiture"] = rng.binomial(households, _logistic(_logit(0.08) + 0.4 * z + 1.3 * urban + e(0.1)))
    out["menages_6_plus"] = rng.binomial(households, _logistic(_logit(0.012) + 0.4 * z + 0.3 * urban + e(0.1)))
    out["familles_monoparentales"] = rng.binomial(households, _logistic(_logit(0.08) + 0.3 * z + 0.5 * urban + e(0.1)))
    out["etrangers"] = rng.binomial(pop, _logistic(_logit(0.04) + 0.5 * z + 1.0 * urban + e(0.2)))
    return out


#: Count columns of ``socio`` that add up over areas (the median income does not).
SOCIO_COUNTS = ("population", "actifs_15_64", "chomeurs_15_64", "ouvriers_actifs", "ouvriers_non_qualifies",
                "non_scolarises_15_plus", "bacheliers", "diplomes", "faible_niveau_etudes", "menages",
                "menages_hlm", "non_proprietaires", "logements_suroccupes", "sans_chauffage", "sans_voiture",
                "menages_6_plus", "familles_monoparentales", "etrangers")


def _structure(frame: pd.DataFrame, year: int):
    """Per-commune totals of the age groups used by the census-like counts (last year)."""
    last = frame[frame["year"] == year]
    table = last.groupby(["commune", "age_start"])["population"].sum().unstack("age_start")
    pop = table.sum(axis=1)
    pop_15_64 = table[[a for a in table.columns if 15 <= a < 65]].sum(axis=1)
    pop_15_plus = table[[a for a in table.columns if a >= 15]].sum(axis=1)
    students = np.round(0.85 * table[15] + 0.4 * table[20]).astype(np.int64)
    return table.index.to_numpy(), pop.to_numpy(), pop_15_64.to_numpy(), pop_15_plus.to_numpy(), students.to_numpy()


def _socio(rng, communes, by_age_sex, qpvs, iris, year, life_expectancy) -> pd.DataFrame:
    codes, pop, p1564, p15, students = _structure(by_age_sex, year)
    z = communes.set_index("code").loc[codes, "deprivation"].to_numpy()
    urban = np.clip((np.log10(pop) - 2) / 3, 0, 1)
    values = _socio_counts(rng, pop, p1564, p15, students, z, urban)
    frame = pd.DataFrame(values)
    frame.insert(0, "code", codes)
    frame.insert(0, "level", "commune")

    units = []
    for level, group in (("iris", iris), ("qpv", qpvs)):
        if not group:
            continue
        commune_index = {c: k for k, c in enumerate(codes)}
        unit_pop = np.array([u["population"] for u in group])
        ratio = np.array([unit_pop[k] / pop[commune_index[u["commune"]]] for k, u in enumerate(group)])
        base = np.array([commune_index[u["commune"]] for u in group])
        # Age structure of the unit: its commune's, scaled (QPV a little younger is not modelled).
        u1564 = np.minimum(unit_pop, np.round(p1564[base] * ratio).astype(np.int64))
        u15 = np.maximum(u1564, np.minimum(unit_pop, np.round(p15[base] * ratio).astype(np.int64)))
        ustud = np.minimum(u15, np.round(students[base] * ratio).astype(np.int64))
        uz = np.array([u["deprivation"] for u in group])
        uvalues = _socio_counts(rng, unit_pop, u1564, u15, ustud, uz, np.full(len(group), 1.0))
        uframe = pd.DataFrame(uvalues)
        uframe.insert(0, "code", [u["code"] for u in group])
        uframe.insert(0, "level", level)
        units.append(uframe)
        if level == "iris":
            # The city's census counts are the sum of its IRIS; its median, the median of their pooled
            # (population-weighted) distributions (see pooled_median).
            k = commune_index[group[0]["commune"]]
            for column in SOCIO_COUNTS:
                frame.loc[k, column] = uframe[column].sum()
            frame.loc[k, "revenu_median_uc"] = pooled_median(uframe["revenu_median_uc"], uframe["population"])
    frame = pd.concat([frame, *units], ignore_index=True)
    frame.insert(2, "year", year)
    life = life_expectancy.rename(columns={"commune": "code"})
    frame = frame.merge(life, on="code", how="left")
    for column in SOCIO_COUNTS:
        frame[column] = frame[column].astype(np.int64)
    return frame


#: Dispersion (standard deviation of the logarithm) assumed for the income per consumption unit inside
#: one area when areas are pooled: D9/D1 ≈ 3.3, the order of magnitude of French communes.
INCOME_LOG_SD = 0.47


def pooled_median(medians, weights, log_sd: float = INCOME_LOG_SD) -> float:
    """Median income of a union of areas, approximated from their medians and populations.

    A median does not add up and the generator keeps no individual incomes, so each area's
    distribution is *assumed* log-normal with its own median and a common spread ``log_sd``; the
    union's distribution is their population-weighted mixture and its median is found where the
    mixture's distribution function reaches one half (bisection on the logarithm, to 0.01 €). This
    is an honest approximation, not INSEE's figure: it differs from the median of the medians and,
    unless by chance or with a single member, from every member's median. Rounded like the
    generated medians (to 10 €)."""
    from scipy.special import ndtr

    medians = np.asarray(medians, dtype=float)
    weights = np.asarray(weights, dtype=float)
    keep = np.isfinite(medians) & (medians > 0) & np.isfinite(weights) & (weights > 0)
    medians, weights = medians[keep], weights[keep]
    if not len(medians):
        return float("nan")
    if len(medians) == 1:
        return float(medians[0])
    logs, shares = np.log(medians), weights / weights.sum()
    low, high = logs.min(), logs.max()
    while high - low > 1e-7:
        middle = 0.5 * (low + high)
        if float(shares @ ndtr((middle - logs) / log_sd)) < 0.5:
            low = middle
        else:
            high = middle
    return float(np.round(math.exp(0.5 * (low + high)), -1))


def weighted_median(values, weights) -> float:
    """Median of ``values`` weighted by ``weights`` (the lower median on ties)."""
    values = np.asarray(values, dtype=float)
    weights = np.asarray(weights, dtype=float)
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cumulative, 0.5 * cumulative[-1])])


# --- the indicator catalogue -------------------------------------------------------------------------

_SOCIO_LEVELS = "region,departement,epci,commune,iris,qpv,zone"
_HEALTH_LEVELS = "region,departement,epci,commune,zone"


def catalogue(years: tuple[int, ...] = (2019, 2020, 2021)) -> pd.DataFrame:
    """The demonstration indicator catalogue (one row per indicator).

    Columns: the fields of the application's catalogue (``code``, ``label``, ``definition``,
    ``source``, ``unit``, ``polarity``: favourable = higher is better, adverse = higher is worse,
    neutral = context; ``multiplier``, ``numerator_label``, ``denominator_label``, ``theme``,
    ``levels``) and how to compute it from the region's tables: ``method`` (proportion, rate, dsr,
    life_expectancy, median), ``table`` (socio or by_age_sex), ``numerator``, ``denominator``
    (columns), ``bands`` (age bands used, comma-separated; empty = all), ``periods``.
    """
    pooled = f"{years[0]}-{years[-1]}"
    every_period = ",".join([*map(str, years), pooled])
    ref = str(years[-1])
    rows = []

    def add(code, label, definition, unit, polarity, multiplier, method, table, numerator, denominator,
            numerator_label, denominator_label, theme, levels, periods, bands=""):
        rows.append({
            "code": code, "label": label, "definition": definition, "source": SOURCE, "unit": unit,
            "polarity": polarity, "multiplier": float(multiplier), "numerator_label": numerator_label,
            "denominator_label": denominator_label, "theme": theme, "levels": levels, "method": method,
            "table": table, "numerator": numerator, "denominator": denominator, "bands": bands,
            "periods": periods,
        })

    socio = "Conditions socio-économiques"
    edi = "Défavorisation (composantes de l'EDI)"
    fictif = " Données fictives générées pour la démonstration."
    add("demo-revenu-median-uc", "Revenu fiscal médian par unité de consommation",
        "Médiane du revenu fiscal déclaré par unité de consommation, en euros par an. Aux niveaux supra-communaux : "
        "médiane approchée de la réunion des communes, chaque commune étant supposée suivre une loi log-normale "
        "de même dispersion autour de sa médiane, pondérée par sa population (approximation : une médiane ne "
        "s'additionne pas)." + fictif,
        "€", "favourable", 1, "median", "socio", "revenu_median_uc", "population", "", "", socio, _SOCIO_LEVELS, ref)
    add("demo-part-diplomes", "Part des diplômés parmi les 15 ans ou plus non scolarisés",
        "Personnes de 15 ans ou plus sorties du système scolaire avec un diplôme, pour 100 personnes de 15 ans ou "
        "plus non scolarisées (composante éducation de l'IDH-2)." + fictif,
        "%", "favourable", 100, "proportion", "socio", "diplomes", "non_scolarises_15_plus",
        "Diplômés de 15 ans ou plus non scolarisés", "Personnes de 15 ans ou plus non scolarisées", socio,
        _SOCIO_LEVELS, ref)
    add("demo-part-bacheliers", "Part des bacheliers parmi les 15 ans ou plus non scolarisés",
        "Titulaires du baccalauréat (ou plus) pour 100 personnes de 15 ans ou plus non scolarisées "
        "(composante de l'indice FDep)." + fictif,
        "%", "favourable", 100, "proportion", "socio", "bacheliers", "non_scolarises_15_plus",
        "Bacheliers de 15 ans ou plus non scolarisés", "Personnes de 15 ans ou plus non scolarisées", socio,
        _SOCIO_LEVELS, ref)
    add("demo-taux-chomage", "Taux de chômage des 15-64 ans",
        "Chômeurs de 15 à 64 ans pour 100 actifs de 15 à 64 ans (composante de l'indice FDep et de l'EDI)." + fictif,
        "%", "adverse", 100, "proportion", "socio", "chomeurs_15_64", "actifs_15_64",
        "Chômeurs de 15 à 64 ans", "Actifs de 15 à 64 ans", socio, _SOCIO_LEVELS, ref)
    add("demo-part-ouvriers", "Part des ouvriers dans la population active de 15-64 ans",
        "Ouvriers pour 100 actifs de 15 à 64 ans (composante de l'indice FDep)." + fictif,
        "%", "neutral", 100, "proportion", "socio", "ouvriers_actifs", "actifs_15_64",
        "Ouvriers actifs de 15 à 64 ans", "Actifs de 15 à 64 ans", socio, _SOCIO_LEVELS, ref)
    add("demo-part-logement-social", "Part des ménages locataires d'un logement social",
        "Ménages locataires d'un logement HLM pour 100 ménages." + fictif,
        "%", "neutral", 100, "proportion", "socio", "menages_hlm", "menages",
        "Ménages locataires HLM", "Ménages", socio, _SOCIO_LEVELS, ref)
    edi_rows = [
        ("demo-edi-surpeuplement", "Part des logements suroccupés", "Résidences principales suroccupées",
         "logements_suroccupes", "menages", "Ménages", "adverse"),
        ("demo-edi-sans-chauffage", "Part des logements sans chauffage central ni électrique",
         "Résidences principales sans chauffage central ni électrique", "sans_chauffage", "menages", "Ménages",
         "adverse"),
        ("demo-edi-non-proprietaires", "Part des ménages non propriétaires", "Ménages non propriétaires",
         "non_proprietaires", "menages", "Ménages", "neutral"),
        ("demo-edi-etrangers", "Part des personnes de nationalité étrangère", "Personnes de nationalité étrangère",
         "etrangers", "population", "Population", "neutral"),
        ("demo-edi-sans-voiture", "Part des ménages sans voiture", "Ménages sans voiture", "sans_voiture",
         "menages", "Ménages", "adverse"),
        ("demo-edi-ouvriers-non-qualifies", "Part des ouvriers non qualifiés ou agricoles parmi les actifs",
         "Ouvriers non qualifiés ou agricoles de 15 à 64 ans", "ouvriers_non_qualifies", "actifs_15_64",
         "Actifs de 15 à 64 ans", "neutral"),
        ("demo-edi-menages-6-personnes", "Part des ménages de plus de 6 personnes", "Ménages de plus de 6 personnes",
         "menages_6_plus", "menages", "Ménages", "neutral"),
        ("demo-edi-faible-niveau-etudes", "Part des 15 ans ou plus non scolarisés de faible niveau d'études",
         "Personnes sans diplôme ou titulaires du seul CEP ou BEPC", "faible_niveau_etudes",
         "non_scolarises_15_plus", "Personnes de 15 ans ou plus non scolarisées", "adverse"),
        ("demo-edi-familles-monoparentales", "Part des ménages monoparentaux", "Familles monoparentales",
         "familles_monoparentales", "menages", "Ménages", "neutral"),
    ]
    for code, label, num_label, num, den, den_label, polarity in edi_rows:
        add(code, label, f"{num_label} pour 100 ({den_label.lower()}) ; l'une des dix proportions de l'indice "
            "européen de défavorisation (EDI, version française)." + fictif,
            "%", polarity, 100, "proportion", "socio", num, den, num_label, den_label, edi, _SOCIO_LEVELS, ref)

    mortality = "Mortalité"
    add("demo-mortalite-taux-brut", "Taux brut de mortalité toutes causes",
        "Décès toutes causes pour 100 000 habitants par an (par sexe ; par classe d'âge quinquennale sur la période "
        "regroupée)." + fictif,
        "pour 100 000", "adverse", 100_000, "rate", "by_age_sex", "deces", "population",
        "Décès", "Population (personnes-années)", mortality, _HEALTH_LEVELS, every_period)
    add("demo-mortalite-standardisee", "Taux standardisé de mortalité toutes causes",
        "Taux de mortalité toutes causes standardisé sur l'âge (méthode directe, population standard européenne "
        "2013, 19 classes d'âge), pour 100 000 habitants ; intervalle de Dobson." + fictif,
        "pour 100 000", "adverse", 100_000, "dsr", "by_age_sex", "deces", "population",
        "Décès", "Population (personnes-années)", mortality, _HEALTH_LEVELS, every_period)
    add("demo-mortalite-prematuree", "Taux standardisé de mortalité prématurée (avant 65 ans)",
        "Décès avant 65 ans, taux standardisé sur l'âge (population standard européenne 2013, classes 0-4 à "
        "60-64), pour 100 000 habitants de moins de 65 ans." + fictif,
        "pour 100 000", "adverse", 100_000, "dsr", "by_age_sex", "deces", "population",
        "Décès avant 65 ans", "Population de moins de 65 ans", mortality, _HEALTH_LEVELS, every_period,
        ",".join(PREMATURE_BANDS))
    add("demo-esperance-vie", "Espérance de vie à la naissance",
        "Nombre moyen d'années vécues par une génération fictive soumise aux conditions de mortalité de la période. "
        "Communes : estimation lissée issue du modèle (les effectifs communaux sont trop petits pour une table de "
        "mortalité) ; niveaux supérieurs : table de mortalité abrégée de Chiang (variance de Silcocks) sur les "
        "décès observés." + fictif,
        "années", "favourable", 1, "life_expectancy", "by_age_sex", "deces", "population",
        "Décès", "Population (personnes-années)", mortality, _HEALTH_LEVELS, pooled)
    add("demo-hospitalisation-diabete", "Taux standardisé de patients hospitalisés pour diabète",
        "Personnes hospitalisées au moins une fois dans l'année pour diabète, taux standardisé sur l'âge "
        "(population standard européenne 2013), pour 100 000 habitants." + fictif,
        "pour 100 000", "adverse", 100_000, "dsr", "by_age_sex", "patients_diabete", "population",
        "Patients hospitalisés pour diabète", "Population (personnes-années)", "Maladies chroniques",
        _HEALTH_LEVELS, every_period)
    add("demo-hospitalisation-diabete-taux-brut", "Taux brut de patients hospitalisés pour diabète",
        "Personnes hospitalisées au moins une fois dans l'année pour diabète, pour 100 000 habitants (par sexe ; "
        "par classe d'âge sur la période regroupée)." + fictif,
        "pour 100 000", "adverse", 100_000, "rate", "by_age_sex", "patients_diabete", "population",
        "Patients hospitalisés pour diabète", "Population (personnes-années)", "Maladies chroniques",
        _HEALTH_LEVELS, every_period)
    add("demo-depistage-colorectal", "Participation au dépistage organisé du cancer colorectal",
        "Personnes de 50 à 74 ans dépistées dans l'année pour 100 personnes invitées de 50 à 74 ans." + fictif,
        "%", "favourable", 100, "proportion", "by_age_sex", "depistes", "population",
        "Personnes dépistées", "Population invitée de 50 à 74 ans", "Prévention", _HEALTH_LEVELS, every_period,
        ",".join(SCREENING_BANDS))
    return pd.DataFrame(rows)


# --- names -------------------------------------------------------------------------------------------

_ROOTS = ["Val", "Mont", "Beau", "Bel", "Roche", "Ville", "Font", "Champ", "Bois", "Castel", "Mar", "Lor",
          "Vern", "Aub", "Chaz", "Bren", "Sau", "Cour", "Ros", "Lan", "Mor", "Gré", "Pra", "Ser", "Tal", "Vil",
          "Ber", "Char", "Clu", "Dor", "Fer", "Gour", "Jar", "Lav", "Mal", "Nan", "Peyr", "Quin", "Rib", "Sav",
          "Tour", "Vau", "Ver", "Bor", "Cham", "Esc", "Mir", "Pon", "Sal", "Cor"]
_LINKS = ["", "", "", "e", "i", "a", "o", "en", "er", "ar", "ou", "on"]
_ENDINGS = ["ac", "ay", "ey", "ieu", "ville", "court", "mont", "val", "brune", "fort", "lieu", "ignac",
            "ières", "elles", "oux", "ans", "in", "et", "eau", "ange", "ette", "erre", "oire", "igny", "eilles",
            "ade", "ès", "ens", "ols", "anges", "ousse", "ard", "enne", "uel", "asque"]
_SAINTS = ["Martin", "Julien", "Germain", "Laurent", "Hilaire", "Aubin", "Rémy", "Sulpice", "Genest", "Médard",
           "Pardoux", "Étienne", "Ours", "Priest", "Amand", "Symphorien", "Bonnet", "Cyr", "Fiacre", "Gervais"]
_SAINTES = ["Colombe", "Radegonde", "Foy", "Marie", "Eulalie", "Solange", "Christine", "Agathe"]
_RIVERS = ["Lorne", "Vézeronne", "Aubrelle", "Séranne", "Maudre", "Ostre", "Brivelle", "Cléronne", "Alvette",
           "Dourbe", "Ysandre", "Orbelle", "Lisère", "Tarnelle", "Vionne", "Essandre"]
_PAYS = ["Bocage", "Vallée", "Plateau", "Causse", "Forez-Bas", "Champagnol", "Morvelais", "Gâtinelle"]
_QUARTIERS = ["Les Érables", "Les Tilleuls", "Les Bruyères", "Les Peupliers", "Les Acacias", "Les Glycines",
              "Les Hirondelles", "Les Mésanges", "Bellevue", "Le Plateau", "La Source", "Les Châtaigniers",
              "Le Clos Fleuri", "Les Aulnes", "Beausoleil", "Les Sablons", "La Garenne", "Les Coteaux",
              "Le Val Fourré-Neuf", "Les Genêts", "Les Cèdres", "La Roseraie", "Les Lilas", "Le Mail"]

_VOWELS = "AEIOUYÉÈÊÂÎÔ"


def _de(name: str) -> str:
    """"de Lorne" / "d'Aubrelle" inside a hyphenated name."""
    return f"d'{name}" if name[0].upper() in _VOWELS else f"de-{name}"


def _sort_key(name: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()


class _Namer:
    """French-sounding fictional names, unique within each kind."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        self.used: set[str] = set()
        self.used_quartiers: dict[str, int] = {}

    def _pick(self, items):
        return items[int(self.rng.integers(len(items)))]

    def base(self) -> str:
        return self._pick(_ROOTS) + self._pick(_LINKS) + self._pick(_ENDINGS)

    def commune(self, city: bool = False) -> str:
        for _ in range(1000):
            if city:
                name = self.base()
            else:
                roll = self.rng.random()
                if roll < 0.42:
                    name = self.base()
                elif roll < 0.55:
                    name = f"Saint-{self._pick(_SAINTS)}-{_de(self.base())}" if self.rng.random() < 0.5 \
                        else f"Saint-{self._pick(_SAINTS)}-sur-{self._pick(_RIVERS)}"
                elif roll < 0.6:
                    name = f"Sainte-{self._pick(_SAINTES)}-{_de(self.base())}"
                elif roll < 0.72:
                    name = f"{self.base()}-sur-{self._pick(_RIVERS)}"
                elif roll < 0.8:
                    name = f"{self.base()}-{self._pick(['la-Forêt', 'le-Château', 'les-Bains', 'la-Côte', 'le-Haut', 'le-Bas', 'les-Vignes'])}"
                elif roll < 0.87:
                    name = f"{self._pick(['Le', 'La', 'Les'])} {self.base()}"
                elif roll < 0.94:
                    name = f"{self.base()}-en-{self._pick(_PAYS)}"
                else:
                    name = f"{self.base()}-{self._pick(['Saint-' + s for s in _SAINTS])}"
            if name not in self.used:
                self.used.add(name)
                return name
        raise RuntimeError("noms épuisés")  # pragma: no cover - 10^5 combinations for a few hundred names

    def departement(self) -> str:
        for _ in range(1000):
            roll = self.rng.random()
            river, other = self._pick(_RIVERS), self._pick(_RIVERS)
            if roll < 0.35:
                name = river
            elif roll < 0.6:
                name = f"{self._pick(['Haute', 'Basse'])}-{river}"
            elif roll < 0.85 and river != other:
                name = f"{river}-et-{other}"
            else:
                base = self.base()
                name = f"Monts d'{base}" if base[0] in _VOWELS else f"Monts de {base}"
            if name not in self.used:
                self.used.add(name)
                return name
        raise RuntimeError("noms épuisés")  # pragma: no cover

    def epci(self, kind: str, town: str) -> str:
        templates = {
            "cu": ["Communauté urbaine de {t}"],
            "ca": ["Communauté d'agglomération de {t}", "Communauté d'agglomération du Grand {t}"],
            "cc": ["Communauté de communes du Pays de {t}", "Communauté de communes de {t} et environs",
                   "Communauté de communes des Coteaux de {t}", "Communauté de communes du Val de {t}",
                   "Communauté de communes de {t}"],
        }[kind]
        for template in templates + [t + " ({n})" for t in templates for _ in range(1)]:
            name = template.format(t=town, n=len(self.used))
            if name not in self.used:
                self.used.add(name)
                return name
        raise RuntimeError("noms épuisés")  # pragma: no cover

    def quartier(self) -> str:
        name = self._pick(_QUARTIERS)
        if self.rng.random() < 0.4:
            other = self._pick(_QUARTIERS)
            if other != name:
                name = f"{name} – {other}"
        return name

    def zone(self, town: str) -> str:
        name = f"ZIP du secteur de {town}"
        self.used.add(name)
        return name


def _largest(members, population) -> int:
    members = np.asarray(members)
    return int(members[np.argmax(population[members])])


def _epci_labels(epci_of, dept_of, dept_codes, names, population, kind, namer):
    """Codes (département + E + number), names (after the largest town) and département of each EPCI."""
    codes, labels, depts = [], [], []
    counters = {d: 0 for d in dept_codes}
    for e in range(epci_of.max() + 1):
        members = np.flatnonzero(epci_of == e)
        dept = dept_codes[dept_of[members[0]]]
        counters[dept] += 1
        codes.append(f"{dept}E{counters[dept]:02d}")
        biggest = _largest(members, population)
        total = population[members].sum()
        kind_of = "cu" if total >= 250_000 else ("ca" if total >= 50_000 and population[biggest] >= 15_000 else "cc")
        labels.append(namer.epci(kind_of, names[biggest]))
        depts.append(dept)
    return codes, labels, depts


# --- coordinates ---------------------------------------------------------------------------------------

def _km_to_lonlat(xy: np.ndarray) -> np.ndarray:
    return np.column_stack([_CENTRE_LON + xy[:, 0] / _KM_PER_DEG_LON, _CENTRE_LAT + xy[:, 1] / _KM_PER_DEG_LAT])


def _to_geojson(geometry) -> dict:
    """A km-plane geometry as a GeoJSON dict in WGS84 (coordinates on a 1e-6 degree grid)."""
    projected = shapely.transform(geometry, _km_to_lonlat)
    projected = shapely.set_precision(projected, _GRID_DEG)
    mapped = shapely.geometry.mapping(projected)
    return json.loads(json.dumps(mapped))  # tuples → lists: plain JSON values
