"""Run dbt from the repository root with the project's profiles and environment."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from nhi_warehouse.errors import AccessError, first_line, is_lock_error
from nhi_warehouse.settings import Settings

# dbt commands that open the warehouse for writing (dbt-duckdb opens it read-write whatever the command).
OPENS_WAREHOUSE = frozenset(
    {"build", "run", "seed", "snapshot", "test", "retry", "clone", "compile", "docs", "show", "run-operation", "source"}
)


def dbt_executable() -> str:
    """The dbt of this Python environment (next to the interpreter), else the one on PATH."""
    beside = Path(sys.executable).with_name("dbt")
    if beside.is_file():
        return str(beside)
    found = shutil.which("dbt")
    if found is None:
        raise SystemExit("nhi: dbt is not installed in this environment; run `make setup`.")
    return found


def check_warehouse_available(path: Path) -> None:
    """Fail fast, in one line, when another process holds the DuckDB warehouse (DuckDB lets no
    writer in while any other process - a dashboard, a notebook, another build - has the file
    open) or the file cannot be written, instead of dbt's multi-line error after parsing."""
    if not path.exists():
        return
    import duckdb

    try:
        duckdb.connect(str(path)).close()
    except duckdb.Error as error:
        if is_lock_error(error):
            raise AccessError(
                f"the warehouse {path} is open in another process (a dashboard, a notebook or another build); "
                f"close it or point readers at the published copy (nhi publish): {first_line(error)}"
            ) from error
        if "Permission denied" in str(error) or "Read-only file system" in str(error):
            raise AccessError(f"the warehouse {path} cannot be written: {first_line(error)}") from error
        raise


def run_dbt(args: list[str], settings: Settings | None = None) -> int:
    """Run `dbt <args> --profiles-dir profiles` in the project root; return dbt's exit code."""
    settings = settings or Settings.from_env()
    settings.duckdb_path.parent.mkdir(parents=True, exist_ok=True)
    on_duckdb = os.environ.get("NHI_TARGET", "duckdb") == "duckdb"
    asks_help = any(arg in {"-h", "--help"} for arg in args)
    if on_duckdb and args and args[0] in OPENS_WAREHOUSE and not asks_help:
        check_warehouse_available(settings.duckdb_path)
    command = [dbt_executable(), *args]
    if "--profiles-dir" not in args:
        command += ["--profiles-dir", str(settings.root / "profiles")]
    completed = subprocess.run(command, cwd=settings.root, env=settings.environment(), check=False)
    return completed.returncode
