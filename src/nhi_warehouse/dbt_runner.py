"""Run dbt from the repository root with the project's profiles and environment."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from nhi_warehouse.settings import Settings


def dbt_executable() -> str:
    """The dbt of this Python environment (next to the interpreter), else the one on PATH."""
    beside = Path(sys.executable).with_name("dbt")
    if beside.is_file():
        return str(beside)
    found = shutil.which("dbt")
    if found is None:
        raise SystemExit("nhi: dbt is not installed in this environment; run `make setup`.")
    return found


def run_dbt(args: list[str], settings: Settings | None = None) -> int:
    """Run `dbt <args> --profiles-dir profiles` in the project root; return dbt's exit code."""
    settings = settings or Settings.from_env()
    settings.duckdb_path.parent.mkdir(parents=True, exist_ok=True)
    command = [dbt_executable(), *args]
    if "--profiles-dir" not in args:
        command += ["--profiles-dir", str(settings.root / "profiles")]
    completed = subprocess.run(command, cwd=settings.root, env=settings.environment(), check=False)
    return completed.returncode
