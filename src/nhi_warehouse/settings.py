"""Environment settings shared by the command-line tools (one place for the defaults).

The environment variables are the project's interface; each has a default that suits the
bundled synthetic demo:

* ``NHI_RAW_ROOT``    raw extract root (``<root>/<table>/`` folders)    default ``data/raw``
* ``NHI_DUCKDB_PATH`` warehouse file                                    default ``data/warehouse/nhi.duckdb``
* ``NHI_ID_KEY``      pseudonymisation key (HMAC-SHA256 of ID/PRSN_ID)  default: a public demo key,
                      accepted only for the generator's synthetic extract or with ``NHI_DEMO=1``
                      (the policy is enforced by dbt itself: macros/id_key.sql)
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_RAW_ROOT = "data/raw"
DEFAULT_DUCKDB_PATH = "data/warehouse/nhi.duckdb"
# Public, documented, and only for the synthetic demo: real extracts must set NHI_ID_KEY.
DEMO_ID_KEY = "nhi-warehouse-demo-key"
# The message whose HMAC under the key is the key's fingerprint (macros/id_key.sql computes the same).
ID_KEY_FINGERPRINT_MESSAGE = b"nhi-warehouse key fingerprint"
EXTRACT_MANIFEST = "_manifest.json"
# What a scheduled build (nhi pipeline, the Dagster job, nhi benchmark) leaves out of `dbt build`:
# the unit tests (fixed inputs: they do not read the delivery) and the data tests of the analyst
# view stg_nhird__oo (tag analyst_view: each recomputes the dedupe of every order line, which
# the build itself never reads). CI runs both; on demand: `dbt test --select test_type:unit`,
# `dbt test --select stg_nhird__oo`.
SCHEDULED_EXCLUDED_RESOURCE_TYPES = ("unit_test",)
SCHEDULED_EXCLUDED_SELECTORS = ("tag:analyst_view",)  # tests only: every model and seed is built
SCHEDULED_BUILD_EXCLUDES = (
    "--exclude-resource-type",
    *SCHEDULED_EXCLUDED_RESOURCE_TYPES,
    "--exclude",
    *SCHEDULED_EXCLUDED_SELECTORS,
)
# The `--select` dagster-dbt passes when a run builds every dbt asset (not a subset).
WHOLE_PROJECT_SELECTION = ["fqn:*"]


def is_whole_project(selection: dict[str, Any]) -> bool:
    """Whether a dbt build's selection (dbt's `args`: select, exclude, selector, resource_types,
    exclude_resource_types) built every model and seed: nothing selected but dagster-dbt's
    `fqn:*`, nothing excluded but what scheduled builds leave out (SCHEDULED_BUILD_EXCLUDES)."""
    return (
        list(selection.get("select") or WHOLE_PROJECT_SELECTION) == WHOLE_PROJECT_SELECTION
        and not selection.get("selector")
        and not selection.get("resource_types")
        and set(selection.get("exclude") or ()) <= set(SCHEDULED_EXCLUDED_SELECTORS)
        and set(selection.get("exclude_resource_types") or ()) <= set(SCHEDULED_EXCLUDED_RESOURCE_TYPES)
    )


def id_key_fingerprint(key: str) -> str:
    """Which key is in use, never the key: 16 hex characters of HMAC-SHA256(key, a fixed message),
    as dbt logs it at the start of every build and the build record keeps."""
    return hmac.new(key.encode("utf-8"), ID_KEY_FINGERPRINT_MESSAGE, hashlib.sha256).hexdigest()[:16]


def pseudonym(key: str, identifier: str) -> str:
    """What the warehouse stores for an identifier (macro pseudonymise): 20 hex characters of
    HMAC-SHA256(key, identifier)."""
    return hmac.new(key.encode("utf-8"), identifier.encode("utf-8"), hashlib.sha256).hexdigest()[:20]


def extract_is_synthetic(raw_root: Path) -> bool:
    """Does the extract's _manifest.json say it is the generator's synthetic extract?"""
    try:
        manifest = json.loads((raw_root / EXTRACT_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and manifest.get("synthetic") is True


def pass_synthetic_flag_to_spark(env: dict[str, str], raw_root: Path) -> None:
    """Spark skips every file whose name starts with `_`, so on a Spark target dbt cannot read the
    extract's _manifest.json (macros/id_key.sql): where the Python tooling can read it, a synthetic
    extract is passed on as NHI_DEMO=1. DuckDB reads the manifest itself."""
    if env.get("NHI_TARGET", "duckdb") != "duckdb" and extract_is_synthetic(raw_root):
        env.setdefault("NHI_DEMO", "1")


def project_root() -> Path:
    """The dbt project root: the nearest folder above the working directory with dbt_project.yml,
    else the repository this package was installed from (editable install)."""
    for folder in (Path.cwd(), *Path.cwd().parents):
        if (folder / "dbt_project.yml").is_file():
            return folder
    here = Path(__file__).resolve()
    for folder in here.parents:
        if (folder / "dbt_project.yml").is_file():
            return folder
    raise SystemExit("nhi: cannot find dbt_project.yml above the working directory; run from the repository.")


@dataclass(frozen=True)
class Settings:
    root: Path
    raw_root: Path
    duckdb_path: Path

    @classmethod
    def from_env(cls) -> Settings:
        root = project_root()
        raw_root = Path(os.environ.get("NHI_RAW_ROOT", DEFAULT_RAW_ROOT))
        duckdb_path = Path(os.environ.get("NHI_DUCKDB_PATH", DEFAULT_DUCKDB_PATH))
        return cls(
            root=root,
            raw_root=raw_root if raw_root.is_absolute() else root / raw_root,
            duckdb_path=duckdb_path if duckdb_path.is_absolute() else root / duckdb_path,
        )

    def environment(self) -> dict[str, str]:
        """The process environment for dbt, with absolute paths and the temp directory."""
        env = dict(os.environ)
        env["NHI_RAW_ROOT"] = str(self.raw_root)
        env["NHI_DUCKDB_PATH"] = str(self.duckdb_path)
        env.setdefault("NHI_DUCKDB_TEMP", str(self.duckdb_path.parent / "tmp"))
        pass_synthetic_flag_to_spark(env, self.raw_root)
        return env
