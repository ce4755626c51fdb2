"""dbt's manifest for the code location: parsed when missing or older than the project's files.

Dagster builds the asset graph from `target/dagster/manifest.json` when it loads the code location
(webserver, daemon, every run). Parsing (`dbt parse`, ~10 s) happens only when a model, macro, seed,
test, profile or dbt_project.yml changed after the manifest was written, so a deployment that runs
`make dagster-manifest` once at release time never parses at load.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from nhi_warehouse.dbt_runner import dbt_executable

TARGET = Path("target") / "dagster"
WATCHED = ("models", "macros", "seeds", "tests/dbt", "analyses", "profiles", "dbt_project.yml")


def project_files(root: Path) -> list[Path]:
    files: list[Path] = []
    for name in WATCHED:
        path = root / name
        files.extend([path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()])
    return files


def is_stale(manifest: Path, root: Path) -> bool:
    if not manifest.is_file():
        return True
    written = manifest.stat().st_mtime
    return any(path.stat().st_mtime > written for path in project_files(root))


def ensure_manifest(root: Path) -> Path:
    """The manifest's path, after `dbt parse` if it is missing or stale."""
    target = root / TARGET
    manifest = target / "manifest.json"
    if is_stale(manifest, root):
        env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
        command = [
            dbt_executable(),
            "parse",
            "--quiet",
            "--profiles-dir",
            str(root / "profiles"),
            "--target-path",
            str(target),
            "--log-path",
            str(target / "logs"),
        ]
        completed = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, check=False)
        if completed.returncode != 0 or not manifest.is_file():
            raise RuntimeError(f"dbt parse failed (exit {completed.returncode}):\n{completed.stdout[-3000:]}")
    return manifest
