"""Raw-delivery validation before `dbt build`: refuse a broken delivery, pass one with a small
share of bad rows (those the dbt quarantine already handles).

The contract (tables, columns, types, required/optional, natural keys, value sets) is read with
:func:`nhi_warehouse.contract.load_contract`; outpatient case types come from the seed
``seeds/reference/case_types.csv``. Great Expectations suites, all built at run time:

* ``raw_delivery``         one row per required table: its folder holds files with rows.
* ``raw_<table>_files``    one row per FILE: readable, every required contract column present,
                           every column stored in a type that holds the contract type (CSV is
                           text; a Parquet FEE_YM stored as integer is refused). Structural.
* ``raw_<table>_rows``     the table's rows (a repeatable DuckDB reservoir sample above
                           ``sample_rows``): keys and required values present, values parseable
                           as the contract type (text checked by regex, the way staging casts
                           it), value sets, plausible date ranges, ordered date pairs
                           (APPL_DATE >= FUNC_DATE, ...), natural-key conflicts within the whole
                           delivery, references (oo -> cd claim, cd/dd.HOSP_ID -> hosb).
* ``raw_partitions``       the same rules counted exactly by DuckDB over every row, one row per
                           PARTITION (the files of one folder: a monthly drop such as
                           ``cd/fee_ym=202401/`` with its re-runs and late fixes) and rule.

Policy: a structural failure refuses the delivery; a rule refuses it when it fails more than
``max(max_share x rows, min_rows)`` rows of the table or of one partition (defaults 1 % and 5
rows). The generator's bad rows (~0.1 % per rule, written to separate ``late-fix`` files of each
partition) therefore pass, and a month with 5 % unknown codes is refused, naming the partition,
the rule and the files holding the failing rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import great_expectations as gx
import great_expectations.expectations as gxe
import pandas as pd
from great_expectations.expectations.row_conditions import Column

from nhi_warehouse.contract import ContractColumn, ContractTable, load_contract
from nhi_warehouse.quality.duck import connect, ident, quote
from nhi_warehouse.quality.gxkit import (
    Failure,
    Outcome,
    QualityContext,
    failures_of,
    index_entries,
    summarize_failure,
)
from nhi_warehouse.quality.paths import QualityPaths
from nhi_warehouse.raw_files import EMPTY_FILE, default_cache_dir, prepare_csv

DEFAULT_MAX_SHARE = 0.01
DEFAULT_MIN_ROWS = 5
DEFAULT_SAMPLE_ROWS = 100_000
DATASOURCE = "raw_delivery"

# ---------------------------------------------------------------------------------------------
# Validation policy: what the contract's prose says and its machine-readable copy does not.
# ---------------------------------------------------------------------------------------------

NHI_START = dt.datetime(1995, 3, 1)  # 全民健保開辦: no visit, claim or fee month before it
EARLIEST_DATE = dt.datetime(1900, 1, 1)
# Required columns that may be empty (contract: "empty while active", "empty = ordinary",
# "empty if never", "0 when none"); every other required column must be filled.
NULLABLE_COLUMNS = frozenset({"CONT_E_DATE", "PART_CODE", "DRUG_DAY", "RECV_DATE", "REPLY_DATE"})
# Dates that may lie before the NHI start / after the as-of date.
OLD_DATES = frozenset({"ID_BIRTHDAY", "CONT_S_DATE", "CONT_E_DATE"})
FUTURE_DATES = frozenset({"CONT_S_DATE", "CONT_E_DATE"})
# Numbers that may be negative (every other number of the contract is >= 0).
SIGNED_COLUMNS = frozenset({"ORDER_QTY", "FEE_ADJ_RATE"})  # FEE_ADJ_RATE: drug-price cuts are negative
# Text columns with a fixed format.
TEXT_FORMATS = {"FEE_YM": r"^[0-9]{4}(0[1-9]|1[0-2])$", "FEE_QUARTER": r"^[0-9]{4}Q[1-4]$"}
# Later date >= earlier date, per table (the contract's and the quarantine's order rules).
ORDERED_PAIRS = {
    "cd": (("APPL_DATE", "FUNC_DATE"),),
    "dd": (("APPL_DATE", "IN_DATE"), ("OUT_DATE", "IN_DATE")),
    "referral": (("RECV_DATE", "ISSUE_DATE"), ("REPLY_DATE", "ISSUE_DATE")),
    "hosb": (("CONT_E_DATE", "CONT_S_DATE"),),
}
# The contract's re-delivery rule: rows with the same natural key -> the latest APPL_DATE wins.
DEDUPE_ORDER = {"cd": "APPL_DATE", "oo": "APPL_DATE", "dd": "APPL_DATE"}
CASE_TYPES_SEED = Path("seeds/reference/case_types.csv")
CASE_TYPE_TABLES = frozenset({"cd", "oo"})  # the seed lists outpatient case types; dd has its own codes

DATE_REGEX = (
    r"^[0-9]{4}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)"
    r"|02-(0[1-9]|1[0-9]|2[0-9]))$"
)
TIMESTAMP_REGEX = (
    r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([ T]([01][0-9]|2[0-3]):[0-5][0-9]"
    r"(:[0-5][0-9](\.[0-9]{1,9})?)?([+-][0-9]{2}(:?[0-9]{2})?|Z)?)?$"
)
NUMBER_REGEX = {
    ("integer", False): r"^[0-9]+$",
    ("integer", True): r"^-?[0-9]+$",
    ("decimal", False): r"^[0-9]+(\.[0-9]+)?$",
    ("decimal", True): r"^-?[0-9]+(\.[0-9]+)?$",
}

# Stored (Parquet) type families a contract type accepts; a CSV column is always "text".
ACCEPTED_STORAGE = {
    "varchar": ("text",),
    "integer": ("integer", "text"),
    "bigint": ("integer", "text"),
    "decimal": ("decimal", "integer", "float", "text"),
    "date": ("date", "text"),
    "timestamp": ("timestamp", "date", "text"),
}
_INTEGER_TYPES = frozenset(
    {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT"}
)


def base_type(contract_type: str) -> str:
    """`decimal(9,2)` -> `decimal`, `bigint` -> `bigint`."""
    return contract_type.split("(")[0].strip().lower()


def storage_family(duckdb_type: str) -> str:
    """The family of a column type as DuckDB reads it from a file."""
    name = duckdb_type.upper()
    if name.startswith("VARCHAR"):
        return "text"
    if name in _INTEGER_TYPES:
        return "integer"
    if name.startswith("DECIMAL"):
        return "decimal"
    if name in {"FLOAT", "DOUBLE", "REAL"}:
        return "float"
    if name == "DATE":
        return "date"
    if name.startswith("TIMESTAMP"):
        return "timestamp"
    return name.lower()


def is_personal(column: ContractColumn) -> bool:
    """Personal-data columns (the contract says 'personal data'): their checks print no value."""
    return "personal data" in column.description.lower()


# ---------------------------------------------------------------------------------------------
# The delivery on disk
# ---------------------------------------------------------------------------------------------


@dataclass
class RawFile:
    table: str
    path: Path
    rel: str  # relative to the raw root: cd/fee_ym=202401/part-0.parquet
    partition: str  # its folder: cd/fee_ym=202401 (files directly in the table folder: cd)
    format: str  # parquet | csv
    columns: dict[str, tuple[str, str]] = field(default_factory=dict)  # UPPER -> (name in file, type)
    rows: int = 0
    read_error: str | None = None
    # CSV: the file as dbt's raw views read it (nhi_warehouse.raw_files): the file itself, or its
    # UTF-8 contract-layout copy (a Big5/CP950 file, the NHIRD layout); its encoding and layout.
    read_path: Path | None = None
    encoding: str | None = None
    layout: str = "contract"

    @property
    def reader(self) -> str:
        """How dbt's raw views read the file (CSV as text, no hive columns)."""
        if self.format == "parquet":
            return f"read_parquet({quote(self.path)}, hive_partitioning = false)"
        path = self.read_path or self.path
        return f"read_csv({quote(path)}, all_varchar = true, header = true, hive_partitioning = false)"


@dataclass
class TableDelivery:
    contract: ContractTable
    folder: Path
    files: list[RawFile]

    def usable(self) -> list[RawFile]:
        """Readable files with every required column (the others fail the files suite)."""
        required = set(self.contract.required_columns)
        return [f for f in self.files if f.read_error is None and required <= set(f.columns)]

    def readable_with(self, columns: Sequence[str]) -> list[RawFile]:
        """Readable files holding the given columns (enough for a reference's key set)."""
        return [f for f in self.files if f.read_error is None and set(columns) <= set(f.columns)]

    def partitions(self) -> list[str]:
        return sorted({f.partition for f in self.usable()})


def discover(raw_root: Path, contract: dict[str, ContractTable]) -> dict[str, TableDelivery]:
    """Every .parquet / .csv file under ``<raw_root>/<table>/`` at any depth, as dbt reads them."""
    tables = {}
    for name, table in contract.items():
        folder = raw_root / name
        files = []
        if folder.is_dir():
            for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in {".parquet", ".csv"}):
                rel = path.relative_to(raw_root).as_posix()
                partition = path.parent.relative_to(raw_root).as_posix()
                files.append(RawFile(name, path, rel, partition, path.suffix[1:]))
        tables[name] = TableDelivery(table, folder, files)
    return tables


MISSING_IN_LAYOUT = "missing required column(s)"


def inspect_file(
    con: duckdb.DuckDBPyConnection,
    raw_file: RawFile,
    table: ContractTable | None = None,
    cache_dir: Path | None = None,
    encoding: str | None = None,
) -> None:
    """Columns, stored types and row count of one file; the error text when it cannot be read. A
    0-byte file (a failed or interrupted transfer) is reported as such, not as a file without any
    of its columns (CSV) or a damaged Parquet file. With ``table`` and ``cache_dir``, a CSV file is
    read the way dbt's raw views read it (nhi_warehouse.raw_files.prepare_csv): its encoding
    detected (``encoding`` overrides), the NHIRD layout recognised from the header."""
    if raw_file.path.stat().st_size == 0:
        raw_file.read_error = EMPTY_FILE
        raw_file.columns = {}
        return
    if raw_file.format == "csv" and table is not None and cache_dir is not None:
        prepared = prepare_csv(raw_file.path, table, cache_dir, encoding)
        raw_file.encoding, raw_file.layout = prepared.encoding, prepared.layout
        if prepared.error is not None:
            raw_file.read_error = prepared.error
            raw_file.columns = {}
            return
        if prepared.missing and prepared.layout == "nhird":
            raw_file.read_error = (
                f"{MISSING_IN_LAYOUT} {', '.join(prepared.missing)} (NHIRD layout, docs/nhird-layout.md)"
            )
            raw_file.columns = {}
            return
        raw_file.read_path = Path(prepared.read_path)
    try:
        described = con.execute(f"describe select * from {raw_file.reader}").fetchall()
        raw_file.columns = {str(row[0]).upper(): (str(row[0]), str(row[1])) for row in described}
        counted = con.execute(f"select count(*) from {raw_file.reader}").fetchone()
        raw_file.rows = int(counted[0]) if counted else 0
    except duckdb.Error as error:
        raw_file.read_error = f"{type(error).__name__}: {str(error).splitlines()[0]}"[:300]
        raw_file.columns = {}


# ---------------------------------------------------------------------------------------------
# SQL over the delivery: text, key status, references, derived columns, counts
# ---------------------------------------------------------------------------------------------


def _columns_by_name(table: ContractTable) -> dict[str, ContractColumn]:
    return {column.name: column for column in table.columns}


def _normalised(column: ContractColumn, expr: str) -> str:
    """A key value as compared across files: integers without leading zeros, else the text."""
    if base_type(column.data_type) in {"integer", "bigint"}:
        return f"coalesce(cast(try_cast({expr} as bigint) as varchar), {expr})"
    return expr


def text_sql(table: ContractTable, files: Sequence[RawFile]) -> str:
    """Every usable file of a table as trimmed text (empty -> null, like staging's clean_text),
    with _file, _partition, the normalised natural key k0.. and a content hash _h."""
    by_name = _columns_by_name(table)
    selects = []
    for f in files:
        columns = []
        for column in table.columns:
            found = f.columns.get(column.name)
            if found is None:
                columns.append(f"cast(null as varchar) as {ident(column.name)}")
            else:
                columns.append(f"nullif(trim(cast({ident(found[0])} as varchar)), '') as {ident(column.name)}")
        selects.append(
            f"select {', '.join(columns)}, {quote(f.rel)} as _file, {quote(f.partition)} as _partition from {f.reader}"
        )
    keys = [f"{_normalised(by_name[c], ident(c))} as k{i}" for i, c in enumerate(table.natural_key)]
    content = ", ".join(ident(c.name) for c in table.columns)
    return f"select *, {', '.join([*keys, f'hash({content}) as _h'])} from ({' union all '.join(selects)}) as u"


def key_status_sql(table: ContractTable) -> str:
    """One row per version (content hash) of every natural key that occurs more than once:
    exact_duplicate (all copies identical: a re-delivery), superseded / latest (versions differ
    and the contract's dedupe order picks the latest APPL_DATE), conflicting (versions differ
    and nothing decides, or the table has no dedupe order)."""
    keys = [f"k{i}" for i in range(len(table.natural_key))]
    key_list = ", ".join(keys)
    a_keys = ", ".join(f"a.{k}" for k in keys)
    join = " and ".join(f"a.{k} = b.{k}" for k in keys)
    order = DEDUPE_ORDER.get(table.name)
    order_expr = f"try_cast({ident(order)} as date)" if order else "cast(null as date)"
    has_order = "true" if order else "false"
    not_null = " and ".join(f"{k} is not null" for k in keys)
    return f"""
        with keyed as (
            select {key_list}, {order_expr} as ord, _h as h from text__{table.name} where {not_null}
        ),
        groups as (
            select {key_list}, count(distinct h) as versions, max(ord) as top_ord
            from keyed group by {key_list} having count(*) > 1
        ),
        versions as (
            select {a_keys}, a.h, any_value(a.ord) as ord, count(*) as n
            from keyed as a join groups as b on {join} group by {a_keys}, a.h
        ),
        top_versions as (
            select {a_keys}, count(*) as top_versions
            from versions as a join groups as b on {join} and a.ord = b.top_ord group by {a_keys}
        )
        select {a_keys}, a.h, a.n,
            case
                when b.versions = 1 then 'exact_duplicate'
                when {has_order} and c.top_versions = 1 and a.ord < b.top_ord then 'superseded'
                when {has_order} and c.top_versions = 1 and a.ord = b.top_ord then 'latest'
                else 'conflicting'
            end as status
        from versions as a
        join groups as b on {join}
        left join top_versions as c on {" and ".join(f"a.{k} = c.{k}" for k in keys)}
    """


@dataclass(frozen=True)
class Reference:
    """Child columns that must name a row of the parent (its natural key)."""

    flag: str  # the flag column of the child's rows: found / missing / null (key incomplete)
    child: str
    columns: tuple[str, ...]
    parent: str
    parent_columns: tuple[str, ...]
    label: str = ""  # names the rule when a child refers to one parent twice ("" = the parent's name)

    @property
    def table_name(self) -> str:
        return f"parent_keys__{self.child}__{self.parent}"

    @property
    def rule_key(self) -> str:
        return f"reference:{self.label or self.parent}"


def references(contract: dict[str, ContractTable]) -> tuple[Reference, ...]:
    """oo -> cd claim key; cd, dd, hosp_prospective HOSP_ID -> hosb; cd ORIG_HOSP_ID (optional, 交付
    prescriber; empty on most claims) -> hosb (the contract's joins, the quarantine's rules)."""
    claim_key = contract["cd"].natural_key
    hosb_key = contract["hosb"].natural_key
    return (
        Reference("_claim_in_cd", "oo", claim_key, "cd", claim_key),
        Reference("_hosp_in_hosb", "cd", ("HOSP_ID",), "hosb", hosb_key),
        Reference("_orig_hosp_in_hosb", "cd", ("ORIG_HOSP_ID",), "hosb", hosb_key, "hosb(ORIG_HOSP_ID)"),
        Reference("_hosp_in_hosb", "dd", ("HOSP_ID",), "hosb", hosb_key),
        Reference("_hosp_in_hosb", "hosp_prospective", ("HOSP_ID",), "hosb", hosb_key),
    )


def parent_keys_sql(parent: ContractTable, columns: tuple[str, ...], files: Sequence[RawFile]) -> str:
    """The parent's distinct key values over every readable file that has the key columns (a
    file refused for another column still names its claims, so its children are not orphans)."""
    by_name = _columns_by_name(parent)
    selects = []
    for f in files:
        exprs = []
        for i, column in enumerate(columns):
            text = f"nullif(trim(cast({ident(f.columns[column][0])} as varchar)), '')"
            exprs.append(f"{_normalised(by_name[column], text)} as k{i}")
        selects.append(f"select {', '.join(exprs)} from {f.reader}")
    not_null = " and ".join(f"k{i} is not null" for i in range(len(columns)))
    return f"select distinct * from ({' union all '.join(selects)}) as u where {not_null}"


@dataclass(frozen=True)
class Derived:
    """A column computed from the text: a typed companion, a date difference."""

    name: str
    sql: str


def derived_columns(table: ContractTable) -> dict[str, Derived]:
    """FEE_YM__month, <date>__date, <timestamp>__ts (null where the text does not parse, like
    staging's safe casts) and <later>_minus_<earlier>__days for the ordered date pairs."""
    derived: dict[str, Derived] = {}
    for column in table.columns:
        kind = base_type(column.data_type)
        quoted = f"x.{ident(column.name)}"
        if column.name == "FEE_YM":
            derived[column.name] = Derived(
                "FEE_YM__month",
                f"case when regexp_full_match({quoted}, '[0-9]{{4}}(0[1-9]|1[0-2])') then make_date("
                f"cast(substr({quoted}, 1, 4) as integer), cast(substr({quoted}, 5, 2) as integer), 1) end",
            )
        elif kind == "date":
            derived[column.name] = Derived(f"{column.name}__date", f"try_cast({quoted} as date)")
        elif kind == "timestamp":
            derived[column.name] = Derived(f"{column.name}__ts", f"try_cast({quoted} as timestamp)")
    for later, earlier in ORDERED_PAIRS.get(table.name, ()):
        if later in derived and earlier in derived:
            name = f"{later}_minus_{earlier}__days"
            derived[name] = Derived(name, f"date_diff('day', {derived[earlier].sql}, {derived[later].sql})")
    return derived


def checked_sql(table: ContractTable, refs: Sequence[Reference]) -> str:
    """The table's rows as validated: text, derived columns, _key_status and reference flags."""
    by_name = _columns_by_name(table)
    selects = [f"x.{ident(c.name)}" for c in table.columns] + ["x._file", "x._partition"]
    selects += [f"{d.sql} as {ident(d.name)}" for d in derived_columns(table).values()]
    joins = []
    if table.natural_key:
        cond = " and ".join(f"ks.k{i} = x.k{i}" for i in range(len(table.natural_key)))
        joins.append(f"left join key_status__{table.name} as ks on {cond} and ks.h = x._h")
        incomplete = " or ".join(f"x.k{i} is null" for i in range(len(table.natural_key)))
        selects.append(f"case when {incomplete} then null else coalesce(ks.status, 'unique') end as _key_status")
    for n, ref in enumerate(refs):
        alias = f"p{n}"
        cond = " and ".join(
            f"{alias}.k{i} = {_normalised(by_name[c], 'x.' + ident(c))}" for i, c in enumerate(ref.columns)
        )
        joins.append(f"left join {ref.table_name} as {alias} on {cond}")
        incomplete = " or ".join(f"x.{ident(c)} is null" for c in ref.columns)
        selects.append(
            f"case when {incomplete} then null when {alias}.k0 is not null then 'found' else 'missing' end"
            f" as {ident(ref.flag)}"
        )
    return f"select {', '.join(selects)} from text__{table.name} as x {' '.join(joins)}"


# ---------------------------------------------------------------------------------------------
# Rules: one definition, two evaluations (GX on the rows, DuckDB counts per partition)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """A row rule as a GX expectation and as SQL (rows considered; rows failing), so that GX
    checks the rows and DuckDB counts failing rows per partition with the same definition."""

    key: str  # e.g. in_set:AREA_NO_H
    expectation_class: type
    kwargs: dict[str, Any]  # the expectation's arguments except `mostly` (a run-time parameter)
    considered: str  # SQL over the checked rows: the rule applies (GX skips nulls the same way)
    fails: str  # SQL: the row breaks the rule
    every_row: bool = False  # not-null rules consider every row

    @property
    def column(self) -> str:
        return str(self.kwargs["column"])

    @property
    def condition_column(self) -> str | None:
        condition = self.kwargs.get("row_condition")
        return str(condition.column.name) if condition is not None else None

    @property
    def parameter(self) -> str:
        return "mostly__" + "".join(ch if ch.isalnum() else "_" for ch in self.key)

    def expectation(self) -> Any:
        return self.expectation_class(**self.kwargs, mostly={"$PARAMETER": self.parameter})

    @property
    def frame_columns(self) -> tuple[str, ...]:
        condition = self.condition_column
        return (self.column,) if condition is None else (self.column, condition)


def _sql_list(values: Sequence[str]) -> str:
    return "(" + ", ".join(quote(v) for v in values) + ")"


def _regex_for(column: ContractColumn) -> str | None:
    """The text format a column's values must have to cast to the contract type."""
    kind = base_type(column.data_type)
    if column.name in TEXT_FORMATS:
        return TEXT_FORMATS[column.name]
    if kind == "date":
        return DATE_REGEX
    if kind == "timestamp":
        return TIMESTAMP_REGEX
    if kind in {"integer", "bigint", "decimal"}:
        return NUMBER_REGEX[("decimal" if kind == "decimal" else "integer", column.name in SIGNED_COLUMNS)]
    return None


def _date_bounds(name: str, as_of: dt.date) -> tuple[dt.datetime, dt.datetime | None]:
    if name == "FEE_YM":
        return NHI_START, dt.datetime(as_of.year, as_of.month, 1)
    lower = EARLIEST_DATE if name in OLD_DATES else NHI_START
    upper = None if name in FUTURE_DATES else dt.datetime(as_of.year, as_of.month, as_of.day, 23, 59, 59)
    return lower, upper


def table_rules(
    table: ContractTable, *, as_of: dt.date, case_type_values: Sequence[str], refs: Sequence[Reference]
) -> list[Rule]:
    """The row rules of one contract table, in Data Docs order."""
    columns = _columns_by_name(table)
    derived = derived_columns(table)
    rules: list[Rule] = []

    filled = [*table.natural_key]
    filled += [c.name for c in table.columns if not (c.optional or c.name in NULLABLE_COLUMNS or c.name in filled)]
    for name in filled:
        q = ident(name)
        rules.append(
            Rule(f"not_null:{name}", gxe.ExpectColumnValuesToNotBeNull, {"column": name}, "true", f"{q} is null", True)
        )

    for column in table.columns:
        name, q = column.name, ident(column.name)
        if is_personal(column) and name in derived:
            # Parse check on the typed value, so that a failure shows no personal data.
            typed = derived[name].name
            kwargs = {"column": typed, "row_condition": Column(name).is_not_null()}
            rules.append(
                Rule(f"parses:{name}", gxe.ExpectColumnValuesToNotBeNull, kwargs, f"{q} is not null",
                     f"{ident(typed)} is null")
            )  # fmt: skip
            continue
        regex = _regex_for(column)
        if regex is not None:
            rules.append(
                Rule(f"format:{name}", gxe.ExpectColumnValuesToMatchRegex, {"column": name, "regex": regex},
                     f"{q} is not null", f"not regexp_matches({q}, {quote(regex)})")
            )  # fmt: skip

    value_sets = dict(table.value_sets)
    if "CASE_TYPE" in columns and table.name in CASE_TYPE_TABLES and case_type_values:
        value_sets.setdefault("CASE_TYPE", tuple(case_type_values))
    for name, values in value_sets.items():
        q = ident(name)
        rules.append(
            Rule(f"in_set:{name}", gxe.ExpectColumnValuesToBeInSet, {"column": name, "value_set": list(values)},
                 f"{q} is not null", f"{q} not in {_sql_list(values)}")
        )  # fmt: skip

    for name, typed in derived.items():
        if name not in columns or is_personal(columns[name]):
            continue
        lower, upper = _date_bounds(name, as_of)
        q = ident(typed.name)
        bounds = [f"{q} < {quote(lower.isoformat(sep=' '))}"]
        if upper is not None:
            bounds.append(f"{q} > {quote(upper.isoformat(sep=' '))}")
        kwargs = {"column": typed.name, "min_value": lower, "max_value": upper}
        rules.append(
            Rule(f"range:{name}", gxe.ExpectColumnValuesToBeBetween, kwargs, f"{q} is not null", " or ".join(bounds))
        )

    for later, earlier in ORDERED_PAIRS.get(table.name, ()):
        name = f"{later}_minus_{earlier}__days"
        if name in derived:
            q = ident(name)
            rules.append(
                Rule(f"order:{later}>={earlier}", gxe.ExpectColumnValuesToBeBetween,
                     {"column": name, "min_value": 0}, f"{q} is not null", f"{q} < 0")
            )  # fmt: skip

    if table.natural_key:
        rules.append(
            Rule("key:conflicting", gxe.ExpectColumnValuesToNotBeInSet,
                 {"column": "_key_status", "value_set": ["conflicting"]},
                 "_key_status is not null", "_key_status = 'conflicting'")
        )  # fmt: skip
    for ref in refs:
        q = ident(ref.flag)
        kwargs = {"column": ref.flag, "value_set": ["found"]}
        rules.append(
            Rule(
                ref.rule_key,
                gxe.ExpectColumnValuesToBeInSet,
                kwargs,
                f"{q} is not null",
                f"{q} = 'missing'",
            )
        )
    return rules


def counts_sql(rules: Sequence[Rule], table_name: str) -> str:
    """Rows, and rows considered / failing per rule, per partition and file (one scan)."""
    parts = ["_partition", "_file", "count(*)"]
    for rule in rules:
        parts.append(f"count(*) filter (where {rule.considered})")
        parts.append(f"count(*) filter (where ({rule.considered}) and ({rule.fails}))")
    return f"select {', '.join(parts)} from checked__{table_name} group by _partition, _file"


# ---------------------------------------------------------------------------------------------
# Expectation suites
# ---------------------------------------------------------------------------------------------


def case_types(root: Path) -> tuple[str, ...]:
    with (root / CASE_TYPES_SEED).open(newline="", encoding="utf-8") as handle:
        return tuple(row["case_type"].strip() for row in csv.DictReader(handle))


def delivery_suite() -> gx.ExpectationSuite:
    return gx.ExpectationSuite(
        name="raw_delivery",
        expectations=[
            gxe.ExpectColumnValuesToBeBetween(column="files", min_value=1),
            gxe.ExpectColumnValuesToBeBetween(column="rows", min_value=1),
        ],
        meta={"notes": "One row per required contract table: its folder must hold files with rows. Structural."},
    )


def storage_pairs(contract: dict[str, ContractTable]) -> list[tuple[str, str]]:
    """(expected, stored) pairs a file may show for a contract column: expected is the contract
    type, with " (optional)" for optional columns, which may also be "missing"."""
    pairs = set()
    for table in contract.values():
        for column in table.columns:
            expected = expected_storage(column)
            pairs.update((expected, stored) for stored in ACCEPTED_STORAGE[base_type(column.data_type)])
            if column.optional:
                pairs.add((expected, "missing"))
    return sorted(pairs)


def expected_storage(column: ContractColumn) -> str:
    return base_type(column.data_type) + (" (optional)" if column.optional else "")


def files_suite(contract: dict[str, ContractTable]) -> gx.ExpectationSuite:
    return gx.ExpectationSuite(
        name="raw_files",
        expectations=[
            gxe.ExpectColumnValuesToBeNull(column="read_error"),
            gxe.ExpectColumnPairValuesToBeInSet(
                column_A="expected", column_B="stored", value_pairs_set=storage_pairs(contract),
                ignore_row_if="either_value_is_missing",
            ),
        ],
        meta={"notes": "One row per file and contract column: the read error (null when the file is readable), "
              "the contract type expected (optional columns may be 'missing') and the type family stored in the "
              "file ('text' for CSV). Structural: one failing file refuses the delivery."},
    )  # fmt: skip


def rows_suite(table: ContractTable, rules: Sequence[Rule]) -> gx.ExpectationSuite:
    return gx.ExpectationSuite(
        name=f"raw_{table.name}_rows",
        expectations=[rule.expectation() for rule in rules],
        meta={"notes": "The table's rows (a repeatable sample above sample_rows). Each rule tolerates "
              "max(max_share x rows, min_rows) failing rows (run-time parameters mostly__*). Columns ending "
              "__date/__ts/__month are typed values (null where the text does not parse), __days the difference "
              "of an ordered date pair; _key_status is the natural key's status in the whole delivery; "
              "_claim_in_cd / _hosp_in_hosb / _orig_hosp_in_hosb are reference flags."},
    )  # fmt: skip


def partitions_suite() -> gx.ExpectationSuite:
    return gx.ExpectationSuite(
        name="raw_partitions",
        expectations=[
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="tolerated_share", column_B="failing_share", or_equal=True
            ),
        ],
        meta={"notes": "Exact DuckDB counts over every row: one row per table, partition (folder) and rule of the "
              "rows suites. failing_share (of the partition's rows) must not exceed tolerated_share = "
              "max(max_share, min_rows / rows)."},
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RawOptions:
    raw_root: Path
    as_of: dt.date
    max_share: float = DEFAULT_MAX_SHARE
    min_rows: int = DEFAULT_MIN_ROWS
    sample_rows: int = DEFAULT_SAMPLE_ROWS
    # CSV: where the UTF-8 contract-layout copies go (None: raw_files.default_cache_dir of an
    # in-memory database) and the encoding per table when detection cannot tell (dbt's var
    # raw_csv_encoding)
    cache_dir: Path | None = None
    csv_encoding: dict[str, str] = field(default_factory=dict)

    def tolerated_rows(self, rows: int) -> float:
        """Failing rows a rule tolerates among ``rows`` rows: max(max_share x rows, min_rows)."""
        return max(self.max_share * rows, float(self.min_rows))

    def mostly(self, rows: int, considered: int) -> float:
        """GX `mostly` for a rule that looks at ``considered`` of ``rows`` rows (nulls are skipped)."""
        if considered <= 0:
            return 1.0
        return max(0.0, 1.0 - self.tolerated_rows(rows) / considered)


ROWS_FORMAT = {"result_format": "BASIC", "partial_unexpected_count": 10}
SUMMARY_FORMAT = {
    "result_format": "SUMMARY",
    "partial_unexpected_count": 20,
    "unexpected_index_column_names": ["_file"],
}
DELIVERY_FORMAT = {"result_format": "COMPLETE", "unexpected_index_column_names": ["table"]}
FILES_FORMAT = {"result_format": "COMPLETE", "unexpected_index_column_names": ["_file", "column"]}
PARTITIONS_FORMAT = {"result_format": "COMPLETE", "unexpected_index_column_names": ["table", "partition", "rule"]}


def validate_raw(root: Path, paths: QualityPaths, options: RawOptions) -> Outcome:
    """Validate the delivery under ``options.raw_root``; any failure refuses it."""
    started = time.perf_counter()
    outcome = Outcome(name=f"raw validation of {options.raw_root}")
    if not options.raw_root.is_dir():
        outcome.failures.append(
            Failure("raw_delivery", str(options.raw_root), "the raw root is a folder", "not found", structural=True)
        )
        outcome.seconds = time.perf_counter() - started
        return outcome
    contract = load_contract(root)
    deliveries = discover(options.raw_root, contract)
    gxc = QualityContext(paths)
    con = connect()
    try:
        _Run(root, gxc, con, contract, deliveries, options, outcome).run()
    finally:
        con.close()
    outcome.seconds = time.perf_counter() - started
    outcome.docs = gxc.publish(outcome, kind="raw", subject=str(options.raw_root))
    return outcome


@dataclass
class _Run:
    root: Path
    gxc: QualityContext
    con: duckdb.DuckDBPyConnection
    contract: dict[str, ContractTable]
    deliveries: dict[str, TableDelivery]
    options: RawOptions
    outcome: Outcome
    partition_records: list[dict[str, Any]] = field(default_factory=list)
    partition_files: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)

    @property
    def run_name(self) -> str:
        return self.options.raw_root.name or str(self.options.raw_root)

    def run(self) -> None:
        cache_dir = self.options.cache_dir or default_cache_dir(None)
        for name, delivery in self.deliveries.items():
            encoding = self.options.csv_encoding.get(name)
            for raw_file in delivery.files:
                inspect_file(self.con, raw_file, delivery.contract, cache_dir, encoding)
                if raw_file.read_path is not None and raw_file.read_path != raw_file.path:
                    layout = " in the NHIRD layout (docs/nhird-layout.md)" if raw_file.layout == "nhird" else ""
                    self.outcome.notices.append(f"{raw_file.rel}: read as {raw_file.encoding}{layout}")
        self.check_delivery()
        self.check_files()
        refs = self.prepare_references()
        case_type_values = case_types(self.root)
        for delivery in self.deliveries.values():
            if delivery.usable():
                self.check_rows(delivery, [r for r in refs if r.child == delivery.contract.name], case_type_values)
        self.check_partitions()

    def prepare_references(self) -> list[Reference]:
        """The parents' key sets, for the references that can be checked."""
        active = []
        for ref in references(self.contract):
            parent, child = self.deliveries[ref.parent], self.deliveries[ref.child]
            if not child.usable():
                continue
            key_files = parent.readable_with(ref.parent_columns)
            if not key_files:
                self.outcome.notices.append(
                    f"reference {ref.child} -> {ref.parent} not checked: no readable {ref.parent} file"
                )
                continue
            sql = parent_keys_sql(self.contract[ref.parent], ref.parent_columns, key_files)
            self.con.execute(f"create or replace temp table {ref.table_name} as {sql}")
            active.append(ref)
        return active

    def _validate(
        self, suite: gx.ExpectationSuite, result_format: dict[str, Any], frame: pd.DataFrame, target: str,
        *, parameters: dict[str, Any] | None = None,
    ) -> Any:  # fmt: skip
        self.gxc.checkpoint(DATASOURCE, suite.name, suite, result_format)
        self.outcome.suites[suite.name] = len(suite.expectations)
        result = self.gxc.run(suite.name, frame, self.run_name, parameters, target)
        self.outcome.batches += 1
        self.outcome.expectations += len(result.results)
        return result

    def _record_failures(self, suite_name: str, target: str, result: Any, *, structural: bool = False) -> None:
        for failure in failures_of(suite_name, target, result):
            self.outcome.failures.append(
                Failure(failure.suite, failure.target, failure.expectation, failure.observed, failure.files, structural)
            )

    def check_delivery(self) -> None:
        """Every required table folder has files with rows."""
        records = [
            {"table": name, "folder": str(d.folder), "files": len(d.files),
             "rows": sum(f.rows for f in d.files if f.read_error is None)}
            for name, d in self.deliveries.items() if d.contract.required
        ]  # fmt: skip
        suite = delivery_suite()
        result = self._validate(suite, DELIVERY_FORMAT, pd.DataFrame(records), "required tables")
        by_table = {r["table"]: r for r in records}
        for expectation_result in result.results:
            if expectation_result.success:
                continue
            column = expectation_result.expectation_config.kwargs["column"]
            for entry in index_entries((expectation_result.result or {}).get("unexpected_index_list")):
                record = by_table[str(entry["table"])]
                if column == "files":
                    observed = f"required table {record['table']}: no .parquet or .csv file under {record['folder']}"
                elif record["files"]:
                    observed = f"required table {record['table']}: its {record['files']} file(s) hold no readable row"
                else:
                    continue  # reported once, as "no file"
                self.outcome.failures.append(
                    Failure(
                        suite.name, f"{record['table']}/", f"required table has {column}", observed, structural=True
                    )
                )
        for name, d in self.deliveries.items():
            if not d.files and not d.contract.required:
                self.outcome.notices.append(f"optional table {name} is absent ({d.folder}); dbt reads it as empty")

    def check_files(self) -> None:
        """Every file readable, with its required columns, in types that hold the contract's."""
        records: list[dict[str, Any]] = []
        for delivery in self.deliveries.values():
            for f in delivery.files:
                base = {
                    "_file": f.rel,
                    "table": f.table,
                    "format": f.format,
                    "rows": f.rows,
                    "read_error": f.read_error,
                }
                if f.read_error is not None:
                    records.append({**base, "column": None, "expected": None, "stored": None})
                    continue
                for column in delivery.contract.columns:
                    found = f.columns.get(column.name)
                    stored = "missing" if found is None else "text" if f.format == "csv" else storage_family(found[1])
                    records.append({**base, "column": column.name, "expected": expected_storage(column),
                                    "stored": stored})  # fmt: skip
            left_out = len(delivery.files) - len(delivery.usable())
            if left_out:
                self.outcome.notices.append(
                    f"{delivery.contract.name}: {left_out} unreadable or incomplete file(s) left out of the row checks"
                )
        if not records:
            return
        suite = files_suite(self.contract)
        frame = pd.DataFrame(records)
        result = self._validate(suite, FILES_FORMAT, frame, "files")
        by_key = {(r["_file"], r["column"] or ""): r for r in records}
        for expectation_result in result.results:
            if expectation_result.success:
                continue
            index = index_entries((expectation_result.result or {}).get("unexpected_index_list"))
            for entry in index:
                column = entry.get("column")
                record = by_key[(str(entry["_file"]), column if isinstance(column, str) else "")]
                if record["read_error"] == EMPTY_FILE:
                    expectation, observed = "the file is not empty", f"{EMPTY_FILE}: it holds no header and no row"
                elif str(record["read_error"]).startswith(MISSING_IN_LAYOUT):
                    expectation, observed = "required columns present", str(record["read_error"])
                elif record["read_error"] is not None:
                    expectation, observed = "the file is readable", f"unreadable: {record['read_error']}"
                elif record["stored"] == "missing":
                    expectation, observed = "required columns present", f"required column {record['column']} is missing"
                else:
                    expectation = "column types hold the contract type"
                    observed = (
                        f"{record['column']} is stored as {record['stored']}; the contract says {record['expected']}"
                    )
                self.outcome.failures.append(
                    Failure(suite.name, str(entry["_file"]), expectation, observed, structural=True)
                )
            if not index:
                self._record_failures(suite.name, "files", result, structural=True)

    def check_rows(self, delivery: TableDelivery, refs: Sequence[Reference], case_type_values: Sequence[str]) -> None:
        """Row rules on the table's rows (GX) and exact counts per partition (DuckDB)."""
        table = delivery.contract
        name = table.name
        files = delivery.usable()
        con = self.con
        con.execute(f"create or replace temp table text__{name} as {text_sql(table, files)}")
        if table.natural_key:
            con.execute(f"create or replace temp table key_status__{name} as {key_status_sql(table)}")
            self._key_notice(delivery)
        active = list(refs)
        con.execute(f"create or replace temp table checked__{name} as {checked_sql(table, active)}")
        con.execute(f"drop table text__{name}")

        rules = table_rules(table, as_of=self.options.as_of, case_type_values=case_type_values, refs=active)
        needed = list(dict.fromkeys(c for rule in rules for c in rule.frame_columns))
        select = ", ".join(ident(c) for c in needed)
        total = sum(f.rows for f in files)
        sample = self.options.sample_rows
        if sample and total > sample:
            frame = con.execute(
                f"select {select} from checked__{name} using sample reservoir({int(sample)} rows) repeatable (42)"
            ).df()
            target = f"{name} (a sample of {len(frame):,} of {total:,} rows)"
        else:
            frame = con.execute(f"select {select} from checked__{name}").df()
            target = f"{name} (all {len(frame):,} rows)"
        parameters = {}
        for rule in rules:
            considered = (
                len(frame) if rule.every_row else int(frame[rule.condition_column or rule.column].notna().sum())
            )
            parameters[rule.parameter] = self.options.mostly(len(frame), considered)
        table_files = self._count_partitions(name, rules)
        suite = rows_suite(table, rules)
        result = self._validate(suite, ROWS_FORMAT, frame, target, parameters=parameters)
        by_signature = {(rule.expectation().expectation_type, rule.column): rule for rule in rules}
        for expectation_result in result.results:
            if expectation_result.success:
                continue
            config = expectation_result.expectation_config
            rule = by_signature.get((config.type, str(config.kwargs.get("column"))))
            failure = summarize_failure(suite.name, target, expectation_result)
            files = tuple(table_files.get(rule.key, [])) if rule is not None else ()
            self.outcome.failures.append(
                Failure(failure.suite, failure.target, failure.expectation, failure.observed, files)
            )
        con.execute(f"drop table checked__{name}")

    def _key_notice(self, delivery: TableDelivery) -> None:
        name = delivery.contract.name
        stats = self.con.execute(
            "select coalesce(sum(n - 1) filter (where status = 'exact_duplicate'), 0), "
            "coalesce(sum(n) filter (where status = 'superseded'), 0), "
            f"coalesce(sum(n) filter (where status = 'conflicting'), 0) from key_status__{name}"
        ).fetchone()
        exact, superseded, conflicting = (int(v) for v in stats) if stats else (0, 0, 0)
        usable = delivery.usable()
        self.outcome.notices.append(
            f"{name}: {len(usable)} file(s), {len(delivery.partitions())} partition(s), "
            f"{sum(f.rows for f in usable):,} rows; natural key: {exact:,} exact re-delivered copies, "
            f"{superseded:,} superseded versions, {conflicting:,} conflicting versions"
        )

    def _count_partitions(self, name: str, rules: Sequence[Rule]) -> dict[str, list[str]]:
        """Exact failing rows per partition and rule (for raw_partitions); returns, per rule, the
        files with the most failing rows over the whole table."""
        by_partition: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        counts = self.con.execute(counts_sql(rules, name)).fetchall()
        for row in counts:
            by_partition[str(row[0])].append(row)
        table_files: dict[str, list[str]] = {}
        for i, rule in enumerate(rules):
            worst = sorted(((int(r[4 + 2 * i]), str(r[1])) for r in counts if int(r[4 + 2 * i])), reverse=True)
            table_files[rule.key] = [f"{file} ({n:,})" for n, file in worst[:3]]
            self.outcome.failing_rows[f"{name} {rule.key}"] = sum(n for n, _ in worst)
        for partition, rows in sorted(by_partition.items()):
            partition_rows = sum(int(r[2]) for r in rows)
            tolerated = min(1.0, self.options.tolerated_rows(partition_rows) / partition_rows)
            for i, rule in enumerate(rules):
                considered = sum(int(r[3 + 2 * i]) for r in rows)
                failing = sum(int(r[4 + 2 * i]) for r in rows)
                worst = sorted(((int(r[4 + 2 * i]), str(r[1])) for r in rows if int(r[4 + 2 * i])), reverse=True)
                files = [f"{file} ({n:,})" for n, file in worst[:3]]
                self.partition_records.append({
                    "table": name, "partition": partition, "rule": rule.key, "rows": partition_rows,
                    "considered_rows": considered, "failing_rows": failing,
                    "failing_share": failing / partition_rows, "tolerated_share": tolerated,
                    "files": "; ".join(files),
                })  # fmt: skip
                self.partition_files[(name, partition, rule.key)] = files
        return table_files

    def check_partitions(self) -> None:
        """Every rule within its tolerance in every partition (exact counts)."""
        if not self.partition_records:
            return
        frame = pd.DataFrame(self.partition_records)
        suite = partitions_suite()
        result = self._validate(suite, PARTITIONS_FORMAT, frame, "partitions")
        details = {(r["table"], r["partition"], r["rule"]): r for r in self.partition_records}
        for expectation_result in result.results:
            if expectation_result.success:
                continue
            index = index_entries((expectation_result.result or {}).get("unexpected_index_list"))
            if not index:
                self._record_failures(suite.name, "partitions", result)
                continue
            for entry in index:
                key = (str(entry["table"]), str(entry["partition"]), str(entry["rule"]))
                record = details[key]
                self.outcome.failures.append(
                    Failure(
                        suite.name, key[1], f"rule {key[2]}",
                        f"{record['failing_rows']:,} of {record['rows']:,} rows fail "
                        f"({100 * record['failing_share']:.2f} %; tolerated {100 * record['tolerated_share']:.2f} %)",
                        tuple(self.partition_files[key]),
                    )
                )  # fmt: skip
