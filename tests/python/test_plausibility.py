"""Plausibility quarantine (issue 18, docs/plausibility.md): a well-formed claim with a huge but
consistent total is quarantined under `implausible_points` instead of failing the build; claims
right at the bound are kept and computed without a cast error, and the point value they push out
of its published decimal(8,4) is null with a reason."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from conftest import ROOT, generate_extract, run_dbt

HUGE_SEQ_NO = 8_888_888
AT_BOUND_SEQ_NO = 8_888_889  # the first of AT_BOUND_CLAIMS consecutive SEQ_NOs
# Enough claims of bound (10^8) drug points, non-floating, in one sector, region and month to push
# that quarter's floating point value (B - NF) / F below -10,000, outside decimal(8,4).
AT_BOUND_CLAIMS = 40


def _with_points(row: dict, extra: int, seq_no: int) -> dict:
    """The claim with `extra` drug points and its totals to match (still consistent)."""
    return {
        **row,
        "SEQ_NO": seq_no,
        "DRUG_DOT": row["DRUG_DOT"] + extra,
        "T_DOT": row["T_DOT"] + extra,
        "T_APPL_DOT": row["T_APPL_DOT"] + extra,
    }


def add_outlier_claims(raw_root: Path, bound: int) -> dict:
    """Write, beside a month's claims, one claim with 10^15 more drug points and AT_BOUND_CLAIMS
    whose T_DOT is exactly the bound (copies of a good claim); return the good claim."""
    part = sorted(raw_root.glob("cd/fee_ym=*/part-0.parquet"))[len(list(raw_root.glob("cd/fee_ym=*"))) // 2]
    good = pq.read_table(part)
    template = good.slice(0, 1).to_pylist()[0]
    rows = [
        _with_points(template, 10**15, HUGE_SEQ_NO),
        *(_with_points(template, bound - template["T_DOT"], AT_BOUND_SEQ_NO + i) for i in range(AT_BOUND_CLAIMS)),
    ]
    pq.write_table(pa.Table.from_pylist(rows, schema=good.schema), part.with_name("outlier-0.parquet"))
    return template


@pytest.mark.slow
def test_huge_consistent_claim_builds_and_is_quarantined(tmp_path: Path) -> None:
    bound = yaml.safe_load((ROOT / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]["plausible_max_claim_points"]
    raw_root = tmp_path / "raw"
    generate_extract(raw_root, "--size", "tiny")
    claim = add_outlier_claims(raw_root, bound)
    key = "|".join(str(claim[c]) for c in ("HOSP_ID", "FEE_YM", "APPL_TYPE", "CASE_TYPE"))
    warehouse = tmp_path / "warehouse.duckdb"

    result = run_dbt(["build"], raw_root, warehouse, tmp_path)

    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-5000:]
    assert "ERROR=0 " in output and "SKIP=0 " in output, output[-3000:]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rejected = con.execute(
            "select rule_name, source_file from staging.stg_nhird__cd_rejected where natural_key = ?",
            [f"{key}|{HUGE_SEQ_NO}"],
        ).fetchall()
        kept = con.execute(
            "select t_dot, count(*) from staging.stg_nhird__cd "
            "where concat_ws('|', hosp_id, fee_ym, appl_type, case_type) = ? and seq_no between ? and ? "
            "group by t_dot",
            [key, AT_BOUND_SEQ_NO, AT_BOUND_SEQ_NO + AT_BOUND_CLAIMS - 1],
        ).fetchall()
        out_of_range = con.execute(
            "select count(*) from marts.point_value_settlement "
            "where float_pv < -10000 and float_pv_rounded is null and rounded_null_reason = 'OUT_OF_DECIMAL_RANGE'"
        ).fetchone()[0]
        unexplained = con.execute(
            "select count(*) from marts.point_value_settlement "
            "where ((float_pv is not null and float_pv_rounded is null) "
            "or (avg_pv is not null and avg_pv_rounded is null)) != (rounded_null_reason is not null)"
        ).fetchone()[0]
    assert [rule for rule, _ in rejected] == ["implausible_points"], rejected
    assert rejected[0][1].endswith("outlier-0.parquet")
    assert kept == [(bound, AT_BOUND_CLAIMS)]
    assert out_of_range >= 1  # the at-bound claims' quarter: null with a reason, not a failed build
    assert unexplained == 0
