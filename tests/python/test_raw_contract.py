"""Reading raw deliveries: a missing required table or column stops the build with a message
naming the folder, file and column; an absent optional table is empty; CSV deliveries and a
re-delivered extract give the same warehouse."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import NO_TESTS, generate_extract, run_dbt

MARTS_AND_STAGING = ("staging", "intermediate", "marts")


@pytest.fixture(scope="module")
def tiny_extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("tiny") / "raw"
    generate_extract(raw, "--size", "tiny", "--months", "15")
    return raw


def copy_extract(source: Path, target: Path, *, without: tuple[str, ...] = ()) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(*without))
    return target


def table_fingerprints(duckdb_path: Path) -> dict[str, tuple[int, ...]]:
    """Row count and, per column, an order-independent sum of value hashes, for every table built
    in the staging, intermediate and marts schemas - except the landing tables `base_*`, which
    record every delivered row with its file (a re-delivered file is landed again, by design)."""
    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            f"where table_type = 'BASE TABLE' and table_schema in {MARTS_AND_STAGING} "
            "and table_name not like 'base\\_%' escape '\\'"
        ).fetchall()
        result = {}
        for schema, table in tables:
            row = con.execute(f'select count(*), sum(hash(columns(*))) from "{schema}"."{table}"').fetchall()[0]
            result[f"{schema}.{table}"] = tuple(int(value or 0) for value in row)
    return result


def test_missing_required_table_names_the_folder(tiny_extract: Path, tmp_path: Path) -> None:
    raw = copy_extract(tiny_extract, tmp_path / "raw", without=("cd",))
    result = run_dbt(["run", "--select", "stg_nhird__hosb"], raw, tmp_path / "w.duckdb", tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Raw table 'cd' is required" in output
    assert str(raw / "cd") in output
    assert "Traceback" not in output


def test_missing_required_column_names_the_file_and_column(tiny_extract: Path, tmp_path: Path) -> None:
    raw = copy_extract(tiny_extract, tmp_path / "raw")
    victim = sorted((raw / "hosb").rglob("*.parquet"))[0]
    with duckdb.connect() as con:
        con.execute(
            f"copy (select * exclude (AREA_NO_H) from read_parquet('{victim}')) to '{victim}.tmp' (format parquet)"
        )
    Path(f"{victim}.tmp").replace(victim)
    result = run_dbt(["run", "--select", "stg_nhird__hosb"], raw, tmp_path / "w.duckdb", tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"{victim}: missing required column AREA_NO_H" in output


def test_typed_parquet_date_before_year_one_is_quarantined(tiny_extract: Path, tmp_path: Path) -> None:
    """Typed Parquet is taken as it is, but the contract's dates have a 4-digit year: an order line
    executed in 6 BC is quarantined as invalid_date, as the same value is when read as text."""
    raw = copy_extract(tiny_extract, tmp_path / "raw")
    month = sorted((raw / "oo").glob("fee_ym=*"))[0]
    with duckdb.connect() as con:
        con.execute(
            f"copy (select * replace (make_timestamp(-5, 1, 1, 0, 0, 0) as EXE_S_DATE) "
            f"from read_parquet('{month}/part-0.parquet') limit 1) to '{month}/bc-0.parquet' (format parquet)"
        )
    result = run_dbt(
        ["run", "--select", "base_nhird__oo", "stg_nhird__oo_rejected"], raw, tmp_path / "w.duckdb", tmp_path
    )
    assert result.returncode == 0, result.stdout[-3000:]
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        rules = con.execute(
            "select rule_name from staging.stg_nhird__oo_rejected where source_file like '%/bc-0.parquet'"
        ).fetchall()
    assert rules == [("invalid_date",)]


def test_absent_optional_table_is_empty(tiny_extract: Path, tmp_path: Path) -> None:
    absent = ("dd", "pv_announced", "hosp_prospective", "prospective_region")
    raw = copy_extract(tiny_extract, tmp_path / "raw", without=absent)
    result = run_dbt(
        [
            "run",
            "--select",
            *(f"stg_nhird__{table}" for table in absent),
            *(f"base_nhird__{table}" for table in absent),
        ],
        raw,
        tmp_path / "w.duckdb",
        tmp_path,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "raw.dd: optional table absent" in result.stdout
    assert "raw.hosp_prospective: optional table absent" in result.stdout
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        for table in absent:
            assert con.execute(f"select count(*) from staging.stg_nhird__{table}").fetchall()[0][0] == 0


def test_absent_optional_column_is_null(tiny_extract: Path, tmp_path: Path) -> None:
    """A delivery without cd.ORIG_HOSP_ID (optional: 交付 prescriber) builds as before the column
    existed: staged claims have no prescriber and nothing is quarantined for one."""
    raw = copy_extract(tiny_extract, tmp_path / "raw")
    with duckdb.connect() as con:
        for file in sorted((raw / "cd").rglob("*.*")):
            reader = "read_parquet" if file.suffix == ".parquet" else "read_csv"
            options = "" if file.suffix == ".parquet" else ", all_varchar=true, header=true"
            fmt = "parquet" if file.suffix == ".parquet" else "csv, header true"
            kept = f"select * exclude (ORIG_HOSP_ID) from {reader}('{file}'{options})"
            con.execute(f"copy ({kept}) to '{file}.tmp' (format {fmt})")
            Path(f"{file}.tmp").replace(file)
    result = run_dbt(["run", "--select", "+int_claims_quarantined"], raw, tmp_path / "w.duckdb", tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        counts = "select count(*), count(orig_hosp_id) from staging.stg_nhird__cd"
        staged, prescribed = con.execute(counts).fetchall()[0]
        unknown = con.execute(
            "select count(*) from intermediate.int_claims_quarantined where rule_name = 'unknown_prescriber'"
        ).fetchall()[0][0]
    assert staged > 1000 and prescribed == 0 and unknown == 0


def test_redelivered_extract_gives_identical_warehouse(tiny_extract: Path, tmp_path: Path) -> None:
    """Loading the same extract twice (a re-run of the monthly job dropping the same files into
    another sub-folder) must not double count: every staging and mart table is identical."""
    once = copy_extract(tiny_extract, tmp_path / "once")
    first = run_dbt(["build", *NO_TESTS], once, tmp_path / "once.duckdb", tmp_path / "w1")
    assert first.returncode == 0, first.stdout[-3000:]

    twice = copy_extract(tiny_extract, tmp_path / "twice")
    for table in ("cd", "oo", "referral", "lab_upload"):
        for file in sorted((tiny_extract / table).rglob("*.parquet")):
            target = twice / table / "redelivery" / file.relative_to(tiny_extract / table)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(file, target)
    second = run_dbt(["build", *NO_TESTS], twice, tmp_path / "twice.duckdb", tmp_path / "w2")
    assert second.returncode == 0, second.stdout[-3000:]

    first_tables = table_fingerprints(tmp_path / "once.duckdb")
    second_tables = table_fingerprints(tmp_path / "twice.duckdb")
    assert first_tables.keys() == second_tables.keys()
    differing = [name for name in first_tables if first_tables[name] != second_tables[name]]
    assert not differing, differing


def test_csv_delivery_builds_like_parquet(tmp_path: Path) -> None:
    """The same extract written as CSV (read as text, cast by the contract) gives the same marts."""
    parquet = tmp_path / "parquet"
    csv = tmp_path / "csv"
    generate_extract(parquet, "--size", "tiny", "--months", "6", "--bad-share", "0")
    generate_extract(csv, "--size", "tiny", "--months", "6", "--bad-share", "0", "--format", "csv")
    first = run_dbt(["build", *NO_TESTS], parquet, tmp_path / "p.duckdb", tmp_path / "w1")
    second = run_dbt(["build", *NO_TESTS], csv, tmp_path / "c.duckdb", tmp_path / "w2")
    assert first.returncode == 0, first.stdout[-3000:]
    assert second.returncode == 0, second.stdout[-3000:]
    first_tables = table_fingerprints(tmp_path / "p.duckdb")
    second_tables = table_fingerprints(tmp_path / "c.duckdb")
    marts = [name for name in first_tables if name.startswith("marts.")]
    assert marts
    assert {name: first_tables[name] for name in marts} == {name: second_tables[name] for name in marts}
