"""The meeting report's utilisation sections (6-9: open-list items, hospital claims overview, 中醫, review
deductions), rendered from the demo warehouse (the session's `demo_build`) and read back with an HTML parser
(no browser needed): the figures shown are the marts', the quarter is the documented one and the 抽審 list
carries no patient or physician key."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from nhi_warehouse.report import render_report
from test_report import AREA, Page, parse

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def warehouse(demo_build) -> Path:
    assert demo_build.returncode == 0, demo_build.output[-4000:]
    return demo_build.duckdb_path


@pytest.fixture(scope="module")
def page(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Page:
    report = render_report(warehouse, AREA, None, tmp_path_factory.mktemp("report"))
    return parse(report.read_text(encoding="utf-8"))


def query(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def shown_quarter(warehouse: Path, mart: str) -> str:
    """The quarter a year-on-year section shows for the default report quarter (the latest in the
    point-value marts): that quarter if complete, else the latest complete one before it."""
    latest = query(
        warehouse,
        "select max(fee_quarter) from (select fee_quarter from marts.point_value_settlement "
        "union select fee_quarter from marts.point_value_forecast)",
    )[0][0]
    found = query(
        warehouse, f"select max(fee_quarter) from marts.{mart} where is_complete and fee_quarter <= ?", [latest]
    )[0][0]
    assert found is not None
    return str(found)


def row_of(page: Page, first: str, length: int) -> list[str]:
    return next(row for row in page.rows if row and row[0] == first and len(row) == length)


def test_open_list_row_of_the_region_matches_the_mart(page: Page, warehouse: Path) -> None:
    quarter = shown_quarter(warehouse, "open_list_usage")
    points, share, rank, growth = query(
        warehouse,
        "select points, share, share_rank, points_growth from marts.open_list_usage "
        "where fee_quarter = ? and area_no_h = ?",
        [quarter, AREA],
    )[0]
    row = row_of(page, "高屏", 8)
    assert row[4:7] == [f"{points:,}", f"{100 * share:.1f} %", f"({rank})"]
    assert row[7] == f"{100 * growth:+.1f} %".replace("-", "−")
    # the execution table of the quarter's fee year: its 'ALL' row and rate
    executed, rate = query(
        warehouse,
        "select executed_points, execution_rate from marts.open_list_execution "
        "where cohort_roc_year = 'ALL' and fee_year = ?",
        [int(quarter[:4])],
    )[0]
    total = row_of(page, "合計 all cohorts", 6)
    assert total[3] == f"{executed:,}"
    assert total[5] == f"{100 * rate:.2f} %"


def test_hospital_total_row_matches_the_mart(page: Page, warehouse: Path) -> None:
    quarter = shown_quarter(warehouse, "hospital_claims_overview")
    rows = dict(
        query(
            warehouse,
            "select setting, points from marts.hospital_claims_overview "
            "where fee_quarter = ? and area_no_h = ? and hospital_level = 'ALL'",
            [quarter, AREA],
        )
    )
    total = row_of(page, "總計", 12)
    assert total[5:8] == [f"{rows['INPATIENT']:,}", f"{rows['OUTPATIENT']:,}", f"{rows['ALL']:,}"]
    assert total[7] == f"{rows['INPATIENT'] + rows['OUTPATIENT']:,}"


def test_tcm_visits_row_of_the_region_matches_the_mart(page: Page, warehouse: Path) -> None:
    quarter = shown_quarter(warehouse, "tcm_fee_item_points")
    value, previous = query(
        warehouse,
        "select visits_per_patient, previous_visits_per_patient from marts.tcm_visits_per_patient "
        "where period_kind = 'QUARTER' and fee_period = ? and area_no_h = ?",
        [quarter, AREA],
    )[0]
    row = row_of(page, "高屏", 7)
    assert row[4:6] == [f"{value:,.2f}", f"{previous:,.2f}"]


def test_tcm_review_list_is_institutions_only(page: Page, warehouse: Path) -> None:
    described = query(warehouse, "select column_name from (describe marts.tcm_high_visit_institutions)")
    columns = {name for (name,) in described}
    assert not {c for c in columns if "patient_key" in c or "physician" in c}
    quarter = shown_quarter(warehouse, "tcm_fee_item_points")
    listed = query(
        warehouse,
        "select hosp_id from marts.tcm_high_visit_institutions where fee_quarter = ? and area_no_h = ?",
        [quarter, AREA],
    )
    assert listed, "the demo has at least the region's top institution at or above its PR95"
    for (hosp_id,) in listed:
        assert any(hosp_id in row for row in page.rows)
    # no pseudonymised key (20 hex characters) anywhere on the page
    assert not re.search(r"(?<![0-9a-f])[0-9a-f]{20}(?![0-9a-f])", page.visible_text)


def test_deduction_series_of_the_region_matches_the_mart(page: Page, warehouse: Path) -> None:
    series = query(
        warehouse,
        "select fee_quarter, deduction_rate_any_stage, deduction_rate_any_stage_rank from marts.review_deduction_rate "
        "where sector = 'WM_PRIMARY' and area_no_h = ? order by fee_quarter desc limit 8",
        [AREA],
    )
    row = row_of(page, "西醫基層 高屏", 9)
    expected = [f"{100 * rate:.3f} % ({rank})" for _, rate, rank in reversed(series)]
    assert row[1:] == expected
    assert "初核/複核未分" in page.visible_text


def test_first_quarter_says_there_is_no_year_earlier(warehouse: Path, tmp_path: Path) -> None:
    first = query(warehouse, "select min(fee_quarter) from marts.point_value_settlement")[0][0]
    text = parse(render_report(warehouse, AREA, str(first), tmp_path).read_text(encoding="utf-8")).visible_text
    assert text.count("The extract does not cover the same quarter a year earlier") >= 2
    assert not re.search(r"(?<![A-Za-z])(None|NaN)(?![A-Za-z])", text)
