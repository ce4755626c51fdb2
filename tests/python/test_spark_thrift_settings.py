"""The `spark_thrift` profile's session settings take effect on a Spark Thrift server.

A local Thrift server is started whose own defaults differ from what the project requires (ANSI
mode on, as in Spark 4; session time zone Asia/Taipei, as a Taiwanese cluster's would be; 200
shuffle partitions; constraint propagation on). A session opened with plain keys keeps those
defaults (what dbt-spark does with `server_side_parameters` unless they are prefixed), a session
opened by dbt with the project's profile has the required settings, and the build's guard
(`check_spark_session`, an on-run-start hook) stops a session that lacks one.

Needs the optional Spark install (`make setup-spark`) and Java 17; skipped otherwise."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from nhi_warehouse import parity
from nhi_warehouse.spark_local import LocalSpark

pytestmark = [pytest.mark.spark, pytest.mark.slow]

_MISSING = parity.spark_available()
if _MISSING:
    pytest.skip(f"Spark tests skipped: {_MISSING}", allow_module_level=True)

ROOT = Path(__file__).resolve().parents[2]
DBT = str(Path(sys.executable).with_name("dbt"))
SERVER_DEFAULTS = {"spark.sql.session.timeZone": "Asia/Taipei"}


@pytest.fixture(scope="module")
def thrift_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalSpark]:
    home = tmp_path_factory.mktemp("thrift")
    with LocalSpark(home=home, warehouse=home / "warehouse", workers=0, server_conf=SERVER_DEFAULTS) as spark:
        yield spark


def dbt(
    args: list[str], server: LocalSpark, work: Path, profiles: Path = ROOT / "profiles"
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.update(
        NHI_TARGET="spark_thrift",
        NHI_SPARK_PORT=str(server.thrift_port),
        NHI_SPARK_SHUFFLE_PARTITIONS="7",
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    command = [
        DBT,
        *args,
        "--profiles-dir",
        str(profiles),
        "--target-path",
        str(work / "target"),
        "--log-path",
        str(work / "logs"),
    ]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=600)


def settings_in(output: str) -> dict[str, str]:
    return dict(re.findall(r"spark session: (\S+) = (\S+)", output))


def test_plain_keys_do_not_reach_the_server(thrift_server: LocalSpark) -> None:
    """The control: the server's defaults are not the project's, and a plain key does not change them."""
    from pyhive import hive

    connection = hive.connect(
        host="127.0.0.1",
        port=thrift_server.thrift_port,
        username="nhi",
        configuration={"spark.sql.session.timeZone": "UTC", "spark.sql.ansi.enabled": "false"},
    )
    try:
        cursor = connection.cursor()
        cursor.execute("set spark.sql.session.timeZone")
        assert cursor.fetchall()[0][1] == "Asia/Taipei"
        cursor.execute("set spark.sql.ansi.enabled")
        assert cursor.fetchall()[0][1] == "true"
    finally:
        connection.close()


def test_profile_settings_are_in_force_in_a_dbt_session(thrift_server: LocalSpark, tmp_path: Path) -> None:
    result = dbt(
        ["run-operation", "check_spark_session", "--args", "{report: [spark.sql.shuffle.partitions]}"],
        thrift_server,
        tmp_path,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert settings_in(output) == {
        "spark.sql.ansi.enabled": "false",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.constraintPropagation.enabled": "false",
        "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
        "spark.sql.shuffle.partitions": "7",  # from NHI_SPARK_SHUFFLE_PARTITIONS
    }


def test_queries_follow_the_settings(thrift_server: LocalSpark, tmp_path: Path) -> None:
    """Not only `set` says so: division by zero and a bad cast give null (ANSI off), and a
    zone-less timestamp keeps its wall-clock time through a UTC round trip."""
    sql = (
        "select cast(1 as double) / 0 as ratio, cast('x' as int) as bad_cast, current_timezone() as zone, "
        "cast(to_utc_timestamp(timestamp'2024-01-05 08:30:00', current_timezone()) as string) as wall_clock"
    )
    result = dbt(["show", "--inline", sql, "--output", "json", "--log-format", "json"], thrift_server, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    preview = next(
        json.loads(line)["data"]["preview"]
        for line in result.stdout.splitlines()
        if line.startswith("{") and "preview" in json.loads(line).get("data", {})
    )
    rows = json.loads(preview) if isinstance(preview, str) else preview
    assert rows == [{"ratio": None, "bad_cast": None, "zone": "UTC", "wall_clock": "2024-01-05 08:30:00"}]


def test_the_build_guard_stops_a_session_without_the_settings(thrift_server: LocalSpark, tmp_path: Path) -> None:
    """The profile as it was before (plain keys): the on-run-start guard names what is missing."""
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    text = (ROOT / "profiles" / "profiles.yml").read_text(encoding="utf-8")
    plain = text.replace('"set:hiveconf:spark.sql.', '"spark.sql.')
    assert plain != text
    (profiles / "profiles.yml").write_text(plain, encoding="utf-8")
    result = dbt(["run-operation", "check_spark_session"], thrift_server, tmp_path, profiles)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "lacks settings the project requires" in output
    assert "spark.sql.session.timeZone is Asia/Taipei, required UTC" in output
    assert "spark.sql.ansi.enabled is true, required false" in output
