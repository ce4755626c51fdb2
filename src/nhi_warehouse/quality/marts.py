"""Mart validation after `dbt build`: the checks that make a wrong mart visible before it reaches
the meeting or a dashboard.

Reads the schema ``marts`` of the warehouse (``NHI_DUCKDB_PATH``) read-only with DuckDB into
pandas and validates it with Great Expectations, driven by ``quality/mart_expectations.yml``:

* ``mart_<name>``           per configured mart: key unique and not null, rates within [0, 1],
                            numerator <= denominator, point values within a plausible band,
                            non-negative counts, accepted values, ranges, and the row count within
                            a tolerance of the last accepted run (kept in ``<quality>/state.json``).
* ``mart_<name>_totals``    per mart with ``totals``: the 'ALL' row of each group equals the sum
                            of its region rows for every additive column.
* ``marts_identifiers``     EVERY relation in ``marts`` (configured or not): no text value looks
                            like a national ID (``[A-Z][12][0-9]{8}``). Failures never print the
                            value, only the mart and column.

A configured mart that does not exist is a failure, or a notice when it is marked
``optional: true`` (a mart still being written).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import great_expectations as gx
import great_expectations.expectations as gxe
import pandas as pd
import yaml

from nhi_warehouse.quality.duck import connect, ident, quote
from nhi_warehouse.quality.gxkit import Failure, Outcome, QualityContext, failures_of, index_entries
from nhi_warehouse.quality.paths import QualityPaths

DATASOURCE = "warehouse_marts"
SCHEMA = "marts"
NATIONAL_ID_REGEX = r"[A-Z][12][0-9]{8}"
DEFAULTS: dict[str, Any] = {
    "row_count_tolerance": 0.25,
    "min_rows": 1,
    "point_value_band": [0.5, 1.5],
    "total_tolerance": 1.0e-6,
    "sample_rows": 1_000_000,
}
KNOWN_KEYS = {
    "description", "optional", "key", "not_null", "non_negative", "rates", "ratios", "point_values",
    "point_value_band", "point_values_where", "accepted_values", "between", "totals", "row_count_tolerance", "min_rows",
}  # fmt: skip


class ConfigError(ValueError):
    """The mart expectations file is not valid."""


@dataclass(frozen=True)
class Totals:
    region_column: str
    all_value: str
    group_by: tuple[str, ...]
    columns: tuple[str, ...]
    tolerance: float


@dataclass(frozen=True)
class MartSpec:
    """What `quality/mart_expectations.yml` says about one mart."""

    name: str
    optional: bool = False
    key: tuple[str, ...] = ()
    not_null: tuple[str, ...] = ()
    non_negative: tuple[str, ...] = ()
    rates: tuple[str, ...] = ()
    ratios: tuple[tuple[str, str], ...] = ()  # (numerator, denominator)
    point_values: tuple[str, ...] = ()
    point_value_band: tuple[float, float] = (0.5, 1.5)
    point_values_where: str | None = None  # pandas row condition, e.g. "is_complete == True"
    accepted_values: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    between: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    totals: Totals | None = None
    row_count_tolerance: float = 0.25
    min_rows: int = 1

    def columns(self) -> set[str]:
        """Every column the spec names (checked against the mart before validating)."""
        names = {*self.key, *self.not_null, *self.non_negative, *self.rates, *self.point_values}
        names |= {c for pair in self.ratios for c in pair} | set(self.accepted_values) | set(self.between)
        if self.totals is not None:
            names |= {self.totals.region_column, *self.totals.group_by, *self.totals.columns}
        return names


def _names(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of column names")
    return tuple(value)


def _band(value: Any, where: str) -> tuple[float, float]:
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, int | float) for v in value)):
        raise ConfigError(f"{where}: expected [low, high]")
    return float(value[0]), float(value[1])


def load_config(path: Path) -> list[MartSpec]:
    """Parse the mart expectations file; raise ConfigError with the offending entry."""
    if not path.is_file():
        raise ConfigError(f"{path}: not found")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    defaults = {**DEFAULTS, **(data.get("defaults") or {})}
    marts = data.get("marts") or {}
    if not isinstance(marts, dict):
        raise ConfigError(f"{path}: 'marts' must map mart names to their expectations")
    specs = []
    for name, entry in marts.items():
        entry = entry or {}
        where = f"{path}: marts.{name}"
        unknown = set(entry) - KNOWN_KEYS
        if unknown:
            raise ConfigError(f"{where}: unknown key(s) {sorted(unknown)}; known: {sorted(KNOWN_KEYS)}")
        ratios = []
        for i, ratio in enumerate(entry.get("ratios") or []):
            if not isinstance(ratio, dict) or set(ratio) != {"numerator", "denominator"}:
                raise ConfigError(f"{where}.ratios[{i}]: expected {{numerator: column, denominator: column}}")
            ratios.append((str(ratio["numerator"]), str(ratio["denominator"])))
        between = {}
        for column, bounds in (entry.get("between") or {}).items():
            if not (isinstance(bounds, list) and len(bounds) == 2):
                raise ConfigError(f"{where}.between.{column}: expected [min, max] (null for open)")
            between[str(column)] = (bounds[0], bounds[1])
        totals = None
        if entry.get("totals"):
            t = entry["totals"]
            missing = {"region_column", "group_by", "columns"} - set(t)
            if missing:
                raise ConfigError(f"{where}.totals: missing {sorted(missing)}")
            totals = Totals(
                region_column=str(t["region_column"]),
                all_value=str(t.get("all_value", "ALL")),
                group_by=_names(t["group_by"], f"{where}.totals.group_by"),
                columns=_names(t["columns"], f"{where}.totals.columns"),
                tolerance=float(t.get("tolerance", defaults["total_tolerance"])),
            )
        specs.append(
            MartSpec(
                name=str(name),
                optional=bool(entry.get("optional", False)),
                key=_names(entry.get("key"), f"{where}.key"),
                not_null=_names(entry.get("not_null"), f"{where}.not_null"),
                non_negative=_names(entry.get("non_negative"), f"{where}.non_negative"),
                rates=_names(entry.get("rates"), f"{where}.rates"),
                ratios=tuple(ratios),
                point_values=_names(entry.get("point_values"), f"{where}.point_values"),
                point_value_band=_band(entry.get("point_value_band", defaults["point_value_band"]), where),
                point_values_where=entry.get("point_values_where"),
                accepted_values={str(k): tuple(v) for k, v in (entry.get("accepted_values") or {}).items()},
                between=between,
                totals=totals,
                row_count_tolerance=float(entry.get("row_count_tolerance", defaults["row_count_tolerance"])),
                min_rows=int(entry.get("min_rows", defaults["min_rows"])),
            )
        )
    return specs


# ---------------------------------------------------------------------------------------------
# Row-count state
# ---------------------------------------------------------------------------------------------


def read_state(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}


def write_state(path: Path, counts: dict[str, int], warehouse: Path) -> None:
    state = read_state(path)
    marts = state.setdefault("mart_row_counts", {})
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    for name, rows in counts.items():
        marts[name] = {"rows": rows, "accepted_at": now}
    state["warehouse"] = str(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(state, indent=2, sort_keys=True) + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Suites
# ---------------------------------------------------------------------------------------------


def mart_suite(spec: MartSpec, previous_rows: int | None) -> gx.ExpectationSuite:
    expectations: list[Any] = []
    low = spec.min_rows
    high: int | None = None
    if previous_rows is not None:
        low = max(low, math.floor(previous_rows * (1 - spec.row_count_tolerance)))
        # an empty mart last time (an optional input not yet delivered) sets no upper bound
        high = math.ceil(previous_rows * (1 + spec.row_count_tolerance)) if previous_rows > 0 else None
    expectations.append(gxe.ExpectTableRowCountToBeBetween(min_value=low, max_value=high))
    if spec.key:
        expectations.append(gxe.ExpectCompoundColumnsToBeUnique(column_list=list(spec.key)))
    for column in dict.fromkeys([*spec.key, *spec.not_null]):
        expectations.append(gxe.ExpectColumnValuesToNotBeNull(column=column))
    for column in spec.non_negative:
        expectations.append(gxe.ExpectColumnValuesToBeBetween(column=column, min_value=0))
    for column in spec.rates:
        expectations.append(gxe.ExpectColumnValuesToBeBetween(column=column, min_value=0, max_value=1))
    for numerator, denominator in spec.ratios:
        expectations.append(
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A=denominator, column_B=numerator, or_equal=True, ignore_row_if="either_value_is_missing"
            )
        )
    low_pv, high_pv = spec.point_value_band
    condition = (
        {"row_condition": spec.point_values_where, "condition_parser": "pandas"} if spec.point_values_where else {}
    )
    for column in spec.point_values:
        expectations.append(
            gxe.ExpectColumnValuesToBeBetween(column=column, min_value=low_pv, max_value=high_pv, **condition)
        )
    for column, values in spec.accepted_values.items():
        expectations.append(gxe.ExpectColumnValuesToBeInSet(column=column, value_set=list(values)))
    for column, (minimum, maximum) in spec.between.items():
        expectations.append(gxe.ExpectColumnValuesToBeBetween(column=column, min_value=minimum, max_value=maximum))
    previous = f"{previous_rows:,} rows last accepted" if previous_rows is not None else "no previous run"
    return gx.ExpectationSuite(
        name=f"mart_{spec.name}",
        expectations=expectations,
        meta={"notes": f"marts.{spec.name} as configured in quality/mart_expectations.yml ({previous}; row count "
              f"tolerance {spec.row_count_tolerance:.0%})."},
    )  # fmt: skip


def totals_suite(spec: MartSpec) -> gx.ExpectationSuite:
    assert spec.totals is not None
    totals = spec.totals
    expectations: list[Any] = [
        gxe.ExpectColumnValuesToBeInSet(column="has_all_row", value_set=[True]),
        gxe.ExpectColumnValuesToBeBetween(column="region_rows", min_value=1),
    ]
    for column in totals.columns:
        expectations.append(
            gxe.ExpectColumnValuesToBeBetween(
                column=f"{column}__relative_difference", min_value=0, max_value=totals.tolerance
            )
        )
    return gx.ExpectationSuite(
        name=f"mart_{spec.name}_totals",
        expectations=expectations,
        meta={"notes": f"One row per group ({', '.join(totals.group_by)}): the '{totals.all_value}' row of "
              f"{totals.region_column} must exist, have region rows, and equal their sum for each additive column "
              f"(|all - sum| / max(|all|, |sum|) <= {totals.tolerance:g})."},
    )  # fmt: skip


def identifiers_suite() -> gx.ExpectationSuite:
    return gx.ExpectationSuite(
        name="marts_identifiers",
        expectations=[gxe.ExpectColumnValuesToNotMatchRegex(column="value", regex=NATIONAL_ID_REGEX)],
        meta={"notes": "Every distinct text value of every relation in schema marts (one row per mart, column and "
              "value): none may contain a national-ID-shaped string. Results show the mart and column only."},
    )  # fmt: skip


def totals_sql(spec: MartSpec) -> str:
    assert spec.totals is not None
    t = spec.totals
    groups = [ident(g) for g in t.group_by]
    region = ident(t.region_column)
    source = f"{SCHEMA}.{ident(spec.name)}"
    all_cols = ", ".join([*groups, *(f"{ident(c)} as {ident(c + '__all')}" for c in t.columns)])
    sum_cols = ", ".join([*groups, *(f"sum({ident(c)}) as {ident(c + '__regions')}" for c in t.columns),
                          "count(*) as region_rows"])  # fmt: skip
    join = " and ".join(f"a.{g} is not distinct from r.{g}" for g in groups) or "true"
    out = [f"coalesce(a.{g}, r.{g}) as {g}" for g in groups]
    out += ["a._present is not null as has_all_row", "coalesce(r.region_rows, 0) as region_rows"]
    for c in t.columns:
        all_c, sum_c = f"a.{ident(c + '__all')}", f"r.{ident(c + '__regions')}"
        out += [
            f"{all_c}",
            f"{sum_c}",
            f"cast(abs({all_c} - {sum_c}) as double) / nullif(greatest(abs({all_c}), abs({sum_c})), 0)"
            f" as {ident(c + '__relative_difference')}",
        ]
    group_by = f"group by {', '.join(groups)}" if groups else ""
    return f"""
        with all_rows as (
            select {all_cols}, 1 as _present from {source} where cast({region} as varchar) = {quote(t.all_value)}
        ),
        region_rows as (
            select {sum_cols} from {source}
            where {region} is not null and cast({region} as varchar) <> {quote(t.all_value)} {group_by}
        )
        select {", ".join(out)} from all_rows as a full outer join region_rows as r on {join}
    """


# ---------------------------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MartOptions:
    warehouse: Path
    config: Path
    accept_row_counts: bool = False
    sample_rows: int = DEFAULTS["sample_rows"]


def _relations(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, str]]:
    """Relations of schema marts -> {column: data type}."""
    rows = con.execute(
        "select table_name, column_name, data_type from information_schema.columns "
        f"where table_schema = {quote(SCHEMA)} order by table_name, ordinal_position"
    ).fetchall()
    relations: dict[str, dict[str, str]] = {}
    for table, column, data_type in rows:
        relations.setdefault(str(table), {})[str(column)] = str(data_type)
    return relations


def validate_marts(paths: QualityPaths, options: MartOptions) -> Outcome:
    started = time.perf_counter()
    outcome = Outcome(name=f"mart validation of {options.warehouse}")
    specs = load_config(options.config)
    con = connect(options.warehouse, read_only=True)
    gxc = QualityContext(paths)
    try:
        relations = _relations(con)
        state = read_state(paths.state_path).get("mart_row_counts", {})
        counts: dict[str, int] = {}
        run_name = options.warehouse.stem
        # Identifiers first: marts holding an ID-shaped string are validated without printing values.
        flagged = _validate_identifiers(gxc, con, relations, run_name, outcome)
        for spec in specs:
            _validate_mart(gxc, con, spec, relations, state, counts, run_name, options, outcome, spec.name in flagged)
    finally:
        con.close()
    if counts and (outcome.success or options.accept_row_counts):
        write_state(paths.state_path, counts, options.warehouse)
        outcome.notices.append(f"row counts of {len(counts)} mart(s) recorded in {paths.state_path}")
    elif counts:
        outcome.notices.append(
            "row counts not recorded (validation failed); rerun with --accept-row-counts to accept them"
        )
    outcome.seconds = time.perf_counter() - started
    outcome.docs = gxc.publish(outcome, kind="marts", subject=str(options.warehouse))
    return outcome


def _run(gxc: QualityContext, suite: gx.ExpectationSuite, frame: pd.DataFrame, run_name: str,
         result_format: dict[str, Any], outcome: Outcome, target: str) -> Any:  # fmt: skip
    gxc.checkpoint(DATASOURCE, suite.name, suite, result_format)
    outcome.suites[suite.name] = len(suite.expectations)
    result = gxc.run(suite.name, frame, run_name, target=target)
    outcome.batches += 1
    outcome.expectations += len(result.results)
    return result


def _validate_mart(
    gxc: QualityContext, con: duckdb.DuckDBPyConnection, spec: MartSpec, relations: dict[str, dict[str, str]],
    state: dict[str, Any], counts: dict[str, int], run_name: str, options: MartOptions, outcome: Outcome,
    hide_values: bool,
) -> None:  # fmt: skip
    suite_name = f"mart_{spec.name}"
    if spec.name not in relations:
        message = f"marts.{spec.name} does not exist in {options.warehouse}"
        if spec.optional:
            outcome.notices.append(f"{message} (optional: skipped)")
        else:
            outcome.failures.append(Failure(suite_name, spec.name, "the mart exists", message))
        return
    missing = sorted(spec.columns() - set(relations[spec.name]))
    if missing:
        outcome.failures.append(
            Failure(suite_name, spec.name, "configured columns exist",
                    f"marts.{spec.name} has no column(s) {', '.join(missing)} (see quality/mart_expectations.yml)")
        )  # fmt: skip
        return
    source = f"{SCHEMA}.{ident(spec.name)}"
    total = con.execute(f"select count(*) from {source}").fetchone()
    rows = int(total[0]) if total else 0
    counts[spec.name] = rows
    if options.sample_rows and rows > options.sample_rows:
        frame = con.execute(
            f"select * from {source} using sample reservoir({options.sample_rows} rows) repeatable (42)"
        ).df()
        outcome.notices.append(f"marts.{spec.name}: {rows:,} rows, validated on a sample of {len(frame):,}")
    else:
        frame = con.execute(f"select * from {source}").df()
    previous = state.get(spec.name, {}).get("rows") if isinstance(state.get(spec.name), dict) else None
    suite = mart_suite(spec, int(previous) if previous is not None else None)
    result_format: dict[str, Any] = {"result_format": "SUMMARY", "partial_unexpected_count": 10}
    if hide_values:
        result_format["exclude_unexpected_values"] = True
    if spec.key:
        result_format["unexpected_index_column_names"] = list(spec.key)
    result = _run(gxc, suite, frame, run_name, result_format, outcome, f"marts.{spec.name} ({rows:,} rows)")
    outcome.failures.extend(failures_of(suite.name, f"marts.{spec.name}", result))
    if spec.totals is not None:
        totals = con.execute(totals_sql(spec)).df()
        suite = totals_suite(spec)
        result_format = {"result_format": "SUMMARY", "partial_unexpected_count": 10,
                         "unexpected_index_column_names": list(spec.totals.group_by)}  # fmt: skip
        result = _run(
            gxc, suite, totals, run_name, result_format, outcome, f"marts.{spec.name}: {len(totals):,} groups"
        )
        outcome.failures.extend(failures_of(suite.name, f"marts.{spec.name} totals", result))


def _validate_identifiers(
    gxc: QualityContext, con: duckdb.DuckDBPyConnection, relations: dict[str, dict[str, str]], run_name: str,
    outcome: Outcome,
) -> set[str]:  # fmt: skip
    """No national-ID-shaped text in any relation of schema marts; returns the marts that have one."""
    parts = []
    for table, columns in relations.items():
        for column, data_type in columns.items():
            if data_type.upper().startswith("VARCHAR"):
                parts.append(
                    f'select distinct {quote(table)} as mart, {quote(column)} as "column", '
                    f"cast({ident(column)} as varchar) as value from {SCHEMA}.{ident(table)} "
                    f"where {ident(column)} is not null"
                )
    if not parts:
        outcome.notices.append("no text column in schema marts: identifier check had nothing to look at")
        frame = pd.DataFrame(
            {"mart": pd.Series(dtype=str), "column": pd.Series(dtype=str), "value": pd.Series(dtype=str)}
        )
    else:
        frame = con.execute(" union all ".join(parts)).df()
    suite = identifiers_suite()
    result_format = {"result_format": "COMPLETE", "exclude_unexpected_values": True,
                     "unexpected_index_column_names": ["mart", "column"]}  # fmt: skip
    target = f"{len(relations)} relation(s) of schema marts, {len(frame):,} distinct text values"
    result = _run(gxc, suite, frame, run_name, result_format, outcome, target)
    flagged: set[str] = set()
    for expectation_result in result.results:
        if expectation_result.success:
            continue
        found: dict[tuple[str, str], int] = {}
        for entry in index_entries((expectation_result.result or {}).get("unexpected_index_list")):
            key = (str(entry["mart"]), str(entry["column"]))
            found[key] = found.get(key, 0) + 1
        for (mart, column), n in sorted(found.items()):
            flagged.add(mart)
            outcome.failures.append(
                Failure(suite.name, f"marts.{mart}", f"no identifier-shaped string in {column}",
                        f"{n:,} distinct value(s) of {column} contain a national-ID-shaped string (values not shown)")
            )  # fmt: skip
        if not found:
            outcome.failures.extend(failures_of(suite.name, "marts", result))
    return flagged
