"""The project's dbt conventions, checked on dbt's ``target/manifest.json`` (run `dbt parse` first).

Models of this project:

* described, every declared column described, ``meta.grain`` set;
* named for their folder: ``stg_``/``base_`` in ``models/staging/``, ``int_`` in
  ``models/intermediate/``, none of those prefixes in ``models/marts/`` (and ``stg_``/``base_``/
  ``int_`` models nowhere else);
* a staging model depends on at most one relation (ref or source): no joins in staging —
  ``base_*`` models read one source, ``stg_*`` and ``*_rejected`` models read one base model;
* a mart (``models/marts/``) has an enforced contract and a primary-key test: ``unique`` on a
  column or a ``unique_combination`` test attached to it.

Seeds of this project: described, with ``column_types`` (no type guessing), and every declared
column typed. With ``--catalog`` (``dbt docs generate``), columns present in the warehouse but
not declared in yml are reported too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PRIMARY_KEY_TESTS = frozenset({"unique", "unique_combination", "unique_combination_of_columns"})
FOLDER_PREFIXES = {
    "models/staging/": ("stg_", "base_"),
    "models/intermediate/": ("int_",),
}
LAYER_PREFIXES = ("stg_", "base_", "int_")


@dataclass(frozen=True)
class Violation:
    path: str
    name: str
    rule: str
    message: str

    def line(self) -> str:
        return f"{self.path}: {self.name}: {self.message} [{self.rule}]"


def _meta(node: dict[str, Any]) -> dict[str, Any]:
    return {**(node.get("config", {}).get("meta") or {}), **(node.get("meta") or {})}


def _blank(text: Any) -> bool:
    return not isinstance(text, str) or not text.strip()


def check_manifest(manifest: dict[str, Any], catalog: dict[str, Any] | None = None) -> list[Violation]:
    """Every convention violation of the project's own models and seeds, in file order."""
    project = manifest.get("metadata", {}).get("project_name")
    nodes: dict[str, dict[str, Any]] = manifest.get("nodes", {})
    own = {uid: n for uid, n in nodes.items() if project is None or n.get("package_name") == project}
    tests_by_model: dict[str, set[str]] = {}
    for node in nodes.values():
        if node.get("resource_type") != "test":
            continue
        name = (node.get("test_metadata") or {}).get("name")
        attached = node.get("attached_node")
        if attached and name in PRIMARY_KEY_TESTS and (name != "unique" or node.get("column_name")):
            tests_by_model.setdefault(attached, set()).add(name)

    violations: list[Violation] = []
    for uid, node in sorted(own.items(), key=lambda item: item[1].get("original_file_path", "")):
        kind = node.get("resource_type")
        path = node.get("original_file_path", uid)
        name = node.get("name", uid)

        def add(rule: str, message: str, path: str = path, name: str = name) -> None:
            violations.append(Violation(path, name, rule, message))

        if kind == "seed":
            if _blank(node.get("description")):
                add("seed_description", "seed has no description")
            column_types = node.get("config", {}).get("column_types") or {}
            if not column_types:
                add("seed_column_types", "seed has no column_types (types would be guessed)")
            else:
                untyped = [c for c in node.get("columns", {}) if c not in column_types]
                if untyped:
                    add("seed_column_types", f"declared column(s) without a column_types entry: {', '.join(untyped)}")
            continue
        if kind != "model":
            continue
        if _blank(node.get("description")):
            add("model_description", "model has no description")
        undescribed = [c for c, column in node.get("columns", {}).items() if _blank(column.get("description"))]
        if undescribed:
            add("column_description", f"undescribed column(s): {', '.join(undescribed)}")
        if catalog is not None:
            built = (catalog.get("nodes", {}).get(uid) or {}).get("columns") or {}
            declared = {c.lower() for c in node.get("columns", {})}
            undeclared = [c for c in built if c.lower() not in declared]
            if undeclared:
                add("column_description", f"column(s) not declared in yml: {', '.join(sorted(undeclared))}")
        if _blank(_meta(node).get("grain")):
            add("meta_grain", "model has no meta.grain")

        folder_rule = next((p for p in FOLDER_PREFIXES if path.startswith(p)), None)
        if folder_rule is not None:
            allowed = FOLDER_PREFIXES[folder_rule]
            if not name.startswith(allowed):
                add("prefix_folder", f"a model in {folder_rule} must be named {' or '.join(a + '*' for a in allowed)}")
        elif path.startswith("models/marts/"):
            if name.startswith(LAYER_PREFIXES):
                add("prefix_folder", "a mart must not carry a layer prefix (stg_, base_, int_)")
        elif name.startswith(LAYER_PREFIXES):
            add("prefix_folder", f"a {name.split('_')[0]}_ model belongs in its layer's folder, not {path}")

        if path.startswith("models/staging/"):
            depends = [d for d in node.get("depends_on", {}).get("nodes", []) if not d.startswith("test.")]
            if len(depends) > 1:
                short = ", ".join(d.split(".", 2)[-1] for d in depends)
                add(
                    "staging_single_input",
                    f"a staging model must read one relation, this one reads {len(depends)}: {short}",
                )

        if path.startswith("models/marts/"):
            contract = node.get("config", {}).get("contract") or {}
            if not contract.get("enforced"):
                add("mart_contract", "mart has no enforced contract")
            if not tests_by_model.get(uid):
                add("mart_primary_key", "mart has no primary-key test (unique on a column or unique_combination)")
    return violations


def load_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))
