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
    cpu_seconds: float = 0.0
    load_average: float = 0.0


@dataclass
class Report:
    size: str
    months: int
    machine: dict[str, str]
    raw_rows: dict[str, int] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)
    models: list[dict[str, object]] = field(default_factory=list)
    incremental_models: list[dict[str, object]] = field(default_factory=list)
    summary: dict[str, float] = field(default_factory=dict)


def _timed(name: str, command: list[str], env: dict[str, str]) -> Step:
    """Run a command in a child process; wall time, the child's CPU time (user + system) and
    peak resident memory, and the 1-minute load average at the end (the machine may be shared:
    CPU time is the figure that does not depend on the other work)."""
    wrapper = [
        sys.executable,
        "-c",
        "import resource, subprocess, sys, json;"
        "rc = subprocess.run(sys.argv[1:]).returncode;"
        "u = resource.getrusage(resource.RUSAGE_CHILDREN);"
        "print(json.dumps({'rss_kib': u.ru_maxrss, 'cpu': u.ru_utime + u.ru_stime}), file=sys.stderr);"
        "sys.exit(rc)",
        *command,
    ]
    started = time.perf_counter()
    completed = subprocess.run(wrapper, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True, check=False)
    seconds = time.perf_counter() - started
    rss_kib, cpu = 0, 0.0
    for line in completed.stderr.splitlines():
        if line.startswith('{"rss_kib"'):
            usage = json.loads(line)
            rss_kib, cpu = usage["rss_kib"], usage["cpu"]
        else:
            print(line, file=sys.stderr)
    return Step(
        name,
        round(seconds, 2),
        round(rss_kib / 1024, 1),
        completed.returncode,
        round(cpu, 2),
        round(os.getloadavg()[0], 2),
    )


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
            "duckdb_memory_limit": env.get("NHI_DUCKDB_MEMORY", "5GB"),
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

    if options.incremental:
        report.steps += _incremental_steps(raw, work, env, options.incremental)
        if report.steps[-1].name.startswith("dbt build (incremental") and report.steps[-1].returncode == 0:
            report.incremental_models = _model_timings(work)

    claims = report.raw_rows.get("cd", 0)
    report.summary = {
        "claims": claims,
        "order_lines": report.raw_rows.get("oo", 0),
        "build_seconds": build.seconds,
        "build_cpu_seconds": build.cpu_seconds,
        "build_peak_rss_mib": build.peak_rss_mib,
        "claims_per_second": round(claims / build.seconds) if build.seconds else 0.0,
    }
    floor = next((step for step in report.steps if step.name.startswith("floor")), None)
    if floor and floor.returncode == 0 and floor.seconds:
        report.summary["floor_seconds"] = floor.seconds
        report.summary["floor_cpu_seconds"] = floor.cpu_seconds
        report.summary["build_over_floor"] = round(build.seconds / floor.seconds, 2)
        if floor.cpu_seconds:
            report.summary["build_over_floor_cpu"] = round(build.cpu_seconds / floor.cpu_seconds, 2)
    month = next((step for step in report.steps if step.name.startswith("dbt build (incremental")), None)
    if month and month.returncode == 0 and build.seconds:
        report.summary["incremental_seconds"] = month.seconds
        report.summary["incremental_cpu_seconds"] = month.cpu_seconds
        report.summary["incremental_over_full"] = round(month.seconds / build.seconds, 3)
        if build.cpu_seconds:
            report.summary["incremental_over_full_cpu"] = round(month.cpu_seconds / build.cpu_seconds, 3)
    generate = next((step for step in report.steps if step.name == "generate"), None)
    if generate and generate.seconds:
        report.summary["generate_seconds"] = generate.seconds
        report.summary["generated_claims_per_second"] = round(claims / generate.seconds)
    return report


def _incremental_steps(raw: Path, work: Path, env: dict[str, str], mode: str) -> list[Step]:
    """Deliveries A and B from the extract; a warehouse built on A (timed, for reference);
    then the timed incremental `dbt build` on B."""
    from nhi_warehouse.deliveries import split

    before, after = work / "delivery_a", work / "delivery_b"
    split(raw, before, after, mode=mode)
    warehouse = work / "incremental.duckdb"
    for stale in (warehouse, warehouse.with_suffix(".duckdb.wal")):
        stale.unlink(missing_ok=True)
    inc_env = dict(env, NHI_DUCKDB_PATH=str(warehouse))
    steps = [_timed("dbt build (full, delivery A)", _dbt(["build"], work), dict(inc_env, NHI_RAW_ROOT=str(before)))]
    if steps[0].returncode == 0:
        steps.append(
            _timed(
                f"dbt build (incremental month, {mode})", _dbt(["build"], work), dict(inc_env, NHI_RAW_ROOT=str(after))
            )
        )
    return steps


def render(report: Report, top_models: int = 25) -> str:
    lines = [f"# benchmark: size={report.size} months={report.months} machine={report.machine}", ""]
    lines.append("| raw table | rows |")
    lines.append("|---|---:|")
    lines += [f"| {table} | {rows:,} |" for table, rows in report.raw_rows.items()]
    lines += ["", "| step | wall s | CPU s | peak RSS MiB | load avg | exit |", "|---|---:|---:|---:|---:|---:|"]
    lines += [
        f"| {s.name} | {s.seconds:.1f} | {s.cpu_seconds:.1f} | {s.peak_rss_mib:,.0f} | {s.load_average} "
        f"| {s.returncode} |"
        for s in report.steps
    ]
    lines += ["", f"| model (top {top_models} by time) | status | s |", "|---|---|---:|"]
    lines += [f"| {m['node']} | {m['status']} | {m['seconds']} |" for m in report.models[:top_models]]
    if report.incremental_models:
        lines += ["", f"| model, incremental month (top {top_models}) | status | s |", "|---|---|---:|"]
        lines += [f"| {m['node']} | {m['status']} | {m['seconds']} |" for m in report.incremental_models[:top_models]]
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
    parser.add_argument(
        "--incremental",
        choices=["new-files", "cumulative"],
        help="also time an incremental month: build on all months but the last, add the last (as new "
        "files or as a cumulative re-extract, nhi_warehouse.deliveries), `dbt build` again",
    )
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
