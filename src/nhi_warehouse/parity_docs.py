"""The parity figures in the docs, generated from the recorded parity runs (never typed by hand).

    python -m nhi_warehouse.parity_docs [--records docs/parity]

`make parity` and `make parity-cluster` record their result (`parity --record docs/parity/<mode>.json`)
and rewrite the blocks between `<!-- parity-figures:begin -->` / `<!-- parity-figures:end -->` in
docs/spark.md and `<!-- parity-summary:begin -->` / `<!-- parity-summary:end -->` in README.md from
every record in that folder: the extract, the wall time of each build, the dbt results, the cluster
and every mart's rows and verdict per run.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

from nhi_warehouse.settings import project_root

RECORDS = Path("docs/parity")
MODES = {"session": "local Spark session (`spark`)", "cluster": "local Spark cluster via Thrift (`spark_thrift`)"}
SPARK_BUILDS = ("spark", "spark_thrift")


def load_records(folder: Path) -> list[dict[str, Any]]:
    """The recorded runs, session first."""
    records = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]
    return sorted(records, key=lambda r: list(MODES).index(r["mode"]) if r.get("mode") in MODES else 9)


def _minutes(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds / 60:.1f} min ({seconds:.0f} s)"


def _spark_build(record: dict[str, Any]) -> dict[str, Any]:
    return next((record["builds"][name] for name in SPARK_BUILDS if name in record["builds"]), {})


def _extract(record: dict[str, Any]) -> str:
    extract = record.get("extract", {})
    generator = extract.get("generator", {})
    parts = []
    if generator:
        parts.append(f"generator `--size {generator.get('size')} --months {generator.get('months')}`")
        if "persons" in generator:
            parts.append(f"{generator['persons']:,} persons")
    rows = extract.get("rows", {})
    if rows:
        parts.append(", ".join(f"{table} {count:,}" for table, count in rows.items()) + " rows")
    if "files" in extract:
        parts.append(f"{extract['files']} files of which {extract.get('csv_files', 0)} CSV")
    return "; ".join(parts) or "(not recorded)"


def _verdict(record: dict[str, Any]) -> str:
    summary = record["summary"]
    text = f"{summary['equal']} of {summary['relations']} equal ({summary['equal_rows']:,} rows)"
    if summary["empty_on_both"]:
        text += f", {len(summary['empty_on_both'])} EMPTY on both"
    if summary["different"]:
        text += f", {len(summary['different'])} DIFFERENT"
    return text + (" — PARITY OK" if record["ok"] else " — PARITY FAILED")


def figures(records: list[dict[str, Any]]) -> str:
    """The block of docs/spark.md."""
    if not records:
        return "No parity run recorded yet: run `make parity` / `make parity-cluster`.\n"
    lines = [
        "Generated from the recorded runs in `docs/parity/` by `make parity` / `make parity-cluster`",
        "(`python -m nhi_warehouse.parity_docs` regenerates it); do not edit by hand.",
        "",
    ]
    extracts = {_extract(r) for r in records}
    lines += [f"Extract: {text}." for text in sorted(extracts)] + [""]
    lines += [
        "| run | finished (UTC) | DuckDB `dbt build` | Spark `dbt build` | dbt results (DuckDB / Spark) | "
        "load average before → after the Spark build | marts |",
        "|---|---|---|---|---|---|---|",
    ]
    for record in records:
        duck, spark = record["builds"].get("duckdb", {}), _spark_build(record)
        load = f"{spark.get('load_before')} → {spark.get('load_after')}" if spark else "-"
        lines.append(
            f"| {MODES.get(record['mode'], record['mode'])} | {record['finished_at'][:16].replace('T', ' ')} "
            f"| {_minutes(duck.get('seconds'))} | {_minutes(spark.get('seconds'))} "
            f"| {duck.get('summary') or '-'} / {spark.get('summary') or '-'} | {load} | {_verdict(record)} |"
        )
    for record in records:
        if record.get("cluster"):
            lines += ["", f"The cluster of the `{record['mode']}` run, as its log showed it after the build:", ""]
            lines += ["```", *record["cluster"], "```"]
    names = sorted({t["name"] for r in records for t in r["tables"]})
    by_run = [{t["name"]: t for t in r["tables"]} for r in records]
    lines += ["", "| mart | kind | " + " | ".join(f"{r['mode']}: rows, result" for r in records) + " |"]
    lines.append("|---|---|" + "---|" * len(records))
    for name in names:
        kind = next(runs[name]["kind"] for runs in by_run if name in runs)
        cells = []
        for runs in by_run:
            table = runs.get(name)
            rows = "-" if table is None else f"{table['duckdb_rows']:,} / {table['spark_rows']:,}"
            cells.append(rows if table is None else f"{rows}, {table['status']}")
        lines.append(f"| `{name}` | {kind} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("Rows are DuckDB / Spark; `equal` means every row matched in both directions.")
    return "\n".join(lines) + "\n"


def summary(records: list[dict[str, Any]]) -> str:
    """The sentence of README.md."""
    if not records:
        return "No parity run recorded yet.\n"
    first = records[0]
    times = [f"`dbt build` {first['builds']['duckdb']['seconds'] / 60:.1f} min on DuckDB"]
    for record in records:
        spark = _spark_build(record)
        if spark:
            times.append(f"{spark['seconds'] / 60:.1f} min on the {MODES.get(record['mode'], record['mode'])}")
    verdicts = "; ".join(f"{r['mode']}: {_verdict(r)}" for r in records)
    return (
        f"Last recorded runs ({_extract(first).split(';')[0]}): {verdicts}. "
        f"{', '.join(times)} — Spark's time is per-statement overhead, not data.\n"
    )


def replace_block(text: str, name: str, body: str) -> str | None:
    """`text` with the marked block replaced, or None when it has no such block."""
    pattern = re.compile(rf"(<!-- {name}:begin -->\n).*?(<!-- {name}:end -->)", re.DOTALL)
    if not pattern.search(text):
        return None
    return pattern.sub(lambda m: m.group(1) + body + m.group(2), text, count=1)


def update_docs(records_folder: Path | None = None, root: Path | None = None) -> list[Path]:
    """Rewrite the marked blocks from the records; return the files changed."""
    root = root or project_root()
    folder = records_folder or root / RECORDS
    records = load_records(folder)
    changed = []
    for path, name, body in (
        (root / "docs" / "spark.md", "parity-figures", figures(records)),
        (root / "README.md", "parity-summary", summary(records)),
    ):
        text = path.read_text(encoding="utf-8")
        new = replace_block(text, name, body)
        if new is None:
            print(f"parity docs: no <!-- {name}:begin --> block in {path}; left as it is")
        elif new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nhi_warehouse.parity_docs", description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=Path, help=f"folder of the recorded runs (default {RECORDS})")
    options = parser.parse_args(argv)
    for path in update_docs(options.records):
        print(f"parity docs: rewrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
