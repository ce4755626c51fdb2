"""Shared fixtures: a synthetic extract and a warehouse built from it with dbt, once per session."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DBT = str(Path(sys.executable).with_name("dbt"))


@dataclass
class Build:
    raw_root: Path
    duckdb_path: Path
    manifest: dict
    returncode: int
    output: str


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
    env.update(NHI_RAW_ROOT=str(raw_root), DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    if duckdb_path is not None:
        env.update(NHI_DUCKDB_PATH=str(duckdb_path), NHI_DUCKDB_TEMP=str(work / "tmp"))
    env.update(extra_env or {})
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
