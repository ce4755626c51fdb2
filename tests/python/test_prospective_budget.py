"""The hospital prospective budget (前瞻式預算管理, 002 slides 14-27) from raw rows to the marts.

A hand-made extract reproduces the source's worked example: hospital A's claims give its
indicator growth against the same quarter a year earlier (persons 10,000 → 10,459 = +4.59 %,
visits 20,000 → 21,126 = +5.63 %, visiting physicians 250 → 243 = −2.8 %, inpatients 2,500 →
2,719 = +8.76 %, patient days 10,000 → 10,933 = +9.33 %); its hosp_prospective row the staff,
CMI and base; prospective_region the slide-24 budget (255 − 11 − 1.5 against 230 億). The
region's other hospitals claim the rest of 270 億 (Z = 17.39 %). `dbt build` of the two marts and
everything upstream must then give slides 23-27's figures, and the marts must be empty without
the two optional tables.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from conftest import run_dbt

REGION = "3"
HOSPITAL_A, HOSPITAL_B, HOSPITAL_X = "0336020001", "0336030002", "0336010003"
SELECT = ["+prospective_hospital_settlement+", "+prospective_region_summary+"]

CD = ["FEE_YM", "APPL_TYPE", "APPL_DATE", "HOSP_ID", "CASE_TYPE", "SEQ_NO", "ID", "ID_BIRTHDAY", "ID_SEX",
      "FUNC_DATE", "FUNC_TYPE", "PRSN_ID", "ICD_1", "ICD_2", "ICD_3", "PART_CODE", "DRUG_DAY", "DRUG_DOT",
      "DIAG_DOT", "TREAT_DOT", "DSVC_DOT", "T_DOT", "PART_AMT", "T_APPL_DOT", "DEDUCT_DOT"]  # fmt: skip
DD = ["FEE_YM", "APPL_TYPE", "APPL_DATE", "HOSP_ID", "CASE_TYPE", "SEQ_NO", "ID", "ID_BIRTHDAY", "ID_SEX",
      "IN_DATE", "OUT_DATE", "ICD_1", "ICD_2", "ICD_3", "ICD_4", "ICD_5", "DRUG_DOT", "DSVC_DOT", "OTHER_DOT",
      "T_DOT", "PART_AMT", "T_APPL_DOT", "DEDUCT_DOT"]  # fmt: skip


def write_csv(path: Path, header: list[str], rows: Iterable[list[object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(["" if value is None else value for value in row] for row in rows)


def outpatient(hosp: str, fee_ym: str, seq: int, patient: str, physician: str, points: int, case: str = "01") -> list:
    visit = f"{fee_ym[:4]}-{fee_ym[4:]}-10"
    return [fee_ym, "1", f"{fee_ym[:4]}-{fee_ym[4:]}-28", hosp, case, seq, patient, "1960-01-01", "F", visit,
            "AA", physician, "I10", None, None, None, 0, 0, points, 0, 0, points, 0, points, 0]  # fmt: skip


def inpatient(hosp: str, fee_ym: str, seq: int, patient: str, days: int, points: int, deducted: int) -> list:
    month = f"{fee_ym[:4]}-{fee_ym[4:]}"
    out_date = f"{month}-{1 + days:02d}"
    return [fee_ym, "1", f"{month}-28", hosp, "1", seq, patient, "1950-01-01", "M", f"{month}-01",
            out_date, "I63", None, None, None, None, 0, 0, points, points, 0, points, deducted]  # fmt: skip


def claims() -> tuple[list[list], list[list]]:
    cd: list[list] = []
    dd: list[list] = []
    # Hospital A, base quarter 2024Q1: 20,000 visits of 10,000 persons by 250 physicians; 2,500
    # inpatients of 4 days each.
    for i in range(20_000):
        cd.append(outpatient(HOSPITAL_A, "202402", i + 1, f"PB{i % 10_000:05d}", f"DB{i % 250:03d}", 2_900))
    for i in range(2_500):
        dd.append(inpatient(HOSPITAL_A, "202402", i + 1, f"QB{i:05d}", 4, 25_000, 0))
    # Hospital A, 2025Q1: 21,126 visits of 10,459 persons by 243 physicians at 3,000 points
    # (63,378,000) and one special-budget claim (case E1, 500,000 points, all of them a listed
    # care-plan fee P1407C paid from the 醫療給付改善方案 專款: outside the general service);
    # 2,719 inpatients, 57 of them 5 days and the rest 4 (10,933 days),
    # 76,122,000 points of which 1,500,000 deducted in review: claimed 1億4,000萬 in all,
    # approved 1億3,800萬.
    for i in range(21_126):
        cd.append(outpatient(HOSPITAL_A, "202502", i + 1, f"PA{i % 10_459:05d}", f"DA{i % 243:03d}", 3_000))
    cd.append(outpatient(HOSPITAL_A, "202502", 30_000, "PA00000", "DA000", 500_000, case="E1"))
    for i in range(2_719):
        points = 28_000 if i < 2_718 else 18_000
        dd.append(inpatient(HOSPITAL_A, "202502", i + 1, f"QA{i:05d}", 5 if i < 57 else 4, points,
                            10_000 if i < 150 else 0))  # fmt: skip
    # Hospital B: 99,000,000 points both years, under its base of 1億 (no excess).
    for fee_ym in ("202402", "202502"):
        for i in range(1_000):
            cd.append(outpatient(HOSPITAL_B, fee_ym, i + 1, f"PC{i % 800:05d}", f"DC{i % 20:03d}", 99_000))
    # Hospital X (no prospective inputs): the rest of the region's 270億 claimed in 2025Q1.
    for i in range(1_000):
        cd.append(outpatient(HOSPITAL_X, "202502", i + 1, f"PX{i:05d}", f"DX{i % 90:03d}", 26_761_500))
    return cd, dd


def write_extract(raw: Path) -> None:
    cd, dd = claims()
    write_csv(raw / "cd" / "cd.csv", CD, cd)
    write_csv(raw / "dd" / "dd.csv", DD, dd)
    write_csv(
        raw / "oo" / "oo.csv",
        [
            "FEE_YM",
            "APPL_TYPE",
            "APPL_DATE",
            "HOSP_ID",
            "CASE_TYPE",
            "SEQ_NO",
            "ORDER_SEQ_NO",
            "ORDER_TYPE",
            "ORDER_CODE",
            "ORDER_QTY",
            "ORDER_DOT",
            "EXE_S_DATE",
        ],
        # the special-budget claim's one order line: a listed care-plan code (special_budget_rules SB10)
        [["202502", "1", "2025-02-28", HOSPITAL_A, "E1", 30_000, 1, "2", "P1407C", 1, 500_000, "2025-02-10"]],
    )
    write_csv(
        raw / "hosb" / "hosb.csv",
        ["HOSP_ID", "HOSP_NAME", "HOSP_CONT_TYPE", "HOSP_KIND", "AREA_NO_H", "COUNTY", "CONT_S_DATE", "CONT_E_DATE"],
        [
            [HOSPITAL_A, "A醫院", "2", "1", REGION, "臺中市", "2000-01-01", None],
            [HOSPITAL_B, "B醫院", "3", "1", REGION, "臺中市", "2000-01-01", None],
            [HOSPITAL_X, "X醫院", "1", "1", REGION, "臺中市", "2000-01-01", None],
        ],
    )
    write_csv(
        raw / "budget" / "budget.csv",
        ["SECTOR", "FEE_QUARTER", "AREA_NO_H", "BUDGET_AMT"],
        [["HOSPITAL", "2024Q1", REGION, "23000000000.00"], ["HOSPITAL", "2025Q1", REGION, "25500000000.00"]],
    )
    write_csv(
        raw / "hosp_prospective" / "hosp_prospective.csv",
        [
            "HOSP_ID",
            "FEE_QUARTER",
            "BASE_POINTS",
            "OPD_SHARE",
            "REG_PHYSICIANS_BASE",
            "REG_PHYSICIANS",
            "NURSES_BASE",
            "NURSES",
            "OPD_CMI_BASE",
            "OPD_CMI",
            "IPD_CMI_BASE",
            "IPD_CMI",
            "FEE_ADJ_RATE",
            "PROTECTED_POINTS",
        ],
        [
            [
                HOSPITAL_A,
                "2025Q1",
                120_000_000,
                "0.48",
                1250,
                1297,
                10000,
                9761,
                "1.0000",
                "0.9960",
                "1.0000",
                "0.9921",
                "0",
                1_500_000,
            ],
            [HOSPITAL_B, "2025Q1", 100_000_000, "1", 20, 20, 50, 50, "1", "1", "1", "1", "0", 1_000_000],
        ],
    )
    write_csv(
        raw / "prospective_region" / "prospective_region.csv",
        [
            "AREA_NO_H",
            "FEE_QUARTER",
            "BUDGET_AMT",
            "DELIVERED_AMT",
            "PRIOR_PAID_AMT",
            "EXCLUDED_AMT",
            "BASE_INCOME_AMT",
        ],
        [[REGION, "2025Q1", "25500000000", "1100000000", "0", "150000000", "23000000000"]],
    )


# A hand-written fixture, not the generator's synthetic extract: the build insists on a key.
TEST_KEY = {"NHI_ID_KEY": "test-key-for-the-prospective-worked-example-0123456789"}


@pytest.fixture(scope="module")
def worked_example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    work = tmp_path_factory.mktemp("prospective")
    raw = work / "raw"
    write_extract(raw)
    warehouse = work / "warehouse.duckdb"
    # unit tests run in every full build; here the models and their data tests on the fixture
    build = ["build", "--select", *SELECT, "--exclude", "test_type:unit", "--indirect-selection", "cautious"]
    result = run_dbt(build, raw, warehouse, work, TEST_KEY)
    assert result.returncode == 0, result.stdout[-5000:]
    return raw, warehouse, work


def rows(warehouse: Path, sql: str) -> list[dict]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(sql)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def test_hospital_a_settles_as_the_worked_example(worked_example: tuple[Path, Path, Path]) -> None:
    _, warehouse, _ = worked_example
    (a,) = rows(warehouse, f"select * from marts.prospective_hospital_settlement where hosp_id = '{HOSPITAL_A}'")
    expected = {
        "opd_persons_growth": "0.0459", "opd_visits_growth": "0.0563", "visiting_physicians_growth": "-0.028",
        "reg_physicians_growth": "0.0376", "opd_cmi_growth": "-0.004", "ipd_persons_growth": "0.0876",
        "patient_days_growth": "0.0933", "nurses_growth": "-0.0239", "ipd_cmi_growth": "-0.0079",
        "opd_indicator_growth": "0.037585", "ipd_indicator_growth": "0.06082", "combined_growth": "0.0496672",
        "weighted_growth": "0.0931072", "y_growth": "0.0543", "staff_growth": "0.0137", "w_growth": "0.0388072",
        "tier1_increment": "0.004", "tier1_rate": "0.0583", "tier2_width": "0.03", "tier3_width": "0.03",
    }  # fmt: skip
    assert {k: a[k] for k in expected} == {k: Decimal(v) for k, v in expected.items()}
    assert (a["claimed_points"], a["special_budget_points"], a["deducted_points"], a["approved_points"]) == (
        139_500_000, 500_000, 1_500_000, 138_000_000,
    )  # fmt: skip
    assert (a["base_points_adjusted"], a["protected_points"], a["excess_points"]) == (
        120_000_000,
        1_500_000,
        16_500_000,
    )
    tiers = (a["tier1_points"], a["tier2_points"], a["tier3_points"], a["tier4_points"])
    assert tiers == (6_996_000, 3_600_000, 3_600_000, 2_304_000)  # 699.6萬 / 360萬 / 360萬 / 230.4萬
    assert a["settlement_status"] == "TIERED" and a["highest_tier"] == 4 and a["size_class"] == "LT_4E"
    assert a["paid_points_default"] == Decimal("129447000.00")  # 1億2,944.7萬
    assert a["recovered_points_default"] == Decimal("8553000.00")  # 855.3萬
    assert a["income_change_points_default"] == Decimal("9447000.00")  # 944.7萬
    assert a["pv_band_default"] == "B090_094"
    # the region has 242.5億 for 2.19億 of bases: the fit raises every tier to 1, 階4 stays unpaid
    assert (a["fitted_pv1"], a["fitted_pv2"], a["fitted_pv3"]) == (Decimal("1"), Decimal("1"), Decimal("1"))
    assert a["paid_points_fitted"] == Decimal("135696000.00")
    assert a["recovered_points_fitted"] == Decimal("2304000.00")


def test_hospital_without_excess_is_paid_as_claimed(worked_example: tuple[Path, Path, Path]) -> None:
    _, warehouse, _ = worked_example
    (b,) = rows(warehouse, f"select * from marts.prospective_hospital_settlement where hosp_id = '{HOSPITAL_B}'")
    assert b["settlement_status"] == "NO_EXCESS" and b["excess_points"] == 0 and b["highest_tier"] == 0
    assert b["approved_points"] == 99_000_000
    assert b["paid_points_default"] == b["paid_points_fitted"] == Decimal("99000000.00")
    assert b["recovered_points_fitted"] == 0 and b["avg_pv_fitted"] == 1


def test_region_summary_reproduces_slide_24(worked_example: tuple[Path, Path, Path]) -> None:
    _, warehouse, _ = worked_example
    (region,) = rows(warehouse, "select * from marts.prospective_region_summary")
    assert (region["area_no_h"], region["fee_quarter"], region["roc_quarter"]) == (REGION, "2025Q1", "114Q1")
    assert region["claimed_points"] == 27_000_000_000
    assert region["remaining_budget_amt"] == Decimal("24250000000.00")  # (255 − 11 − 1.5)億
    assert region["y_growth"] == Decimal("0.0543") and region["z_growth"] == Decimal("0.1739")
    assert (region["tier2_width"], region["tier3_width"]) == (Decimal("0.03"), Decimal("0.03"))
    assert (region["hospitals"], region["hospitals_without_inputs"], region["hospitals_no_excess"]) == (2, 1, 1)
    assert region["hospitals_highest_tier_4"] == 1 and region["hospitals_reaching_tier_1"] == 1
    assert (region["fit_direction"], region["fit_step"]) == ("SURPLUS", 30)
    assert region["tier1_points"] == 6_996_000 and region["tier4_points"] == 2_304_000
    assert region["discounted_points_fitted"] == Decimal("2304000.00")


def test_without_the_inputs_the_marts_are_empty(worked_example: tuple[Path, Path, Path]) -> None:
    """The two tables are optional: absent, the prospective models build empty and nothing
    upstream changes."""
    raw, built, work = worked_example
    bare = work / "raw-without"
    shutil.copytree(raw, bare, ignore=shutil.ignore_patterns("hosp_prospective", "prospective_region"))
    warehouse = work / "without.duckdb"
    shutil.copy2(built, warehouse)
    result = run_dbt(
        [
            "run",
            "--select",
            "stg_nhird__hosp_prospective+",
            "stg_nhird__prospective_region+",
            "--exclude",
            "quarantine_summary+",
        ],
        bare,
        warehouse,
        work / "without",
        TEST_KEY,
    )
    assert result.returncode == 0, result.stdout[-5000:]
    assert "raw.hosp_prospective: optional table absent" in result.stdout
    counts = rows(
        warehouse,
        "select (select count(*) from marts.prospective_hospital_settlement) as hospitals, "
        "(select count(*) from marts.prospective_region_summary) as regions, "
        "(select count(*) from intermediate.int_general_service_claims_split) as claims",
    )[0]
    assert counts == {"hospitals": 0, "regions": 0, "claims": 20_000 + 2_500 + 21_127 + 2_719 + 2_000 + 1_000}
