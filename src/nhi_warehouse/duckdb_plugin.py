"""dbt-duckdb plugin (profiles/profiles.yml, ``plugins:``): the SQL function ``nhi_raw_csv`` that
the raw views' hook (macros/raw/create_raw_views.sql) calls once per CSV file.

``nhi_raw_csv(file, table, encoding)`` returns, as JSON, how to read ``file`` as the contract
table ``table`` (:class:`nhi_warehouse.raw_files.PreparedCsv`): its encoding (detected when
``encoding`` is empty), its layout (contract or NHIRD), the file to read (the file itself, or its
UTF-8 contract-layout copy in the cache folder), its columns, the required columns it lacks, or
why it cannot be read. The cache folder is ``raw-cache/`` beside the warehouse file
(:func:`nhi_warehouse.raw_files.default_cache_dir`; plugin config ``cache_dir`` or NHI_RAW_CACHE
override it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb import DuckDBPyConnection

from nhi_warehouse.contract import load_contract
from nhi_warehouse.raw_files import default_cache_dir, prepare_csv

FUNCTION = "nhi_raw_csv"


class Plugin(BasePlugin):
    def initialize(self, plugin_config: dict[str, Any]) -> None:
        configured = plugin_config.get("cache_dir")
        path = getattr(self.creds, "path", None) if self.creds is not None else None
        self.cache_dir = Path(configured) if configured else default_cache_dir(path)

    def nhi_raw_csv(self, file: str, table: str, encoding: str) -> str:
        contract = load_contract()
        return prepare_csv(Path(file), contract[table], self.cache_dir, encoding or None).to_json()

    def configure_connection(self, conn: DuckDBPyConnection) -> None:
        # Type names as strings: DuckDBPyType objects kept by the function leak at exit (nanobind).
        conn.create_function(
            FUNCTION, self.nhi_raw_csv, ["VARCHAR", "VARCHAR", "VARCHAR"], "VARCHAR", side_effects=True
        )
