"""Publish the marts for readers (dashboards, notebooks) so that no reader ever blocks a build.

    python -m nhi_warehouse.publish [--warehouse PATH] [--out DIR] [--keep N]

DuckDB allows one writer per file, and a file open for writing is locked against every other
process, readers included; a reader holding the file also stops the next ``dbt build`` from opening
it. So readers never use the build warehouse. After a successful build this command copies the
``marts`` and ``reference`` schemas into a new, never-modified *release* ``<out>/releases/<id>/``
(``<id>`` = ``<build finished at>-<invocation id>``)::

    nhi_marts.duckdb                          schemas marts + reference (open it read-only)
    parquet/<mart>/part-0.parquet             one folder per mart
    parquet/reference/<seed>/part-0.parquet   reference seeds (region names, code lists)
    manifest.json                             tables, columns, row counts, dbt run, extract manifest

and ``<out>/current`` is a symlink to the newest release (``current -> releases/<id>``).

The release is validated (every table's columns and row count equal to the warehouse, in the DuckDB
copy and in Parquet) before ``current`` is switched to it by renaming a new symlink over the old one,
so a reader sees either the old or the new release, never a half-written one. A reader holding an old
release keeps reading it undisturbed (releases are never rewritten; a pruned one disappears from the
folder only, its open files stay readable on POSIX systems). The last ``--keep`` releases are kept.

Publishing is refused (exit status 1, ``current`` unchanged) unless the warehouse's own build record
(table ``build_log.invocations``, written into the file by dbt's on-run-start and on-run-end hooks:
macros/build_record.sql, nhi_warehouse.build_record) says that the last dbt invocation on *this file*
was a whole-project ``dbt build`` (no ``--select``) that finished with every result good
(``success``, ``pass``, ``warn``), that its marts did not fail validation (``nhi quality marts`` /
``nhi pipeline`` record their outcome), and every published table still has the rows it had when
the build finished (row count and a sum of row hashes per table). A build killed half-way leaves a
'started' record without its 'finished' one and is refused; so is a warehouse changed since. When
``target/run_results.json`` belongs to the same invocation it is checked too (its results must
agree); when it belongs to another invocation (another warehouse built from the same folder, a
later ``dbt docs generate``) it is not used, and the output says so: a failed build never replaces
the last good publication, and a warehouse is never published with another one's results. A lock
held by another process (a build writing the warehouse, another publish into the same folder)
refuses with exit status 7, as every ``nhi`` command does.

The release id is derived from the build (the time it finished and dbt's ``invocation_id``), not from
the clock of the publishing run: publishing the same build twice yields the same release.

Defaults: ``--warehouse`` = ``NHI_DUCKDB_PATH`` (``data/warehouse/nhi.duckdb``), ``--out`` =
``NHI_PUBLISH_DIR`` (``data/published``), ``--run-results`` = ``$DBT_TARGET_PATH/run_results.json``
(``target/run_results.json``), ``--extract-manifest`` = ``_manifest.json`` of the extract the build
read (its raw root, from the build record) if present.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from nhi_warehouse import build_record
from nhi_warehouse.build_record import GOOD_STATUSES, BuildRecord
from nhi_warehouse.errors import ACCESS_EXIT_CODE, AccessError, first_line, is_lock_error
from nhi_warehouse.settings import Settings, is_whole_project

DEFAULT_PUBLISH_DIR = "data/published"
DEFAULT_KEEP = 3
# The published schemas. `marts` get one Parquet folder each at the top of parquet/, the others
# (reference seeds: region names, code lists) one per table under parquet/<schema>/.
PUBLISHED_SCHEMAS = build_record.PUBLISHED_SCHEMAS
MART_SCHEMA = "marts"
# Write the published DuckDB file in the oldest storage format DuckDB 2.0 can write: BI drivers
# (DuckDB ODBC/JDBC, duckdb-engine, the Metabase driver) often bundle an older DuckDB, and a file in
# the 2.0 format cannot be opened by DuckDB 1.x. The marts only use types this format has.
DEFAULT_STORAGE_VERSION = "v1.0.0"
# A dbt command that builds and tests the whole warehouse; `dbt run`, `dbt seed` or `dbt test` do not.
BUILD_COMMANDS = frozenset({"build"})
RELEASES = "releases"
CURRENT = "current"
MANIFEST = "manifest.json"
# Not `marts.duckdb`: DuckDB names the catalog after the file, and a catalog `marts` beside the
# schema `marts` makes `marts.<table>` ambiguous (a binder error) for every reader.
DUCKDB_FILE = "nhi_marts.duckdb"
PARQUET_DIR = "parquet"
PARQUET_FILE = "part-0.parquet"
# Snappy: the Parquet compression every reader supports (Power BI, Excel, Spark, pandas, polars).
PARQUET_COMPRESSION = "snappy"


class PublishError(Exception):
    """Publishing refused or failed; the message says why. `current` is left as it was."""


class PublishLocked(PublishError, AccessError):
    """Another process holds a lock: the warehouse open for writing (a build), or another publish
    into the same folder. Exit status 7, like every `nhi` command stopped by a lock."""


@dataclass(frozen=True)
class BuildInfo:
    """The dbt build whose warehouse is published (from the warehouse's build record)."""

    record: BuildRecord
    run_results: str  # how target/run_results.json relates to it (matched / another invocation / absent)

    @property
    def invocation_id(self) -> str:
        return self.record.invocation_id

    @property
    def generated_at(self) -> str:
        finished = self.record.finished_at or self.record.started_at
        return finished.strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    @property
    def release_id(self) -> str:
        """`<finished at as YYYYMMDDTHHMMSSZ>-<first 8 of invocation_id>`: sorts by build time."""
        finished = self.record.finished_at or self.record.started_at
        return f"{finished:%Y%m%dT%H%M%SZ}-{self.invocation_id[:8]}"

    def as_json(self) -> dict[str, Any]:
        record = self.record
        return {
            "invocation_id": record.invocation_id,
            "generated_at": self.generated_at,
            "invocation_started_at": record.started_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "dbt_version": record.dbt_version,
            "command": record.command,
            "selection": record.selection,
            "result_statuses": dict(sorted(record.result_counts.items())),
            "marts_validation": record.validation,
            "id_key_fingerprint": record.id_key_fingerprint,
            "raw_root": record.raw_root,
            "run_results": self.run_results,
        }


@dataclass(frozen=True)
class Table:
    schema: str
    name: str
    description: str | None
    column_descriptions: dict[str, str]

    @property
    def parquet_path(self) -> str:
        """Relative to the release: parquet/<mart>/part-0.parquet or parquet/<schema>/<table>/..."""
        parts = [PARQUET_DIR] if self.schema == MART_SCHEMA else [PARQUET_DIR, self.schema]
        return "/".join([*parts, self.name, PARQUET_FILE])


# ---------------------------------------------------------------------------------------- paths


def publish_dir(settings: Settings) -> Path:
    """NHI_PUBLISH_DIR (default data/published), relative to the project root."""
    out = Path(os.environ.get("NHI_PUBLISH_DIR", DEFAULT_PUBLISH_DIR))
    return out if out.is_absolute() else settings.root / out


def default_run_results(settings: Settings) -> Path:
    """run_results.json in dbt's target path (DBT_TARGET_PATH, default target/)."""
    target = Path(os.environ.get("DBT_TARGET_PATH", "target"))
    target = target if target.is_absolute() else settings.root / target
    return target / "run_results.json"


def _sql_string(value: str | Path) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _ident(*names: str) -> str:
    return ".".join('"' + name.replace('"', '""') + '"' for name in names)


# ---------------------------------------------------------------------------------------- guard


def check_record(record: BuildRecord | None, warehouse: Path, *, allow_partial: bool = False) -> None:
    """Refuse unless the warehouse's last recorded dbt invocation is a finished, successful,
    whole-project `dbt build` whose marts did not fail validation. A selective build is refused
    unless allow_partial: after a failed build, a later successful build of another selection
    would otherwise publish the tables the failed build replaced before their tests failed."""
    if record is None:
        raise PublishError(
            f"the warehouse {warehouse} has no build record (table {build_record.TABLE}): it was not built by "
            "this project's `dbt build` (or by an older version of it). Run `nhi build`, then publish."
        )
    described = f"`dbt {record.command}` {record.invocation_id} (started {record.started_at:%Y-%m-%d %H:%M:%S} UTC)"
    if record.finished_at is None:
        raise PublishError(
            f"the last dbt invocation on {warehouse}, {described}, never finished: it was killed, ran out of "
            "memory or is still running, and the warehouse may be half-built. Run `nhi build` again, then publish."
        )
    if record.command not in BUILD_COMMANDS:
        raise PublishError(
            f"the last dbt invocation on {warehouse} was {described}, not `dbt build`: publish right after a "
            "successful build (run `nhi build`, then publish)."
        )
    if record.empty:
        raise PublishError(f"the last dbt build of {warehouse} ran with --empty (tables without rows): not publishable")
    if not is_whole_project(record.selection) and not allow_partial:
        raise PublishError(
            f"the last dbt build of {warehouse} was selective ({record.selection}): publish after a whole-project "
            "`dbt build` (one that leaves out at most what scheduled builds leave out: unit tests, the analyst "
            "view's tests), or pass --allow-partial-build if the rest of the warehouse is known to be good."
        )
    if record.status != "success":
        results = sum(record.result_counts.values())
        bad = sum(count for status, count in record.result_counts.items() if status not in GOOD_STATUSES)
        shown = ", ".join(record.failed_nodes[:10]) or "no node ran"
        raise PublishError(
            f"the last dbt build of {warehouse}, {described}, did not succeed ({bad} of {results} results not "
            f"success/pass/warn: {shown}); the last good publication is kept. Fix the build and run it again."
        )
    if record.validation == "failed":
        raise PublishError(
            f"the marts of the last dbt build of {warehouse} ({record.invocation_id}) failed validation "
            f"({record.validation_detail or 'nhi quality marts'}); the last good publication is kept."
        )


def check_run_results(run_results_path: Path, record: BuildRecord) -> str:
    """Compare target/run_results.json with the build record when it is the same invocation (its
    results must agree, else refuse); return how it relates, for the release manifest."""
    if not run_results_path.is_file():
        return f"absent ({run_results_path})"
    try:
        run_results = json.loads(run_results_path.read_text(encoding="utf-8"))
        invocation_id = run_results["metadata"]["invocation_id"]
        results = run_results["results"]
        command = str((run_results.get("args") or {}).get("which", "unknown"))
    except (json.JSONDecodeError, KeyError, TypeError) as error:
        raise PublishError(f"{run_results_path} is not a dbt run_results.json ({error!r}).") from error
    if invocation_id != record.invocation_id:
        return f"another invocation ({invocation_id}, `dbt {command}`): not used"
    # The project's hooks are results in run_results.json, not in the on-run-end hook's `results`.
    statuses = Counter(
        str(result.get("status")) for result in results if not str(result.get("unique_id")).startswith("operation.")
    )
    recorded = Counter({status: int(count) for status, count in record.result_counts.items()})
    if statuses != recorded:
        raise PublishError(
            f"the evidence does not match: {run_results_path} records {dict(sorted(statuses.items()))} for "
            f"invocation {invocation_id}, the warehouse's build record {dict(sorted(recorded.items()))}. "
            "Run `nhi build` again, then publish."
        )
    return "matched"


def check_tables_unchanged(con: duckdb.DuckDBPyConnection, record: BuildRecord, schemas: Sequence[str]) -> None:
    """Refuse when a published table differs from what the build recorded when it finished (rows and
    a sum of row hashes per table): the warehouse was changed after its build."""
    now = build_record.table_fingerprints(con, "wh", schemas)
    recorded = {name: value for name, value in record.table_fingerprints.items() if name.split(".")[0] in schemas}
    if now == recorded:
        return
    changed = sorted(name for name in now.keys() & recorded.keys() if now[name] != recorded[name])
    added = sorted(now.keys() - recorded.keys())
    removed = sorted(recorded.keys() - now.keys())
    details = "; ".join(
        f"{label}: {', '.join(names[:5])}{' …' if len(names) > 5 else ''}"
        for label, names in (("changed", changed), ("new", added), ("gone", removed))
        if names
    )
    raise PublishError(
        f"the warehouse was changed after its build {record.invocation_id} finished ({details}): "
        "the published tables are not what the build tested. Run `nhi build` again, then publish."
    )


def read_and_check(
    con: duckdb.DuckDBPyConnection, warehouse: Path, run_results_path: Path, schemas: Sequence[str],
    *, allow_partial: bool = False,
) -> BuildInfo:  # fmt: skip
    """The build to publish, after every check (build record, run_results.json, the tables' state),
    on a connection with the warehouse attached read-only as `wh` (kept open until the copy is made,
    so no build can write the file in between)."""
    record = build_record.read_last(con, "wh")
    check_record(record, warehouse, allow_partial=allow_partial)
    assert record is not None
    relation = check_run_results(run_results_path, record)
    check_tables_unchanged(con, record, schemas)
    return BuildInfo(record=record, run_results=relation)


def _attach_read_only(con: duckdb.DuckDBPyConnection, warehouse: Path) -> None:
    try:
        con.execute(f"attach {_sql_string(warehouse)} as wh (read_only)")
    except duckdb.Error as error:
        if is_lock_error(error):
            raise PublishLocked(
                f"the warehouse {warehouse} is open for writing by another process (a dbt build still running?); "
                f"publish after it ends. ({first_line(error)})"
            ) from error
        raise PublishError(f"cannot open the warehouse {warehouse} read-only: {first_line(error)}") from error


# ------------------------------------------------------------------------------------- contents


def _dbt_descriptions(dbt_manifest_path: Path | None) -> dict[tuple[str, str], dict[str, Any]]:
    """(schema, relation name) → {description, columns: {name: description}} from dbt's manifest.

    Documentation only: a missing or unreadable manifest just means no descriptions."""
    if dbt_manifest_path is None or not dbt_manifest_path.is_file():
        return {}
    try:
        nodes = json.loads(dbt_manifest_path.read_text(encoding="utf-8"))["nodes"].values()
    except (json.JSONDecodeError, KeyError, TypeError, AttributeError):
        return {}
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for node in nodes:
        if node.get("resource_type") not in {"model", "seed", "snapshot"}:
            continue
        name = node.get("alias") or node.get("name")
        columns = {
            column_name: (column.get("description") or "").strip()
            for column_name, column in (node.get("columns") or {}).items()
        }
        found[(str(node.get("schema")), str(name))] = {
            "description": (node.get("description") or "").strip(),
            "columns": columns,
        }
    return found


def _list_tables(
    con: duckdb.DuckDBPyConnection,
    schemas: Sequence[str],
    descriptions: dict[tuple[str, str], dict[str, Any]],
) -> list[Table]:
    """The warehouse's tables (and views, materialised in the copy) in the published schemas."""
    rows = build_record.published_tables(con, "wh", schemas)
    tables = []
    for schema, name, comment in rows:
        documented = descriptions.get((schema, name), {})
        column_descriptions = {key: value for key, value in documented.get("columns", {}).items() if value}
        description = documented.get("description") or comment or None
        tables.append(Table(schema, name, description, column_descriptions))
    return tables


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[tuple[str, str]]:
    return [(row[0], row[1]) for row in con.execute(f"describe select * from {relation}").fetchall()]


def _write_release(
    con: duckdb.DuckDBPyConnection,
    warehouse: Path,
    staging: Path,
    schemas: Sequence[str],
    descriptions: dict[tuple[str, str], dict[str, Any]],
    storage_version: str,
) -> list[dict[str, Any]]:
    """Copy the tables of the attached warehouse `wh` into staging/nhi_marts.duckdb and
    staging/parquet; return their descriptions."""
    try:
        tables = _list_tables(con, schemas, descriptions)
        marts = [table for table in tables if table.schema == MART_SCHEMA]
        if not marts:
            raise PublishError(f"the warehouse {warehouse} has no table in schema `{MART_SCHEMA}`: wrong file?")
        clashes = {table.name for table in marts if table.name in schemas}
        if clashes or len({table.parquet_path for table in tables}) != len(tables):
            raise PublishError(f"a mart is named like a published schema ({sorted(clashes)}): rename it.")

        storage = f"storage_version {_sql_string(storage_version)}"
        con.execute(f"attach {_sql_string(staging / DUCKDB_FILE)} as pub ({storage})")
        for schema in sorted({table.schema for table in tables}):
            con.execute(f"create schema pub.{_ident(schema)}")
        published: list[dict[str, Any]] = []
        for table in tables:
            source = _ident("wh", table.schema, table.name)
            target = _ident("pub", table.schema, table.name)
            con.execute(f"create table {target} as select * from {source}")
            parquet = staging / table.parquet_path
            parquet.parent.mkdir(parents=True)
            con.execute(
                f"copy (select * from {source}) to {_sql_string(parquet)} "
                f"(format parquet, compression {PARQUET_COMPRESSION})"
            )
            if table.description:
                con.execute(f"comment on table {target} is {_sql_string(table.description)}")
            columns = _columns(con, source)
            for column, _ in columns:
                if column in table.column_descriptions:
                    con.execute(
                        f"comment on column {_ident('pub', table.schema, table.name, column)} "
                        f"is {_sql_string(table.column_descriptions[column])}"
                    )
            (rows,) = con.execute(f"select count(*) from {source}").fetchone()
            published.append(
                {
                    "schema": table.schema,
                    "name": table.name,
                    "description": table.description,
                    "rows": int(rows),
                    "duckdb_table": f"{table.schema}.{table.name}",
                    "parquet": table.parquet_path,
                    "columns": [
                        {"name": name, "type": data_type, "description": table.column_descriptions.get(name)}
                        for name, data_type in columns
                    ],
                }
            )
        con.execute("checkpoint pub")
    finally:
        con.execute("detach database if exists pub")
    return published


def _validate_release(staging: Path, published: list[dict[str, Any]]) -> None:
    """Re-open the new copy read-only: every table with the warehouse's columns and row count, in
    the DuckDB file and in Parquet, and nothing else in the DuckDB file."""
    con = duckdb.connect()
    try:
        con.execute(f"attach {_sql_string(staging / DUCKDB_FILE)} as pub (read_only)")
        present = set(
            con.execute("select schema_name, table_name from duckdb_tables() where database_name = 'pub'").fetchall()
        )
        expected = {(table["schema"], table["name"]) for table in published}
        if present != expected:
            raise PublishError(f"published DuckDB file holds {sorted(present)}, expected {sorted(expected)}.")
        problems = []
        for table in published:
            columns = [(column["name"], column["type"]) for column in table["columns"]]
            copy = _ident("pub", table["schema"], table["name"])
            parquet = f"read_parquet({_sql_string(staging / table['parquet'])})"
            (copy_rows,) = con.execute(f"select count(*) from {copy}").fetchone()
            (parquet_rows,) = con.execute(f"select count(*) from {parquet}").fetchone()
            if _columns(con, copy) != columns:
                problems.append(f"{table['duckdb_table']}: columns differ in the DuckDB copy")
            if [name for name, _ in _columns(con, parquet)] != [name for name, _ in columns]:
                problems.append(f"{table['duckdb_table']}: columns differ in Parquet")
            if copy_rows != table["rows"] or parquet_rows != table["rows"]:
                problems.append(
                    f"{table['duckdb_table']}: {table['rows']} rows in the warehouse, "
                    f"{copy_rows} in the DuckDB copy, {parquet_rows} in Parquet"
                )
        if problems:
            raise PublishError("the new release does not match the warehouse: " + "; ".join(problems))
    finally:
        con.close()


def _seal(folder: Path) -> None:
    """Make the release's files read-only and flush them (files, then folders) to disk."""
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_file():
            path.chmod(0o444)
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
        else:
            _fsync_dir(path)
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# ------------------------------------------------------------------------ switching and pruning


@contextlib.contextmanager
def _publish_lock(out: Path) -> Iterator[None]:
    """One publisher at a time per publication folder (POSIX advisory lock; no-op elsewhere)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    with (out / ".publish.lock").open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise PublishLocked(f"another publish into {out} is running; try again when it ends.") from error
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def current_release(out: Path) -> Path | None:
    """The release `current` points to (None before the first publication)."""
    link = out / CURRENT
    return link.resolve() if link.is_symlink() else None


def _switch_current(out: Path, release: Path) -> None:
    """Point <out>/current at the release by renaming a new symlink over it (atomic on POSIX)."""
    link = out / CURRENT
    if link.exists() and not link.is_symlink():
        raise PublishError(f"{link} exists and is not a symlink; move it away and publish again.")
    temporary = out / f".{CURRENT}.{os.getpid()}.tmp"
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    # Relative target: the publication folder can be moved or mounted elsewhere as a whole.
    os.symlink(Path(RELEASES) / release.name, temporary, target_is_directory=True)
    os.replace(temporary, link)
    _fsync_dir(out)


def _release_time(release: Path) -> str:
    try:
        manifest = json.loads((release / MANIFEST).read_text(encoding="utf-8"))
        return str(manifest["dbt"]["generated_at"])
    except (OSError, json.JSONDecodeError, KeyError, TypeError):
        return ""


def prune(out: Path, keep: int) -> list[Path]:
    """Delete all but the `keep` newest releases (by build time), never the current one, and the
    staging folders of interrupted publishes. Returns the releases removed.

    A reader holding a deleted release open keeps reading it (POSIX keeps an open file's data until
    it is closed); where files cannot be deleted (Windows, open files) they stay and a later publish
    tries again. Folders without a manifest.json are not releases and are left alone."""
    releases_dir = out / RELEASES
    if not releases_dir.is_dir():
        return []
    removed = []
    current = current_release(out)
    for leftover in releases_dir.glob(".staging-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    releases = [
        path
        for path in releases_dir.iterdir()
        if path.is_dir() and not path.name.startswith(".") and (path / MANIFEST).is_file()
    ]
    releases.sort(key=lambda path: (_release_time(path), path.name), reverse=True)
    for release in releases[keep:]:
        if current is not None and release.resolve() == current:
            continue
        shutil.rmtree(release, ignore_errors=True)
        if release.exists():
            print(f"nhi publish: could not remove {release} (in use?); will retry.", file=sys.stderr)
        else:
            removed.append(release)
    return removed


# ------------------------------------------------------------------------------------ publish


def publish(
    settings: Settings | None = None,
    *,
    warehouse: Path | None = None,
    out: Path | None = None,
    run_results: Path | None = None,
    extract_manifest: Path | None = None,
    keep: int = DEFAULT_KEEP,
    storage_version: str = DEFAULT_STORAGE_VERSION,
    schemas: Sequence[str] = PUBLISHED_SCHEMAS,
    allow_partial_build: bool = False,
) -> Path:
    """Publish the built warehouse's marts as a new release and make it `current`.

    Refuses (PublishError, `current` unchanged) unless the warehouse's build record shows a finished,
    successful whole-project build and its tables unchanged since. Returns the release folder.
    Publishing a build that is already published re-points `current` to it."""
    settings = settings or Settings.from_env()
    if keep < 1:
        raise PublishError("--keep must be at least 1.")
    warehouse = Path(warehouse or settings.duckdb_path).absolute()
    out = Path(out or publish_dir(settings)).absolute()
    run_results = Path(run_results or default_run_results(settings))
    if not warehouse.is_file():
        raise PublishError(f"no warehouse at {warehouse} (set NHI_DUCKDB_PATH or --warehouse).")

    (out / RELEASES).mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    try:
        _attach_read_only(con, warehouse)
        build = read_and_check(con, warehouse, run_results, schemas, allow_partial=allow_partial_build)
        if build.run_results != "matched":
            print(f"nhi publish: {run_results}: {build.run_results}; the warehouse's own build record is used")
        if extract_manifest is None:
            extract_manifest = _extract_manifest_of(build.record, settings)
        with _publish_lock(out):
            release = out / RELEASES / build.release_id
            if (release / MANIFEST).is_file():
                print(f"nhi publish: build {build.invocation_id} is already published as {release.name}.")
            elif release.exists():
                raise PublishError(f"{release} exists but has no {MANIFEST}; remove it and publish again.")
            else:
                _build_release(con, build, warehouse, release, run_results, extract_manifest, schemas, storage_version)
            _switch_current(out, release)
            removed = prune(out, keep)
    finally:
        con.close()
    print(f"nhi publish: {out / CURRENT} -> {RELEASES}/{release.name}")
    for path in removed:
        print(f"nhi publish: removed old release {path.name}")
    return release


def _extract_manifest_of(record: BuildRecord, settings: Settings) -> Path | None:
    """The _manifest.json of the extract the build read (its recorded raw root), if there is one."""
    raw_root = Path(record.raw_root) if record.raw_root else settings.raw_root
    raw_root = raw_root if raw_root.is_absolute() else settings.root / raw_root
    candidate = raw_root / "_manifest.json"
    return candidate if candidate.is_file() else None


def _build_release(
    con: duckdb.DuckDBPyConnection,
    build: BuildInfo,
    warehouse: Path,
    release: Path,
    run_results: Path,
    extract_manifest: Path | None,
    schemas: Sequence[str],
    storage_version: str,
) -> None:
    """Write, validate and seal the release in a staging folder, then rename it into place."""
    staging = release.parent / f".staging-{release.name}-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        descriptions = _dbt_descriptions(run_results.parent / "manifest.json")
        published = _write_release(con, warehouse, staging, schemas, descriptions, storage_version)
        _validate_release(staging, published)
        extract = None
        if extract_manifest is not None:
            try:
                extract = json.loads(Path(extract_manifest).read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError) as error:
                raise PublishError(f"cannot read the extract manifest {extract_manifest}: {error}") from error
        manifest = {
            "release_id": release.name,
            "format_version": 1,
            "dbt": build.as_json(),
            "warehouse": str(warehouse),
            "duckdb": {
                "file": DUCKDB_FILE,
                "storage_version": storage_version,
                "written_by_duckdb": duckdb.__version__,
            },
            "parquet": {"compression": PARQUET_COMPRESSION},
            "tables": published,
            "extract_manifest": extract,
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        _seal(staging)
        os.rename(staging, release)
        _fsync_dir(release.parent)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    rows = sum(table["rows"] for table in published)
    marts = sum(1 for table in published if table["schema"] == MART_SCHEMA)
    print(
        f"nhi publish: release {release.name}: {marts} marts + {len(published) - marts} other tables, "
        f"{rows} rows, validated against {warehouse.name}"
    )


# --------------------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m nhi_warehouse.publish",
        description="Publish the marts of a successful dbt build to a read-only DuckDB copy and Parquet.",
    )
    parser.add_argument("--warehouse", type=Path, help="built warehouse (default NHI_DUCKDB_PATH)")
    parser.add_argument("--out", type=Path, help="publication folder (default NHI_PUBLISH_DIR or data/published)")
    parser.add_argument("--run-results", type=Path, help="run_results.json of the build (default target/)")
    parser.add_argument("--extract-manifest", type=Path, help="default NHI_RAW_ROOT/_manifest.json if present")
    parser.add_argument("--keep", type=int, default=DEFAULT_KEEP, help=f"releases kept (default {DEFAULT_KEEP})")
    parser.add_argument(
        "--storage-version",
        default=DEFAULT_STORAGE_VERSION,
        help=f"storage format of {DUCKDB_FILE} (default {DEFAULT_STORAGE_VERSION}: DuckDB 1.0+ reads it)",
    )
    parser.add_argument(
        "--allow-partial-build",
        action="store_true",
        help="accept a selective dbt build (--select/--exclude) as the last invocation",
    )
    options = parser.parse_args(argv)
    try:
        publish(
            warehouse=options.warehouse,
            out=options.out,
            run_results=options.run_results,
            extract_manifest=options.extract_manifest,
            keep=options.keep,
            storage_version=options.storage_version,
            allow_partial_build=options.allow_partial_build,
        )
    except PublishError as error:
        print(f"nhi publish: refused: {error}", file=sys.stderr)
        return ACCESS_EXIT_CODE if isinstance(error, AccessError) else 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
