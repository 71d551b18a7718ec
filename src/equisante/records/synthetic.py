"""Synthetic individual records at any size (pure: NumPy, pandas, pyarrow).

:func:`generate_records` draws fictional people from a population by commune, sex and age band (the
demonstration region by default, or any table ``commune, sex, age_band, population[, deprivation]``,
such as the populations of the territory store) and writes, chunk by chunk, one Parquet file per
chunk: memory stays bounded whatever the number of rows, so 100 million rows are made on a small
machine.

One row is one record (columns :data:`COLUMNS`):

- ``person_id`` (int64), ``sex`` (``F``/``H``), ``birth_date`` (date);
- ``year`` (int16) and ``commune``: the residence code *of that year* (people move; communes merged on
  1 January of :data:`MERGER_YEAR` keep, in earlier years, the code of their former part); a small share
  of rows has no code (``null``) or a code abroad (``99…``), as real files do;
- ``event``: ``affiliation`` (one per person and year while alive: the insured population, the usual
  denominator), ``sejour_diabete`` and ``sejour_autre`` (hospital stays, several a year possible),
  ``depistage_colorectal`` (people aged 50 to 74) and ``deces``; ``event_date`` (date).

Events follow a social gradient: with ``z`` the commune's deprivation (higher = more deprived), stays
and deaths are more frequent and screening less frequent where ``z`` is higher.

The merger history is written as an INSEE « mouvements des communes » file
(``mouvements_communes.csv``) that :mod:`equisante.records.codes` reads back.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from equisante.numbers import plural

__all__ = ["COLUMNS", "EVENTS", "MERGER_YEAR", "GeneratedRecords", "generate_records", "population_of_region"]

COLUMNS = ["person_id", "sex", "birth_date", "year", "commune", "event", "event_date"]
EVENTS = ("affiliation", "sejour_diabete", "sejour_autre", "depistage_colorectal", "deces")
#: Communes merged into a « commune nouvelle » on 1 January of this year (codes before it differ).
MERGER_YEAR = 2021
HISTORY_FILE = "mouvements_communes.csv"
_EPOCH = dt.date(1970, 1, 1)
_BAND_WIDTH = 5
_LAST_BAND_WIDTH = 15  # 90+: 90 to 104

Progress = Callable[[int, int], None]


def _n(count: int) -> str:
    """A count with French thousands separators (narrow no-break space): 35 357."""
    return f"{count:,}".replace(",", "\u202f")


@dataclass
class GeneratedRecords:
    """What :func:`generate_records` wrote."""

    directory: Path
    files: list[Path]
    rows: int
    persons: int
    years: tuple[int, ...]
    merged: dict[str, str] = field(default_factory=dict)  # former code → code of the commune nouvelle
    history: Path | None = None

    def summary(self) -> str:
        records = plural(self.rows, "enregistrement", number=_n(self.rows))
        persons = plural(self.persons, "personne fictive", "personnes fictives", number=_n(self.persons))
        files = plural(len(self.files), "fichier Parquet", "fichiers Parquet")
        merged = plural(len(self.merged), "commune fusionnée", "communes fusionnées")
        written = "écrit" if abs(self.rows) < 2 else "écrits"
        return (f"{records} de {persons} {written} dans {files} ({self.directory}) ; {merged} au 1er janvier "
                f"{MERGER_YEAR}.")


def population_of_region(region) -> pd.DataFrame:
    """``commune, sex, age_band, population, deprivation`` of a :class:`~equisante.demo.generator.DemoRegion`
    (its first year)."""
    frame = region.by_age_sex
    frame = frame[frame["year"] == frame["year"].min()]
    z = region.communes.set_index("code")["deprivation"]
    out = frame[["commune", "sex", "age_band", "population"]].copy()
    out["deprivation"] = out["commune"].map(z).to_numpy()
    return out.reset_index(drop=True)


def generate_records(
    rows: int,
    directory: str | Path,
    *,
    population: pd.DataFrame | None = None,
    seed: int = 2024,
    region_seed: int = 2024,
    years: tuple[int, ...] = (2019, 2020, 2021),
    chunk_rows: int = 4_000_000,
    merged_share: float = 0.05,
    missing_share: float = 0.002,
    abroad_share: float = 0.001,
    move_share: float = 0.04,
    progress: Progress | None = None,
) -> GeneratedRecords:
    """Write about ``rows`` records (exactly ``rows``) as Parquet files in ``directory``.

    ``population``: ``commune, sex, age_band, population[, deprivation]`` (ESP bands ``0-4`` … ``90+``);
    default: the demonstration region of ``region_seed`` (that of ``equisante demo``). ``chunk_rows``: rows per file (bounds memory).
    ``merged_share``: share of communes that are « communes nouvelles » of :data:`MERGER_YEAR` (each had a
    former part with its own code before). Same arguments → same files.
    """
    if rows < 1:
        raise ValueError("rows doit être positif.")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("part-*.parquet"):
        old.unlink()
    if population is None:
        from equisante.demo.generator import generate_region

        population = population_of_region(generate_region(region_seed, with_iris=False))
    population = population[population["population"] > 0].reset_index(drop=True)
    if "deprivation" not in population.columns:
        population = population.assign(deprivation=0.0)
    years = tuple(int(y) for y in years)
    rng = np.random.default_rng(seed)

    communes = np.array(sorted(population["commune"].astype(str).unique()), dtype=object)
    commune_index = {c: i for i, c in enumerate(communes)}
    z = population.groupby("commune")["deprivation"].first().reindex(communes).fillna(0.0).to_numpy(float)
    commune_pop = population.groupby("commune")["population"].sum().reindex(communes).to_numpy(float)

    # Communes nouvelles: the merged commune keeps its code; its former part had another one.
    n_merged = int(round(merged_share * len(communes))) if MERGER_YEAR in years[1:] else 0
    merged_idx = np.sort(rng.choice(len(communes), n_merged, replace=False)) if n_merged else np.array([], int)
    used = set(communes)
    former_codes = []
    for i in merged_idx:
        code = str(communes[i])
        for k in range(999, 0, -1):
            candidate = f"{code[:-3]}{k:03d}"
            if candidate not in used:
                break
        used.add(candidate)
        former_codes.append(candidate)
    merged = dict(zip(former_codes, (str(communes[i]) for i in merged_idx)))
    former_of = np.full(len(communes), -1)
    former_of[merged_idx] = np.arange(n_merged)

    # The dictionary of codes written: communes, former parts, one code abroad.
    abroad = "99134"
    dictionary = pa.array(list(communes) + former_codes + [abroad], type=pa.string())
    abroad_code = len(communes) + n_merged

    cell_commune = population["commune"].astype(str).map(commune_index).to_numpy()
    cell_sex = (population["sex"].astype(str) == "H").to_numpy()
    starts = population["age_band"].astype(str).str.extract(r"^(\d+)")[0].astype(int).to_numpy()
    cell_p = population["population"].to_numpy(float)
    cell_p /= cell_p.sum()
    commune_p = commune_pop / commune_pop.sum()

    rows_per_person = _expected_rows_per_person(years)
    start = dt.date(years[0], 1, 1)
    files: list[Path] = []
    written = persons = 0
    part = 0
    while written < rows:
        wanted = min(chunk_rows, rows - written)
        n_people = max(1, int(math.ceil(wanted / rows_per_person * 1.02)))
        table = _chunk(rng, n_people, persons, years, start, cell_p, cell_commune, cell_sex, starts, z,
                       commune_p, former_of, len(communes), abroad_code, move_share, missing_share,
                       abroad_share, dictionary)
        if table.num_rows > wanted:
            # Cut at a person boundary when possible, then exactly at ``wanted``.
            table = table.slice(0, wanted)
        last_person = int(pa.compute.max(table.column("person_id")).as_py())
        persons = last_person + 1
        path = directory / f"part-{part:05d}.parquet"
        pq.write_table(table, path, compression="snappy", row_group_size=1_000_000)
        files.append(path)
        written += table.num_rows
        part += 1
        if progress is not None:
            progress(written, rows)

    history = directory / HISTORY_FILE
    history.write_text(_history_csv(merged), encoding="utf-8")
    return GeneratedRecords(directory, files, written, persons, years, merged, history)


def _expected_rows_per_person(years) -> float:
    return len(years) * 1.2


def _chunk(rng, n, first_id, years, start, cell_p, cell_commune, cell_sex, starts, z, commune_p, former_of,
           n_communes, abroad_code, move_share, missing_share, abroad_share, dictionary) -> pa.Table:
    cells = rng.choice(len(cell_p), n, p=cell_p)
    sex_h = cell_sex[cells]
    width = np.where(starts[cells] >= 90, _LAST_BAND_WIDTH, _BAND_WIDTH)
    age0 = starts[cells] + rng.random(n) * width  # exact age on 1 January of the first year
    birth = (np.datetime64(start) - (age0 * 365.25).astype("timedelta64[D]")).astype("datetime64[D]")
    home = cell_commune[cells]
    # A person in a commune nouvelle lived, before the merger, in its former part with probability 0.4.
    in_former_part = (former_of[home] >= 0) & (rng.random(n) < 0.4)
    alive = np.ones(n, dtype=bool)

    ids, yrs, codes, events, dates = [], [], [], [], []
    person_ids = np.arange(first_id, first_id + n, dtype=np.int64)
    for t, year in enumerate(years):
        age = age0 + t
        zz = z[home]
        moving = rng.random(n) < move_share
        if moving.any():
            home = home.copy()
            home[moving] = rng.choice(len(commune_p), int(moving.sum()), p=commune_p)
            in_former_part = in_former_part & ~moving
        code = home.copy()
        if year < MERGER_YEAR:
            part = in_former_part & (former_of[home] >= 0)
            code[part] = n_communes + former_of[home[part]]
        year_start = np.datetime64(dt.date(year, 1, 1))
        idx = np.flatnonzero(alive)
        # Affiliation: one row per person alive on 1 January.
        parts = [(idx, 0, np.full(len(idx), year_start))]
        # Hospital stays (Poisson), more frequent with age and deprivation.
        lam_d = 0.004 * np.exp(0.045 * (age[idx] - 45)) * np.exp(0.35 * zz[idx]) * np.where(sex_h[idx], 1.3, 1.0)
        lam_o = 0.09 * np.exp(0.02 * (age[idx] - 40)) * np.exp(0.12 * zz[idx])
        for event, lam in ((1, np.minimum(lam_d, 2.0)), (2, np.minimum(lam_o, 3.0))):
            k = rng.poisson(lam)
            who = np.repeat(idx, k)
            parts.append((who, event, year_start + rng.integers(0, 365, len(who)).astype("timedelta64[D]")))
        # Colorectal screening, 50 to 74, less frequent with deprivation.
        invited = idx[(age[idx] >= 50) & (age[idx] < 75)]
        logit = math.log(0.33 / 0.67) - 0.30 * zz[invited] + np.where(sex_h[invited], -0.12, 0.0)
        screened = invited[rng.random(len(invited)) < 1 / (1 + np.exp(-logit))]
        parts.append((screened, 3, year_start + rng.integers(0, 365, len(screened)).astype("timedelta64[D]")))
        # Deaths: Gompertz in age, with a social gradient.
        q = np.minimum(0.00002 * np.exp(0.095 * age[idx]) * np.exp(0.12 * zz[idx]) * np.where(sex_h[idx], 1.5, 1.0), 0.6)
        dead = idx[rng.random(len(idx)) < q]
        parts.append((dead, 4, year_start + rng.integers(0, 365, len(dead)).astype("timedelta64[D]")))
        alive[dead] = False
        for who, event, when in parts:
            ids.append(who)
            yrs.append(np.full(len(who), year, dtype=np.int16))
            codes.append(code[who])
            events.append(np.full(len(who), event, dtype=np.int8))
            dates.append(when)

    who = np.concatenate(ids)
    order = np.lexsort((np.concatenate(yrs), who))  # person by person, year by year
    who = who[order]
    year = np.concatenate(yrs)[order]
    code = np.concatenate(codes)[order].astype(np.int32)
    event = np.concatenate(events)[order]
    when = np.concatenate(dates)[order].astype("datetime64[D]")
    m = len(who)
    noise = rng.random(m)
    missing = noise < missing_share
    code[(noise >= missing_share) & (noise < missing_share + abroad_share)] = abroad_code

    sex_dict = pa.array(["F", "H"])
    event_dict = pa.array(list(EVENTS))
    return pa.table({
        "person_id": pa.array(person_ids[who]),
        "sex": pa.DictionaryArray.from_arrays(pa.array(sex_h[who].astype(np.int8)), sex_dict),
        "birth_date": pa.array(birth[who]),
        "year": pa.array(year),
        "commune": pa.DictionaryArray.from_arrays(pa.array(code, mask=missing), dictionary),
        "event": pa.DictionaryArray.from_arrays(pa.array(event), event_dict),
        "event_date": pa.array(when),
    })


def _history_csv(merged: dict[str, str]) -> str:
    """The mergers in the layout of INSEE's « mouvements des communes » file (event 32: creation of a
    commune nouvelle): one row for the former part, one for the commune keeping its code."""
    header = "MOD,DATE_EFF,TYPECOM_AV,COM_AV,TNCC_AV,NCC_AV,NCCENR_AV,LIBELLE_AV,TYPECOM_AP,COM_AP,TNCC_AP,NCC_AP,NCCENR_AP,LIBELLE_AP"
    lines = [header]
    date = f"{MERGER_YEAR}-01-01"
    for former, target in sorted(merged.items()):
        lines.append(f"32,{date},COM,{former},0,,,Ancienne commune {former},COM,{target},0,,,Commune nouvelle {target}")
        lines.append(f"32,{date},COM,{target},0,,,Commune {target},COM,{target},0,,,Commune nouvelle {target}")
    return "\n".join(lines) + "\n"
