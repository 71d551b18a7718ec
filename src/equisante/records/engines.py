"""Counting individual records on DuckDB, Apache Spark or pandas (pure; no Django).

The same definition gives the same counts on every engine: DuckDB and Spark run one SQL query built
by :class:`_Sql` for their dialect; pandas (small inputs only: everything is loaded in memory) applies
the same rules step by step, which makes it an independent check of the SQL.

- **DuckDB** (default): reads Parquet or CSV files in a stream, on every core, with a memory limit and
  a temporary folder so that inputs larger than memory spill to disk instead of failing.
- **Spark** (PySpark): ``master`` is ``local[*]`` on one machine or the URL of a cluster
  (``spark://hôte:7077``, ``yarn``…); files must then be readable by every executor.
- **pandas**: for small files and tests.

Distinct persons are counted in two steps (one row per breakdown and person, then a sum), which both
engines can spill to disk, rather than with ``COUNT(DISTINCT …)``.

:func:`count_rows` counts rows (or distinct values) per combination of columns; :func:`aggregate`
counts numerator and denominator of a :class:`~equisante.records.definition.Definition` per breakdown.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import threading
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

import equisante.records.problems  # noqa: F401
from equisante.errors import EquisanteError
from equisante.records.definition import Condition, Count, Definition

__all__ = ["ENGINES", "EngineOptions", "RecordFiles", "record_files", "count_rows", "aggregate",
           "spark_available", "KEY_COLUMNS", "COUNT_COLUMNS"]

ENGINES = ("duckdb", "spark", "pandas")
#: Columns of :func:`aggregate`'s result, in order (breakdowns absent from a definition are left out).
KEY_COLUMNS = ("territory", "unmapped_code", "age_band", "sex", "period")
COUNT_COLUMNS = ("numerator", "denominator")

#: ``progress(message, fraction or None)``: stages in French; fraction in 0..1 when known.
Progress = Callable[[str, float | None], None]


@dataclass
class EngineOptions:
    """Settings of the engines. ``memory_limit`` (DuckDB, e.g. ``"2GB"``; default: 60 % of the memory)
    and ``temp_directory`` (where DuckDB and Spark spill; default: a folder under the system's temporary
    folder); ``threads`` (default: every core); ``master`` (Spark); ``spark_memory`` (Spark driver memory,
    local mode); ``spark_conf``: other Spark settings."""

    threads: int | None = None
    memory_limit: str | None = None
    temp_directory: str | None = None
    master: str = "local[*]"
    spark_memory: str = "2g"
    spark_conf: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RecordFiles:
    """The input files (all Parquet or all CSV)."""

    paths: tuple[str, ...]
    format: str  # "parquet" or "csv"
    separator: str = ","  # CSV: the separator of the first file's header (comma, semicolon or tab)


def record_files(paths: Sequence[str | Path]) -> RecordFiles:
    """Expand folders (their ``*.parquet``, else ``*.csv`` files) and check that every file exists and
    that all share one format."""
    files: list[Path] = []
    if not paths:
        raise EquisanteError("records_no_input", reason="aucun fichier ni dossier donné")
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(path.glob("*.parquet")) or sorted(path.glob("*.csv"))
            if not found:
                raise EquisanteError("records_no_input", reason=f"le dossier {path} ne contient aucun fichier "
                                                                ".parquet ni .csv")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise EquisanteError("records_input_unreadable", path=str(path), reason="fichier introuvable")
    formats = set()
    for path in files:
        suffix = path.suffix.lower()
        if suffix not in (".parquet", ".csv"):
            raise EquisanteError("records_format_unknown", path=str(path), accepted="parquet, csv")
        formats.add(suffix.lstrip("."))
    if len(formats) > 1:
        raise EquisanteError("records_no_input", reason="les fichiers mêlent Parquet et CSV : n'en donner que "
                                                        "d'un format")
    kind = formats.pop()
    separator = ","
    if kind == "csv":
        with open(files[0], encoding="utf-8-sig", errors="replace") as handle:
            header = handle.readline()
        separator = max((",", ";", "\t"), key=lambda sep: (header.count(sep), sep == ","))
    return RecordFiles(tuple(str(p.resolve()) for p in files), kind, separator)


def spark_available() -> str | None:
    """None when Spark can run here, else the reason in French."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "le paquet pyspark n'est pas installé (pip install 'equisante[records-spark]')"
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        return "Java (17 ou plus récent) est introuvable : installer un JDK ou définir JAVA_HOME"
    return None


# --- public entry points ---------------------------------------------------------------------------

def count_rows(inputs: RecordFiles | Sequence[str | Path], by: Sequence[str], *, distinct: str | None = None,
               engine: str = "duckdb", options: EngineOptions | None = None,
               progress: Progress | None = None) -> pd.DataFrame:
    """One row per combination of ``by`` present in the records, the ``by`` columns then ``n`` (rows,
    or distinct non-missing values of ``distinct``), sorted by the ``by`` columns (missing last)."""
    files = inputs if isinstance(inputs, RecordFiles) else record_files(inputs)
    options = options or EngineOptions()
    by = list(by)
    if not by:
        raise EquisanteError("records_column_missing", column="", role="--by", found="aucune colonne demandée")
    runner = _runner(engine, files, options, progress)
    try:
        runner.check_columns({c: "ventilation (--by)" for c in by} | ({distinct: "--distinct"} if distinct else {}))
        dialect = runner.dialect
        if dialect is None:
            result = runner.count_pandas(by, distinct)
        else:
            q = _Sql(dialect, files.format).quote
            keys = ", ".join(q(c) for c in by)
            if distinct is None:
                sql = f"SELECT {keys}, COUNT(*) AS n FROM src GROUP BY {keys}"
            else:
                sql = (f"SELECT {keys}, COUNT(*) AS n FROM (SELECT DISTINCT {keys}, {q(distinct)} FROM src "
                       f"WHERE {q(distinct)} IS NOT NULL) d GROUP BY {keys}")
            result = runner.run(sql)
    finally:
        runner.close()
    return _finish(result, by, ["n"])


def aggregate(definition: Definition, inputs: RecordFiles | Sequence[str | Path], *,
              codes: pd.DataFrame | None = None, engine: str = "duckdb", options: EngineOptions | None = None,
              progress: Progress | None = None) -> pd.DataFrame:
    """Numerator and denominator per breakdown of ``definition``.

    ``codes``: ``source_code, territory`` (see :func:`equisante.records.codes.code_table`); without it
    the residence code is the territory. A record whose code is missing or absent from ``codes`` gets
    ``territory`` missing and its code in ``unmapped_code`` (``""`` for a missing code): it is counted,
    never dropped. Only combinations present in the records are returned (see
    :func:`equisante.records.compute.complete`)."""
    files = inputs if isinstance(inputs, RecordFiles) else record_files(inputs)
    options = options or EngineOptions()
    keys = _keys(definition)
    runner = _runner(engine, files, options, progress)
    try:
        runner.check_columns(definition.used_columns())
        if runner.dialect is None:
            result = runner.aggregate_pandas(definition, codes, keys)
        else:
            if codes is not None:
                runner.register_codes(codes)
            sql = _Sql(runner.dialect, files.format).aggregate(definition, keys, codes is not None)
            result = runner.run(sql)
    finally:
        runner.close()
    return _finish(result, keys, list(COUNT_COLUMNS), text=True)


def _keys(definition: Definition) -> list[str]:
    keys = []
    for key in KEY_COLUMNS:
        if key == "unmapped_code":
            if "territory" in definition.breakdowns:
                keys.append(key)
        elif key in definition.breakdowns:
            keys.append(key)
    return keys


def _finish(result: pd.DataFrame, keys: list[str], counts: list[str], *, text: bool = False) -> pd.DataFrame:
    """Same types and order whatever the engine: counts as int64, keys as plain values with None for
    missing, sorted by the keys with missing last."""
    result = result[keys + counts].copy()
    for column in counts:
        result[column] = result[column].fillna(0).astype("int64")
    for column in keys:
        values = result[column]
        if text:
            result[column] = pd.Series([None if _missing(v) else str(v) for v in values], index=result.index,
                                       dtype=object)
        elif pd.api.types.is_datetime64_any_dtype(values):
            result[column] = [None if pd.isna(v) else pd.Timestamp(v).date() for v in values]
        elif pd.api.types.is_bool_dtype(values):
            result[column] = values.astype(object)
        elif pd.api.types.is_numeric_dtype(values):
            numbers = pd.to_numeric(values)
            whole = numbers.dropna()
            if len(whole) == 0 or np.all(np.mod(whole, 1) == 0):
                result[column] = numbers.astype("Int64")
            else:
                result[column] = numbers.astype("Float64")
        else:
            result[column] = pd.Series([None if _missing(v) else (v if isinstance(v, (dt.date, str)) else str(v))
                                        for v in values], index=result.index, dtype=object)
    result = result.sort_values(keys, na_position="last", kind="mergesort", ignore_index=True) if keys else result
    return result.reset_index(drop=True)


def _missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


# --- SQL (DuckDB and Spark) ------------------------------------------------------------------------

class _Sql:
    """SQL for one dialect (``duckdb`` or ``spark``); CSV inputs are read as text and cast here."""

    def __init__(self, dialect: str, source_format: str):
        self.dialect = dialect
        self.text_input = source_format == "csv"
        self.string = "VARCHAR" if dialect == "duckdb" else "STRING"

    def quote(self, name: str) -> str:
        return f'"{name}"' if self.dialect == "duckdb" else f"`{name}`"

    def col(self, name: str) -> str:
        return f"r.{self.quote(name)}"

    def as_text(self, expr: str) -> str:
        return f"CAST({expr} AS {self.string})"

    def as_int(self, expr: str) -> str:
        return f"TRY_CAST({expr} AS INTEGER)"

    def as_double(self, expr: str) -> str:
        return f"TRY_CAST({expr} AS DOUBLE)"

    def as_date(self, expr: str) -> str:
        return f"TRY_CAST({expr} AS DATE)"

    def literal(self, value) -> str:
        if isinstance(value, dt.date):
            return f"DATE '{value.isoformat()}'"
        if isinstance(value, (int, float)):
            return repr(float(value)) if isinstance(value, float) else str(int(value))
        return "'" + str(value) + "'"  # checked by the definition: no quote nor backslash

    def condition(self, c: Condition) -> str:
        column = self.col(c.column)
        if c.missing:
            return f"{column} IS NULL"
        values = [v for v in (c.values or (c.low, c.high)) if v is not None]
        if all(isinstance(v, dt.date) for v in values):
            expr = self.as_date(column)
        elif all(isinstance(v, (int, float)) for v in values):
            expr = self.as_double(column)
        else:
            expr = self.as_text(column)
            values = [str(v) for v in values]
            c = Condition(c.column, tuple(str(v) for v in c.values),
                          None if c.low is None else str(c.low), None if c.high is None else str(c.high))
        if c.values:
            return f"{expr} IN ({', '.join(self.literal(v) for v in c.values)})"
        parts = []
        if c.low is not None:
            parts.append(f"{expr} >= {self.literal(c.low)}")
        if c.high is not None:
            parts.append(f"{expr} <= {self.literal(c.high)}")
        return " AND ".join(parts)

    def where(self, count: Count, person: str | None) -> str:
        parts = [f"({self.condition(c)})" for c in count.where]
        if count.count == "persons" and person is not None:
            parts.append(f"{person} IS NOT NULL")
        return " AND ".join(parts) if parts else "TRUE"

    def age(self, definition: Definition) -> str:
        spec = definition.age
        birth = self.as_date(self.col(definition.column("birth_date")))
        at = self.literal(spec.at_date) if spec.at_date is not None else self.as_date(self.col(spec.at_column))
        return (f"(year({at}) - year({birth}) - CASE WHEN month({at}) < month({birth}) OR "
                f"(month({at}) = month({birth}) AND dayofmonth({at}) < dayofmonth({birth})) THEN 1 ELSE 0 END)")

    def band(self, age: str, starts) -> str:
        labels = _band_labels(starts)
        whens = [f"WHEN {age} < 0 THEN NULL"]
        for upper, label in zip(starts[1:], labels):
            whens.append(f"WHEN {age} < {upper} THEN '{label}'")
        return f"CASE WHEN {age} IS NULL THEN NULL {' '.join(whens)} ELSE '{labels[-1]}' END"

    def sex(self, column: str) -> str:
        text = f"upper(trim({self.as_text(column)}))"
        return (f"CASE WHEN {text} IN ('F', '2', 'FEMME') THEN 'F' "
                f"WHEN {text} IN ('H', 'M', '1', 'HOMME') THEN 'H' ELSE NULL END")

    def aggregate(self, d: Definition, keys: list[str], with_codes: bool) -> str:
        year = self.as_int(self.col(d.column("year")))
        person = self.col(d.column("person"))
        select = {}
        if "territory" in keys:
            residence = self.as_text(self.col(d.column("residence")))
            if with_codes:
                select["territory"] = "c.territory"
                select["unmapped_code"] = f"CASE WHEN c.territory IS NULL THEN COALESCE({residence}, '') END"
            else:
                select["territory"] = residence
                select["unmapped_code"] = f"CASE WHEN {residence} IS NULL THEN '' END"
        age = self.age(d) if d.age is not None else None
        if "age_band" in keys:
            select["age_band"] = self.band(age, d.age.starts)
        if "sex" in keys:
            select["sex"] = self.sex(self.col(d.column("sex")))
        if "period" in keys:
            if d.pooled and d.first_year != d.last_year:
                select["period"] = f"'{d.first_year}-{d.last_year}'"
            else:
                select["period"] = self.as_text(year)
        in_num = f"CASE WHEN {self.where(d.numerator, person)} THEN 1 ELSE 0 END"
        in_den = f"CASE WHEN {self.where(d.denominator, person)} THEN 1 ELSE 0 END"
        filters = [f"{year} BETWEEN {d.first_year} AND {d.last_year}"]
        if d.age is not None and d.age.minimum is not None:
            filters.append(f"{age} >= {d.age.minimum}")
        if d.age is not None and d.age.maximum is not None:
            filters.append(f"{age} <= {d.age.maximum}")
        filters.append(f"(({self.where(d.numerator, person)}) OR ({self.where(d.denominator, person)}))")
        join = ""
        if with_codes and "territory" in keys:
            join = f"LEFT JOIN codes c ON {self.as_text(self.col(d.column('residence')))} = c.source_code"
        columns = [f"{expr} AS {self.quote(name)}" for name, expr in select.items()]
        quoted = [self.quote(k) for k in keys]
        persons = [p.count == "persons" for p in (d.numerator, d.denominator)]
        if any(persons):
            columns.append(f"{person} AS person__")
        columns += [f"{in_num} AS in_num__", f"{in_den} AS in_den__"]
        base = f"SELECT {', '.join(columns)} FROM src r {join} WHERE {' AND '.join(filters)}"
        group = ", ".join(quoted)
        if any(persons):
            num = "MAX(in_num__)" if persons[0] else "SUM(in_num__)"
            den = "MAX(in_den__)" if persons[1] else "SUM(in_den__)"
            inner_keys = ", ".join(quoted + ["person__"])
            inner = (f"SELECT {', '.join(quoted) + ', ' if quoted else ''}{num} AS numerator, {den} AS denominator "
                     f"FROM ({base}) b GROUP BY {inner_keys}")
        else:
            inner = (f"SELECT {', '.join(quoted) + ', ' if quoted else ''}in_num__ AS numerator, "
                     f"in_den__ AS denominator FROM ({base}) b")
        outer_select = (", ".join(quoted) + ", ") if quoted else ""
        group_by = f" GROUP BY {group}" if quoted else ""
        return (f"SELECT {outer_select}SUM(numerator) AS numerator, SUM(denominator) AS denominator "
                f"FROM ({inner}) p{group_by}")


def _band_labels(starts) -> list[str]:
    from equisante.records.definition import band_labels

    return list(band_labels(starts))


# --- engines ---------------------------------------------------------------------------------------

def _runner(engine: str, files: RecordFiles, options: EngineOptions, progress: Progress | None):
    if engine == "duckdb":
        return _DuckDB(files, options, progress)
    if engine == "spark":
        return _Spark(files, options, progress)
    if engine == "pandas":
        return _Pandas(files, options, progress)
    raise EquisanteError("records_engine_unknown", engine=engine, accepted=", ".join(ENGINES))


def _say(progress: Progress | None, message: str, fraction: float | None = None) -> None:
    if progress is not None:
        progress(message, fraction)


def _default_temp(options: EngineOptions) -> str:
    path = options.temp_directory or os.path.join(tempfile.gettempdir(), "equisante-records")
    os.makedirs(path, exist_ok=True)
    return path


class _DuckDB:
    dialect = "duckdb"

    def __init__(self, files: RecordFiles, options: EngineOptions, progress: Progress | None):
        try:
            import duckdb
        except ImportError:
            raise EquisanteError("records_engine_unavailable", engine="duckdb",
                                 reason="le paquet duckdb n'est pas installé") from None
        self.files, self.progress = files, progress
        self.con = duckdb.connect()
        memory = options.memory_limit or f"{max(256, int(_total_memory() * 0.6 / 2**20))}MB"
        settings = {
            "memory_limit": memory,
            "temp_directory": _default_temp(options),
            "preserve_insertion_order": False,
        }
        if options.threads:
            settings["threads"] = int(options.threads)
        try:
            for key, value in settings.items():
                self.con.execute(f"SET {key} = ?", [value]) if not isinstance(value, bool) else \
                    self.con.execute(f"SET {key} = {str(value).lower()}")
            listing = "[" + ", ".join("'" + p.replace("'", "''") + "'" for p in files.paths) + "]"
            if files.format == "parquet":
                source = f"read_parquet({listing}, union_by_name = true)"
            else:
                delim = "\\t" if files.separator == "\t" else files.separator
                source = (f"read_csv({listing}, header = true, all_varchar = true, union_by_name = true, "
                          f"delim = '{delim}')")
            self.con.execute(f"CREATE VIEW src AS SELECT * FROM {source}")
            self.columns = [row[0] for row in self.con.execute("DESCRIBE src").fetchall()]
        except duckdb.Error as exc:
            self.close()
            raise EquisanteError("records_input_unreadable", path=", ".join(files.paths[:3]),
                                 reason=_first_line(exc)) from None

    def check_columns(self, used: dict[str, str]) -> None:
        _check_columns(self.columns, used)

    def register_codes(self, codes: pd.DataFrame) -> None:
        self.con.register("codes", codes[["source_code", "territory"]].astype(str))

    def run(self, sql: str) -> pd.DataFrame:
        import duckdb

        _say(self.progress, "Lecture et agrégation (DuckDB)", 0.0)
        outcome: dict = {}

        def work():
            try:
                outcome["table"] = self.con.execute(sql).fetch_df()
            except Exception as exc:  # reported below, in the calling thread
                outcome["error"] = exc

        thread = threading.Thread(target=work, daemon=True)
        thread.start()
        while thread.is_alive():
            thread.join(0.5)
            if thread.is_alive() and self.progress is not None:
                try:
                    done = self.con.query_progress()
                except duckdb.Error:
                    done = -1
                if done is not None and done >= 0:
                    _say(self.progress, "Lecture et agrégation (DuckDB)", min(done / 100.0, 1.0))
        if "error" in outcome:
            raise EquisanteError("records_engine_failed", engine="duckdb", reason=_first_line(outcome["error"]))
        _say(self.progress, "Lecture et agrégation (DuckDB)", 1.0)
        return outcome["table"]

    def close(self) -> None:
        try:
            self.con.close()
        except Exception:  # noqa: BLE001  closing twice is harmless
            pass


class _Spark:
    dialect = "spark"

    def __init__(self, files: RecordFiles, options: EngineOptions, progress: Progress | None):
        reason = spark_available()
        if reason:
            raise EquisanteError("records_engine_unavailable", engine="spark", reason=reason)
        from pyspark.sql import SparkSession

        self.files, self.progress = files, progress
        _say(progress, f"Démarrage de Spark ({options.master})", None)
        builder = (SparkSession.builder.master(options.master).appName("equisante-records")
                   .config("spark.ui.enabled", "false")
                   .config("spark.ui.showConsoleProgress", "false")
                   .config("spark.sql.session.timeZone", "UTC")
                   .config("spark.driver.memory", options.spark_memory)
                   .config("spark.local.dir", _default_temp(options))
                   .config("spark.sql.shuffle.partitions", str(max(4, 2 * (options.threads or os.cpu_count() or 2))))
                   .config("spark.sql.execution.arrow.pyspark.enabled", "true")
                   .config("spark.driver.extraJavaOptions", "-Dlog4j2.level=ERROR"))
        for key, value in options.spark_conf.items():
            builder = builder.config(key, value)
        self.spark = builder.getOrCreate()
        self.spark.sparkContext.setLogLevel("ERROR")
        try:
            if files.format == "parquet":
                frame = self.spark.read.parquet(*files.paths)
            else:
                frame = (self.spark.read.option("header", "true").option("sep", files.separator)
                         .csv(list(files.paths)))
        except Exception as exc:  # noqa: BLE001  Spark raises its own analysis errors
            raise EquisanteError("records_input_unreadable", path=", ".join(files.paths[:3]),
                                 reason=_first_line(exc)) from None
        frame.createOrReplaceTempView("src")
        self.columns = frame.columns

    def check_columns(self, used: dict[str, str]) -> None:
        _check_columns(self.columns, used)

    def register_codes(self, codes: pd.DataFrame) -> None:
        from pyspark.sql.functions import broadcast

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = self.spark.createDataFrame(codes[["source_code", "territory"]].astype(str))
        broadcast(frame).createOrReplaceTempView("codes")

    def run(self, sql: str) -> pd.DataFrame:
        _say(self.progress, "Lecture et agrégation (Spark)", None)
        try:
            with warnings.catch_warnings():  # PySpark warns about pandas 3, which works for these results
                warnings.simplefilter("ignore")
                result = self.spark.sql(sql).toPandas()
        except Exception as exc:  # noqa: BLE001
            raise EquisanteError("records_engine_failed", engine="spark", reason=_first_line(exc)) from None
        _say(self.progress, "Lecture et agrégation (Spark)", 1.0)
        return result

    def close(self) -> None:
        # The session stays for the next call of this process (starting Spark takes seconds).
        pass


class _Pandas:
    dialect = None

    def __init__(self, files: RecordFiles, options: EngineOptions, progress: Progress | None):
        self.files, self.progress = files, progress
        self._frame = None
        self.columns = self._read_columns()

    def _read_columns(self) -> list[str]:
        if self.files.format == "parquet":
            import pyarrow.parquet as pq

            names: list[str] = []
            for path in self.files.paths:
                for name in pq.read_schema(path).names:
                    if name not in names:
                        names.append(name)
            return names
        names = []
        for path in self.files.paths:
            for name in pd.read_csv(path, nrows=0, sep=self.files.separator).columns:
                if name not in names:
                    names.append(name)
        return names

    def frame(self, columns: list[str]) -> pd.DataFrame:
        _say(self.progress, "Lecture (pandas)", None)
        columns = list(dict.fromkeys(columns))
        if self.files.format == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            tables = []
            for path in self.files.paths:
                present = [c for c in columns if c in pq.read_schema(path).names]
                table = pq.read_table(path, columns=present)
                for name in table.column_names:
                    if pa.types.is_dictionary(table.schema.field(name).type):
                        index = table.schema.get_field_index(name)
                        table = table.set_column(index, name, table.column(name).cast(
                            table.schema.field(name).type.value_type))
                tables.append(table)
            table = pa.concat_tables(tables, promote_options="default")
            return table.to_pandas(date_as_object=False)
        parts = [pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], sep=self.files.separator,
                             usecols=lambda c: c in columns)
                 for path in self.files.paths]
        return pd.concat(parts, ignore_index=True)

    def check_columns(self, used: dict[str, str]) -> None:
        _check_columns(self.columns, used)

    def count_pandas(self, by: list[str], distinct: str | None) -> pd.DataFrame:
        frame = self.frame(by + ([distinct] if distinct else []))
        if distinct is None:
            return frame.groupby(by, dropna=False, sort=False).size().rename("n").reset_index()
        frame = frame[frame[distinct].notna()].drop_duplicates(by + [distinct])
        return frame.groupby(by, dropna=False, sort=False).size().rename("n").reset_index()

    def aggregate_pandas(self, d: Definition, codes: pd.DataFrame | None, keys: list[str]) -> pd.DataFrame:
        frame = self.frame(list(d.used_columns()))
        text = self.files.format == "csv"
        out = pd.DataFrame(index=frame.index)
        year = pd.to_numeric(frame[d.column("year")], errors="coerce")
        keep = year.between(d.first_year, d.last_year)
        if "territory" in keys:
            residence = _as_text(frame[d.column("residence")])
            if codes is not None:
                mapping = dict(zip(codes["source_code"].astype(str), codes["territory"].astype(str)))
                territory = [mapping.get(v) if isinstance(v, str) else None for v in residence]
                out["territory"] = pd.Series(territory, index=frame.index, dtype=object)
                out["unmapped_code"] = pd.Series([None if t is not None else (r if isinstance(r, str) else "")
                                                  for t, r in zip(territory, residence)], index=frame.index,
                                                 dtype=object)
            else:
                out["territory"] = residence
                out["unmapped_code"] = pd.Series([None if isinstance(r, str) else "" for r in residence],
                                                 index=frame.index, dtype=object)
        age = None
        if d.age is not None:
            birth = pd.to_datetime(frame[d.column("birth_date")], errors="coerce")
            if d.age.at_date is not None:
                at_y, at_m, at_d = d.age.at_date.year, d.age.at_date.month, d.age.at_date.day
            else:
                at = pd.to_datetime(frame[d.age.at_column], errors="coerce")
                at_y, at_m, at_d = at.dt.year, at.dt.month, at.dt.day
            before = (at_m < birth.dt.month) | ((at_m == birth.dt.month) & (at_d < birth.dt.day))
            age = (at_y - birth.dt.year - before.astype(int)).where(birth.notna())
            if d.age.at_column is not None:
                age = age.where(pd.to_datetime(frame[d.age.at_column], errors="coerce").notna())
            if d.age.minimum is not None:
                keep &= age >= d.age.minimum
            if d.age.maximum is not None:
                keep &= age <= d.age.maximum
        if "age_band" in keys:
            starts = list(d.age.starts)
            labels = _band_labels(starts)
            index = np.searchsorted(np.array(starts), age.fillna(-1).to_numpy(), side="right") - 1
            band = np.array(labels, dtype=object)[np.clip(index, 0, len(labels) - 1)]
            out["age_band"] = np.where(age.isna() | (age < 0), None, band)
        if "sex" in keys:
            sex = _as_text(frame[d.column("sex")]).map(lambda v: v.strip().upper() if isinstance(v, str) else v)
            out["sex"] = sex.map(lambda v: "F" if v in ("F", "2", "FEMME") else
                                 ("H" if v in ("H", "M", "1", "HOMME") else None))
        if "period" in keys:
            if d.pooled and d.first_year != d.last_year:
                out["period"] = f"{d.first_year}-{d.last_year}"
            else:
                out["period"] = year.map(lambda y: None if pd.isna(y) else str(int(y)))
        person = frame[d.column("person")] if d.column("person") in frame.columns else None
        in_num = self._where(frame, d.numerator, person, text)
        in_den = self._where(frame, d.denominator, person, text)
        keep &= in_num | in_den
        out["numerator"], out["denominator"] = in_num.astype(int), in_den.astype(int)
        persons = [p.count == "persons" for p in (d.numerator, d.denominator)]
        out = out[keep.fillna(False).astype(bool)]
        if any(persons):
            out["person__"] = person[out.index]
            agg = {"numerator": "max" if persons[0] else "sum", "denominator": "max" if persons[1] else "sum"}
            out = out.groupby(keys + ["person__"], dropna=False, sort=False).agg(agg).reset_index()
        if not keys:
            return pd.DataFrame({"numerator": [out["numerator"].sum()], "denominator": [out["denominator"].sum()]})
        return out.groupby(keys, dropna=False, sort=False)[["numerator", "denominator"]].sum().reset_index()

    @staticmethod
    def _where(frame: pd.DataFrame, count: Count, person, text: bool) -> pd.Series:
        keep = pd.Series(True, index=frame.index)
        for c in count.where:
            column = frame[c.column]
            if c.missing:
                keep &= column.isna()
                continue
            values = [v for v in (c.values or (c.low, c.high)) if v is not None]
            if all(isinstance(v, dt.date) for v in values):
                series = pd.to_datetime(column, errors="coerce")
                convert = pd.Timestamp
            elif all(isinstance(v, (int, float)) for v in values):
                series = pd.to_numeric(column, errors="coerce")
                convert = float
            else:
                series = _as_text(column)
                convert = str
            if c.values:
                keep &= series.isin([convert(v) for v in c.values])
            else:
                if c.low is not None:
                    keep &= (series >= convert(c.low)).fillna(False).astype(bool)
                if c.high is not None:
                    keep &= (series <= convert(c.high)).fillna(False).astype(bool)
        if count.count == "persons" and person is not None:
            keep &= person.notna()
        return keep.fillna(False).astype(bool)

    def close(self) -> None:
        self._frame = None


def _as_text(series: pd.Series) -> pd.Series:
    """Values as text (None for missing), as SQL's CAST(… AS VARCHAR) writes them."""
    if pd.api.types.is_datetime64_any_dtype(series):
        return pd.Series([None if pd.isna(v) else v.date().isoformat() for v in series], index=series.index,
                         dtype=object)
    return pd.Series([None if _missing(v) else str(v) for v in series], index=series.index, dtype=object)


def _check_columns(columns: list[str], used: dict[str, str]) -> None:
    for name, role in used.items():
        if name not in columns:
            raise EquisanteError("records_column_missing", column=name, role=role, found=", ".join(columns))


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:500] if text else type(exc).__name__


def _total_memory() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 4 * 2**30

