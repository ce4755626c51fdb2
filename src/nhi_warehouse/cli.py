"""`nhi` — the project's command line (run from the repository; settings from NHI_* variables)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from nhi_warehouse.dbt_runner import run_dbt
from nhi_warehouse.errors import ACCESS_EXIT_CODE, describe_access_error
from nhi_warehouse.settings import Settings, extract_is_synthetic


def _generate(argv: list[str]) -> int:
    from nhi_warehouse.generator.__main__ import main as generator_main

    return int(generator_main(argv) or 0)


def _demo(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="nhi demo", description="Build the warehouse from the demo extract.")
    parser.add_argument("--regenerate", action="store_true", help="write the demo extract again")
    options = parser.parse_args(argv)
    settings = Settings.from_env()
    if options.regenerate or not (settings.raw_root / "_manifest.json").is_file():
        print(f"nhi demo: writing the synthetic demo extract to {settings.raw_root}", flush=True)
        status = _generate(["--size", "demo", "--out", str(settings.raw_root)])
        if status:
            return status
    elif not extract_is_synthetic(settings.raw_root):
        print(
            f"nhi demo: {settings.raw_root}/_manifest.json does not say the extract is synthetic (written by an "
            "older generator?); writing the demo extract again",
            flush=True,
        )
        status = _generate(["--size", "demo", "--out", str(settings.raw_root)])
        if status:
            return status
    else:
        print(f"nhi demo: using the extract already in {settings.raw_root} (--regenerate to rewrite)", flush=True)
    status = run_dbt(["build"], settings)
    if status == 0:
        print(f"\nnhi demo: warehouse built: {settings.duckdb_path}")
        print(
            f"  query it:  duckdb -readonly {settings.duckdb_path}  (or python: duckdb.connect(path, read_only=True))"
        )
    return status


def _build(argv: list[str]) -> int:
    if "--demo" in argv:
        # The explicit demo flag: the public demo key is accepted for any extract (macros/id_key.sql).
        os.environ["NHI_DEMO"] = "1"
        argv = [arg for arg in argv if arg != "--demo"]
    return run_dbt(["build", *argv])


def _dbt(argv: list[str]) -> int:
    return run_dbt(argv)


def _docs(argv: list[str]) -> int:
    status = run_dbt(["docs", "generate", "--static", *argv])
    if status == 0:
        print(f"\nnhi docs: open {Settings.from_env().root / 'target' / 'static_index.html'} in a browser")
    return status


def _pipeline(argv: list[str]) -> int:
    from nhi_warehouse.quality.cli import main as quality_main

    return quality_main(["pipeline", *argv])


def _quality(argv: list[str]) -> int:
    from nhi_warehouse.quality.cli import main as quality_main

    return quality_main(argv)


def _report(argv: list[str]) -> int:
    from nhi_warehouse.report import main as report_main

    return report_main(argv)


def _publish(argv: list[str]) -> int:
    from nhi_warehouse.publish import main as publish_main

    return int(publish_main(argv) or 0)


def _benchmark(argv: list[str]) -> int:
    from nhi_warehouse.benchmark import main as benchmark_main

    return benchmark_main(argv)


# Every command: name -> (usage, what it does, handler). `nhi --help` lists them all.
COMMANDS: dict[str, tuple[str, str, Callable[[list[str]], int]]] = {
    "demo": ("[--regenerate]", "generate the demo extract (if absent) and build the warehouse", _demo),
    "generate": ("[...]", "write a synthetic extract (nhi generate --help)", _generate),
    "build": ("[--demo] [dbt args]", "`dbt build` with the project's profiles and environment", _build),
    "dbt": ("<command> [...]", "any dbt command, same environment", _dbt),
    "pipeline": ("[...]", "raw validation -> dbt build -> mart validation (exit codes for a scheduler)", _pipeline),
    "quality": ("raw|marts|conventions|pipeline", "one data-quality check (nhi quality --help)", _quality),
    "publish": ("[...]", "publish the marts of the last successful build for readers", _publish),
    "report": ("--area N [...]", "the co-management meeting report (HTML, PDF) of a region and quarter", _report),
    "docs": ("[dbt args]", "dbt docs as one offline HTML file (target/static_index.html)", _docs),
    "benchmark": ("[...]", "generate, build, time and compare with the floor (nhi benchmark --help)", _benchmark),
}


def usage() -> str:
    width = max(len(f"{name} {args}") for name, (args, _, _) in COMMANDS.items())
    lines = ["usage: nhi [--debug] <command> [options]", "", "commands:"]
    lines += [f"  nhi {f'{name} {args}':<{width}}  {what}" for name, (args, what, _) in COMMANDS.items()]
    lines += [
        "",
        "`nhi <command> --help` describes a command's options.",
        "--debug (or NHI_DEBUG=1): show the Python traceback of an error instead of one line.",
        f"A file locked by another process or a permission denied stops a command with exit status {ACCESS_EXIT_CODE}.",
        "Settings: NHI_RAW_ROOT, NHI_DUCKDB_PATH, NHI_ID_KEY, ... (README, 'Use your own extract').",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = os.environ.get("NHI_DEBUG", "").lower() in {"1", "true", "yes"}
    while argv and argv[0] == "--debug":
        debug = True
        argv = argv[1:]
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(usage())
        return 0
    command, rest = argv[0], argv[1:]
    if command not in COMMANDS:
        print(f"nhi: unknown command {command!r}\n\n{usage()}", file=sys.stderr)
        return 2
    try:
        return COMMANDS[command][2](rest)
    except Exception as error:
        message = describe_access_error(error)
        if message is None or debug:
            raise
        print(f"nhi {command}: {message}  (nhi --debug {command} ... shows the traceback)", file=sys.stderr)
        return ACCESS_EXIT_CODE


if __name__ == "__main__":
    raise SystemExit(main())
