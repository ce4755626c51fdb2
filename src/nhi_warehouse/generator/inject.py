"""Bad rows (one quarantine rule each) and re-delivered duplicates.

Every bad row is a copy of a good row (a *template*) changed so that it breaks exactly one
rule of ``seeds/reference/quarantine_rules.csv`` and gets a natural key no good row has:

* ``cd``/``dd``: SEQ_NO from 9,000,000 up (good claims number from 1 per institution/month);
* ``oo``: ORDER_SEQ_NO from 9,000 up on an existing good claim, so the line is not an orphan;
  ``orphan_order`` lines use SEQ_NO from 9,500,000 (no such claim); ``missing_key`` lines have
  an empty ORDER_SEQ_NO; ``invalid_fee_ym`` lines cannot have a claim, so they are orphans
  too — the quarantine reports the first rule in ``rule_order``;
* ``lab_upload``: UPLOAD_TIME of the template plus a fraction of a second (good uploads are on
  whole seconds);
* ``referral``: REFERRAL_NO ``TX…`` (good ones are ``TR…``); ``hosb``: HOSP_ID ``09…``
  (no region 9); ``unknown_institution`` claims: HOSP_ID ``08…`` (in no hosb row);
  ``unknown_prescriber`` claims: ORIG_HOSP_ID ``07…`` (in no hosb row);
  ``budget``/``pv_announced``: quarters before the span for ``invalid_amount``;
  ``hosp_prospective``/``prospective_region``: quarters before the span, ``08…`` HOSP_IDs
  (``unknown_institution``) or a clinic's HOSP_ID (``not_a_hospital``).

Plausibility rules (``implausible_*``, ``visit_outside_fee_month``, ``late_application``) get
well-formed, internally consistent rows just beyond the default bounds of the dbt vars
``plausible_*`` (docs/plausibility.md): e.g. a claim with 2e9 more drug points and totals to match.

Rows that need an unparseable text (``invalid_date``) cannot be stored in a typed Parquet
column, so they go to a CSV file beside the Parquet files of the same folder
(``late-fix-0.csv``); the other bad rows of a monthly table go to ``late-fix-0.parquet``.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pyarrow as pa

from . import writer as W

BAD_DATES = ["2024-02-30", "2024/13/45", "N/A", "31-12-2024", "20240231", "9999-99-99"]
BAD_TIMES = ["2024-02-30 10:00:00", "2024-13-01 25:61:00", "N/A", "yesterday"]
BAD_FEE_YM = ["202413", "2024AB", "20245", "189912", "2024-1"]
# Plausibility rules (docs/plausibility.md): the injected values lie well beyond the default
# bounds of the dbt vars plausible_* (dbt_project.yml).
HUGE_POINTS = 2_000_000_000  # > plausible_max_claim_points / plausible_max_order_points (10^8)
LONG_DRUG_DAYS = 365  # > plausible_max_drug_days (180)
ANCIENT_BIRTHDAY = int(np.datetime64("1800-03-01", "D").astype(np.int64))  # > plausible_max_age_years (120)
OUTSIDE_MONTH_DAYS = 100  # visit moved back: > plausible_fee_month_slack_days (62) + 31
LATE_APPL_DAYS = 800  # after the fee month's end: > plausible_max_appl_lag_days (760)
TEXT_RULES = {"invalid_date"}
# (rows, is_text) or None when the generator does not know the rule
Bad = tuple[pa.Table, bool] | None


def read_rules(path: Path) -> list[tuple[str, str]]:
    """(table, rule) pairs of the quarantine rules seed, in file order."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    rows.sort(key=lambda r: (r["table_name"], int(r.get("rule_order") or 0)))
    return [(r["table_name"].strip(), r["rule_name"].strip()) for r in rows]


def bad_count(bad_share: float, rows: int) -> int:
    if bad_share <= 0:
        return 0
    return max(1, round(bad_share * rows))


def allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Split ``total`` over cells proportionally to ``weights`` (largest remainder)."""
    weights = np.asarray(weights, dtype=float)
    if total <= 0 or weights.sum() <= 0:
        return np.zeros(weights.size, dtype=np.int64)
    raw = total * weights / weights.sum()
    base = np.floor(raw).astype(np.int64)
    rest = total - int(base.sum())
    if rest:
        base[np.argsort(-(raw - base), kind="stable")[:rest]] += 1
    return base


# ------------------------------------------------------------------ table helpers


def _set(t: pa.Table, name: str, values: list | np.ndarray | pa.Array) -> pa.Table:
    typ = t.schema.field(name).type
    if isinstance(values, list):
        values = W.strs(values) if typ == pa.string() else W.arr(np.array(values), typ)
    elif isinstance(values, np.ndarray):
        values = W.arr(values, typ)
    return t.set_column(t.schema.get_field_index(name), name, values)


def _np(t: pa.Table, name: str) -> np.ndarray:
    return W.np_of(t[name]).astype(np.int64)


def _list(t: pa.Table, name: str) -> list:
    return t[name].to_pylist()


def _null(t: pa.Table, name: str) -> pa.Table:
    return _set(t, name, pa.nulls(t.num_rows, t.schema.field(name).type))


def _cycle(values: list[str], k: int) -> list[str]:
    return [values[j % len(values)] for j in range(k)]


def _alternate(t: pa.Table, even_col: str, even_val: str | None, odd_col: str, odd_val: str | None) -> pa.Table:
    """Even rows get ``even_col = even_val``, odd rows ``odd_col = odd_val`` (None = empty)."""
    a, b = _list(t, even_col), _list(t, odd_col)
    for j in range(t.num_rows):
        if j % 2 == 0:
            a[j] = even_val
        else:
            b[j] = odd_val
    return _set(_set(t, even_col, a), odd_col, b)


def text_table(t: pa.Table) -> pa.Table:
    """All columns as text, formatted like the CSV files."""
    cols = []
    for col in t.columns:
        col = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
        if pa.types.is_timestamp(col.type):
            us = W.np_of(col)[W.valid_of(col)]
            if np.all(us % 1_000_000 == 0):
                col = col.cast(pa.timestamp("s"), safe=False)
        cols.append(col.cast(pa.string()))
    return pa.Table.from_arrays(cols, names=t.column_names)


def _text_set(t: pa.Table, name: str, values: list[str]) -> pa.Table:
    return _set(t, name, _cycle(values, t.num_rows))


# ------------------------------------------------------------------ per-rule changes


def _next_month_start(fee_ym: list[str]) -> np.ndarray:
    """Days since 1970-01-01 of the first day after each FEE_YM month."""
    months = np.array([f"{ym[:4]}-{ym[4:6]}" for ym in fee_ym], dtype="datetime64[M]")
    return (months + 1).astype("datetime64[D]").astype(np.int64)


def _plausibility_rule(table: str, rule: str, t: pa.Table, parts: list[str]) -> Bad:
    """cd and dd: a well-formed claim outside one plausibility bound, everything else consistent."""
    k = t.num_rows
    j = np.arange(k)
    visit = "FUNC_DATE" if table == "cd" else "IN_DATE"
    if rule == "implausible_points":  # huge but consistent: totals carry the extra points
        extra = HUGE_POINTS + j
        for c in (parts[0], "T_DOT", "T_APPL_DOT"):
            t = _set(t, c, _np(t, c) + extra)
        return t, False
    if rule == "implausible_drug_days" and table == "cd":
        return _set(t, "DRUG_DAY", (LONG_DRUG_DAYS + j % 100).astype(np.int32)), False
    if rule == "implausible_age":  # born in 1800, or (odd rows) born after the visit / admission
        born_after = _np(t, visit) + 1 + j % 5
        return _set(t, "ID_BIRTHDAY", np.where(j % 2 == 0, ANCIENT_BIRTHDAY, born_after)), False
    if rule == "visit_outside_fee_month":  # the stay / visit (and the birthday) months earlier
        shift = OUTSIDE_MONTH_DAYS + j % 30
        cols = ["FUNC_DATE", "ID_BIRTHDAY"] if table == "cd" else ["IN_DATE", "OUT_DATE", "ID_BIRTHDAY"]
        for c in cols:
            t = _set(t, c, _np(t, c) - shift)
        return t, False
    if rule == "late_application":
        return _set(t, "APPL_DATE", _next_month_start(_list(t, "FEE_YM")) + LATE_APPL_DAYS + j % 100), False
    return None


def _claim_rule(table: str, rule: str, t: pa.Table, seq0: int) -> Bad:
    """cd and dd. Returns (table, is_text)."""
    k = t.num_rows
    t = _set(t, "SEQ_NO", np.arange(seq0, seq0 + k, dtype=np.int32))
    parts = ["DRUG_DOT", "DIAG_DOT", "TREAT_DOT", "DSVC_DOT"] if table == "cd" else [
        "DRUG_DOT", "DSVC_DOT", "OTHER_DOT"]  # fmt: skip
    if rule == "missing_key":
        return _alternate(t, "ID", None, "HOSP_ID", None), False
    if rule == "invalid_fee_ym":
        return _set(t, "FEE_YM", _cycle(BAD_FEE_YM, k)), False
    if rule == "invalid_code":
        return _alternate(t, "APPL_TYPE", "3", "ID_SEX", "X"), False
    if rule == "invalid_date":
        date_cols = ["APPL_DATE", "FUNC_DATE", "ID_BIRTHDAY"] if table == "cd" else [
            "APPL_DATE", "IN_DATE", "OUT_DATE", "ID_BIRTHDAY"]  # fmt: skip
        tt = text_table(t)
        cols = {c: _list(tt, c) for c in date_cols}
        for j in range(k):
            cols[date_cols[j % len(date_cols)]][j] = BAD_DATES[j % len(BAD_DATES)]
        for c in date_cols:
            tt = _set(tt, c, cols[c])
        return tt, True
    pts = {c: _np(t, c) for c in [*parts, "T_DOT", "PART_AMT", "T_APPL_DOT"]}
    if rule == "invalid_points":
        victim = "TREAT_DOT" if table == "cd" else "DSVC_DOT"
        pts[victim] = -(np.abs(pts[victim]) + 10)
        pts["T_DOT"] = sum(pts[c] for c in parts)
        pts["T_APPL_DOT"] = pts["T_DOT"] - pts["PART_AMT"]
        for c in [*parts, "T_DOT", "T_APPL_DOT"]:
            t = _set(t, c, pts[c])
        return t, False
    if rule == "t_dot_mismatch":
        t = _set(t, "T_DOT", pts["T_DOT"] + 1)
        return _set(t, "T_APPL_DOT", pts["T_APPL_DOT"] + 1), False
    if rule == "appl_dot_mismatch":
        return _set(t, "T_APPL_DOT", pts["T_APPL_DOT"] + 1), False
    if rule == "appl_before_visit":
        func = _np(t, "FUNC_DATE")
        return _set(t, "APPL_DATE", func - 1 - np.arange(k) % 10), False
    if rule == "unknown_institution":
        return _set(t, "HOSP_ID", [f"08{seq0 - 9_000_000 + j:08d}" for j in range(k)]), False
    if rule == "unknown_prescriber" and table == "cd":
        return _set(t, "ORIG_HOSP_ID", [f"07{seq0 - 9_000_000 + j:08d}" for j in range(k)]), False
    if rule == "dates_out_of_order":
        ind = _np(t, "IN_DATE")
        return _set(t, "OUT_DATE", ind - 1 - np.arange(k) % 5), False
    return _plausibility_rule(table, rule, t, parts)


def _oo_rule(rule: str, t: pa.Table, n0: int) -> Bad:
    k = t.num_rows
    if rule == "orphan_order":
        t = _set(t, "SEQ_NO", np.arange(9_500_000 + n0, 9_500_000 + n0 + k, dtype=np.int32))
        return _set(t, "ORDER_SEQ_NO", np.ones(k, dtype=np.int32)), False
    if rule == "missing_key":
        return _null(t, "ORDER_SEQ_NO"), False
    t = _set(t, "ORDER_SEQ_NO", np.arange(9000 + n0, 9000 + n0 + k, dtype=np.int32))
    if rule == "invalid_fee_ym":
        return _set(t, "FEE_YM", _cycle(BAD_FEE_YM, k)), False
    if rule == "invalid_code":
        return _alternate(t, "ORDER_TYPE", "X", "ORDER_CODE", None), False
    if rule == "invalid_date":
        tt = text_table(t)
        appl, exe = _list(tt, "APPL_DATE"), _list(tt, "EXE_S_DATE")
        for j in range(k):
            if j % 2 == 0:
                appl[j] = BAD_DATES[j % len(BAD_DATES)]
            else:
                exe[j] = BAD_TIMES[j % len(BAD_TIMES)]
        return _set(_set(tt, "APPL_DATE", appl), "EXE_S_DATE", exe), True
    if rule == "invalid_points":
        return _set(t, "ORDER_DOT", -(np.abs(_np(t, "ORDER_DOT")) + 1)), False
    if rule == "implausible_points":
        return _set(t, "ORDER_DOT", _np(t, "ORDER_DOT") + HUGE_POINTS + np.arange(k)), False
    if rule == "implausible_quantity":  # a negative quantity (units of 0.01)
        units = W.np_of(t["ORDER_QTY"]).astype(np.int64)
        return _set(t, "ORDER_QTY", W.decimal_array(-(np.abs(units) + 100), 9, 2)), False
    return None


def _lab_rule(rule: str, t: pa.Table, n0: int) -> Bad:
    k = t.num_rows
    up = _np(t, "UPLOAD_TIME")
    t = _set(t, "UPLOAD_TIME", up + 500_000 + (n0 + np.arange(k)) % 400_000)
    if rule == "missing_key":
        return _null(t, "ID"), False
    if rule == "invalid_date":
        return _text_set(text_table(t), "REPORT_TIME", BAD_TIMES), True
    if rule == "invalid_code":
        return _set(t, "CHANNEL", _cycle(["FAX", "EMAIL", "his"], k)), False
    return None


def _referral_rule(rule: str, t: pa.Table, n0: int) -> Bad:
    k = t.num_rows
    t = _set(t, "REFERRAL_NO", [f"TX{n0 + j:016d}" for j in range(k)])
    if rule == "missing_key":
        return _null(t, "RECV_HOSP_ID"), False
    if rule == "invalid_date":
        tt = text_table(t)
        issue, recv = _list(tt, "ISSUE_DATE"), _list(tt, "RECV_DATE")
        for j in range(k):
            if j % 2 == 0 or recv[j] is None:
                issue[j] = BAD_DATES[j % len(BAD_DATES)]
            else:
                recv[j] = BAD_DATES[j % len(BAD_DATES)]
        return _set(_set(tt, "ISSUE_DATE", issue), "RECV_DATE", recv), True
    if rule == "dates_out_of_order":
        issue = _np(t, "ISSUE_DATE")
        t = _set(t, "RECV_DATE", issue - 1 - np.arange(k) % 5)
        return _null(t, "REPLY_DATE"), False
    return None


def _hosb_rule(rule: str, t: pa.Table, n0: int) -> Bad:
    k = t.num_rows
    t = _set(t, "HOSP_ID", [f"09{n0 + j:08d}" for j in range(k)])
    if rule == "missing_key":
        return _null(t, "HOSP_ID"), False
    if rule == "unknown_region":
        return _set(t, "AREA_NO_H", _cycle(["7", "0", "9"], k)), False
    if rule == "invalid_code":
        return _alternate(t, "HOSP_CONT_TYPE", "9", "HOSP_KIND", "0"), False
    if rule == "invalid_date":
        return _text_set(text_table(t), "CONT_S_DATE", ["unknown", "1999-02-30", "N/A"]), True
    return None


def _quarter_before(first_quarter: str, back: int) -> str:
    y, q = int(first_quarter[:4]), int(first_quarter[5])
    n = y * 4 + (q - 1) - back
    return f"{n // 4}Q{n % 4 + 1}"


def _finance_rule(table: str, rule: str, t: pa.Table, n0: int, first_quarter: str) -> Bad:
    k = t.num_rows
    if rule == "missing_key":
        return _null(t, "AREA_NO_H"), False
    if rule == "invalid_code":
        if table == "pv_announced":
            return _alternate(t, "SECTOR", "PHARMACY", "PV_KIND", "GUESS"), False
        return _set(t, "SECTOR", _cycle(["PHARMACY", "DIALYSIS", "wm_primary"], k)), False
    if rule == "unknown_region":
        return _set(t, "AREA_NO_H", _cycle(["7", "0", "9"], k)), False
    if rule == "invalid_quarter":
        return _set(t, "FEE_QUARTER", _cycle(["2024Q5", "2024-2", "113Q1", "2024Q0"], k)), False
    if rule == "invalid_amount":
        t = _set(t, "FEE_QUARTER", [_quarter_before(first_quarter, 1 + n0 + j) for j in range(k)])
        if table == "budget":
            amt = _np(t, "BUDGET_AMT")
            return _set(t, "BUDGET_AMT", W.decimal_array(-(np.abs(amt) + 100), 18, 2)), False
        zero = W.decimal_array(np.where(np.arange(k) % 2 == 0, 0, -5000), 8, 4)
        return _set(t, "FLOAT_PV", zero), False
    return None


def _prospective_rule(table: str, rule: str, t: pa.Table, n0: int, first_quarter: str, clinic_ids: list[str]) -> Bad:
    """hosp_prospective and prospective_region: every bad row gets a key no good row has (a
    quarter before the span, an ``08…`` or clinic HOSP_ID, a region or quarter that is not one)."""
    k = t.num_rows
    before = [_quarter_before(first_quarter, 1 + n0 + j) for j in range(k)]
    if table == "prospective_region":
        if rule == "missing_key":
            return _set(_null(t, "AREA_NO_H"), "FEE_QUARTER", before), False
        if rule == "unknown_region":
            return _set(_set(t, "AREA_NO_H", _cycle(["7", "0", "9"], k)), "FEE_QUARTER", before), False
        if rule == "invalid_quarter":
            return _set(t, "FEE_QUARTER", [f"{q[:4]}Q{5 + j % 4}" for j, q in enumerate(before)]), False
        if rule == "invalid_amount":
            amt = _np(t, "DELIVERED_AMT")
            t = _set(t, "FEE_QUARTER", before)
            return _set(t, "DELIVERED_AMT", W.decimal_array(-(np.abs(amt) + 100), 18, 2)), False
        return None
    if rule == "missing_key":
        return _set(_null(t, "HOSP_ID"), "FEE_QUARTER", before), False
    if rule == "invalid_quarter":
        return _set(t, "FEE_QUARTER", [f"{q[:4]}Q{5 + j % 4}" for j, q in enumerate(before)]), False
    if rule == "unknown_institution":
        return _set(t, "HOSP_ID", [f"08{n0 + j:08d}" for j in range(k)]), False
    if rule == "not_a_hospital":
        if not clinic_ids:
            return None
        return _set(t, "HOSP_ID", [clinic_ids[(n0 + j) % len(clinic_ids)] for j in range(k)]), False
    t = _set(t, "FEE_QUARTER", before)
    if rule == "invalid_points":
        return _set(t, "BASE_POINTS", -(np.abs(_np(t, "BASE_POINTS")) + 1)), False
    if rule == "invalid_count":
        return _set(t, "NURSES", -(np.abs(_np(t, "NURSES")) + 1).astype(np.int32)), False
    if rule == "invalid_rate":
        return _set(t, "OPD_SHARE", W.decimal_array(np.full(k, 12_500), 6, 4)), False
    return None


def make_bad_rows(
    table: str, rule: str, templates: pa.Table, counter: int, first_quarter: str, context: dict | None = None
) -> Bad:
    """(rows, is_text) or None if the rule is unknown to the generator."""
    if table in ("cd", "dd"):
        return _claim_rule(table, rule, templates, 9_000_000 + counter)
    if table == "oo":
        return _oo_rule(rule, templates, counter)
    if table == "lab_upload":
        return _lab_rule(rule, templates, counter)
    if table == "referral":
        return _referral_rule(rule, templates, counter)
    if table == "hosb":
        return _hosb_rule(rule, templates, counter)
    if table in ("budget", "pv_announced"):
        return _finance_rule(table, rule, templates, counter, first_quarter)
    if table in ("hosp_prospective", "prospective_region"):
        clinic_ids = (context or {}).get("clinic_ids", [])
        return _prospective_rule(table, rule, templates, counter, first_quarter, clinic_ids)
    return None


def cycle_templates(
    pool: pa.Table, parts: np.ndarray, k: int, rng: np.random.Generator, offset: int
) -> tuple[pa.Table, np.ndarray]:
    """k template rows (and their partitions), cycling through a shuffled pool."""
    idx = (offset + np.arange(k)) % pool.num_rows
    return pool.take(W.arr(idx.astype(np.int64))), parts[idx]


def sample_share(dup_share: float, bad_share: float, n_rules: int) -> float:
    return (dup_share + bad_share * n_rules) * 1.2 + (1e-4 if bad_share > 0 else 0.0)
