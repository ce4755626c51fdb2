"""Publishing the marts (nhi_warehouse.publish): fast, no dbt — a tiny warehouse with the build record
dbt's hooks write (conftest.write_build_record) and a fake run_results.json in a temporary folder;
at the end, the real thing: a killed dbt build of one warehouse and a build of another."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from conftest import ROOT, Build, write_build_record
from nhi_warehouse import build_record
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

    def build(
        self,
        *,
        statuses: tuple[str, ...] = ("success", "success", "pass", "warn"),
        which: str = "build",
        killed: bool = False,
        **args: object,
    ) -> str:
        """Pretend a dbt invocation ran: its build record in the warehouse (as dbt's hooks write it)
        and its run_results.json (unless killed: a killed dbt writes neither). Returns its id."""
        self.builds += 1
        number = self.builds
        invocation_id = f"{number:08d}-aaaa-bbbb-cccc-{number:012d}"
        selection = {
            key: value
            for key, value in args.items()
            if key in {"select", "exclude", "exclude_resource_types", "resource_types"} and value
        }
        write_build_record(
            self.settings.duckdb_path,
            invocation_id,
            started_at=f"2026-01-{number:02d} 05:59:00",
            finished_at=None if killed else f"2026-01-{number:02d} 06:00:00.123456",
            command=which,
            selection=selection,
            empty=bool(args.get("empty")),
            result_counts=dict(Counter(statuses)),
            failed_nodes=[
                f"model.nhi_warehouse.node_{index} ({status})"
                for index, status in enumerate(statuses)
                if status not in {"success", "pass", "warn", "no-op"}
            ],
        )
        if not killed:
            write_run_results(self.target, number, statuses=statuses, which=which, **args)
        return invocation_id

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
    ("build_args", "message"),
    [
        ({"which": "run"}, "was `dbt run` .*not `dbt build`"),
        ({"which": "seed"}, "was `dbt seed` .*not `dbt build`"),
        ({"which": "test"}, "was `dbt test` .*not `dbt build`"),
        ({"select": ["point_value"]}, "selective"),
        ({"exclude": ["tag:slow"]}, "selective"),
        ({"exclude": ["tag:analyst_view", "tag:slow"]}, "selective"),
        ({"resource_types": ["model"]}, "selective"),
        ({"empty": True}, "--empty"),
        ({"statuses": ()}, "did not succeed .*no node ran"),
        ({"killed": True}, "never finished: it was killed"),
    ],
)
def test_publishing_is_refused_after_anything_but_a_whole_successful_build(
    project: Project, build_args: dict, message: str
) -> None:
    project.build()
    good = project.publish()
    project.build(**build_args)
    with pytest.raises(PublishError, match=message):
        project.publish()
    assert project.current.resolve() == good.resolve()
    assert project.releases() == [good.name]


@pytest.mark.parametrize(
    "build_args",
    [
        # nhi pipeline's and the Dagster job's build (settings.SCHEDULED_BUILD_EXCLUDES): every model
        {"exclude_resource_types": ["unit_test"], "exclude": ["tag:analyst_view"]},
        {"select": ["fqn:*"], "exclude_resource_types": ["unit_test"], "exclude": ["tag:analyst_view"]},
    ],
)
def test_a_scheduled_build_is_a_whole_project_build(project: Project, build_args: dict) -> None:
    project.build(**build_args)
    release = project.publish()
    assert project.current.resolve() == release.resolve()


def test_a_selective_build_is_published_when_allowed(project: Project) -> None:
    project.build(select=["point_value"])
    release = project.publish(allow_partial_build=True)
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["dbt"]["selection"] == {"select": ["point_value"]}


def test_a_killed_build_is_refused_even_with_a_later_good_run_results(project: Project) -> None:
    """The issue's case in miniature: this warehouse's last build was killed (no run results of its
    own); target/ holds the successful results of another build: not this warehouse's evidence."""
    project.build()
    good = project.publish()
    project.build(killed=True)
    write_run_results(project.target, 9)  # another warehouse's build, same target/ folder
    with pytest.raises(PublishError, match="never finished"):
        project.publish(allow_partial_build=True)
    assert project.current.resolve() == good.resolve()


def test_a_warehouse_changed_after_its_build_is_refused(project: Project) -> None:
    """The published tables are compared with their fingerprints recorded when the build finished."""
    project.build()
    good = project.publish()
    project.build()
    with duckdb.connect(str(project.settings.duckdb_path)) as con:
        con.execute("update marts.point_value set points = points + 1 where area_no_h = '2'")
    with pytest.raises(PublishError, match=r"changed after its build .*changed: marts.point_value"):
        project.publish()
    with duckdb.connect(str(project.settings.duckdb_path)) as con:
        con.execute("create table marts.extra as select 1 as k")
    with pytest.raises(PublishError, match=r"new: marts.extra"):
        project.publish()
    assert project.current.resolve() == good.resolve()
    assert project.releases() == [good.name]


def test_run_results_of_the_same_build_must_agree(project: Project) -> None:
    project.build()
    document = json.loads((project.target / "run_results.json").read_text(encoding="utf-8"))
    document["results"][1]["status"] = "error"
    (project.target / "run_results.json").write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(PublishError, match="evidence does not match"):
        project.publish()
    assert not project.current.exists()


def test_run_results_of_another_invocation_are_not_used(project: Project) -> None:
    """A later `dbt docs generate` (not recorded: it runs no node against the warehouse) or another
    warehouse's build overwrites target/run_results.json; this warehouse's own record decides."""
    invocation_id = project.build()
    write_run_results(project.target, 7, which="generate")
    release = project.publish()
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["dbt"]["invocation_id"] == invocation_id
    assert manifest["dbt"]["run_results"].startswith("another invocation (00000007-")
    (project.target / "run_results.json").unlink()
    assert project.publish() == release  # no run results at all: the record suffices


def test_a_warehouse_without_build_record_is_refused(project: Project) -> None:
    write_run_results(project.target, 1)
    with pytest.raises(PublishError, match="has no build record"):
        project.publish()
    assert not project.current.exists()


def test_marts_that_failed_validation_are_not_published(project: Project) -> None:
    project.build()
    good = project.publish()
    project.add_rows(1)
    project.build()
    assert build_record.record_validation(project.settings.duckdb_path, False, "mart_x | rates | 1.2") is None
    with pytest.raises(PublishError, match=r"failed validation \(mart_x \| rates \| 1.2\)"):
        project.publish()
    assert project.current.resolve() == good.resolve()
    # A later build (validated or not) is judged on its own.
    project.build()
    assert project.publish() != good


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
    assert "did not succeed (1 of 1 results not success/pass/warn" in capsys.readouterr().err
    assert project.current.resolve() == good


# ----------------------------------------------------------------------------------- pruning


def test_pruning_keeps_the_newest_releases_and_the_current_one(project: Project) -> None:
    ids = []
    for _ in range(5):
        project.add_rows(1)
        project.build()
        ids.append(project.publish(keep=3).name)
        if project.builds == 3:
            shutil.copy(project.settings.duckdb_path, project.root / "wh-after-build-3.duckdb")
    assert project.releases() == sorted(ids[-3:])
    assert project.current.resolve().name == ids[-1]

    # Re-pointing `current` at an older build (its warehouse restored, republished) never deletes it.
    shutil.copy(project.root / "wh-after-build-3.duckdb", project.settings.duckdb_path)
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


def _dbt_command(args: list[str], target: Path) -> list[str]:
    return [
        str(Path(sys.executable).with_name("dbt")), *args, "--profiles-dir", str(ROOT / "profiles"),
        "--target-path", str(target), "--log-path", str(target.parent / "logs"),
    ]  # fmt: skip


def _dbt_env(raw_root: Path, warehouse: Path) -> dict[str, str]:
    return dict(
        os.environ, NHI_RAW_ROOT=str(raw_root), NHI_DUCKDB_PATH=str(warehouse),
        NHI_DUCKDB_TEMP=str(warehouse.parent / "tmp"), DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )  # fmt: skip


@pytest.mark.slow
@posix_only
def test_a_killed_build_of_one_warehouse_is_not_published_with_another_warehouses_build(
    demo_build: Build, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 18: kill (SIGKILL) a `dbt build` of warehouse W1 mid-build, then build W2 (another
    NHI_DUCKDB_PATH, same project and target/ folder): `nhi publish` of W1 is refused - W1's own
    build record says its last build never finished - and W2 publishes. W1 starts as a copy of the
    demo warehouse (a complete good build that publishing would otherwise have accepted); W2 is a
    small selective build (a mart and a seed) to keep CI fast, published with --allow-partial-build."""
    from nhi_warehouse.cli import main as nhi

    assert demo_build.returncode == 0, demo_build.output[-3000:]
    target = tmp_path / "target"  # one target/ for both warehouses, as in one project folder
    w1 = tmp_path / "w1" / "nhi.duckdb"
    w2 = tmp_path / "w2" / "nhi.duckdb"
    w1.parent.mkdir()
    w2.parent.mkdir()
    shutil.copy(demo_build.duckdb_path, w1)

    process = subprocess.Popen(
        _dbt_command(["build"], target), cwd=ROOT, env=_dbt_env(demo_build.raw_root, w1),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip
    seen = []
    try:
        for line in process.stdout:  # kill once dbt has replaced a first node of W1
            seen.append(line)
            if re.search(r" OK (created|loaded) ", line):
                break
        os.killpg(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=120)
    assert process.returncode == -signal.SIGKILL, "".join(seen[-20:])

    built = subprocess.run(
        _dbt_command(["build", "--select", "metricflow_time_spine", "regions"], target),
        cwd=ROOT, env=_dbt_env(demo_build.raw_root, w2), capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout[-3000:]
    w2_invocation = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["metadata"]["invocation_id"]

    capsys.readouterr()
    common = ["--out", str(tmp_path / "published"), "--run-results", str(target / "run_results.json"),
              "--allow-partial-build"]  # fmt: skip
    assert nhi(["publish", "--warehouse", str(w1), *common]) == 1
    refusal = capsys.readouterr().err
    assert "refused" in refusal and "never finished" in refusal and str(w1) in refusal, refusal
    assert not (tmp_path / "published" / "current").exists()

    assert nhi(["publish", "--warehouse", str(w2), *common]) == 0
    manifest = json.loads((tmp_path / "published" / "current" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["dbt"]["invocation_id"] == w2_invocation
    assert manifest["dbt"]["run_results"] == "matched"
    assert manifest["warehouse"] == str(w2)
    assert {(t["schema"], t["name"]) for t in manifest["tables"]} == {
        ("marts", "metricflow_time_spine"), ("reference", "regions")
    }  # fmt: skip
