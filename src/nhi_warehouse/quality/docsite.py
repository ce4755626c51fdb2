"""The Data Docs site as people open it: a self-contained ``index.html`` (no scripts, no internet).

Great Expectations renders one HTML page per validation result and suite, but its index page
builds its tables with JavaScript and styles from public CDNs, so offline (a division's closed
network) it shows an empty page. After each GX build this module

* keeps GX's own index as ``gx_index.html``;
* writes ``index.html``: the latest raw and mart runs (status, every batch with a link to its GX
  page, the failures in words) and the run history (``<quality>/runs.json``);
* adds a small inline stylesheet to the GX pages of the run, so they read well offline too.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

HISTORY_LIMIT = 60
MARKER = "<!-- nhi-quality offline style -->"
INDEX_SIGNATURE = '<meta name="generator" content="nhi-quality">'

OFFLINE_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans TC",sans-serif;margin:0;color:#1f2328;font-size:14px}
a{color:#0969da}
.container-fluid{padding:12px 24px}
.navbar{padding:6px 12px;border-bottom:1px solid #d0d7de;background:#f6f8fa}
.navbar img{height:28px}
.breadcrumb{list-style:none;display:flex;gap:8px;padding:0;margin:4px 0}
.nav{list-style:none;padding-left:0}
.row{display:flex;flex-wrap:wrap;gap:12px}
.ge-navigation-sidebar-container{min-width:220px;max-width:260px;background:#f6f8fa;border:1px solid #d0d7de;
  border-radius:6px;padding:8px}
.col-md-10{flex:1;min-width:600px}
.ge-section{border:1px solid #d0d7de;border-radius:6px;margin:8px 0;padding:8px 12px}
.card-header{font-weight:600;background:#f6f8fa;margin:-8px -12px 8px;padding:6px 12px;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;margin:4px 0}
td,th{border:1px solid #d0d7de;padding:3px 8px;text-align:left;vertical-align:top}
.badge{display:inline-block;padding:0 6px;border-radius:10px;background:#eaeef2;font-size:85%}
.alert{background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:6px 10px;margin:6px 0}
.text-success{color:#1a7f37}.text-danger{color:#cf222e}.text-warning{color:#9a6700}
.fas,.fa{font-style:normal}
.fa-check-circle::before{content:"\\2714 "}
.fa-times::before,.fa-times-circle::before{content:"\\2718 "}
.fa-exclamation-triangle::before{content:"\\26A0 "}
.d-none{display:none}
"""

INDEX_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans TC",sans-serif;margin:24px;color:#1f2328;
  font-size:14px;max-width:1400px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 6px}
.muted{color:#59636e}
.status{display:inline-block;padding:2px 10px;border-radius:12px;font-weight:600;font-size:13px}
.ok{background:#dafbe1;color:#1a7f37}.fail{background:#ffebe9;color:#cf222e}
table{border-collapse:collapse;margin:6px 0;width:100%}
td,th{border-bottom:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
ul.failures li{margin:3px 0;font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12.5px}
.card{border:1px solid #d0d7de;border-radius:8px;padding:10px 16px;margin:12px 0}
details{margin:6px 0}
code{font-size:12.5px}
"""


@dataclass
class ResultRecord:
    """One validated batch: which suite, on what, how it went, where its GX page is."""

    suite: str
    target: str
    success: bool
    evaluated: int
    failed: int
    page: str | None


def page_of(context: Any, site_name: str, identifier: Any, docs_dir: Path) -> str | None:
    """The GX page of a validation result, relative to the site folder."""
    try:
        urls = context.get_docs_sites_urls(resource_identifier=identifier, site_name=site_name, only_if_exists=False)
    except Exception:  # a missing link must not fail the validation
        return None
    for url in urls:
        target = str(url.get("site_url") or "")
        if target.startswith("file://"):
            path = Path(target.removeprefix("file://"))
            try:
                return os.path.relpath(path, docs_dir).replace(os.sep, "/")
            except ValueError:
                return None
    return None


def add_offline_style(page: Path) -> None:
    """Inline a small stylesheet into a GX page (idempotent)."""
    if not page.is_file():
        return
    text = page.read_text(encoding="utf-8")
    if MARKER in text:
        return
    style = f"{MARKER}\n<style>{OFFLINE_CSS}</style>\n"
    text = text.replace("</head>", style + "</head>", 1) if "</head>" in text else style + text
    page.write_text(text, encoding="utf-8")


def _status(success: bool, yes: str = "PASSED", no: str = "FAILED") -> str:
    return f'<span class="status {"ok" if success else "fail"}">{yes if success else no}</span>'


def _run_card(run: dict[str, Any]) -> str:
    e = html.escape
    verdict = _status(run["success"], "PASSED", "REFUSED" if run["kind"] == "raw" else "FAILED")
    parts = [
        '<div class="card">',
        f"<h2>{e(run['title'])} {verdict}</h2>",
        f'<p class="muted">{e(run["time"])} · {run["batches"]} batch(es) · {run["expectations"]} expectation '
        f"result(s) · {len(run['failures'])} failure(s) · {run['seconds']:.1f} s</p>",
    ]
    if run["failures"]:
        items = "".join(f"<li>{e(line)}</li>" for line in run["failures"])
        parts.append(
            f'<p><b>Failures</b> (suite | batch | expectation | observed)</p><ul class="failures">{items}</ul>'
        )
    rows = []
    for result in run["results"]:
        link = f'<a href="{e(result["page"])}">{e(result["suite"])}</a>' if result["page"] else e(result["suite"])
        rows.append(
            f"<tr><td>{link}</td><td>{e(result['target'])}</td><td class='num'>{result['evaluated']}</td>"
            f"<td class='num'>{result['failed']}</td><td>{_status(result['success'])}</td></tr>"
        )
    parts.append(
        "<table><tr><th>Suite (Great Expectations page)</th><th>Batch</th><th>Expectations</th><th>Failed</th>"
        f"<th>Status</th></tr>{''.join(rows)}</table>"
    )
    if run["notices"]:
        items = "".join(f"<li>{e(n)}</li>" for n in run["notices"])
        parts.append(f"<details><summary>Notes ({len(run['notices'])})</summary><ul>{items}</ul></details>")
    parts.append("</div>")
    return "\n".join(parts)


def write_index(docs_dir: Path, history: list[dict[str, Any]]) -> Path:
    e = html.escape
    latest: dict[str, dict[str, Any]] = {}
    for run in history:
        latest[run["kind"]] = run
    cards = [_run_card(latest[kind]) for kind in ("raw", "marts") if kind in latest]
    rows = "".join(
        f"<tr><td>{e(run['time'])}</td><td>{e(run['kind'])}</td><td>{e(run['subject'])}</td>"
        f"<td>{_status(run['success'], no='REFUSED' if run['kind'] == 'raw' else 'FAILED')}</td>"
        f"<td class='num'>{len(run['failures'])}</td>"
        f"<td class='num'>{run['seconds']:.1f}</td></tr>"
        for run in reversed(history)
    )
    generated = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">{INDEX_SIGNATURE}<title>NHI warehouse · data quality</title>
<style>{INDEX_CSS}</style></head>
<body>
<h1>NHI warehouse · data quality 資料品質</h1>
<p class="muted">Great Expectations validations of the raw delivery (before <code>dbt build</code>) and of the marts
(after it). Generated {generated}. Each suite links to its Great Expectations page; the
<a href="gx_index.html">Great Expectations index</a> needs internet access for its scripts.</p>
{"".join(cards) or "<p>No validation has run yet.</p>"}
<h2>History</h2>
<table><tr><th>Time (UTC)</th><th>Check</th><th>Of</th><th>Status</th><th>Failures</th><th>Seconds</th></tr>
{rows}</table>
</body></html>
"""
    index = docs_dir / "index.html"
    index.write_text(page, encoding="utf-8")
    return index


def publish(
    docs_dir: Path,
    history_path: Path,
    *,
    kind: str,
    title: str,
    subject: str,
    success: bool,
    batches: int,
    expectations: int,
    failures: list[str],
    notices: list[str],
    seconds: float,
    results: list[ResultRecord],
) -> Path:
    """Record this run in the history and rewrite the site's index; return the index path."""
    built = docs_dir / "index.html"
    if built.is_file() and INDEX_SIGNATURE not in built.read_text(encoding="utf-8")[:600]:
        built.replace(docs_dir / "gx_index.html")  # the index GX just wrote
    add_offline_style(docs_dir / "gx_index.html")
    for result in results:
        if result.page:
            add_offline_style(docs_dir / result.page)
    for suite_page in (docs_dir / "expectations").glob("*.html") if (docs_dir / "expectations").is_dir() else []:
        add_offline_style(suite_page)
    history: list[dict[str, Any]] = []
    if history_path.is_file():
        try:
            loaded = json.loads(history_path.read_text(encoding="utf-8"))
            history = loaded if isinstance(loaded, list) else []
        except json.JSONDecodeError:
            history = []
    history.append(
        {
            "time": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S"),
            "kind": kind,
            "title": title,
            "subject": subject,
            "success": success,
            "batches": batches,
            "expectations": expectations,
            "failures": failures[:200],
            "notices": notices[:200],
            "seconds": round(seconds, 1),
            "results": [asdict(r) for r in results],
        }
    )
    history = history[-HISTORY_LIMIT:]
    history_path.parent.mkdir(parents=True, exist_ok=True)
    history_path.write_text(json.dumps(history, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return write_index(docs_dir, history)
