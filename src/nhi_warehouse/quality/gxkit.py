"""Great Expectations 1.x plumbing shared by the raw and mart validations.

One file-backed GX project under the quality folder (``<quality>/gx``, created on first use),
one pandas data source per kind of check, one data asset + whole-dataframe batch definition +
ExpectationSuite + ValidationDefinition + Checkpoint per suite. Every batch is a pandas
DataFrame built with DuckDB and passed as the ``dataframe`` batch parameter (GX 1.24 has no
DuckDB data source; see docs/quality.md). Results go to the GX validation store and are rendered
into the Data Docs site at ``NHI_QUALITY_DOCS`` once per command.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

import great_expectations as gx
import pandas as pd
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context.types.base import ProgressBarsConfig
from great_expectations.data_context.types.resource_identifiers import (
    ExpectationSuiteIdentifier,
)

from nhi_warehouse.quality import docsite
from nhi_warehouse.quality.paths import QualityPaths

SITE_NAME = "nhi_quality"
BATCH_DEFINITION = "whole_dataframe"

logging.getLogger("great_expectations").setLevel(logging.ERROR)


@dataclass(frozen=True)
class Failure:
    """One failed expectation, in words: which suite, on what (file, partition, mart), what was seen."""

    suite: str
    target: str
    expectation: str
    observed: str
    files: tuple[str, ...] = ()
    structural: bool = False

    def line(self) -> str:
        where = f" [files: {', '.join(self.files)}]" if self.files else ""
        return redact(f"{self.suite} | {self.target} | {self.expectation} | {self.observed}{where}")


@dataclass
class Outcome:
    """What a command validated and what failed."""

    name: str
    batches: int = 0
    expectations: int = 0
    failures: list[Failure] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    suites: dict[str, int] = field(default_factory=dict)  # suite name -> expectations in it
    failing_rows: dict[str, int] = field(default_factory=dict)  # "table rule" -> rows failing (tolerated or not)
    seconds: float = 0.0
    docs: Path | None = None

    @property
    def success(self) -> bool:
        return not self.failures


def _plain(value: Any) -> Any:
    """numpy / pandas scalars as Python values (readable in messages)."""
    if isinstance(value, tuple | list):
        return tuple(_plain(v) for v in value)
    item = getattr(value, "item", None)
    if callable(item) and not isinstance(value, str | bytes):
        try:
            return item()
        except (ValueError, TypeError):
            return value
    return value


NATIONAL_ID = re.compile(r"[A-Z][12][0-9]{8}")


def redact(text: str) -> str:
    """Messages never carry a national-ID-shaped string (personal data)."""
    return NATIONAL_ID.sub("<ID-shaped value>", text)


def _short(value: Any, limit: int = 60) -> str:
    value = _plain(value)
    text = redact(repr(value) if isinstance(value, str | tuple) else str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def index_entries(entries: Any) -> list[dict[str, Any]]:
    """GX's unexpected index list as one dict per row. GX gives one dict per row, or (with
    ``exclude_unexpected_values``) dicts of column -> list of values."""
    rows: list[dict[str, Any]] = []
    for entry in entries or []:
        if not isinstance(entry, dict):
            continue
        if entry and all(isinstance(v, list) for v in entry.values()):
            length = max(len(v) for v in entry.values())
            rows.extend({k: v[i] if i < len(v) else None for k, v in entry.items()} for i in range(length))
        else:
            rows.append(entry)
    return rows


def describe_expectation(config: Any) -> str:
    """`expect_column_values_to_be_in_set(AREA_NO_H, value_set=(...))`: the expectation in one line."""
    kwargs = config.kwargs
    parts: list[str] = []
    if "column" in kwargs:
        parts.append(str(kwargs["column"]))
    if "column_A" in kwargs:
        parts.append(f"{kwargs['column_A']} >= {kwargs['column_B']}" if kwargs.get("or_equal") else
                     f"{kwargs['column_A']} > {kwargs['column_B']}")  # fmt: skip
    if "column_list" in kwargs:
        parts.append("+".join(kwargs["column_list"]))
    for key in ("value_set", "regex", "min_value", "max_value", "strftime_format"):
        if kwargs.get(key) is not None:
            parts.append(f"{key}={_short(kwargs[key], 40)}")
    if config.kwargs.get("row_condition"):
        parts.append("where the text is given")
    return f"{config.type}({', '.join(parts)})"


def _exception_message(result: Any) -> str | None:
    info = result.exception_info or {}
    if info.get("raised_exception"):
        return str(info.get("exception_message"))
    for value in info.values():
        if isinstance(value, dict) and value.get("raised_exception"):
            return str(value.get("exception_message"))
    return None


def summarize_failure(suite: str, target: str, result: Any, *, structural: bool = False) -> Failure:
    """A readable Failure from a failed ExpectationValidationResult."""
    config = result.expectation_config
    details = result.result or {}
    message = _exception_message(result)
    files: tuple[str, ...] = ()
    if message is not None:
        observed = f"not evaluated: {message.splitlines()[0][:200]}"
    elif "unexpected_count" in details:
        mostly = config.kwargs.get("mostly")
        tolerated = f"; tolerated {100 * (1 - float(mostly)):.2f} %" if isinstance(mostly, float) and mostly < 1 else ""
        observed = (
            f"{details.get('unexpected_count', 0):,} of {details.get('element_count', 0):,} rows unexpected "
            f"({details.get('unexpected_percent') or 0:.2f} % of non-null{tolerated})"
        )
        examples = [v for v in details.get("partial_unexpected_list") or [] if v is not None]
        if examples:
            distinct = list(dict.fromkeys(_short(v, 30) for v in examples))[:4]
            observed += f"; e.g. {', '.join(distinct)}"
        index = index_entries(details.get("partial_unexpected_index_list"))
        names = [n for n in details.get("unexpected_index_column_names") or [] if n != config.kwargs.get("column")]
        if names == ["_file"]:
            counts = Counter(str(entry.get("_file")) for entry in index)
            files = tuple(f"{name} ({n} of the first {len(index)})" for name, n in counts.most_common(5))
        elif names and index:
            keys = list(
                dict.fromkeys("(" + ", ".join(_short(entry.get(n), 30) for n in names) + ")" for entry in index)
            )
            observed += f"; rows ({', '.join(names)}): {', '.join(keys[:5])}"
    elif "observed_value" in details:
        observed = f"observed {_short(details['observed_value'], 200)}"
    else:
        observed = "failed"
    return Failure(suite, target, describe_expectation(config), observed, files, structural)


_OPEN: dict[tuple[Path, Path], QualityContext] = {}


class QualityContext:
    """A file-backed GX project under the quality folder, with the Data Docs site configured.

    ``QualityContext(paths)`` starts a new run (its own run time and result list); within one
    process the GX context and the registered suites are reused for the same folders, so a
    second validation (tests, the pipeline) does not register unchanged suites again.
    """

    def __new__(cls, paths: QualityPaths) -> QualityContext:
        key = (paths.quality_dir.resolve(), paths.docs_dir.resolve())
        existing = _OPEN.get(key)
        if existing is not None and existing.paths.quality_dir.is_dir():
            existing._new_run()
            return existing
        instance = super().__new__(cls)
        instance._open(paths)
        _OPEN[key] = instance
        return instance

    def __init__(self, paths: QualityPaths) -> None:  # state is set in __new__ (reused contexts)
        pass

    def _open(self, paths: QualityPaths) -> None:
        self.paths = paths
        paths.quality_dir.mkdir(parents=True, exist_ok=True)
        paths.docs_dir.mkdir(parents=True, exist_ok=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.context = gx.get_context(mode="file", project_root_dir=str(paths.quality_dir))
        self._configure()
        self._registered: dict[str, tuple[str, Any]] = {}
        self._new_run()

    def _new_run(self) -> None:
        self.paths.docs_dir.mkdir(parents=True, exist_ok=True)
        self.run_time = dt.datetime.now(dt.UTC)
        self.result_ids: list[Any] = []
        self.suite_ids: list[ExpectationSuiteIdentifier] = []
        self._checkpoints: dict[str, Any] = {}
        self._records: list[tuple[Any, str, str, bool, int, int]] = []

    def _configure(self) -> None:
        context = self.context
        sites = dict(context.get_config().data_docs_sites or {})
        site_config = {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(self.paths.docs_dir)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
        for name in list(sites):
            if name != SITE_NAME:
                context.delete_data_docs_site(name)
        current = sites.get(SITE_NAME)
        if current is None:
            context.add_data_docs_site(site_name=SITE_NAME, site_config=site_config)  # type: ignore[arg-type]
        elif dict(current).get("store_backend", {}).get("base_directory") != str(self.paths.docs_dir):
            context.update_data_docs_site(site_name=SITE_NAME, site_config=site_config)  # type: ignore[arg-type]
        progress = context.variables.progress_bars
        if progress is None or getattr(progress, "globally", True):
            context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
            context.variables.save()

    def checkpoint(self, datasource: str, asset: str, suite: gx.ExpectationSuite, result_format: dict[str, Any]) -> Any:
        """Register (or refresh) the suite and its asset, validation definition and checkpoint."""
        fingerprint = json.dumps([datasource, asset, suite.to_json_dict(), result_format], sort_keys=True, default=str)
        known = self._registered.get(suite.name)
        if known is not None and known[0] == fingerprint:
            self._checkpoints[suite.name] = known[1]
            if not (self.paths.docs_dir / "expectations" / f"{suite.name}.html").is_file():
                self.suite_ids.append(ExpectationSuiteIdentifier(name=suite.name))
            return known[1]
        context = self.context
        try:
            source = context.data_sources.get(datasource)
        except (KeyError, ValueError, LookupError):
            source = context.data_sources.add_pandas(datasource)
        try:
            data_asset = source.get_asset(asset)
        except LookupError:
            data_asset = source.add_dataframe_asset(asset)
        try:
            batch_definition = data_asset.get_batch_definition(BATCH_DEFINITION)
        except (KeyError, LookupError):
            batch_definition = data_asset.add_batch_definition_whole_dataframe(BATCH_DEFINITION)
        stored = context.suites.add_or_update(suite)
        definition = context.validation_definitions.add_or_update(
            gx.ValidationDefinition(name=suite.name, data=batch_definition, suite=stored)
        )
        checkpoint = context.checkpoints.add_or_update(
            gx.Checkpoint(name=suite.name, validation_definitions=[definition], actions=[], result_format=result_format)
        )
        self._checkpoints[suite.name] = checkpoint
        self._registered[suite.name] = (fingerprint, checkpoint)
        self.suite_ids.append(ExpectationSuiteIdentifier(name=suite.name))
        return checkpoint

    def run(
        self,
        suite_name: str,
        frame: pd.DataFrame,
        run_name: str,
        parameters: dict[str, Any] | None = None,
        target: str = "",
    ) -> Any:
        """Validate one DataFrame with the suite's checkpoint; return the suite validation result."""
        checkpoint = self._checkpoints[suite_name]
        run_id = RunIdentifier(run_name=run_name.replace("/", " - "), run_time=self.run_time)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = checkpoint.run(
                batch_parameters={"dataframe": frame}, expectation_parameters=parameters or {}, run_id=run_id
            )
        ((identifier, suite_result),) = result.run_results.items()
        self.result_ids.append(identifier)
        failed = sum(1 for r in suite_result.results if not r.success)
        self._records.append(
            (identifier, suite_name, target or run_name, bool(suite_result.success), len(suite_result.results), failed)
        )
        return suite_result

    def publish(self, outcome: Outcome, *, kind: str, subject: str) -> Path:
        """Render this run's GX pages, then the offline index (docsite); return index.html."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.context.build_data_docs(
                site_names=[SITE_NAME], resource_identifiers=[*self.suite_ids, *self.result_ids]
            )
        records = [
            docsite.ResultRecord(
                suite=suite,
                target=target,
                success=success,
                evaluated=evaluated,
                failed=failed,
                page=docsite.page_of(self.context, SITE_NAME, identifier, self.paths.docs_dir),
            )
            for identifier, suite, target, success, evaluated, failed in self._records
        ]
        return docsite.publish(
            self.paths.docs_dir,
            self.paths.quality_dir / "runs.json",
            kind=kind,
            title=outcome.name,
            subject=subject,
            success=outcome.success,
            batches=outcome.batches,
            expectations=outcome.expectations,
            failures=[failure.line() for failure in outcome.failures],
            notices=[redact(notice) for notice in outcome.notices],
            seconds=outcome.seconds,
            results=records,
        )


def failures_of(suite: str, target: str, suite_result: Any, *, structural_types: Iterable[str] = ()) -> list[Failure]:
    """The failed expectations of a suite validation result, summarised."""
    structural = set(structural_types)
    return [
        summarize_failure(suite, target, result, structural=result.expectation_config.type in structural)
        for result in suite_result.results
        if not result.success
    ]


def format_summary(outcome: Outcome, *, limit: int = 40) -> str:
    """The short text a scheduler log shows: status line, failures (one per line), docs link."""
    status = "PASSED" if outcome.success else "FAILED"
    lines = [
        f"{outcome.name}: {status} — {outcome.batches} batch(es), {outcome.expectations} expectation result(s), "
        f"{len(outcome.failures)} failure(s), {outcome.seconds:.1f} s"
    ]
    lines += [f"  notice: {notice}" for notice in outcome.notices]
    shown: Sequence[Failure] = outcome.failures[:limit]
    lines += [f"  FAIL {failure.line()}" for failure in shown]
    if len(outcome.failures) > limit:
        lines.append(f"  … and {len(outcome.failures) - limit} more (see the Data Docs)")
    if outcome.docs is not None:
        lines.append(f"  Data Docs: {outcome.docs}")
    return "\n".join(lines)
