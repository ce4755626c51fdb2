"""Split one extract into two monthly deliveries, to exercise and measure incremental builds.

    python -m nhi_warehouse.deliveries --extract FULL --before A --after B [--mode new-files|cumulative]

FULL is an extract with N fee months (the generator's). `A` is what the previous monthly
delivery held: every cd / oo / dd row whose APPL_DATE is on or before the cut date (the 20th of
the month after fee month N-1, the generator's default extract date for N-1 months); rows
without a readable APPL_DATE stay in A. `B` is what the warehouse holds after the next
delivery, in one of two shapes:

* ``new-files``: A's files unchanged plus, in the same folders, new files
  ``delivery-2-<name>`` with the rows applied after the cut (the new month, late 補報 claims of
  older months, corrections of already delivered claims) and one file of re-delivered rows
  (``delivery-2-rerun``: rows already in A, delivered again unchanged);
* ``cumulative``: a full re-extract - FULL's files under the same names as A's (files whose rows
  did not change keep their bytes);
* ``new-month``: the plain monthly case. A holds every row of fee months 1..N-1 (late claims
  included), B is A plus the files of fee month N; nothing else changes (same institutions, no
  correction, no re-delivery). What the benchmark's "one new month" measures.

In the first two modes, to make the deliveries differ in more than claims, A's ``hosb`` lacks a few institutions that B
has (their claims are quarantined in A, classified in B) and B corrects a few claims of A (same
natural key, later APPL_DATE, another DEDUCT_DOT). Other tables are the same in A and B.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb

CLAIM_TABLES = ("cd", "oo", "dd")
MODES = ("new-files", "cumulative", "new-month")


def _quote(value: str | Path) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def cut_date(manifest: dict) -> dt.date:
    """The 20th of the month after fee month N-1: the extract date of the previous delivery."""
    start = str(manifest["generator"]["start_ym"])
    months = int(manifest["generator"]["months"])
    index = int(start[:4]) * 12 + int(start[4:]) - 1 + months - 1  # the month after month N-1
    return dt.date(index // 12, index % 12 + 1, 20)


def last_fee_month(manifest: dict) -> str:
    """Fee month N, the extract's last ('YYYYMM')."""
    start = str(manifest["generator"]["start_ym"])
    index = int(start[:4]) * 12 + int(start[4:]) - 1 + int(manifest["generator"]["months"]) - 1
    return f"{index // 12}{index % 12 + 1:02d}"


def _reader(path: Path) -> str:
    if path.suffix == ".csv":
        return f"read_csv({_quote(path)}, all_varchar = true, header = true)"
    return f"read_parquet({_quote(path)}, hive_partitioning = false)"


def _write(con: duckdb.DuckDBPyConnection, query: str, path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = con.execute(f"select count(*) from ({query})").fetchall()[0][0]
    if rows:
        fmt = "(format csv, header true)" if path.suffix == ".csv" else "(format parquet)"
        con.execute(f"copy ({query}) to {_quote(path)} {fmt}")
    return int(rows)


def split(extract: Path, before: Path, after: Path, mode: str = "new-files", dropped_institutions: int = 3) -> dict:
    """Write deliveries A (`before`) and B (`after`) from the extract; return what was written."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    manifest = json.loads((extract / "_manifest.json").read_text(encoding="utf-8"))
    cut = cut_date(manifest)
    for root in (before, after):
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
    con = duckdb.connect()
    if mode == "new-month":
        last = last_fee_month(manifest)
        late_on = f"trim(cast(FEE_YM as varchar)) = '{last}'"
        dropped_institutions = 0
    else:
        late_on = f"try_cast(APPL_DATE as date) > date '{cut.isoformat()}'"
    summary: dict = {"cut_date": cut.isoformat(), "mode": mode, "rows_before": {}, "rows_after_only": {}}

    for path in sorted(p for p in extract.rglob("*") if p.is_file() and p.suffix in (".parquet", ".csv")):
        relative = path.relative_to(extract)
        table = relative.parts[0]
        (before / relative).parent.mkdir(parents=True, exist_ok=True)
        if table in CLAIM_TABLES:
            early = f"select * from {_reader(path)} where not coalesce({late_on}, false)"
            late = f"select * from {_reader(path)} where {late_on}"
            n_late = con.execute(f"select count(*) from ({late})").fetchall()[0][0]
            if n_late == 0:
                shutil.copy2(path, before / relative)
                n_early = con.execute(f"select count(*) from {_reader(path)}").fetchall()[0][0]
            else:
                n_early = _write(con, early, before / relative)
                if mode == "new-files" or (mode == "new-month" and n_early):
                    _write(con, late, after / relative.parent / f"delivery-2-{relative.name}")
                elif mode == "new-month":  # a file of the new month only: delivered as it is
                    (after / relative).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, after / relative)
            summary["rows_before"][table] = summary["rows_before"].get(table, 0) + n_early
            summary["rows_after_only"][table] = summary["rows_after_only"].get(table, 0) + n_late
        elif table == "hosb" and dropped_institutions:
            # A misses the last few institutions that have outpatient claims
            dropped = (
                f"select distinct HOSP_ID from read_parquet({_quote(extract / 'cd' / '**' / '*.parquet')}, "
                f"hive_partitioning = false) order by HOSP_ID desc limit {int(dropped_institutions)}"
            )
            _write(con, f"select * from {_reader(path)} where HOSP_ID not in ({dropped})", before / relative)
            summary["dropped_institutions"] = [row[0] for row in con.execute(dropped).fetchall()]
        else:
            shutil.copy2(path, before / relative)

    if mode == "cumulative":
        shutil.copytree(extract, after, dirs_exist_ok=True)
    elif mode == "new-month":
        shutil.copytree(before, after, dirs_exist_ok=True)
    else:
        shutil.copytree(before, after, dirs_exist_ok=True)
        for path in extract.glob("hosb/**/*"):
            if path.is_file():
                shutil.copy2(path, after / path.relative_to(extract))
        summary.update(_redeliveries(con, before, after, cut))
    (before / "_manifest.json").write_text(json.dumps({**manifest, "delivery": "A", **summary}, indent=2) + "\n")
    if mode in ("new-files", "new-month"):
        (after / "_manifest.json").write_text(json.dumps({**manifest, "delivery": "B", **summary}, indent=2) + "\n")
    else:
        corrections = _redeliveries(con, before, after, cut, corrections_only=True)
        summary.update(corrections)
    con.close()
    return summary


def _redeliveries(
    con: duckdb.DuckDBPyConnection, before: Path, after: Path, cut: dt.date, corrections_only: bool = False
) -> dict:
    """New files in B: claims of A re-delivered unchanged (new-files mode) and corrected claims
    (same natural key, APPL_DATE after the cut, DEDUCT_DOT changed), in the oldest fee month."""
    oldest = sorted(p for p in (before / "cd").glob("*/part-0.parquet"))
    if not oldest:
        return {}
    source = oldest[0]
    folder = after / source.relative_to(before).parent
    written = {}
    if not corrections_only:
        written["redelivered_rows"] = _write(
            con,
            f"select * from read_parquet({_quote(source)}) order by SEQ_NO limit 25",
            folder / "delivery-2-rerun.parquet",
        )
    later = (cut + dt.timedelta(days=10)).isoformat()
    written["corrected_rows"] = _write(
        con,
        f"select * replace (date '{later}' as APPL_DATE, "
        "case when DEDUCT_DOT is null then least(T_DOT, 10) else 0 end as DEDUCT_DOT) "
        f"from read_parquet({_quote(source)}) order by SEQ_NO desc limit 25",
        folder / "delivery-2-correction.parquet",
    )
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nhi_warehouse.deliveries", description=__doc__.split("\n\n")[0])
    parser.add_argument("--extract", required=True, help="the full extract (generator output)")
    parser.add_argument("--before", required=True, help="write delivery A (all months but the last) here")
    parser.add_argument("--after", required=True, help="write delivery B (after the last month) here")
    parser.add_argument("--mode", choices=MODES, default="new-files")
    options = parser.parse_args(argv)
    summary = split(Path(options.extract), Path(options.before), Path(options.after), options.mode)
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
