"""Publishing the marts (nhi_warehouse.publish): fast, no dbt — a tiny warehouse and a fake
run_results.json in a temporary folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from conftest import ROOT, Build
from nhi_warehouse import publish as pub
from nhi_warehouse.publish import PublishError, publish
from nhi_warehouse.settings import Settings

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file semantics (symlinks, open-file unlink)")


# ------------------------------------------------------------------------------------ fixtures


def write_run_results(
    target: Path,
    number: int,
    *,
    statuses: tuple[str, ...] = ("success", "success", "pass", "warn"),
    which: str = "build",
    **args: object,
) -> str:
    """A run_results.json like dbt's for build `number`; returns its invocation id."""
    invocation_id = f"{number:08d}-aaaa-bbbb-cccc-{number:012d}"
    results = [
        {"unique_id": f"model.nhi_warehouse.node_{index}", "status": status} for index, status in enumerate(statuses)
    ]
    document = {
        "metadata": {
            "dbt_version": "1.11.16",
            "generated_at": f"2026-01-{number:02d}T06:00:00.123456Z",
            "invocation_id": invocation_id,
            "invocation_started_at": f"2026-01-{number:02d}T05:59:00.000000Z",
        },
        "results": results,
        "elapsed_time": 1.0,
        "args": {"which": which, "select": [], "exclude": [], "empty": False, **args},
    }
    target.mkdir(parents=True, exist_ok=True)
    (target / "run_results.json").write_text(json.dumps(document), encoding="utf-8")
    return invocation_id


class Project:
    """A tiny built warehouse: schemas marts (2 tables), reference (1 seed), staging (not published)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.settings = Settings(root=root, raw_root=root / "raw", duckdb_path=root / "wh.duckdb")
        self.out = root / "published"
        self.target = root / "target"
        self.builds = 0
        self.settings.raw_root.mkdir()
        (self.settings.raw_root / "_manifest.json").write_text(
            json.dumps({"seed": 7, "months": ["2024-01"], "tables": {"cd": 3}}), encoding="utf-8"
        )
        with duckdb.connect(str(self.settings.duckdb_path)) as con:
            con.execute("create schema marts; create schema reference; create schema staging")
            con.execute(
                """
                create table marts.point_value as
                select * from (values
                    ('1', date '2024-01-01', 1.0123::decimal(10, 4), 10::bigint),
                    ('2', date '2024-01-01', 0.9876::decimal(10, 4), 20::bigint),
                    ('3', date '2024-04-01', 1.0001::decimal(10, 4), 30::bigint)
                ) t(area_no_h, quarter_start, point_value, points)
                """
            )
            con.execute("create table marts.empty_mart (k varchar, flag boolean)")
            con.execute("create table reference.regions as select * from (values ('1', '臺北'), ('2', '北區')) t(a, z)")
            con.execute("create table staging.secret as select 'A123456789' as raw_id")
        manifest = {
            "metadata": {"invocation_id": "x"},
            "nodes": {
                "model.nhi_warehouse.point_value": {
                    "resource_type": "model",
                    "schema": "marts",
                    "name": "point_value",
                    "alias": "point_value",
                    "description": "點值 point value per region and quarter.\n",
                    "columns": {"points": {"description": "點數 points claimed."}},
                }
            },
        }
        self.target.mkdir()
        (self.target / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")

    def build(self, **kwargs: object) -> str:
        """Pretend a dbt build ran: a new run_results.json (invocation id returned)."""
        self.builds += 1
        return write_run_results(self.target, self.builds, **kwargs)

    def add_rows(self, n: int) -> None:
        with duckdb.connect(str(self.settings.duckdb_path)) as con:
            con.execute(f"insert into marts.point_value select '9', date '2025-01-01', 1.0, i from range({n}) r(i)")

    def publish(self, **kwargs: object) -> Path:
        return publish(self.settings, out=self.out, run_results=self.target / "run_results.json", **kwargs)

    @property
    def current(self) -> Path:
        return self.out / "current"

    def releases(self) -> list[str]:
        return sorted(p.name for p in (self.out / "releases").iterdir())


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path)


def count(database: Path, table: str) -> int:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(f"select count(*) from {table}").fetchone()[0]


HOLD = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "read_only")
con.execute(sys.argv[3]).fetchall()
print("ready", flush=True)
sys.stdin.read()
"""


@contextmanager
def held_open(database: Path, mode: str, query: str = "select 1") -> Iterator[None]:
    """Another process holding a DuckDB connection to `database` (read_only or read_write)."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(database), mode, query],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert line.strip() == "ready", process.stderr.read()
        yield
    finally:
        process.stdin.close()
        process.wait(timeout=60)


# --------------------------------------------------------------------------------- contents


def test_publication_holds_the_marts_and_reference_with_equal_row_counts(project: Project) -> None:
    invocation_id = project.build()
    release = project.publish()

    assert release.parent == project.out / "releases"
    assert release.name == "20260101T060000Z-00000001"  # from the build, not the clock
    assert project.current.is_symlink()
    assert os.readlink(project.current) == os.path.join("releases", release.name)  # relative
    assert project.current.resolve() == release.resolve()

    manifest = json.loads((project.current / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["release_id"] == release.name
    assert manifest["dbt"]["invocation_id"] == invocation_id
    assert manifest["dbt"]["result_statuses"] == {"pass": 1, "success": 2, "warn": 1}
    assert manifest["extract_manifest"] == {"seed": 7, "months": ["2024-01"], "tables": {"cd": 3}}
    tables = {(t["schema"], t["name"]): t for t in manifest["tables"]}
    assert {key: t["rows"] for key, t in tables.items()} == {
        ("marts", "empty_mart"): 0,
        ("marts", "point_value"): 3,
        ("reference", "regions"): 2,
    }
    assert tables["marts", "point_value"]["description"] == "點值 point value per region and quarter."
    assert tables["marts", "point_value"]["parquet"] == "parquet/point_value/part-0.parquet"
    assert tables["reference", "regions"]["parquet"] == "parquet/reference/regions/part-0.parquet"

    # The DuckDB copy: exactly the published tables, same types, `marts.<table>` unambiguous.
    database = project.current / "nhi_marts.duckdb"
    with duckdb.connect(str(database), read_only=True) as con:
        assert con.execute("select count(*) from marts.point_value").fetchone() == (3,)
        assert con.execute("select z from reference.regions where a = '1'").fetchone() == ("臺北",)
        present = con.execute("select schema_name, table_name from duckdb_tables() order by 1, 2").fetchall()
        assert present == [("marts", "empty_mart"), ("marts", "point_value"), ("reference", "regions")]
        types = con.execute("select column_name, data_type from duckdb_columns() where table_name = 'point_value'")
        assert types.fetchall() == [
            ("area_no_h", "VARCHAR"),
            ("quarter_start", "DATE"),
            ("point_value", "DECIMAL(10,4)"),
            ("points", "BIGINT"),
        ]
        comment = con.execute("select comment from duckdb_columns() where column_name = 'points'").fetchone()
        assert comment == ("點數 points claimed.",)
        tags = con.execute("select tags from duckdb_databases() where database_name = 'nhi_marts'").fetchone()
        assert tags[0]["storage_version"].startswith("v1.0.0")  # readable by DuckDB 1.x drivers

    # Parquet: one folder per mart, readable by pyarrow with the same rows.
    parquet = project.current / "parquet"
    assert sorted(p.name for p in parquet.iterdir()) == ["empty_mart", "point_value", "reference"]
    table = pq.read_table(parquet / "point_value")
    assert table.num_rows == 3
    assert table.column_names == ["area_no_h", "quarter_start", "point_value", "points"]
    assert pq.read_table(parquet / "empty_mart").num_rows == 0
    assert pq.read_table(parquet / "reference" / "regions").num_rows == 2

    # Sealed: files read-only, nothing left over from staging.
    for path in release.rglob("*"):
        if path.is_file():
            assert path.stat().st_mode & 0o222 == 0, path
    assert project.releases() == [release.name]


def test_publishing_the_same_build_again_changes_nothing(project: Project) -> None:
    project.build()
    first = project.publish()
    mtime = (first / "manifest.json").stat().st_mtime_ns
    assert project.publish() == first
    assert project.releases() == [first.name]
    assert (first / "manifest.json").stat().st_mtime_ns == mtime


# ------------------------------------------------------------------- switching and old readers


@posix_only
def test_current_switches_while_a_reader_keeps_its_old_release(project: Project) -> None:
    project.build()
    first = project.publish()
    with duckdb.connect(str(project.current / "nhi_marts.duckdb"), read_only=True) as old_reader:
        assert old_reader.execute("select count(*) from marts.point_value").fetchone() == (3,)

        project.add_rows(5)
        project.build()
        second = project.publish()
        assert second != first
        assert project.current.resolve() == second.resolve()
        assert count(project.current / "nhi_marts.duckdb", "marts.point_value") == 8
        assert old_reader.execute("select count(*) from marts.point_value").fetchone() == (3,)

        # Even once the old release is pruned, the open connection keeps reading it.
        project.add_rows(1)
        project.build()
        third = project.publish(keep=1)
        assert project.releases() == [third.name]
        assert old_reader.execute("select sum(points) from marts.point_value").fetchone() == (60,)
    assert count(project.current / "nhi_marts.duckdb", "marts.point_value") == 9


@posix_only
def test_current_is_always_a_complete_release_while_publishing(project: Project) -> None:
    """A reader polling `current` during publications never finds it missing or half-written."""
    project.build()
    project.publish()
    seen: set[str] = set()
    errors: list[BaseException] = []
    stop = threading.Event()

    def poll() -> None:
        while not stop.is_set():
            try:
                manifest = json.loads((project.current / "manifest.json").read_text(encoding="utf-8"))
                assert (project.current / "nhi_marts.duckdb").is_file()
                seen.add(manifest["release_id"])
            except BaseException as error:
                errors.append(error)
                return

    reader = threading.Thread(target=poll)
    reader.start()
    try:
        for _ in range(4):
            project.add_rows(1)
            project.build()
            project.publish(keep=2)
    finally:
        stop.set()
        reader.join()
    assert errors == []
    assert len(seen) >= 2
    assert len(project.releases()) == 2


# --------------------------------------------------------------------------------- the guard


@pytest.mark.parametrize("failed", ["error", "fail", "skipped", "runtime error"])
def test_a_failed_build_never_replaces_the_last_good_publication(project: Project, failed: str) -> None:
    project.build()
    good = project.publish()
    project.add_rows(2)  # the failed build changed the warehouse
    project.build(statuses=("success", failed, "skipped"))

    with pytest.raises(PublishError, match=r"did not succeed .*node_1 \(" + failed):
        project.publish()
    assert project.current.resolve() == good.resolve()
    assert project.releases() == [good.name]  # no new release, no staging left behind
    assert count(project.current / "nhi_marts.duckdb", "marts.point_value") == 3


@pytest.mark.parametrize(
    ("run_results_args", "message"),
    [
        ({"which": "compile"}, "was `dbt compile`, not `dbt build`"),
        ({"which": "run"}, "was `dbt run`, not `dbt build`"),
        ({"select": ["point_value"]}, "selective"),
        ({"exclude": ["tag:slow"]}, "selective"),
        ({"empty": True}, "--empty"),
        ({"statuses": ()}, "ran no node"),
    ],
)
def test_publishing_is_refused_after_anything_but_a_whole_successful_build(
    project: Project, run_results_args: dict, message: str
) -> None:
    project.build()
    good = project.publish()
    project.build(**run_results_args)
    with pytest.raises(PublishError, match=message):
        project.publish()
    assert project.current.resolve() == good.resolve()
    assert project.releases() == [good.name]


def test_a_selective_build_is_published_when_allowed(project: Project) -> None:
    project.build(select=["point_value"])
    release = project.publish(allow_partial_build=True)
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["dbt"]["selection"] == {"select": ["point_value"]}


def test_a_warehouse_written_after_the_recorded_build_is_refused(project: Project) -> None:
    """A build that crashed (killed) leaves the previous run_results.json and a changed warehouse."""
    project.build()
    good = project.publish()
    project.build()
    later = (project.target / "run_results.json").stat().st_mtime + 3600
    os.utime(project.settings.duckdb_path, (later, later))
    with pytest.raises(PublishError, match="written after the last recorded dbt build"):
        project.publish()
    assert project.current.resolve() == good.resolve()
    assert project.releases() == [good.name]


def test_missing_run_results_refuses(project: Project) -> None:
    with pytest.raises(PublishError, match="no dbt run results"):
        project.publish()
    assert not project.current.exists()


def test_a_release_failing_validation_is_discarded(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    project.build()
    good = project.publish()
    project.build()

    def broken(staging: Path, published: list) -> None:
        raise PublishError("the new release does not match the warehouse: simulated")

    monkeypatch.setattr(pub, "_validate_release", broken)
    with pytest.raises(PublishError, match="simulated"):
        project.publish()
    assert project.current.resolve() == good.resolve()
    assert project.releases() == [good.name]


def test_command_line_exit_status(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NHI_RAW_ROOT", str(project.settings.raw_root))
    arguments = [
        "--warehouse",
        str(project.settings.duckdb_path),
        "--out",
        str(project.out),
        "--run-results",
        str(project.target / "run_results.json"),
    ]
    project.build()
    assert pub.main(arguments) == 0
    good = project.current.resolve()
    project.build(statuses=("error",))
    assert pub.main(arguments) == 1
    assert "refused: the last dbt build did not succeed" in capsys.readouterr().err
    assert project.current.resolve() == good


# ----------------------------------------------------------------------------------- pruning


def test_pruning_keeps_the_newest_releases_and_the_current_one(project: Project) -> None:
    ids = []
    for _ in range(5):
        project.add_rows(1)
        project.build()
        ids.append(project.publish(keep=3).name)
    assert project.releases() == sorted(ids[-3:])
    assert project.current.resolve().name == ids[-1]

    # Re-pointing `current` at an older build (republished) never deletes it.
    write_run_results(project.target, 3)
    assert project.publish(keep=1).name == ids[2]
    assert project.releases() == sorted([ids[2], ids[4]])
    assert project.current.resolve().name == ids[2]

    with pytest.raises(PublishError, match="at least 1"):
        project.publish(keep=0)


# --------------------------------------------------- readers never block the build (the point)


def test_a_reader_of_the_publication_does_not_block_the_next_build(project: Project) -> None:
    project.build()
    project.publish()
    published = project.current / "nhi_marts.duckdb"
    with held_open(published, "read_only", "select count(*) from marts.point_value"):
        # The next build writes the warehouse while a dashboard holds the publication ...
        with duckdb.connect(str(project.settings.duckdb_path)) as writer:
            writer.execute("create or replace table marts.point_value as select 1 as k")
        # ... and publishing it does not touch the open release.
        project.build()
        project.publish()
        assert count(project.current / "nhi_marts.duckdb", "marts.point_value") == 1


def test_a_reader_of_the_build_warehouse_would_block_the_build(project: Project) -> None:
    """The premise of publishing: DuckDB lets no writer in while another process reads the file."""
    with held_open(project.settings.duckdb_path, "read_only"), pytest.raises(duckdb.IOException, match="lock"):
        duckdb.connect(str(project.settings.duckdb_path))


def test_publishing_while_a_build_holds_the_warehouse_is_refused(project: Project) -> None:
    project.build()
    with held_open(project.settings.duckdb_path, "read_write"), pytest.raises(PublishError, match="a dbt build"):
        project.publish()
    assert not project.current.exists()
    assert project.releases() == []


# ------------------------------------------------------------------- the real build (slow, dbt)


@pytest.mark.slow
def test_publishing_the_demo_build(demo_build: Build, tmp_path: Path) -> None:
    """The demo warehouse built by dbt publishes every mart and seed with its row count."""
    assert demo_build.returncode == 0, demo_build.output[-3000:]
    work = demo_build.duckdb_path.parent
    settings = Settings(root=ROOT, raw_root=demo_build.raw_root, duckdb_path=demo_build.duckdb_path)
    release = publish(settings, out=tmp_path / "published", run_results=work / "target" / "run_results.json")

    with duckdb.connect(str(demo_build.duckdb_path), read_only=True) as con:
        names = con.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where schema_name in ('marts', 'reference') order by 1, 2"
        ).fetchall()
        expected = {
            (schema, name): con.execute(f'select count(*) from "{schema}"."{name}"').fetchone()[0]
            for schema, name in names
        }
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    assert {(t["schema"], t["name"]): t["rows"] for t in manifest["tables"]} == expected
    assert any(schema == "marts" for schema, _ in expected)
    assert manifest["extract_manifest"] == demo_build.manifest
    run_results = json.loads((work / "target" / "run_results.json").read_text(encoding="utf-8"))
    assert manifest["dbt"]["invocation_id"] == run_results["metadata"]["invocation_id"]
    for (schema, name), rows in expected.items():
        assert count(release / "nhi_marts.duckdb", f'"{schema}"."{name}"') == rows
