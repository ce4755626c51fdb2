"""Mart validation (Great Expectations, after `dbt build`) on small warehouses built here: rates
above 1, numerators above denominators, 'ALL' rows that are not the sum of the regions, changed
row counts and identifier-shaped strings are caught; missing marts fail unless optional."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from conftest import ROOT
from nhi_warehouse.quality import exit_codes
from nhi_warehouse.quality.cli import main
from nhi_warehouse.quality.marts import ConfigError, MartOptions, load_config, validate_marts
from nhi_warehouse.quality.paths import MART_CONFIG, QualityPaths

CONFIG = """
marts:
  quarantine_summary:
    key: [table_name, rule_name]
    non_negative: [rejected_rows]
  reply_rate:
    key: [fee_quarter, area_no_h]
    rates: [reply_rate]
    ratios: [{numerator: replied, denominator: referrals}]
    totals: {region_column: area_no_h, group_by: [fee_quarter], columns: [referrals, replied]}
  point_value_settlement:
    optional: true
    point_values: [avg_pv]
"""


def make_warehouse(path: Path, *, bad: bool) -> Path:
    rate, replied = (1.2, 12) if bad else (0.8, 8)
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.quarantine_summary as select * from (values ('cd', 'missing_key', 0), "
            "('oo', 'orphan_order', 3)) t(table_name, rule_name, rejected_rows)"
        )
        con.execute(
            "create table marts.reply_rate as select * from (values "
            f"('2024Q1', '1', 10, {replied}, {rate}), ('2024Q1', '2', 10, 5, 0.5), "
            f"('2024Q1', 'ALL', 20, {replied + 5}, {(replied + 5) / 20})) "
            "t(fee_quarter, area_no_h, referrals, replied, reply_rate)"
        )
        note = "seen by A123456789" if bad else "seen by the clinic"
        con.execute(f"create table marts.visit_notes as select * from (values ('{note}'), ('fine')) t(note)")
    return path


@pytest.fixture
def setup(tmp_path: Path) -> tuple[QualityPaths, Path]:
    config = tmp_path / "marts.yml"
    config.write_text(CONFIG, encoding="utf-8")
    return QualityPaths(quality_dir=tmp_path / "quality", docs_dir=tmp_path / "quality" / "docs"), config


def test_bad_marts_are_caught(setup: tuple[QualityPaths, Path], tmp_path: Path) -> None:
    paths, config = setup
    warehouse = make_warehouse(tmp_path / "bad.duckdb", bad=True)

    outcome = validate_marts(paths, MartOptions(warehouse=warehouse, config=config))

    assert not outcome.success
    lines = [failure.line() for failure in outcome.failures]
    assert any("reply_rate" in line and "expect_column_values_to_be_between(reply_rate" in line and "1.2" in line
               for line in lines), lines  # fmt: skip
    assert any("referrals >= replied" in line and "('2024Q1', '1')" in line for line in lines), lines
    assert any(f.suite == "marts_identifiers" and f.target == "marts.visit_notes" and "note" in f.expectation
               for f in outcome.failures), lines  # fmt: skip
    assert not any("A123456789" in line for line in lines)  # the identifier itself is never printed
    assert any("point_value_settlement" in notice and "optional" in notice for notice in outcome.notices)
    assert not paths.state_path.exists()  # failed runs do not become the baseline


def test_good_marts_pass_and_row_counts_are_compared(setup: tuple[QualityPaths, Path], tmp_path: Path) -> None:
    paths, config = setup
    warehouse = make_warehouse(tmp_path / "good.duckdb", bad=False)
    first = validate_marts(paths, MartOptions(warehouse=warehouse, config=config))
    assert first.success, [f.line() for f in first.failures]
    assert paths.state_path.is_file()

    with duckdb.connect(str(warehouse)) as con:  # the mart doubles: beyond the 25 % tolerance
        con.execute("insert into marts.quarantine_summary values ('dd', 'missing_key', 0), ('hosb', 'missing_key', 0)")
    second = validate_marts(paths, MartOptions(warehouse=warehouse, config=config))
    assert [f.expectation.split("(")[0] for f in second.failures] == ["expect_table_row_count_to_be_between"]
    assert "observed 4" in second.failures[0].observed


def test_totals_must_equal_the_sum_of_regions(setup: tuple[QualityPaths, Path], tmp_path: Path) -> None:
    paths, config = setup
    warehouse = make_warehouse(tmp_path / "w.duckdb", bad=False)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("update marts.reply_rate set referrals = 21 where area_no_h = 'ALL'")
    outcome = validate_marts(paths, MartOptions(warehouse=warehouse, config=config))
    assert [f.suite for f in outcome.failures] == ["mart_reply_rate_totals"]
    assert "referrals__relative_difference" in outcome.failures[0].expectation


def test_missing_mart_fails_unless_optional(setup: tuple[QualityPaths, Path], tmp_path: Path) -> None:
    paths, config = setup
    config.write_text(CONFIG + "  care_plan_coverage:\n    rates: [coverage_rate]\n", encoding="utf-8")
    warehouse = make_warehouse(tmp_path / "w.duckdb", bad=False)
    outcome = validate_marts(paths, MartOptions(warehouse=warehouse, config=config))
    assert [(f.target, f.expectation) for f in outcome.failures] == [("care_plan_coverage", "the mart exists")]


def test_cli_exit_codes(setup: tuple[QualityPaths, Path], tmp_path: Path) -> None:
    paths, config = setup
    warehouse = make_warehouse(tmp_path / "bad.duckdb", bad=True)
    common = ["--config", str(config), "--quality-dir", str(paths.quality_dir)]
    assert main(["marts", "--warehouse", str(warehouse), *common]) == exit_codes.MARTS_FAILED
    assert main(["marts", "--warehouse", str(tmp_path / "none.duckdb"), *common]) == exit_codes.USAGE


def test_committed_config_is_valid() -> None:
    specs = {spec.name: spec for spec in load_config(ROOT / MART_CONFIG)}
    assert specs["quarantine_summary"].key == ("table_name", "rule_name")


def test_config_errors_name_the_entry(tmp_path: Path) -> None:
    config = tmp_path / "marts.yml"
    config.write_text("marts:\n  x:\n    rate: [a]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"marts\.x: unknown key"):
        load_config(config)
