"""The two documentation sites open in a real browser: the Great Expectations Data Docs written by
the mart validation, and the static dbt docs (`nhi docs`). Headless Chromium renders each page
(--dump-dom after its scripts ran) and takes a screenshot kept as a test artefact
(artifacts/data_docs.png, artifacts/dbt_docs.png). Skipped when Chromium is not installed."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import Build, run_dbt
from nhi_warehouse.quality.marts import MartOptions, validate_marts
from nhi_warehouse.quality.paths import MART_CONFIG, QualityPaths
from nhi_warehouse.report import chromium_args, find_chromium
from nhi_warehouse.settings import project_root

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
MART_PAGE = "#!/model/model.nhi_warehouse.point_value_settlement"

pytestmark = pytest.mark.slow


def chromium(*args: str) -> subprocess.CompletedProcess[str]:
    binary = find_chromium()
    if binary is None:
        pytest.skip("Chromium is not installed (apt-get install chromium); the browser test needs it")
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [binary, *chromium_args(Path(profile)), "--virtual-time-budget=15000", *args],
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )


def visible_text(dom: str) -> str:
    without_code = re.sub(r"<(script|style)\b.*?</\1>", " ", dom, flags=re.S | re.I)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", without_code))


def screenshot(page: Path, name: str, fragment: str = "") -> bytes:
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / name
    target.unlink(missing_ok=True)
    url = page.resolve().as_uri() + fragment
    result = chromium(f"--screenshot={target}", "--window-size=1280,2000", "--hide-scrollbars", url)
    assert target.is_file(), result.stderr[-2000:]
    return target.read_bytes()


@pytest.fixture(scope="module")
def data_docs(demo_build: Build, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    assert demo_build.returncode == 0, demo_build.output[-3000:]
    work = tmp_path_factory.mktemp("data-docs")
    paths = QualityPaths(quality_dir=work / "quality", docs_dir=work / "data_docs")
    outcome = validate_marts(paths, MartOptions(warehouse=demo_build.duckdb_path, config=project_root() / MART_CONFIG))
    assert outcome.success, [failure.line() for failure in outcome.failures]
    assert outcome.docs is not None and outcome.docs.is_file()
    return outcome.docs, outcome.suites


@pytest.fixture(scope="module")
def dbt_docs(demo_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert demo_build.returncode == 0, demo_build.output[-3000:]
    work = tmp_path_factory.mktemp("dbt-docs")
    # `dbt docs generate` runs the on-run-start hooks, which write the warehouse: generate from a
    # copy, so the session's demo warehouse stays as its build left it (test_publish checks that)
    warehouse = work / "warehouse.duckdb"
    shutil.copy2(demo_build.duckdb_path, warehouse)
    result = run_dbt(["docs", "generate", "--static"], demo_build.raw_root, warehouse, work)
    assert result.returncode == 0, result.stdout[-3000:]
    page = work / "target" / "static_index.html"
    assert page.is_file()
    return page


def test_data_docs_show_every_mart_suite_passing(data_docs: tuple[Path, dict[str, int]]) -> None:
    index, suites = data_docs
    result = chromium("--dump-dom", index.resolve().as_uri())
    text = visible_text(result.stdout)
    assert "資料品質" in text and "marts" in text, text[:2000]
    assert "FAILED" not in text, text[:3000]
    missing = [suite for suite in suites if suite not in text]
    assert not missing, f"suites not shown on the Data Docs page: {missing}"


def test_data_docs_screenshot_is_kept(data_docs: tuple[Path, dict[str, int]]) -> None:
    data = screenshot(data_docs[0], "data_docs.png")
    assert data.startswith(b"\x89PNG") and len(data) > 10_000


def test_dbt_docs_render_the_project_offline(dbt_docs: Path) -> None:
    result = chromium("--dump-dom", dbt_docs.resolve().as_uri())
    text = visible_text(result.stdout)
    # the Angular app has run from the one offline file: the navigation lists the project, the raw
    # sources, the exposures and the metrics with their descriptions (English and Chinese)
    for expected in (
        "nhi_warehouse",
        "nhird",
        "共管會議報告 Co-management meeting report",
        "平均點值",
        "Lineage Graph",
    ):
        assert expected in text, f"{expected!r} not rendered; page text starts: {text[:1500]}"


def test_dbt_docs_show_a_mart_with_its_columns(dbt_docs: Path) -> None:
    result = chromium("--dump-dom", dbt_docs.resolve().as_uri() + MART_PAGE)
    text = visible_text(result.stdout)
    for expected in ("point_value_settlement", "avg_pv", "float_pv", "avg_pv_rank", "點值"):
        assert expected in text, f"{expected!r} not on the mart's page; page text starts: {text[:1500]}"


def test_dbt_docs_screenshot_is_kept(dbt_docs: Path) -> None:
    data = screenshot(dbt_docs, "dbt_docs.png", fragment=MART_PAGE)
    assert data.startswith(b"\x89PNG") and len(data) > 10_000
