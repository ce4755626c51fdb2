"""The Dagster code location of nhi-warehouse (`dagster dev -m nhi_warehouse.orchestration.definitions`).

One job, `nhi_pipeline`, the same steps as `nhi pipeline && nhi publish`, as assets:

1. `raw_delivery` materialises the dbt sources (`nhird/<table>`): it runs the raw-delivery
   validation (`nhi quality raw`); a refused delivery fails it, so nothing downstream (dbt) runs.
2. the dbt project as assets (dagster-dbt): seeds, staging, intermediate and mart models, grouped by
   schema, each dbt data test an asset check of its model; one `dbt build` per run.
3. `quality/mart_validation` after every mart (`nhi quality marts`), then `published/marts`
   (`nhi publish` of the build this run made).

The marts, the sources and the tests are read from dbt's manifest, never listed here. Triggers: the
`nhi_monthly` schedule (the 21st at 06:00 Taipei time, the day after the monthly extract date;
`NHI_DAGSTER_CRON` to change) builds the delivery in `NHI_RAW_ROOT`; the `nhi_new_delivery` sensor
starts a run for each new complete folder under `NHI_DELIVERY_INBOX` (default data/deliveries): a
folder is complete when its `_SUCCESS` (or the generator's `_manifest.json`) file exists. Both are
off until switched on in the UI. Runs must not overlap (one DuckDB writer): use the instance
settings in orchestration/dagster.yaml (at most one run at a time). Details: docs/orchestration.md.
"""

import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DbtCliResource,
    dbt_assets,
    get_asset_keys_by_output_name_for_source,
)

from nhi_warehouse.dbt_runner import dbt_executable
from nhi_warehouse.orchestration.manifest import ensure_manifest
from nhi_warehouse.quality import exit_codes
from nhi_warehouse.settings import SCHEDULED_BUILD_EXCLUDES, Settings, project_root

ROOT = project_root()
MANIFEST_PATH = ensure_manifest(ROOT)
MANIFEST: dict[str, Any] = json.loads(MANIFEST_PATH.read_text(encoding="utf-8"))
MART_SCHEMA = "marts"
JOB_NAME = "nhi_pipeline"
READY_MARKERS = ("_SUCCESS", "_manifest.json")
OUTPUT_LINES_SHOWN = 60


class NhiWarehouse(dg.ConfigurableResource):  # type: ignore[misc]
    """Where a run reads its delivery and writes the warehouse. Unset fields use the project's
    environment variables and defaults (settings.py): NHI_RAW_ROOT, NHI_DUCKDB_PATH, ..."""

    raw_root: str | None = None
    duckdb_path: str | None = None
    publish_dir: str | None = None
    quality_dir: str | None = None
    as_of: str | None = None  # raw validation: latest plausible date in the delivery (default today)

    def environment(self) -> dict[str, str]:
        """The variables the `nhi` commands and dbt read, absolute."""
        env = Settings.from_env().environment()
        for name, value in (
            ("NHI_RAW_ROOT", self.raw_root),
            ("NHI_DUCKDB_PATH", self.duckdb_path),
            ("NHI_PUBLISH_DIR", self.publish_dir),
            ("NHI_QUALITY_DIR", self.quality_dir),
        ):
            if value:
                env[name] = str(Path(value).absolute())
        if self.duckdb_path:
            env["NHI_DUCKDB_TEMP"] = str(Path(self.duckdb_path).absolute().parent / "tmp")
        return env


class NhiTranslator(DagsterDbtTranslator):
    """Asset keys `<schema>/<name>` (marts/referral_reply_rate) and groups by schema; the sources
    stay `nhird/<table>` in group `raw`."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(dbt_resource_props)
        return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["alias"] or dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "source":
            return "raw"
        return str(dbt_resource_props["schema"])


TRANSLATOR = NhiTranslator()


def run_target_path(run_id: str) -> Path:
    """dbt's target folder of one run's build (run_results.json, manifest.json for publish)."""
    return ROOT / "target" / "dagster-runs" / run_id


@contextlib.contextmanager
def environment(values: Mapping[str, str]) -> Iterator[None]:
    """os.environ with `values` for the duration (dagster-dbt passes os.environ to dbt)."""
    saved = dict(os.environ)
    os.environ.update(values)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run_nhi(context: dg.AssetExecutionContext, arguments: list[str], env: Mapping[str, str]) -> tuple[int, str]:
    """Run an `nhi` command (its CLI, as a scheduler would) and log its output."""
    command = [sys.executable, "-m", "nhi_warehouse", *arguments]
    context.log.info(f"running: nhi {' '.join(arguments)}")
    completed = subprocess.run(command, cwd=ROOT, env=dict(env), capture_output=True, text=True, check=False)
    output = (completed.stdout + completed.stderr).strip()
    for line in output.splitlines()[-OUTPUT_LINES_SHOWN:]:
        context.log.info(line)
    return completed.returncode, output


def _tail(output: str) -> dg.MetadataValue:
    return dg.MetadataValue.md("```\n" + "\n".join(output.splitlines()[-OUTPUT_LINES_SHOWN:]) + "\n```")


# --------------------------------------------------------------------------------------- dbt


@dbt_assets(manifest=MANIFEST_PATH, dagster_dbt_translator=TRANSLATOR, name="nhi_dbt_build")
def nhi_dbt_build(context: dg.AssetExecutionContext, dbt: DbtCliResource, nhi: NhiWarehouse) -> Iterator[Any]:
    """`dbt build` of the selected models: seeds, models and data tests (asset checks), leaving out
    what every scheduled build leaves out (settings.SCHEDULED_BUILD_EXCLUDES: unit tests, the
    analyst view's tests), as `nhi pipeline` does."""
    Path(nhi.environment()["NHI_DUCKDB_PATH"]).parent.mkdir(parents=True, exist_ok=True)
    with environment(nhi.environment()):
        invocation = dbt.cli(
            ["build", *SCHEDULED_BUILD_EXCLUDES],
            context=context,
            target_path=run_target_path(context.run.run_id),
        )
    yield from invocation.stream()


SOURCE_NAMES = sorted({source["source_name"] for source in MANIFEST["sources"].values()})
RAW_KEYS = [
    key for name in SOURCE_NAMES for key in get_asset_keys_by_output_name_for_source([nhi_dbt_build], name).values()
]
MART_KEYS = sorted(
    (
        TRANSLATOR.get_asset_key(node)
        for node in MANIFEST["nodes"].values()
        if node["resource_type"] == "model" and node["schema"] == MART_SCHEMA
    ),
    key=lambda key: key.to_user_string(),
)


# ---------------------------------------------------------------------- before and after dbt


@dg.multi_asset(
    name="raw_delivery",
    specs=[
        dg.AssetSpec(key, group_name="raw", description=f"Raw table {key.path[-1]} of the delivery, validated.")
        for key in RAW_KEYS
    ],
)
def raw_delivery(context: dg.AssetExecutionContext, nhi: NhiWarehouse) -> Iterator[dg.MaterializeResult]:
    """Validate the delivery before dbt reads it (`nhi quality raw`): a refused delivery fails
    this step, and the run stops before dbt."""
    env = nhi.environment()
    raw_root = Path(env["NHI_RAW_ROOT"])
    arguments = ["quality", "raw", "--raw", str(raw_root)] + (["--as-of", nhi.as_of] if nhi.as_of else [])
    status, output = run_nhi(context, arguments, env)
    if status != exit_codes.OK:
        meaning = exit_codes.MEANING.get(status, f"exit {status}")
        raise dg.Failure(
            description=f"raw validation of {raw_root}: {meaning} (exit {status}); dbt was not run",
            metadata={"delivery": str(raw_root), "validation": _tail(output)},
            allow_retries=False,
        )
    for key in RAW_KEYS:
        folder = raw_root / key.path[-1]
        files = [p for p in folder.rglob("*") if p.suffix in (".parquet", ".csv")] if folder.is_dir() else []
        yield dg.MaterializeResult(
            asset_key=key,
            metadata={"delivery": str(raw_root), "files": len(files), "bytes": sum(p.stat().st_size for p in files)},
        )


@dg.asset(
    key=["quality", "mart_validation"],
    deps=MART_KEYS,
    group_name="publication",
    description="Great Expectations over the built marts (`nhi quality marts`, quality/mart_expectations.yml).",
)
def mart_validation(context: dg.AssetExecutionContext, nhi: NhiWarehouse) -> dg.MaterializeResult:
    env = nhi.environment()
    status, output = run_nhi(context, ["quality", "marts", "--warehouse", env["NHI_DUCKDB_PATH"]], env)
    if status != exit_codes.OK:
        raise dg.Failure(
            description=f"mart validation: {exit_codes.MEANING.get(status, status)} (exit {status}); not published",
            metadata={"validation": _tail(output)},
        )
    return dg.MaterializeResult(metadata={"warehouse": env["NHI_DUCKDB_PATH"], "validation": _tail(output)})


@dg.asset(
    key=["published", "marts"],
    deps=[mart_validation],
    group_name="publication",
    description="The validated marts published for readers (`nhi publish`): data/published/current.",
)
def published_marts(context: dg.AssetExecutionContext, nhi: NhiWarehouse) -> dg.MaterializeResult:
    """Publish the build of this run. dagster-dbt selects `fqn:*` when a run builds every dbt
    asset: that is the whole project (settings.is_whole_project), and only then does `nhi
    publish` accept the build."""
    env = nhi.environment()
    run_results = run_target_path(context.run.run_id) / "run_results.json"
    if not run_results.is_file():
        raise dg.Failure(description="this run did not build the dbt assets: publish in the run that builds them")
    arguments = ["publish", "--warehouse", env["NHI_DUCKDB_PATH"], "--run-results", str(run_results)]
    status, output = run_nhi(context, arguments, env)
    if status != 0:
        raise dg.Failure(
            description=f"nhi publish refused or failed (exit {status})", metadata={"publish": _tail(output)}
        )
    return dg.MaterializeResult(metadata={"publish": _tail(output)})


# ------------------------------------------------------------------------------ job, triggers

nhi_pipeline = dg.define_asset_job(
    JOB_NAME,
    selection=dg.AssetSelection.all(),
    description="raw validation -> dbt build (tests as asset checks) -> mart validation -> publish",
    # One run at a time per warehouse file (DuckDB: one writer): see orchestration/dagster.yaml.
    tags={"nhi/warehouse": str(Settings.from_env().duckdb_path)},
)

nhi_monthly = dg.ScheduleDefinition(
    name="nhi_monthly",
    job=nhi_pipeline,
    cron_schedule=os.environ.get("NHI_DAGSTER_CRON", "0 6 21 * *"),
    execution_timezone="Asia/Taipei",
    description="The delivery in NHI_RAW_ROOT, monthly, the day after the extract date (the 20th).",
)


def delivery_inbox() -> Path:
    inbox = Path(os.environ.get("NHI_DELIVERY_INBOX", "data/deliveries"))
    return inbox if inbox.is_absolute() else ROOT / inbox


def ready_deliveries(inbox: Path) -> list[tuple[Path, Path]]:
    """(folder, marker) of each complete delivery folder in the inbox, in name order."""
    if not inbox.is_dir():
        return []
    found = []
    for folder in sorted(p for p in inbox.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        marker = next((folder / name for name in READY_MARKERS if (folder / name).is_file()), None)
        if marker is not None:
            found.append((folder, marker))
    return found


@dg.sensor(name="nhi_new_delivery", job=nhi_pipeline, minimum_interval_seconds=300)
def nhi_new_delivery(context: dg.SensorEvaluationContext) -> Iterator[dg.RunRequest | dg.SkipReason]:
    """A run per new complete delivery folder (and again when its marker file is rewritten)."""
    inbox = delivery_inbox()
    ready = ready_deliveries(inbox)
    if not ready:
        yield dg.SkipReason(f"no complete delivery folder (with {' or '.join(READY_MARKERS)}) in {inbox}")
        return
    for folder, marker in ready:
        yield dg.RunRequest(
            run_key=f"{folder.name}@{marker.stat().st_mtime_ns}",
            run_config={"resources": {"nhi": {"config": {"raw_root": str(folder.resolve())}}}},
            tags={"nhi/delivery": folder.name},
        )


defs = dg.Definitions(
    assets=[raw_delivery, nhi_dbt_build, mart_validation, published_marts],
    jobs=[nhi_pipeline],
    schedules=[nhi_monthly],
    sensors=[nhi_new_delivery],
    resources={
        "dbt": DbtCliResource(
            project_dir=str(ROOT), profiles_dir=str(ROOT / "profiles"), dbt_executable=dbt_executable()
        ),
        "nhi": NhiWarehouse(),
    },
)
