"""Raw-delivery validation (Great Expectations, before `dbt build`): a generated delivery with its
small share of injected bad rows and re-delivered duplicates passes; a delivery with broken files
is refused, naming the file and the rule."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT, generate_extract
from nhi_warehouse.contract import load_contract
from nhi_warehouse.quality.gxkit import format_summary
from nhi_warehouse.quality.paths import QualityPaths
from nhi_warehouse.quality.raw import RawOptions, key_status_sql, storage_family, validate_raw


@pytest.fixture(scope="module")
def quality_paths(tmp_path_factory: pytest.TempPathFactory) -> QualityPaths:
    folder = tmp_path_factory.mktemp("quality")
    return QualityPaths(quality_dir=folder, docs_dir=folder / "data_docs")


@pytest.fixture(scope="module")
def demo_delivery(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The demo size (15,000 persons) over two fee months, to keep the test fast."""
    raw = tmp_path_factory.mktemp("demo") / "raw"
    return raw, generate_extract(raw, "--size", "demo", "--months", "2")


@pytest.fixture(scope="module")
def tiny_delivery(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    raw = tmp_path_factory.mktemp("tiny") / "raw"
    return raw, generate_extract(raw, "--size", "tiny", "--months", "2")


def as_of(manifest: dict) -> dt.date:
    return dt.date.fromisoformat(manifest["generator"]["extract_date"])


def test_generated_demo_delivery_passes(demo_delivery: tuple[Path, dict], quality_paths: QualityPaths) -> None:
    raw, manifest = demo_delivery
    assert sum(n for rules in manifest["injected"].values() for n in rules.values()) > 0
    assert sum(manifest["duplicates"].values()) > 0

    outcome = validate_raw(ROOT, quality_paths, RawOptions(raw_root=raw, as_of=as_of(manifest)))

    assert outcome.success, format_summary(outcome)
    assert {"raw_delivery", "raw_files", "raw_cd_rows", "raw_oo_rows", "raw_hosb_rows", "raw_partitions"} <= set(
        outcome.suites
    )
    # The rules did see the injected bad rows: they are within the tolerated share, not invisible.
    assert outcome.failing_rows["cd format:FEE_YM"] > 0
    assert outcome.failing_rows["oo reference:cd"] > 0
    assert outcome.failing_rows["cd order:APPL_DATE>=FUNC_DATE"] > 0
    # Re-delivered rows are exact copies: counted, never a conflict.
    assert outcome.failing_rows["cd key:conflicting"] == 0
    assert any("cd:" in n and "exact re-delivered copies" in n and " 0 exact" not in n for n in outcome.notices)
    index = (quality_paths.docs_dir / "index.html").read_text(encoding="utf-8")
    assert "raw_cd_rows" in index and "PASSED" in index and "https://" not in index


def _rewrite(con: duckdb.DuckDBPyConnection, path: Path, select: str, target: Path, fmt: str) -> None:
    con.execute(
        f"copy (select {select} from read_parquet('{path}', hive_partitioning = false)) "
        f"to '{target}.tmp' (format {fmt}{', header' if fmt == 'csv' else ''})"
    )
    Path(f"{target}.tmp").replace(target)
    if target != path:
        path.unlink()


def test_broken_files_are_refused_naming_file_and_rule(
    tiny_delivery: tuple[Path, dict], quality_paths: QualityPaths, tmp_path: Path
) -> None:
    source, manifest = tiny_delivery
    raw = tmp_path / "raw"
    shutil.copytree(source, raw)
    month = manifest["generator"]["start_ym"]
    with duckdb.connect() as con:
        # A CSV without a required column.
        cd = raw / "cd" / f"fee_ym={month}" / "part-0.parquet"
        _rewrite(con, cd, "* exclude (FUNC_DATE)", cd.with_suffix(".csv"), "csv")
        # A Parquet file with FEE_YM stored as an integer.
        oo = raw / "oo" / f"fee_ym={month}" / "part-0.parquet"
        _rewrite(con, oo, "* replace (cast(FEE_YM as integer) as FEE_YM)", oo, "parquet")
        # 5 % of the institutions in an unknown region.
        hosb = raw / "hosb" / "hosb.parquet"
        _rewrite(
            con, hosb, "* replace (case when row_number() over () % 20 = 0 then '9' else AREA_NO_H end as AREA_NO_H)",
            hosb, "parquet",
        )  # fmt: skip
    # 0-byte files (an interrupted transfer): "empty file", not 22 missing columns or a reader error.
    (raw / "cd" / f"fee_ym={month}" / "late-fix-9.csv").write_bytes(b"")
    (raw / "oo" / f"fee_ym={month}" / "late-fix-9.parquet").write_bytes(b"")

    outcome = validate_raw(ROOT, quality_paths, RawOptions(raw_root=raw, as_of=as_of(manifest)))
    summary = format_summary(outcome)

    assert not outcome.success
    lines = [failure.line() for failure in outcome.failures]
    assert any(
        f"cd/fee_ym={month}/part-0.csv" in line and "required column FUNC_DATE is missing" in line for line in lines
    ), summary
    assert any(
        f"oo/fee_ym={month}/part-0.parquet" in line and "FEE_YM is stored as integer" in line for line in lines
    ), summary
    region = [line for line in lines if "AREA_NO_H" in line]
    assert region and all("hosb/hosb.parquet" in line for line in region), summary
    for table, suffix in (("cd", "csv"), ("oo", "parquet")):
        empty = [line for line in lines if f"{table}/fee_ym={month}/late-fix-9.{suffix}" in line]
        assert empty == [
            f"raw_files | {table}/fee_ym={month}/late-fix-9.{suffix} | the file is not empty | "
            "empty file (0 bytes): it holds no header and no row"
        ], summary
    assert all(failure.structural for failure in outcome.failures if "hosb" not in failure.target)
    # Nothing else is blamed: every failure is one of the five breakages.
    assert len(lines) == len(region) + 4, summary
    assert f"cd/fee_ym={month}/part-0.csv" in summary and "in_set:AREA_NO_H" in summary


def test_missing_required_table_is_refused(tmp_path: Path, quality_paths: QualityPaths) -> None:
    (tmp_path / "raw" / "hosb").mkdir(parents=True)
    outcome = validate_raw(ROOT, quality_paths, RawOptions(raw_root=tmp_path / "raw", as_of=dt.date(2026, 1, 1)))
    messages = " ".join(failure.observed for failure in outcome.failures)
    for table in ("hosb", "cd", "oo", "budget"):
        assert f"required table {table}" in messages
    assert "required table dd" not in messages  # optional


def test_storage_families() -> None:
    assert storage_family("VARCHAR") == "text"
    assert storage_family("INTEGER") == storage_family("BIGINT") == "integer"
    assert storage_family("DECIMAL(9,2)") == "decimal"
    assert storage_family("TIMESTAMP WITH TIME ZONE") == "timestamp"
    assert storage_family("DATE") == "date"


def test_tolerance_is_a_share_with_a_floor() -> None:
    options = RawOptions(raw_root=Path("."), as_of=dt.date(2026, 1, 1), max_share=0.01, min_rows=5)
    assert options.tolerated_rows(100_000) == 1_000
    assert options.tolerated_rows(120) == 5  # small tables: a few bad rows are always tolerated
    assert options.mostly(rows=10_000, considered=10_000) == pytest.approx(0.99)
    assert options.mostly(rows=10_000, considered=500) == pytest.approx(0.8)  # share of all rows, not of non-nulls


def test_key_status_separates_copies_revisions_and_conflicts() -> None:
    """Same natural key: identical rows are re-delivered copies; a later APPL_DATE supersedes;
    two different rows with the same (latest) APPL_DATE conflict."""
    cd = load_contract(ROOT)["cd"]
    rows = [  # k0..k4 = HOSP_ID, FEE_YM, APPL_TYPE, CASE_TYPE, SEQ_NO; content hash h
        ("copy", "2024-02-01", 1), ("copy", "2024-02-01", 1),
        ("revised", "2024-02-01", 2), ("revised", "2024-03-01", 3),
        ("conflict", "2024-02-01", 4), ("conflict", "2024-02-01", 5),
        ("single", "2024-02-01", 6),
    ]  # fmt: skip
    with duckdb.connect() as con:
        con.execute(
            "create temp table text__cd (k0 varchar, k1 varchar, k2 varchar, k3 varchar, k4 varchar, "
            "APPL_DATE varchar, _h ubigint)"
        )
        con.executemany("insert into text__cd values (?, '202401', '1', '01', '1', ?, ?)", rows)
        status = dict(con.execute(f"select k0 || ':' || h, status from ({key_status_sql(cd)})").fetchall())
    assert status == {
        "copy:1": "exact_duplicate",
        "revised:2": "superseded",
        "revised:3": "latest",
        "conflict:4": "conflicting",
        "conflict:5": "conflicting",
    }
