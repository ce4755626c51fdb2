"""DuckDB connections for the quality tooling (same settings as the dbt profile)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import duckdb


def quote(text: str | Path) -> str:
    """A SQL string literal."""
    return "'" + str(text).replace("'", "''") + "'"


def ident(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def connect(database: Path | None = None, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """An in-memory connection (``database=None``) or a read-only one on the warehouse file,
    with the profile's memory limit, threads and spill directory (NHI_DUCKDB_MEMORY,
    NHI_DUCKDB_THREADS, NHI_DUCKDB_TEMP; without it a folder in the system temp directory), so
    the delivery's working tables spill to disk instead of failing on a large extract."""
    con = duckdb.connect(str(database) if database else ":memory:", read_only=read_only)
    con.execute(f"set memory_limit = {quote(os.environ.get('NHI_DUCKDB_MEMORY', '5GB'))}")
    con.execute(f"set threads = {int(os.environ.get('NHI_DUCKDB_THREADS', '2'))}")
    temp = Path(os.environ.get("NHI_DUCKDB_TEMP") or Path(tempfile.gettempdir()) / "nhi-quality-duckdb")
    temp.mkdir(parents=True, exist_ok=True)
    con.execute(f"set temp_directory = {quote(temp)}")
    con.execute("set preserve_insertion_order = false")
    return con
