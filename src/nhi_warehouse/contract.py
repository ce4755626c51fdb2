"""The raw-data contract as Python objects, read from the project's one copy of it:
models/staging/nhird/_nhird__sources.yml (tables, columns, types, required/optional, keys, the
NHI research database layout ``meta.nhird``) and the var ``raw_contract_values`` in
dbt_project.yml (value sets)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from nhi_warehouse.settings import project_root

SOURCES_FILE = Path("models/staging/nhird/_nhird__sources.yml")


@dataclass(frozen=True)
class ContractColumn:
    name: str
    data_type: str
    optional: bool
    description: str


@dataclass(frozen=True)
class LayoutColumn:
    """Where a contract column comes from in another layout (docs/nhird-layout.md): the file's
    column ``source``, its text ``format`` (None: as the contract) and columns to subtract from it
    (a contract component the layout only has as a total minus the other components)."""

    column: str
    source: str
    format: str | None = None
    minus: tuple[str, ...] = ()

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.source, *self.minus)


@dataclass(frozen=True)
class ContractTable:
    name: str
    required: bool
    natural_key: tuple[str, ...]
    columns: tuple[ContractColumn, ...]
    value_sets: dict[str, tuple[str, ...]]
    description: str
    nhird: dict[str, LayoutColumn] | None = None  # contract column -> its NHIRD source (meta.nhird)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns if not column.optional)

    def nhird_source(self, column: str) -> LayoutColumn:
        """The NHIRD-layout source of a contract column (unlisted columns keep their name)."""
        return (self.nhird or {}).get(column) or LayoutColumn(column, column)


def _layout(columns: dict[str, dict[str, object]] | None) -> dict[str, LayoutColumn] | None:
    if not columns:
        return None
    layout = {}
    for name, spec in columns.items():
        minus = spec.get("minus") or ()
        layout[name] = LayoutColumn(
            column=name,
            source=str(spec["from"]),
            format=str(spec["format"]) if spec.get("format") else None,
            minus=tuple(str(m) for m in minus) if isinstance(minus, list) else (),
        )
    return layout


@cache
def load_contract(root: Path | None = None) -> dict[str, ContractTable]:
    """Tables of the raw-data contract by name."""
    root = root or project_root()
    sources = yaml.safe_load((root / SOURCES_FILE).read_text(encoding="utf-8"))
    project = yaml.safe_load((root / "dbt_project.yml").read_text(encoding="utf-8"))
    value_sets = project["vars"]["raw_contract_values"]
    (source,) = [s for s in sources["sources"] if s["name"] == "nhird"]
    tables: dict[str, ContractTable] = {}
    for table in source["tables"]:
        meta = table.get("meta") or {}
        tables[table["name"]] = ContractTable(
            name=table["name"],
            required=bool(meta.get("required", False)),
            natural_key=tuple(meta.get("natural_key", ())),
            columns=tuple(
                ContractColumn(
                    name=column["name"],
                    data_type=column["data_type"],
                    optional=bool((column.get("meta") or {}).get("optional", False)),
                    description=column.get("description", ""),
                )
                for column in table["columns"]
            ),
            value_sets={k: tuple(v) for k, v in (value_sets.get(table["name"]) or {}).items()},
            description=table.get("description", ""),
            nhird=_layout(meta.get("nhird")),
        )
    return tables
