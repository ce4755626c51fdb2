"""Style is enforced: ruff over the Python tooling, SQLFluff (dbt templater, committed .sqlfluff)
over every model, macro, analysis and singular test."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def test_ruff_check() -> None:
    result = subprocess.run(
        [str(BIN / "ruff"), "check", "src", "tests/python"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format() -> None:
    result = subprocess.run(
        [str(BIN / "ruff"), "format", "--check", "src", "tests/python"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_sqlfluff_lint(tmp_path: Path) -> None:
    env = dict(os.environ, NHI_DUCKDB_PATH=str(tmp_path / "lint.duckdb"), NHI_RAW_ROOT=str(tmp_path / "raw"))
    result = subprocess.run(
        [str(BIN / "sqlfluff"), "lint", "models", "macros", "analyses", "tests/dbt"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
