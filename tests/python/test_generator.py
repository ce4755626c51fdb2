"""Tests of the synthetic extract generator (tiny sizes, a few seconds)."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

from nhi_warehouse.generator import GeneratorConfig, generate
from nhi_warehouse.generator.ids import is_valid_national_id

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "models/staging/nhird/_nhird__sources.yml"
RULES = ROOT / "seeds/reference/quarantine_rules.csv"
VARS = yaml.safe_load((ROOT / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]
MONTHLY = ("cd", "oo", "dd", "lab_upload", "referral")
SINGLE = ("hosb", "budget", "pv_announced", "hosp_prospective", "prospective_region")


def contract() -> dict[str, dict]:
    tables = yaml.safe_load(SOURCES.read_text(encoding="utf-8"))["sources"][0]["tables"]
    return {t["name"]: t for t in tables}


def rules() -> list[tuple[str, str]]:
    with open(RULES, newline="", encoding="utf-8") as f:
        return [(r["table_name"], r["rule_name"]) for r in csv.DictReader(f)]


def duck_type(contract_type: str) -> str:
    t = contract_type.strip().upper().replace(" ", "")
    return {"INT": "INTEGER", "INT32": "INTEGER", "INT64": "BIGINT", "STRING": "VARCHAR", "TEXT": "VARCHAR"}.get(t, t)


def parquet(root: Path, table: str, which: str = "good") -> str:
    """SQL relation over a table's Parquet files: good rows, bad rows or duplicates."""
    pattern = {"good": "part-0", "bad": "late-fix-0", "dup": "rerun-0"}[which]
    if table in SINGLE:
        return f"read_parquet('{root}/{table}/{table}.parquet', hive_partitioning=false)"
    return f"read_parquet('{root}/{table}/*/{pattern}.parquet', hive_partitioning=false)"


@pytest.fixture(scope="module")
def extract(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("raw")
    manifest = generate(GeneratorConfig(out=out, size="tiny", seed=7, bad_share=0.002))
    return out, manifest


def test_contract_tables_columns_and_types(extract):
    root, _ = extract
    for name, spec in contract().items():
        got = duckdb.sql(f"describe select * from {parquet(root, name)}").fetchall()
        expected = [(c["name"], duck_type(c["data_type"])) for c in spec["columns"]]
        assert [(c[0], c[1]) for c in got] == expected, name


def test_leading_zeros_and_partition_columns(extract):
    root, _ = extract
    hosp = duckdb.sql(f"select min(HOSP_ID), max(length(HOSP_ID)) from {parquet(root, 'hosb')}").fetchall()[0]
    assert hosp[0].startswith("01") and hosp[1] == 10
    fee = duckdb.sql(
        f"select count(*) from read_parquet('{root}/cd/*/part-0.parquet', hive_partitioning=false, filename=true) "
        "where filename not like '%fee_ym=' || FEE_YM || '%'"
    ).fetchall()[0][0]
    assert fee == 0  # FEE_YM is a real column and agrees with the folder


def test_manifest_covers_every_quarantine_rule(extract):
    root, manifest = extract
    on_disk = json.loads((root / "_manifest.json").read_text(encoding="utf-8"))
    assert on_disk["rows"] == manifest["rows"]
    for table, rule in rules():
        n = manifest["injected"][table][rule]
        assert n == max(1, round(0.002 * manifest["rows"][table])), (table, rule)
    assert not manifest["unsupported_rules"]


def test_injected_rows_are_in_the_files(extract):
    root, manifest = extract
    for table in MONTHLY:
        n_parquet = duckdb.sql(f"select count(*) from {parquet(root, table, 'bad')}").fetchall()[0][0]
        n_csv = duckdb.sql(f"select count(*) from {csv_rel(root / table / '*' / 'late-fix-0.csv')}").fetchall()[0][0]
        assert n_parquet + n_csv == sum(manifest["injected"][table].values()), table
    for table in SINGLE:
        n = duckdb.sql(f"select count(*) from {parquet(root, table)}").fetchall()[0][0]
        text = root / table / "late-fix-0.csv"
        n_text = len(text.read_text(encoding="utf-8").splitlines()) - 1 if text.exists() else 0
        assert n + n_text == manifest["rows"][table] + sum(manifest["injected"][table].values()), table


def csv_rel(pattern: Path) -> str:
    """CSV files read as text; folder names like fee_ym=... must not become columns."""
    return f"read_csv('{pattern}', all_varchar=true, header=true, hive_partitioning=false)"


def _all_rows(root: Path, table: str) -> str:
    """Every row of a table (Parquet and CSV files) as text, with the file name."""
    cols = ", ".join(f'cast("{c["name"]}" as varchar) as "{c["name"]}"' for c in contract()[table]["columns"])
    parts = [
        f"select {cols}, filename from read_parquet('{root}/{table}/**/*.parquet', hive_partitioning=false, "
        "filename=true, union_by_name=true)"
    ]
    if list(root.glob(f"{table}/**/*.csv")):
        parts.append(
            f"select {cols}, filename from read_csv('{root}/{table}/**/*.csv', all_varchar=true, header=true, "
            "hive_partitioning=false, filename=true, union_by_name=true)"
        )
    return " union all ".join(parts)


def test_bad_rows_break_exactly_one_rule(extract):
    """Re-check every row with the rules of quarantine_rules.csv: good rows break none, bad rows one."""
    root, manifest = extract
    d = lambda c: f"try_cast({c} as date)"  # noqa: E731
    ts = lambda c: f"try_cast({c} as timestamp)"  # noqa: E731
    n = lambda c: f"try_cast({c} as bigint)"  # noqa: E731
    claim_key_null = "HOSP_ID is null or FEE_YM is null or APPL_TYPE is null or CASE_TYPE is null or SEQ_NO is null"
    ym = (
        "(length(FEE_YM) = 6 and try_cast(FEE_YM as int) is not null "
        "and try_cast(substr(FEE_YM, 5, 2) as int) between 1 and 12 "
        "and try_cast(substr(FEE_YM, 1, 4) as int) between 1990 and 2200)"
    )
    bound = {name: VARS[name] for name in VARS if name.startswith("plausible_")}
    # a row with an invalid FEE_YM (e.g. 189912) cannot be judged against its fee month
    month_start = f"(case when {ym} then try_cast(FEE_YM[1:4] || '-' || FEE_YM[5:6] || '-01' as date) end)"
    slack, lag = bound["plausible_fee_month_slack_days"], bound["plausible_max_appl_lag_days"]

    def points_above(columns: list[str], var: str) -> str:
        return " or ".join(f"{n(c)} > {bound[var]}" for c in columns)

    def outside_month(c: str) -> str:
        return f"{d(c)} < {month_start} - {slack} or {d(c)} >= {month_start} + interval 1 month + interval {slack} day"

    def age_above(birth: str, on: str) -> str:
        return (
            f"date_diff('year', {d(birth)}, {d(on)}) - (strftime({d(on)}, '%m%d') < strftime({d(birth)}, '%m%d'))::int "
            f"> {bound['plausible_max_age_years']}"
        )

    late = f"{d('APPL_DATE')} >= {month_start} + interval 1 month + interval {lag} day"
    claim_points = ["DRUG_DOT", "DIAG_DOT", "TREAT_DOT", "DSVC_DOT", "T_DOT", "PART_AMT", "T_APPL_DOT", "DEDUCT_DOT"]
    hosb_ids = (
        f"(select HOSP_ID from {parquet(root, 'hosb')} "
        "where HOSP_ID like '0_________' and AREA_NO_H in ('1','2','3','4','5','6'))"
    )
    checks = {
        "cd": {
            "missing_key": f"{claim_key_null} or ID is null",
            "invalid_fee_ym": f"not {ym}",
            "invalid_code": "APPL_TYPE not in ('1','2') or ID_SEX not in ('M','F')",
            "invalid_date": f"{d('APPL_DATE')} is null or {d('FUNC_DATE')} is null or {d('ID_BIRTHDAY')} is null",
            "invalid_points": " or ".join(
                f"{n(c)} < 0"
                for c in ["DRUG_DOT", "DIAG_DOT", "TREAT_DOT", "DSVC_DOT", "T_DOT", "PART_AMT", "T_APPL_DOT"]
            ),
            "t_dot_mismatch": f"{n('T_DOT')} != {n('DRUG_DOT')} + {n('DIAG_DOT')} + {n('TREAT_DOT')} + {n('DSVC_DOT')}",
            "appl_dot_mismatch": f"{n('T_APPL_DOT')} != {n('T_DOT')} - {n('PART_AMT')}",
            "appl_before_visit": f"{d('APPL_DATE')} < {d('FUNC_DATE')}",
            "implausible_points": points_above(claim_points, "plausible_max_claim_points"),
            "implausible_drug_days": f"{n('DRUG_DAY')} < 0 or {n('DRUG_DAY')} > {bound['plausible_max_drug_days']}",
            "implausible_age": f"{d('ID_BIRTHDAY')} > {d('FUNC_DATE')} or {age_above('ID_BIRTHDAY', 'FUNC_DATE')}",
            "visit_outside_fee_month": outside_month("FUNC_DATE"),
            "late_application": late,
            "unknown_institution": f"HOSP_ID not in {hosb_ids}",
            "unknown_prescriber": f"ORIG_HOSP_ID is not null and ORIG_HOSP_ID not in {hosb_ids}",
        },
        "dd": {
            "missing_key": f"{claim_key_null} or ID is null",
            "invalid_fee_ym": f"not {ym}",
            "invalid_code": "APPL_TYPE not in ('1','2') or ID_SEX not in ('M','F')",
            "invalid_date": " or ".join(f"{d(c)} is null" for c in ["APPL_DATE", "IN_DATE", "OUT_DATE", "ID_BIRTHDAY"]),
            "invalid_points": " or ".join(
                f"{n(c)} < 0" for c in ["DRUG_DOT", "DSVC_DOT", "OTHER_DOT", "T_DOT", "PART_AMT", "T_APPL_DOT"]
            ),
            "t_dot_mismatch": f"{n('T_DOT')} != {n('DRUG_DOT')} + {n('DSVC_DOT')} + {n('OTHER_DOT')}",
            "appl_dot_mismatch": f"{n('T_APPL_DOT')} != {n('T_DOT')} - {n('PART_AMT')}",
            "dates_out_of_order": f"{d('OUT_DATE')} < {d('IN_DATE')}",
            "implausible_points": points_above(
                [c for c in claim_points if c not in ("DIAG_DOT", "TREAT_DOT")] + ["OTHER_DOT"],
                "plausible_max_claim_points",
            ),
            "implausible_age": f"{d('ID_BIRTHDAY')} > {d('IN_DATE')} or {age_above('ID_BIRTHDAY', 'OUT_DATE')}",
            "visit_outside_fee_month": outside_month("OUT_DATE"),
            "late_application": late,
            "unknown_institution": f"HOSP_ID not in {hosb_ids}",
        },
        "oo": {
            "missing_key": f"{claim_key_null} or ORDER_SEQ_NO is null",
            "invalid_fee_ym": f"not {ym}",
            "invalid_code": "ORDER_TYPE not in ('1','2','3','4','G') or ORDER_CODE is null",
            "invalid_date": f"{d('APPL_DATE')} is null or (EXE_S_DATE is not null and {ts('EXE_S_DATE')} is null)",
            "invalid_points": f"{n('ORDER_DOT')} < 0",
            "implausible_points": points_above(["ORDER_DOT"], "plausible_max_order_points"),
            "implausible_quantity": f"try_cast(ORDER_QTY as decimal(9, 2)) < 0 "
            f"or try_cast(ORDER_QTY as decimal(9, 2)) > {bound['plausible_max_order_qty']}",
            "orphan_order": f"not exists (select 1 from {parquet(root, 'cd')} c where c.HOSP_ID = t.HOSP_ID "
            "and c.FEE_YM = t.FEE_YM and c.APPL_TYPE = t.APPL_TYPE and c.CASE_TYPE = t.CASE_TYPE "
            "and cast(c.SEQ_NO as varchar) = t.SEQ_NO)",
        },
        "lab_upload": {
            "missing_key": (
                "HOSP_ID is null or ID is null or FUNC_DATE is null or ORDER_CODE is null or UPLOAD_TIME is null"
            ),
            "invalid_date": f"{d('FUNC_DATE')} is null or {ts('UPLOAD_TIME')} is null or {ts('REPORT_TIME')} is null",
            "invalid_code": "CHANNEL not in ('HIS','IAU','IIX')",
        },
        "referral": {
            "missing_key": "REFERRAL_NO is null or ISSUE_HOSP_ID is null or RECV_HOSP_ID is null or ID is null",
            "invalid_date": f"{d('ISSUE_DATE')} is null or (RECV_DATE is not null and {d('RECV_DATE')} is null) "
            f"or (REPLY_DATE is not null and {d('REPLY_DATE')} is null)",
            "dates_out_of_order": f"{d('RECV_DATE')} < {d('ISSUE_DATE')} or {d('REPLY_DATE')} < {d('ISSUE_DATE')}",
        },
        "hosp_prospective": {
            "missing_key": "HOSP_ID is null or FEE_QUARTER is null",
            "invalid_quarter": "not regexp_full_match(FEE_QUARTER, '[0-9]{4}Q[1-4]')",
            "invalid_points": f"{n('BASE_POINTS')} < 0 or {n('PROTECTED_POINTS')} < 0",
            "invalid_count": " or ".join(
                f"{n(c)} < 0" for c in ["REG_PHYSICIANS_BASE", "REG_PHYSICIANS", "NURSES_BASE", "NURSES"]
            ),
            "invalid_rate": "try_cast(OPD_SHARE as double) not between 0 and 1 or "
            + " or ".join(f"try_cast({c} as double) <= 0" for c in ["OPD_CMI_BASE", "OPD_CMI", "IPD_CMI_BASE"])
            + " or try_cast(IPD_CMI as double) <= 0",
            "unknown_institution": f"HOSP_ID not in {hosb_ids}",
            "not_a_hospital": f"HOSP_ID in (select HOSP_ID from {parquet(root, 'hosb')} "
            "where HOSP_CONT_TYPE not in ('1','2','3'))",
        },
        "prospective_region": {
            "missing_key": "AREA_NO_H is null or FEE_QUARTER is null",
            "unknown_region": "AREA_NO_H not in ('1','2','3','4','5','6')",
            "invalid_quarter": "not regexp_full_match(FEE_QUARTER, '[0-9]{4}Q[1-4]')",
            "invalid_amount": " or ".join(
                f"try_cast({c} as double) < 0" for c in ("BUDGET_AMT", "DELIVERED_AMT", "PRIOR_PAID_AMT")
            )
            + " or try_cast(EXCLUDED_AMT as double) < 0"
            + " or try_cast(BASE_INCOME_AMT as double) <= 0",
        },
        "hosb": {
            "missing_key": "HOSP_ID is null",
            "unknown_region": "AREA_NO_H not in ('1','2','3','4','5','6')",
            "invalid_code": (
                "HOSP_CONT_TYPE not in ('1','2','3','4','5','C') or HOSP_KIND not in ('1','2','3','4','5','6')"
            ),
            "invalid_date": f"{d('CONT_S_DATE')} is null or (CONT_E_DATE is not null and {d('CONT_E_DATE')} is null)",
        },
    }
    for table, rule_sql in checks.items():
        assert set(rule_sql) == {r for t, r in rules() if t == table}, f"rules of {table} changed: update this test"
        names = list(rule_sql)
        flags = ", ".join(f'coalesce(({sql}), false)::int as "{r}"' for r, sql in rule_sql.items())
        first = " ".join(f"when \"{r}\" = 1 then '{r}'" for r in names)
        orphan = '"orphan_order" = 1' if "orphan_order" in names else "false"
        summary = duckdb.sql(
            f"""select filename like '%late-fix%' as in_bad_file, {" + ".join(f'"{r}"' for r in names)} as n_broken,
                       case {first} end as rule, {orphan} as orphan, count(*) as n
                from (select filename, {flags} from ({_all_rows(root, table)}) t) group by all"""
        ).fetchall()
        counts = dict.fromkeys(names, 0)
        for in_bad_file, n_broken, rule, orphan, n in summary:
            if not in_bad_file and not (table in SINGLE and n_broken):
                assert n_broken == 0, (table, rule, n)
                continue
            # an order line without a valid claim key is an orphan as well
            inherent = table == "oo" and orphan and rule in ("missing_key", "invalid_fee_ym")
            assert n_broken == (2 if inherent else 1), (table, rule, n_broken)
            counts[rule] += n
        assert counts == manifest["injected"][table], table


def test_natural_keys_unique_and_apart_from_bad_rows(extract):
    root, _ = extract
    for name, spec in contract().items():
        key = ", ".join(f'"{k}"' for k in spec["meta"]["natural_key"])
        good = parquet(root, name)
        where = "where HOSP_ID like '0_________' and AREA_NO_H in ('1','2','3','4','5','6')" if name == "hosb" else ""
        dup = duckdb.sql(f"select count(*) from (select {key} from {good} {where} group by all having count(*) > 1)")
        assert dup.fetchall()[0][0] == 0, name
        if name in MONTHLY:
            cols = ", ".join(f'cast("{k}" as varchar)' for k in spec["meta"]["natural_key"])
            clash = duckdb.sql(
                f"select count(*) from (select {cols} from {good} intersect "
                f"select {cols} from ({_all_rows(root, name)}) where filename like '%late-fix%')"
            ).fetchall()[0][0]
            assert clash == 0, name


def test_points_arithmetic_on_good_rows(extract):
    root, _ = extract
    cd = parquet(root, "cd")
    bad = duckdb.sql(
        f"""select count(*) filter (where T_DOT != DRUG_DOT + DIAG_DOT + TREAT_DOT + DSVC_DOT),
                   count(*) filter (where T_APPL_DOT != T_DOT - PART_AMT),
                   count(*) filter (where APPL_DATE < FUNC_DATE or least(T_DOT, PART_AMT, T_APPL_DOT) < 0),
                   count(*) from {cd}"""
    ).fetchall()[0]
    assert bad[:3] == (0, 0, 0) and bad[3] > 10_000
    lines = duckdb.sql(
        f"""with s as (select HOSP_ID, FEE_YM, APPL_TYPE, CASE_TYPE, SEQ_NO,
                 sum(ORDER_DOT) filter (where ORDER_TYPE = '1') as drug,
                 sum(ORDER_DOT) filter (where ORDER_TYPE in ('2', '3')) as treat, count(*) as n
               from {parquet(root, "oo")} group by all)
            select count(*) filter (where c.DRUG_DOT != coalesce(drug, 0) or c.TREAT_DOT != coalesce(treat, 0)),
                   avg(coalesce(n, 0)), count(*) filter (where n is null)
            from {cd} c left join s using (HOSP_ID, FEE_YM, APPL_TYPE, CASE_TYPE, SEQ_NO)"""
    ).fetchall()[0]
    # every line belongs to its claim's sums; a few consultation-only claims have no lines
    assert lines[0] == 0 and lines[1] >= 5.0 and lines[2] < 0.05 * bad[3]
    dd = duckdb.sql(
        f"select count(*) filter (where T_DOT != DRUG_DOT + DSVC_DOT + OTHER_DOT or OUT_DATE < IN_DATE) "
        f"from {parquet(root, 'dd')}"
    ).fetchall()[0][0]
    assert dd == 0


def test_pharmacy_claims_carry_their_prescriber(extract):
    """交付: every good pharmacy claim names an active hospital or clinic as ORIG_HOSP_ID, no other claim
    has one, and hospital-prescribed points are a few per cent of the hospitals' own (source 002: 4.2 %)."""
    root, manifest = extract
    hosb, cd = parquet(root, "hosb"), parquet(root, "cd")
    rows = duckdb.sql(
        f"""select h.HOSP_CONT_TYPE, p.HOSP_CONT_TYPE as prescriber_type, count(*) as n,
                  count(*) filter (where c.ORIG_HOSP_ID is not null and p.HOSP_ID is null) as unknown,
                  count(*) filter (where c.CASE_TYPE != '08') as not_refill
           from {cd} c join {hosb} h on c.HOSP_ID = h.HOSP_ID
           left join {hosb} p on c.ORIG_HOSP_ID = p.HOSP_ID
           group by all"""
    ).fetchall()
    assert all(unknown == 0 for *_, unknown, _ in rows)
    assert {(own, by) for own, by, *_ in rows if own != "5"} == {(own, None) for own, by, *_ in rows if own != "5"}
    pharmacy = {by: n for own, by, n, _, not_refill in rows if own == "5" and not not_refill}
    assert set(pharmacy) == {"1", "2", "3", "4"}, pharmacy
    share = manifest["finance"]["delivered_share_of_own_points_by_sector"]
    assert 0.02 < share["HOSPITAL"] < 0.07, share
    assert share["TCM"] == share["DENTAL"] == 0.0


def test_duplicates_are_exact_copies(extract):
    root, manifest = extract
    for table in ("cd", "oo"):
        n = duckdb.sql(f"select count(*) from {parquet(root, table, 'dup')}").fetchall()[0][0]
        missing = duckdb.sql(
            f"select count(*) from (select * from {parquet(root, table, 'dup')} "
            f"except all select * from {parquet(root, table)})"
        ).fetchall()[0][0]
        assert n == manifest["duplicates"][table] == round(0.002 * manifest["rows"][table])
        assert missing == 0


def test_identifiers_are_national_id_shaped(extract):
    root, _ = extract
    ids = duckdb.sql(f"select ID from {parquet(root, 'cd')} union select PRSN_ID from {parquet(root, 'cd')}").fetchall()
    assert ids and all(is_valid_national_id(i[0]) for i in ids)


def test_extract_cut_and_reviews(extract):
    root, manifest = extract
    cd = parquet(root, "cd")
    last, cut = duckdb.sql(
        f"select max(APPL_DATE), count(*) filter (where DEDUCT_DOT is null and APPL_DATE <= date '"
        f"{manifest['extract_date']}' - 61) from {cd}"
    ).fetchall()[0]
    assert str(last) <= manifest["extract_date"] and cut == 0
    assert manifest["rows"]["cd"] < manifest["rows_before_extract_cut"]["cd"]


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.name != "_manifest.json":
            h.update(str(p.relative_to(root)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def test_deterministic(tmp_path):
    cfg = {"size": "tiny", "persons": 300, "months": 13, "start_ym": "202412"}
    a = generate(GeneratorConfig(out=tmp_path / "a", seed=3, workers=1, **cfg))
    b = generate(GeneratorConfig(out=tmp_path / "b", seed=3, workers=2, **cfg))
    generate(GeneratorConfig(out=tmp_path / "c", seed=4, workers=1, **cfg))
    assert a["rows"] == b["rows"] and a["injected"] == b["injected"]
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")


def test_csv_variant(tmp_path):
    out = tmp_path / "csv"
    manifest = generate(GeneratorConfig(out=out, size="tiny", persons=300, months=4, format="csv"))
    assert not list(out.rglob("*.parquet"))
    for name, spec in contract().items():
        files = sorted(out.glob(f"{name}/**/*.csv"))
        assert files, name
        for f in files:
            header = f.read_text(encoding="utf-8").splitlines()[0].replace('"', "").split(",")
            assert header == [c["name"] for c in spec["columns"]], f
    row = duckdb.sql(
        f"select HOSP_ID, FEE_YM, CASE_TYPE from {csv_rel(out / 'cd' / '*' / 'part-0.csv')} limit 1"
    ).fetchall()[0]
    assert row[0].startswith("0") and len(row[1]) == 6 and len(row[2]) == 2
    n = duckdb.sql(f"select count(*) from {csv_rel(out / 'cd' / '*' / 'part-0.csv')}").fetchall()[0]
    assert n[0] == manifest["rows"]["cd"]


def test_cli(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = tmp_path / "cli"
    args = ["--out", str(out), "--size", "tiny", "--persons", "200", "--months", "3", "--quiet"]
    res = subprocess.run(
        [sys.executable, "-m", "nhi_warehouse.generator", *args],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert "cd=" in res.stdout and "claims/s" in res.stdout
    manifest = json.loads((out / "_manifest.json").read_text(encoding="utf-8"))
    assert manifest["generator"]["months"] == 3 and manifest["extract_date"] == "2024-04-20"
    # writing again into its own output replaces it
    again = generate(GeneratorConfig(out=out, size="tiny", persons=200, months=3))
    assert again["rows"] == manifest["rows"]


def test_open_list_items_are_claimed_while_on_the_list(extract):
    """Open-list codes (seed open_list_items) appear on clinic and hospital outpatient claims, only while
    the item is on the list (visit date within its validity), so the open-list marts are not empty."""
    root, _ = extract
    seed = ROOT / "seeds/open_list/open_list_items.csv"
    with duckdb.connect() as con:
        con.execute(f"create view items as select * from read_csv('{seed}', all_varchar = true)")
        lines = con.execute(
            f"""
            select count(*) as lines,
                   count(distinct h.HOSP_CONT_TYPE) as contract_types,
                   sum(case when c.FUNC_DATE < cast(i.valid_from as date)
                            or (i.valid_to <> '' and c.FUNC_DATE > cast(i.valid_to as date)) then 1 else 0 end)
                       as off_list
            from {parquet(root, "oo")} as o
            inner join items as i on o.ORDER_CODE = i.order_code
            inner join {parquet(root, "cd")} as c
                on o.HOSP_ID = c.HOSP_ID and o.FEE_YM = c.FEE_YM and o.APPL_TYPE = c.APPL_TYPE
                and o.CASE_TYPE = c.CASE_TYPE and o.SEQ_NO = c.SEQ_NO
            inner join {parquet(root, "hosb")} as h on o.HOSP_ID = h.HOSP_ID
            """
        ).fetchone()
    assert lines is not None
    n_lines, contract_types, off_list = lines
    assert n_lines > 0
    assert contract_types >= 2  # clinics (4) and hospitals (1-3)
    assert off_list == 0
