"""`python -m nhi_warehouse.quality pipeline`: raw validation -> dbt build -> mart validation, with
an exit code per failure for a scheduler (dbt replaced here by a stand-in; the real build is
covered by test_warehouse_build and the slow test at the end)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from conftest import Build, generate_extract, write_build_record
from nhi_warehouse import dbt_runner
from nhi_warehouse.publish import PublishError, publish
from nhi_warehouse.quality import exit_codes
from nhi_warehouse.quality.cli import main
from nhi_warehouse.quality.marts import MartOptions, validate_marts
from nhi_warehouse.quality.paths import MART_CONFIG, QualityPaths
from nhi_warehouse.settings import Settings, project_root


@pytest.fixture(scope="module")
def delivery(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    raw = tmp_path_factory.mktemp("pipeline") / "raw"
    manifest = generate_extract(raw, "--size", "tiny", "--months", "1")
    return raw, manifest["generator"]["extract_date"]


@pytest.fixture(scope="module")
def quality(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One quality folder for the module: the GX suites are registered once."""
    return tmp_path_factory.mktemp("quality")


def args(raw: Path, warehouse: Path, quality: Path, as_of: str) -> list[str]:
    return ["pipeline", "--raw", str(raw), "--warehouse", str(warehouse), "--quality-dir", str(quality),
            "--as-of", as_of]  # fmt: skip


def test_refused_delivery_exits_3_without_building(
    quality: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "raw").mkdir()
    monkeypatch.setattr(dbt_runner, "run_dbt", lambda *a, **k: pytest.fail("dbt must not run"))
    status = main(args(tmp_path / "raw", tmp_path / "w.duckdb", quality, "2026-01-20"))
    assert status == exit_codes.RAW_REFUSED == 3


def test_dbt_failure_exits_4(
    delivery: tuple[Path, str], quality: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw, as_of = delivery
    calls: list[list[str]] = []

    def failing_build(command: list[str], settings: object = None) -> int:
        calls.append(command)
        return 1

    monkeypatch.setattr(dbt_runner, "run_dbt", failing_build)
    assert main(args(raw, tmp_path / "w.duckdb", quality, as_of)) == exit_codes.DBT_FAILED == 4
    # a scheduled build: models and data tests; the unit tests run in CI and on demand
    assert calls == [["build", "--exclude-resource-type", "unit_test", "--exclude", "tag:analyst_view"]]


def test_mart_failure_exits_5_and_is_never_published(
    delivery: tuple[Path, str], quality: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`nhi pipeline` exits 5 when a mart fails validation and keeps that outcome in the warehouse's
    build record: a later `nhi publish` (run without `&&`) refuses that build."""
    raw, as_of = delivery
    warehouse = tmp_path / "w.duckdb"

    def build_bad_mart(command: list[str], settings: object = None) -> int:  # what dbt build would leave
        with duckdb.connect(str(warehouse)) as con:
            con.execute("create schema marts")
            con.execute(
                "create table marts.quarantine_summary as select 'cd' as table_name, 'missing_key' as rule_name, "
                "1 as rule_order, 'a rule' as rule_description, cast(-1 as bigint) as rejected_rows"
            )
        write_build_record(warehouse, "00000001-aaaa-bbbb-cccc-000000000001")
        return 0

    monkeypatch.setattr(dbt_runner, "run_dbt", build_bad_mart)
    assert main(args(raw, warehouse, quality, as_of)) == exit_codes.MARTS_FAILED == 5
    settings = Settings(root=project_root(), raw_root=raw, duckdb_path=warehouse)
    with pytest.raises(PublishError, match=r"failed validation \(nhi quality marts: \d+ failure\(s\), e\.g\. "):
        publish(settings, out=tmp_path / "published", run_results=tmp_path / "none.json")
    assert not (tmp_path / "published" / "current").exists()


@pytest.mark.slow
def test_real_warehouse_marts_pass(demo_build: Build, tmp_path: Path) -> None:
    """The marts dbt builds from the demo extract pass the committed mart expectations."""
    assert demo_build.returncode == 0, demo_build.output[-3000:]
    paths = QualityPaths(quality_dir=tmp_path, docs_dir=tmp_path / "docs")
    outcome = validate_marts(paths, MartOptions(warehouse=demo_build.duckdb_path, config=project_root() / MART_CONFIG))
    assert outcome.success, [f.line() for f in outcome.failures]
    assert "marts_identifiers" in outcome.suites
