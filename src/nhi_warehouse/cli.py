"""`nhi` — the project's command line.

nhi demo                 generate the demo extract (if absent) and build the warehouse
nhi generate [...]       write a synthetic extract (see `nhi generate --help`)
nhi build [--demo] [dbt args]
                         `dbt build` with the project's profiles and environment; --demo accepts
                         the public demo pseudonymisation key for any extract (NHI_DEMO=1)
nhi dbt <command> [...]  any dbt command, same environment
"""

from __future__ import annotations

import argparse
import os
import sys

from nhi_warehouse.dbt_runner import run_dbt
from nhi_warehouse.settings import Settings


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
    else:
        print(f"nhi demo: using the extract already in {settings.raw_root} (--regenerate to rewrite)", flush=True)
    status = run_dbt(["build"], settings)
    if status == 0:
        print(f"\nnhi demo: warehouse built: {settings.duckdb_path}")
        print(
            f"  query it:  duckdb -readonly {settings.duckdb_path}  (or python: duckdb.connect(path, read_only=True))"
        )
    return status


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help"}:
        print(__doc__)
        return 0
    command, rest = argv[0], argv[1:]
    if command == "demo":
        return _demo(rest)
    if command == "generate":
        return _generate(rest)
    if command == "build":
        if "--demo" in rest:
            # The explicit demo flag: the public demo key is accepted for any extract (macros/id_key.sql).
            os.environ["NHI_DEMO"] = "1"
            rest = [arg for arg in rest if arg != "--demo"]
        return run_dbt(["build", *rest])
    if command == "dbt":
        return run_dbt(rest)
    if command == "docs":
        status = run_dbt(["docs", "generate", "--static", *rest])
        if status == 0:
            print(f"\nnhi docs: open {Settings.from_env().root / 'target' / 'static_index.html'} in a browser")
        return status
    if command in {"pipeline", "quality"}:
        from nhi_warehouse.quality.cli import main as quality_main

        return quality_main(["pipeline", *rest] if command == "pipeline" else rest)
    if command == "report":
        from nhi_warehouse.report import main as report_main

        return report_main(rest)
    if command == "publish":
        from nhi_warehouse.publish import main as publish_main

        return int(publish_main(rest) or 0)
    if command == "benchmark":
        from nhi_warehouse.benchmark import main as benchmark_main

        return benchmark_main(rest)
    print(f"nhi: unknown command {command!r}\n{__doc__}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
