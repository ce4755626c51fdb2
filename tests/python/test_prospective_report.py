"""The prospective budget on the demo warehouse: the generator's inputs for 中區 give settled
hospitals in the marts, the meeting report's section shows the marts' figures, and the
one-hospital statement shows that hospital's row (nhi_warehouse.report_prospective)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from conftest import Build
from nhi_warehouse.report import ReportError, render_report, render_statement
from test_report import parse

AREA = "3"  # 中區: the generator writes prospective inputs for its hospitals


@pytest.fixture(scope="module")
def warehouse(demo_build: Build) -> Path:
    assert demo_build.returncode == 0, demo_build.output[-4000:]
    return demo_build.duckdb_path


def settlement(warehouse: Path) -> list[dict]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(
            "select * from marts.prospective_hospital_settlement where area_no_h = ? order by fee_quarter, hosp_id",
            [AREA],
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def test_demo_hospitals_are_settled(demo_build: Build, warehouse: Path) -> None:
    rows = settlement(warehouse)
    generated = demo_build.manifest["prospective"]
    assert len(rows) == generated["hospital_rows"] > 0
    assert {r["fee_quarter"] for r in rows} == set(generated["quarters"])
    assert {r["settlement_status"] for r in rows} <= {"NO_EXCESS", "TIERED"}  # every input complete
    assert all(r["paid_points_fitted"] is not None and r["fitted_pv1"] is not None for r in rows)


def test_report_section_shows_the_marts(warehouse: Path, tmp_path: Path) -> None:
    page = parse(render_report(warehouse, AREA, None, tmp_path).read_text(encoding="utf-8"))
    assert "前瞻式預算管理 Hospital prospective budget" in page.headings
    rows = settlement(warehouse)
    shown = max(r["fee_quarter"] for r in rows)
    for hospital in (r for r in rows if r["fee_quarter"] == shown):
        line = next(row for row in page.rows if row and row[0].endswith(hospital["hosp_id"]))
        assert line[2] == f"{hospital['approved_points']:,}"
        assert line[12] == f"{round(hospital['paid_points_fitted']):,}"
        assert line[14] == f"{float(hospital['avg_pv_fitted']):,.4f}"


def test_statement_shows_one_hospital(warehouse: Path, tmp_path: Path) -> None:
    row = next(r for r in settlement(warehouse) if r["settlement_status"] == "TIERED")
    path = render_statement(warehouse, row["hosp_id"], row["fee_quarter"], tmp_path, AREA)
    assert path.name == f"prospective_{row['hosp_id']}_{row['fee_quarter']}.html"
    page = parse(path.read_text(encoding="utf-8"))
    assert row["hosp_id"] in page.visible_text
    tiers = {r[0]: r for r in page.rows if r and r[0] in ("階1", "階2", "階3", "階4")}
    for tier in (1, 2, 3, 4):
        assert tiers[f"階{tier}"][2] == f"{row[f'tier{tier}_points']:,}"
    paid = next(r for r in page.rows if r and r[0].startswith("虛擬收入"))
    assert paid[2] == f"{round(row['paid_points_fitted']):,}"
    with pytest.raises(ReportError, match="not 5"):
        render_statement(warehouse, row["hosp_id"], None, tmp_path, "5")
    with pytest.raises(ReportError, match="no row"):
        render_statement(warehouse, "0000000000", None, tmp_path, AREA)
