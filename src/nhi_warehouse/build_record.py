"""The build record inside the warehouse (table ``build_log.invocations``, written by dbt's hooks in
macros/build_record.sql): which dbt invocation last wrote the file, whether it finished and
succeeded, and the fingerprint of every published table when it finished.

``nhi publish`` reads it to refuse a warehouse whose last build was killed, failed, was partial,
or whose published tables changed since (nhi_warehouse.publish). The mart validation
(``nhi quality marts``, ``nhi pipeline``) adds its outcome to it, so that a build whose marts failed
validation is not published either.

The record lives in the warehouse file, so it is per warehouse: two warehouses built from one
project folder (another NHI_DUCKDB_PATH) each carry their own, whatever target/ says.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

SCHEMA = "build_log"
TABLE = f"{SCHEMA}.invocations"
# The schemas `nhi publish` copies (macros/build_record.sql published_schemas() lists the same).
PUBLISHED_SCHEMAS = ("marts", "reference")
# The table's columns, as macros/build_record.sql creates it (a test compares the two).
COLUMNS = (
    ("invocation_id", "VARCHAR"),
    ("event", "VARCHAR"),  # started | finished | marts_validated
    ("event_at", "TIMESTAMP"),  # UTC
    ("command", "VARCHAR"),  # dbt's command: build, run, seed, ...
    ("selection", "VARCHAR"),  # JSON of --select/--exclude/... ({} = the whole project)
    ("empty", "BOOLEAN"),  # --empty
    ("status", "VARCHAR"),  # finished: success | failed; marts_validated: passed | failed
    ("result_counts", "VARCHAR"),  # JSON {status: results}
    ("failed_nodes", "VARCHAR"),  # JSON [unique_id (status)], first 20; marts_validated: the failures
    ("table_fingerprints", "VARCHAR"),  # JSON {"schema.table": "rows:sum of row hashes"}
    ("id_key_fingerprint", "VARCHAR"),  # which pseudonymisation key (macros/id_key.sql)
    ("raw_root", "VARCHAR"),  # the extract read
    ("dbt_version", "VARCHAR"),
)
# Statuses of a good dbt result. `no-op` is a node dbt had nothing to do for (not a failure).
GOOD_STATUSES = frozenset({"success", "pass", "warn", "no-op"})


@dataclass(frozen=True)
class BuildRecord:
    """The last recorded dbt invocation on a warehouse."""

    invocation_id: str
    command: str
    selection: dict[str, Any]
    empty: bool
    started_at: datetime
    finished_at: datetime | None  # None: it never finished (killed) or is still running
    status: str | None  # success | failed (None if not finished)
    result_counts: dict[str, int] = field(default_factory=dict)
    failed_nodes: list[str] = field(default_factory=list)
    table_fingerprints: dict[str, str] = field(default_factory=dict)
    id_key_fingerprint: str | None = None
    raw_root: str | None = None
    dbt_version: str | None = None
    validation: str | None = None  # passed | failed | None (marts not validated)
    validation_detail: str | None = None


def _json(text: str | None, default: Any) -> Any:
    if not text:
        return default
    try:
        return json.loads(text)
    except ValueError:
        return default


def has_record(con: duckdb.DuckDBPyConnection, catalog: str) -> bool:
    found = con.execute(
        "select count(*) from duckdb_tables() where database_name = ? and schema_name = ? and table_name = ?",
        [catalog, SCHEMA, TABLE.split(".")[1]],
    ).fetchone()
    return bool(found and found[0])


def read_last(con: duckdb.DuckDBPyConnection, catalog: str) -> BuildRecord | None:
    """The warehouse's last recorded invocation (the latest 'started' row) with its outcome, or None
    when the warehouse has no build record."""
    if not has_record(con, catalog):
        return None
    table = f'"{catalog}".{TABLE}'
    started = con.execute(
        "select invocation_id, command, selection, empty, event_at, id_key_fingerprint, raw_root, dbt_version "
        f"from {table} where event = 'started' order by rowid desc limit 1"
    ).fetchone()
    if started is None:
        return None
    invocation_id = started[0]
    finished = con.execute(
        f"select event_at, status, result_counts, failed_nodes, table_fingerprints from {table} "
        "where event = 'finished' and invocation_id = ? order by rowid desc limit 1",
        [invocation_id],
    ).fetchone()
    validated = con.execute(
        f"select status, failed_nodes from {table} where event = 'marts_validated' and invocation_id = ? "
        "order by rowid desc limit 1",
        [invocation_id],
    ).fetchone()
    return BuildRecord(
        invocation_id=str(invocation_id),
        command=str(started[1]),
        selection=_json(started[2], {}),
        empty=bool(started[3]),
        started_at=started[4],
        finished_at=finished[0] if finished else None,
        status=str(finished[1]) if finished else None,
        result_counts=_json(finished[2], {}) if finished else {},
        failed_nodes=_json(finished[3], []) if finished else [],
        table_fingerprints=_json(finished[4], {}) if finished else {},
        id_key_fingerprint=started[5],
        raw_root=started[6],
        dbt_version=started[7],
        validation=str(validated[0]) if validated else None,
        validation_detail=str(validated[1]) if validated and validated[1] else None,
    )


def published_tables(
    con: duckdb.DuckDBPyConnection, catalog: str, schemas: Sequence[str]
) -> list[tuple[str, str, str | None]]:
    """(schema, name, comment) of every table and view in the published schemas."""
    placeholders = ", ".join("?" for _ in schemas)
    return [
        (str(schema), str(name), comment)
        for schema, name, comment in con.execute(
            f"""
            select schema_name, table_name, comment from duckdb_tables()
            where database_name = ? and schema_name in ({placeholders})
            union all
            select schema_name, view_name, comment from duckdb_views()
            where database_name = ? and not internal and schema_name in ({placeholders})
            order by 1, 2
            """,
            [catalog, *schemas, catalog, *schemas],
        ).fetchall()
    ]


def table_fingerprints(
    con: duckdb.DuckDBPyConnection, catalog: str, schemas: Sequence[str] = PUBLISHED_SCHEMAS
) -> dict[str, str]:
    """{"<schema>.<table>": "<rows>:<sum of row hashes>"}: what the on-run-end hook records
    (macro published_table_fingerprints, the same SQL), computed again now."""
    tables = published_tables(con, catalog, schemas)
    if not tables:
        return {}
    parts = [
        f"select '{schema}.{name}' as name, "
        "cast(count(*) as varchar) || ':' || cast(coalesce(sum(hash(t)), 0) as varchar) as fingerprint "
        f'from "{catalog}"."{schema}"."{name}" as t'
        for schema, name, _ in tables
    ]
    return {str(name): str(value) for name, value in con.execute(" union all ".join(parts)).fetchall()}


def record_validation(warehouse: Path, passed: bool, detail: str) -> str | None:
    """Add the mart validation's outcome to the warehouse's last recorded invocation (a
    'marts_validated' row). Returns why it could not be recorded, or None."""
    try:
        con = duckdb.connect(str(warehouse))
    except duckdb.Error as error:
        return f"the validation outcome was not recorded in {warehouse}: {str(error).splitlines()[0]}"
    try:
        catalog = con.execute("select current_database()").fetchone()[0]
        last = read_last(con, catalog)
        if last is None or last.finished_at is None:
            return f"the validation outcome was not recorded: {warehouse} has no finished build on record"
        con.execute(
            f"insert into {TABLE} (invocation_id, event, event_at, command, status, failed_nodes) "
            "values (?, 'marts_validated', ?, ?, ?, ?)",
            [
                last.invocation_id,
                datetime.now(UTC).replace(tzinfo=None),
                last.command,
                "passed" if passed else "failed",
                detail,
            ],
        )
    finally:
        con.close()
    return None
