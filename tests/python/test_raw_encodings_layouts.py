"""Raw CSV files in other encodings and in the NHI research database layout (issue 18 points 4
and 5; docs/raw-encodings.md, docs/nhird-layout.md): a Big5 hosb.csv with Chinese names and an
NHIRD-layout delivery build the same marts as the UTF-8 contract-layout delivery; a file that
is empty, in an unrecognised encoding or in neither layout is refused naming the cause."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import NO_TESTS, ROOT, generate_extract, run_dbt
from nhi_warehouse.contract import load_contract
from nhi_warehouse.quality.gxkit import format_summary
from nhi_warehouse.quality.paths import QualityPaths
from nhi_warehouse.quality.raw import RawOptions, validate_raw
from nhi_warehouse.raw_files import EMPTY_FILE, default_cache_dir, detect_encoding, prepare_csv
from test_raw_contract import table_fingerprints

# The NHIRD layout as an NHIRD extract spells it, written here independently of the project's
# mapping (meta.nhird in _nhird__sources.yml): contract column -> NHIRD column.
NHIRD_NAMES = {
    "cd": {
        "DRUG_DOT": "DRUG_AMT", "DIAG_DOT": "DIAG_AMT", "TREAT_DOT": "TREAT_AMT", "DSVC_DOT": "DSVC_AMT",
        "T_DOT": "T_AMT", "T_APPL_DOT": "T_APPL_AMT", "ICD_1": "ACODE_ICD9_1", "ICD_2": "ACODE_ICD9_2",
        "ICD_3": "ACODE_ICD9_3", "PART_CODE": "PART_NO",
    },
    "oo": {"ORDER_CODE": "DRUG_NO", "ORDER_QTY": "TOTAL_QTY", "ORDER_DOT": "TOTAL_AMT"},
    "dd": {
        "ICD_1": "ICD9CM_CODE", "ICD_2": "ICD9CM_CODE_1", "ICD_3": "ICD9CM_CODE_2", "ICD_4": "ICD9CM_CODE_3",
        "ICD_5": "ICD9CM_CODE_4", "DRUG_DOT": "DRUG_AMT", "DSVC_DOT": "DSVC_AMT", "T_DOT": "MED_AMT",
        "T_APPL_DOT": "APPL_AMT",
    },
}  # fmt: skip
NHIRD_DATES = {"cd": ("APPL_DATE", "FUNC_DATE", "ID_BIRTHDAY"), "oo": ("APPL_DATE",),
               "dd": ("APPL_DATE", "ID_BIRTHDAY", "IN_DATE", "OUT_DATE")}  # fmt: skip


@pytest.fixture(scope="module")
def utf8_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("utf8") / "raw"
    generate_extract(raw, "--size", "tiny", "--months", "6", "--bad-share", "0", "--format", "csv")
    return raw


@pytest.fixture(scope="module")
def utf8_marts(utf8_csv: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, ...]]:
    work = tmp_path_factory.mktemp("utf8-build")
    result = run_dbt(["build", *NO_TESTS], utf8_csv, work / "w.duckdb", work)
    assert result.returncode == 0, result.stdout[-3000:]
    return marts_of(work / "w.duckdb")


def marts_of(duckdb_path: Path) -> dict[str, tuple[int, ...]]:
    tables = table_fingerprints(duckdb_path)
    marts = {name: value for name, value in tables.items() if name.startswith("marts.")}
    assert marts
    return marts


def to_nhird(file: Path, table: str) -> None:
    """Rewrite a contract-layout CSV file in the NHIRD layout: NHIRD names, YYYYMMDD dates,
    EXE_S_DATE as YYYYMMDDHH:MM:SS, dd's OTHER_DOT only inside MED_AMT."""
    with duckdb.connect() as con:
        described = con.execute(f"describe select * from read_csv('{file}', all_varchar = true)").fetchall()
        header = [row[0] for row in described]
        exprs = []
        for column in header:
            name = NHIRD_NAMES[table].get(column, column)
            if table == "dd" and column == "OTHER_DOT":
                continue
            if column in NHIRD_DATES[table]:
                exprs.append(f"replace(\"{column}\", '-', '') as {name}")
            elif column == "EXE_S_DATE":
                exprs.append(f"strftime(try_cast(\"{column}\" as timestamp), '%Y%m%d%H:%M:%S') as {name}")
            else:
                exprs.append(f'"{column}" as {name}')
        select = f"select {', '.join(exprs)} from read_csv('{file}', all_varchar = true)"
        con.execute(f"copy ({select}) to '{file}.tmp' (format csv, header true)")
    Path(f"{file}.tmp").replace(file)


def test_big5_hosb_builds_the_same_marts_as_utf8(
    utf8_csv: Path, utf8_marts: dict[str, tuple[int, ...]], tmp_path: Path
) -> None:
    raw = shutil.copytree(utf8_csv, tmp_path / "raw")
    hosb = raw / "hosb" / "hosb.csv"
    text = hosb.read_text(encoding="utf-8")
    assert "醫學中心" in text
    hosb.write_bytes(text.encode("cp950"))
    with pytest.raises(UnicodeDecodeError):
        hosb.read_bytes().decode("utf-8")
    result = run_dbt(["build", *NO_TESTS], raw, tmp_path / "w.duckdb", tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "read as cp950" in result.stdout
    assert marts_of(tmp_path / "w.duckdb") == utf8_marts
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        names = con.execute("select count(*) from raw.hosb where HOSP_NAME like '%醫學中心%'").fetchall()[0][0]
    assert names > 0


def test_nhird_layout_builds_the_same_marts_as_the_contract_layout(
    utf8_csv: Path, utf8_marts: dict[str, tuple[int, ...]], tmp_path: Path
) -> None:
    raw = shutil.copytree(utf8_csv, tmp_path / "raw")
    for table in ("cd", "oo", "dd"):
        for file in sorted((raw / table).rglob("*.csv")):
            to_nhird(file, table)
    sample = next((raw / "dd").rglob("*.csv")).read_text(encoding="utf-8").splitlines()
    header = sample[0].split(",")
    assert "MED_AMT" in header and "OTHER_DOT" not in header and "T_DOT" not in header
    assert sample[1].count("-") == 0  # YYYYMMDD dates
    # inpatient orders (DO) are not a contract table: a `do/` folder is not read
    (raw / "do").mkdir()
    (raw / "do" / "do.csv").write_text("FEE_YM,DRUG_NO\n202401,A\n", encoding="utf-8")
    result = run_dbt(["build", *NO_TESTS], raw, tmp_path / "w.duckdb", tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "(NHIRD layout" in result.stdout
    assert marts_of(tmp_path / "w.duckdb") == utf8_marts


def hook_output(raw: Path, tmp_path: Path, *extra: str) -> tuple[int, str]:
    selected = ["--select", "base_nhird__hosb", "stg_nhird__hosb"]
    result = run_dbt(["run", *selected, *extra], raw, tmp_path / "w.duckdb", tmp_path)
    return result.returncode, result.stdout + result.stderr


def test_empty_file_is_reported_as_empty(utf8_csv: Path, tmp_path: Path) -> None:
    raw = shutil.copytree(utf8_csv, tmp_path / "raw")
    (raw / "cd" / "late.csv").write_bytes(b"")
    (raw / "cd" / "late.parquet").write_bytes(b"")
    returncode, output = hook_output(raw, tmp_path)
    assert returncode != 0
    assert f"{raw / 'cd' / 'late.csv'}: empty file (0 bytes)" in output
    assert f"{raw / 'cd' / 'late.parquet'}: empty file (0 bytes)" in output
    assert "missing required column" not in output


def test_unrecognised_encoding_is_named_and_can_be_set(utf8_csv: Path, tmp_path: Path) -> None:
    """A Big5-HKSCS file (a character CP950 lacks) is neither UTF-8 nor CP950: refused naming the
    encodings tried; with var raw_csv_encoding it is read, the name intact."""
    raw = shutil.copytree(utf8_csv, tmp_path / "raw")
    hosb = raw / "hosb" / "hosb.csv"
    text = hosb.read_text(encoding="utf-8").replace("示範醫學中心001", "示範堃醫學中心001")
    hosb.write_bytes(text.encode("big5hkscs"))
    returncode, output = hook_output(raw, tmp_path)
    assert returncode != 0
    assert f"{hosb}: unrecognised encoding: not UTF-8 (byte 0x" in output
    assert "nor Big5/CP950 (byte 0x" in output
    assert "CSV Error" not in output
    returncode, output = hook_output(raw, tmp_path, "--vars", "{raw_csv_encoding: {hosb: big5hkscs}}")
    assert returncode == 0, output[-3000:]
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        query = "select count(*) from staging.stg_nhird__hosb where hosp_name like '%堃醫學中心%'"
        found = con.execute(query).fetchall()[0][0]
    assert found > 0


def test_file_in_neither_layout_names_the_columns_it_lacks(utf8_csv: Path, tmp_path: Path) -> None:
    raw = shutil.copytree(utf8_csv, tmp_path / "raw")
    victim = sorted((raw / "cd").rglob("*.csv"))[0]
    to_nhird(victim, "cd")
    with duckdb.connect() as con:
        kept = f"select * exclude (T_AMT) from read_csv('{victim}', all_varchar = true)"
        con.execute(f"copy ({kept}) to '{victim}.tmp' (format csv, header true)")
    Path(f"{victim}.tmp").replace(victim)
    returncode, output = hook_output(raw, tmp_path)
    assert returncode != 0
    assert f"{victim}: missing required column T_AMT (NHIRD layout" in output
    assert "missing required column DRUG_DOT" not in output


def test_detection_and_mapping_units(tmp_path: Path) -> None:
    plain = tmp_path / "plain.csv"
    plain.write_text("HOSP_ID\n01\n", encoding="utf-8")
    bom = tmp_path / "bom.csv"
    bom.write_bytes("HOSP_ID,HOSP_NAME\n01,臺大\n".encode("utf-8-sig"))
    big5 = tmp_path / "big5.csv"
    big5.write_bytes("HOSP_ID,HOSP_NAME\n01,臺大\n".encode("cp950"))
    assert detect_encoding(plain) == ("utf-8", None)
    assert detect_encoding(bom) == ("utf-8-sig", None)
    assert detect_encoding(big5) == ("cp950", None)
    assert detect_encoding(big5, "nonsense")[1] == "unknown encoding 'nonsense' (var raw_csv_encoding)"

    contract = load_contract()
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert prepare_csv(empty, contract["hosb"], tmp_path / "cache").error == EMPTY_FILE

    oo = tmp_path / "oo.csv"
    oo.write_text(
        "FEE_YM,APPL_TYPE,APPL_DATE,HOSP_ID,CASE_TYPE,SEQ_NO,ORDER_SEQ_NO,ORDER_TYPE,DRUG_NO,TOTAL_QTY,"
        "TOTAL_AMT,EXE_S_DATE,UNIT_PRICE\n"
        "202401,1,20240217,0102100001,01,1,1,2,09006C,1,200,2024011309:30:00,200\n"
        "202401,1,2024-02-17,0102100001,01,1,2,2,09005C,1,200,20240113,200\n"
        "202401,1,2024021,0102100001,01,1,3,2,09005C,1,200,,200\n",
        encoding="utf-8",
    )
    prepared = prepare_csv(oo, contract["oo"], tmp_path / "cache")
    assert (prepared.layout, prepared.missing, prepared.error) == ("nhird", (), None)
    assert "UNIT_PRICE" not in prepared.columns and "ORDER_CODE" in prepared.columns
    with duckdb.connect() as con:
        rows = con.execute(
            f"select APPL_DATE, ORDER_CODE, EXE_S_DATE from read_csv('{prepared.read_path}', all_varchar = true)"
        ).fetchall()
    # ISO dates; a date already ISO is kept, a malformed one kept as it is (staging quarantines it)
    assert rows == [
        ("2024-02-17", "09006C", "2024-01-13 09:30:00"),
        ("2024-02-17", "09005C", "2024-01-13"),
        ("2024021", "09005C", None),
    ]
    again = prepare_csv(oo, contract["oo"], tmp_path / "cache")
    assert again == prepared


def test_changed_file_is_converted_again_and_cache_is_not_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    contract = load_contract()
    cache = tmp_path / "cache"
    hosb = tmp_path / "hosb.csv"
    header = "HOSP_ID,HOSP_NAME,HOSP_CONT_TYPE,HOSP_KIND,AREA_NO_H,COUNTY,CONT_S_DATE,CONT_E_DATE\n"
    hosb.write_bytes((header + "0101090517,臺大醫院,1,1,1,臺北市,1995-03-01,\n").encode("cp950"))
    first = prepare_csv(hosb, contract["hosb"], cache)
    assert (first.encoding, first.layout, first.error) == ("cp950", "contract", None)
    assert first.read_path != str(hosb) and Path(first.read_path).is_relative_to(cache)
    assert "臺大醫院" in Path(first.read_path).read_text(encoding="utf-8")
    # another name of the same byte length (a later mtime): a new copy, the old one gone
    before = hosb.stat().st_mtime_ns
    hosb.write_bytes((header + "0101090517,長庚醫院,1,1,1,臺北市,1995-03-01,\n").encode("cp950"))
    os.utime(hosb, ns=(before + 2_000_000_000, before + 2_000_000_000))
    second = prepare_csv(hosb, contract["hosb"], cache)
    assert second.read_path != first.read_path and not Path(first.read_path).exists()
    assert "長庚醫院" in Path(second.read_path).read_text(encoding="utf-8")
    # now UTF-8: read in place
    hosb.write_text(header + "0101090517,長庚醫院,1,1,1,臺北市,1995-03-01,\n", encoding="utf-8")
    assert prepare_csv(hosb, contract["hosb"], cache).read_path == str(hosb)

    monkeypatch.delenv("NHI_RAW_CACHE", raising=False)
    assert default_cache_dir(tmp_path / "w.duckdb") == (tmp_path / "raw-cache").resolve()
    assert default_cache_dir(None) == ROOT / "data" / "warehouse" / "raw-cache"
    assert default_cache_dir(":memory:") == ROOT / "data" / "warehouse" / "raw-cache"
    monkeypatch.setenv("NHI_RAW_CACHE", str(tmp_path / "elsewhere"))
    assert default_cache_dir(tmp_path / "w.duckdb") == tmp_path / "elsewhere"


def test_raw_validation_accepts_what_the_build_accepts(utf8_csv: Path, tmp_path: Path) -> None:
    """`nhi quality raw` reads a Big5 hosb.csv and an NHIRD-layout cd/oo/dd like the build does,
    and refuses an undecodable file naming the encoding problem."""
    raw = shutil.copytree(utf8_csv, tmp_path / "raw")
    hosb = raw / "hosb" / "hosb.csv"
    hosb.write_bytes(hosb.read_text(encoding="utf-8").encode("cp950"))
    for table in ("cd", "oo", "dd"):
        for file in sorted((raw / table).rglob("*.csv")):
            to_nhird(file, table)
    manifest = json.loads((raw / "_manifest.json").read_text(encoding="utf-8"))
    options = RawOptions(
        raw_root=raw,
        as_of=dt.date.fromisoformat(manifest["generator"]["extract_date"]),
        cache_dir=tmp_path / "cache",
    )
    paths = QualityPaths(quality_dir=tmp_path / "quality", docs_dir=tmp_path / "quality" / "docs")
    outcome = validate_raw(ROOT, paths, options)
    assert outcome.success, format_summary(outcome)
    assert "hosb/hosb.csv: read as cp950" in outcome.notices
    assert any(n.startswith("cd/") and n.endswith("read as utf-8 in the NHIRD layout (docs/nhird-layout.md)")
               for n in outcome.notices)  # fmt: skip

    text = hosb.read_bytes().decode("cp950").replace("示範醫學中心001", "示範堃醫學中心001")
    hosb.write_bytes(text.encode("big5hkscs"))
    refused = validate_raw(ROOT, paths, options)
    assert not refused.success
    lines = [failure.line() for failure in refused.failures]
    assert any("hosb/hosb.csv" in line and "unrecognised encoding: not UTF-8 (byte 0x" in line for line in lines), lines
    accepted = validate_raw(ROOT, paths, dataclasses.replace(options, csv_encoding={"hosb": "big5hkscs"}))
    assert accepted.success, format_summary(accepted)
