"""Benchmark: build the warehouse from scratch for a generator size and print what it cost.

    python -m nhi_warehouse.benchmark --size demo
    python -m nhi_warehouse.benchmark --size region --months 12 --work /big/bench

Steps, each timed: generate the extract (unless --raw is given), `dbt build` from an empty
warehouse, the floor (benchmarks/floor.sql: the marts' core computations as one hand-written
DuckDB script, no dbt), and optionally an incremental month (--incremental: build on all but the
last month, add the last month, `dbt build` again). Prints a table — rows per raw table, wall time
per model (dbt's run_results.json), total wall time, peak resident memory, claims per second —
and writes the same as JSON (default benchmarks/results/<size>.json) so runs can be compared.
Timings are measured, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from nhi_warehouse.settings import project_root

ROOT = project_root()


@dataclass
class Step:
    name: str
    seconds: float
    peak_rss_mib: float
    returncode: int


@dataclass
class Report:
    size: str
    months: int
    machine: dict[str, str]
    raw_rows: dict[str, int] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)
    models: list[dict[str, object]] = field(default_factory=list)
    summary: dict[str, float] = field(default_factory=dict)


def _timed(name: str, command: list[str], env: dict[str, str]) -> Step:
    """Run a command in a child process; wall time and the child's peak resident memory."""
    wrapper = [
        sys.executable,
        "-c",
        "import resource, subprocess, sys, json;"
        "rc = subprocess.run(sys.argv[1:]).returncode;"
        "print(json.dumps({'rss_kib': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}), file=sys.stderr);"
        "sys.exit(rc)",
        *command,
    ]
    started = time.perf_counter()
    completed = subprocess.run(wrapper, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True, check=False)
    seconds = time.perf_counter() - started
    rss_kib = 0
    for line in completed.stderr.splitlines():
        if line.startswith('{"rss_kib"'):
            rss_kib = json.loads(line)["rss_kib"]
        else:
            print(line, file=sys.stderr)
    return Step(name, round(seconds, 2), round(rss_kib / 1024, 1), completed.returncode)


def _dbt(args: list[str], work: Path) -> list[str]:
    return [
        str(Path(sys.executable).with_name("dbt")),
        *args,
        "--profiles-dir",
        str(ROOT / "profiles"),
        "--target-path",
        str(work / "target"),
        "--log-path",
        str(work / "logs"),
    ]


def _model_timings(work: Path) -> list[dict[str, object]]:
    results = json.loads((work / "target" / "run_results.json").read_text(encoding="utf-8"))
    rows = []
    for result in results["results"]:
        unique_id = result["unique_id"]
        if not unique_id.startswith(("model.", "seed.")):
            continue
        rows.append(
            {
                "node": unique_id.split(".", 2)[-1],
                "status": result["status"],
                "seconds": round(result["execution_time"], 2),
            }
        )
    return sorted(rows, key=lambda row: -float(row["seconds"]))  # type: ignore[arg-type]


def run(options: argparse.Namespace) -> Report:
    work = Path(options.work).resolve()
    work.mkdir(parents=True, exist_ok=True)
    raw = Path(options.raw).resolve() if options.raw else work / "raw"
    warehouse = work / "warehouse.duckdb"
    env = dict(os.environ)
    env.update(
        NHI_RAW_ROOT=str(raw),
        NHI_DUCKDB_PATH=str(warehouse),
        NHI_DUCKDB_TEMP=str(work / "tmp"),
        PYTHONPATH=str(ROOT / "src"),
    )
    report = Report(
        size=options.size,
        months=options.months,
        machine={
            "cpus": str(os.cpu_count()),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "duckdb_memory_limit": env.get("NHI_DUCKDB_MEMORY", "6GB"),
            "duckdb_threads": env.get("NHI_DUCKDB_THREADS", "2"),
        },
    )

    if not options.raw:
        shutil.rmtree(raw, ignore_errors=True)
        command = [sys.executable, "-m", "nhi_warehouse.generator", "--size", options.size, "--out", str(raw)]
        command += ["--months", str(options.months)]
        if options.persons:
            command += ["--persons", str(options.persons)]
        report.steps.append(_timed("generate", command, env))
    manifest = json.loads((raw / "_manifest.json").read_text(encoding="utf-8"))
    report.raw_rows = {table: int(rows) for table, rows in manifest["rows"].items()}

    for stale in (warehouse, warehouse.with_suffix(".duckdb.wal")):
        stale.unlink(missing_ok=True)
    build = _timed("dbt build (full, empty warehouse)", _dbt(["build"], work), env)
    report.steps.append(build)
    if build.returncode == 0:
        report.models = _model_timings(work)

    floor_sql = ROOT / "benchmarks" / "floor.sql"
    if floor_sql.is_file() and not options.skip_floor:
        floor_db = work / "floor.duckdb"
        floor_db.unlink(missing_ok=True)
        command = [sys.executable, "-m", "nhi_warehouse.floor", "--raw", str(raw), "--db", str(floor_db)]
        report.steps.append(_timed("floor (hand-written DuckDB SQL, no dbt)", command, env))

    claims = report.raw_rows.get("cd", 0)
    report.summary = {
        "claims": claims,
        "order_lines": report.raw_rows.get("oo", 0),
        "build_seconds": build.seconds,
        "build_peak_rss_mib": build.peak_rss_mib,
        "claims_per_second": round(claims / build.seconds) if build.seconds else 0.0,
    }
    floor = next((step for step in report.steps if step.name.startswith("floor")), None)
    if floor and floor.returncode == 0 and floor.seconds:
        report.summary["floor_seconds"] = floor.seconds
        report.summary["build_over_floor"] = round(build.seconds / floor.seconds, 2)
    generate = next((step for step in report.steps if step.name == "generate"), None)
    if generate and generate.seconds:
        report.summary["generate_seconds"] = generate.seconds
        report.summary["generated_claims_per_second"] = round(claims / generate.seconds)
    return report


def render(report: Report, top_models: int = 25) -> str:
    lines = [f"# benchmark: size={report.size} months={report.months} machine={report.machine}", ""]
    lines.append("| raw table | rows |")
    lines.append("|---|---:|")
    lines += [f"| {table} | {rows:,} |" for table, rows in report.raw_rows.items()]
    lines += ["", "| step | wall s | peak RSS MiB | exit |", "|---|---:|---:|---:|"]
    lines += [f"| {s.name} | {s.seconds:.1f} | {s.peak_rss_mib:,.0f} | {s.returncode} |" for s in report.steps]
    lines += ["", f"| model (top {top_models} by time) | status | s |", "|---|---|---:|"]
    lines += [f"| {m['node']} | {m['status']} | {m['seconds']} |" for m in report.models[:top_models]]
    lines += ["", "| summary | value |", "|---|---:|"]
    lines += [f"| {key} | {value:,} |" for key, value in report.summary.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nhi benchmark", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="demo", choices=["tiny", "demo", "region"])
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--persons", type=int)
    parser.add_argument("--work", default=None, help="work folder (default data/benchmark/<size>)")
    parser.add_argument("--raw", help="use this extract instead of generating one")
    parser.add_argument("--json", help="where to write the JSON (default benchmarks/results/<size>.json)")
    parser.add_argument("--skip-floor", action="store_true")
    options = parser.parse_args(argv)
    options.work = options.work or str(ROOT / "data" / "benchmark" / options.size)
    report = run(options)
    print(render(report))
    out = Path(options.json) if options.json else ROOT / "benchmarks" / "results" / f"{options.size}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(asdict(report), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwritten: {out}")
    return 0 if all(step.returncode == 0 for step in report.steps) else 1


if __name__ == "__main__":
    raise SystemExit(main())
