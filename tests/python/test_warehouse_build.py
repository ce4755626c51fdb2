"""The warehouse built from the demo extract: dbt build is clean, quarantine counts equal what
the generator injected, deduplication works, and no raw identifier leaves staging."""

from __future__ import annotations

import re

import duckdb
import pytest

from conftest import Build

NATIONAL_ID = re.compile(r"[A-Z][12][0-9]{8}")


def connect(build: Build) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(build.duckdb_path), read_only=True)


def test_dbt_build_has_no_errors(demo_build: Build) -> None:
    assert demo_build.returncode == 0, demo_build.output[-5000:]
    assert re.search(r"ERROR=0 ", demo_build.output), demo_build.output[-3000:]


def test_rejected_rows_are_reported_as_a_warning(demo_build: Build) -> None:
    line = next(
        line for line in demo_build.output.splitlines() if "assert_no_quarantined_rows" in line and "WARN" in line
    )
    assert "WARN" in line


def test_quarantine_counts_equal_what_the_generator_injected(demo_build: Build) -> None:
    with connect(demo_build) as con:
        counted = {
            (table, rule): rows
            for table, rule, rows in con.execute(
                "select table_name, rule_name, rejected_rows from marts.quarantine_summary"
            ).fetchall()
        }
    injected = {
        (table, rule): count
        for table, rules in demo_build.manifest["injected"].items()
        for rule, count in rules.items()
    }
    assert injected, "the generator injected no bad rows"
    assert all(count > 0 for count in injected.values()), injected
    # every injected (table, rule) is counted exactly; rules the generator did not inject count zero
    assert {key: counted.get(key) for key in injected} == injected
    assert all(rows == 0 for key, rows in counted.items() if key not in injected)


CROSS_TABLE_RULES = {"orphan_order", "unknown_institution", "unknown_prescriber", "not_a_hospital"}


@pytest.mark.parametrize(
    "table",
    [
        "hosb",
        "cd",
        "oo",
        "dd",
        "lab_upload",
        "referral",
        "budget",
        "pv_announced",
        "hosp_prospective",
        "prospective_region",
    ],
)
def test_staging_keeps_every_good_row_once(demo_build: Build, table: str) -> None:
    """Staged rows = the generator's good rows (re-delivered duplicates collapse onto them) plus
    the rows it injected against cross-table rules, which pass staging and are quarantined in
    int_claims_quarantined; every row-level injection is in the table's *_rejected model."""
    manifest = demo_build.manifest
    injected = manifest["injected"].get(table, {})
    with connect(demo_build) as con:
        staged = con.execute(f"select count(*) from staging.stg_nhird__{table}").fetchall()[0][0]
        rejected = con.execute(f"select count(*) from staging.stg_nhird__{table}_rejected").fetchall()[0][0]
    cross_table = sum(count for rule, count in injected.items() if rule in CROSS_TABLE_RULES)
    assert staged == manifest["rows"][table] + cross_table
    assert rejected == sum(count for rule, count in injected.items() if rule not in CROSS_TABLE_RULES)


def test_no_raw_identifier_after_staging(demo_build: Build) -> None:
    """No national-ID-shaped string in any text column of intermediate, marts or staged tables
    (the base views over raw data are the only place raw identifiers are read)."""
    with connect(demo_build) as con:
        columns = con.execute(
            """
            select table_schema, table_name, column_name
            from information_schema.columns
            join information_schema.tables using (table_catalog, table_schema, table_name)
            where table_type = 'BASE TABLE'
              and table_schema in ('staging', 'intermediate', 'marts')
              and data_type = 'VARCHAR'
            """
        ).fetchall()
        assert columns
        leaks = []
        for schema, table, column in columns:
            hits = con.execute(
                f"""select count(*) from "{schema}"."{table}"
                    where regexp_full_match("{column}", '[A-Z][12][0-9]{{8}}')"""
            ).fetchall()[0][0]
            if hits:
                leaks.append(f"{schema}.{table}.{column}: {hits}")
    assert not leaks, leaks


def test_staged_claims_carry_pseudonyms_not_identifiers(demo_build: Build) -> None:
    with connect(demo_build) as con:
        names = {row[0] for row in con.execute("describe staging.stg_nhird__cd").fetchall()}
        sample = con.execute("select patient_key, physician_key from staging.stg_nhird__cd limit 1000").fetchall()
    assert {"patient_key", "physician_key"} <= names
    assert not names & {"id", "prsn_id", "id_birthday", "birth_date", "patient_id", "physician_id"}
    assert all(re.fullmatch(r"[0-9a-f]{20}", key) for row in sample for key in row if key is not None)
