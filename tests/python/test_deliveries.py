"""Deliveries for the incremental tests and the benchmark: the `new-month` split adds exactly the
last fee month's rows and changes nothing else."""

from __future__ import annotations

import filecmp
from pathlib import Path

import duckdb

from nhi_warehouse.deliveries import last_fee_month, split
from nhi_warehouse.generator import GeneratorConfig, generate


def _months(root: Path, table: str) -> dict[str, int]:
    with duckdb.connect() as con:
        rows = con.execute(
            "select trim(cast(FEE_YM as varchar)), count(*) from ("
            f"select FEE_YM from read_parquet('{root}/{table}/**/*.parquet', hive_partitioning = false) "
            f"union all select FEE_YM from read_csv('{root}/{table}/**/*.csv', all_varchar = true, header = true)"
            ") group by 1"
        ).fetchall()
    return {month: count for month, count in rows}


def test_new_month_adds_only_the_last_fee_month(tmp_path: Path) -> None:
    extract = tmp_path / "full"
    manifest = generate(GeneratorConfig(out=extract, size="tiny", months=4, seed=3, quiet=True))
    before, after = tmp_path / "a", tmp_path / "b"
    split(extract, before, after, mode="new-month")
    last = last_fee_month(manifest)
    assert last == "202404"
    for table in ("cd", "oo"):
        full, a, b = _months(extract, table), _months(before, table), _months(after, table)
        assert last not in a
        assert b == full  # every row of every month, the last month's included
        assert {month: count for month, count in full.items() if month != last} == a
    # A's files are in B unchanged; B's other files are the last month's; reference tables are equal
    a_files = {p.relative_to(before) for p in before.rglob("*") if p.is_file() and p.name != "_manifest.json"}
    b_files = {p.relative_to(after) for p in after.rglob("*") if p.is_file() and p.name != "_manifest.json"}
    assert a_files <= b_files
    assert all(filecmp.cmp(before / f, after / f, shallow=False) for f in a_files)
    assert {f.parts[0] for f in b_files - a_files} <= {"cd", "oo", "dd"}
    assert all(f"fee_ym={last}" in str(f) for f in b_files - a_files)
