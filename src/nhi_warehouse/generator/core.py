"""generate(): build the world, plan, run the months, write finance tables, bad rows, manifest."""

from __future__ import annotations

import calendar
import datetime as dt
import json
import multiprocessing as mp
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import numpy as np
import pyarrow as pa

from . import catalog as C
from . import inject as J
from . import month as M
from . import prospective as P
from . import writer as W
from .config import GeneratorConfig
from .plan import Plan, build_plan
from .pv_rules import protected_cases
from .world import (
    PART_CODES,
    Institutions,
    Persons,
    build_institutions,
    build_persons,
    day_number,
    physician_ids,
)

GENERATOR_VERSION = "1.0"


def find_rules_csv(explicit: str | Path | None = None) -> Path:
    candidates = []
    if explicit:
        candidates.append(Path(explicit))
    candidates.append(Path(__file__).resolve().parents[3] / "seeds/reference/quarantine_rules.csv")
    candidates.append(Path.cwd() / "seeds/reference/quarantine_rules.csv")
    for c in candidates:
        if c.is_file():
            return c
    raise FileNotFoundError(
        "quarantine rules not found (looked for " + ", ".join(str(c) for c in candidates) + "); "
        "pass GeneratorConfig(rules_csv=...)"
    )


def _prepare_out(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    present = [t for t in W.ALL_TABLES if (out / t).exists()]
    if not present:
        return
    if not (out / "_manifest.json").is_file():
        raise FileExistsError(
            f"{out} already holds table folders ({', '.join(present)}) that the generator did not "
            "write (no _manifest.json); choose an empty folder"
        )
    for t in present:
        shutil.rmtree(out / t)
    (out / "_manifest.json").unlink()


def _log(cfg: GeneratorConfig, msg: str) -> None:
    if not cfg.quiet:
        print(msg, file=sys.stderr, flush=True)


def _span(cfg: GeneratorConfig) -> list[tuple[int, int, int, int]]:
    span = []
    for i in range(cfg.months):
        d = cfg.month_start(i)
        span.append((d.year, d.month, day_number(d), calendar.monthrange(d.year, d.month)[1]))
    return span


def generate(config: GeneratorConfig) -> dict:
    """Write a synthetic raw extract under ``config.out`` and return the manifest."""
    cfg = config
    t0 = time.perf_counter()
    out = Path(cfg.out)
    _prepare_out(out)
    rules = J.read_rules(find_rules_csv(cfg.rules_csv))
    span = _span(cfg)
    extract = cfg.resolved_extract_date
    extract_day = day_number(extract)
    span_start, span_end = span[0][2], span[-1][2] + span[-1][3] - 1

    stage: dict[str, float] = {}
    t_stage = [time.perf_counter()]

    def done(name: str) -> None:
        now = time.perf_counter()
        stage[name] = round(now - t_stage[0], 3)
        t_stage[0] = now

    rng = np.random.default_rng(np.random.SeedSequence([int(cfg.seed), 0]))
    inst = build_institutions(cfg.n_persons, span_start, span_end, rng)
    persons = build_persons(cfg.n_persons, inst, span_start, rng)
    phys_ids = physician_ids(inst, cfg.n_persons, rng)
    codes = C.build_codes()
    done("world")
    plan = build_plan(cfg, inst, persons, codes, rng, span)
    done("plan")
    _log(cfg, f"[generator] {persons.n:,} persons, {inst.n:,} institutions, "
              f"{plan.visits['person'].size:,} planned visits, {cfg.months} months "
              f"({span[0][0]}-{span[0][1]:02d}..{span[-1][0]}-{span[-1][1]:02d}), "
              f"extract date {extract}, {cfg.n_workers} worker(s)")  # fmt: skip

    n_rules = {}
    for t, _r in rules:
        n_rules[t] = n_rules.get(t, 0) + 1
    share = {
        t: J.sample_share(cfg.duplicate_share if t in ("cd", "oo") else 0.0, cfg.bad_share, n_rules.get(t, 0))
        for t in ("cd", "oo", "dd", "lab_upload")
    }
    M.set_state(
        cfg=cfg, inst=inst, persons=persons, codes=codes, plan=plan, span=span, out=str(out),
        extract_day=extract_day, phys_ids=phys_ids, part_codes=PART_CODES, sample_share=share,
        protected_cases=protected_cases(),
    )  # fmt: skip

    results = []
    t_months = time.perf_counter()

    def report(res: dict) -> None:
        r = res["rows"]
        _log(cfg, f"[generator] {res['fee_ym']}: cd {r['cd']:,} oo {r['oo']:,} dd {r['dd']:,} "
                  f"lab_upload {r['lab_upload']:,} ({res['seconds']:.1f} s)")  # fmt: skip

    if cfg.n_workers <= 1:
        for i in range(cfg.months):
            res = M.run_month(i)
            report(res)
            results.append(res)
    else:
        ctx = mp.get_context("fork")
        with ProcessPoolExecutor(max_workers=cfg.n_workers, mp_context=ctx) as pool:
            futures = [pool.submit(M.run_month, i) for i in range(cfg.months)]
            for fut in as_completed(futures):
                res = fut.result()
                report(res)
                results.append(res)
    results.sort(key=lambda r: r["i"])
    months_seconds = time.perf_counter() - t_months
    done("months")
    M.set_state()

    rows = {t: 0 for t in W.ALL_TABLES}
    for res in results:
        for t, n in res["rows"].items():
            rows[t] += n

    # referral (written by issue month)
    ref_tbl, ref_months = _referral_table(plan, inst, persons)
    rows["referral"] = ref_tbl.num_rows
    for mon in np.unique(ref_months):
        part = ref_tbl.filter(W.bools(ref_months == mon))
        W.write(part, out, W.partition_dir("referral", mon), "part-0", cfg.format)

    done("referral")
    # finance
    hosb_tbl = _hosb_table(inst)
    budget_tbl, pv_tbl, finance = _finance(cfg, span, results, extract)
    rows["hosb"], rows["budget"], rows["pv_announced"] = (
        hosb_tbl.num_rows, budget_tbl.num_rows, pv_tbl.num_rows)  # fmt: skip
    hp_tbl, pr_tbl, prospective = P.build(cfg, span, results, inst, budget_tbl, extract)
    rows["hosp_prospective"], rows["prospective_region"] = hp_tbl.num_rows, pr_tbl.num_rows

    done("finance")
    # bad rows and duplicates
    pools = {t: _pool_from_samples(results, t) for t in ("cd", "oo", "dd", "lab_upload")}
    pools["referral"] = (ref_tbl, ref_months.astype(object))
    singles = {"hosb": hosb_tbl, "budget": budget_tbl, "pv_announced": pv_tbl,
               "hosp_prospective": hp_tbl, "prospective_region": pr_tbl}  # fmt: skip
    for name, tbl in singles.items():
        pools[name] = (tbl, np.array([""] * tbl.num_rows, dtype=object))
    first_quarter = f"{span[0][0]}Q{(span[0][1] - 1) // 3 + 1}"
    context = {"clinic_ids": W.take(inst.hosp_id, np.flatnonzero(inst.type == C.T_WM)).to_pylist()}
    injected, unsupported, bad_by_table = _bad_rows(cfg, rules, rows, pools, first_quarter, context)
    _write_bad(cfg, out, bad_by_table, singles)
    done("bad_rows")
    duplicates = _duplicates(cfg, out, results, rows)
    done("duplicates")

    seconds = time.perf_counter() - t0
    manifest = {
        # No real person in it: the public demo pseudonymisation key may be used (macros/id_key.sql).
        "synthetic": True,
        "generator": {"name": "nhi_warehouse.generator", "version": GENERATOR_VERSION, **cfg.as_dict()},
        "rows": rows,
        "rows_before_extract_cut": {t: int(sum(r["generated"][t] for r in results)) for t in ("cd", "oo")},
        "injected": injected,
        "duplicates": duplicates,
        "extract_date": extract.isoformat(),
        "seconds": round(seconds, 3),
        "months_seconds": round(months_seconds, 3),
        "stage_seconds": stage,
        "claims_per_second": round(rows["cd"] / seconds, 1) if seconds > 0 else None,
        "files": {
            "layout": "<table>/fee_ym=YYYYMM/part-0.* (cd, oo, dd); <table>/month=YYYYMM/part-0.* "
            "(lab_upload by FUNC_DATE, referral by ISSUE_DATE); hosb, budget, pv_announced, "
            "hosp_prospective, prospective_region as <table>/<table>.*; bad rows in late-fix-0.parquet / "
            "late-fix-0.csv (invalid_date "
            "rows always CSV), duplicates in rerun-0.*",
            "rows_means": "good rows (distinct natural keys, passing every rule); files also hold "
            "the injected bad rows and the re-delivered duplicates",
        },
        "unsupported_rules": unsupported,
        "plan": plan.stats,
        "finance": finance,
        "prospective": prospective,
        "referral_fee_lines": {
            "total": int(sum(r["fee_lines"] for r in results)),
            "without_platform_referral": int(sum(r["unbacked_fee_lines"] for r in results)),
        },
    }
    (out / "_manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return manifest


# ------------------------------------------------------------------ tables built in the parent


def _hosb_table(inst: Institutions) -> pa.Table:
    no_end = inst.cont_e >= 2**31 - 1
    return pa.Table.from_arrays(
        [
            inst.hosp_id,
            W.strs(inst.name),
            W.take(W.strs(C.TYPE_CONT), inst.type.astype(np.int64)),
            W.take(W.strs(C.TYPE_KIND), inst.type.astype(np.int64)),
            W.take(W.strs(C.REGION_CODES), inst.region.astype(np.int64)),
            W.take(W.strs(C.COUNTY_NAMES), inst.county.astype(np.int64)),
            W.date_array(inst.cont_s),
            W.date_array(np.where(no_end, 0, inst.cont_e), mask=no_end),
        ],
        schema=W.SCHEMAS["hosb"],
    )


def _referral_table(plan: Plan, inst: Institutions, persons: Persons) -> tuple[pa.Table, np.ndarray]:
    r = plan.referral
    order = np.lexsort((r["person"], r["issue"]))
    issue = r["issue"][order]
    dates = issue.astype("datetime64[D]")
    ymd = [str(d).replace("-", "") for d in dates]
    numbers = W.strs([f"TR{d}{j + 1:08d}" for j, d in enumerate(ymd)])
    recv, reply = r["recv"][order], r["reply"][order]
    tbl = pa.Table.from_arrays(
        [
            numbers,
            W.take(inst.hosp_id, r["issue_h"][order]),
            W.take(inst.hosp_id, r["recv_h"][order]),
            W.take(persons.ids, r["person"][order]),
            W.date_array(issue),
            W.date_array(np.maximum(recv, 0), mask=recv < 0),
            W.date_array(np.maximum(reply, 0), mask=reply < 0),
        ],
        schema=W.SCHEMAS["referral"],
    )
    months = np.array([d[:6] for d in ymd], dtype=object)
    return tbl, months


def _finance(
    cfg: GeneratorConfig, span: list[tuple[int, int, int, int]], results: list[dict], extract: dt.date
) -> tuple[pa.Table, pa.Table, dict]:
    """Budget per sector/quarter/region from complete general-service points; point values."""
    rng = np.random.default_rng(np.random.SeedSequence([int(cfg.seed), 2]))
    quarters: list[str] = []
    q_of_month = []
    for y, m, *_ in span:
        q = f"{y}Q{(m - 1) // 3 + 1}"
        if q not in quarters:
            quarters.append(q)
        q_of_month.append(quarters.index(q))
    nq = len(quarters)
    pts = np.zeros((4, 6, nq))
    drug = np.zeros((4, 6, nq))
    delivered = np.zeros((4, 6, nq))
    deducted = np.zeros((4, 6, nq))
    for res, qi in zip(results, q_of_month, strict=True):
        pts[:, :, qi] += res["points"]
        drug[:, :, qi] += res["drug_points"]
        delivered[:, :, qi] += res["delivered_points"]
        deducted[:, :, qi] += res["deducted_points"]
        if cfg.budget_includes_inpatient:
            pts[C.SEC_HOSP, :, qi] += res["dd_points"]
            drug[C.SEC_HOSP, :, qi] += res["dd_drug_points"]
            deducted[C.SEC_HOSP, :, qi] += res["dd_deducted_points"]
    # point values are settled on the points left after review deductions (核定點數), as the marts
    # do by default: non-floating and floating points lose the deducted share in proportion
    allowed = np.where(pts > 0, 1 - deducted / np.maximum(pts, 1), 1.0)
    target = rng.uniform(0.94, 1.05, size=(4, 6))
    apv = target[:, :, None] * (1 + rng.normal(0, 0.006, size=(4, 6, nq)))
    budget = np.round(pts * allowed * apv, 2)

    b_sector, b_q, b_reg, b_amt = [], [], [], []
    pv_rows = []
    for s in range(4):
        for qi, q in enumerate(quarters):
            y, qn = int(q[:4]), int(q[5])
            q_end = dt.date(y, qn * 3, calendar.monthrange(y, qn * 3)[1])
            complete = q_end + dt.timedelta(days=180) <= extract
            for r in range(6):
                b_sector.append(C.SECTORS[s])
                b_q.append(q)
                b_reg.append(C.REGION_CODES[r])
                b_amt.append(round(float(budget[s, r, qi]) * 100))
                p, nf, b = pts[s, r, qi] * allowed[s, r, qi], drug[s, r, qi] * allowed[s, r, qi], budget[s, r, qi]
                if p - nf <= 0:
                    continue
                err = 1 + rng.normal(0, 0.01)
                f_p, f_nf = p * err, nf * err
                fc_date = min(q_end + dt.timedelta(days=int(rng.integers(40, 60))), extract)
                pv_rows.append((C.SECTORS[s], q, C.REGION_CODES[r], "FORECAST",
                                (b - f_nf) / (f_p - f_nf), b / f_p, fc_date))  # fmt: skip
                if complete:
                    st_date = min(q_end + dt.timedelta(days=int(rng.integers(185, 200))), extract)
                    pv_rows.append((C.SECTORS[s], q, C.REGION_CODES[r], "SETTLED",
                                    (b - nf) / (p - nf), b / p, st_date))  # fmt: skip
    budget_tbl = pa.Table.from_arrays(
        [W.strs(b_sector), W.strs(b_q), W.strs(b_reg), W.decimal_array(np.array(b_amt), 18, 2)],
        schema=W.SCHEMAS["budget"],
    )
    fpv = np.array([row[4] for row in pv_rows])
    apv_ = np.array([row[5] for row in pv_rows])
    pv_tbl = pa.Table.from_arrays(
        [
            W.strs([row[0] for row in pv_rows]),
            W.strs([row[1] for row in pv_rows]),
            W.strs([row[2] for row in pv_rows]),
            W.strs([row[3] for row in pv_rows]),
            W.decimal_array(np.round(fpv * 10000), 8, 4),
            W.decimal_array(np.round(apv_ * 10000), 8, 4),
            W.date_array(np.array([day_number(row[6]) for row in pv_rows], dtype=np.int64)),
        ],
        schema=W.SCHEMAS["pv_announced"],
    )
    settled = [row for row in pv_rows if row[3] == "SETTLED"]
    own = pts.sum(axis=(1, 2)) - delivered.sum(axis=(1, 2))
    finance = {
        # 交付: points of pharmacy claims counted in the prescriber's sector (all quarters), and as a
        # share of the sector's own general-service points (source 002: hospitals 11.91 / 280.97 = 4.2 %)
        "delivered_points_by_sector": {C.SECTORS[s]: int(delivered[s].sum()) for s in range(4)},
        "delivered_share_of_own_points_by_sector": {
            C.SECTORS[s]: round(float(delivered[s].sum() / own[s]), 4) if own[s] > 0 else None for s in range(4)
        },
        "budget_basis": "cd general-service T_DOT"
        + (" + dd" if cfg.budget_includes_inpatient else "")
        + " after review deductions (交付 in the prescriber's sector and region)",
        "target_avg_pv_by_sector_region": {C.SECTORS[s]: [round(float(x), 4) for x in target[s]] for s in range(4)},
        "settled_float_pv_range": [round(min(r[4] for r in settled), 4), round(max(r[4] for r in settled), 4)]
        if settled
        else None,
        "settled_avg_pv_range": [round(min(r[5] for r in settled), 4), round(max(r[5] for r in settled), 4)]
        if settled
        else None,
    }
    return budget_tbl, pv_tbl, finance


# ------------------------------------------------------------------ bad rows and duplicates


def _pool_from_samples(results: list[dict], table: str) -> tuple[pa.Table, np.ndarray]:
    tables, parts = [], []
    for res in results:
        s = res["samples"].get(table)
        if s is not None and s.num_rows:
            tables.append(s)
            parts.append(np.full(s.num_rows, res["fee_ym"], dtype=object))
    if not tables:
        return (pa.Table.from_batches([], schema=W.SCHEMAS[table]), np.zeros(0, dtype=object))
    return pa.concat_tables(tables), np.concatenate(parts)


def _bad_rows(
    cfg: GeneratorConfig,
    rules: list[tuple[str, str]],
    rows: dict[str, int],
    pools: dict[str, tuple[pa.Table, np.ndarray]],
    first_quarter: str,
    context: dict | None = None,
) -> tuple[dict[str, dict[str, int]], list[str], dict[str, list]]:
    rng = np.random.default_rng(np.random.SeedSequence([int(cfg.seed), 3]))
    injected: dict[str, dict[str, int]] = {}
    unsupported: list[str] = []
    bad_by_table: dict[str, list] = {}
    counters: dict[str, int] = {}
    shuffled = {}
    for table, rule in rules:
        if table not in pools:
            unsupported.append(f"{table}.{rule} (table not generated)")
            continue
        injected.setdefault(table, {})
        if table not in shuffled:
            tbl, parts = pools[table]
            perm = rng.permutation(tbl.num_rows)
            shuffled[table] = (tbl.take(W.arr(perm.astype(np.int64))), parts[perm])
        pool, parts = shuffled[table]
        k = J.bad_count(cfg.bad_share, rows[table])
        if k == 0 or pool.num_rows == 0:
            injected[table][rule] = 0
            if k:
                unsupported.append(f"{table}.{rule} (no good row to copy)")
            continue
        offset = counters.get(table, 0)
        templates, tparts = J.cycle_templates(pool, parts, k, rng, offset)
        res = J.make_bad_rows(table, rule, templates, offset, first_quarter, context)
        if res is None:
            unsupported.append(f"{table}.{rule}")
            injected[table][rule] = 0
            continue
        counters[table] = offset + k
        bad_tbl, is_text = res
        bad_by_table.setdefault(table, []).append((bad_tbl, tparts, is_text))
        injected[table][rule] = k
    return injected, unsupported, bad_by_table


def _write_bad(cfg: GeneratorConfig, out: Path, bad_by_table: dict[str, list], singles: dict[str, pa.Table]) -> None:
    fmt = cfg.format
    for table in W.ALL_TABLES:
        entries = bad_by_table.get(table, [])
        if table in singles:
            good = singles[table]
            typed = [t for t, _p, is_text in entries if not is_text]
            text = [t for t, _p, is_text in entries if is_text]
            if fmt == "parquet":
                W.write(pa.concat_tables([good, *typed]), out, table, table, fmt)
                if text:
                    W.write_csv(pa.concat_tables(text), out / table / "late-fix-0.csv")
            else:
                allt = [J.text_table(good), *[J.text_table(t) for t in typed], *text]
                W.write_csv(pa.concat_tables(allt), _mk(out / table) / f"{table}.csv")
            continue
        by_part: dict[str, dict[str, list]] = {}
        for tbl, parts, is_text in entries:
            for p in np.unique(parts):
                sel = tbl.filter(W.bools(parts == p))
                slot = by_part.setdefault(p, {"typed": [], "text": []})
                slot["text" if is_text else "typed"].append(sel)
        for p, slot in by_part.items():
            folder = _mk(out / W.partition_dir(table, p))
            if fmt == "parquet":
                if slot["typed"]:
                    W.write(pa.concat_tables(slot["typed"]), out, W.partition_dir(table, p), "late-fix-0", fmt)
                if slot["text"]:
                    W.write_csv(pa.concat_tables(slot["text"]), folder / "late-fix-0.csv")
            else:
                allt = [J.text_table(t) for t in slot["typed"]] + slot["text"]
                W.write_csv(pa.concat_tables(allt), folder / "late-fix-0.csv")


def _mk(p: Path) -> Path:
    p.mkdir(parents=True, exist_ok=True)
    return p


def _duplicates(cfg: GeneratorConfig, out: Path, results: list[dict], rows: dict[str, int]) -> dict[str, int]:
    dups = {}
    for table in ("cd", "oo"):
        total = round(cfg.duplicate_share * rows[table])
        per_month = np.array([r["rows"][table] for r in results], dtype=float)
        alloc = J.allocate(total, per_month)
        written = 0
        for res, n in zip(results, alloc, strict=True):
            s = res["samples"].get(table)
            n = min(int(n), 0 if s is None else s.num_rows)
            if n <= 0:
                continue
            W.write(s.slice(0, n), out, W.partition_dir(table, res["fee_ym"]), "rerun-0", cfg.format)
            written += n
        dups[table] = written
    return dups
