"""Meeting-report sections for the utilisation marts (issue 15), rendered by ``nhi_warehouse.report``.

6. 開放表別 Open-list items — usage by region with share, rank and growth (source 000's table) and the
   budget execution by cohort (source 004's table).
7. 醫院申報概況 Hospital claims overview — points by level and setting with growth and outpatient share,
   每日藥費 and 每件住院日 (source 002, slides 12–13).
8. 中醫 Chinese medicine — 四項費用, points per case type, visits per patient, the PR95 review list and
   the institutions and physicians (source 001).
9. 核減率 Review deductions — the region's rate, rank and the country's, quarter by quarter, per sector
   (source 000).

Like the other sections: figures only from the marts (read-only), "—" with a note where a figure is
not in them, inline SVG charts.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from nhi_warehouse.report import (
    COUNTRY_COLOUR,
    DASH,
    REGION_COLOUR,
    SERIES_COLOURS,
    BarSeries,
    Context,
    LineSeries,
    Row,
    Section,
    _diff_class,
    _legend,
    _quarter_sort_key,
    _quarter_up_to,
    _rows,
    _svg,
    _table,
    _table_exists,
    _td,
    bar_panel,
    esc,
    fmt_decimal,
    fmt_growth,
    fmt_int,
    fmt_pct,
    is_missing,
    line_panel,
    number,
    roc_quarter,
)

TREND_QUARTERS = 8


def _missing_section(key: str, heading: str, ctx: Context, note: str) -> Section:
    return Section(key, heading, esc(ctx.region_label), [f'<p class="empty">{DASH}</p>'], [note])


def _area_rows(ctx: Context) -> list[tuple[str, str]]:
    """(area code, label) of the six regions and the whole country, in the slides' order."""
    return [(r["area_no_h"], r["region_zh"]) for r in ctx.regions] + [("ALL", "全區")]


def _row_class(area: str) -> str:
    return "total" if area == "ALL" else ""


def _area_td(label: str, area: str, ctx: Context) -> str:
    """The row's region label, highlighted for the report's region."""
    return _td(label, "label highlight" if area == ctx.area else "label")


def _header(*cells: tuple[str, str]) -> list[str]:
    return [f"{zh}<br><small>{en}</small>" for zh, en in cells]


def _chosen_quarter(data: Sequence[Row], ctx: Context, mart: str, notes: list[str]) -> str | None:
    """The quarter a year-on-year table shows: the report quarter when it is complete, else the latest
    complete quarter before it (growth of a quarter still filling up would be understated, as in the
    price-volume section), else the latest quarter up to the report quarter, marked provisional."""
    earlier = [r for r in data if _quarter_sort_key(r["fee_quarter"]) <= _quarter_sort_key(ctx.quarter)]
    latest = _quarter_up_to((r["fee_quarter"] for r in earlier), ctx.quarter)
    if latest is None:
        return None
    complete = _quarter_up_to((r["fee_quarter"] for r in earlier if r.get("is_complete")), ctx.quarter)
    if complete == latest == ctx.quarter:
        return complete
    if complete is not None:
        notes.append(
            f"{esc(ctx.quarter)} is not complete in {mart} (claims still arriving), so its growth would be "
            f"understated: the latest complete quarter, {esc(complete)}, is shown."
        )
        return complete
    notes.append(f"{esc(latest)} is provisional (claims still arriving): its figures and growth are understated.")
    return latest


# --- 6. open-list items ------------------------------------------------------------------------


def section_open_list(con: duckdb.DuckDBPyConnection, ctx: Context) -> Section:
    key, heading = "open-list", "開放表別 Open-list items"
    usage = _rows(con, "select * from marts.open_list_usage")
    notes: list[str] = []
    quarter = _chosen_quarter(usage, ctx, "open_list_usage", notes)
    if quarter is None:
        return _missing_section(key, heading, ctx, f"open_list_usage has no quarter up to {esc(ctx.quarter)}.")
    by_area = {r["area_no_h"]: r for r in usage if r["fee_quarter"] == quarter}
    rows, groups, current, previous = [], [], [], []
    for area, label in _area_rows(ctx):
        r = by_area.get(area, {})
        rank, previous_rank = r.get("share_rank"), r.get("previous_year_share_rank")
        rows.append(
            f'<tr class="{_row_class(area)}">'
            + _area_td(label, area, ctx)
            + _td(fmt_int(r.get("previous_year_points")), "num")
            + _td(fmt_pct(r.get("previous_year_share"), 1), "num")
            + _td(DASH if is_missing(previous_rank) else f"({previous_rank})", "num")
            + _td(fmt_int(r.get("points")), "num strong")
            + _td(fmt_pct(r.get("share"), 1), "num")
            + _td(DASH if is_missing(rank) else f"({rank})", "num")
            + _td(fmt_growth(r.get("points_growth"), 1), "num")
            + "</tr>"
        )
        if area != "ALL":
            groups.append(label)
            current.append(number(r.get("points")))
            previous.append(number(r.get("previous_year_points")))
    previous_quarter = by_area.get("ALL", {}).get("previous_fee_quarter")
    if previous_quarter is None:
        notes.append("The extract does not cover the same quarter a year earlier: no growth (—).")
    header = _header(
        ("分區", "Region"),
        ("去年同期支用點數", "Points a year earlier"),
        ("占率", "Share"),
        ("名次", "Rank"),
        ("支用點數", "Points"),
        ("占率", "Share"),
        ("名次", "Rank"),
        ("成長率", "Growth"),
    )
    width, height = 760, 240
    series = [
        BarSeries("去年同期 a year earlier", COUNTRY_COLOUR, previous),
        BarSeries(f"{roc_quarter(quarter)}", REGION_COLOUR, current),
    ]
    chart = _svg(
        width,
        height,
        _legend(60, 16, [(s.label, s.colour) for s in series])
        + bar_panel(0, 24, width, height - 24, "", groups, series, lambda v: f"{v / 10000:,.1f}萬", show_values=False),
        name="open-list",
        title="Open-list points by region",
    )
    body = [_table(header, rows, cls="open-list"), "<h3>各分區支用點數 Points by region</h3>", chart]
    body += _open_list_execution(con, quarter, notes)
    assumed = _rows(con, "select count(*) as n, sum(case when is_code_assumed then 1 else 0 end) as assumed "
                         "from reference.open_list_items")  # fmt: skip
    if assumed and assumed[0]["assumed"]:
        notes.append(
            f"{assumed[0]['assumed']} of the {assumed[0]['n']} items in seed open_list_items carry placeholder codes "
            "(the published item list is not in the sources): on a real extract, replace the seed with the published "
            "codes first."
        )
    notes.append(
        "支用點數 = points western-medicine clinics (西醫基層) claimed for open-list items while on the list; 名次 = "
        "rank by points (1 = largest); 成長率 against the same quarter a year earlier (source 000, 西基開放表別統計)."
    )
    subtitle = f"{esc(ctx.region_label)} · {esc(roc_quarter(quarter))} ({esc(quarter)})"
    return Section(key, heading, subtitle, body, notes)


def _open_list_execution(con: duckdb.DuckDBPyConnection, quarter: str, notes: list[str]) -> list[str]:
    execution = _rows(con, "select * from marts.open_list_execution")
    fee_year = int(quarter[:4])
    years = sorted({r["fee_year"] for r in execution if r["fee_year"] <= fee_year})
    if not years:
        notes.append(f"open_list_execution has no fee year up to {fee_year}.")
        return []
    chosen = years[-1]
    cohorts = sorted(
        (r for r in execution if r["fee_year"] == chosen),
        key=lambda r: (r["cohort_roc_year"] == "ALL", r["cohort_roc_year"]),
    )
    rows = []
    for r in cohorts:
        total = r["cohort_roc_year"] == "ALL"
        rows.append(
            f'<tr class="{"total" if total else ""}">'
            + _td("合計 all cohorts" if total else f"{r['cohort_roc_year']} 年", "label")
            + _td(fmt_int(r["items_opened"]), "num")
            + _td(fmt_int(r["items_claimed"]), "num")
            + _td(fmt_int(r["executed_points"]), "num strong")
            + _td(fmt_int(r["cohort_budget_amt"] if not total else r["budget_amt"]), "num")
            + _td(fmt_pct(r["execution_rate"], 2) if total else DASH, "num")
            + "</tr>"
        )
    head = cohorts[-1] if cohorts else {}
    if head and not head.get("is_full_year"):
        notes.append(
            f"Fee year {chosen - 1911} ({chosen}) is in the extract through {esc(head.get('through_fee_ym'))}: "
            "its execution is year to date."
        )
    notes.append(
        "預算執行率 = the whole extract's executed points / the national open-list budget of the fee year (seed "
        "open_list_budget, a point counted as NT$1, as source 004 does): on an extract of part of the country the "
        "rate is that part's share."
    )
    header = _header(
        ("收載年度", "Cohort"),
        ("開放項數", "Items opened"),
        ("申報項數", "Items claimed"),
        ("執行數(點)", "Executed points"),
        ("預算數(元)", "Budget (NT$)"),
        ("預算執行率", "Execution rate"),
    )
    return [
        f"<h3>{chosen - 1911}年 各收載年度執行數 Budget execution by cohort, fee year {chosen} "
        "(全區 whole extract)</h3>",
        _table(header, rows, cls="open-list-execution"),
    ]


# --- 7. hospital claims overview ----------------------------------------------------------------

LEVEL_ORDER = ("1", "2", "3", "ALL")
SETTING_ORDER = ("INPATIENT", "OUTPATIENT", "ALL")


def section_hospital(con: duckdb.DuckDBPyConnection, ctx: Context) -> Section:
    key, heading = "hospital", "醫院申報概況 Hospital claims overview"
    data = _rows(con, "select * from marts.hospital_claims_overview where area_no_h in (?, 'ALL')", [ctx.area])
    notes: list[str] = []
    quarter = _chosen_quarter(data, ctx, "hospital_claims_overview", notes)
    if quarter is None:
        return _missing_section(key, heading, ctx, f"hospital_claims_overview has no quarter up to {esc(ctx.quarter)}.")
    cell = {(r["area_no_h"], r["hospital_level"], r["setting"]): r for r in data if r["fee_quarter"] == quarter}
    rows, labels, mine_growth, country_growth = [], [], [], []
    for level in LEVEL_ORDER:
        row = cell.get((ctx.area, level, "ALL"), {})
        label = row.get("hospital_level_zh") or level
        parts = [cell.get((ctx.area, level, s), {}) for s in SETTING_ORDER]
        rows.append(
            f'<tr class="{"total" if level == "ALL" else ""}">'
            + _td(label, "label")
            + "".join(_td(fmt_int(p.get("previous_year_points")), "num") for p in parts)
            + _td(fmt_pct(row.get("previous_year_outpatient_share")), "num")
            + "".join(_td(fmt_int(p.get("points")), "num") for p in parts)
            + _td(fmt_pct(row.get("outpatient_share")), "num")
            + "".join(_td(fmt_growth(p.get("points_growth")), "num strong") for p in parts)
            + "</tr>"
        )
        labels.append(label)
        mine_growth.append(number(row.get("points_growth")))
        country_growth.append(number(cell.get(("ALL", level, "ALL"), {}).get("points_growth")))
    header = _header(("層級", "Level"))
    for period in ("去年同期 a year earlier", "本期 this quarter"):
        header += _header(("住院", period), ("門診", period), ("合計", period), ("門診占率", "Outpatient share"))
    header += _header(("住院成長率", "Inpatient"), ("門診成長率", "Outpatient"), ("合計成長率", "Total"))
    ratios = []
    for area, label in ((ctx.area, ctx.region_zh), ("ALL", "全區")):
        outpatient = cell.get((area, "ALL", "OUTPATIENT"), {})
        inpatient = cell.get((area, "ALL", "INPATIENT"), {})
        ratios.append(
            "<tr>"
            + _td(label, "label")
            + _td(fmt_decimal(outpatient.get("points_per_claim"), 0), "num")
            + _td(fmt_decimal(outpatient.get("drug_points_per_drug_day"), 1), "num strong")
            + _td(fmt_decimal(inpatient.get("points_per_claim"), 0), "num")
            + _td(fmt_decimal(inpatient.get("points_per_patient_day"), 0), "num")
            + _td(fmt_decimal(inpatient.get("patient_days_per_claim"), 2), "num strong")
            + "</tr>"
        )
    released = []
    for area, label in ((ctx.area, ctx.region_zh), ("ALL", "全區")):
        total = cell.get((area, "ALL", "ALL"), {})
        released.append(
            "<tr>"
            + _td(label, "label")
            + _td(fmt_int(total.get("previous_year_released_points")), "num")
            + _td(fmt_int(total.get("released_points")), "num strong")
            + _td(fmt_growth(total.get("released_points_growth")), "num")
            + _td(fmt_int(total.get("released_claims")), "num")
            + "</tr>"
        )
    released_header = _header(
        ("", ""),
        ("去年同期釋出處方點數", "Released a year earlier"),
        ("釋出處方點數", "Released points"),
        ("成長率", "Growth"),
        ("交付件數", "Dispensing claims"),
    )
    ratio_header = _header(
        ("", ""),
        ("門診每件點數", "Outpatient points / claim"),
        ("每日藥費", "Drug points / drug day"),
        ("住院每件點數", "Inpatient points / claim"),
        ("每日點數", "Points / patient day"),
        ("每件住院日", "Patient days / claim"),
    )
    series = [
        BarSeries(f"{ctx.region_zh} {ctx.area}", REGION_COLOUR, mine_growth),
        BarSeries("全區 country", COUNTRY_COLOUR, country_growth),
    ]
    width, height = 760, 240
    chart = _svg(
        width,
        height,
        _legend(60, 16, [(s.label, s.colour) for s in series])
        + bar_panel(0, 24, width, height - 24, "", labels, series, lambda v: fmt_growth(v, 1)),
        name="hospital",
        title="Hospital points growth by level",
    )
    if not cell.get((ctx.area, "ALL", "ALL"), {}).get("previous_fee_quarter"):
        notes.append("The extract does not cover the same quarter a year earlier: no growth (—).")
    notes.append(
        "一般服務項目 general-service points (special-budget items out) of the hospitals' own claims, before "
        "review deductions; prescriptions released to pharmacies (交付) are not in them (source 002: "
        "不含交付處方點數). 每日藥費 = outpatient drug points / drug days (claims with drug days); 每件住院日 = "
        "patient days (discharge − admission, a same-day stay = 1) / inpatient claims. 釋出處方 = points of the "
        "pharmacies' claims whose prescriber (ORIG_HOSP_ID) is one of the region's hospitals (0 when the extract has "
        "no ORIG_HOSP_ID)."
    )
    subtitle = f"{esc(ctx.region_label)} · {esc(roc_quarter(quarter))} ({esc(quarter)}) · 與去年同季比 year on year"
    body = [
        _table(header, rows, cls="hospital"),
        "<h3>每件點數、每日藥費、每件住院日 Points per claim, drug points per day, patient days per claim "
        "(all levels)</h3>",
        _table(ratio_header, ratios, cls="hospital-ratios"),
        "<h3>釋出處方(交付) Prescriptions released to pharmacies, by the prescribing hospitals</h3>",
        _table(released_header, released, cls="hospital-released"),
        "<h3>合計點數成長率 Points growth by level, region vs country</h3>",
        chart,
    ]
    return Section(key, heading, subtitle, body, notes)


# --- 8. 中醫 -------------------------------------------------------------------------------------


def section_tcm(con: duckdb.DuckDBPyConnection, ctx: Context) -> Section:
    key, heading = "tcm", "中醫 Chinese-medicine utilisation"
    items = _rows(con, "select * from marts.tcm_fee_item_points")
    notes: list[str] = []
    quarter = _chosen_quarter(items, ctx, "tcm_fee_item_points", notes)
    if quarter is None:
        return _missing_section(key, heading, ctx, f"tcm_fee_item_points has no quarter up to {esc(ctx.quarter)}.")
    body = _tcm_fee_items(items, quarter, ctx)
    body += _tcm_case_types(con, quarter, ctx)
    body += _tcm_visits(con, quarter, ctx, notes)
    body += _tcm_review_list(con, quarter, ctx)
    body += _tcm_providers(con, quarter, ctx)
    notes.append(
        "Points are 醫療費用點數 (申請點數 + 部分負擔) before review deductions, growth against the same quarter a "
        "year earlier. 就醫次數: claims with 診察費 > 0, case types 22, 25, A3, B6 excluded (source 001 註2); "
        "成長差值 = this year's visits per patient − a year earlier's. 抽審: institutions at or above the region's "
        "PR95 of quarterly visits per patient — listed by institution only."
    )
    subtitle = f"{esc(ctx.region_label)} · {esc(roc_quarter(quarter))} ({esc(quarter)})"
    return Section(key, heading, subtitle, body, notes)


def _tcm_fee_items(items: Sequence[Row], quarter: str, ctx: Context) -> list[str]:
    current = [r for r in items if r["fee_quarter"] == quarter]
    order = sorted({(r["display_order"], r["fee_item"], r["fee_item_zh"]) for r in current})
    by = {(r["area_no_h"], r["fee_item"]): r for r in current}
    rows = []
    for area, label in _area_rows(ctx):
        cells = "".join(
            _td(fmt_decimal(number(by.get((area, item), {}).get("points")), 0), "num")
            + _td(fmt_growth(by.get((area, item), {}).get("points_growth"), 1), "num")
            for _, item, _ in order
        )
        rows.append(f'<tr class="{_row_class(area)}">' + _area_td(label, area, ctx) + cells + "</tr>")
    header = _header(("分區別", "Region"))
    for _, _, name in order:
        header += _header((name, "點數 points"), ("成長率", "growth"))
    title = f"<h3>{esc(roc_quarter(quarter))} 四項費用點數 The four fee items</h3>"
    return [title, _table(header, rows, cls="tcm-items")]


def _tcm_case_types(con: duckdb.DuckDBPyConnection, quarter: str, ctx: Context) -> list[str]:
    data = _rows(con, "select * from marts.tcm_case_type_points where fee_quarter = ?", [quarter])
    case_types = sorted({(r["case_type"], r["case_type_zh"] or "") for r in data})
    by = {(r["area_no_h"], r["case_type"]): r for r in data}
    rows = []
    for area, label in _area_rows(ctx):
        cells = "".join(
            _td(fmt_int(by.get((area, code), {}).get("points")), "num")
            + _td(fmt_growth(by.get((area, code), {}).get("points_growth"), 1), "num")
            for code, _ in case_types
        )
        rows.append(f'<tr class="{_row_class(area)}">' + _area_td(label, area, ctx) + cells + "</tr>")
    change = "".join(
        f'<td class="num" colspan="2">{esc(fmt_int(by.get(("ALL", code), {}).get("points_change")))}</td>'
        for code, _ in case_types
    )
    rows.append('<tr class="total">' + _td("較去年同期增減點數", "label") + change + "</tr>")
    header = _header(("分區/案件分類", "Region / case type"))
    for code, name in case_types:
        header += _header((f"{code}.{name}", "點數 points"), ("成長率", "growth"))
    title = f"<h3>{esc(roc_quarter(quarter))} 案件分類申報點數 Points per case type</h3>"
    return [title, _table(header, rows, cls="tcm")]


def _tcm_visits(con: duckdb.DuckDBPyConnection, quarter: str, ctx: Context, notes: list[str]) -> list[str]:
    data = _rows(con, "select * from marts.tcm_visits_per_patient where fee_quarter = ?", [quarter])
    months = sorted({r["fee_period"] for r in data if r["period_kind"] == "MONTH"})
    by = {(r["period_kind"], r["fee_period"], r["area_no_h"]): r for r in data}
    rows = []
    for area, label in _area_rows(ctx):
        quarter_row = by.get(("QUARTER", quarter, area), {})
        change = quarter_row.get("visits_per_patient_change")
        rows.append(
            f'<tr class="{_row_class(area)}">'
            + _area_td(label, area, ctx)
            + "".join(
                _td(fmt_decimal(by.get(("MONTH", m, area), {}).get("visits_per_patient"), 2), "num") for m in months
            )
            + _td(fmt_decimal(quarter_row.get("visits_per_patient"), 2), "num strong")
            + _td(fmt_decimal(quarter_row.get("previous_visits_per_patient"), 2), "num")
            + _td(fmt_decimal(change, 2), _diff_class(change, higher_is_better=False))
            + "</tr>"
        )
    month_labels = [r["roc_period"] for r in data if r["period_kind"] == "MONTH" and r["area_no_h"] == "ALL"]
    header = _header(("分區", "Region"))
    header += _header(*[(label, "月平均 monthly") for label in sorted(month_labels)])
    header += _header(
        (roc_quarter(quarter), "季平均 quarterly"),
        (roc_quarter(f"{int(quarter[:4]) - 1}{quarter[4:]}"), "去年同期 a year earlier"),
        ("成長差值", "Difference"),
    )
    if len(months) < 3:
        notes.append(f"The extract has {len(months)} month(s) of {esc(quarter)} with TCM claims.")
    title = f"<h3>{esc(roc_quarter(quarter))} 平均就醫次數 Visits per patient</h3>"
    return [title, _table(header, rows, cls="tcm-visits")]


def _tcm_review_list(con: duckdb.DuckDBPyConnection, quarter: str, ctx: Context) -> list[str]:
    data = _rows(
        con,
        "select * from marts.tcm_high_visit_institutions where fee_quarter = ? and area_no_h = ? "
        "order by rank_in_region, hosp_id",
        [quarter, ctx.area],
    )
    rows = [
        "<tr>"
        + _td(str(r["rank_in_region"]), "num")
        + _td(r["hosp_id"], "label")
        + _td(r["hosp_name"] or DASH, "label")
        + _td(fmt_int(r["visits"]), "num")
        + _td(fmt_int(r["patients"]), "num")
        + _td(fmt_decimal(r["visits_per_patient"], 2), "num strong")
        + _td(fmt_decimal(r["region_threshold"], 2), "num")
        + _td(fmt_int(r["region_institutions"]), "num")
        + "</tr>"
        for r in data
    ]
    if not rows:
        rows = [f'<tr><td colspan="8" class="missing">{DASH}</td></tr>']
    header = _header(
        ("名次", "Rank"),
        ("醫事機構代碼", "Institution"),
        ("名稱", "Name"),
        ("就醫次數", "Visits"),
        ("人數", "Patients"),
        ("季平均就醫次數", "Visits / patient"),
        ("PR95", "Region threshold"),
        ("院所數", "Institutions rated"),
    )
    return [
        f"<h3>抽審院所 (季平均就醫次數 ≥ PR95) Review candidates, {esc(ctx.region_zh)}</h3>",
        _table(header, rows, cls="tcm-review"),
    ]


def _tcm_providers(con: duckdb.DuckDBPyConnection, quarter: str, ctx: Context) -> list[str]:
    data = _rows(con, "select * from marts.tcm_providers where area_no_h = ?", [ctx.area])
    quarters = sorted(
        {r["fee_quarter"] for r in data if _quarter_sort_key(r["fee_quarter"]) <= _quarter_sort_key(quarter)},
        key=_quarter_sort_key,
    )[-TREND_QUARTERS:]
    by = {r["fee_quarter"]: r for r in data}
    labels = [roc_quarter(q) for q in quarters]
    rows = [
        "<tr>" + _td(name, "label") + "".join(_td(fmt_int(by[q][column]), "num") for q in quarters) + "</tr>"
        for name, column in (("院所數 institutions", "institutions"), ("醫師數 physicians", "physicians"))
    ]
    header = ["年季<br><small>Quarter</small>"] + [esc(label) for label in labels]
    series = [
        LineSeries("院所數 institutions", SERIES_COLOURS[0], [number(by[q]["institutions"]) for q in quarters]),
        LineSeries("醫師數 physicians", SERIES_COLOURS[1], [number(by[q]["physicians"]) for q in quarters]),
    ]
    chart = _svg(
        760,
        224,
        _legend(60, 16, [(s.label, s.colour) for s in series])
        + line_panel(0, 24, 760, 200, f"{ctx.region_zh} 中醫院所數及醫師數", labels, series),
        name="tcm-providers",
        title="TCM institutions and physicians",
    )
    return [
        f"<h3>{esc(ctx.region_zh)} 院所數及醫師數 Institutions and physicians</h3>",
        _table(header, rows, cls="tcm-providers"),
        chart,
    ]


# --- 9. review deductions ------------------------------------------------------------------------


def section_deductions(con: duckdb.DuckDBPyConnection, ctx: Context) -> Section:
    key, heading = "deductions", "核減率 Review deductions"
    data = _rows(con, "select * from marts.review_deduction_rate where area_no_h in (?, 'ALL')", [ctx.area])
    notes: list[str] = []
    quarters = sorted(
        {r["fee_quarter"] for r in data if _quarter_sort_key(r["fee_quarter"]) <= _quarter_sort_key(ctx.quarter)},
        key=_quarter_sort_key,
    )[-TREND_QUARTERS:]
    if not quarters:
        return _missing_section(key, heading, ctx, f"review_deduction_rate has no quarter up to {esc(ctx.quarter)}.")
    by = {(r["sector"], r["fee_quarter"], r["area_no_h"]): r for r in data}
    labels = [roc_quarter(q) for q in quarters]
    rows, panels = [], []
    panel_w, panel_h = 560, 185
    for index, sector in enumerate(ctx.sectors):
        code = sector["sector"]
        mine = [by.get((code, q, ctx.area), {}) for q in quarters]
        country = [by.get((code, q, "ALL"), {}) for q in quarters]
        rows.append(
            '<tr class="region-row">'
            + _td(f"{sector['sector_zh']} {ctx.region_zh}", "label")
            + "".join(_td(_rate_and_rank(m), "num") for m in mine)
            + "</tr>"
        )
        rows.append(
            '<tr class="total">'
            + _td(f"{sector['sector_zh']} 全區", "label")
            + "".join(_td(fmt_pct(c.get("deduction_rate_any_stage"), 3), "num") for c in country)
            + "</tr>"
        )
        rows.append(
            "<tr>"
            + _td("已審件數占率 reviewed share", "label")
            + "".join(_td(fmt_pct(m.get("reviewed_share"), 0), "num") for m in mine)
            + "</tr>"
        )
        series = [
            LineSeries(ctx.region_zh, REGION_COLOUR, [_percent(m.get("deduction_rate_any_stage")) for m in mine]),
            LineSeries("全區", COUNTRY_COLOUR, [_percent(c.get("deduction_rate_any_stage")) for c in country]),
        ]
        x0, y0 = (index % 2) * panel_w, 24 + (index // 2) * panel_h
        title = f"{sector['sector_zh']} {sector['sector_en']} (%)"
        panels += line_panel(x0, y0, panel_w, panel_h, title, labels, series)
    legend = _legend(10, 16, [(f"{ctx.region_zh} {ctx.area}", REGION_COLOUR), ("全區 country", COUNTRY_COLOUR)])
    rows_of_panels = (len(ctx.sectors) + 1) // 2
    chart = _svg(
        2 * panel_w, 24 + rows_of_panels * panel_h, legend + panels, name="deductions", title="Review deduction rates"
    )
    header = ["部門 / 分區<br><small>Sector / region</small>"] + [esc(label) for label in labels]
    latest = by.get((ctx.sectors[0]["sector"], quarters[-1], ctx.area), {}) if ctx.sectors else {}
    if number(latest.get("reviewed_share")) is not None and number(latest.get("reviewed_share")) < 0.95:
        notes.append(
            f"{esc(quarters[-1])}: review is still under way (reviewed share "
            f"{fmt_pct(latest.get('reviewed_share'), 0)}) — its rate will move."
        )
    notes.append(
        "核減率 = deducted / claimed points of the reviewed claims (all the sector's claims); (n) = the region's rank "
        "among the six, 1 = the highest rate. 初核 or 複核: the extract's DEDUCT_DOT does not say which review stage a "
        "deduction comes from, so this is the 初核核減率 only if the extract predates appeals (初核/複核未分)."
    )
    subtitle = f"{esc(ctx.region_label)} · {esc(labels[0])}–{esc(labels[-1])}"
    body = [_table(header, rows, cls="deductions"), "<h3>核減率趨勢 Deduction rate by quarter (%)</h3>", chart]
    return Section(key, heading, subtitle, body, notes)


def _rate_and_rank(row: Row) -> str:
    """'0.320 % (2)': the region's rate and its rank among the six."""
    rank = row.get("deduction_rate_any_stage_rank")
    return fmt_pct(row.get("deduction_rate_any_stage"), 3) + ("" if is_missing(rank) else f" ({rank})")


def _percent(value: object) -> float | None:
    fraction = number(value)
    return None if fraction is None else 100 * fraction


# --- the sections, in the report's order --------------------------------------------------------

SECTIONS = (
    ("open_list_usage", "open-list", "開放表別 Open-list items", section_open_list),
    ("hospital_claims_overview", "hospital", "醫院申報概況 Hospital claims overview", section_hospital),
    ("tcm_fee_item_points", "tcm", "中醫 Chinese-medicine utilisation", section_tcm),
    ("review_deduction_rate", "deductions", "核減率 Review deductions", section_deductions),
)


def utilisation_sections(con: duckdb.DuckDBPyConnection, ctx: Context) -> list[Section]:
    """Sections 6–9; a section whose mart is not in the warehouse (an older build) says so."""
    sections = []
    for mart, key, heading, render in SECTIONS:
        if _table_exists(con, "marts", mart):
            sections.append(render(con, ctx))
        else:
            note = f"marts.{mart} is not in the warehouse: rebuild it (nhi build)."
            sections.append(_missing_section(key, heading, ctx, note))
    return sections
