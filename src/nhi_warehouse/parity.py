"""Engine parity: build one extract on DuckDB and on Spark and compare every mart row by row.

    python -m nhi_warehouse.parity --raw DIR [--work DIR] [--cluster] [--schema marts] [--rel-tol 1e-9]
    python -m nhi_warehouse.parity --work DIR --compare-only        # compare the builds already in DIR

Both builds are the project's ordinary `dbt build` (seeds, models, unit and data tests). DuckDB uses
the `duckdb` target. Spark uses the `spark` target (local, in-process pyspark) or, with `--cluster`,
the `spark_thrift` target against a local multi-process cluster started for the run and stopped
after it: a standalone master, `--workers` workers and a Thrift server bound to the master
(`nhi_warehouse.spark_local`). Spark needs `make setup-spark` and Java 17.

The relations compared are discovered, never listed here: every table and view of each compared
schema in the DuckDB warehouse and in Spark's catalog (and, for a whole-project build, every
model dbt's manifest puts in that schema). Spark's relations are written out through Spark as
Parquet (`macros/parity/parity_export_relations.sql`) and read with DuckDB.

Each relation must exist on both engines with the same columns and types, and the same rows in
both directions: rows are matched on their exact (non floating-point) values, and floating-point
columns must agree within a relative tolerance. Each difference is reported with the mart and the
row. A mart with no row on either engine is reported as EMPTY: it proves nothing, so it is counted
apart and fails the check with `--fail-on-empty`. Exit status 0 when both builds pass and every
relation is equal (or empty on both).

The result is written to `<work>/parity.json`; `--record FILE` also copies it there and rewrites
the figures in the docs from the recorded runs (`nhi_warehouse.parity_docs`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from nhi_warehouse.dbt_runner import dbt_executable
from nhi_warehouse.settings import pass_synthetic_flag_to_spark, project_root

MARKER = ".nhi-parity"
RESULT_FILE = "parity.json"
EXPORT_DIR = "spark-export"
FLOAT_TYPES = {"DOUBLE", "FLOAT", "REAL"}
MAX_REPORTED = 10
# The local cluster's Thrift server runs with its own defaults where they differ from the project's
# (a Taiwanese cluster's zone; Spark 4's ANSI mode is on by default): the sessions must set theirs.
CLUSTER_SERVER_DEFAULTS = {"spark.sql.session.timeZone": "Asia/Taipei"}
# Shuffle partitions of the local cluster's sessions (2 workers x 1 core) unless
# NHI_SPARK_SHUFFLE_PARTITIONS says otherwise; the profile's default (200) suits a real cluster.
CLUSTER_SHUFFLE_PARTITIONS = "4"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
DONE_LINE = re.compile(r"Done\. (PASS=\d+.*TOTAL=\d+)")


class ExportError(RuntimeError):
    """Spark's relations could not be read back (the message names the log)."""


@dataclass
class Build:
    engine: str
    returncode: int
    seconds: float
    log: Path
    summary: str = ""
    load_before: float | None = None
    load_after: float | None = None


@dataclass
class TableResult:
    name: str
    duckdb_rows: int = 0
    spark_rows: int = 0
    compared: int = 0
    problems: list[str] = field(default_factory=list)
    duckdb_kind: str = "table"
    spark_kind: str = "table"

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def empty(self) -> bool:
        """No row on either engine: equal, but nothing was compared."""
        return self.ok and self.duckdb_rows == 0 and self.spark_rows == 0

    @property
    def status(self) -> str:
        if not self.ok:
            return "different"
        return "EMPTY on both" if self.empty else "equal"


@dataclass
class ParityResult:
    builds: dict[str, Build]
    tables: list[TableResult]
    problems: list[str]
    mode: str = "session"
    fail_on_empty: bool = False
    cluster: list[str] = field(default_factory=list)
    extract: dict[str, Any] = field(default_factory=dict)
    finished_at: str = ""
    compared_again: bool = False  # --compare-only: the builds are the earlier run's

    @property
    def empty_tables(self) -> list[TableResult]:
        return [t for t in self.tables if t.empty]

    @property
    def ok(self) -> bool:
        return (
            not self.problems
            and all(t.ok for t in self.tables)
            and all(b.returncode == 0 for b in self.builds.values())
            and not (self.fail_on_empty and self.empty_tables)
        )

    def report(self) -> str:
        lines = []
        for build in self.builds.values():
            status = "ok" if build.returncode == 0 else f"FAILED (exit {build.returncode}, log {build.log})"
            lines.append(f"build {build.engine:<12} {build.seconds:7.1f} s  {status}  {build.summary}".rstrip())
        if self.compared_again:
            lines.append("compare only: the builds above are the earlier run's, not run again")
        lines.extend(f"cluster: {line}" for line in self.cluster)
        width = max([len(t.name) for t in self.tables] + [10])
        lines.append(f"{'relation':<{width}}  {'kind':<5}  {'duckdb':>8}  {'spark':>8}  {'compared':>8}  result")
        for table in self.tables:
            result = f"{len(table.problems)} difference(s)" if table.problems else table.status
            lines.append(
                f"{table.name:<{width}}  {table.duckdb_kind:<5}  {table.duckdb_rows:>8}  {table.spark_rows:>8}  "
                f"{table.compared:>8}  {result}"
            )
        for table in self.tables:
            for problem in table.problems[:MAX_REPORTED]:
                lines.append(f"  FAIL {table.name}: {problem}")
            if len(table.problems) > MAX_REPORTED:
                lines.append(f"  FAIL {table.name}: ... {len(table.problems) - MAX_REPORTED} more")
        lines.extend(f"FAIL {problem}" for problem in self.problems)
        equal = [t for t in self.tables if t.ok and not t.empty]
        lines.append(
            f"{len(self.tables)} relations: {len(equal)} equal ({sum(t.compared for t in equal)} rows), "
            f"{len(self.empty_tables)} empty on both engines, {sum(1 for t in self.tables if not t.ok)} different"
        )
        if self.empty_tables:
            names = ", ".join(t.name for t in self.empty_tables)
            verdict = "FAIL" if self.fail_on_empty else "WARNING"
            lines.append(f"{verdict}: empty on both engines, so their parity is not shown by this extract: {names}")
        lines.append("PARITY OK" if self.ok else "PARITY FAILED")
        return "\n".join(lines)

    def as_json(self) -> dict[str, Any]:
        equal = [t for t in self.tables if t.ok and not t.empty]
        return {
            "format_version": 1,
            "mode": self.mode,
            "ok": self.ok,
            "finished_at": self.finished_at,
            "compared_again": self.compared_again,
            "machine": {"cpus": os.cpu_count()},
            "extract": self.extract,
            "builds": {name: {**asdict(build), "log": str(build.log)} for name, build in self.builds.items()},
            "cluster": self.cluster,
            "summary": {
                "relations": len(self.tables),
                "equal": len(equal),
                "equal_rows": sum(t.compared for t in equal),
                "empty_on_both": [t.name for t in self.empty_tables],
                "different": [t.name for t in self.tables if not t.ok],
            },
            "tables": [
                {
                    "name": t.name,
                    "kind": t.duckdb_kind,
                    "spark_kind": t.spark_kind,
                    "duckdb_rows": t.duckdb_rows,
                    "spark_rows": t.spark_rows,
                    "compared": t.compared,
                    "status": t.status,
                    "problems": t.problems[:MAX_REPORTED],
                }
                for t in self.tables
            ],
            "problems": self.problems,
        }


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


# ---------------------------------------------------------------------------------------------
# Running dbt


def _environment(target: str, raw: Path | None, work: Path, extra: dict[str, str] | None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        NHI_TARGET=target,
        NHI_DUCKDB_PATH=str(work / "duckdb" / "nhi.duckdb"),
        NHI_DUCKDB_TEMP=str(work / "duckdb" / "tmp"),
        NHI_SPARK_WAREHOUSE=str(work / "spark-warehouse"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    if raw is not None:
        env["NHI_RAW_ROOT"] = str(raw)
        pass_synthetic_flag_to_spark(env, raw)  # the demo key on Spark (macros/id_key.sql)
    env.update(extra or {})
    return env


def _dbt(
    arguments: list[str], target: str, raw: Path | None, work: Path, log: Path, extra_env: dict[str, str] | None = None
) -> int:
    root = project_root()
    command = [
        dbt_executable(),
        *arguments,
        "--profiles-dir",
        str(root / "profiles"),
        "--target-path",
        str(work / f"target-{target}"),
        "--log-path",
        str(work / f"logs-{target}"),
    ]
    with log.open("w", encoding="utf-8") as out:
        completed = subprocess.run(
            command,
            cwd=root,
            env=_environment(target, raw, work, extra_env),
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
        )
    return completed.returncode


def _load() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def run_build(
    target: str, raw: Path, work: Path, dbt_args: list[str], extra_env: dict[str, str] | None = None
) -> Build:
    (work / "duckdb").mkdir(exist_ok=True)
    (work / "spark-warehouse").mkdir(exist_ok=True)
    log = work / f"dbt-{target}.log"
    print(f"parity: dbt build on {target} ...", flush=True)
    load_before = _load()
    started = time.perf_counter()
    returncode = _dbt(["build", *dbt_args], target, raw, work, log, extra_env)
    seconds = time.perf_counter() - started
    done = DONE_LINE.findall(ANSI.sub("", log.read_text(encoding="utf-8", errors="replace")))
    build = Build(target, returncode, round(seconds, 1), log, done[-1] if done else "", load_before, _load())
    print(
        f"parity: dbt build on {target}: exit {returncode} in {seconds:.1f} s {build.summary} (log {log})", flush=True
    )
    return build


def export_spark(work: Path, schemas: list[str], target: str, extra_env: dict[str, str] | None = None) -> dict:
    """Write every Spark relation of `schemas` as Parquet under <work>/spark-export/ (through
    Spark); return {schema: {relation: kind}} and record it in spark-export/relations.json."""
    export = work / EXPORT_DIR
    shutil.rmtree(export, ignore_errors=True)
    export.mkdir(parents=True)
    log = work / f"export-{target}.log"
    arguments = json.dumps({"schemas": schemas, "directory": str(export)})
    print(f"parity: exporting the Spark relations of {', '.join(schemas)} through {target} ...", flush=True)
    returncode = _dbt(
        ["run-operation", "parity_export_relations", "--args", arguments], target, None, work, log, extra_env
    )
    text = ANSI.sub("", log.read_text(encoding="utf-8", errors="replace"))
    if returncode != 0:
        raise ExportError(f"reading Spark's relations through {target} failed (exit {returncode}); log {log}")
    listed: dict[str, dict[str, str]] = {schema: {} for schema in schemas}
    for found in re.findall(r"PARITY_RELATION (\{.*\})", text):
        entry = json.loads(found)
        listed[entry["schema"]][entry["name"]] = entry["kind"]
    (export / "relations.json").write_text(json.dumps(listed, indent=2) + "\n", encoding="utf-8")
    return listed


# ---------------------------------------------------------------------------------------------
# Reading the two warehouses


def duckdb_relations(con: duckdb.DuckDBPyConnection, schema: str) -> dict[str, str]:
    """{name: 'table' | 'view'} of a DuckDB schema."""
    rows = con.execute(
        "select table_name, table_type from information_schema.tables where table_schema = ? order by 1",
        [schema],
    ).fetchall()
    return {name: "view" if kind == "VIEW" else "table" for name, kind in rows}


def manifest_relations(manifest: Path, schema: str) -> set[str]:
    """Models dbt's manifest places in `schema` (ephemeral models excepted)."""
    if not manifest.is_file():
        return set()
    nodes = json.loads(manifest.read_text(encoding="utf-8")).get("nodes", {})
    return {
        node.get("alias") or node["name"]
        for node in nodes.values()
        if node.get("resource_type") == "model"
        and node.get("schema") == schema
        and node.get("config", {}).get("enabled", True)
        and node.get("config", {}).get("materialized") != "ephemeral"
    }


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


def _compare_relation(
    con: duckdb.DuckDBPyConnection,
    reader: duckdb.DuckDBPyConnection,
    folder: Path,
    schema: str,
    name: str,
    rel_tol: float,
    abs_tol: float,
) -> TableResult:
    full = f"{schema}.{name}"
    left_columns, left = read_table(con, f'"{schema}"."{name}"')
    files = sorted(p for p in folder.rglob("*.parquet") if not p.name.startswith((".", "_")))
    if not files:
        return TableResult(full, len(left), 0, 0, [f"Spark wrote no Parquet file for it under {folder}"])
    listed = ", ".join("'" + str(f).replace("'", "''") + "'" for f in files)
    right_columns, right = read_table(reader, f"read_parquet([{listed}])")
    if left_columns != right_columns:
        return TableResult(
            full, len(left), len(right), 0, [f"columns differ: duckdb {left_columns} != spark {right_columns}"]
        )
    return compare_rows(full, left_columns, left, right, rel_tol, abs_tol)


def compare(
    work: Path,
    schemas: list[str],
    spark_relations: dict[str, dict[str, str]],
    rel_tol: float,
    abs_tol: float,
    manifest: Path | None = None,
) -> tuple[list[TableResult], list[str]]:
    """Compare every relation of `schemas` built on DuckDB with Spark's export of it."""
    tables: list[TableResult] = []
    problems: list[str] = []
    con = duckdb.connect(str(work / "duckdb" / "nhi.duckdb"), read_only=True)
    reader = duckdb.connect()
    reader.execute("set TimeZone = 'UTC'")
    try:
        for schema in schemas:
            on_duckdb, on_spark = duckdb_relations(con, schema), spark_relations.get(schema, {})
            if not on_duckdb and not on_spark:
                problems.append(f"schema {schema}: no table or view on either engine")
            problems.extend(f"{schema}.{t}: built on duckdb only" for t in sorted(set(on_duckdb) - set(on_spark)))
            problems.extend(f"{schema}.{t}: built on spark only" for t in sorted(set(on_spark) - set(on_duckdb)))
            if manifest is not None:
                missing = manifest_relations(manifest, schema) - set(on_duckdb) - set(on_spark)
                problems.extend(
                    f"{schema}.{t}: a model of dbt's manifest, built on neither engine" for t in sorted(missing)
                )
            for name in sorted(set(on_duckdb) & set(on_spark)):
                result = _compare_relation(
                    con, reader, work / EXPORT_DIR / schema / name, schema, name, rel_tol, abs_tol
                )
                result.duckdb_kind, result.spark_kind = on_duckdb[name], on_spark[name]
                tables.append(result)
    finally:
        con.close()
        reader.close()
    return tables, problems


# ---------------------------------------------------------------------------------------------
# The run


def _extract_summary(raw: Path) -> dict[str, Any]:
    """What the extract is (from the generator's manifest when there is one) and its files."""
    files = [p for p in raw.rglob("*") if p.is_file() and p.suffix in (".parquet", ".csv")]
    summary: dict[str, Any] = {
        "root": str(raw),
        "files": len(files),
        "csv_files": sum(1 for p in files if p.suffix == ".csv"),
    }
    manifest = raw / "_manifest.json"
    if manifest.is_file():
        data = json.loads(manifest.read_text(encoding="utf-8"))
        generator = data.get("generator", {})
        keys = ("size", "months", "persons", "start_ym", "seed")
        summary["generator"] = {key: generator[key] for key in keys if key in generator}
        if isinstance(data.get("rows"), dict):
            summary["rows"] = data["rows"]
    return summary


def _cluster_env() -> dict[str, str]:
    return {"NHI_SPARK_SHUFFLE_PARTITIONS": os.environ.get("NHI_SPARK_SHUFFLE_PARTITIONS", CLUSTER_SHUFFLE_PARTITIONS)}


def run(
    raw: Path,
    work: Path,
    schemas: list[str] | None = None,
    rel_tol: float = 1e-9,
    abs_tol: float = 1e-12,
    dbt_args: list[str] | None = None,
    *,
    cluster: bool = False,
    workers: int = 2,
    fail_on_empty: bool = False,
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
    schemas = schemas or ["marts"]
    dbt_args = list(dbt_args or [])
    builds = {"duckdb": run_build("duckdb", raw, work, dbt_args)}
    result = ParityResult(
        builds, [], [], "cluster" if cluster else "session", fail_on_empty, [], _extract_summary(raw), _now()
    )
    try:
        if cluster:
            spark_relations = _build_on_cluster(raw, work, schemas, dbt_args, workers, result)
        else:
            builds["spark"] = run_build("spark", raw, work, dbt_args)
            save(result, work / RESULT_FILE)  # the builds survive a failed export (--compare-only)
            spark_relations = export_spark(work, schemas, "spark")
    except ExportError as error:
        result.problems.append(str(error))
    else:
        manifest = None if dbt_args else work / "target-duckdb" / "manifest.json"
        result.tables, result.problems = compare(work, schemas, spark_relations, rel_tol, abs_tol, manifest)
    result.finished_at = _now()
    save(result, work / RESULT_FILE)
    return result


def _build_on_cluster(
    raw: Path, work: Path, schemas: list[str], dbt_args: list[str], workers: int, result: ParityResult
) -> dict[str, dict[str, str]]:
    """Start the local cluster, build through its Thrift server, read the marts back, stop it."""
    from nhi_warehouse.spark_local import LocalSpark

    with LocalSpark(
        home=work / "spark-cluster",
        warehouse=work / "spark-warehouse",
        workers=workers,
        server_conf=CLUSTER_SERVER_DEFAULTS,
    ) as spark:
        env = {**_cluster_env(), "NHI_SPARK_PORT": str(spark.thrift_port)}
        result.cluster.append(
            f"standalone master {spark.master_url} with {workers} workers x {spark.worker_cores} core, "
            f"executor memory {spark.executor_memory}, Thrift server (driver) {spark.driver_memory}, "
            f"shuffle partitions {env['NHI_SPARK_SHUFFLE_PARTITIONS']}"
        )
        for line in spark.describe():
            print(f"parity: cluster before the build: {line}", flush=True)
        result.builds["spark_thrift"] = run_build("spark_thrift", raw, work, dbt_args, env)
        after = spark.describe()
        for line in after:
            print(f"parity: cluster after the build: {line}", flush=True)
        result.cluster.extend(after)
        save(result, work / RESULT_FILE)
        return export_spark(work, schemas, "spark_thrift", env)


def compare_only(
    work: Path,
    schemas: list[str] | None = None,
    rel_tol: float = 1e-9,
    abs_tol: float = 1e-12,
    *,
    fail_on_empty: bool = False,
) -> ParityResult:
    """Compare the builds an earlier run left in `work` again (other schemas, other tolerances).
    Spark's export is reused when it covers the schemas; otherwise it is written again through the
    local `spark` target from the metastore in <work>/spark-warehouse (kept by both modes)."""
    work = work.resolve()
    if not (work / MARKER).is_file() or not (work / "duckdb" / "nhi.duckdb").is_file():
        raise SystemExit(f"parity: {work} holds no parity build (run without --compare-only first)")
    schemas = schemas or ["marts"]
    previous = json.loads((work / RESULT_FILE).read_text(encoding="utf-8")) if (work / RESULT_FILE).is_file() else {}
    exported = work / EXPORT_DIR / "relations.json"
    spark_relations = json.loads(exported.read_text(encoding="utf-8")) if exported.is_file() else {}
    if not all(schema in spark_relations for schema in schemas):
        reason = spark_available()
        if reason:
            raise SystemExit(f"parity: the Spark relations of {schemas} must be exported again, but: {reason}")
        try:
            spark_relations = export_spark(work, schemas, "spark")
        except ExportError as error:
            raise SystemExit(f"parity: {error}") from error
    tables, problems = compare(work, schemas, spark_relations, rel_tol, abs_tol, None)
    builds = {name: Build(**{**build, "log": Path(build["log"])}) for name, build in previous.get("builds", {}).items()}
    result = ParityResult(
        builds,
        tables,
        problems,
        previous.get("mode", "session"),
        fail_on_empty,
        previous.get("cluster", []),
        previous.get("extract", {}),
        _now(),
        compared_again=True,
    )
    save(result, work / RESULT_FILE)
    return result


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def save(result: ParityResult, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result.as_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nhi_warehouse.parity", description=__doc__.split("\n\n")[0])
    parser.add_argument("--raw", type=Path, help="raw extract root (the contract's layout)")
    parser.add_argument("--work", type=Path, help="folder for both warehouses and logs (default: a new temp folder)")
    parser.add_argument(
        "--cluster",
        action="store_true",
        help="build on a local standalone cluster through its Thrift server (spark_thrift)",
    )
    parser.add_argument("--workers", type=int, default=2, help="--cluster: standalone workers (default 2)")
    parser.add_argument("--compare-only", action="store_true", help="compare the builds already in --work")
    parser.add_argument(
        "--schema", action="append", dest="schemas", help="schema to compare (repeatable; default: marts)"
    )
    parser.add_argument("--rel-tol", type=float, default=1e-9, help="relative tolerance of floating-point columns")
    parser.add_argument("--abs-tol", type=float, default=1e-12, help="absolute tolerance near zero")
    parser.add_argument("--select", help="dbt --select for both builds (default: everything)")
    parser.add_argument("--fail-on-empty", action="store_true", help="fail when a relation is empty on both engines")
    parser.add_argument(
        "--record", type=Path, help="also write the result here and regenerate the docs' figures from the recorded runs"
    )
    options = parser.parse_args(argv)
    if options.compare_only:
        if options.work is None:
            parser.error("--compare-only needs --work (the folder of an earlier run)")
        result = compare_only(
            options.work, options.schemas, options.rel_tol, options.abs_tol, fail_on_empty=options.fail_on_empty
        )
    else:
        if options.raw is None:
            parser.error("--raw is required (unless --compare-only)")
        work = options.work or Path(tempfile.mkdtemp(prefix="nhi-parity-"))
        dbt_args = ["--select", options.select] if options.select else []
        result = run(
            options.raw,
            work,
            options.schemas,
            options.rel_tol,
            options.abs_tol,
            dbt_args,
            cluster=options.cluster,
            workers=options.workers,
            fail_on_empty=options.fail_on_empty,
        )
    print(result.report())
    if options.record:
        from nhi_warehouse.parity_docs import update_docs

        save(result, options.record)
        for path in update_docs(options.record.parent):
            print(f"parity: figures rewritten in {path}")
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
