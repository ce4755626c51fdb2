"""The same dbt project on Spark: a small extract builds on local Spark (dbt-spark, session
method) with every seed, model, unit and data test passing, every mart equals DuckDB's row by
row, and a bad delivery stops the Spark build with the same messages as on DuckDB.

Needs the optional Spark install (`make setup-spark`: requirements-spark.txt) and Java 17;
skipped otherwise. Slow: each Spark build starts a JVM (minutes on a busy 2-core machine)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from conftest import generate_extract, run_dbt
from nhi_warehouse import parity

pytestmark = [pytest.mark.spark, pytest.mark.slow]

_MISSING = parity.spark_available()
if _MISSING:
    pytest.skip(f"Spark tests skipped: {_MISSING}", allow_module_level=True)


@pytest.fixture(scope="module")
def tiny_extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("spark-tiny") / "raw"
    generate_extract(raw, "--size", "tiny", "--months", "15")
    return raw


@pytest.fixture(scope="module")
def parity_result(tiny_extract: Path, tmp_path_factory: pytest.TempPathFactory) -> parity.ParityResult:
    result = parity.run(tiny_extract, tmp_path_factory.mktemp("parity") / "work")
    print(result.report())
    return result


def run_spark_dbt(args: list[str], raw: Path, work: Path) -> subprocess.CompletedProcess[str]:
    return run_dbt(args, raw, None, work, {"NHI_TARGET": "spark", "NHI_SPARK_WAREHOUSE": str(work / "spark-warehouse")})


def test_both_builds_pass_with_every_test(parity_result: parity.ParityResult) -> None:
    for build in parity_result.builds.values():
        log = build.log.read_text(encoding="utf-8")
        assert build.returncode == 0, f"{build.engine}:\n{log[-5000:]}"
        assert "ERROR=0 " in log, log[-3000:]


def test_every_mart_is_equal_on_duckdb_and_spark(parity_result: parity.ParityResult) -> None:
    assert parity_result.tables, "no mart was compared"
    assert parity_result.ok, parity_result.report()
    for table in parity_result.tables:
        assert table.compared == table.duckdb_rows == table.spark_rows, table


def test_no_mart_is_empty_on_the_tiny_extract(parity_result: parity.ParityResult) -> None:
    """An empty mart is equal on both engines but shows nothing: the extract must exercise each."""
    assert not parity_result.empty_tables, [t.name for t in parity_result.empty_tables]


def test_quarantine_summary_counts_rows_on_spark(parity_result: parity.ParityResult) -> None:
    """The mart that exists today is not trivially empty: the tiny extract has injected bad rows."""
    summary = next(t for t in parity_result.tables if t.name == "marts.quarantine_summary")
    assert summary.compared > 0


def test_spark_reports_a_missing_required_table(tiny_extract: Path, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(tiny_extract, raw, ignore=shutil.ignore_patterns("cd"))
    result = run_spark_dbt(["run", "--select", "stg_nhird__hosb"], raw, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Raw table 'cd' is required" in output
    assert str(raw / "cd") in output


def test_spark_reports_files_missing_required_columns(tiny_extract: Path, tmp_path: Path) -> None:
    """A Parquet file and a CSV file of one table each lose a required column; an optional
    table (dd, checked before hosb: tables go in name order) is absent and becomes an empty view."""
    raw = tmp_path / "raw"
    shutil.copytree(tiny_extract, raw, ignore=shutil.ignore_patterns("dd"))
    parquet_victim = sorted((raw / "hosb").rglob("*.parquet"))[0]
    csv_victim = sorted((raw / "hosb").rglob("*.csv"))[0]
    with duckdb.connect() as con:
        con.sql(
            f"copy (select * exclude (AREA_NO_H) from read_parquet('{parquet_victim}')) "
            f"to '{parquet_victim}.tmp' (format parquet)"
        )
        con.sql(
            f"copy (select * exclude (COUNTY) from read_csv('{csv_victim}', all_varchar = true)) "
            f"to '{csv_victim}.tmp' (format csv, header true)"
        )
    Path(f"{parquet_victim}.tmp").replace(parquet_victim)
    Path(f"{csv_victim}.tmp").replace(csv_victim)
    result = run_spark_dbt(["run", "--select", "stg_nhird__hosb"], raw, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "raw.dd: optional table absent" in output
    assert "Raw table 'hosb' breaks the raw-data contract" in output
    assert f"{parquet_victim}: missing required column AREA_NO_H" in output
    assert f"{csv_victim}: missing required column COUNTY" in output
