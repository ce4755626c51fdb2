"""The co-management meeting report (nhi_warehouse.report), rendered from the demo warehouse and looked at
in a real browser: headless Chromium parses the page (--dump-dom) and takes a screenshot kept as a test
artefact (artifacts/report.png). The browser tests skip when Chromium is not installed."""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from nhi_warehouse.report import ReportError, chromium_args, find_chromium, render_report

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
AREA = "5"  # 高屏
SECTION_HEADINGS = (
    "點值 Point values",
    "價量分析 Price–volume and growth",
    "20類重要檢查(驗) 再執行率 Re-execution rates",
    "電子轉診回復率 Referral reply rates",
    "照護率 Care-plan coverage",
    "開放表別 Open-list items",
    "醫院申報概況 Hospital claims overview",
    "中醫 Chinese-medicine utilisation",
    "核減率 Review deductions",
    "前瞻式預算管理 Hospital prospective budget",
)
CHARTS = (
    "point-value-trend",
    "price-volume",
    "reexam",
    "referral",
    "care-plan",
    "open-list",
    "hospital",
    "tcm-providers",
    "deductions",
)

pytestmark = pytest.mark.slow


class Page(HTMLParser):
    """What a reader sees: the visible text, the section headings, table rows and each chart's drawn marks."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.headings: list[str] = []
        self.rows: list[list[str]] = []
        self.marks: dict[str, Counter[str]] = {}
        self._heading: list[str] | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._chart: str | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in ("style", "title", "script"):
            self._skip += 1
        elif tag == "h2":
            self._heading = []
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "svg":
            self._chart = attributes.get("data-chart") or "?"
            self.marks[self._chart] = Counter()
        elif self._chart is not None and tag in ("rect", "line", "circle", "path", "polyline"):
            self.marks[self._chart][attributes.get("class") or tag] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "title", "script"):
            self._skip -= 1
        elif tag == "h2" and self._heading is not None:
            self.headings.append("".join(self._heading).strip())
            self._heading = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        elif tag == "svg":
            self._chart = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.text.append(data)
        for buffer in (self._heading, self._cell):
            if buffer is not None:
                buffer.append(data)

    @property
    def visible_text(self) -> str:
        return " ".join(" ".join(self.text).split())


def parse(page: str) -> Page:
    parsed = Page()
    parsed.feed(page)
    return parsed


def run_chromium(*args: str) -> subprocess.CompletedProcess[str]:
    chromium = find_chromium()
    if chromium is None:
        pytest.skip("Chromium is not installed (apt-get install chromium); the browser test needs it")
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [chromium, *chromium_args(Path(profile)), *args],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )


@pytest.fixture(scope="module")
def warehouse(demo_build) -> Path:
    assert demo_build.returncode == 0, demo_build.output[-4000:]
    return demo_build.duckdb_path


@pytest.fixture(scope="module")
def report(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_report(warehouse, AREA, None, tmp_path_factory.mktemp("report"))


@pytest.fixture(scope="module")
def dom(report: Path) -> Page:
    """The page as Chromium parsed it."""
    result = run_chromium("--dump-dom", report.resolve().as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    assert "<svg" in result.stdout, result.stdout[:2000]
    return parse(result.stdout)


def latest_quarter(warehouse: Path) -> str:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        found = con.execute("select max(fee_quarter) from marts.rpt_point_value_current").fetchone()
    assert found is not None
    return str(found[0])


def test_report_file_is_self_contained(report: Path, warehouse: Path) -> None:
    assert report.name == f"co_management_{AREA}_{latest_quarter(warehouse)}.html"
    page = report.read_text(encoding="utf-8")
    # No script, no stylesheet or image from anywhere: one file that opens offline.
    assert "<script" not in page
    assert not re.search(r"""(src|href)=["'](https?:)?//""", page)
    assert "<link" not in page


def test_browser_shows_every_section(dom: Page) -> None:
    assert dom.headings == list(SECTION_HEADINGS)


def test_point_value_row_of_the_region_matches_the_marts(dom: Page, warehouse: Path) -> None:
    """The report shows what rpt_point_value_current decided (status, value, rank), and that
    mart follows the status rule: settled when complete, else the forecast, never a provisional
    value."""
    quarter = latest_quarter(warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        shown = con.execute(
            "select status, avg_pv, avg_pv_rank from marts.rpt_point_value_current "
            "where sector = 'HOSPITAL' and area_no_h = ? and fee_quarter = ?",
            [AREA, quarter],
        ).fetchone()
        settled = con.execute(
            "select status from marts.point_value_settlement "
            "where sector = 'HOSPITAL' and area_no_h = ? and fee_quarter = ?",
            [AREA, quarter],
        ).fetchone()
    assert shown is not None and settled is not None
    status, avg_pv, rank = shown
    assert status == ("SETTLED" if settled[0] == "SETTLED" else "FORECAST"), (status, settled)
    assert avg_pv is not None
    hospital = next(row for row in dom.rows if row and row[0] == "醫院 hospitals" and len(row) == 10)
    assert hospital[1] == {"SETTLED": "結算 settled", "FORECAST": "預估 forecast"}[status]
    assert hospital[2] == f"{avg_pv:,.4f}"
    assert hospital[4] == f"{rank} / 6"
    # The region is named from reference.regions, and each section's subtitle names it.
    assert dom.visible_text.count("高屏 Kaoping") >= 5
    # Every section has a table row for the region's figures (a sector, a category, a direction, a group).
    for label in ("西醫基層 western-medicine primary care", "全部類別 all categories", "上轉", "全部 all"):
        assert any(label in row for row in dom.rows), label


def test_every_chart_is_drawn(dom: Page) -> None:
    assert set(dom.marks) == set(CHARTS)
    trend = dom.marks["point-value-trend"]
    assert trend["point"] >= 8 and trend["series"] >= 4, trend
    for chart in ("price-volume", "reexam", "referral", "care-plan", "open-list", "hospital"):
        assert dom.marks[chart]["bar"] >= 4, (chart, dom.marks[chart])
    for chart in ("tcm-providers", "deductions"):
        assert dom.marks[chart]["point"] >= 8 and dom.marks[chart]["series"] >= 4, (chart, dom.marks[chart])


def test_no_missing_value_leaks_into_the_page(dom: Page) -> None:
    text = dom.visible_text
    for word in ("None", "NaN", "nan %", "inf", "null", "undefined"):
        assert not re.search(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", text), word


def test_screenshot_is_kept_as_an_artefact(report: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / "report.png"
    screenshot.unlink(missing_ok=True)
    result = run_chromium(
        f"--screenshot={screenshot}", "--window-size=1280,4000", "--hide-scrollbars", report.resolve().as_uri()
    )
    assert result.returncode == 0, result.stderr[-2000:]
    data = screenshot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 4000)
    assert len(data) > 100_000  # a drawn page, not a blank one


def test_missing_data_is_a_dash_with_a_note(warehouse: Path, tmp_path: Path) -> None:
    """The first quarter of the extract has no year-earlier quarter (no growth) and no care-plan year:
    the report says so instead of inventing figures."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        first = con.execute("select min(fee_quarter) from marts.rpt_point_value_current").fetchone()
    assert first is not None
    page = parse(render_report(warehouse, AREA, str(first[0]), tmp_path).read_text(encoding="utf-8"))
    text = page.visible_text
    assert "no same quarter a year earlier in the extract" in text
    assert "care_plan_coverage has no year up to" in text
    assert "—" in text
    assert not re.search(r"(?<![A-Za-z])(None|NaN)(?![A-Za-z])", text)


def test_unknown_region_or_quarter_is_refused(warehouse: Path, tmp_path: Path) -> None:
    with pytest.raises(ReportError, match=r"not in reference\.regions"):
        render_report(warehouse, "9", None, tmp_path)
    with pytest.raises(ReportError, match="not in rpt_point_value_current"):
        render_report(warehouse, AREA, "1999Q1", tmp_path)
    with pytest.raises(ReportError, match="not a Gregorian quarter"):
        render_report(warehouse, AREA, "2025-4", tmp_path)
