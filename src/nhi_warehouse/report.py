"""The co-management meeting report (共管會議資料): one self-contained HTML file per region and quarter.

    python -m nhi_warehouse.report --area 5 [--quarter 2025Q4] [--warehouse PATH] [--out DIR] [--pdf]

It reads ONLY the marts (and the reference lists for names) from a DuckDB file opened read-only:
by default the published copy ``data/published/current/nhi_marts.duckdb`` when it exists, else the
build warehouse (``NHI_DUCKDB_PATH``, ``data/warehouse/nhi.duckdb``). Sections, in the order of
the meeting slides, each with a table and an inline SVG chart (no JavaScript, no network):

1. 點值 Point values — the region's settled value for a complete quarter, else the forecast with its
   low/high band; rank among the six regions; the country and the announced values beside; every
   region's value; the trend of the region against the country.
2. 價量 Price–volume — claims, points, patients, visits per patient, points per visit and their
   year-on-year growth, with the decomposition of points growth.
3. 再執行率 Re-execution — the 20-category rates of the region against the country (全區).
4. 轉診回復率 Referral reply rates — per direction, region against the country.
5. 照護率 Care-plan coverage — per plan and contract type, region against the country and the
   other regions.
6.–9. 開放表別 open-list items, 醫院申報概況 hospital claims overview, 中醫 utilisation and 核減率 review
   deductions (``nhi_warehouse.report_utilisation``).

A figure that is not in the marts is printed as "—" with a note saying why; nothing is estimated
here. From Python: ``render_report(warehouse, area, quarter, out) -> Path``.
"""

from __future__ import annotations

import argparse
import html
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

Row = dict[str, Any]

PUBLISHED_DATABASE = Path("data/published/current/nhi_marts.duckdb")
DEFAULT_OUT = Path("data/reports")
DASH = "—"
QUARTER_PATTERN = re.compile(r"^(\d{4})Q([1-4])$")

# Colours of the charts: the region, the whole country, the other regions (peers), a band.
REGION_COLOUR = "#b03a2e"
COUNTRY_COLOUR = "#5d6d7e"
PEER_COLOUR = "#a9a9a9"
BAND_COLOUR = "#f2c4be"
SERIES_COLOURS = ("#1f618d", "#28b463", "#d68910", "#b03a2e")
FONT = "'Noto Sans CJK TC', 'Noto Sans TC', 'WenQuanYi Micro Hei', 'Microsoft JhengHei', 'PingFang TC', sans-serif"

# Published reference figures quoted in the domain specification (shared/spec/domain.md).
PUBLISHED_REFERRAL_111Q2 = (
    "Published national figures, 111Q2 (2022Q2), domain spec §5: 上轉 170,162 referrals, reply rate 60.82 %; "
    "下轉_西醫基層 53,230, 23.68 %; 下轉_地區醫院 29,093, 49.46 %. A reference, not this extract."
)
PUBLISHED_CARE_PLAN_111H1 = (
    "Published national averages, 111 January–June (2022), domain spec §6: CKD 28.36 %, DM 57.8 %, "
    "asthma 39.3 %. A reference, not this extract."
)


class ReportError(Exception):
    """The report cannot be made (no such region, no data for the quarter, unreadable warehouse)."""


# --------------------------------------------------------------------------------------------
# Quarters and formatting
# --------------------------------------------------------------------------------------------


def parse_quarter(quarter: str) -> tuple[int, int]:
    """'2025Q4' -> (2025, 4); ReportError for anything else."""
    match = QUARTER_PATTERN.match(quarter)
    if not match:
        raise ReportError(f"quarter {quarter!r} is not a Gregorian quarter like 2025Q4")
    return int(match.group(1)), int(match.group(2))


def roc_quarter(quarter: str) -> str:
    """'2025Q4' -> '114Q4' (ROC year = Gregorian year − 1911)."""
    year, number = parse_quarter(quarter)
    return f"{year - 1911}Q{number}"


def is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and (math.isnan(value) or math.isinf(value)))


def number(value: Any) -> float | None:
    """A float, or None for a missing value (None, NaN, infinity)."""
    if is_missing(value):
        return None
    return float(value)


def fmt_decimal(value: Any, digits: int = 4) -> str:
    value = number(value)
    return DASH if value is None else f"{value:,.{digits}f}"


def fmt_int(value: Any) -> str:
    value = number(value)
    return DASH if value is None else f"{round(value):,}"


def fmt_pct(value: Any, digits: int = 2) -> str:
    """A fraction as a percentage: 0.6082 -> '60.82 %'."""
    value = number(value)
    return DASH if value is None else f"{100 * value:.{digits}f} %"


def fmt_growth(value: Any, digits: int = 2) -> str:
    """A growth fraction as a signed percentage: -0.009 -> '−0.90 %'."""
    value = number(value)
    return DASH if value is None else f"{100 * value:+.{digits}f} %".replace("-", "−")


def fmt_pp(value: Any, digits: int = 2) -> str:
    """A difference of two fractions in percentage points: 0.0123 -> '+1.23'."""
    value = number(value)
    return DASH if value is None else f"{100 * value:+.{digits}f}".replace("-", "−")


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


# --------------------------------------------------------------------------------------------
# Inline SVG charts
# --------------------------------------------------------------------------------------------


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high]."""
    if high <= low:
        high = low + 1.0
    raw = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(value, 10))
    return ticks


@dataclass
class Scale:
    """Linear map from data values to pixels."""

    low: float
    high: float
    pixel_low: float
    pixel_high: float

    def __call__(self, value: float) -> float:
        span = self.high - self.low or 1.0
        return self.pixel_low + (value - self.low) / span * (self.pixel_high - self.pixel_low)


def _svg(width: int, height: int, body: Iterable[str], *, name: str, title: str) -> str:
    return (
        f'<svg class="chart" data-chart="{esc(name)}" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="{esc(FONT)}" '
        f'font-size="11"><title>{esc(title)}</title>' + "".join(body) + "</svg>"
    )


def _text(x: float, y: float, text: str, *, anchor: str = "middle", size: int = 11, colour: str = "#333") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{colour}">{esc(text)}</text>'


def _legend(x: float, y: float, items: Sequence[tuple[str, str]]) -> list[str]:
    parts = []
    for label, colour in items:
        parts.append(f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="12" height="10" fill="{colour}"/>')
        parts.append(_text(x + 16, y, label, anchor="start"))
        x += 24 + 7.5 * len(label) + 6 * sum(1 for ch in label if ord(ch) > 0x2E80)
    return parts


def _value_axis(
    scale: Scale, ticks: Sequence[float], x_left: float, x_right: float, fmt: Callable[[float], str]
) -> list[str]:
    parts = []
    for tick in ticks:
        y = scale(tick)
        parts.append(f'<line x1="{x_left:.1f}" y1="{y:.1f}" x2="{x_right:.1f}" y2="{y:.1f}" stroke="#e5e5e5"/>')
        parts.append(_text(x_left - 4, y + 4, fmt(tick), anchor="end", size=10, colour="#666"))
    return parts


@dataclass
class LineSeries:
    label: str
    colour: str
    values: list[float | None]
    forecast: list[bool] = field(default_factory=list)
    low: list[float | None] = field(default_factory=list)
    high: list[float | None] = field(default_factory=list)


def line_panel(
    x0: float, y0: float, width: float, height: float, title: str, labels: Sequence[str], series: Sequence[LineSeries]
) -> list[str]:
    """One line chart in the box (x0, y0, width, height): solid for settled points, hollow markers and a
    dashed line into forecast points, a band (low–high) drawn as a vertical bar on forecast points."""
    parts = [_text(x0 + width / 2, y0 + 14, title, size=12, colour="#222")]
    values = [v for s in series for v in (*s.values, *s.low, *s.high) if v is not None]
    left, right, top, bottom = x0 + 48, x0 + width - 22, y0 + 26, y0 + height - 34
    if not values or not labels:
        parts.append(_text(x0 + width / 2, y0 + height / 2, f"{DASH} no data", colour="#888"))
        return parts
    low, high = min(values), max(values)
    pad = (high - low) * 0.08 or 0.01
    ticks = nice_ticks(low - pad, high + pad, 5)
    scale = Scale(ticks[0], ticks[-1], bottom, top)
    parts += _value_axis(scale, ticks, left, right, lambda t: f"{t:.2f}")
    step = (right - left) / max(len(labels) - 1, 1)
    xs = [left + i * step if len(labels) > 1 else (left + right) / 2 for i in range(len(labels))]
    every = max(1, math.ceil(len(labels) / 8))
    for i, label in enumerate(labels):
        if i % every == 0 or i == len(labels) - 1:
            parts.append(_text(xs[i], bottom + 14, label, size=9, colour="#555"))
    parts.append(f'<line x1="{left:.1f}" y1="{bottom:.1f}" x2="{right:.1f}" y2="{bottom:.1f}" stroke="#999"/>')
    for s in series:
        forecast = s.forecast or [False] * len(s.values)
        for i in range(len(s.values)):
            lo = s.low[i] if i < len(s.low) else None
            hi = s.high[i] if i < len(s.high) else None
            if lo is not None and hi is not None:
                parts.append(
                    f'<rect class="band" x="{xs[i] - 4:.1f}" y="{scale(hi):.1f}" width="8" '
                    f'height="{max(scale(lo) - scale(hi), 1):.1f}" fill="{BAND_COLOUR}" opacity="0.8"/>'
                )
        for i in range(1, len(s.values)):
            a, b = s.values[i - 1], s.values[i]
            if a is None or b is None:
                continue
            dash = ' stroke-dasharray="4 3"' if forecast[i] or forecast[i - 1] else ""
            parts.append(
                f'<line class="series" x1="{xs[i - 1]:.1f}" y1="{scale(a):.1f}" x2="{xs[i]:.1f}" y2="{scale(b):.1f}" '
                f'stroke="{s.colour}" stroke-width="2"{dash}/>'
            )
        for i, value in enumerate(s.values):
            if value is None:
                continue
            fill = "#fff" if forecast[i] else s.colour
            parts.append(
                f'<circle class="point" cx="{xs[i]:.1f}" cy="{scale(value):.1f}" r="3" fill="{fill}" '
                f'stroke="{s.colour}" stroke-width="1.5"><title>{esc(s.label)} {esc(labels[i])}: '
                f"{value:.4f}</title></circle>"
            )
    return parts


@dataclass
class BarSeries:
    label: str
    colour: str
    values: list[float | None]
    # Optional whisker per group (e.g. the other regions' min–max).
    low: list[float | None] = field(default_factory=list)
    high: list[float | None] = field(default_factory=list)


def bar_panel(
    x0: float,
    y0: float,
    width: float,
    height: float,
    title: str,
    groups: Sequence[str],
    series: Sequence[BarSeries],
    fmt: Callable[[float], str],
    *,
    show_values: bool = True,
) -> list[str]:
    """Vertical grouped bars in the box, from a zero baseline (negative values go down)."""
    parts = [_text(x0 + width / 2, y0 + 14, title, size=12, colour="#222")] if title else []
    values = [v for s in series for v in (*s.values, *s.low, *s.high) if v is not None]
    left, right, top, bottom = x0 + 52, x0 + width - 8, y0 + (26 if title else 8), y0 + height - 30
    if not values or not groups:
        parts.append(_text(x0 + width / 2, y0 + height / 2, f"{DASH} no data", colour="#888"))
        return parts
    ticks = nice_ticks(min(0.0, *values), max(0.0, *values), 5)
    scale = Scale(ticks[0], ticks[-1], bottom, top)
    parts += _value_axis(scale, ticks, left, right, fmt)
    zero = scale(0.0)
    group_width = (right - left) / len(groups)
    bar_width = min(28.0, group_width * 0.8 / max(len(series), 1))
    for g, group in enumerate(groups):
        centre = left + group_width * (g + 0.5)
        parts.append(_text(centre, bottom + 16, group, size=10, colour="#333"))
        first = centre - bar_width * len(series) / 2
        for k, s in enumerate(series):
            x = first + k * bar_width
            value = s.values[g] if g < len(s.values) else None
            if value is None:
                parts.append(_text(x + bar_width / 2, zero - 3, DASH, size=9, colour="#888"))
                continue
            y, h = min(zero, scale(value)), abs(scale(value) - zero)
            parts.append(
                f'<rect class="bar" x="{x + 1:.1f}" y="{y:.1f}" width="{bar_width - 2:.1f}" height="{max(h, 0.5):.1f}" '
                f'fill="{s.colour}"><title>{esc(s.label)} {esc(group)}: {esc(fmt(value))}</title></rect>'
            )
            lo = s.low[g] if g < len(s.low) else None
            hi = s.high[g] if g < len(s.high) else None
            if lo is not None and hi is not None:
                cx = x + bar_width / 2
                parts.append(
                    f'<line class="whisker" x1="{cx:.1f}" y1="{scale(lo):.1f}" x2="{cx:.1f}" y2="{scale(hi):.1f}" '
                    f'stroke="#222" stroke-width="1"/>'
                    f'<line x1="{cx - 3:.1f}" y1="{scale(lo):.1f}" x2="{cx + 3:.1f}" y2="{scale(lo):.1f}" '
                    'stroke="#222"/>'
                    f'<line x1="{cx - 3:.1f}" y1="{scale(hi):.1f}" x2="{cx + 3:.1f}" y2="{scale(hi):.1f}" '
                    'stroke="#222"/>'
                )
            if show_values and len(series) * len(groups) <= 16:
                label_y = scale(value) - 3 if value >= 0 else scale(value) + 11
                parts.append(_text(x + bar_width / 2, label_y, fmt(value), size=9, colour="#333"))
    parts.append(f'<line x1="{left:.1f}" y1="{zero:.1f}" x2="{right:.1f}" y2="{zero:.1f}" stroke="#555"/>')
    return parts


def hbar_chart(
    name: str, title: str, labels: Sequence[str], series: Sequence[BarSeries], fmt: Callable[[float], str]
) -> str:
    """Horizontal grouped bars, one row per label (long category names read better this way)."""
    row_height = 10 * len(series) + 10
    label_width, width = 190, 760
    top = 34
    height = top + row_height * max(len(labels), 1) + 34
    values = [v for s in series for v in s.values if v is not None]
    parts = _legend(label_width, 16, [(s.label, s.colour) for s in series])
    if not values or not labels:
        parts.append(_text(width / 2, height / 2, f"{DASH} no data", colour="#888"))
        return _svg(width, height, parts, name=name, title=title)
    ticks = nice_ticks(min(0.0, *values), max(0.0, *values), 6)
    scale = Scale(ticks[0], ticks[-1], label_width, width - 50)
    bottom = top + row_height * len(labels)
    for tick in ticks:
        x = scale(tick)
        parts.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{bottom:.1f}" stroke="#e5e5e5"/>')
        parts.append(_text(x, bottom + 14, fmt(tick), size=10, colour="#666"))
    zero = scale(0.0)
    for i, label in enumerate(labels):
        y = top + i * row_height
        parts.append(_text(label_width - 6, y + row_height / 2 + 3, label, anchor="end", size=11))
        for k, s in enumerate(series):
            value = s.values[i] if i < len(s.values) else None
            bar_y = y + 5 + k * 10
            if value is None:
                parts.append(_text(zero + 4, bar_y + 8, DASH, anchor="start", size=9, colour="#888"))
                continue
            x, w = min(zero, scale(value)), abs(scale(value) - zero)
            parts.append(
                f'<rect class="bar" x="{x:.1f}" y="{bar_y:.1f}" width="{max(w, 0.5):.1f}" height="9" '
                f'fill="{s.colour}"><title>{esc(s.label)} {esc(label)}: {esc(fmt(value))}</title></rect>'
            )
            parts.append(_text(max(zero, scale(value)) + 4, bar_y + 8, fmt(value), anchor="start", size=9))
    parts.append(f'<line x1="{zero:.1f}" y1="{top - 4}" x2="{zero:.1f}" y2="{bottom:.1f}" stroke="#555"/>')
    return _svg(width, int(height), parts, name=name, title=title)


# --------------------------------------------------------------------------------------------
# Reading the marts
# --------------------------------------------------------------------------------------------


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> list[Row]:
    cursor = con.execute(sql, list(params))
    names = [column[0] for column in cursor.description or []]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def _table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    found = con.execute(
        "select count(*) from duckdb_tables() where schema_name = ? and table_name = ? and database_name = "
        "current_database()",
        [schema, table],
    ).fetchone()
    return bool(found and found[0])


@dataclass
class Context:
    """What every section needs: the region, the quarter, the reference names."""

    area: str
    region_zh: str
    region_en: str
    quarter: str
    regions: list[Row]
    sectors: list[Row]

    @property
    def region_label(self) -> str:
        return f"{self.region_zh} {self.region_en}"


@dataclass
class Section:
    key: str
    heading: str
    subtitle: str
    body: list[str]
    notes: list[str]

    def render(self) -> str:
        notes = "".join(f"<li>{note}</li>" for note in self.notes)
        return (
            f'<section id="{esc(self.key)}"><h2>{esc(self.heading)}</h2>'
            f'<p class="subtitle">{self.subtitle}</p>'
            + "".join(self.body)
            + (f'<ul class="notes">{notes}</ul>' if notes else "")
            + "</section>"
        )


def _td(text: str, cls: str = "") -> str:
    classes = f"{cls} missing".strip() if text == DASH else cls
    return f'<td class="{classes}">{esc(text)}</td>' if classes else f"<td>{esc(text)}</td>"


def _table(header: Sequence[str], rows: Sequence[str], *, cls: str = "") -> str:
    head = "".join(f"<th>{h}</th>" for h in header)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>' + "".join(rows) + "</tbody></table>"


def _diff_class(value: Any, higher_is_better: bool) -> str:
    value = number(value)
    if value is None or abs(value) < 1e-12:
        return "num"
    better = (value > 0) == higher_is_better
    return "num better" if better else "num worse"


def _quarter_sort_key(quarter: str) -> tuple[int, int]:
    return parse_quarter(quarter)


# --- 1. point values ------------------------------------------------------------------------


STATUS_LABEL = {
    "SETTLED": "結算 settled",
    "FORECAST": "預估 forecast",
    "PROVISIONAL": "暫計 provisional",
    "MISSING": DASH,
}


def section_point_values(con: duckdb.DuckDBPyConnection, ctx: Context) -> Section:
    """What the meeting shows, as marts.rpt_point_value_current decided it (status, value, rank,
    band): this section only lays it out."""
    shown = _rows(con, "select * from marts.rpt_point_value_current")
    by_cell = {(r["fee_quarter"], r["sector"], r["area_no_h"]): r for r in shown}
    missing: Row = {"status": "MISSING"}
    notes: list[str] = []

    def cell(quarter: str, sector: str, area: str) -> Row:
        return by_cell.get((quarter, sector, area), missing)

    # Table 1: the region's sectors.
    rows = []
    statuses = set()
    for sector in ctx.sectors:
        mine = cell(ctx.quarter, sector["sector"], ctx.area)
        country = cell(ctx.quarter, sector["sector"], "ALL")
        statuses.add(mine["status"])
        band = (
            f"{fmt_decimal(mine.get('avg_pv_low'))} – {fmt_decimal(mine.get('avg_pv_high'))} "
            f"({fmt_pct(mine.get('band_coverage'), 0)})"
            if not is_missing(mine.get("avg_pv_low")) and not is_missing(mine.get("avg_pv_high"))
            else DASH
        )
        rank = mine.get("avg_pv_rank")
        rows.append(
            '<tr class="region-row">'
            + _td(f"{sector['sector_zh']} {sector['sector_en']}", "label")
            + _td(STATUS_LABEL[mine["status"]])
            + _td(fmt_decimal(mine.get("avg_pv")), "num strong")
            + _td(fmt_decimal(mine.get("float_pv")), "num")
            + _td(DASH if is_missing(rank) else f"{rank} / 6", "num")
            + _td(band, "num")
            + _td(fmt_decimal(country.get("avg_pv")), "num")
            + _td(fmt_decimal(mine.get("announced_avg_pv")), "num")
            + _td(fmt_decimal(mine.get("announced_float_pv")), "num")
            + _td(fmt_pct(mine.get("completion_factor"), 1), "num")
            + "</tr>"
        )
        if mine["status"] == "MISSING":
            notes.append(f"{esc(sector['sector_zh'])}: no row for {esc(ctx.quarter)} in rpt_point_value_current.")
        if mine["status"] == "PROVISIONAL":
            notes.append(
                f"{esc(sector['sector_zh'])}: the quarter is not complete and cannot be forecast yet (no complete "
                "history quarter) — no point value or rank is shown."
            )
    header = [
        "部門<br><small>Sector</small>",
        "狀態<br><small>Status</small>",
        "平均點值<br><small>Average PV</small>",
        "浮動點值<br><small>Floating PV</small>",
        "排名<br><small>Rank</small>",
        "預估區間<br><small>Band (APV, coverage)</small>",
        "全區平均點值<br><small>Country APV</small>",
        "公告平均點值<br><small>Announced APV</small>",
        "公告浮動點值<br><small>Announced FPV</small>",
        "完成率<br><small>Completion</small>",
    ]
    body = [_table(header, rows, cls="pv")]

    # Table 2: every region's APV for the quarter (the slide's matrix), the chosen region highlighted.
    areas = [r["area_no_h"] for r in ctx.regions] + ["ALL"]
    names = {r["area_no_h"]: r["region_zh"] for r in ctx.regions} | {"ALL": "全區"}
    matrix_rows = []
    for sector in ctx.sectors:
        cells = []
        for area in areas:
            c = cell(ctx.quarter, sector["sector"], area)
            text = fmt_decimal(c.get("avg_pv"))
            if text != DASH and not is_missing(c.get("avg_pv_rank")):
                text = f"{text} ({c['avg_pv_rank']})"
            cls = "num" + (" highlight" if area == ctx.area else "")
            cells.append(_td(text, cls))
        matrix_rows.append("<tr>" + _td(sector["sector_zh"], "label") + "".join(cells) + "</tr>")
    matrix_header = ["部門"] + [f"{esc(names[a])}<br><small>{esc(a)}</small>" for a in areas]
    body.append("<h3>各分區平均點值（排名） Average point value of every region (rank)</h3>")
    body.append(_table(matrix_header, matrix_rows, cls="matrix"))

    # Comparisons the slides print: previous quarter and the same quarter last year, settled values and ranks.
    comparison_rows = []
    for sector in ctx.sectors:
        mine = cell(ctx.quarter, sector["sector"], ctx.area)
        previous_rank, year_ago_rank = mine.get("previous_quarter_avg_pv_rank"), mine.get("year_ago_avg_pv_rank")
        comparison_rows.append(
            "<tr>"
            + _td(sector["sector_zh"], "label")
            + _td(fmt_decimal(mine.get("avg_pv")), "num")
            + _td(fmt_decimal(mine.get("previous_quarter_avg_pv")), "num")
            + _td(DASH if is_missing(previous_rank) else str(previous_rank), "num")
            + _td(fmt_decimal(mine.get("year_ago_avg_pv")), "num")
            + _td(DASH if is_missing(year_ago_rank) else str(year_ago_rank), "num")
            + "</tr>"
        )
    comparison_header = [
        "部門",
        f"{esc(roc_quarter(ctx.quarter))}<br><small>shown</small>",
        "前一季<br><small>Previous quarter</small>",
        "排名<br><small>Rank</small>",
        "去年同期<br><small>Same quarter last year</small>",
        "排名<br><small>Rank</small>",
    ]
    body.append("<h3>與前一季及去年同期比較 Previous quarter and same quarter last year (settled)</h3>")
    body.append(_table(comparison_header, comparison_rows, cls="pv"))

    # Trend: the region against the country, per sector; settled values, then the forecast.
    quarters = sorted({q for (q, _, _) in by_cell}, key=_quarter_sort_key)
    quarters = [q for q in quarters if _quarter_sort_key(q) <= _quarter_sort_key(ctx.quarter)][-12:]
    labels = [roc_quarter(q) for q in quarters]
    panels: list[str] = []
    panel_w, panel_h = 560, 185
    for i, sector in enumerate(ctx.sectors):
        series = []
        for area, label, colour in ((ctx.area, ctx.region_zh, REGION_COLOUR), ("ALL", "全區", COUNTRY_COLOUR)):
            cells = [cell(q, sector["sector"], area) for q in quarters]
            series.append(
                LineSeries(
                    label=label,
                    colour=colour,
                    values=[number(c.get("avg_pv")) for c in cells],
                    forecast=[c["status"] != "SETTLED" for c in cells],
                    low=[number(c.get("avg_pv_low")) if area == ctx.area else None for c in cells],
                    high=[number(c.get("avg_pv_high")) if area == ctx.area else None for c in cells],
                )
            )
        x0, y0 = (i % 2) * panel_w, 24 + (i // 2) * panel_h
        panels += line_panel(x0, y0, panel_w, panel_h, f"{sector['sector_zh']} {sector['sector_en']}", labels, series)
    legend = _legend(
        10,
        16,
        [
            (f"{ctx.region_zh} {ctx.area}", REGION_COLOUR),
            ("全區 country", COUNTRY_COLOUR),
            ("預估區間 band", BAND_COLOUR),
        ],
    )
    rows_of_panels = math.ceil(len(ctx.sectors) / 2)
    body.append("<h3>平均點值趨勢 Average point value by quarter, region vs country</h3>")
    body.append(
        _svg(
            2 * panel_w,
            24 + rows_of_panels * panel_h,
            legend + panels,
            name="point-value-trend",
            title="Average point value trend",
        )
    )
    notes.append(
        "What is shown is decided in marts.rpt_point_value_current: 結算 settled once the quarter is complete; "
        "預估 forecast before that, with a band that holds the settled value with the stated coverage (calibrated on "
        "the forecast's own past errors at the same lag, point_value_backtest); 暫計 provisional — no value, no rank — "
        "when no forecast is possible yet. In the trend, hollow markers and dashed lines are forecasts."
    )
    notes.append("Rank: 1 = the highest average point value of the six regions in the sector. — = not in the marts.")
    as_of = [r["as_of_date"] for r in shown if r["fee_quarter"] == ctx.quarter]
    subtitle = f"{esc(ctx.region_label)} · {esc(roc_quarter(ctx.quarter))} ({esc(ctx.quarter)})"
    if as_of:
        subtitle += f" · 資料截止 as of {esc(max(as_of))}"
    if "FORECAST" in statuses:
        subtitle += " · 預估 forecast (quarter not yet complete)"
    return Section("point-values", "點值 Point values", subtitle, body, notes)


# --- 2. price-volume -------------------------------------------------------------------------


def section_price_volume(con: duckdb.DuckDBPyConnection, ctx: Context) -> Section:
    data = _rows(con, "select * from marts.price_volume")
    notes: list[str] = []
    candidates = [
        r
        for r in data
        if r["area_no_h"] == ctx.area and _quarter_sort_key(r["fee_quarter"]) <= _quarter_sort_key(ctx.quarter)
    ]
    complete = sorted({r["fee_quarter"] for r in candidates if r["is_complete"]}, key=_quarter_sort_key)
    chosen_quarter = ctx.quarter
    if not any(r["fee_quarter"] == ctx.quarter and r["is_complete"] for r in candidates):
        if complete:
            chosen_quarter = complete[-1]
            notes.append(
                f"{esc(ctx.quarter)} is not complete (claims still arriving), so its growth would be understated: "
                f"the latest complete quarter, {esc(chosen_quarter)}, is shown."
            )
        elif any(r["fee_quarter"] == ctx.quarter for r in candidates):
            notes.append(f"{esc(ctx.quarter)} is provisional (claims still arriving): growth is understated.")
    by = {(r["sector"], r["area_no_h"]): r for r in data if r["fee_quarter"] == chosen_quarter}
    rows = []
    growth_series: dict[str, list[float | None]] = {"patients": [], "visits": [], "ppv": [], "points": []}
    for sector in ctx.sectors:
        mine = by.get((sector["sector"], ctx.area), {})
        country = by.get((sector["sector"], "ALL"), {})
        rows.append(
            "<tr>"
            + _td(f"{sector['sector_zh']} {sector['sector_en']}", "label")
            + _td(fmt_int(mine.get("claims")), "num")
            + _td(fmt_int(mine.get("points")), "num")
            + _td(fmt_int(mine.get("patients")), "num")
            + _td(fmt_decimal(mine.get("visits_per_patient"), 3), "num")
            + _td(fmt_decimal(mine.get("points_per_visit"), 1), "num")
            + _td(fmt_growth(mine.get("claims_growth")), "num")
            + _td(fmt_growth(mine.get("patients_growth")), "num")
            + _td(fmt_growth(mine.get("visits_per_patient_growth")), "num")
            + _td(fmt_growth(mine.get("points_per_visit_growth")), "num")
            + _td(fmt_growth(mine.get("points_growth")), "num strong")
            + _td(fmt_growth(country.get("points_growth")), "num")
            + "</tr>"
        )
        growth_series["patients"].append(number(mine.get("patients_growth")))
        growth_series["visits"].append(number(mine.get("visits_per_patient_growth")))
        growth_series["ppv"].append(number(mine.get("points_per_visit_growth")))
        growth_series["points"].append(number(mine.get("points_growth")))
        if not mine:
            notes.append(f"{esc(sector['sector_zh'])}: no price_volume row for {esc(chosen_quarter)}.")
        elif mine.get("points_growth") is None:
            notes.append(
                f"{esc(sector['sector_zh'])}: no same quarter a year earlier in the extract, so no growth (—)."
            )
    header = [
        "部門<br><small>Sector</small>",
        "件數<br><small>Claims</small>",
        "點數<br><small>Points</small>",
        "人數<br><small>Patients</small>",
        "每人件數<br><small>Visits / patient</small>",
        "每件點數<br><small>Points / visit</small>",
        "件數成長<br><small>Claims YoY</small>",
        "人數成長<br><small>Patients YoY</small>",
        "每人件數成長<br><small>Visits/patient YoY</small>",
        "每件點數成長<br><small>Points/visit YoY</small>",
        "點數成長<br><small>Points YoY</small>",
        "全區點數成長<br><small>Country points YoY</small>",
    ]
    series = [
        BarSeries("人數 patients", SERIES_COLOURS[0], growth_series["patients"]),
        BarSeries("每人件數 visits/patient", SERIES_COLOURS[1], growth_series["visits"]),
        BarSeries("每件點數 points/visit", SERIES_COLOURS[2], growth_series["ppv"]),
        BarSeries("點數 points", SERIES_COLOURS[3], growth_series["points"]),
    ]
    width, height = 760, 260
    chart = _svg(
        width,
        height,
        _legend(60, 16, [(s.label, s.colour) for s in series])
        + bar_panel(
            0, 24, width, height - 24, "", [s["sector_zh"] for s in ctx.sectors], series, lambda v: fmt_growth(v, 1)
        ),
        name="price-volume",
        title="Growth decomposition",
    )
    notes.append(
        "Growth against the same quarter a year earlier; (1 + points growth) = (1 + patients growth) × (1 + visits "
        "per patient growth) × (1 + points per visit growth). A visit is a claim. Points before review deductions."
    )
    subtitle = (
        f"{esc(ctx.region_label)} · {esc(roc_quarter(chosen_quarter))} ({esc(chosen_quarter)}) · "
        "與去年同季比 year on year"
    )
    body = [_table(header, rows, cls="pvol"), "<h3>點數成長分解 Decomposition of points growth</h3>", chart]
    return Section("price-volume", "價量分析 Price–volume and growth", subtitle, body, notes)


# --- 3. re-execution ---------------------------------------------------------------------------


def _quarter_up_to(quarters: Iterable[str], quarter: str) -> str | None:
    """The chosen quarter if the mart has it, else the latest one before it (None if none)."""
    earlier = sorted({q for q in quarters if _quarter_sort_key(q) <= _quarter_sort_key(quarter)}, key=_quarter_sort_key)
    return earlier[-1] if earlier else None


def _category_sort_key(category_no: str) -> tuple[int, int, str]:
    if category_no == "ALL":
        return (2, 0, "")
    return (0, int(category_no), "") if category_no.isdigit() else (1, 0, category_no)


REEXAM_BASE_STATUS = {
    "base_lookback_incomplete": "its look-back window starts before the extract (rate understated), not compared",
    "base_not_in_data": "it is not in the extract",
    "not_after_base": "the period is not after it",
}


def section_reexam(con: duckdb.DuckDBPyConnection, ctx: Context) -> Section:
    data = _rows(con, "select * from marts.reexam_rate_by_category where period_type = 'quarter'")
    notes: list[str] = []
    period = _quarter_up_to((r["period"] for r in data), ctx.quarter)
    if period is None:
        return Section(
            "reexam",
            "20類重要檢查(驗) 再執行率 Re-execution rates",
            esc(ctx.region_label),
            [f'<p class="empty">{DASH}</p>'],
            [f"reexam_rate_by_category has no quarter up to {esc(ctx.quarter)}."],
        )
    if period != ctx.quarter:
        notes.append(
            f"reexam_rate_by_category has no {esc(ctx.quarter)}: the latest quarter before it, {esc(period)}, is shown."
        )
    in_period = [r for r in data if r["period"] == period]
    by = {(r["category_no"], r["area_no_h"]): r for r in in_period}
    categories = sorted({r["category_no"] for r in in_period}, key=_category_sort_key)
    names = {
        r["category_no"]: r["category_zh"]
        for r in _rows(con, "select category_no, category_zh from reference.reexam_categories")
    }
    summary: dict[str, Row] = {}
    if _table_exists(con, "marts", "reexam_region_summary"):
        summary = {
            r["area_no_h"]: r
            for r in _rows(
                con,
                "select * from marts.reexam_region_summary where period_type = 'quarter' and period = ?",
                [period],
            )
        }

    def compared(row: Row, key: str, status_key: str = "base_comparison_status") -> Any:
        return row.get(key) if row.get(status_key) == "compared" else None

    def row_cells(label: str, mine: Row, country: Row, cls: str = "") -> str:
        diff = mine.get("reexec_rate_diff_national") if mine else None
        return (
            f'<tr class="{cls}">'
            + _td(label, "label")
            + _td(fmt_int(mine.get("executions")), "num")
            + _td(fmt_int(mine.get("reexecutions")), "num")
            + _td(fmt_pct(mine.get("reexec_rate")), "num strong")
            + _td(fmt_pct(country.get("reexec_rate")), "num")
            + _td(fmt_pp(diff), _diff_class(diff, higher_is_better=False))
            + _td(fmt_pct(compared(mine, "base_reexec_rate")), "num")
            + _td(
                fmt_pp(compared(mine, "reexec_rate_diff_base")),
                _diff_class(compared(mine, "reexec_rate_diff_base"), False),
            )
            + _td(
                fmt_growth(compared(mine, "reexec_rate_growth_base")),
                _diff_class(compared(mine, "reexec_rate_growth_base"), False),
            )
            + _td(fmt_int(mine.get("cross_inst_reexecutions")), "num")
            + "</tr>"
        )

    rows = []
    labels, mine_rates, country_rates = [], [], []
    lookback_incomplete = False
    for category in categories:
        mine = by.get((category, ctx.area), {})
        country = by.get((category, "ALL"), {})
        name = mine.get("category_zh") or country.get("category_zh") or names.get(category) or DASH
        label = "全部類別 all categories" if category == "ALL" else f"{category} {name}"
        rows.append(row_cells(label, mine, country, "total" if category == "ALL" else ""))
        if mine and not mine.get("is_lookback_complete", True):
            lookback_incomplete = True
        if category != "ALL":
            labels.append(label)
            mine_rates.append(number(mine.get("reexec_rate")))
            country_rates.append(number(country.get("reexec_rate")))
    # 抑制資源不當耗用10項 (source 000 slide 4-1): the control items' rollup, region beside the country.
    control_mine, control_country = summary.get(ctx.area, {}), summary.get("ALL", {})
    if control_mine or control_country:

        def control(row: Row) -> Row:
            return {
                "executions": row.get("control_10_executions"),
                "reexecutions": row.get("control_10_reexecutions"),
                "reexec_rate": row.get("control_10_reexec_rate"),
                "reexec_rate_diff_national": None
                if number(row.get("control_10_reexec_rate")) is None
                or number(row.get("national_control_10_reexec_rate")) is None
                else number(row.get("control_10_reexec_rate")) - number(row.get("national_control_10_reexec_rate")),
                "base_comparison_status": row.get("control_10_base_comparison_status"),
                "base_reexec_rate": row.get("base_control_10_reexec_rate"),
                "reexec_rate_diff_base": row.get("control_10_reexec_rate_diff_base"),
                "reexec_rate_growth_base": row.get("control_10_reexec_rate_growth_base"),
            }

        items = control_country.get("control_10_merged_items") or control_mine.get("control_10_merged_items")
        rows.append(
            row_cells(
                f"抑制資源不當耗用10項 control items ({fmt_int(items)} merged items in the data)",
                control(control_mine),
                control(control_country),
                "total",
            )
        )
    missing = [f"{c} {n}" for c, n in names.items() if c not in categories]
    if missing:
        notes.append(
            "No executions in the period (not listed): "
            + esc(", ".join(sorted(missing, key=lambda t: _category_sort_key(t.split(" ")[0]))))
            + "."
        )
    if lookback_incomplete:
        notes.append("Some look-back windows start before the extract: those rates are understated.")
    base = by.get(("ALL", ctx.area)) or by.get(("ALL", "ALL")) or {}
    base_label = (
        f"{esc(base.get('base_roc_period'))} ({esc(base.get('base_period'))})" if base.get("base_period") else DASH
    )
    status = base.get("base_comparison_status")
    if status and status != "compared":
        notes.append(f"基期 base period {base_label}: {esc(REEXAM_BASE_STATUS.get(status, status))} (—).")
    scope = _rows(
        con,
        "select scope_status, sum(order_lines) as order_lines from marts.reexam_scope_summary "
        "where fee_quarter = ? and sector = 'WM_PRIMARY' and scope_status <> 'in_scope' group by scope_status "
        "order by scope_status",
        [period],
    )
    excluded = ", ".join(f"{esc(r['scope_status'])} {fmt_int(r['order_lines'])}" for r in scope if r["order_lines"])
    notes.append(
        "Scope as published (source 000 slide 4-1 note 2): 西醫診所, excluding 代辦 and emergency (急診) cases and "
        "交付 institutions"
        + (f"; primary-care order lines left out this quarter: {excluded}" if excluded else "")
        + " (reexam_scope_summary)."
    )
    notes.append(
        "再執行率 = re-executions / executions (same patient, same merged item, within its interval days, at any "
        "institution: 不分同跨院); 差 = region − 全區 in percentage points (red = higher than the country). "
        "基期 = var reexam_base_year by name (source 000 compares 111 with 108), else the same quarter a year "
        "earlier; 率成長 = rate / base rate − 1. 抑制資源不當耗用10項 = the merged items flagged control_10 (the 7 "
        "published on slide 4-2; the other 3 are not named). Primary care (西醫基層) unless var "
        "reexam_include_hospitals. Interval days and most fee codes are assumed (seed reexam_item_map)."
    )
    header = [
        "類別<br><small>Category</small>",
        "執行數<br><small>Executions</small>",
        "再執行數<br><small>Re-executions</small>",
        f"再執行率<br><small>{esc(ctx.region_zh)} rate</small>",
        "全區<br><small>Country rate</small>",
        "與全區差<br><small>vs country (pp)</small>",
        f"基期再執行率<br><small>Base {base_label}</small>",
        "與基期差<br><small>vs base (pp)</small>",
        "率成長<br><small>Rate growth</small>",
        "跨院<br><small>Other-institution</small>",
    ]
    chart = hbar_chart(
        "reexam",
        "Re-execution rate by category",
        labels,
        [
            BarSeries(f"{ctx.region_zh} {ctx.area}", REGION_COLOUR, mine_rates),
            BarSeries("全區 country", COUNTRY_COLOUR, country_rates),
        ],
        lambda v: fmt_pct(v, 1),
    )
    subtitle = f"{esc(ctx.region_label)} · {esc(roc_quarter(period))} ({esc(period)}) · 西醫基層 primary care"
    body = [_table(header, rows, cls="reexam"), "<h3>各類別再執行率 Rate by category, region vs country</h3>", chart]
    return Section("reexam", "20類重要檢查(驗) 再執行率 Re-execution rates", subtitle, body, notes)


# --- 4. referral -----------------------------------------------------------------------------


def section_referral(con: duckdb.DuckDBPyConnection, ctx: Context) -> Section:
    data = _rows(con, "select * from marts.referral_reply_rate")
    directions = _rows(con, "select * from reference.referral_directions order by sort_order")
    notes: list[str] = []
    quarter = _quarter_up_to((r["fee_quarter"] for r in data), ctx.quarter)
    if quarter is None:
        return Section(
            "referral",
            "電子轉診回復率 Referral reply rates",
            esc(ctx.region_label),
            [f'<p class="empty">{DASH}</p>'],
            [f"referral_reply_rate has no quarter of issue up to {esc(ctx.quarter)}.", PUBLISHED_REFERRAL_111Q2],
        )
    if quarter != ctx.quarter:
        notes.append(f"referral_reply_rate has no referrals issued in {esc(ctx.quarter)}: {esc(quarter)} is shown.")
    by = {(r["direction"], r["area_no_h"]): r for r in data if r["fee_quarter"] == quarter}
    rows, groups, mine_rates, country_rates = [], [], [], []
    for direction in directions:
        mine = by.get((direction["direction"], ctx.area), {})
        country = by.get((direction["direction"], "ALL"), {})
        reply, country_reply = number(mine.get("reply_rate")), number(country.get("reply_rate"))
        diff = None if reply is None or country_reply is None else reply - country_reply
        published = bool(direction["is_published_rate"])
        rows.append(
            f'<tr class="{"" if published else "unpublished"}">'
            + _td(f"{direction['direction_zh']}", "label")
            + _td(fmt_int(mine.get("referrals")), "num")
            + _td(fmt_int(mine.get("replied")), "num")
            + _td(fmt_pct(reply), "num strong")
            + _td(fmt_pct(country_reply), "num")
            + _td(fmt_pp(diff), _diff_class(diff, higher_is_better=True))
            + _td(fmt_pct(mine.get("timely_reply_rate")), "num")
            + _td(fmt_pct(country.get("timely_reply_rate")), "num")
            + _td(fmt_decimal(mine.get("median_days_to_reply"), 1), "num")
            + _td(fmt_int(country.get("referrals")), "num")
            + "</tr>"
        )
        if published:
            groups.append(direction["direction_zh"])
            mine_rates.append(reply)
            country_rates.append(country_reply)
        if mine and not mine.get("referrals"):
            notes.append(f"{esc(direction['direction_zh'])}: no referrals issued in the region, so no rate (—).")
    if by and not any(r.get("is_quarter_complete") for r in by.values()):
        notes.append(f"{esc(quarter)} had not ended at the as-of date: rates are provisional.")
    as_of = {str(r["as_of_date"]) for r in by.values()}
    notes.append(
        "回復率 = referrals with a reply by the as-of date / included referrals issued in the quarter; 適時 = replied "
        "within var referral_timely_days (default 3) days after the patient was seen. Region = the issuer's region "
        "(assumed default). 其他(平轉等) is counted but not a published rate."
    )
    notes.append(PUBLISHED_REFERRAL_111Q2)
    header = [
        "轉診方向<br><small>Direction</small>",
        "件數<br><small>Referrals</small>",
        "回復件數<br><small>Replied</small>",
        f"回復率<br><small>{esc(ctx.region_zh)} reply rate</small>",
        "全區回復率<br><small>Country</small>",
        "與全區差<br><small>vs country (pp)</small>",
        "適時回復率<br><small>Timely</small>",
        "全區適時回復率<br><small>Country timely</small>",
        "回復天數中位數<br><small>Median days</small>",
        "全區件數<br><small>Country referrals</small>",
    ]
    width, height = 760, 240
    series = [
        BarSeries(f"{ctx.region_zh} {ctx.area}", REGION_COLOUR, mine_rates),
        BarSeries("全區 country", COUNTRY_COLOUR, country_rates),
    ]
    chart = _svg(
        width,
        height,
        _legend(60, 16, [(s.label, s.colour) for s in series])
        + bar_panel(0, 24, width, height - 24, "", groups, series, lambda v: fmt_pct(v, 1)),
        name="referral",
        title="Referral reply rate by direction",
    )
    subtitle = f"{esc(ctx.region_label)} · 開立季 issued in {esc(roc_quarter(quarter))} ({esc(quarter)})"
    if as_of:
        subtitle += f" · 資料截止 as of {esc(max(as_of))}"
    body = [_table(header, rows, cls="referral"), "<h3>回復率 Reply rate by direction, region vs country</h3>", chart]
    return Section("referral", "電子轉診回復率 Referral reply rates", subtitle, body, notes)


# --- 5. care plans ---------------------------------------------------------------------------

PLAN_LABELS = {"CKD": "初期慢性腎臟病 CKD", "DM": "糖尿病 DM", "ASTHMA": "氣喘 Asthma"}


def section_care_plan(con: duckdb.DuckDBPyConnection, ctx: Context) -> Section:
    data = _rows(con, "select * from marts.care_plan_coverage where sector = 'ALL'")
    contract = {
        r["hosp_cont_type"]: r["contract_type_zh"] for r in _rows(con, "select * from reference.contract_types")
    }
    notes: list[str] = []
    year, quarter_number = parse_quarter(ctx.quarter)
    years = sorted({r["year"] for r in data if r["year"] <= year})
    heading = "照護率 Care-plan coverage"
    if not years:
        return Section(
            "care-plan",
            heading,
            esc(ctx.region_label),
            [f'<p class="empty">{DASH}</p>'],
            [f"care_plan_coverage has no year up to {year}.", PUBLISHED_CARE_PLAN_111H1],
        )
    chosen_year = year if year in years else years[-1]
    months = sorted({r["through_month"] for r in data if r["year"] == chosen_year})
    wanted = 3 * quarter_number if chosen_year == year else 12
    through_month = max([m for m in months if m <= wanted], default=months[-1])
    if chosen_year != year:
        notes.append(f"care_plan_coverage has no {year}: {chosen_year} is shown.")
    elif through_month != wanted:
        notes.append(f"The extract reaches month {through_month} of {chosen_year}: January–{through_month} is shown.")
    period = [r for r in data if r["year"] == chosen_year and r["through_month"] == through_month]
    incomplete = sorted(
        {
            (r["eligibility_year"], r["eligibility_year_data_months"])
            for r in period
            if not r.get("is_eligibility_year_complete", True)
        }
    )
    for eligibility_year, data_months in incomplete:
        notes.append(
            f"The eligibility year {esc(eligibility_year)} has {fmt_int(data_months)} of 12 months in the extract: "
            "the denominator (persons eligible in it) is understated, so coverage is overstated."
        )
    by = {(r["plan"], r["hosp_cont_type"], r["area_no_h"]): r for r in period}
    plans = [p for p in ("CKD", "DM", "ASTHMA") if any(r["plan"] == p for r in period)]
    types = ["ALL", "1", "2", "3", "4"]
    type_label = {t: ("全部 all" if t == "ALL" else contract.get(t, t)) for t in types}
    others = [r["area_no_h"] for r in ctx.regions if r["area_no_h"] != ctx.area]
    rows, panels = [], []
    panel_w, panel_h = 380, 260
    width = panel_w * 3
    for p_index, plan in enumerate(plans):
        mine_rates, country_rates, peer_low, peer_high = [], [], [], []
        for t_index, cont_type in enumerate(types):
            mine = by.get((plan, cont_type, ctx.area), {})
            country = by.get((plan, cont_type, "ALL"), {})
            peers = [number(by.get((plan, cont_type, a), {}).get("coverage_rate")) for a in others]
            peers_known = [v for v in peers if v is not None]
            rate, country_rate = number(mine.get("coverage_rate")), number(country.get("coverage_rate"))
            diff = None if rate is None or country_rate is None else rate - country_rate
            peer_text = f"{fmt_pct(min(peers_known), 1)} – {fmt_pct(max(peers_known), 1)}" if peers_known else DASH
            rows.append(
                f'<tr class="{"total" if cont_type == "ALL" else ""}">'
                + (
                    f'<td class="label" rowspan="{len(types)}">{esc(PLAN_LABELS.get(plan, plan))}</td>'
                    if t_index == 0
                    else ""
                )
                + _td(type_label[cont_type], "label")
                + _td(fmt_int(mine.get("denominator")), "num")
                + _td(fmt_int(mine.get("numerator")), "num")
                + _td(fmt_pct(rate), "num strong")
                + _td(fmt_pct(mine.get("cohort_rate")), "num")
                + _td(fmt_pct(country_rate), "num")
                + _td(fmt_pp(diff), _diff_class(diff, higher_is_better=True))
                + _td(peer_text, "num")
                + "</tr>"
            )
            mine_rates.append(rate)
            country_rates.append(country_rate)
            peer_low.append(min(peers_known) if peers_known else None)
            peer_high.append(max(peers_known) if peers_known else None)
        series = [
            BarSeries(f"{ctx.region_zh} {ctx.area}", REGION_COLOUR, mine_rates, peer_low, peer_high),
            BarSeries("全國 country", COUNTRY_COLOUR, country_rates),
        ]
        panels += bar_panel(
            p_index * panel_w,
            24,
            panel_w,
            panel_h,
            PLAN_LABELS.get(plan, plan),
            [type_label[t] for t in types],
            series,
            lambda v: fmt_pct(v, 0),
            show_values=False,
        )
    legend = _legend(60, 16, [(f"{ctx.region_zh} {ctx.area}", REGION_COLOUR), ("全國 country", COUNTRY_COLOUR)])
    if not plans:
        legend.append(_text(width / 2, panel_h / 2, f"{DASH} no data", colour="#888"))
    legend.append(
        _text(width - 10, 16, "| = 其他分區範圍 other regions' min–max", anchor="end", size=10, colour="#333")
    )
    chart = _svg(width, 24 + panel_h, legend + panels, name="care-plan", title="Care-plan coverage")
    if not plans:
        notes.append(f"care_plan_coverage has no plan rows for {chosen_year} month {through_month}.")
    notes.append(
        "照護率 = persons with a plan P-code claimed in January–through month / persons eligible in the previous year "
        "(published definition: the numerator is not restricted to the eligible persons, so it can exceed 100 %); "
        "世代 cohort = restricted to them. A person counts once per group. The early-CKD denominator is an assumed "
        "default (seed care_plan_definitions)."
    )
    notes.append(PUBLISHED_CARE_PLAN_111H1)
    header = [
        "方案<br><small>Plan</small>",
        "特約類別<br><small>Contract type</small>",
        "分母<br><small>Eligible</small>",
        "分子<br><small>Enrolled</small>",
        f"照護率<br><small>{esc(ctx.region_zh)} coverage</small>",
        "世代照護率<br><small>Cohort rate</small>",
        "全國<br><small>Country</small>",
        "與全國差<br><small>vs country (pp)</small>",
        "其他分區<br><small>Other regions</small>",
    ]
    subtitle = (
        f"{esc(ctx.region_label)} · {chosen_year - 1911} 年 ({chosen_year}) 1–{through_month} 月 "
        f"January–month {through_month}"
    )
    body = [_table(header, rows, cls="care-plan"), "<h3>各特約類別照護率 Coverage by contract type</h3>", chart]
    return Section("care-plan", heading, subtitle, body, notes)


# --------------------------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------------------------

CSS = """
body { font-family: __FONT__; color: #222; margin: 24px auto; max-width: 1180px; padding: 0 16px; }
header { border-bottom: 3px solid __REGION__; margin-bottom: 12px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 28px 0 4px; padding: 6px 10px; background: #f4ecea; border-left: 6px solid __REGION__; }
h3 { font-size: 14px; margin: 18px 0 6px; color: #444; }
.meta, .subtitle { color: #555; font-size: 13px; margin: 2px 0 8px; }
table { border-collapse: collapse; font-size: 13px; margin: 6px 0; }
th, td { border: 1px solid #d5d5d5; padding: 4px 8px; }
th { background: #f2f2f2; font-weight: 600; text-align: center; vertical-align: bottom; }
th small { font-weight: 400; color: #666; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.label { white-space: nowrap; }
td.strong { font-weight: 700; }
td.highlight { background: #fbe3df; font-weight: 700; }
td.missing { color: #999; text-align: center; }
td.better { color: #1e8449; }
td.worse { color: #b03a2e; }
tr.total td { background: #fafafa; font-weight: 600; }
tr.unpublished td { color: #777; }
ul.notes { font-size: 12px; color: #555; margin: 6px 0 0; padding-left: 18px; }
svg.chart { display: block; margin: 6px 0; max-width: 100%; height: auto; }
table, svg.chart, ul.notes { break-inside: avoid; }
h2, h3 { break-after: avoid; }
footer { margin-top: 28px; border-top: 1px solid #ccc; font-size: 11px; color: #777; padding-top: 6px; }
@page { size: A4 landscape; margin: 10mm; }
@media print { body { margin: 0; max-width: none; } section + section { break-before: page; } }
""".replace("__FONT__", FONT).replace("__REGION__", REGION_COLOUR)


def _context(con: duckdb.DuckDBPyConnection, area: str, quarter: str | None) -> Context:
    for schema, table in (
        ("marts", "rpt_point_value_current"),
        ("reference", "regions"),
        ("reference", "point_value_sectors"),
    ):
        if not _table_exists(con, schema, table):
            raise ReportError(f"{schema}.{table} is not in the warehouse: build it (nhi build) or publish it first")
    regions = _rows(con, "select area_no_h, region_zh, region_en from reference.regions order by area_no_h")
    region = next((r for r in regions if r["area_no_h"] == area), None)
    if region is None:
        known = ", ".join(f"{r['area_no_h']} {r['region_zh']}" for r in regions)
        raise ReportError(f"region {area!r} is not in reference.regions ({known})")
    quarters = [r["fee_quarter"] for r in _rows(con, "select distinct fee_quarter from marts.rpt_point_value_current")]
    if not quarters:
        raise ReportError("rpt_point_value_current is empty: no quarter to report")
    if quarter is None:
        quarter = max(quarters, key=_quarter_sort_key)
    else:
        parse_quarter(quarter)
        if quarter not in quarters:
            listed = ", ".join(sorted(quarters, key=_quarter_sort_key))
            raise ReportError(f"quarter {quarter} is not in rpt_point_value_current ({listed})")
    sectors = _rows(
        con, "select sector, sector_zh, sector_en from reference.point_value_sectors order by display_order"
    )
    return Context(area, region["region_zh"], region["region_en"], quarter, regions, sectors)


def build_html(
    con: duckdb.DuckDBPyConnection, area: str, quarter: str | None, *, source: str = ""
) -> tuple[str, Context]:
    """The report page for the region and quarter, from an open read-only connection."""
    from nhi_warehouse.report_prospective import section_prospective

    ctx = _context(con, area, quarter)
    sections = [
        section_point_values(con, ctx),
        section_price_volume(con, ctx),
        section_reexam(con, ctx),
        section_referral(con, ctx),
        section_care_plan(con, ctx),
    ]
    # Sections 6-9 (open-list items, hospital claims overview, 中醫, review deductions) live in their own
    # module, which imports the helpers above: imported here, when this module is complete.
    from nhi_warehouse.report_utilisation import utilisation_sections

    sections += utilisation_sections(con, ctx)
    sections.append(section_prospective(con, ctx))
    nav = " · ".join(f'<a href="#{esc(s.key)}">{esc(s.heading)}</a>' for s in sections)
    title = f"共管會議資料 {ctx.region_zh} {roc_quarter(ctx.quarter)} — Co-management meeting report"
    page = (
        '<!DOCTYPE html><html lang="zh-Hant"><head><meta charset="utf-8">'
        f"<title>{esc(title)}</title><style>{CSS}</style></head><body>"
        f"<header><h1>共管會議資料 Co-management meeting report</h1>"
        f'<p class="meta" id="report-scope">分區 Region: <strong>{esc(ctx.area)} {esc(ctx.region_label)}</strong> · '
        f"季 Quarter: <strong>{esc(roc_quarter(ctx.quarter))}</strong> ({esc(ctx.quarter)})</p>"
        f'<p class="meta">{nav}</p></header>'
        + "".join(s.render() for s in sections)
        + "<footer>All figures are read from the warehouse marts (schemas marts and reference)"
        + (f" of {esc(source)}" if source else "")
        + "; nothing is estimated by the report. — = not in the marts. 全區 / 全國 = the whole country.</footer>"
        "</body></html>"
    )
    return page, ctx


def _source_label(warehouse: Path) -> str:
    """The release id for a published copy (from its manifest), else the file name."""
    manifest = warehouse.parent / "manifest.json"
    if manifest.is_file():
        try:
            release = json.loads(manifest.read_text(encoding="utf-8")).get("release_id")
            if release:
                return f"release {release}"
        except (OSError, ValueError):
            pass
    return warehouse.name


def _connect_read_only(warehouse: Path) -> duckdb.DuckDBPyConnection:
    if not warehouse.is_file():
        raise ReportError(f"warehouse {warehouse} does not exist")
    try:
        return duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error as error:
        raise ReportError(f"cannot open {warehouse} read-only: {error}") from error


def _write_page(page: str, out: Path, name: str) -> Path:
    """Write ``page`` to ``out`` (a path ending in .html) or ``out / name``, atomically."""
    target = out if out.suffix.lower() == ".html" else out / name
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_text(page, encoding="utf-8")
    os.replace(temporary, target)
    return target


def render_report(warehouse: Path, area: str, quarter: str | None, out: Path) -> Path:
    """Render the report for ``area`` ('1'–'6') and ``quarter`` ('2025Q4'; None = the latest quarter in
    rpt_point_value_current) from the DuckDB file ``warehouse`` (the build warehouse
    or the published ``nhi_marts.duckdb``, opened read-only). ``out`` is a folder (the file is named
    ``co_management_<area>_<quarter>.html``) or a path ending in ``.html``. Returns the file written."""
    warehouse = Path(warehouse)
    con = _connect_read_only(warehouse)
    try:
        page, ctx = build_html(con, area, quarter, source=_source_label(warehouse))
    finally:
        con.close()
    return _write_page(page, Path(out), f"co_management_{ctx.area}_{ctx.quarter}.html")


def render_statement(warehouse: Path, hosp_id: str, quarter: str | None, out: Path, area: str | None = None) -> Path:
    """Render one hospital's prospective-budget statement (report_prospective.statement_html) as
    ``prospective_<hosp_id>_<quarter>.html`` in ``out`` (or at ``out`` ending in ``.html``)."""
    from nhi_warehouse.report_prospective import statement_html

    con = _connect_read_only(Path(warehouse))
    try:
        page, shown = statement_html(con, hosp_id, quarter, area)
    finally:
        con.close()
    return _write_page(page, Path(out), f"prospective_{hosp_id}_{shown}.html")


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_args(user_data_dir: Path) -> list[str]:
    """Headless Chromium flags that keep it off the network and out of the user's profile."""
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={user_data_dir}",
    ]


def print_pdf(report: Path) -> Path:
    """Print the HTML report to a PDF beside it with headless Chromium."""
    chromium = find_chromium()
    if chromium is None:
        raise ReportError("--pdf needs Chromium (apt-get install chromium)")
    pdf = report.with_suffix(".pdf")
    with tempfile.TemporaryDirectory() as profile:
        command = [
            chromium,
            *chromium_args(Path(profile)),
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            report.resolve().as_uri(),
        ]
        result = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    if result.returncode != 0 or not pdf.is_file():
        raise ReportError(f"Chromium could not print {report}: {result.stderr[-500:]}")
    return pdf


def default_warehouse() -> Path:
    """The published copy when there is one (readers never hold the build warehouse), else the build
    warehouse of the environment (NHI_DUCKDB_PATH, default data/warehouse/nhi.duckdb)."""
    from nhi_warehouse.settings import Settings

    settings = Settings.from_env()
    published = (
        Path(os.environ.get("NHI_PUBLISH_DIR", settings.root / "data" / "published")) / "current" / "nhi_marts.duckdb"
    )
    return published if published.is_file() else settings.duckdb_path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m nhi_warehouse.report",
        description="Render the co-management meeting report (one self-contained HTML file) for a region and quarter.",
    )
    parser.add_argument("--area", required=True, help="region code 1-6 (5 = 高屏)")
    parser.add_argument("--quarter", help="Gregorian quarter, e.g. 2025Q4 (default: the latest quarter in the marts)")
    parser.add_argument(
        "--warehouse",
        type=Path,
        help="DuckDB file to read (default: data/published/current/nhi_marts.duckdb if it exists, "
        "else NHI_DUCKDB_PATH)",
    )
    parser.add_argument("--out", type=Path, default=None, help="output folder or .html path (default: data/reports/)")
    parser.add_argument("--pdf", action="store_true", help="also print a PDF beside the HTML with headless Chromium")
    parser.add_argument(
        "--hospital",
        help="instead of the region's report, one hospital's prospective-budget statement "
        "(前瞻式預算管理 個別醫院結算)",
    )
    options = parser.parse_args(argv)
    try:
        warehouse = options.warehouse or default_warehouse()
        if options.out is None:
            from nhi_warehouse.settings import Settings

            out = Settings.from_env().root / DEFAULT_OUT
        else:
            out = options.out
        if options.hospital:
            report = render_statement(warehouse, options.hospital, options.quarter, out, options.area)
        else:
            report = render_report(warehouse, options.area, options.quarter, out)
        print(f"report: {report}")
        if options.pdf:
            print(f"pdf: {print_pdf(report)}")
    except ReportError as error:
        print(f"report: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
