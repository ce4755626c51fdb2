"""The floor: the marts' core computations as one hand-written DuckDB script, without dbt.

    python -m nhi_warehouse.floor --raw DIR --db FILE [--compare WAREHOUSE]

`benchmarks/floor.sql` reads the raw extract (the same reading rules as the `raw` views: no
hive partitioning, CSV as text), types and validates the rows (the staging contract rules),
deduplicates on the natural keys (latest APPL_DATE wins), pseudonymises (keyed sha256) and
computes the heavy marts — point_value_settlement, reexam_rate_by_item / _by_category,
referral_reply_rate, care_plan_coverage — into the schema `marts` of FILE. It is the yardstick
for the dbt build: "the fastest this machine does the same work" (benchmarks/README in
BENCHMARKS.md). DuckDB runs with the settings of profiles/profiles.yml (NHI_DUCKDB_MEMORY,
NHI_DUCKDB_THREADS, NHI_DUCKDB_TEMP, preserve_insertion_order=false).

This module only prepares what a hand-written script cannot hard-code: one view per raw table
(`src_<table>`, typed; built from the contract in models/staging/nhird/_nhird__sources.yml and
the formats present), one table per seed (`seed_<name>`, typed by the seeds' column_types), and
the contract value sets (`${values:cd.APPL_TYPE}`), the pseudonymisation key (`${id_key}`) and the
default vars. Then it runs the script statement by statement and prints the seconds.

--compare WAREHOUSE checks that the floor's marts equal the dbt-built marts (same rows on the
columns the floor computes): the floor does the same work, not a shortcut.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import sys
import time
from pathlib import Path

import duckdb
import yaml

from nhi_warehouse.settings import DEMO_ID_KEY, project_root

ROOT = project_root()
TEXT_TYPES = {"varchar", "text", "string"}


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def contract() -> dict[str, list[tuple[str, str]]]:
    """Raw tables -> [(COLUMN, contract type)] from the nhird source definition."""
    sources = yaml.safe_load((ROOT / "models/staging/nhird/_nhird__sources.yml").read_text(encoding="utf-8"))
    nhird = next(source for source in sources["sources"] if source["name"] == "nhird")
    return {
        table["name"]: [(column["name"], column["data_type"].lower()) for column in table["columns"]]
        for table in nhird["tables"]
    }


def _column_sql(column: str, data_type: str, text: bool) -> list[str]:
    """A contract column as a typed value plus, for non-text columns, `<col>_present` (the
    cleaned text was not empty: an unparseable value is present but null once typed)."""
    name = column.lower()
    cleaned = f"nullif(trim(cast(\"{column}\" as varchar)), '')"
    if data_type in TEXT_TYPES:
        return [f"{cleaned} as {name}"]
    if text:
        return [f"try_cast({cleaned} as {data_type}) as {name}", f"({cleaned} is not null) as {name}_present"]
    return [f'try_cast("{column}" as {data_type}) as {name}', f'("{column}" is not null) as {name}_present']


def source_views(con: duckdb.DuckDBPyConnection, raw: Path) -> None:
    """One typed view `src_<table>` per raw table: Parquet columns stay typed (no detour through
    text), CSV is read as text and cast; `source_file` is the path relative to the raw root."""
    root = str(raw).rstrip("/")
    for table, columns in contract().items():
        folder = f"{root}/{table}"
        parquet, csv = f"{folder}/**/*.parquet", f"{folder}/**/*.csv"
        n_parquet = con.execute(f"select count(*) from glob({_quote(parquet)})").fetchall()[0][0]
        n_csv = con.execute(f"select count(*) from glob({_quote(csv)})").fetchall()[0][0]
        parts = []
        source_file = f"replace(filename, {_quote(root + '/')}, '') as source_file"
        if n_parquet:
            present = {
                row[0].upper(): row[1].upper()
                for row in con.execute(
                    f"select name, type from parquet_schema({_quote(parquet)}) "
                    "where num_children is null or num_children = 0"
                ).fetchall()
            }
            select = []
            for column, data_type in columns:
                if column not in present:
                    select.append(f"cast(null as {data_type}) as {column.lower()}")
                    if data_type not in TEXT_TYPES:
                        select.append(f"false as {column.lower()}_present")
                    continue
                select += _column_sql(column, data_type, text=present[column] == "BYTE_ARRAY")
            parts.append(
                f"select {', '.join(select)}, {source_file} from read_parquet({_quote(parquet)}, "
                "union_by_name = true, hive_partitioning = false, filename = true)"
            )
        if n_csv:
            select = [item for column, data_type in columns for item in _column_sql(column, data_type, text=True)]
            parts.append(
                f"select {', '.join(select)}, {source_file} from read_csv({_quote(csv)}, all_varchar = true, "
                "header = true, union_by_name = true, hive_partitioning = false, filename = true)"
            )
        if not parts:
            select = []
            for column, data_type in columns:
                select.append(f"cast(null as {data_type}) as {column.lower()}")
                if data_type not in TEXT_TYPES:
                    select.append(f"false as {column.lower()}_present")
            parts.append(f"select {', '.join(select)}, cast(null as varchar) as source_file where false")
        con.execute(f"create or replace temp view src_{table} as {' union all by name '.join(parts)}")


def seed_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Each seed CSV as a temp table `seed_<name>`, typed by its yml column_types."""
    types: dict[str, dict[str, str]] = {}
    for spec in (ROOT / "seeds").rglob("_*.yml"):
        for seed in (yaml.safe_load(spec.read_text(encoding="utf-8")) or {}).get("seeds", []):
            types[seed["name"]] = (seed.get("config") or {}).get("column_types", {})
    for path in sorted((ROOT / "seeds").rglob("*.csv")):
        column_types = types.get(path.stem, {})
        header = con.execute(
            f"select * from read_csv({_quote(str(path))}, all_varchar = true, header = true) limit 0"
        ).description
        select = [f'cast("{col[0]}" as {column_types.get(col[0], "varchar")}) as "{col[0]}"' for col in header]
        con.execute(
            f"create or replace temp table seed_{path.stem} as select {', '.join(select)} "
            f"from read_csv({_quote(str(path))}, all_varchar = true, header = true)"
        )


def substitutions() -> dict[str, str]:
    project = yaml.safe_load((ROOT / "dbt_project.yml").read_text(encoding="utf-8"))
    values = {}
    for table, columns in project["vars"]["raw_contract_values"].items():
        for column, allowed in columns.items():
            values[f"values:{table}.{column}"] = "(" + ", ".join(_quote(str(v)) for v in allowed) + ")"
    values["id_key"] = _quote(os.environ.get("NHI_ID_KEY", DEMO_ID_KEY) + "|")
    values["care_plan_sectors"] = "(" + ", ".join(_quote(s) for s in project["vars"]["care_plan_sectors"]) + ")"
    return values


def statements(sql: str, values: dict[str, str]) -> list[str]:
    def replace(match: re.Match[str]) -> str:
        return values[match.group(1)]

    text = re.sub(r"\$\{([a-z_:.A-Z]+)\}", replace, sql)
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))
    return [statement.strip() for statement in text.split(";") if statement.strip()]


def connect(db: Path) -> duckdb.DuckDBPyConnection:
    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)
    con = duckdb.connect(str(db))
    temp = os.environ.get("NHI_DUCKDB_TEMP", str(db.parent / "tmp"))
    con.execute(f"set memory_limit = {_quote(os.environ.get('NHI_DUCKDB_MEMORY', '5GB'))}")
    con.execute(f"set threads = {int(os.environ.get('NHI_DUCKDB_THREADS', '2'))}")
    con.execute(f"set temp_directory = {_quote(temp)}")
    con.execute("set preserve_insertion_order = false")
    return con


# Marts the floor computes and the columns compared with the dbt marts (--compare).
COMPARED = {
    "point_value_settlement": "sector, area_no_h, fee_quarter, claims, points, nonfloat_points, float_points, "
    "reviewed_points, deducted_points, budget_amt, round(float_pv, 9), round(avg_pv, 9), avg_pv_rank, "
    "is_complete, announced_settled_avg_pv, announced_forecast_float_pv",
    "reexam_rate_by_item": "period, period_type, area_no_h, merged_item, executions, reexecutions, "
    "same_inst_reexecutions, cross_inst_reexecutions, round(reexec_rate, 9), is_lookback_complete, "
    "base_executions, round(national_reexec_rate, 9)",
    "reexam_rate_by_category": "period, period_type, area_no_h, category_no, merged_items, executions, "
    "reexecutions, round(reexec_rate, 9), is_lookback_complete, base_executions, round(national_reexec_rate, 9)",
    "referral_reply_rate": "fee_quarter, area_no_h, direction, referrals, replied, timely_replied, seen, "
    "median_days_to_reply, median_days_seen_to_reply, excluded_referrals, as_of_date, is_quarter_complete",
    "care_plan_coverage": "plan, year, through_month, sector, hosp_cont_type, area_no_h, denominator, numerator, "
    "cohort_numerator, is_latest_through_month, eligibility_year",
}


def compare(con: duckdb.DuckDBPyConnection, warehouse: Path) -> list[str]:
    con.execute(f"attach {_quote(str(warehouse))} as dbt_wh (read_only)")
    problems = []
    for table, columns in COMPARED.items():
        for left, right in (("marts", "dbt_wh.marts"), ("dbt_wh.marts", "marts")):
            query = f"select {columns} from {left}.{table} except all select {columns} from {right}.{table}"
            extra = con.execute(f"select count(*) from ({query})").fetchall()[0][0]
            if extra:
                problems.append(f"{table}: {extra} row(s) in {left} not in {right}")
    con.execute("detach dbt_wh")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nhi_warehouse.floor", description=__doc__.split("\n\n")[0])
    parser.add_argument("--raw", required=True, help="extract root (<root>/<table>/ folders)")
    parser.add_argument("--db", required=True, help="DuckDB file to write (replaced)")
    parser.add_argument("--sql", default=str(ROOT / "benchmarks" / "floor.sql"))
    parser.add_argument("--compare", help="a dbt-built warehouse whose marts must equal the floor's")
    parser.add_argument("--json", help="write the step timings here")
    parser.add_argument("--quiet", action="store_true", help="only the total")
    options = parser.parse_args(argv)

    started, cpu_started = time.perf_counter(), _cpu_seconds()
    con = connect(Path(options.db))
    source_views(con, Path(options.raw))
    seed_tables(con)
    steps = [{"step": "source views and seeds", "seconds": round(time.perf_counter() - started, 2)}]
    for statement in statements(Path(options.sql).read_text(encoding="utf-8"), substitutions()):
        label = " ".join(statement.split()[:6])
        step_started, step_cpu = time.perf_counter(), _cpu_seconds()
        con.execute(statement)
        steps.append(
            {
                "step": label,
                "seconds": round(time.perf_counter() - step_started, 2),
                "cpu_seconds": round(_cpu_seconds() - step_cpu, 2),
            }
        )
        if not options.quiet:
            print(f"{steps[-1]['seconds']:8.2f} s  {steps[-1]['cpu_seconds']:8.2f} cpu  {label}", flush=True)
    con.execute("checkpoint")
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu_started
    print(f"floor: {seconds:.2f} s wall, {cpu:.2f} s CPU")
    status = 0
    if options.compare:
        problems = compare(con, Path(options.compare))
        print("compare with dbt marts: " + ("identical" if not problems else "DIFFERENT"))
        for problem in problems:
            print("  " + problem, file=sys.stderr)
        status = 1 if problems else 0
    if options.json:
        Path(options.json).write_text(
            json.dumps({"seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2), "steps": steps}, indent=2) + "\n",
            encoding="utf-8",
        )
    con.close()
    return status


if __name__ == "__main__":
    raise SystemExit(main())
