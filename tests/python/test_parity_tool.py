"""The parity tool's comparison and reporting, without Spark: a DuckDB warehouse and a hand-made
"Spark export" (Parquet written by DuckDB, laid out as macros/parity/parity_export_relations.sql
writes it) are compared the way a real run compares them. Fast; runs in CI."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from nhi_warehouse import parity, parity_docs


def make_work(work: Path, spark_rows: dict[str, str], relations: dict[str, str]) -> None:
    """A parity work folder: DuckDB marts (a table, a view, an empty table) and a Spark export of
    `relations` whose rows are given as SQL."""
    (work / "duckdb").mkdir(parents=True)
    (work / parity.MARKER).write_text("test\n")
    with duckdb.connect(str(work / "duckdb" / "nhi.duckdb")) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.rates as "
            "select * from (values ('1', 3, 0.5::double), ('2', 4, 0.25::double)) t(area, n, rate)"
        )
        con.execute("create view marts.rates_view as select area, n from marts.rates")
        con.execute("create table marts.nothing (area varchar, n integer)")
    for name, sql in spark_rows.items():
        folder = work / parity.EXPORT_DIR / "marts" / name
        folder.mkdir(parents=True)
        with duckdb.connect() as con:
            con.execute(f"copy ({sql}) to '{folder / 'part-00000.snappy.parquet'}' (format parquet)")
    (work / parity.EXPORT_DIR / "relations.json").write_text(json.dumps({"marts": relations}))


SAME = {
    "rates": "select * from (values ('2', 4, 0.25::double), ('1', 3, 0.5::double + 1e-12)) t(area, n, rate)",
    "rates_view": "select * from (values ('1', 3), ('2', 4)) t(area, n)",
    "nothing": "select cast(null as varchar) as area, cast(null as integer) as n where false",
}
KINDS = {"rates": "table", "rates_view": "view", "nothing": "table"}


def test_views_are_compared_and_an_empty_mart_is_reported(tmp_path: Path) -> None:
    make_work(tmp_path, SAME, KINDS)
    result = parity.compare_only(tmp_path)
    by_name = {t.name: t for t in result.tables}
    assert by_name["marts.rates_view"].duckdb_kind == "view"
    assert by_name["marts.rates_view"].compared == 2
    assert by_name["marts.rates"].status == "equal"  # floats within the relative tolerance
    assert by_name["marts.nothing"].status == "EMPTY on both"
    assert result.ok  # reported, not failed by default...
    report = result.report()
    assert "WARNING: empty on both engines" in report and "marts.nothing" in report
    assert "2 equal (4 rows), 1 empty on both engines, 0 different" in report
    strict = parity.compare_only(tmp_path, fail_on_empty=True)  # ...unless asked to
    assert not strict.ok
    assert "FAIL: empty on both engines" in strict.report()


def test_differences_in_a_view_and_missing_relations_fail(tmp_path: Path) -> None:
    spark = {**SAME, "rates_view": "select * from (values ('1', 3), ('2', 5)) t(area, n)"}
    spark.pop("nothing")
    spark["extra"] = "select 1 as x"
    make_work(tmp_path, spark, {"rates": "table", "rates_view": "view", "extra": "table"})
    result = parity.compare_only(tmp_path)
    assert not result.ok
    view = next(t for t in result.tables if t.name == "marts.rates_view")
    assert view.problems == [
        "row only on duckdb: {area='2', n=4}",
        "row only on spark: {area='2', n=5}",
    ]
    assert "marts.nothing: built on duckdb only" in result.problems
    assert "marts.extra: built on spark only" in result.problems


def test_float_tolerance_and_types(tmp_path: Path) -> None:
    spark = {
        **SAME,
        "rates": "select * from (values ('1', 3, 0.5001::double), ('2', 4, 0.25::double)) t(area, n, rate)",
    }
    make_work(tmp_path, spark, KINDS)
    result = parity.compare_only(tmp_path)
    rates = next(t for t in result.tables if t.name == "marts.rates")
    assert rates.problems == ["row {area='1', n=3, rate=0.5}: rate: duckdb 0.5 != spark 0.5001"]
    loose = parity.compare_only(tmp_path, rel_tol=1e-3)
    assert next(t for t in loose.tables if t.name == "marts.rates").ok


def test_a_manifest_mart_built_on_neither_engine_fails(tmp_path: Path) -> None:
    make_work(tmp_path, SAME, KINDS)
    manifest = tmp_path / "manifest.json"
    nodes = {
        f"model.p.{name}": {
            "resource_type": "model",
            "name": name,
            "alias": name,
            "schema": "marts",
            "config": {"enabled": True, "materialized": "table"},
        }
        for name in ("rates", "rates_view", "nothing", "never_built")
    }
    manifest.write_text(json.dumps({"nodes": nodes}))
    tables, problems = parity.compare(tmp_path, ["marts"], {"marts": KINDS}, 1e-9, 1e-12, manifest)
    assert problems == ["marts.never_built: a model of dbt's manifest, built on neither engine"]
    assert len(tables) == 3


def test_compare_only_needs_an_earlier_run(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="holds no parity build"):
        parity.compare_only(tmp_path)


def test_docs_figures_come_from_the_records(tmp_path: Path) -> None:
    make_work(tmp_path / "work", SAME, KINDS)
    result = parity.compare_only(tmp_path / "work")
    result.builds = {
        "duckdb": parity.Build("duckdb", 0, 75.0, Path("d.log"), "PASS=10 WARN=0 ERROR=0 SKIP=0 TOTAL=10", 1.0, 2.0),
        "spark_thrift": parity.Build("spark_thrift", 0, 630.0, Path("s.log"), "PASS=10 WARN=0 ERROR=0 TOTAL=10", 3, 4),
    }
    result.mode, result.finished_at = "cluster", "2026-12-02T10:00:00+00:00"
    result.cluster = ["master spark://127.0.0.1:7077"]
    records = tmp_path / "records"
    parity.save(result, records / "cluster.json")
    root = tmp_path / "repo"
    (root / "docs").mkdir(parents=True)
    marked = "before\n<!-- {0}:begin -->\nold figures\n<!-- {0}:end -->\nafter\n"
    (root / "docs" / "spark.md").write_text(marked.format("parity-figures"))
    (root / "README.md").write_text(marked.format("parity-summary"))
    changed = parity_docs.update_docs(records, root)
    assert set(changed) == {root / "docs" / "spark.md", root / "README.md"}
    figures = (root / "docs" / "spark.md").read_text()
    assert "old figures" not in figures and figures.startswith("before\n") and figures.endswith("after\n")
    assert "| 1.2 min (75 s) | 10.5 min (630 s) |" in figures
    assert "| `marts.nothing` | table | 0 / 0, EMPTY on both |" in figures
    assert "| `marts.rates_view` | view | 2 / 2, equal |" in figures
    assert "master spark://127.0.0.1:7077" in figures
    readme = (root / "README.md").read_text()
    assert "cluster: 2 of 3 equal (4 rows), 1 EMPTY on both — PARITY OK" in readme
    assert "10.5 min on the local Spark cluster via Thrift" in readme
    assert parity_docs.update_docs(records, root) == []  # a second run changes nothing
