"""Engine parity: build one extract on DuckDB and on Spark and compare every mart row by row.

    python -m nhi_warehouse.parity --raw DIR [--work DIR] [--schema marts] [--rel-tol 1e-9]

Both builds are the project's ordinary `dbt build` (seeds, models, unit and data tests) with the
`duckdb` and `spark` targets of profiles/profiles.yml (Spark: local, in-process pyspark, needs
`make setup-spark` and Java 17). The Spark build writes its tables as Parquet files under its
own warehouse folder (`<work>/spark-warehouse/<schema>.db/<table>/`); they are read back with
DuckDB's Parquet reader, so no second Spark session (and no shared metastore lock) is needed.

Every table of the compared schemas must exist on both engines with the same columns and types,
and the same rows in both directions: rows are matched on their exact (non floating-point)
values, and floating-point columns must agree within a relative tolerance. Each difference is
reported with the mart and the row. Exit status 0 when both builds pass and every table is equal.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from nhi_warehouse.dbt_runner import dbt_executable
from nhi_warehouse.settings import pass_synthetic_flag_to_spark, project_root

MARKER = ".nhi-parity"
FLOAT_TYPES = {"DOUBLE", "FLOAT", "REAL"}
MAX_REPORTED = 10


@dataclass
class Build:
    engine: str
    returncode: int
    seconds: float
    log: Path


@dataclass
class TableResult:
    name: str
    duckdb_rows: int = 0
    spark_rows: int = 0
    compared: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class ParityResult:
    builds: dict[str, Build]
    tables: list[TableResult]
    problems: list[str]

    @property
    def ok(self) -> bool:
        return (
            not self.problems
            and all(t.ok for t in self.tables)
            and all(b.returncode == 0 for b in self.builds.values())
        )

    def report(self) -> str:
        lines = []
        for build in self.builds.values():
            status = "ok" if build.returncode == 0 else f"FAILED (exit {build.returncode}, log {build.log})"
            lines.append(f"build {build.engine:<6} {build.seconds:7.1f} s  {status}")
        width = max([len(t.name) for t in self.tables] + [10])
        lines.append(f"{'table':<{width}}  {'duckdb':>8}  {'spark':>8}  {'compared':>8}  result")
        for table in self.tables:
            result = "equal" if table.ok else f"{len(table.problems)} difference(s)"
            lines.append(
                f"{table.name:<{width}}  {table.duckdb_rows:>8}  {table.spark_rows:>8}  {table.compared:>8}  {result}"
            )
        for table in self.tables:
            for problem in table.problems[:MAX_REPORTED]:
                lines.append(f"  FAIL {table.name}: {problem}")
            if len(table.problems) > MAX_REPORTED:
                lines.append(f"  FAIL {table.name}: ... {len(table.problems) - MAX_REPORTED} more")
        lines.extend(f"FAIL {problem}" for problem in self.problems)
        lines.append("PARITY OK" if self.ok else "PARITY FAILED")
        return "\n".join(lines)


def spark_available() -> str | None:
    """None when a local Spark build can run here, else the reason it cannot."""
    for module, hint in (("pyspark", "pyspark"), ("dbt.adapters.spark", "dbt-spark")):
        try:
            found = importlib.util.find_spec(module) is not None
        except ModuleNotFoundError:
            found = False
        if not found:
            return f"{hint} is not installed (make setup-spark installs requirements-spark.txt)"
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "Java is not installed (Spark needs Java 17 on PATH or JAVA_HOME)"
    return None


def prepare_work(work: Path) -> None:
    """Use `work` for the builds, clearing what an earlier parity run left there. A non-empty
    folder without our marker is refused rather than deleted."""
    if work.exists() and any(work.iterdir()) and not (work / MARKER).exists():
        raise SystemExit(f"parity: {work} is not empty and was not made by a parity run; choose another --work")
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    (work / MARKER).write_text("made by python -m nhi_warehouse.parity; deleted by the next run\n")


def run_build(engine: str, raw: Path, work: Path, dbt_args: list[str]) -> Build:
    root = project_root()
    env = dict(os.environ)
    env.update(
        NHI_TARGET=engine,
        NHI_RAW_ROOT=str(raw),
        NHI_DUCKDB_PATH=str(work / "duckdb" / "nhi.duckdb"),
        NHI_DUCKDB_TEMP=str(work / "duckdb" / "tmp"),
        NHI_SPARK_WAREHOUSE=str(work / "spark-warehouse"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    pass_synthetic_flag_to_spark(env, raw)  # the demo key on Spark (macros/id_key.sql)
    (work / "duckdb").mkdir(exist_ok=True)
    (work / "spark-warehouse").mkdir(exist_ok=True)
    log = work / f"dbt-{engine}.log"
    command = [
        dbt_executable(),
        "build",
        *dbt_args,
        "--profiles-dir",
        str(root / "profiles"),
        "--target-path",
        str(work / f"target-{engine}"),
        "--log-path",
        str(work / f"logs-{engine}"),
    ]
    print(f"parity: dbt build on {engine} ...", flush=True)
    started = time.perf_counter()
    with log.open("w", encoding="utf-8") as out:
        completed = subprocess.run(command, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT, check=False)
    seconds = time.perf_counter() - started
    print(f"parity: dbt build on {engine}: exit {completed.returncode} in {seconds:.1f} s (log {log})", flush=True)
    return Build(engine, completed.returncode, seconds, log)


# ---------------------------------------------------------------------------------------------
# Reading the two warehouses


def duckdb_tables(con: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    return [
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = ? and table_type = 'BASE TABLE' order by 1",
            [schema],
        ).fetchall()
    ]


def spark_tables(warehouse: Path, schema: str) -> list[str]:
    folder = warehouse / f"{schema}.db"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def _select_normalised(columns: list[tuple[str, str]], relation: str) -> str:
    """A select of every column, instants (timestamp with time zone) as UTC wall-clock time."""
    parts = []
    for name, dtype in columns:
        quoted = '"' + name.replace('"', '""') + '"'
        if dtype.upper().startswith("TIMESTAMP WITH TIME ZONE"):
            parts.append(f"cast({quoted} as timestamp) as {quoted}")
        else:
            parts.append(quoted)
    return f"select {', '.join(parts)} from {relation}"


def read_table(con: duckdb.DuckDBPyConnection, relation: str) -> tuple[list[tuple[str, str]], list[tuple]]:
    """Column (name, type) pairs with names lower-cased, and all rows, of a relation."""
    described = con.execute(f"describe select * from {relation}").fetchall()
    columns = [(row[0], row[1]) for row in described]
    rows = con.execute(_select_normalised(columns, relation)).fetchall()
    return [(name.lower(), _type_name(dtype)) for name, dtype in columns], rows


def _type_name(dtype: str) -> str:
    dtype = dtype.upper()
    if dtype.startswith("TIMESTAMP"):
        return "TIMESTAMP"  # Spark's INT96/UTC instants read back as wall-clock timestamps
    return dtype


# ---------------------------------------------------------------------------------------------
# Comparing


def _sort_key(value: Any) -> tuple:
    """Order any mix of values (None first) deterministically."""
    if value is None:
        return (0, "")
    if isinstance(value, float) and math.isnan(value):
        return (1, "")
    return (2, type(value).__name__, value)


def floats_equal(a: Any, b: Any, rel_tol: float, abs_tol: float) -> bool:
    if a is None or b is None:
        return a is None and b is None
    a, b = float(a), float(b)
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return math.isclose(a, b, rel_tol=rel_tol, abs_tol=abs_tol)


def compare_rows(
    name: str,
    columns: list[tuple[str, str]],
    left: list[tuple],
    right: list[tuple],
    rel_tol: float,
    abs_tol: float,
) -> TableResult:
    """DuckDB rows (left) against Spark rows (right): same multiset of rows, floats within tolerance."""
    result = TableResult(name, duckdb_rows=len(left), spark_rows=len(right))
    float_at = [i for i, (_, dtype) in enumerate(columns) if dtype in FLOAT_TYPES]
    exact_at = [i for i in range(len(columns)) if i not in float_at]

    def describe(row: tuple) -> str:
        return "{" + ", ".join(f"{columns[i][0]}={row[i]!r}" for i in range(len(columns))) + "}"

    def group(rows: list[tuple]) -> dict[tuple, list[tuple]]:
        grouped: dict[tuple, list[tuple]] = defaultdict(list)
        for row in rows:
            grouped[tuple(row[i] for i in exact_at)].append(row)
        return grouped

    left_groups, right_groups = group(left), group(right)
    for key in sorted(set(left_groups) | set(right_groups), key=lambda k: tuple(_sort_key(v) for v in k)):
        ours = sorted(left_groups.get(key, []), key=lambda r: tuple(_sort_key(r[i]) for i in float_at))
        theirs = sorted(right_groups.get(key, []), key=lambda r: tuple(_sort_key(r[i]) for i in float_at))
        for a, b in zip(ours, theirs, strict=False):
            differing = [
                f"{columns[i][0]}: duckdb {a[i]!r} != spark {b[i]!r}"
                for i in float_at
                if not floats_equal(a[i], b[i], rel_tol, abs_tol)
            ]
            if differing:
                result.problems.append(f"row {describe(a)}: " + "; ".join(differing))
            else:
                result.compared += 1
        for row in ours[len(theirs) :]:
            result.problems.append(f"row only on duckdb: {describe(row)}")
        for row in theirs[len(ours) :]:
            result.problems.append(f"row only on spark: {describe(row)}")
    return result


def compare(work: Path, schemas: list[str], rel_tol: float, abs_tol: float) -> tuple[list[TableResult], list[str]]:
    warehouse = work / "spark-warehouse"
    tables: list[TableResult] = []
    problems: list[str] = []
    con = duckdb.connect(str(work / "duckdb" / "nhi.duckdb"), read_only=True)
    reader = duckdb.connect()
    reader.execute("set TimeZone = 'UTC'")
    try:
        for schema in schemas:
            on_duckdb, on_spark = duckdb_tables(con, schema), spark_tables(warehouse, schema)
            if not on_duckdb and not on_spark:
                problems.append(f"schema {schema}: no table on either engine")
            problems.extend(f"{schema}.{t}: built on duckdb only" for t in sorted(set(on_duckdb) - set(on_spark)))
            problems.extend(f"{schema}.{t}: built on spark only" for t in sorted(set(on_spark) - set(on_duckdb)))
            for table in sorted(set(on_duckdb) & set(on_spark)):
                name = f"{schema}.{table}"
                left_columns, left = read_table(con, f'"{schema}"."{table}"')
                files = sorted((warehouse / f"{schema}.db" / table).rglob("*.parquet"))
                if not files:
                    tables.append(TableResult(name, len(left), 0, 0, ["no Parquet file in the Spark table folder"]))
                    continue
                listed = ", ".join("'" + str(f).replace("'", "''") + "'" for f in files)
                right_columns, right = read_table(reader, f"read_parquet([{listed}])")
                if left_columns != right_columns:
                    tables.append(
                        TableResult(
                            name,
                            len(left),
                            len(right),
                            0,
                            [f"columns differ: duckdb {left_columns} != spark {right_columns}"],
                        )
                    )
                    continue
                tables.append(compare_rows(name, left_columns, left, right, rel_tol, abs_tol))
    finally:
        con.close()
        reader.close()
    return tables, problems


def run(
    raw: Path,
    work: Path,
    schemas: list[str] | None = None,
    rel_tol: float = 1e-9,
    abs_tol: float = 1e-12,
    dbt_args: list[str] | None = None,
) -> ParityResult:
    """Build `raw` on both engines in `work` and compare; the result knows its report."""
    reason = spark_available()
    if reason:
        raise SystemExit(f"parity: cannot build on Spark: {reason}")
    raw = raw.resolve()
    if not raw.is_dir():
        raise SystemExit(f"parity: raw extract folder {raw} does not exist")
    work = work.resolve()
    prepare_work(work)
    builds = {engine: run_build(engine, raw, work, list(dbt_args or [])) for engine in ("duckdb", "spark")}
    tables, problems = compare(work, schemas or ["marts"], rel_tol, abs_tol)
    return ParityResult(builds, tables, problems)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nhi_warehouse.parity", description=__doc__.split("\n\n")[0])
    parser.add_argument("--raw", type=Path, required=True, help="raw extract root (the contract's layout)")
    parser.add_argument("--work", type=Path, help="folder for both warehouses and logs (default: a new temp folder)")
    parser.add_argument(
        "--schema", action="append", dest="schemas", help="schema to compare (repeatable; default: marts)"
    )
    parser.add_argument("--rel-tol", type=float, default=1e-9, help="relative tolerance of floating-point columns")
    parser.add_argument("--abs-tol", type=float, default=1e-12, help="absolute tolerance near zero")
    parser.add_argument("--select", help="dbt --select for both builds (default: everything)")
    options = parser.parse_args(argv)
    work = options.work or Path(tempfile.mkdtemp(prefix="nhi-parity-"))
    dbt_args = ["--select", options.select] if options.select else []
    result = run(options.raw, work, options.schemas, options.rel_tol, options.abs_tol, dbt_args)
    print(result.report())
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
