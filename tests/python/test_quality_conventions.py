"""The conventions check over dbt's manifest: each rule flags a small fake manifest; the project's
own manifest (from `dbt parse`) passes."""

from __future__ import annotations

import copy
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conftest import DBT, ROOT
from nhi_warehouse.quality import exit_codes
from nhi_warehouse.quality.cli import main
from nhi_warehouse.quality.conventions import check_manifest, load_json


def model(name: str, path: str, *, depends: list[str] | None = None, **extra: Any) -> dict[str, Any]:
    node = {
        "resource_type": "model",
        "package_name": "nhi_warehouse",
        "name": name,
        "original_file_path": path,
        "description": f"{name} described",
        "columns": {"id": {"description": "the key"}},
        "meta": {"grain": "one row per id"},
        "config": {"meta": {}, "contract": {"enforced": path.startswith("models/marts/")}},
        "depends_on": {"nodes": depends or ["source.nhi_warehouse.nhird.cd"], "macros": []},
    }
    node.update(extra)
    return node


def unique_test(attached: str) -> dict[str, Any]:
    return {
        "resource_type": "test",
        "package_name": "nhi_warehouse",
        "name": f"unique_{attached}",
        "attached_node": attached,
        "column_name": "id",
        "test_metadata": {"name": "unique", "kwargs": {"column_name": "id"}},
    }


def clean_manifest() -> dict[str, Any]:
    nodes = {
        "model.nhi_warehouse.base_nhird__cd": model("base_nhird__cd", "models/staging/nhird/base/base_nhird__cd.sql"),
        "model.nhi_warehouse.stg_nhird__cd": model(
            "stg_nhird__cd", "models/staging/nhird/stg_nhird__cd.sql", depends=["model.nhi_warehouse.base_nhird__cd"]
        ),
        "model.nhi_warehouse.int_claims": model(
            "int_claims", "models/intermediate/claims/int_claims.sql",
            depends=["model.nhi_warehouse.stg_nhird__cd", "seed.nhi_warehouse.regions"],
        ),
        "model.nhi_warehouse.claims_by_region": model(
            "claims_by_region", "models/marts/claims/claims_by_region.sql", depends=["model.nhi_warehouse.int_claims"]
        ),
        "test.nhi_warehouse.unique_claims_by_region": unique_test("model.nhi_warehouse.claims_by_region"),
        "seed.nhi_warehouse.regions": {
            "resource_type": "seed", "package_name": "nhi_warehouse", "name": "regions",
            "original_file_path": "seeds/reference/regions.csv", "description": "regions",
            "columns": {"area_no_h": {"description": "code"}}, "config": {"column_types": {"area_no_h": "varchar"}},
        },
    }  # fmt: skip
    return {"metadata": {"project_name": "nhi_warehouse"}, "nodes": nodes}


def test_clean_fake_manifest_passes() -> None:
    assert check_manifest(clean_manifest()) == []


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        (lambda n: n["model.nhi_warehouse.int_claims"].update(description=""), "model_description"),
        (lambda n: n["model.nhi_warehouse.int_claims"]["columns"]["id"].update(description=" "), "column_description"),
        (lambda n: n["model.nhi_warehouse.int_claims"].update(meta={}), "meta_grain"),
        (lambda n: n["model.nhi_warehouse.claims_by_region"]["config"].update(contract={"enforced": False}),
         "mart_contract"),
        (lambda n: n.pop("test.nhi_warehouse.unique_claims_by_region"), "mart_primary_key"),
        (lambda n: n["model.nhi_warehouse.stg_nhird__cd"]["depends_on"]["nodes"].append("seed.nhi_warehouse.regions"),
         "staging_single_input"),
        (lambda n: n["model.nhi_warehouse.stg_nhird__cd"].update(original_file_path="models/intermediate/stg.sql"),
         "prefix_folder"),
        (lambda n: n["seed.nhi_warehouse.regions"]["config"].update(column_types={}), "seed_column_types"),
        (lambda n: n["seed.nhi_warehouse.regions"].update(description=""), "seed_description"),
    ],
)  # fmt: skip
def test_each_rule_flags_its_violation(change: Any, rule: str) -> None:
    manifest = copy.deepcopy(clean_manifest())
    change(manifest["nodes"])
    violations = check_manifest(manifest)
    assert [v.rule for v in violations] == [rule], [v.line() for v in violations]


def test_cli_prints_one_line_per_violation(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = clean_manifest()
    manifest["nodes"]["model.nhi_warehouse.int_claims"]["description"] = ""
    manifest["nodes"]["model.nhi_warehouse.int_claims"]["meta"] = {}
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest), encoding="utf-8")
    assert main(["conventions", "--manifest", str(path)]) == exit_codes.CONVENTIONS_FAILED
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == [
        "models/intermediate/claims/int_claims.sql: int_claims: model has no description [model_description]",
        "models/intermediate/claims/int_claims.sql: int_claims: model has no meta.grain [meta_grain]",
    ]


@pytest.fixture(scope="module")
def project_manifest(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The project's manifest: `dbt parse` into a temporary target folder (no warehouse needed)."""
    work = tmp_path_factory.mktemp("parse")
    env = dict(os.environ, NHI_DUCKDB_PATH=str(work / "w.duckdb"), NHI_RAW_ROOT=str(work / "raw"),
               DBT_SEND_ANONYMOUS_USAGE_STATS="false")  # fmt: skip
    command = [DBT, "parse", "--profiles-dir", str(ROOT / "profiles"), "--target-path", str(work / "target"),
               "--log-path", str(work / "logs"), "--no-partial-parse"]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:]
    return load_json(work / "target" / "manifest.json")


@pytest.mark.slow
def test_project_manifest_follows_the_conventions(project_manifest: dict[str, Any]) -> None:
    violations = check_manifest(project_manifest)
    assert violations == [], "\n".join(v.line() for v in violations)
