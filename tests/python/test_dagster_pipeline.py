"""The Dagster code location (nhi_warehouse.orchestration.definitions) runs the pipeline end to end.

The job is executed in-process on the demo extract: the delivery is validated, every dbt asset is
built (tests as asset checks), every mart asset is materialised, the marts are validated and
published. A refused delivery stops the run before dbt. The sensor starts one run per complete
delivery folder.

Needs the optional Dagster install (`make setup-dagster`: requirements-dagster.txt); skipped
otherwise, so CI (which does not install it) spends no time here."""

import json
import shutil
from pathlib import Path

import duckdb
import pytest

dg = pytest.importorskip("dagster", reason="Dagster tests skipped: make setup-dagster installs it")
pytest.importorskip("dagster_dbt", reason="Dagster tests skipped: dagster-dbt is not installed")

from conftest import generate_extract  # noqa: E402
from nhi_warehouse.orchestration import definitions  # noqa: E402

pytestmark = [pytest.mark.dagster]


def run_job(raw: Path, work: Path) -> "dg.ExecuteInProcessResult":
    config = {
        "raw_root": str(raw),
        "duckdb_path": str(work / "warehouse" / "nhi.duckdb"),
        "publish_dir": str(work / "published"),
        "quality_dir": str(work / "quality"),
    }
    job = definitions.defs.resolve_job_def(definitions.JOB_NAME)
    return job.execute_in_process(
        run_config={"resources": {"nhi": {"config": config}}},
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
    )


@pytest.fixture(scope="module")
def demo_extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("dagster-demo") / "raw"
    generate_extract(raw, "--size", "demo")
    return raw


@pytest.fixture(scope="module")
def demo_run(demo_extract: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple["dg.ExecuteInProcessResult", Path]:
    work = tmp_path_factory.mktemp("dagster-run")
    return run_job(demo_extract, work), work


@pytest.mark.slow
def test_the_demo_run_succeeds(demo_run: tuple["dg.ExecuteInProcessResult", Path]) -> None:
    result, _ = demo_run
    failures = [event.step_key for event in result.get_step_failure_events()]
    assert result.success, f"failed steps: {failures}"


@pytest.mark.slow
def test_every_mart_asset_is_materialised(demo_run: tuple["dg.ExecuteInProcessResult", Path]) -> None:
    """The mart assets (from dbt's manifest) are exactly the warehouse's marts, each materialised."""
    result, work = demo_run
    materialised = {event.asset_key for event in result.get_asset_materialization_events()}
    with duckdb.connect(str(work / "warehouse" / "nhi.duckdb"), read_only=True) as con:
        built = {
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        }
    assert definitions.MART_KEYS
    assert {key.path[-1] for key in definitions.MART_KEYS} == built
    assert set(definitions.MART_KEYS) <= materialised, set(definitions.MART_KEYS) - materialised
    assert set(definitions.RAW_KEYS) <= materialised
    assert dg.AssetKey(["published", "marts"]) in materialised


@pytest.mark.slow
def test_dbt_tests_ran_as_asset_checks(demo_run: tuple["dg.ExecuteInProcessResult", Path]) -> None:
    result, _ = demo_run
    evaluations = result.get_asset_check_evaluations()
    assert len(evaluations) > 100
    failed = [e for e in evaluations if not e.passed and e.severity != dg.AssetCheckSeverity.WARN]
    assert not failed, failed[:5]
    checked = {e.asset_key for e in evaluations}
    assert checked & set(definitions.MART_KEYS), "no mart has an asset check"


@pytest.mark.slow
def test_the_run_publishes_its_own_build(demo_run: tuple["dg.ExecuteInProcessResult", Path]) -> None:
    result, work = demo_run
    manifest = json.loads((work / "published" / "current" / "manifest.json").read_text(encoding="utf-8"))
    run_results = definitions.run_target_path(result.run_id) / "run_results.json"
    build = json.loads(run_results.read_text(encoding="utf-8"))
    assert manifest["dbt"]["invocation_id"] == build["metadata"]["invocation_id"]
    # a scheduled build leaves the unit tests out (they run in CI), as nhi pipeline does
    assert not [r["unique_id"] for r in build["results"] if r["unique_id"].startswith("unit_test.")]
    published = {table["name"] for table in manifest["tables"] if table["schema"] == "marts"}
    assert published == {key.path[-1] for key in definitions.MART_KEYS}


@pytest.mark.slow
def test_a_refused_delivery_stops_the_run_before_dbt(demo_extract: Path, tmp_path: Path) -> None:
    """A delivery whose hosb file lacks a required column: raw validation refuses it, and neither
    dbt nor anything after it runs."""
    raw = tmp_path / "raw"
    shutil.copytree(demo_extract, raw)
    victim = sorted((raw / "hosb").rglob("*.parquet"))[0]
    with duckdb.connect() as con:
        con.sql(f"copy (select * exclude (AREA_NO_H) from read_parquet('{victim}')) to '{victim}.tmp' (format parquet)")
    Path(f"{victim}.tmp").replace(victim)
    result = run_job(raw, tmp_path)
    assert not result.success
    assert result.get_failed_step_keys() == {"raw_delivery"}
    failure = result.get_step_failure_events()[0]
    assert "raw delivery refused" in failure.step_failure_data.error.message
    succeeded = {event.step_key for event in result.get_step_success_events()}
    assert "nhi_dbt_build" not in succeeded
    assert not result.get_asset_materialization_events()
    assert not (tmp_path / "warehouse" / "nhi.duckdb").exists()
    assert not definitions.run_target_path(result.run_id).exists()


def test_the_sensor_starts_a_run_per_complete_delivery(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inbox = tmp_path / "deliveries"
    for name in ("2025-11", "2025-12", "2026-01"):
        (inbox / name / "cd").mkdir(parents=True)
    (inbox / "2025-11" / "_SUCCESS").touch()
    (inbox / "2025-12" / "_manifest.json").write_text("{}")  # the generator's marker
    monkeypatch.setenv("NHI_DELIVERY_INBOX", str(inbox))  # 2026-01 is still being copied: no marker
    requests = list(definitions.nhi_new_delivery(dg.build_sensor_context()))
    roots = [r.run_config["resources"]["nhi"]["config"]["raw_root"] for r in requests]
    assert roots == [str(inbox / "2025-11"), str(inbox / "2025-12")]
    assert len({r.run_key for r in requests}) == 2
    (inbox / "2025-11").rename(tmp_path / "elsewhere")
    (inbox / "2025-12" / "_manifest.json").unlink()
    skipped = list(definitions.nhi_new_delivery(dg.build_sensor_context()))
    assert len(skipped) == 1 and isinstance(skipped[0], dg.SkipReason)


def test_the_code_location_loads() -> None:
    dg.Definitions.validate_loadable(definitions.defs)
    job = definitions.defs.resolve_job_def(definitions.JOB_NAME)
    assert job.name == definitions.JOB_NAME
    schedule = definitions.defs.resolve_schedule_def("nhi_monthly")
    assert schedule.execution_timezone == "Asia/Taipei"
