"""Pseudonymisation (macros/portable/pseudonymise.sql, macros/id_key.sql): patient and physician keys
are HMAC-SHA256 with NHI_ID_KEY - the same digest as Python's hmac - and the key policy holds for
plain `dbt` as well as `nhi`: an empty key is refused, the public demo key only for the generator's
synthetic extract or on explicit request, and every build says which key it uses (a fingerprint,
never the key)."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

from conftest import ROOT, Build, generate_extract, run_dbt
from nhi_warehouse.settings import (
    DEMO_ID_KEY,
    extract_is_synthetic,
    id_key_fingerprint,
    pass_synthetic_flag_to_spark,
    pseudonym,
)


def python_hmac(key: str, identifier: str) -> str:
    return hmac.new(key.encode("utf-8"), identifier.encode("utf-8"), hashlib.sha256).hexdigest()


# Input column of the identifier each pseudonym is computed from (raw contract name, or staged name).
SOURCES = {"patient_key": ("ID", "patient_id"), "physician_key": ("PRSN_ID", "physician_id")}


def keyed_unit_tests() -> list[tuple[str, dict]]:
    """Every dbt unit test that sets NHI_ID_KEY (the pseudonymisation tests), wherever it lives."""
    found = []
    for path in sorted((ROOT / "models").rglob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for test in document.get("unit_tests") or []:
            if "NHI_ID_KEY" in ((test.get("overrides") or {}).get("env_vars") or {}):
                found.append((f"{path.relative_to(ROOT)}::{test['name']}", test))
    return found


def given_rows(given: dict) -> list[dict]:
    """The input rows of a unit test's `given`, as dicts (rows as yml, or as SQL with quoted literals)."""
    if given.get("format") != "sql":
        return list(given["rows"])
    rows = []
    for select in re.split(r"\bunion all\b", given["rows"], flags=re.IGNORECASE):
        values = re.findall(r"(cast\(null as \w+\)|'[^']*')\s+as\s+(\w+)", select)
        rows.append({name: None if value.startswith("cast") else value[1:-1] for value, name in values})
    return rows


# ------------------------------------------------------------------- the digest on both engines


def test_pseudonym_is_truncated_hmac_sha256() -> None:
    assert pseudonym("test-key", "A123456789") == python_hmac("test-key", "A123456789")[:20]
    assert pseudonym("k", "A123456789") != hashlib.sha256(b"k|A123456789").hexdigest()[:20]  # not key||id
    assert id_key_fingerprint(DEMO_ID_KEY) == python_hmac(DEMO_ID_KEY, "nhi-warehouse key fingerprint")[:16]


def test_dbt_unit_test_expectations_are_python_hmac() -> None:
    """The dbt unit tests pin the digest the SQL computes (on DuckDB in `make test`, on Spark in the
    parity run); their expected keys are Python's HMAC-SHA256 of the given identifiers - for a short
    ASCII key and for a key longer than SHA-256's 64-byte block (non-ASCII, with a quote)."""
    tests = keyed_unit_tests()
    keys = [test["overrides"]["env_vars"]["NHI_ID_KEY"] for _, test in tests]
    assert len(tests) >= 2 and any(len(key.encode("utf-8")) > 64 for key in keys), [name for name, _ in tests]
    checked = 0
    for name, test in tests:
        key = test["overrides"]["env_vars"]["NHI_ID_KEY"]
        inputs = given_rows(test["given"][0])
        expected_rows = test["expect"]["rows"]
        assert len(inputs) == len(expected_rows), name
        for given_row, expected in zip(inputs, expected_rows, strict=True):
            for column, candidates in SOURCES.items():
                if column not in expected:
                    continue
                source = next(c for c in candidates if c in given_row)
                identifier = given_row[source]
                wanted = None if identifier is None else python_hmac(key, identifier)[:20]
                assert expected[column] == wanted, (name, column, identifier)
                checked += 1
    assert checked >= 6


@pytest.mark.slow
def test_demo_warehouse_keys_are_hmac_of_the_raw_ids(demo_build: Build) -> None:
    """End to end on the demo build: every staged referral's patient_key is the HMAC (demo key) of
    the ID delivered for it in the raw files, and the build said which key it used."""
    assert demo_build.returncode == 0, demo_build.output[-3000:]
    with duckdb.connect(str(demo_build.duckdb_path), read_only=True) as con:
        staged = con.execute("select referral_no, patient_key from staging.stg_nhird__referral").fetchall()
        # raw.referral: the build's view over the delivered files (Parquet and CSV)
        raw = con.execute('select distinct trim("REFERRAL_NO"), trim("ID") from raw.referral').fetchall()
    ids: dict[str, set[str]] = {}
    for referral_no, identifier in raw:
        ids.setdefault(referral_no, set()).add(identifier)
    assert len(staged) > 100
    for referral_no, patient_key in staged:
        assert patient_key in {pseudonym(DEMO_ID_KEY, identifier) for identifier in ids[referral_no]}, referral_no

    fingerprint = id_key_fingerprint(DEMO_ID_KEY)
    assert f"pseudonymisation key: the PUBLIC demo key, fingerprint {fingerprint}" in demo_build.output
    assert "_manifest.json says the extract is the generator's synthetic one" in demo_build.output
    assert DEMO_ID_KEY not in demo_build.output
    assert demo_build.manifest["synthetic"] is True


# --------------------------------------------------------------------------------- the policy


@pytest.fixture(scope="module")
def extracts(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The generator's synthetic extract (one month) and the same files as a user's extract: no
    _manifest.json saying it is synthetic."""
    work = tmp_path_factory.mktemp("id-key")
    synthetic = work / "synthetic"
    generate_extract(synthetic, "--size", "tiny", "--months", "1")
    real = work / "real"
    shutil.copytree(synthetic, real, ignore=shutil.ignore_patterns("_manifest.json"))
    assert extract_is_synthetic(synthetic) and not extract_is_synthetic(real)
    return synthetic, real


@pytest.fixture
def no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither NHI_ID_KEY nor NHI_DEMO from the calling environment."""
    monkeypatch.delenv("NHI_ID_KEY", raising=False)
    monkeypatch.delenv("NHI_DEMO", raising=False)


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One warehouse file and one target/ for the policy tests: dbt parses the project once."""
    return tmp_path_factory.mktemp("id-key-work")


def dbt_with_key(args: list[str], raw: Path, work: Path, key: str | None) -> tuple[int, str]:
    result = run_dbt(args, raw, work / "w.duckdb", work, {"NHI_ID_KEY": key} if key is not None else {})
    return result.returncode, result.stdout + result.stderr


def started_builds(database: Path) -> list[tuple[str, str]]:
    """(command, key fingerprint) of every invocation recorded in the warehouse."""
    if not database.exists():
        return []
    with duckdb.connect(str(database), read_only=True) as con:
        if not con.execute("select count(*) from duckdb_tables() where schema_name = 'build_log'").fetchone()[0]:
            return []
        return con.execute(
            "select command, id_key_fingerprint from build_log.invocations where event = 'started' order by rowid"
        ).fetchall()


@pytest.mark.slow
@pytest.mark.usefixtures("no_key")
def test_an_empty_key_is_refused(extracts: tuple[Path, Path], work: Path) -> None:
    synthetic, _ = extracts
    before = started_builds(work / "w.duckdb")
    status, output = dbt_with_key(["build", "--select", "regions"], synthetic, work, "  ")
    assert status != 0
    assert "NHI_ID_KEY is set but empty" in output
    assert "Traceback" not in output
    assert started_builds(work / "w.duckdb") == before  # stopped before anything ran


@pytest.mark.slow
@pytest.mark.usefixtures("no_key")
def test_an_unset_key_stops_a_build_of_a_real_extract(extracts: tuple[Path, Path], work: Path) -> None:
    """Plain `dbt build` (no nhi): the demo key is refused for an extract that is not synthetic,
    before anything is built."""
    _, real = extracts
    before = started_builds(work / "w.duckdb")
    status, output = dbt_with_key(["build"], real, work, None)
    assert status != 0
    assert "NHI_ID_KEY is not set (or is the public demo key)" in output
    assert "not the generator's synthetic extract" in output
    assert started_builds(work / "w.duckdb") == before


@pytest.mark.slow
@pytest.mark.usefixtures("no_key")
def test_the_demo_key_on_a_real_extract_needs_the_explicit_flag(extracts: tuple[Path, Path], work: Path) -> None:
    """`nhi build --demo` (NHI_DEMO=1) accepts the demo key for any extract, and says so; a real key
    is accepted and shown by its fingerprint only; the build record keeps the fingerprints. A
    command that pseudonymises nothing (`dbt seed`) needs no key."""
    _, real = extracts
    before = started_builds(work / "w.duckdb")
    status, output = dbt_with_key(["seed", "--select", "regions"], real, work, None)
    assert status == 0, output[-3000:]
    assert "the public demo key, fingerprint" in output and "not used: no selected model pseudonymises" in output

    env = dict(os.environ, NHI_RAW_ROOT=str(real), NHI_DUCKDB_PATH=str(work / "w.duckdb"),
               NHI_DUCKDB_TEMP=str(work / "tmp"))  # fmt: skip
    build = ["build", "--select", "base_nhird__referral", "stg_nhird__referral", "--exclude-resource-type", "test",
             "--target-path", str(work / "target"), "--log-path", str(work / "logs")]  # fmt: skip
    demo = subprocess.run(
        [sys.executable, "-m", "nhi_warehouse", build[0], "--demo", *build[1:]],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert demo.returncode == 0, demo.stdout[-3000:]
    fingerprint = id_key_fingerprint(DEMO_ID_KEY)
    assert f"the PUBLIC demo key, fingerprint {fingerprint} - demo explicitly requested" in demo.stdout

    secret = "a long secret of the division, never printed"
    keyed = subprocess.run(
        [sys.executable, "-m", "nhi_warehouse", *build],
        cwd=ROOT, env=dict(env, NHI_ID_KEY=secret), capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert keyed.returncode == 0, keyed.stdout[-3000:]
    assert f"pseudonymisation key: NHI_ID_KEY, fingerprint {id_key_fingerprint(secret)}" in keyed.stdout
    assert secret not in keyed.stdout + keyed.stderr
    assert started_builds(work / "w.duckdb")[len(before) :] == [
        ("seed", fingerprint), ("build", fingerprint), ("build", id_key_fingerprint(secret))
    ]  # fmt: skip
    with duckdb.connect(str(work / "w.duckdb"), read_only=True) as con:
        keys = con.execute("select patient_key from staging.stg_nhird__referral where patient_key is not null")
        staged = {row[0] for row in keys.fetchall()}
        raw = {row[0] for row in con.execute('select distinct trim("ID") from raw.referral').fetchall()}
    assert staged and staged <= {pseudonym(secret, identifier) for identifier in raw if identifier}


def test_the_generator_says_its_extract_is_synthetic(extracts: tuple[Path, Path]) -> None:
    synthetic, _ = extracts
    assert json.loads((synthetic / "_manifest.json").read_text(encoding="utf-8"))["synthetic"] is True


def test_spark_gets_the_manifest_answer_from_python(extracts: tuple[Path, Path]) -> None:
    """Spark cannot read `_manifest.json` (it skips files starting with `_`): nhi, the parity tool
    and the tests pass a synthetic extract on as NHI_DEMO=1 - only on Spark, only if synthetic."""
    synthetic, real = extracts
    for target, raw, flagged in (("spark", synthetic, True), ("spark", real, False), ("duckdb", synthetic, False)):
        env = {"NHI_TARGET": target}
        pass_synthetic_flag_to_spark(env, raw)
        assert (env.get("NHI_DEMO") == "1") is flagged, (target, raw)
