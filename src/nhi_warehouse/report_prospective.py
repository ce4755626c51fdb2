"""The hospital prospective budget (前瞻式預算管理) in the meeting report, and the one-hospital
statement an analyst hands to a hospital (`nhi report --area 3 --hospital <HOSP_ID>`).

Everything shown is read from marts.prospective_region_summary and
marts.prospective_hospital_settlement (002 slides 15-16 and 22-27); nothing is computed here
beyond formatting.
"""

from __future__ import annotations

from typing import Any

import duckdb

from nhi_warehouse import report as R

HEADING = "前瞻式預算管理 Hospital prospective budget"
STATUS_ZH = {"NO_EXCESS": "未超出0階 no excess", "TIERED": "分階折付 tiered", "INCOMPLETE": "無法計算 incomplete"}
BANDS = (("hospitals_pv_ge_098", "≥ 0.98"), ("hospitals_pv_095_097", "0.95–0.97"),
         ("hospitals_pv_090_094", "0.90–0.94"), ("hospitals_pv_lt_090", "&lt; 0.90"))  # fmt: skip
OUTPATIENT = (  # (label, weight, base column, current column, growth column): slide 22
    ("門診歸戶人數 outpatient persons", "65 %", "opd_persons_base", "opd_persons", "opd_persons_growth"),
    ("門診人次 visits", "10 %", "opd_visits_base", "opd_visits", "opd_visits_growth"),
    ("執登醫師人數 registered physicians", "20 %", "reg_physicians_base", "reg_physicians", "reg_physicians_growth"),
    ("看診醫師人數 visiting physicians", "5 %", "visiting_physicians_base", "visiting_physicians",
     "visiting_physicians_growth"),
    ("門診CMI", "+", "opd_cmi_base", "opd_cmi", "opd_cmi_growth"),
)  # fmt: skip
INPATIENT = (
    ("住院歸戶人數 inpatient persons", "20 %", "ipd_persons_base", "ipd_persons", "ipd_persons_growth"),
    ("住院人日 patient days", "60 %", "patient_days_base", "patient_days", "patient_days_growth"),
    ("護理人數 nurses", "20 %", "nurses_base", "nurses", "nurses_growth"),
    ("住診CMI", "+", "ipd_cmi_base", "ipd_cmi", "ipd_cmi_growth"),
)


def _row(cells: list[tuple[str, str]], cls: str = "") -> str:
    return f'<tr class="{cls}">' + "".join(R._td(text, c) for text, c in cells) + "</tr>"


def _pv(value: Any) -> str:
    return R.fmt_decimal(value, 2)


def section_prospective(con: duckdb.DuckDBPyConnection, ctx: R.Context) -> R.Section:
    """The region's prospective-budget settlement for the report's quarter (or the latest before)."""
    if not R._table_exists(con, "marts", "prospective_region_summary"):
        missing = ["marts.prospective_region_summary is not in this warehouse (built before issue 16)."]
        return R.Section("prospective", HEADING, R.esc(ctx.region_label), [f'<p class="empty">{R.DASH}</p>'], missing)
    summaries = R._rows(con, "select * from marts.prospective_region_summary where area_no_h = ?", [ctx.area])
    quarter = R._quarter_up_to((r["fee_quarter"] for r in summaries), ctx.quarter)
    if quarter is None:
        return R.Section(
            "prospective", HEADING, R.esc(ctx.region_label), [f'<p class="empty">{R.DASH}</p>'],
            [f"No prospective-budget inputs (hosp_prospective, prospective_region) for the region up to "
             f"{R.esc(ctx.quarter)}: the scheme is settled only where the division delivers them."],
        )  # fmt: skip
    notes = [] if quarter == ctx.quarter else [f"No settlement for {R.esc(ctx.quarter)}: {R.esc(quarter)} is shown."]
    s = next(r for r in summaries if r["fee_quarter"] == quarter)
    hospitals = R._rows(
        con,
        "select * from marts.prospective_hospital_settlement where area_no_h = ? and fee_quarter = ? "
        "order by excess_points desc, hosp_id",
        [ctx.area, quarter],
    )
    region_table = R._table(
        ["A 一般服務申報點數<br><small>claimed</small>", "B 基期收入<br><small>base income</small>",
         "C 預算<br><small>budget</small>", "D 交付", "E 前季核付", "F 剛性+急重症+品質",
         "G = C−D−E−F", "Y 階1上限<br><small>G / B − 1</small>", "Z 整體成長<br><small>A / B − 1</small>",
         "階2 / 階3 級距", "DIFF<br><small>(A+D+E) − C/0.98</small>"],
        [_row([(R.fmt_int(s["claimed_points"]), "num"), (R.fmt_int(s["base_income_amt"]), "num"),
               (R.fmt_int(s["budget_amt"]), "num"), (R.fmt_int(s["delivered_amt"]), "num"),
               (R.fmt_int(s["prior_paid_amt"]), "num"), (R.fmt_int(s["excluded_amt"]), "num"),
               (R.fmt_int(s["remaining_budget_amt"]), "num strong"), (R.fmt_pct(s["y_growth"]), "num strong"),
               (R.fmt_pct(s["z_growth"]), "num"),
               (f"{R.fmt_pct(s['tier2_width'], 1)} / {R.fmt_pct(s['tier3_width'], 1)}", "num"),
               (R.fmt_int(s["diff_points"]), "num")])],
    )  # fmt: skip
    tiers = []
    for tier in (1, 2, 3, 4):
        default = _pv(s[f"default_pv{tier}"]) if tier < 4 else "0.00"
        fitted = _pv(s[f"fitted_pv{tier}"]) if tier < 4 else "0.00"
        tiers.append(_row([
            (f"階{tier}", "label"), (R.fmt_int(s[f"hospitals_reaching_tier_{tier}"]), "num"),
            (R.fmt_int(s[f"hospitals_highest_tier_{tier}"]), "num"), (R.fmt_int(s[f"tier{tier}_points"]), "num"),
            (default, "num"), (fitted, "num strong"),
        ]))  # fmt: skip
    tier_table = R._table(
        ["階 Tier", "超出家數<br><small>reaching</small>", "最高階家數<br><small>highest</small>",
         "點數 Points", "預設點值<br><small>default</small>", "調整後點值<br><small>fitted</small>"],
        [_row([("未超出0階 no excess", "label"), (R.fmt_int(s["hospitals_no_excess"]), "num"), ("", ""),
               ("", ""), ("1.00", "num"), ("1.00", "num")]), *tiers],
    )  # fmt: skip
    totals = R._table(
        ["", "預設點值 default", "調整後 fitted"],
        [_row([("虛擬收入 paid", "label"), (R.fmt_int(s["paid_points_default"]), "num"),
               (R.fmt_int(s["paid_points_fitted"]), "num strong")]),
         _row([("方案折付點數 discounted", "label"), (R.fmt_int(s["discounted_points_default"]), "num"),
               (R.fmt_int(s["discounted_points_fitted"]), "num strong")]),
         _row([("方案折付率 discount rate (÷ A)", "label"), (R.fmt_pct(s["discount_rate_default"]), "num"),
               (R.fmt_pct(s["discount_rate_fitted"]), "num strong")]),
         _row([("階1–3 所需 tier cost", "label"), (R.fmt_int(s["tier_cost_default"]), "num"),
               (R.fmt_int(s["tier_cost_fitted"]), "num")])],
    )  # fmt: skip
    bands = R._table([label for _, label in BANDS], [_row([(R.fmt_int(s[column]), "num") for column, _ in BANDS])])
    body = [
        "<h3>總額折算 Region (slide 15)</h3>", region_table,
        "<h3>分階折付 Tiers and point values (slide 16)</h3>", tier_table, totals,
        "<h3>方案管理後平均點值醫院家數 Hospitals by resulting average point value (fitted)</h3>", bands,
        "<h3>個別醫院 Hospitals</h3>", hospital_table(hospitals),
    ]  # fmt: skip
    if s["fit_direction"]:
        notes.append(
            f"Budget fit (slide 27): {R.esc(s['fit_direction'])}, step {R.esc(s['fit_step'])} — the tiers need "
            f"{R.fmt_int(s['tier_cost_default'])} at 0.75 / 0.5 / 0.25 and the region has "
            f"{R.fmt_int(s['tier_budget'])} left after the bases (G − Σ min(A, B))."
        )
    if s["hospitals_incomplete"]:
        notes.append(f"{s['hospitals_incomplete']} hospital(s) could not be tiered (see the status column): "
                     "no budget fit and no fitted figures until their inputs are complete.")  # fmt: skip
    if s["hospitals_without_inputs"]:
        notes.append(f"{s['hospitals_without_inputs']} hospital(s) of the region have no hosp_prospective row "
                     "and are not settled.")  # fmt: skip
    notes.append(
        "Points; amounts in NT$ (1 point = NT$1 at full value). Y and Z as announced (rounded to 0.01 %). "
        "Per-hospital statement: nhi report --area " + R.esc(ctx.area) + " --hospital &lt;HOSP_ID&gt;. "
        "Definitions: docs/prospective_budget.md."
    )
    subtitle = f"{R.esc(ctx.region_label)} · {R.esc(R.roc_quarter(quarter))} ({R.esc(quarter)})"
    return R.Section("prospective", HEADING, subtitle, body, notes)


def hospital_table(hospitals: list[dict[str, Any]]) -> str:
    rows = [
        _row([
            (f"{h['hosp_name'] or ''} {h['hosp_id']}", "label"), (STATUS_ZH.get(h["settlement_status"], "?"), "label"),
            (R.fmt_int(h["approved_points"]), "num"), (R.fmt_int(h["base_points_adjusted"]), "num"),
            (R.fmt_int(h["protected_points"]), "num"), (R.fmt_int(h["excess_points"]), "num"),
            (R.fmt_pct(h["weighted_growth"]), "num"), (R.fmt_pct(h["tier1_rate"]), "num"),
            *[(R.fmt_int(h[f"tier{t}_points"]), "num") for t in (1, 2, 3, 4)],
            (R.fmt_int(h["paid_points_fitted"]), "num strong"), (R.fmt_int(h["recovered_points_fitted"]), "num"),
            (R.fmt_decimal(h["avg_pv_fitted"], 4), "num"),
        ])
        for h in hospitals
    ]  # fmt: skip
    return R._table(
        ["醫院 Hospital", "狀態 Status", "A 核定", "B 0階", "P 保障", "X 超額", "g 加權成長", "階1上限",
         "階1", "階2", "階3", "階4", "虛擬收入 paid", "追扣 recovered", "平均點值 avg PV"],
        rows,
    )  # fmt: skip


def _indicator_rows(h: dict[str, Any], spec: tuple) -> list[str]:
    rows = []
    for label, weight, base, current, growth in spec:
        is_cmi = "CMI" in label
        show = (lambda v: R.fmt_decimal(v, 4)) if is_cmi else R.fmt_int
        rows.append(_row([(label, "label"), (weight, "num"), (show(h[base]), "num"), (show(h[current]), "num"),
                          (R.fmt_growth(h[growth], 4), "num strong")]))  # fmt: skip
    return rows


def statement_html(
    con: duckdb.DuckDBPyConnection, hosp_id: str, quarter: str | None, area: str | None = None
) -> tuple[str, str]:
    """A one-hospital settlement statement (slides 23-27 layout) and the quarter shown."""
    if not R._table_exists(con, "marts", "prospective_hospital_settlement"):
        raise R.ReportError("marts.prospective_hospital_settlement is not in the warehouse: build it first")
    found = R._rows(
        con, "select * from marts.prospective_hospital_settlement where hosp_id = ? order by fee_quarter", [hosp_id]
    )
    if not found:
        raise R.ReportError(f"hospital {hosp_id} has no row in prospective_hospital_settlement")
    quarters = [r["fee_quarter"] for r in found]
    if quarter is None:
        quarter = max(quarters, key=R._quarter_sort_key)
    elif quarter not in quarters:
        raise R.ReportError(f"hospital {hosp_id} is not settled for {quarter} ({', '.join(quarters)})")
    h = next(r for r in found if r["fee_quarter"] == quarter)
    if area is not None and h["area_no_h"] != area:
        raise R.ReportError(f"hospital {hosp_id} is in region {h['area_no_h']}, not {area}")
    indicators = R._table(
        [
            "指標 Indicator",
            "權重 Weight",
            f"基期 {R.esc(h['base_quarter'])}",
            f"當期 {R.esc(quarter)}",
            "成長率 Growth",
        ],
        _indicator_rows(h, OUTPATIENT) + _indicator_rows(h, INPATIENT),
    )
    growth = R._table(
        ["", "值 Value"],
        [_row([(label, "label"), (value, "num")]) for label, value in (
            ("門診指標成長率 outpatient", R.fmt_growth(h["opd_indicator_growth"], 4)),
            ("住診指標成長率 inpatient", R.fmt_growth(h["ipd_indicator_growth"], 4)),
            (f"門住合計 combined (門診占率 {R.fmt_pct(h['opd_share'])})", R.fmt_growth(h["combined_growth"], 4)),
            ("支付標準及藥價調整率 fee adjustment", R.fmt_growth(h["fee_adj_rate"], 4)),
            ("醫療服務成本及人口因素成長率", R.fmt_growth(h["cost_population_growth"], 4)),
            ("g 指標加權成長率 indicator-weighted", R.fmt_growth(h["weighted_growth"], 4)),
            ("Y 階1上限 (region)", R.fmt_pct(h["y_growth"])),
            ("v 執登醫師+護理成長率", R.fmt_growth(h["staff_growth"], 4)),
            ("w = g − Y", R.fmt_growth(h["w_growth"], 4)),
            (f"階1級距增加值 increment ({R.esc(h['size_class'])})", R.fmt_pct(h["tier1_increment"], 1)),
            ("階1上限 tier-1 rate", R.fmt_pct(h["tier1_rate"])),
        )],
    )  # fmt: skip
    tier_rows = []
    for tier in (1, 2, 3, 4):
        width = R.fmt_pct(h["tier1_rate"]) if tier == 1 else R.fmt_pct(h[f"tier{tier}_width"]) if tier < 4 else ""
        default_pv = ("0.75", "0.50", "0.25", "0.00")[tier - 1]
        fitted_pv = _pv(h[f"fitted_pv{tier}"]) if tier < 4 else "0.00"
        tier_rows.append(_row([(f"階{tier}", "label"), (width, "num"), (R.fmt_int(h[f"tier{tier}_points"]), "num"),
                               (default_pv, "num"), (fitted_pv, "num")]))  # fmt: skip
    tiers = R._table(["階 Tier", "級距 Width (× B)", "點數 Points", "預設點值", "調整後點值"], tier_rows)
    result = R._table(
        ["", "預設點值 default", "調整後 fitted"],
        [_row([(label, "label"), (fmt(h[f"{column}_default"]), "num"), (fmt(h[f"{column}_fitted"]), "num strong")])
         for label, column, fmt in (
             ("虛擬收入 paid (B + P + Σ 階 × 點值)", "paid_points", R.fmt_int),
             ("方案追扣 recovered (A − paid)", "recovered_points", R.fmt_int),
             ("較去年同期 income change (paid − B)", "income_change_points", R.fmt_int),
             ("平均點值 average point value (paid / A)", "avg_pv", lambda v: R.fmt_decimal(v, 4)),
         )],
    )  # fmt: skip
    points = R._table(
        ["申報 claimed", "專款 special", "核減 deducted", "A 核定", "B 0階", "單價監測下修", "B 調整後",
         "P 保障", "X 超額 = A − B − P"],
        [_row([(R.fmt_int(h[c]), "num") for c in (
            "claimed_points", "special_budget_points", "deducted_points", "approved_points", "base_points",
            "unit_price_reduction_points", "base_points_adjusted", "protected_points", "excess_points")])],
    )  # fmt: skip
    status = STATUS_ZH.get(h["settlement_status"], h["settlement_status"])
    reason = f" — {R.esc(h['incomplete_reason'])}" if h["incomplete_reason"] else ""
    notes = [f"狀態 Status: {R.esc(status)}{reason}"]
    notes.append("Growth = current / base − 1; base = the same quarter a year earlier. Persons, visits, visiting "
                 "physicians, inpatients and patient days from the claims; staff, CMI, base and protected points "
                 "from the division's inputs. Definitions: docs/prospective_budget.md.")  # fmt: skip
    title = f"前瞻式預算管理 個別醫院結算 {h['hosp_name'] or ''} {hosp_id} {R.roc_quarter(quarter)}"
    page = (
        '<!DOCTYPE html><html lang="zh-Hant"><head><meta charset="utf-8">'
        f"<title>{R.esc(title)}</title><style>{R.CSS}</style></head><body>"
        f"<header><h1>前瞻式預算管理 個別醫院結算 Hospital prospective budget statement</h1>"
        f'<p class="meta">醫院 Hospital: <strong>{R.esc(h["hosp_name"] or "")} {R.esc(hosp_id)}</strong> · '
        f"{R.esc(h['region_zh'] or '')} · 季 Quarter: <strong>{R.esc(R.roc_quarter(quarter))}</strong> "
        f"({R.esc(quarter)})</p></header>"
        f"<section><h2>點數 Points</h2>{points}<h2>階1各院指標加權成長率 Indicators (slides 22-23)</h2>{indicators}"
        f"{growth}<h2>分階折付 Tiers (slides 24-27)</h2>{tiers}{result}"
        f'<ul class="notes">{"".join(f"<li>{n}</li>" for n in notes)}</ul></section>'
        "<footer>Read from marts.prospective_hospital_settlement; nothing is estimated by the report.</footer>"
        "</body></html>"
    )
    return page, quarter
