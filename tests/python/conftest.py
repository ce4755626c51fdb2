"""Shared fixtures: a synthetic extract and a warehouse built from it with dbt, once per session."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from nhi_warehouse.settings import pass_synthetic_flag_to_spark

ROOT = Path(__file__).resolve().parents[2]
DBT = str(Path(sys.executable).with_name("dbt"))


@dataclass
class Build:
    raw_root: Path
    duckdb_path: Path
    manifest: dict
    returncode: int
    output: str


# dbt build without data and unit tests: for tests that compare the tables two builds produce
# (the tests themselves run in the demo build every session uses).
NO_TESTS = ["--exclude-resource-type", "test", "unit_test"]


def generate_extract(out: Path, *extra: str) -> dict:
    """Write a synthetic extract with the project's generator; return its manifest."""
    command = [sys.executable, "-m", "nhi_warehouse.generator", "--out", str(out), "--quiet", *extra]
    subprocess.run(command, cwd=ROOT, check=True)
    return json.loads((out / "_manifest.json").read_text(encoding="utf-8"))


def run_dbt(
    args: list[str], raw_root: Path, duckdb_path: Path | None, work: Path, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run dbt in the project root against the given extract and warehouse file (DuckDB target;
    `extra_env` selects another, e.g. NHI_TARGET=spark)."""
    env = dict(os.environ)
    # Hermetic: the key and the demo flag come from the test (extra_env), never from the caller's
    # shell; the generator's extracts are synthetic, so the public demo key is accepted for them.
    env.pop("NHI_ID_KEY", None)
    env.pop("NHI_DEMO", None)
    env.update(NHI_RAW_ROOT=str(raw_root), DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    if duckdb_path is not None:
        env.update(NHI_DUCKDB_PATH=str(duckdb_path), NHI_DUCKDB_TEMP=str(work / "tmp"))
    env.update(extra_env or {})
    pass_synthetic_flag_to_spark(env, raw_root)  # Spark cannot read _manifest.json itself
    command = [
        DBT,
        *args,
        "--profiles-dir",
        str(ROOT / "profiles"),
        "--target-path",
        str(work / "target"),
        "--log-path",
        str(work / "logs"),
    ]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)


def build(work: Path, *generator_args: str) -> Build:
    raw_root = work / "raw"
    manifest = generate_extract(raw_root, *generator_args)
    duckdb_path = work / "warehouse.duckdb"
    result = run_dbt(["build"], raw_root, duckdb_path, work)
    return Build(raw_root, duckdb_path, manifest, result.returncode, result.stdout + result.stderr)


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The demo-size extract (24 months) built into a warehouse: what a newcomer gets."""
    return build(tmp_path_factory.mktemp("demo"), "--size", "demo")


def write_build_record(
    duckdb_path: Path,
    invocation_id: str,
    *,
    started_at: str = "2026-01-01 05:59:00",
    finished_at: str | None = "2026-01-01 06:00:00.123456",
    command: str = "build",
    selection: dict | None = None,
    empty: bool = False,
    result_counts: dict[str, int] | None = None,
    failed_nodes: list[str] | None = None,
) -> None:
    """What dbt's hooks (macros/build_record.sql) write into a warehouse, for tests without dbt: the
    'started' row and, unless finished_at is None (a killed build), the 'finished' row with the
    published tables' fingerprints as they are now."""
    from nhi_warehouse import build_record

    counts = {"success": 2, "pass": 1, "warn": 1} if result_counts is None else result_counts
    failed = failed_nodes or []
    good = bool(counts) and all(status in build_record.GOOD_STATUSES for status in counts)
    with duckdb.connect(str(duckdb_path)) as con:
        catalog = con.execute("select current_database()").fetchone()[0]
        columns = ", ".join(f"{name} {data_type}" for name, data_type in build_record.COLUMNS)
        con.execute(f"create schema if not exists {build_record.SCHEMA}")
        con.execute(f"create table if not exists {build_record.TABLE} ({columns})")
        con.execute(
            f"insert into {build_record.TABLE} (invocation_id, event, event_at, command, selection, empty, "
            "id_key_fingerprint, raw_root, dbt_version) "
            "values (?, 'started', ?, ?, ?, ?, 'f1ngerpr1nt', 'raw', '1.11')",
            [invocation_id, started_at, command, json.dumps(selection or {}), empty],
        )
        if finished_at is not None:
            fingerprints = build_record.table_fingerprints(con, catalog)
            con.execute(
                f"insert into {build_record.TABLE} (invocation_id, event, event_at, command, status, result_counts, "
                "failed_nodes, table_fingerprints) values (?, 'finished', ?, ?, ?, ?, ?, ?)",
                [invocation_id, finished_at, command, "success" if good else "failed", json.dumps(counts),
                 json.dumps(failed), json.dumps(fingerprints)],
            )  # fmt: skip
