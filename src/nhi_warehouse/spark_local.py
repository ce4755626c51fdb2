"""Local Spark processes to try the `spark_thrift` target on one machine the way a cluster runs:
a standalone master, N workers and a Spark Thrift server bound to that master (or, with no
workers, a Thrift server running `local[*]`). Every process is started, watched and stopped here.

    python -m nhi_warehouse.spark_local start [--workers 2] [--home DIR] [--port 10000]
    python -m nhi_warehouse.spark_local stop  [--home DIR]
    python -m nhi_warehouse.spark_local status [--home DIR]

From Python (the parity check, the tests) use `LocalSpark` as a context manager: the processes
are stopped when the block ends, also on an error, Ctrl-C or SIGTERM/SIGHUP. Each process runs in
its own session (process group) so that an executor launched by a worker is stopped with it; the
pids are recorded in `<home>/processes.json` so that `stop` (or the next start in the same home)
also cleans up after a run that was killed outright. A pid is only signalled when its command line
still carries this home's marker (`-Dnhi.local.spark=<home>`), never a recycled pid.

Needs the optional Spark install (`make setup-spark`: pyspark ships the master, worker and Thrift
server classes) and Java 17. Sizes come from the environment:

* ``NHI_SPARK_EXECUTOR_MEMORY``  memory of each executor (one per worker)      default ``1g``
* ``NHI_SPARK_WORKER_MEMORY``    memory a worker offers                         default ``1536m``
* ``NHI_SPARK_DRIVER_MEMORY``    the Thrift server's (driver's) memory          default ``2g``
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

MARKER_PROPERTY = "nhi.local.spark"
PROCESSES_FILE = "processes.json"
THRIFT_CLASS = "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2"
# Log lines that say a process is ready.
MASTER_READY = re.compile(r"I have been elected leader! New state: ALIVE")
WORKER_READY = re.compile(r"Successfully registered with master")
THRIFT_READY = re.compile(r"HiveThriftServer2 started|Starting ThriftBinaryCLIService on port")
EXECUTOR_REGISTERED = re.compile(r"Registered executor .* with ID (\d+)")
STOP_WAIT_SECONDS = 30


class LocalSparkError(RuntimeError):
    """A process did not start (the message has the tail of its log) or Spark is not installed."""


@dataclass
class Started:
    role: str
    pid: int
    log: Path
    command: list[str]
    popen: subprocess.Popen[bytes] | None = None

    def as_json(self) -> dict[str, object]:
        return {"role": self.role, "pid": self.pid, "log": str(self.log), "command": self.command}


def spark_home() -> Path:
    """The Spark distribution inside the installed pyspark package."""
    try:
        import pyspark
    except ImportError as error:
        raise LocalSparkError("pyspark is not installed (make setup-spark installs requirements-spark.txt)") from error
    return Path(pyspark.__file__).resolve().parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _carries_marker(pid: int, home: Path) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return False
    return f"-D{MARKER_PROPERTY}={home}" in cmdline.replace("\0", " ")


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def group_processes(pgids: list[int]) -> list[str]:
    """`ps` lines (pid, parent, memory, elapsed time, what it is) of every process in these
    groups: the started daemons and the executors the workers launched."""
    if not pgids:
        return []
    listing = subprocess.run(
        ["ps", "-eo", "pid,ppid,pgid,rss,etime,args", "--sort", "pgid,pid"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.splitlines()
    wanted = {str(p) for p in pgids}
    shown = ["    PID   PPID  RSS(KB)   ELAPSED  PROCESS"]
    for line in listing[1:]:
        parts = line.split(None, 5)
        if len(parts) == 6 and parts[2] in wanted and "<defunct>" not in parts[5]:
            pid, ppid, _, rss, elapsed, args = parts
            shown.append(f"{pid:>7} {ppid:>6} {rss:>8} {elapsed:>9}  {_what(args)}")
    return shown


def _what(args: str) -> str:
    """A JVM's main class and the arguments that say what it is (its class path is kilobytes)."""
    found = re.search(r"(org\.apache\.spark\.[\w.$]+)(.*)", args)
    if not found:
        return args[:160]
    main, rest = found.group(1), found.group(2)
    if main.endswith("SparkSubmit"):
        rest = re.sub(r"--conf \S+|--hiveconf \S+", "", rest)
    rest = re.sub(r"\s+", " ", rest).strip()
    memory = re.search(r"-Xmx(\S+)", args)
    heap = f" [heap {memory.group(1)}]" if memory else ""
    return f"{main.rsplit('.', 1)[-1]}{heap} {rest}".strip()[:200]


@dataclass
class LocalSpark:
    """A standalone master with `workers` workers and a Thrift server bound to it (`workers=0`:
    the Thrift server alone on `local[*]`). `server_conf` is the Thrift server's own `--conf`
    (its defaults); sessions then set theirs through the dbt profile."""

    home: Path
    warehouse: Path
    workers: int = 2
    thrift_port: int = 0
    worker_cores: int = 1
    executor_memory: str = field(default_factory=lambda: os.environ.get("NHI_SPARK_EXECUTOR_MEMORY", "1g"))
    worker_memory: str = field(default_factory=lambda: os.environ.get("NHI_SPARK_WORKER_MEMORY", "1536m"))
    driver_memory: str = field(default_factory=lambda: os.environ.get("NHI_SPARK_DRIVER_MEMORY", "2g"))
    server_conf: dict[str, str] = field(default_factory=dict)
    start_timeout: float = 300.0
    echo: Callable[[str], None] = print
    started: list[Started] = field(default_factory=list)
    master_url: str = ""
    master_ui_port: int = 0

    # ----------------------------------------------------------------------------- lifecycle

    def __enter__(self) -> LocalSpark:
        self._previous_handlers = {}
        for signum in (signal.SIGTERM, signal.SIGHUP):
            self._previous_handlers[signum] = signal.signal(signum, _raise_interrupt)
        try:
            self.start()
        except BaseException:
            self.stop()
            self._restore_handlers()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.stop()
        finally:
            self._restore_handlers()

    def _restore_handlers(self) -> None:
        for signum, handler in getattr(self, "_previous_handlers", {}).items():
            signal.signal(signum, handler)
        self._previous_handlers = {}

    def start(self) -> None:
        self.home = self.home.resolve()
        self.warehouse = self.warehouse.resolve()
        self.home.mkdir(parents=True, exist_ok=True)
        self.warehouse.mkdir(parents=True, exist_ok=True)
        stop_recorded(self.home, self.echo)  # leftovers of a run that was killed outright
        if not self.thrift_port:
            self.thrift_port = free_port()
        if self.workers > 0:
            port, self.master_ui_port = free_port(), free_port()
            self.master_url = f"spark://127.0.0.1:{port}"
            self._launch(
                "master",
                [
                    "org.apache.spark.deploy.master.Master",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--webui-port",
                    str(self.master_ui_port),
                ],
                daemon=True,
            )
            self._wait("master", MASTER_READY)
            for number in range(1, self.workers + 1):
                role = f"worker-{number}"
                self._launch(
                    role,
                    [
                        "org.apache.spark.deploy.worker.Worker",
                        "--host",
                        "127.0.0.1",
                        "--webui-port",
                        str(free_port()),
                        "--cores",
                        str(self.worker_cores),
                        "--memory",
                        self.worker_memory,
                        "--work-dir",
                        str(self.home / role),
                        self.master_url,
                    ],
                    daemon=True,
                )
            for number in range(1, self.workers + 1):
                self._wait(f"worker-{number}", WORKER_READY)
        else:
            self.master_url = "local[*]"
        self._launch("thrift", self._thrift_command(), daemon=False)
        self._wait("thrift", THRIFT_READY)
        if self.workers > 0:
            self._wait_executors()
        self.echo(f"local spark: Thrift server on 127.0.0.1:{self.thrift_port}, master {self.master_url}")
        for line in group_processes([s.pid for s in self.started]):
            self.echo(f"  {line}")

    def stop(self) -> None:
        """Stop the Thrift server, then the workers (and their executors), then the master."""
        for process in reversed(self.started):
            _stop_group(process.pid, process.role, process.popen, self.echo)
        self.started.clear()
        (self.home / PROCESSES_FILE).unlink(missing_ok=True)

    # ----------------------------------------------------------------------------- processes

    def _environment(self, role: str) -> dict[str, str]:
        env = dict(os.environ)
        home = spark_home()
        env.update(
            SPARK_HOME=str(home),
            SPARK_LOCAL_IP="127.0.0.1",
            SPARK_LOG_DIR=str(self.home / "logs"),
            SPARK_LOCAL_DIRS=str(self.home / "local"),
            SPARK_WORKER_DIR=str(self.home / "work"),
            # The launcher sizes the Thrift server's JVM from SPARK_DAEMON_MEMORY, not --driver-memory.
            SPARK_DAEMON_MEMORY=self.driver_memory if role == "thrift" else "512m",
            SPARK_DAEMON_JAVA_OPTS=f"-D{MARKER_PROPERTY}={self.home}",
        )
        env.pop("PYSPARK_GATEWAY_PORT", None)
        return env

    def _thrift_command(self) -> list[str]:
        derby_home = self.warehouse
        conf = {
            "spark.sql.warehouse.dir": str(self.warehouse),
            "spark.driver.extraJavaOptions": f"-Dderby.system.home={derby_home}",
            "spark.hadoop.javax.jdo.option.ConnectionURL": "jdbc:derby:;databaseName=metastore_db;create=true",
            "spark.ui.enabled": "false",
            "spark.executor.memory": self.executor_memory,
            "spark.executor.cores": str(self.worker_cores),
            "spark.cores.max": str(max(self.workers, 1) * self.worker_cores),
            "spark.local.dir": str(self.home / "local"),
            **self.server_conf,
        }
        command = [
            "--class",
            THRIFT_CLASS,
            "--name",
            "nhi-thrift-local",
            "--master",
            self.master_url,
            "--driver-memory",
            self.driver_memory,
        ]
        for key, value in conf.items():
            command += ["--conf", f"{key}={value}"]
        command += [
            "--hiveconf",
            "hive.server2.thrift.bind.host=127.0.0.1",
            "--hiveconf",
            f"hive.server2.thrift.port={self.thrift_port}",
            "spark-internal",
        ]
        return command

    def _launch(self, role: str, arguments: list[str], *, daemon: bool) -> None:
        program = spark_home() / "bin" / ("spark-class" if daemon else "spark-submit")
        command = [str(program), *arguments]
        log = self.home / "logs" / f"{role}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("wb") as out:
            popen = subprocess.Popen(
                command,
                cwd=self.home,
                env=self._environment(role),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.started.append(Started(role, popen.pid, log, command, popen))
        self._record()
        self.echo(f"local spark: started {role} pid {popen.pid} (log {log})")

    def _record(self) -> None:
        payload = {"home": str(self.home), "processes": [s.as_json() for s in self.started]}
        (self.home / PROCESSES_FILE).write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")

    def _process(self, role: str) -> Started:
        return next(s for s in self.started if s.role == role)

    def _wait(self, role: str, ready: re.Pattern[str]) -> None:
        process = self._process(role)
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            text = process.log.read_text(encoding="utf-8", errors="replace") if process.log.exists() else ""
            if ready.search(text):
                return
            if process.popen is not None and process.popen.poll() is not None:
                raise LocalSparkError(
                    f"{role} exited with status {process.popen.returncode} before it was ready; "
                    f"log {process.log}:\n{_tail(process.log)}"
                )
            time.sleep(1)
        raise LocalSparkError(
            f"{role} not ready after {self.start_timeout:.0f} s; log {process.log}:\n{_tail(process.log)}"
        )

    def _wait_executors(self) -> None:
        """Wait until every worker runs an executor of the Thrift server's application."""
        process = self._process("thrift")
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            text = process.log.read_text(encoding="utf-8", errors="replace")
            executors = set(EXECUTOR_REGISTERED.findall(text))
            if len(executors) >= self.workers:
                self.echo(f"local spark: {len(executors)} executors registered with the Thrift server")
                return
            time.sleep(1)
        raise LocalSparkError(
            f"only {len(executors)} of {self.workers} executors registered after {self.start_timeout:.0f} s; "
            f"log {process.log}:\n{_tail(process.log)}"
        )

    # ----------------------------------------------------------------------------- reporting

    def master_state(self) -> dict[str, object] | None:
        """The master's own view (its JSON status page): workers, cores, memory, applications."""
        if not self.master_ui_port:
            return None
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.master_ui_port}/json/", timeout=10) as response:
                return dict(json.load(response))
        except (OSError, ValueError):
            return None

    def describe(self) -> list[str]:
        """Lines for a log: the master's workers and applications, and the running processes."""
        lines = [f"master {self.master_url}, Thrift server 127.0.0.1:{self.thrift_port}"]
        state = self.master_state()
        if state:
            for worker in state.get("workers", []):  # type: ignore[union-attr]
                lines.append(
                    f"  worker {worker.get('id')} {worker.get('state')}: {worker.get('cores')} core(s), "
                    f"{worker.get('memory')} MB, cores used {worker.get('coresused')}"
                )
            for app in state.get("activeapps", []):  # type: ignore[union-attr]
                lines.append(
                    f"  application {app.get('id')} {app.get('name')} {app.get('state')}: {app.get('cores')} core(s)"
                )
        lines.extend(f"  {line}" for line in group_processes([s.pid for s in self.started]))
        return lines


def _raise_interrupt(signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def _stop_group(pid: int, role: str, popen: subprocess.Popen[bytes] | None, echo: Callable[[str], None]) -> None:
    if not _group_alive(pid):
        if popen is not None:
            popen.poll()
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_WAIT_SECONDS
    while time.monotonic() < deadline:
        if popen is not None:
            popen.poll()
        if not _group_alive(pid):
            echo(f"local spark: stopped {role} (pid {pid})")
            return
        time.sleep(0.5)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)
    if popen is not None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            popen.wait(timeout=10)
    echo(f"local spark: killed {role} (pid {pid}) after {STOP_WAIT_SECONDS} s")


def recorded(home: Path) -> list[dict[str, object]]:
    path = home / PROCESSES_FILE
    if not path.is_file():
        return []
    try:
        return list(json.loads(path.read_text(encoding="utf-8")).get("processes", []))
    except (OSError, ValueError):
        return []


def stop_recorded(home: Path, echo: Callable[[str], None] = print) -> int:
    """Stop the processes recorded in `home` that still run (and still carry its marker)."""
    home = home.resolve()
    stopped = 0
    for entry in reversed(recorded(home)):
        pid = int(str(entry["pid"]))
        if _carries_marker(pid, home):
            _stop_group(pid, str(entry["role"]), None, echo)
            stopped += 1
    (home / PROCESSES_FILE).unlink(missing_ok=True)
    return stopped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nhi_warehouse.spark_local", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["start", "stop", "status"])
    parser.add_argument("--home", type=Path, default=Path("data/spark-local"), help="logs, pids, worker folders")
    parser.add_argument("--warehouse", type=Path, help="tables and metastore (default <home>/warehouse)")
    parser.add_argument("--workers", type=int, default=2, help="standalone workers (0: Thrift server on local[*])")
    parser.add_argument("--port", type=int, default=int(os.environ.get("NHI_SPARK_PORT", "10000")))
    options = parser.parse_args(argv)
    home = options.home.resolve()
    if options.command == "stop":
        stopped = stop_recorded(home)
        print(f"local spark: {stopped} process group(s) stopped")
        return 0
    if options.command == "status":
        entries = recorded(home)
        for entry in entries:
            state = "running" if _carries_marker(int(str(entry["pid"])), home) else "gone"
            print(f"{entry['role']:<10} pid {entry['pid']:<8} {state:<8} log {entry['log']}")
        return 0 if entries else 1
    spark = LocalSpark(
        home=home, warehouse=options.warehouse or home / "warehouse", workers=options.workers, thrift_port=options.port
    )
    try:
        spark.start()  # no context manager: the processes outlive this command until `stop`
    except (LocalSparkError, KeyboardInterrupt) as error:
        spark.stop()
        print(f"local spark: {error}", file=sys.stderr)
        return 1
    print(f"local spark: running; stop with python -m nhi_warehouse.spark_local stop --home {home}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
