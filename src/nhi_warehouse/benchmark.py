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

from nhi_warehouse.settings import SCHEDULED_BUILD_EXCLUDES, project_root

ROOT = project_root()


@dataclass
class Step:
    name: str
    seconds: float
    peak_rss_mib: float
    returncode: int
    cpu_seconds: float = 0.0
    load_average: float = 0.0
    fee_months_rebuilt: dict[str, int] | None = None


@dataclass
class Report:
    size: str
    months: int
    machine: dict[str, str]
    raw_rows: dict[str, int] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)
    models: list[dict[str, object]] = field(default_factory=list)
    incremental_models: list[dict[str, object]] = field(default_factory=list)
    redelivery_models: list[dict[str, object]] = field(default_factory=list)
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


# a scheduled build, as `nhi pipeline` runs it (settings.SCHEDULED_BUILD_EXCLUDES)
BUILD = ["build", *SCHEDULED_BUILD_EXCLUDES]


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
    build = _timed("dbt build (full, empty warehouse)", _dbt(BUILD, work), env)
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
        steps, timings = _incremental_steps(raw, work, env, options.incremental)
        report.steps += steps
        report.incremental_models = timings.get("incremental", [])
        report.redelivery_models = timings.get("redelivery", [])

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
    redelivery = next((step for step in report.steps if step.name == "dbt build (unchanged re-delivery)"), None)
    if redelivery and redelivery.fee_months_rebuilt is not None:
        report.summary["redelivery_seconds"] = redelivery.seconds
        report.summary["redelivery_fee_months_rebuilt"] = sum(redelivery.fee_months_rebuilt.values())
    report.summary["peak_rss_mib"] = max(
        (step.peak_rss_mib for step in report.steps if step.name.startswith("dbt build")), default=0.0
    )
    generate = next((step for step in report.steps if step.name == "generate"), None)
    if generate and generate.seconds:
        report.summary["generate_seconds"] = generate.seconds
        report.summary["generated_claims_per_second"] = round(claims / generate.seconds)
    return report


def _fee_months_rebuilt(work: Path, warehouse: Path) -> dict[str, int]:
    """Fee months each fee-month model rebuilt in the last dbt run (raw_state.model_fee_months
    keeps the invocation that built each month; docs/incremental.md)."""
    import duckdb

    results = json.loads((work / "target" / "run_results.json").read_text(encoding="utf-8"))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select model_name, count(*) filter (where invocation_id = ?) from raw_state.model_fee_months "
            "group by model_name order by model_name",
            [results["metadata"]["invocation_id"]],
        ).fetchall()
    return {model: int(count) for model, count in rows}


def _incremental_steps(
    raw: Path, work: Path, env: dict[str, str], mode: str
) -> tuple[list[Step], dict[str, list[dict[str, object]]]]:
    """Deliveries A and B from the extract; a warehouse built on A (timed, for reference); the
    timed incremental `dbt build` on B; then B again, unchanged (should rebuild no fee month).
    Returns the steps and the model timings of the last two."""
    from nhi_warehouse.deliveries import split

    before, after = work / "delivery_a", work / "delivery_b"
    split(raw, before, after, mode=mode)
    warehouse = work / "incremental.duckdb"
    for stale in (warehouse, warehouse.with_suffix(".duckdb.wal")):
        stale.unlink(missing_ok=True)
    inc_env = dict(env, NHI_DUCKDB_PATH=str(warehouse))
    steps = [_timed("dbt build (full, delivery A)", _dbt(BUILD, work), dict(inc_env, NHI_RAW_ROOT=str(before)))]
    timings: dict[str, list[dict[str, object]]] = {}
    for name in ("incremental", "redelivery"):
        if steps[-1].returncode != 0:
            break
        title = (
            f"dbt build (incremental month, {mode})" if name == "incremental" else "dbt build (unchanged re-delivery)"
        )
        steps.append(_timed(title, _dbt(BUILD, work), dict(inc_env, NHI_RAW_ROOT=str(after))))
        if steps[-1].returncode == 0:
            steps[-1].fee_months_rebuilt = _fee_months_rebuilt(work, warehouse)
            timings[name] = _model_timings(work)
    return steps, timings


def _targets(report: Report) -> list[tuple[str, str, str, bool]]:
    """The performance targets (issue 17: region size, 2 cores; demo full build) against this
    run's figures: (name, measured, target, met)."""
    summary = report.summary
    rows: list[tuple[str, str, str, bool]] = []
    build = summary.get("build_seconds")
    if build:
        limit = 20.0 if report.size == "demo" else 120.0
        rows.append(("full build, wall s", f"{build:.1f}", f"<= {limit:.0f}", build <= limit))
    if "build_over_floor" in summary:
        rows.append(
            ("full build / floor", f"{summary['build_over_floor']}", "<= 1.5", summary["build_over_floor"] <= 1.5)
        )
    if "incremental_over_full" in summary:
        share = summary["incremental_over_full"]
        rows.append(("one new month / full build", f"{share:.1%}", "<= 15%", share <= 0.15))
    if "redelivery_fee_months_rebuilt" in summary:
        months = summary["redelivery_fee_months_rebuilt"]
        rows.append(("unchanged re-delivery, fee months rebuilt", f"{months:.0f}", "0", months == 0))
    if summary.get("peak_rss_mib"):
        peak = summary["peak_rss_mib"]
        rows.append(("peak resident memory of a dbt build, MiB", f"{peak:,.0f}", "<= 6,144", peak <= 6144))
    return rows


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
    rebuilt = [step for step in report.steps if step.fee_months_rebuilt is not None]
    if rebuilt:
        lines += ["", "| fee months rebuilt | " + " | ".join(step.name for step in rebuilt) + " |"]
        lines += ["|---|" + "---:|" * len(rebuilt)]
        models = sorted({model for step in rebuilt for model in step.fee_months_rebuilt or {}})
        lines += [
            f"| {model} | " + " | ".join(str((step.fee_months_rebuilt or {}).get(model, 0)) for step in rebuilt) + " |"
            for model in models
        ]
    targets = _targets(report)
    if targets:
        lines += ["", "| target (issue 17) | measured | target | met |", "|---|---:|---:|---|"]
        lines += [
            f"| {name} | {measured} | {target} | {'yes' if met else 'no'} |" for name, measured, target, met in targets
        ]
    lines += ["", f"| model (top {top_models} by time) | status | s |", "|---|---|---:|"]
    lines += [f"| {m['node']} | {m['status']} | {m['seconds']} |" for m in report.models[:top_models]]
    if report.incremental_models:
        lines += ["", f"| model, incremental month (top {top_models}) | status | s |", "|---|---|---:|"]
        lines += [f"| {m['node']} | {m['status']} | {m['seconds']} |" for m in report.incremental_models[:top_models]]
    lines += ["", "| summary | value |", "|---|---:|"]
    lines += [f"| {key} | {value:,} |" for key, value in report.summary.items()]
    return "\n".join(lines)


DOCS = ROOT / "BENCHMARKS.md"


def load(path: Path) -> Report:
    """A report written by an earlier run (its JSON)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    data["steps"] = [Step(**step) for step in data["steps"]]
    return Report(**data)


def write_docs(report: Report, source: Path, docs: Path = DOCS) -> None:
    """Put the rendered report into BENCHMARKS.md, between the markers of its size (added at the
    end the first time): the figures in the docs are the run's, never typed."""
    start, end = f"<!-- nhi benchmark {report.size}: start -->", f"<!-- nhi benchmark {report.size}: end -->"
    body = "\n".join(
        [start, f"Generated by `nhi benchmark` from `{source.relative_to(ROOT).as_posix()}`.", "", render(report), end]
    )
    text = docs.read_text(encoding="utf-8")
    if start in text and end in text:
        text = text[: text.index(start)] + body + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + "\n\n" + body + "\n"
    docs.write_text(text, encoding="utf-8")


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
        choices=["new-files", "cumulative", "new-month"],
        help="also time an incremental delivery (nhi_warehouse.deliveries): build on delivery A, then "
        "`dbt build` on B: new-files / cumulative add the last month with late claims of every month, "
        "corrections and new institutions; new-month adds only the last month's files",
    )
    parser.add_argument("--docs", action="store_true", help="write the figures into BENCHMARKS.md")
    parser.add_argument("--render", metavar="JSON", help="no run: print (and with --docs, write) an earlier run's JSON")
    options = parser.parse_args(argv)
    if options.render:
        source = Path(options.render).resolve()
        report = load(source)
        print(render(report))
        if options.docs:
            write_docs(report, source)
        return 0
    options.work = options.work or str(ROOT / "data" / "benchmark" / options.size)
    report = run(options)
    print(render(report))
    out = (Path(options.json) if options.json else ROOT / "benchmarks" / "results" / f"{options.size}.json").resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(asdict(report), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwritten: {out}")
    if options.docs:
        write_docs(report, out)
        print(f"written: {DOCS}")
    return 0 if all(step.returncode == 0 for step in report.steps) else 1


if __name__ == "__main__":
    raise SystemExit(main())
