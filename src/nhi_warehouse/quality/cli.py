"""`python -m nhi_warehouse.quality <command>` (also `nhi quality <command>` and `nhi pipeline`).

    raw          validate a raw delivery before `dbt build`           exit 0 or 3 (refused)
    marts        validate the marts after `dbt build`                 exit 0 or 5
    conventions  check dbt's manifest against the project's rules     exit 0 or 6
    pipeline     raw -> dbt build -> marts                            exit 0, 3, 4 (dbt) or 5

Usage or configuration errors exit 2; a warehouse locked by another process exits 7.
Data Docs: data/quality/data_docs/index.html (NHI_QUALITY_DOCS); see docs/quality.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Any

import duckdb

from nhi_warehouse.errors import first_line, is_lock_error
from nhi_warehouse.quality import exit_codes
from nhi_warehouse.quality.paths import MART_CONFIG, QualityPaths
from nhi_warehouse.settings import SCHEDULED_BUILD_EXCLUDES, Settings, project_root


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, not {text!r}") from error


def _share(text: str) -> float:
    value = float(text)
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError("a share between 0 and 1 (0.01 = 1 %)")
    return value


def _table_encoding(value: str) -> tuple[str, str]:
    table, _, encoding = value.partition("=")
    if not table or not encoding:
        raise argparse.ArgumentTypeError(f"expected TABLE=ENCODING, e.g. hosb=big5hkscs: {value!r}")
    return table.strip(), encoding.strip()


def csv_encodings(options: argparse.Namespace) -> dict[str, str]:
    """--csv-encoding TABLE=ENCODING options as dbt's var raw_csv_encoding."""
    return dict(getattr(options, "csv_encoding", None) or [])


def _add_output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quality-dir", help="GX project and state.json (default NHI_QUALITY_DIR or data/quality)")
    parser.add_argument("--docs-dir", help="Data Docs site (default NHI_QUALITY_DOCS or <quality dir>/data_docs)")


def _add_raw_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--raw", help="the delivery's root folder (default NHI_RAW_ROOT or data/raw)")
    parser.add_argument("--as-of", type=_date, help="latest plausible date in the delivery (default: today)")
    parser.add_argument("--max-share", type=_share, default=None,
                        help="share of a table's or partition's rows a rule may fail (default 0.01)")  # fmt: skip
    parser.add_argument("--min-rows", type=int, default=None, help="failing rows always tolerated (default 5)")
    parser.add_argument("--sample-rows", type=int, default=None,
                        help="validate at most this many rows of a table with GX, sampled (default 100000; "
                             "the per-partition counts always use every row)")  # fmt: skip
    parser.add_argument("--csv-encoding", action="append", default=[], type=_table_encoding, metavar="TABLE=ENCODING",
                        help="encoding of a table's CSV files when detection cannot tell, e.g. hosb=big5hkscs "
                             "(repeatable; dbt's var raw_csv_encoding; docs/raw-encodings.md)")  # fmt: skip


def _add_mart_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--warehouse", help="the DuckDB warehouse (default NHI_DUCKDB_PATH)")
    parser.add_argument("--config", help=f"mart expectations (default {MART_CONFIG})")
    parser.add_argument("--accept-row-counts", action="store_true",
                        help="record the marts' row counts as the new baseline even if validation fails")  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m nhi_warehouse.quality", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    commands = parser.add_subparsers(dest="command", required=True)
    raw = commands.add_parser("raw", help="validate a raw delivery (before dbt build)")
    _add_raw_options(raw)
    _add_output_options(raw)
    marts = commands.add_parser("marts", help="validate the marts (after dbt build)")
    _add_mart_options(marts)
    _add_output_options(marts)
    conventions = commands.add_parser("conventions", help="check dbt's manifest against the project conventions")
    conventions.add_argument("--manifest", default="target/manifest.json", help="dbt manifest (run `dbt parse`)")
    conventions.add_argument("--catalog", help="dbt catalog.json: also report built columns missing from yml")
    pipeline = commands.add_parser("pipeline", help="raw validation -> dbt build -> mart validation")
    _add_raw_options(pipeline)
    _add_mart_options(pipeline)
    _add_output_options(pipeline)
    pipeline.add_argument("--demo", action="store_true",
                          help="accept the public demo pseudonymisation key for this extract (NHI_DEMO=1)")  # fmt: skip
    pipeline.add_argument("dbt_args", nargs=argparse.REMAINDER, help="extra `dbt build` arguments after --")
    return parser


def _settings(options: argparse.Namespace) -> Settings:
    settings = Settings.from_env()
    raw = getattr(options, "raw", None)
    warehouse = getattr(options, "warehouse", None)
    if raw:
        path = Path(raw)
        settings = Settings(settings.root, path if path.is_absolute() else Path.cwd() / path, settings.duckdb_path)
    if warehouse:
        path = Path(warehouse)
        settings = Settings(settings.root, settings.raw_root, path if path.is_absolute() else Path.cwd() / path)
    return settings


def run_raw(options: argparse.Namespace, settings: Settings, paths: QualityPaths) -> int:
    from nhi_warehouse.quality.gxkit import format_summary
    from nhi_warehouse.quality.raw import (
        DEFAULT_MAX_SHARE,
        DEFAULT_MIN_ROWS,
        DEFAULT_SAMPLE_ROWS,
        RawOptions,
        validate_raw,
    )
    from nhi_warehouse.raw_files import default_cache_dir

    raw_options = RawOptions(
        raw_root=settings.raw_root,
        as_of=options.as_of or dt.date.today(),
        max_share=DEFAULT_MAX_SHARE if options.max_share is None else options.max_share,
        min_rows=DEFAULT_MIN_ROWS if options.min_rows is None else options.min_rows,
        sample_rows=DEFAULT_SAMPLE_ROWS if options.sample_rows is None else options.sample_rows,
        cache_dir=default_cache_dir(settings.duckdb_path),
        csv_encoding=csv_encodings(options),
    )
    outcome = validate_raw(settings.root, paths, raw_options)
    print(format_summary(outcome), flush=True)
    if not outcome.success:
        print(
            f"REFUSED: the delivery in {settings.raw_root} was not loaded (exit {exit_codes.RAW_REFUSED})", flush=True
        )
        return exit_codes.RAW_REFUSED
    return exit_codes.OK


def run_marts(options: argparse.Namespace, settings: Settings, paths: QualityPaths) -> int:
    from nhi_warehouse.quality.gxkit import format_summary
    from nhi_warehouse.quality.marts import ConfigError, MartOptions, validate_marts

    if not settings.duckdb_path.is_file():
        print(f"quality marts: no warehouse at {settings.duckdb_path} (set NHI_DUCKDB_PATH or --warehouse)",
              file=sys.stderr)  # fmt: skip
        return exit_codes.USAGE
    config = Path(options.config) if options.config else settings.root / MART_CONFIG
    try:
        outcome = validate_marts(
            paths,
            MartOptions(warehouse=settings.duckdb_path, config=config, accept_row_counts=options.accept_row_counts),
        )
    except ConfigError as error:
        print(f"quality marts: {error}", file=sys.stderr)
        return exit_codes.USAGE
    except duckdb.Error as error:  # e.g. the file is locked by a running dbt build
        print(f"quality marts: cannot read {settings.duckdb_path} read-only: {first_line(error)}", file=sys.stderr)
        return exit_codes.ACCESS if is_lock_error(error) else exit_codes.USAGE
    print(format_summary(outcome), flush=True)
    _record_validation(settings.duckdb_path, outcome)
    return exit_codes.OK if outcome.success else exit_codes.MARTS_FAILED


def _record_validation(warehouse: Path, outcome: Any) -> None:
    """Keep the outcome in the warehouse's build record: `nhi publish` refuses a build whose marts
    failed validation (nhi_warehouse.build_record)."""
    from nhi_warehouse.build_record import record_validation

    failures = [failure.line() for failure in outcome.failures]
    detail = "nhi quality marts: " + (f"{len(failures)} failure(s), e.g. {failures[0]}" if failures else "passed")
    problem = record_validation(warehouse, outcome.success, detail[:2000])
    if problem:
        print(f"quality marts: note: {problem}", flush=True)


def run_conventions(options: argparse.Namespace) -> int:
    from nhi_warehouse.quality.conventions import check_manifest, load_json

    root = project_root()
    manifest_path = Path(options.manifest)
    manifest_path = manifest_path if manifest_path.is_absolute() else root / manifest_path
    if not manifest_path.is_file():
        print(f"quality conventions: {manifest_path} not found; run `dbt parse --profiles-dir profiles` first",
              file=sys.stderr)  # fmt: skip
        return exit_codes.USAGE
    catalog = load_json(Path(options.catalog)) if options.catalog else None
    violations = check_manifest(load_json(manifest_path), catalog)
    for violation in violations:
        print(violation.line())
    print(f"conventions: {len(violations)} violation(s) in {manifest_path}", flush=True)
    return exit_codes.CONVENTIONS_FAILED if violations else exit_codes.OK


def run_pipeline(options: argparse.Namespace, settings: Settings, paths: QualityPaths) -> int:
    from nhi_warehouse.dbt_runner import run_dbt

    print(f"pipeline 1/3: raw validation of {settings.raw_root}", flush=True)
    status = run_raw(options, settings, paths)
    if status != exit_codes.OK:
        return status
    dbt_args = [a for a in options.dbt_args if a != "--"]
    if csv_encodings(options) and "--vars" not in dbt_args:  # the build reads the files as validated
        dbt_args += ["--vars", json.dumps({"raw_csv_encoding": csv_encodings(options)})]
    if options.demo:
        os.environ["NHI_DEMO"] = "1"  # read by the key policy, macros/id_key.sql
    if not {"--exclude-resource-type", "--resource-type", "--exclude"} & set(dbt_args):
        # a scheduled build: what it leaves out runs in CI and on demand (SCHEDULED_BUILD_EXCLUDES)
        dbt_args += list(SCHEDULED_BUILD_EXCLUDES)
    print(f"pipeline 2/3: dbt build {' '.join(dbt_args)}".rstrip(), flush=True)
    if run_dbt(["build", *dbt_args], settings) != 0:
        print(f"pipeline: dbt build failed; marts not validated (exit {exit_codes.DBT_FAILED})", flush=True)
        return exit_codes.DBT_FAILED
    print(f"pipeline 3/3: mart validation of {settings.duckdb_path}", flush=True)
    status = run_marts(options, settings, paths)
    if status == exit_codes.OK:
        print("pipeline: ok", flush=True)
    return status


def main(argv: list[str] | None = None) -> int:
    options = build_parser().parse_args(argv)
    if options.command == "conventions":
        return run_conventions(options)
    settings = _settings(options)
    paths = QualityPaths.resolve(settings.root, options.quality_dir, options.docs_dir)
    if options.command == "raw":
        return run_raw(options, settings, paths)
    if options.command == "marts":
        return run_marts(options, settings, paths)
    return run_pipeline(options, settings, paths)
