"""The hospital prospective-budget inputs (前瞻式預算管理, domain spec §9): ``hosp_prospective`` for
the hospitals of the configured regions and ``prospective_region`` for those regions, for every
quarter that is settled by the extract date and whose base quarter (a year earlier) lies in
the span, built from the same claims the extract holds.

* 0階 base (BASE_POINTS): the hospital's HOSPITAL-sector general-service points of the base
  quarter (complete, before the extract cut) at the region's point value of that quarter (budget
  ÷ points) less 4-12 % of corrections (PVA, risk transfer; in 002, 114Q1's 0階 248.44億 is 0.90
  of 113Q1's general-service claims 276.33億).
* Protected points: 0.5-2 % of the quarter's points; OPD_SHARE: the base quarter's outpatient
  share of the points; staff from the institution's physicians (registered ≥ visiting), nurses
  2-3.5 per physician, both with a year's growth of about +2 % / +1 % ± 3 %; CMI about 1 with
  ±1-1.5 % growth; a fee adjustment for a third of the hospitals.
* Region: C = the budget table's HOSPITAL budget + D (the synthetic claims hold no 交付, so D is
  added on top: 4.4 % of C as on slide 15), E 0.12 % of C, F = the protected points + 0.1 % of
  C (自墊核退), B = the scheme hospitals' bases at 0.98 (slide 15: 243.41 / 248.44).
"""

from __future__ import annotations

import calendar
import datetime as dt

import numpy as np
import pyarrow as pa

from . import catalog as C
from . import writer as W
from .config import GeneratorConfig
from .world import Institutions

CLOSE_DAYS = 40  # a quarter is settled once its claims are closed (002: 114Q1 closed on 114-05-10)


def _quarter_end(quarter: str) -> dt.date:
    y, q = int(quarter[:4]), int(quarter[5])
    return dt.date(y, q * 3, calendar.monthrange(y, q * 3)[1])


def settled_quarters(span: list[tuple[int, int, int, int]], extract: dt.date) -> list[tuple[str, str]]:
    """(quarter, base quarter) pairs: both quarters wholly in the span, the quarter closed."""
    months: dict[str, int] = {}
    for y, m, *_ in span:
        q = f"{y}Q{(m - 1) // 3 + 1}"
        months[q] = months.get(q, 0) + 1
    whole = {q for q, n in months.items() if n == 3}
    pairs = []
    for q in sorted(whole):
        base = f"{int(q[:4]) - 1}{q[4:]}"
        if base in whole and _quarter_end(q) + dt.timedelta(days=CLOSE_DAYS) <= extract:
            pairs.append((q, base))
    return pairs


def _quarter_points(span: list[tuple[int, int, int, int]], results: list[dict], key: str) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for (y, m, *_), res in zip(span, results, strict=True):
        q = f"{y}Q{(m - 1) // 3 + 1}"
        out[q] = out.get(q, 0) + res[key]
    return out


def build(
    cfg: GeneratorConfig,
    span: list[tuple[int, int, int, int]],
    results: list[dict],
    inst: Institutions,
    budget_tbl: pa.Table,
    extract: dt.date,
) -> tuple[pa.Table, pa.Table, dict]:
    """The two input tables and a summary for the manifest."""
    rng = np.random.default_rng(np.random.SeedSequence([int(cfg.seed), 5]))
    opd = _quarter_points(span, results, "hosp_points")
    ipd = _quarter_points(span, results, "dd_hosp_points")
    budget = {
        (s, q, r): amt / 100
        for s, q, r, amt in zip(
            budget_tbl["SECTOR"].to_pylist(), budget_tbl["FEE_QUARTER"].to_pylist(),
            budget_tbl["AREA_NO_H"].to_pylist(), W.np_of(budget_tbl["BUDGET_AMT"]).tolist(), strict=True,
        )
    }  # fmt: skip
    hospital = np.isin(inst.type, C.HOSPITAL_TYPES)
    hp: dict[str, list] = {f.name: [] for f in W.SCHEMAS["hosp_prospective"]}
    pr: dict[str, list] = {f.name: [] for f in W.SCHEMAS["prospective_region"]}
    pairs = settled_quarters(span, extract)
    for region in cfg.prospective_regions:
        r = C.REGION_CODES.index(region)
        members = np.flatnonzero(hospital & (inst.region == r))
        for quarter, base in pairs:
            before = opd[base][members] + ipd[base][members]
            use = members[before > 0]
            if use.size == 0:
                continue
            base_pv = budget[("HOSPITAL", base, region)] / float(before.sum())
            n = use.size
            last = opd[base][use] + ipd[base][use]
            base_points = np.round(last * base_pv * rng.uniform(0.88, 0.96, n)).astype(np.int64)
            protected = np.round((opd[quarter][use] + ipd[quarter][use]) * rng.uniform(0.005, 0.02, n)).astype(np.int64)
            physicians = np.round(inst.phys_count[use] * rng.uniform(1.0, 1.3, n)).astype(np.int64)
            nurses = np.round(physicians * rng.uniform(2.0, 3.5, n)).astype(np.int64)
            opd_cmi_base = rng.uniform(0.9, 1.2, n)
            ipd_cmi_base = rng.uniform(0.9, 1.5, n)
            fee_adj = np.where(rng.random(n) < 1 / 3, rng.uniform(-0.003, 0.006, n), 0.0)
            hp["HOSP_ID"] += W.take(inst.hosp_id, use).to_pylist()
            hp["FEE_QUARTER"] += [quarter] * n
            hp["BASE_POINTS"] += base_points.tolist()
            hp["OPD_SHARE"] += np.round(opd[base][use] / last * 10_000).astype(np.int64).tolist()
            physicians_base = np.round(physicians / (1 + rng.normal(0.02, 0.03, n))).astype(np.int64)
            hp["REG_PHYSICIANS_BASE"] += physicians_base.tolist()
            hp["REG_PHYSICIANS"] += physicians.tolist()
            hp["NURSES_BASE"] += np.round(nurses / (1 + rng.normal(0.01, 0.03, n))).astype(np.int64).tolist()
            hp["NURSES"] += nurses.tolist()
            hp["OPD_CMI_BASE"] += np.round(opd_cmi_base * 10_000).astype(np.int64).tolist()
            hp["OPD_CMI"] += np.round(opd_cmi_base * (1 + rng.normal(0, 0.01, n)) * 10_000).astype(np.int64).tolist()
            hp["IPD_CMI_BASE"] += np.round(ipd_cmi_base * 10_000).astype(np.int64).tolist()
            hp["IPD_CMI"] += np.round(ipd_cmi_base * (1 + rng.normal(0, 0.015, n)) * 10_000).astype(np.int64).tolist()
            hp["FEE_ADJ_RATE"] += np.round(fee_adj * 1_000_000).astype(np.int64).tolist()
            hp["PROTECTED_POINTS"] += protected.tolist()
            hp["BASE_AVG_PV"] += [round(base_pv * 10_000)] * n
            hospital_budget = budget[("HOSPITAL", quarter, region)]
            delivered = round(hospital_budget * 0.044 / 0.956, 2)
            total = hospital_budget + delivered
            pr["AREA_NO_H"].append(region)
            pr["FEE_QUARTER"].append(quarter)
            pr["BUDGET_AMT"].append(round(total * 100))
            pr["DELIVERED_AMT"].append(round(delivered * 100))
            pr["PRIOR_PAID_AMT"].append(round(total * 0.0012 * 100))
            pr["EXCLUDED_AMT"].append(round((float(protected.sum()) + total * 0.001) * 100))
            pr["BASE_INCOME_AMT"].append(round(float(base_points.sum()) * 0.98 * 100))
    hp_tbl, pr_tbl = _tables(hp, pr)
    return hp_tbl, pr_tbl, _summary(hp, pr, pairs, cfg)


def _tables(hp: dict[str, list], pr: dict[str, list]) -> tuple[pa.Table, pa.Table]:
    def column(schema: pa.Schema, name: str, values: list) -> pa.Array:
        typ = schema.field(name).type
        if pa.types.is_decimal(typ):
            return W.decimal_array(np.array(values, dtype=np.int64), typ.precision, typ.scale)
        if typ == pa.string():
            return W.strs(values)
        return W.arr(np.array(values, dtype=np.int64 if typ == W.I64 else np.int32), typ)

    hp_schema, pr_schema = W.SCHEMAS["hosp_prospective"], W.SCHEMAS["prospective_region"]
    hp_tbl = pa.Table.from_arrays([column(hp_schema, f.name, hp[f.name]) for f in hp_schema], schema=hp_schema)
    pr_tbl = pa.Table.from_arrays([column(pr_schema, f.name, pr[f.name]) for f in pr_schema], schema=pr_schema)
    return hp_tbl, pr_tbl


def _summary(hp: dict[str, list], pr: dict[str, list], pairs: list[tuple[str, str]], cfg: GeneratorConfig) -> dict:
    return {
        "regions": list(cfg.prospective_regions),
        "quarters": [q for q, _ in pairs],
        "hospital_rows": len(hp["HOSP_ID"]),
        "region_rows": len(pr["AREA_NO_H"]),
    }
