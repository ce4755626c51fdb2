"""The `nhi` command line: `nhi --help` lists every command; a file locked by another process or a
permission denied stops any command with one clear line (exit 7) and no traceback, which
`nhi --debug` shows instead."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import write_build_record
from nhi_warehouse import cli, dbt_runner
from nhi_warehouse.errors import AccessError
from nhi_warehouse.quality import exit_codes
from test_publish import held_open

EVERY_COMMAND = ("demo", "generate", "build", "dbt", "pipeline", "quality", "publish", "report", "docs", "benchmark")
SYS_DIR = Path("/sys/nhi-warehouse-test")  # Linux: mkdir there is refused even to root (EPERM)


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"]) == 0
    shown = capsys.readouterr().out
    for command in EVERY_COMMAND:
        assert f"\n  nhi {command} " in shown, command
    assert set(cli.COMMANDS) == set(EVERY_COMMAND)  # a new command is added to the list above too
    assert "--debug" in shown


def test_the_installed_nhi_prints_the_same_help() -> None:
    result = subprocess.run([sys.executable, "-m", "nhi_warehouse", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    assert all(f"nhi {command} " in result.stdout for command in EVERY_COMMAND)


@pytest.mark.parametrize("command", ["generate", "publish", "report", "quality", "pipeline", "benchmark", "demo"])
def test_every_python_command_has_its_own_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main([command, "--help"])
    assert exit_info.value.code == 0
    assert "usage:" in capsys.readouterr().out


def test_an_unknown_command_shows_the_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["publsh"]) == 2
    assert "unknown command 'publsh'" in capsys.readouterr().err


# ------------------------------------------------------------------------------------- locks


@pytest.fixture
def warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small warehouse with a good build record, as NHI_DUCKDB_PATH."""
    path = tmp_path / "wh.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts; create table marts.m as select 1 as k")
    write_build_record(path, "00000001-aaaa-bbbb-cccc-000000000001")
    monkeypatch.setenv("NHI_DUCKDB_PATH", str(path))
    monkeypatch.setenv("NHI_RAW_ROOT", str(tmp_path / "raw"))
    return path


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_build_while_another_process_holds_the_warehouse(
    warehouse: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A dashboard holding the build warehouse: `nhi build` stops at once, in one line naming the
    file and the other process, before dbt starts (no parse, no dbt error block)."""
    monkeypatch.delenv("NHI_TARGET", raising=False)
    monkeypatch.setattr(dbt_runner.subprocess, "run", lambda *a, **k: pytest.fail("dbt must not start"))
    with held_open(warehouse, "read_only"):
        assert cli.main(["build"]) == exit_codes.ACCESS == 7
        line = one_line_error(capsys)
        assert line.startswith("nhi build: the warehouse ")
        assert str(warehouse) in line and "open in another process" in line and "PID" in line
        with pytest.raises(AccessError):  # --debug: the traceback instead
            cli.main(["--debug", "build"])


def test_quality_and_publish_while_a_build_holds_the_warehouse(
    warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with held_open(warehouse, "read_write"):
        assert cli.main(["quality", "marts", "--quality-dir", str(tmp_path / "q")]) == 7
        line = one_line_error(capsys)
        assert "cannot read" in line and "Could not set lock" in line
        assert cli.main(["publish", "--out", str(tmp_path / "published")]) == 7
        line = one_line_error(capsys)
        assert "open for writing by another process" in line


# ------------------------------------------------------------------------------- permissions


@pytest.mark.skipif(not Path("/sys").is_dir(), reason="Linux: /sys refuses mkdir to anyone")
def test_a_permission_error_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["generate", "--size", "tiny", "--months", "1", "--out", str(SYS_DIR / "raw"), "--quiet"]) == 7
    line = one_line_error(capsys)
    assert line.startswith("nhi generate: operation not permitted: /sys/nhi-warehouse-test")
    assert "nhi --debug generate" in line
    with pytest.raises(PermissionError):
        cli.main(["--debug", "generate", "--size", "tiny", "--months", "1", "--out", str(SYS_DIR / "raw")])


@pytest.mark.skipif(not Path("/sys").is_dir(), reason="Linux: /sys refuses mkdir to anyone")
def test_publishing_into_a_folder_that_cannot_be_written(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["publish", "--out", str(SYS_DIR / "published")]) == 7
    line = one_line_error(capsys)
    assert line.startswith("nhi publish: operation not permitted: /sys/nhi-warehouse-test")


def test_other_errors_keep_their_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only locks and permissions are shortened: a bug still shows where it is."""

    def broken(argv: list[str]) -> int:
        raise ValueError("a bug")

    monkeypatch.setitem(cli.COMMANDS, "report", ("", "", broken))
    with pytest.raises(ValueError, match="a bug"):
        cli.main(["report"])
