"""One fee month: random acute visits plus the planned visits -> cd, oo, dd, lab_upload.

Runs in a worker process (fork) or inline. All large work is vectorised with numpy; strings
are produced by Arrow ``take`` from small dictionaries (institutions, codes, persons), never
by Python loops over rows.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import ArrayLike

from . import catalog as C
from . import open_list as OL
from . import writer as W
from .world import PART_CODES

_STATE: dict = {}

# Visit categories of acute visits and their shares by age band (<7, 7-19, 20-44, 45-64, 65+).
CAT_WM, CAT_HOSP, CAT_ER, CAT_TCM, CAT_DEN, CAT_PHA = range(6)
CAT_P = np.array(
    [
        [0.78, 0.075, 0.02, 0.02, 0.105, 0.0],
        [0.615, 0.10, 0.015, 0.08, 0.18, 0.01],
        [0.565, 0.14, 0.015, 0.12, 0.14, 0.02],
        [0.52, 0.22, 0.015, 0.10, 0.085, 0.06],
        [0.45, 0.29, 0.02, 0.07, 0.05, 0.12],
    ]
)
# 交付 (prescriptions dispensed elsewhere): every pharmacy claim carries ORIG_HOSP_ID, the
# institution that wrote the prescription - a hospital of the patient's region with this
# probability, else the patient's home clinic. With the pharmacy shares of CAT_P above this puts
# hospital-prescribed points at ~4 % of the hospital sector's own general-service points, as in
# source 002 (中區 hospitals released 11.91億 of 280.97億 points in 114Q1: 4.2 %). The clinic
# share has no published figure (assumed).
DELIVERED_FROM_HOSPITAL = 0.7
CAT_CUM = np.cumsum(CAT_P / CAT_P.sum(axis=1, keepdims=True), axis=1)
# (case codes, settings, weights) per category.
CAT_CASES = {
    # a few clinic emergency cases (02): out of the re-execution scope (「排除代辦、急診」)
    CAT_WM: (["01", "04", "09", "08", "02"], [C.S_WM_ACUTE, C.S_WM_CHRONIC, C.S_OTHER, C.S_REFILL, C.S_WM_ACUTE],
             [0.835, 0.08, 0.05, 0.03, 0.005]),
    CAT_HOSP: (["01", "04", "09", "08"],
               [C.S_HOSP_OPD, C.S_HOSP_CHRONIC, C.S_OTHER, C.S_REFILL], [0.77, 0.14, 0.03, 0.06]),
    CAT_ER: (["02"], [C.S_ER], [1.0]),
    CAT_TCM: (["21", "29", "22", "24", "30"], [C.S_TCM, C.S_TCM_ACU, C.S_TCM, C.S_TCM, C.S_TCM],
              [0.66, 0.28, 0.03, 0.02, 0.01]),
    CAT_DEN: (["11", "12", "13", "14", "15", "16", "19"], [C.S_DENTAL] * 7,
              [0.86, 0.02, 0.01, 0.02, 0.04, 0.02, 0.03]),
    CAT_PHA: (["08"], [C.S_REFILL], [1.0]),
}  # fmt: skip
SET_ICD_GROUP = ["acute", "chronic_other", "acute", "chronic_other", "acute", "chronic_other",
                 "er", "tcm", "tcm", "dental", "dialysis", "acute"]  # fmt: skip
HOSP_LEVEL_P = np.array([0.3, 0.35, 0.35])

# Points: consultation (診察費) by setting x institution type; co-payment (部分負擔).
_DIAG_ROW = [380, 320, 280, 335, 320, 260, 0, 0]
DIAG_BASE = np.zeros((C.N_SETTINGS, C.N_TYPES), dtype=np.int64)
for _s in (C.S_WM_ACUTE, C.S_WM_CHRONIC, C.S_OTHER, C.S_HOSP_OPD, C.S_HOSP_CHRONIC):
    DIAG_BASE[_s] = _DIAG_ROW
DIAG_BASE[C.S_ER] = [800, 650, 480, 335, 335, 335, 0, 0]
DIAG_BASE[C.S_TCM] = DIAG_BASE[C.S_TCM_ACU] = 320
DIAG_BASE[C.S_DENTAL] = 260
COPAY = np.zeros((C.N_SETTINGS, C.N_TYPES), dtype=np.int64)
for _s in (C.S_WM_ACUTE, C.S_WM_CHRONIC, C.S_OTHER, C.S_HOSP_OPD, C.S_HOSP_CHRONIC,
           C.S_TCM, C.S_TCM_ACU, C.S_DENTAL):  # fmt: skip
    COPAY[_s] = [420, 240, 80, 50, 50, 50, 0, 0]
COPAY[C.S_ER] = [550, 300, 150, 150, 150, 150, 0, 0]
COPAY_REFERRED = np.array([170, 100, 50, 50, 50, 50, 0, 0])
DRUG_COPAY_SETTINGS = np.zeros(C.N_SETTINGS, dtype=bool)
DRUG_COPAY_SETTINGS[[C.S_WM_ACUTE, C.S_WM_CHRONIC, C.S_OTHER, C.S_HOSP_OPD,
                     C.S_HOSP_CHRONIC, C.S_ER]] = True  # fmt: skip
REGION_DEDUCT = np.array([1.0, 0.8, 1.2, 0.9, 1.1, 1.4])
UPLOAD_P = np.array([0.96, 0.94, 0.91, 0.5, 0.3, 0.3, 0.3, 0.9])
# Images are uploaded far less by clinics (source 003: 基層 0.67 % against 80-94 % in hospitals).
UPLOAD_P_IMAGE = np.array([0.94, 0.89, 0.80, 0.02, 0.02, 0.02, 0.0, 0.0])
DD_CASES = W.strs(["1", "4", "5"])

CASE_ARROW = W.strs(C.CASE_CODES)
ICD_ARROW = W.strs(C.ICD_CODES)
FT_ARROW = W.strs(C.FUNC_TYPES)
OTYPE_ARROW = W.strs(C.ORDER_TYPES)
APPL_ARROW = W.strs(["1", "2"])
CHANNEL_ARROW = W.strs(["HIS", "IAU", "IIX"])
SEX_ARROW = W.strs(["F", "M"])
PART_ARROW = W.strs(PART_CODES[1:])  # part code 0 = ordinary (empty)
US_PER_DAY = 86_400_000_000
US_PER_HOUR = 3_600_000_000


def set_state(**state: Any) -> None:
    _STATE.clear()
    _STATE.update(state)


def _mixture(rng: np.random.Generator, n: int, parts: list[tuple[float, float, float]]) -> np.ndarray:
    w = np.array([p[2] for p in parts], dtype=float)
    comp = rng.choice(len(parts), size=n, p=w / w.sum())
    lo = np.array([p[0] for p in parts], dtype=float)[comp]
    hi = np.array([p[1] for p in parts], dtype=float)[comp]
    return lo + rng.random(n) * (hi - lo)


def _within(counts: np.ndarray) -> np.ndarray:
    """For lines laid out with np.repeat(arange(n), counts): index of each line in its group."""
    total = int(counts.sum())
    starts = np.cumsum(counts) - counts
    return np.arange(total) - np.repeat(starts, counts)


def _choose(rng: np.random.Generator, values: ArrayLike, weights: ArrayLike, n: int) -> np.ndarray:
    """n weighted draws from ``values`` (lookup table, resolution 1/4096)."""
    lut = np.asarray(values)[C.lookup_table(weights, 12)]
    return lut[rng.integers(0, 4096, size=n)]


def run_month(i: int) -> dict:
    st = _STATE
    cfg, inst, persons, codes, plan = st["cfg"], st["inst"], st["persons"], st["codes"], st["plan"]
    span, out = st["span"], Path(st["out"])
    t_start = time.perf_counter()
    timings: dict[str, float] = {}
    t_last = [time.process_time()]

    def tick(name: str) -> None:
        now = time.process_time()
        timings[name] = round(now - t_last[0], 3)
        t_last[0] = now

    rng = np.random.default_rng(np.random.SeedSequence([int(cfg.seed), 1, i]))
    # samples for the final pass use their own stream: the good rows do not depend on the
    # bad-row and duplicate shares
    srng = np.random.default_rng(np.random.SeedSequence([int(cfg.seed), 4, i]))
    year, month, first_day, ndays = span[i]
    month_end = first_day + ndays - 1
    fee_ym = f"{year}{month:02d}"
    extract_day = st["extract_day"]

    # ------------------------------------------------------------ acute visits
    season = 1.0 + 0.08 * math.cos(2 * math.pi * (month - 1) / 12)
    growth = 1.03 ** (i / 12)
    counts = rng.poisson(persons.rate * (season * growth / 12.0))
    a_person = np.repeat(np.arange(persons.n, dtype=np.int64), counts)
    na = a_person.size
    a_day = first_day + rng.integers(0, ndays, na)
    band = np.digitize(persons.age[a_person], [7, 20, 45, 65])
    cat = (rng.random(na)[:, None] > CAT_CUM[band]).sum(axis=1)
    cat = np.minimum(cat, 5)
    reg = persons.region[a_person].astype(np.int64)
    away = rng.random(na) < 0.07
    reg[away] = rng.choice(6, size=int(away.sum()), p=C.REGION_SHARES / C.REGION_SHARES.sum())
    a_h = np.empty(na, dtype=np.int64)
    u_home, u_pick = rng.random(na), rng.random(na)
    for c, t, p_home in ((CAT_WM, C.T_WM, 0.55), (CAT_TCM, C.T_TCM, 0.6),
                         (CAT_DEN, C.T_DEN, 0.6), (CAT_PHA, C.T_PHA, 0.7)):  # fmt: skip
        s = np.flatnonzero(cat == c)
        home = persons.home[t][a_person[s]]
        picked = inst.pick(t, reg[s], u_pick[s])
        a_h[s] = np.where((u_home[s] < p_home) & ~away[s], home, picked)
    hosp_cat = (cat == CAT_HOSP) | (cat == CAT_ER)
    lvl = _choose(rng, [C.T_MC, C.T_RH, C.T_DH], HOSP_LEVEL_P, na)
    for t in (C.T_MC, C.T_RH, C.T_DH):
        s = np.flatnonzero(hosp_cat & (lvl == t))
        a_h[s] = inst.pick(t, reg[s], u_pick[s])
    a_h = inst.remap(a_h, a_day)
    a_case = np.empty(na, dtype=np.int8)
    a_set = np.empty(na, dtype=np.int8)
    for c, (cases, settings, w) in CAT_CASES.items():
        s = np.flatnonzero(cat == c)
        j = _choose(rng, np.arange(len(w)), w, s.size)
        a_case[s] = np.array([C.CASE[x] for x in cases], dtype=np.int8)[j]
        a_set[s] = np.array(settings, dtype=np.int8)[j]
    a_icd1 = np.empty(na, dtype=np.int32)
    for s_id, group in enumerate(SET_ICD_GROUP):
        s = np.flatnonzero(a_set == s_id)
        if s.size:
            a_icd1[s] = C.ICD[group].sample(rng, s.size)

    tick("acute")
    # ------------------------------------------------------------ planned visits
    pv, pl = plan.month_slice(i)
    npl = pv["person"].size
    person = np.concatenate([a_person, pv["person"]])
    h = np.concatenate([a_h, pv["hosp"]])
    day = np.concatenate([a_day, pv["day"]])
    case = np.concatenate([a_case, pv["case"]])
    setting = np.concatenate([a_set, pv["setting"]])
    icd1 = np.concatenate([a_icd1, pv["icd1"]])
    icd2 = np.concatenate([np.full(na, -1, np.int32), pv["icd2"]])
    phys = np.concatenate([np.full(na, -1, np.int64), pv["phys"]])
    rand_services = np.concatenate([np.ones(na, bool), pv["rand_services"]])
    referred = np.concatenate([np.zeros(na, bool), pv["referred"]])
    planned = np.concatenate([np.zeros(na, bool), np.ones(npl, bool)])
    m = person.size

    order = np.argsort((h * ndays + (day - first_day)) * persons.n + person, kind="stable")
    inverse = np.empty_like(order)
    inverse[order] = np.arange(m)
    person, h, day, case, setting = person[order], h[order], day[order], case[order], setting[order]
    icd1, icd2, phys = icd1[order], icd2[order], phys[order]
    rand_services, referred, planned = rand_services[order], referred[order], planned[order]
    htype = inst.type[h]
    is_hosp = htype <= C.T_DH
    orig = _prescribers(cfg.seed, i, h, person, day)

    wm_like = (setting != C.S_DENTAL) & (setting != C.S_E1) & (setting != C.S_DIALYSIS)
    need2 = (icd2 < 0) & wm_like & (rng.random(m) < 0.25)
    icd2[need2] = C.ICD["secondary"].sample(rng, int(need2.sum()))
    icd2[icd2 == icd1] = -1
    icd3 = np.full(m, -1, np.int32)
    need3 = (icd2 >= 0) & (rng.random(m) < 0.3)
    icd3[need3] = C.ICD["secondary"].sample(rng, int(need3.sum()))
    icd3[(icd3 == icd2) | (icd3 == icd1)] = -1
    phys = np.where(phys < 0, inst.physician(h, rng.random(m)), phys)
    func_type = inst.specialty[h].astype(np.int64)
    hs_ft = _choose(rng, *HOSP_FT, m)
    func_type = np.where(is_hosp, hs_ft, func_type)
    func_type[setting == C.S_ER] = C.FT["22"]
    chronic_hosp = is_hosp & np.isin(setting, [C.S_HOSP_CHRONIC, C.S_DIALYSIS, C.S_E1])
    func_type[chronic_hosp] = C.FT["02"]

    tick("merge")
    # claim key, filing
    new_run = np.ones(m, dtype=bool)
    new_run[1:] = h[1:] != h[:-1]
    run_start = np.flatnonzero(new_run)
    seq_no = (np.arange(m) - run_start[np.cumsum(new_run) - 1] + 1).astype(np.int32)
    appl_type2 = rng.random(m) < 0.02
    lag1 = np.round(_mixture(rng, inst.n, [(5, 20, 0.55), (21, 35, 0.3), (36, 45, 0.1),
                                            (46, 75, 0.05)])).astype(np.int64)  # fmt: skip
    lag2 = rng.integers(60, 181, inst.n)
    appl = month_end + np.where(appl_type2, lag2[h], lag1[h])

    tick("keys")
    # ------------------------------------------------------------ order lines
    has_drug = rng.random(m) < C.SET_P_DRUG[setting]
    nd = has_drug * (C.SET_DRUG_BASE[setting] + rng.binomial(C.SET_DRUG_N[setting], C.SET_DRUG_P[setting]))
    days = np.zeros(m, dtype=np.int64)
    for s_id, (vals, w) in enumerate(C.SET_DRUG_DAYS):
        s = np.flatnonzero(setting == s_id)
        days[s] = _choose(rng, vals, w, s.size)
    sets = []  # (claim, code, qty, dot, otype, exe_us or -1)

    # drugs
    d_claim = np.repeat(np.arange(m), nd)
    pool = C.SET_POOL[setting][d_claim]
    upgrade = np.isin(htype[d_claim], [C.T_MC, C.T_RH]) & (pool <= 1) & (rng.random(d_claim.size) < 0.12)
    pool[upgrade] = 4
    pool_names = ["drug_acute", "drug_chronic", "drug_tcm", "drug_dialysis", "drug_hospital"]
    d_code = np.empty(d_claim.size, dtype=np.int32)
    d_qty = np.empty(d_claim.size, dtype=np.int64)
    d_days = days[d_claim]
    for p_id, name in enumerate(pool_names):
        s = np.flatnonzero(pool == p_id)
        d_code[s] = codes.pools[name].sample(rng, s.size)
        if name == "drug_tcm":
            d_qty[s] = d_days[s] * rng.integers(2, 13, s.size) * 50
        elif name == "drug_dialysis":
            d_qty[s] = rng.integers(4, 14, s.size) * 100
        else:
            per_day = _choose(rng, [50, 100, 150, 200, 300, 400], [0.1, 0.35, 0.1, 0.15, 0.25, 0.05], s.size)
            d_qty[s] = d_days[s] * per_day
    d_dot = (codes.points[d_code] * d_qty + 5000) // 10000
    sets.append((d_claim, d_code, d_qty, d_dot, np.full(d_claim.size, C.OT_DRUG, np.int8), None))

    # not separately priced lines (ORDER_TYPE 4)
    n4 = np.flatnonzero((nd > 0) & (rng.random(m) < 0.03))
    sets.append((n4, codes.pools["drug_acute"].sample(rng, n4.size), np.full(n4.size, 100, np.int64),
                 np.zeros(n4.size, np.int64), np.full(n4.size, C.OT_NOT_PRICED, np.int8), None))  # fmt: skip

    tick("drugs")
    # procedures
    extra = np.zeros(m, dtype=np.int64)
    tcm_acu = setting == C.S_TCM_ACU
    dental = setting == C.S_DENTAL
    extra[tcm_acu] = rng.binomial(1, 0.4, int(tcm_acu.sum()))
    extra[dental] = rng.binomial(2, 0.4, int(dental.sum()))
    n_proc = (rng.random(m) < C.SET_P_PROC[setting]) * (1 + extra)
    p_claim = np.repeat(np.arange(m), n_proc)
    p_set = setting[p_claim]
    p_code = np.empty(p_claim.size, dtype=np.int32)
    for name, mask in (("proc_tcm", (p_set == C.S_TCM) | (p_set == C.S_TCM_ACU)),
                       ("proc_dental", p_set == C.S_DENTAL)):  # fmt: skip
        s = np.flatnonzero(mask)
        p_code[s] = codes.pools[name].sample(rng, s.size)
    s = np.flatnonzero((p_set != C.S_TCM) & (p_set != C.S_TCM_ACU) & (p_set != C.S_DENTAL))
    p_code[s] = codes.pools["proc_wm"].sample(rng, s.size)
    sets.append((p_claim, p_code, np.full(p_claim.size, 100, np.int64), codes.points[p_code],
                 np.full(p_claim.size, C.OT_SERVICE, np.int8), None))  # fmt: skip

    # labs and imaging on acute visits
    lab_mean = C.SET_LAB_MEAN[setting] * C.LEVEL_LAB_FACTOR[htype] * rand_services
    n_lab = rng.poisson(lab_mean)
    l_claim = np.repeat(np.arange(m), n_lab)
    l_code = np.empty(l_claim.size, dtype=np.int32)
    l_hosp = is_hosp[l_claim]
    s = np.flatnonzero(l_hosp)
    l_code[s] = codes.pools["lab_hospital"].sample(rng, s.size)
    s = np.flatnonzero(~l_hosp)
    l_code[s] = codes.pools["lab_clinic"].sample(rng, s.size)
    sets.append((l_claim, l_code, np.full(l_claim.size, 100, np.int64), codes.points[l_code],
                 np.full(l_claim.size, C.OT_SERVICE, np.int8), "exe"))  # fmt: skip

    tick("services")
    # planned lines (lab panels, P-codes, referral fees, dialysis sessions, inhalers)
    pc_claim = inverse[na + pl["visit"]]
    po = np.argsort(pc_claim, kind="stable")
    pc_claim = pc_claim[po]
    sets.append((pc_claim, pl["code"][po], pl["qty"][po], pl["dot"][po], pl["otype"][po],
                 np.where(pl["exe"][po], 1, 0)))  # fmt: skip

    # referral fee codes without a platform referral (~2 %)
    fee_exp = plan.fee_lines_per_month[i] * (0.02 / 0.98)
    acute_idx = ~planned
    cands = [
        np.flatnonzero(acute_idx & (setting == C.S_WM_ACUTE) & (htype == C.T_WM)),
        np.flatnonzero(acute_idx & (setting == C.S_HOSP_OPD)),
        np.flatnonzero(acute_idx & (setting == C.S_HOSP_OPD) & ((htype == C.T_MC) | (htype == C.T_RH))),
    ]
    u_claim, u_code = [], []
    for j, fee_code in enumerate(C.REFERRAL_FEE_CODES):
        k = min(int(rng.poisson(fee_exp[j])), cands[j].size)
        if k:
            u_claim.append(rng.choice(cands[j], size=k, replace=False))
            u_code.append(np.full(k, codes.idx(fee_code), np.int32))
    if u_claim:
        uc = np.concatenate(u_claim)
        ucode = np.concatenate(u_code)
        uo = np.argsort(uc, kind="stable")
        uc, ucode = uc[uo], ucode[uo]
    else:
        uc, ucode = np.zeros(0, np.int64), np.zeros(0, np.int32)
    n_unbacked = int(uc.size)
    sets.append((uc, ucode, np.full(uc.size, 100, np.int64), np.zeros(uc.size, np.int64),
                 np.full(uc.size, C.OT_SERVICE, np.int8), None))  # fmt: skip

    # open-list items (西醫基層開放表別) on clinic and hospital outpatient claims, from their own
    # random stream so that the rest of the extract does not depend on them
    ol_claim, ol_code = OL.sample_lines(
        np.random.default_rng(np.random.SeedSequence([int(cfg.seed), 7, i])),
        codes.open_list, codes.open_list_index, dt.date(year, month, 1),
        np.flatnonzero((setting == C.S_WM_ACUTE) & (htype == C.T_WM)),
        np.flatnonzero(setting == C.S_HOSP_OPD),
    )  # fmt: skip
    sets.append((ol_claim, ol_code, np.full(ol_claim.size, 100, np.int64), codes.points[ol_code],
                 np.full(ol_claim.size, C.OT_SERVICE, np.int8), None))  # fmt: skip

    tick("planned_lines")
    # lay the lines out claim by claim
    per_set = [np.bincount(s_[0], minlength=m) for s_ in sets]
    total_lines = np.sum(per_set, axis=0)
    offsets = np.cumsum(total_lines) - total_lines
    n_lines = int(total_lines.sum())
    L_claim = np.empty(n_lines, dtype=np.int64)
    L_code = np.empty(n_lines, dtype=np.int32)
    L_qty = np.empty(n_lines, dtype=np.int64)
    L_dot = np.empty(n_lines, dtype=np.int64)
    L_type = np.empty(n_lines, dtype=np.int8)
    L_exe = np.zeros(n_lines, dtype=bool)
    prior = np.zeros(m, dtype=np.int64)
    for (c_, code_, qty_, dot_, ot_, exe_), cnt in zip(sets, per_set, strict=True):
        if c_.size:
            starts = np.cumsum(cnt) - cnt
            rank = np.arange(c_.size) - starts[c_]
            pos = offsets[c_] + prior[c_] + rank
            L_claim[pos], L_code[pos], L_qty[pos], L_dot[pos], L_type[pos] = c_, code_, qty_, dot_, ot_
            if isinstance(exe_, str):
                L_exe[pos] = rng.random(c_.size) < 0.92
            elif exe_ is not None:
                L_exe[pos] = (exe_ == 1) & (rng.random(c_.size) < 0.95)
        prior += cnt
    order_seq = (np.arange(n_lines) - offsets[L_claim] + 1).astype(np.int32)
    del sets, per_set, prior, d_claim, d_code, d_qty, d_dot, d_days, pool, p_claim, p_code, l_claim, l_code
    exe_us = np.full(n_lines, -1, dtype=np.int64)
    ex = np.flatnonzero(L_exe)
    later = is_hosp[L_claim[ex]] & codes.is_imaging[L_code[ex]] & (rng.random(ex.size) < 0.05)
    exe_day = day[L_claim[ex]] + later * rng.integers(1, 15, ex.size)
    exe_us[ex] = exe_day * US_PER_DAY + (8 * 3600 + rng.integers(0, 10 * 3600, ex.size)) * 1_000_000

    tick("layout")
    # ------------------------------------------------------------ claim points
    drug_line = L_type == C.OT_DRUG
    drug_dot = np.bincount(L_claim[drug_line], weights=L_dot[drug_line], minlength=m).astype(np.int64)
    svc_line = (L_type == C.OT_SERVICE) | (L_type == C.OT_MATERIAL)
    treat_dot = np.bincount(L_claim[svc_line], weights=L_dot[svc_line], minlength=m).astype(np.int64)
    n_drug_lines = np.bincount(L_claim[drug_line], minlength=m)
    has_drugs = n_drug_lines > 0
    tier = _choose(rng, [1.0, 0.88, 0.75], [0.6, 0.25, 0.15], m)
    diag_dot = np.round(DIAG_BASE[setting, htype] * tier).astype(np.int64)
    diag_dot[setting == C.S_ER] += rng.integers(0, 21, int((setting == C.S_ER).sum())) * 10
    clinic_fee = _choose(rng, [35, 48], [0.4, 0.6], m)
    hosp_fee = np.where(days <= 7, 54, np.where(days <= 14, 66, 75))
    pharm_fee = np.where(days >= 28, 69, 48)
    dsvc = np.where(is_hosp, hosp_fee, np.where(htype == C.T_PHA, pharm_fee, clinic_fee))
    dsvc_dot = np.where(has_drugs & (setting != C.S_E1), dsvc, 0).astype(np.int64)
    drug_day = np.where(has_drugs, days, 0).astype(np.int32)
    t_dot = drug_dot + diag_dot + treat_dot + dsvc_dot
    part = persons.part_code[person]
    base_copay = np.where(referred & is_hosp, COPAY_REFERRED[htype], COPAY[setting, htype])
    drug_copay = np.where(DRUG_COPAY_SETTINGS[setting] & (drug_dot > 100), np.minimum(200, (drug_dot // 50) * 10), 0)
    part_amt = np.where(part > 0, 0, np.minimum(base_copay + drug_copay, t_dot)).astype(np.int64)
    t_appl = t_dot - part_amt
    reviewed = appl <= extract_day - 60
    p_ded = 0.04 * REGION_DEDUCT[inst.region[h]]
    ded = np.where(rng.random(m) < p_ded, np.round(t_appl * rng.uniform(0.03, 0.12, m)), 0).astype(np.int64)
    deduct_null = ~reviewed

    # budget base (complete, before the extract cut): general service by sector and region; a
    # 交付 claim counts in its prescriber's sector and region
    attributed = np.where(orig >= 0, orig, h)
    a_type = inst.type[attributed]
    sector = np.where(
        C.CASE_IS_DENTAL[case],
        C.SEC_DENTAL,
        np.where(C.CASE_IS_TCM[case], C.SEC_TCM,
                 np.where(a_type <= C.T_DH, C.SEC_HOSP, np.where(a_type == C.T_WM, C.SEC_WM, -1))),
    )  # fmt: skip
    general = (sector >= 0) & (case != C.CASE["E1"]) & (case != C.CASE["05"])
    cell = sector[general] * 6 + inst.region[attributed][general]
    pts = np.bincount(cell, weights=t_dot[general], minlength=24).reshape(4, 6)
    delivered = general & (orig >= 0)
    cell_d = sector[delivered] * 6 + inst.region[attributed][delivered]
    delivered_pts = np.bincount(cell_d, weights=t_dot[delivered], minlength=24).reshape(4, 6)
    # per institution, HOSPITAL sector (the prospective-budget inputs are built from these)
    hosp_general = general & (sector == C.SEC_HOSP)
    hosp_pts = np.bincount(attributed[hosp_general], weights=t_dot[hosp_general], minlength=inst.n)
    # review deductions (the marts settle on points after them) and protected claims (保障項目:
    # every point non-floating, seed point_value_protected_items)
    ded_pts = np.bincount(cell, weights=np.minimum(ded, t_dot)[general], minlength=24).reshape(4, 6)
    nonfloat = drug_dot.copy()
    for rule in st["protected_cases"]:
        if rule.fee_year != year or rule.setting not in (None, "OUTPATIENT") or rule.case_type not in C.CASE:
            continue
        hit = (case == C.CASE[rule.case_type]) & (sector == C.SECTORS.index(rule.sector))
        if rule.hosp_cont_type is not None:
            hit &= np.array(C.TYPE_CONT)[a_type] == rule.hosp_cont_type
        nonfloat = np.where(hit, t_dot, nonfloat)
    drug_pts = np.bincount(cell, weights=nonfloat[general], minlength=24).reshape(4, 6)

    tick("points")
    # ------------------------------------------------------------ write cd and oo
    written = appl <= extract_day
    wi = np.flatnonzero(written)
    n_w = wi.size
    hw, aw, cw = h[wi], appl_type2[wi].astype(np.int32), case[wi]
    cd = pa.Table.from_arrays(
        [
            W.dict_const(fee_ym, n_w), W.dict_take(APPL_ARROW, aw), W.date_array(appl[wi]),
            W.dict_take(inst.hosp_id, hw), W.dict_take(CASE_ARROW, cw), W.arr(seq_no[wi]),
            W.take(persons.ids, person[wi]), W.date_array(persons.birth[person[wi]]),
            W.dict_take(SEX_ARROW, persons.male[person[wi]].astype(np.int32)), W.date_array(day[wi]),
            W.dict_take(FT_ARROW, func_type[wi]), W.dict_take(st["phys_ids"], phys[wi]),
            W.dict_take(ICD_ARROW, icd1[wi]), W.dict_take(ICD_ARROW, icd2[wi]),
            W.dict_take(ICD_ARROW, icd3[wi]), W.dict_take(PART_ARROW, part[wi] - 1),
            W.arr(drug_day[wi]), W.arr(drug_dot[wi]), W.arr(diag_dot[wi]), W.arr(treat_dot[wi]),
            W.arr(dsvc_dot[wi]), W.arr(t_dot[wi]), W.arr(part_amt[wi]), W.arr(t_appl[wi]),
            W.arr(ded[wi], mask=deduct_null[wi]),
            W.dict_take(inst.hosp_id, orig[wi]),
        ],
        names=W.SCHEMAS["cd"].names,
    )  # fmt: skip
    fmt = cfg.format
    W.write(cd, out, W.partition_dir("cd", fee_ym), "part-0", fmt)
    samples = {"cd": _sample(srng, cd, "cd")}
    del cd

    tick("write_cd")
    # order lines of the written claims
    li = np.flatnonzero(written[L_claim])
    lcl = L_claim[li]
    oo = pa.Table.from_arrays(
        [
            W.dict_const(fee_ym, li.size), W.dict_take(APPL_ARROW, appl_type2[lcl].astype(np.int32)),
            W.date_array(appl[lcl]), W.dict_take(inst.hosp_id, h[lcl]), W.dict_take(CASE_ARROW, case[lcl]),
            W.arr(seq_no[lcl]), W.arr(order_seq[li]), W.dict_take(OTYPE_ARROW, L_type[li]),
            W.dict_take(codes.arrow, L_code[li]), W.decimal_array(L_qty[li], 9, 2),
            W.arr(L_dot[li]), W.ts_array(exe_us[li], mask=exe_us[li] < 0),
        ],
        names=W.SCHEMAS["oo"].names,
    )  # fmt: skip
    W.write(oo, out, W.partition_dir("oo", fee_ym), "part-0", fmt)
    samples["oo"] = _sample(srng, oo, "oo")
    del oo

    tick("write_oo")
    # ------------------------------------------------------------ lab uploads
    lab = np.flatnonzero(codes.is_lab[L_code] & (L_type == C.OT_SERVICE))
    lab_type = htype[L_claim[lab]]
    p_upload = np.where(codes.is_imaging[L_code[lab]], UPLOAD_P_IMAGE[lab_type], UPLOAD_P[lab_type])
    lab = lab[rng.random(lab.size) < p_upload]
    lc = L_claim[lab]
    base_us = np.where(
        exe_us[lab] >= 0,
        exe_us[lab],
        day[lc] * US_PER_DAY + (9 * 3600 + rng.integers(0, 8 * 3600, lab.size)) * 1_000_000,
    )
    img = codes.is_imaging[L_code[lab]]
    rep_h = np.where(img, rng.uniform(2, 72, lab.size), rng.uniform(1, 30, lab.size))
    report_s = (base_us + (rep_h * US_PER_HOUR).astype(np.int64)) // 1_000_000
    up_h = _mixture(rng, lab.size, [(0.1, 23.9, 0.78), (24, 72, 0.14), (72, 720, 0.08)])
    upload_s = report_s + (up_h * 3600).astype(np.int64)
    order_h = h[lc]
    # a laboratory uploads for a western-medicine clinic (its 代檢, through IIX) — lab tests only
    via_lab = (inst.type[order_h] == C.T_WM) & ~img & (rng.random(lab.size) < 0.35)
    uploader = order_h.copy()
    if via_lab.any():
        labs_h = inst.pick(C.T_LAB, inst.region[order_h[via_lab]], rng.random(int(via_lab.sum())))
        uploader[via_lab] = inst.remap(labs_h, day[lc][via_lab])
    channel = np.where(
        via_lab, 2, np.where(is_hosp[lc], (rng.random(lab.size) < 0.07).astype(int),
                             (rng.random(lab.size) < 0.6).astype(int)),
    )  # fmt: skip
    again = rng.random(lab.size) < 0.01
    if again.any():
        ra = np.flatnonzero(again)
        lab, lc, report_s, uploader, order_h, channel = (
            np.concatenate([x, x[ra]]) for x in (lab, lc, report_s, uploader, order_h, channel)
        )
        upload_s = np.concatenate([upload_s, upload_s[ra] + rng.integers(3600, 5 * 86400, ra.size)])
    keep = upload_s < (extract_day + 1) * 86400
    lab_code = L_code[lab]
    key_order = np.lexsort((upload_s, lab_code, day[lc], person[lc], uploader))
    key_order = key_order[keep[key_order]]
    k_up, k_p, k_d, k_c, k_t = (x[key_order] for x in (uploader, person[lc], day[lc], lab_code, upload_s))
    dup = np.zeros(key_order.size, dtype=bool)
    dup[1:] = (
        (k_up[1:] == k_up[:-1])
        & (k_p[1:] == k_p[:-1])
        & (k_d[1:] == k_d[:-1])
        & (k_c[1:] == k_c[:-1])
        & (k_t[1:] == k_t[:-1])
    )
    sel = key_order[~dup]
    lab_tbl = pa.Table.from_arrays(
        [
            W.take(inst.hosp_id, uploader[sel]), W.take(inst.hosp_id, order_h[sel]),
            W.take(persons.ids, person[lc[sel]]), W.date_array(day[lc[sel]]),
            W.take(codes.arrow, lab_code[sel]), W.ts_array(report_s[sel] * 1_000_000),
            W.ts_array(upload_s[sel] * 1_000_000), W.take(CHANNEL_ARROW, channel[sel]),
        ],
        schema=W.SCHEMAS["lab_upload"],
    )  # fmt: skip
    samples["lab_upload"] = _sample(srng, lab_tbl, "lab_upload")
    if lab_tbl.num_rows:
        W.write(lab_tbl, out, W.partition_dir("lab_upload", fee_ym), "part-0", fmt)

    tick("lab_upload")
    # ------------------------------------------------------------ inpatient
    dd_tbl, dd_pts, dd_drug, dd_ded, dd_hosp_pts = _inpatient(rng, fee_ym, first_day, ndays, lag1, extract_day)
    samples["dd"] = _sample(srng, dd_tbl, "dd")
    if dd_tbl.num_rows:
        W.write(dd_tbl, out, W.partition_dir("dd", fee_ym), "part-0", fmt)

    tick("inpatient")
    tick("samples")
    is_ref = np.isin(L_code, [codes.idx(c) for c in C.REFERRAL_FEE_CODES])
    return {
        "i": i,
        "fee_ym": fee_ym,
        "rows": {"cd": n_w, "oo": int(li.size), "dd": dd_tbl.num_rows, "lab_upload": lab_tbl.num_rows},
        "generated": {"cd": int(m), "oo": int(n_lines)},
        "points": pts,
        "drug_points": drug_pts,
        "delivered_points": delivered_pts,
        "deducted_points": ded_pts,
        "dd_deducted_points": dd_ded,
        "dd_points": dd_pts,
        "dd_drug_points": dd_drug,
        "hosp_points": hosp_pts,
        "dd_hosp_points": dd_hosp_pts,
        "unbacked_fee_lines": n_unbacked,
        "fee_lines": int(is_ref.sum()),
        "samples": samples,
        "seconds": time.perf_counter() - t_start,
        "timings": timings,
    }


HOSP_FT = (C.HOSPITAL_SPECIALTIES[0], C.HOSPITAL_SPECIALTIES[1])


def _prescribers(seed: int, i: int, h: np.ndarray, person: np.ndarray, day: np.ndarray) -> np.ndarray:
    """ORIG_HOSP_ID (institution index, -1 = none) of each claim: pharmacy claims dispense a
    prescription of a hospital of the patient's region or of the patient's home clinic (交付).
    Own random stream, so the rest of the month does not depend on it."""
    inst, persons = _STATE["inst"], _STATE["persons"]
    orig = np.full(h.size, -1, dtype=np.int64)
    pha = np.flatnonzero(inst.type[h] == C.T_PHA)
    if not pha.size:
        return orig
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), 5, i]))
    from_hosp = rng.random(pha.size) < DELIVERED_FROM_HOSPITAL
    level = _choose(rng, [C.T_MC, C.T_RH, C.T_DH], HOSP_LEVEL_P, pha.size)
    u = rng.random(pha.size)
    region = persons.region[person[pha]].astype(np.int64)
    chosen = persons.home[C.T_WM][person[pha]].astype(np.int64)
    for t in C.HOSPITAL_TYPES:
        s = np.flatnonzero(from_hosp & (level == t))
        chosen[s] = inst.pick(t, region[s], u[s])
    orig[pha] = inst.remap(chosen, day[pha])
    return orig


def _sample(rng: np.random.Generator, tbl: pa.Table, name: str) -> pa.Table | None:
    """Random good rows (decoded, shuffled) for the final pass: bad-row templates, duplicates."""
    share = _STATE["sample_share"].get(name, 0.0)
    k = min(tbl.num_rows, math.ceil(tbl.num_rows * share) + 30)
    if k == 0:
        return None
    idx = np.sort(rng.choice(tbl.num_rows, size=k, replace=False))
    sample = W.decode(tbl.take(W.arr(idx)), name)
    return sample.take(W.arr(rng.permutation(k)))


def _inpatient(
    rng: np.random.Generator, fee_ym: str, first_day: int, ndays: int, lag1: np.ndarray, extract_day: int
) -> tuple[pa.Table, np.ndarray, np.ndarray, np.ndarray]:
    st = _STATE
    inst, persons = st["inst"], st["persons"]
    if "adm_cum" not in st:
        w = np.interp(persons.age, [0, 5, 20, 45, 65, 80, 95], [0.08, 0.04, 0.05, 0.08, 0.2, 0.35, 0.45])
        st["adm_cum"] = np.cumsum(w)
    cum = st["adm_cum"]
    k = int(rng.poisson(cum[-1] / 12.0))
    person = np.minimum(np.searchsorted(cum, rng.random(k) * cum[-1], side="right"), persons.n - 1)
    reg = persons.region[person].astype(np.int64)
    lvl = _choose(rng, [C.T_MC, C.T_RH, C.T_DH], [0.35, 0.35, 0.3], k)
    h = np.empty(k, dtype=np.int64)
    for t in (C.T_MC, C.T_RH, C.T_DH):
        s = np.flatnonzero(lvl == t)
        h[s] = inst.pick(t, reg[s], rng.random(s.size))
    out_day = first_day + rng.integers(0, ndays, k)
    los = np.minimum(rng.geometric(1 / 5.5, k) - 1, 60)
    in_day = out_day - los
    h = inst.remap(h, out_day)
    order = np.lexsort((person, out_day, h))
    person, h, out_day, in_day, los = person[order], h[order], out_day[order], in_day[order], los[order]
    new_run = np.ones(k, dtype=bool)
    new_run[1:] = h[1:] != h[:-1]
    run_start = np.flatnonzero(new_run)
    seq = (np.arange(k) - run_start[np.cumsum(new_run) - 1] + 1).astype(np.int32)
    appl_type2 = rng.random(k) < 0.02
    month_end = first_day + ndays - 1
    appl = month_end + np.where(appl_type2, rng.integers(60, 181, k), lag1[h])
    icds = [C.ICD["inpatient"].sample(rng, k)]
    for p in (0.7, 0.5, 0.3, 0.2):
        x = C.ICD["inpatient"].sample(rng, k)
        x[rng.random(k) >= p] = -1
        icds.append(x)
    for j in range(1, 5):
        for jj in range(j):
            icds[j][icds[j] == icds[jj]] = -1
    other = np.minimum(np.round(np.exp(rng.normal(np.log(18000), 0.7, k)) * (1 + los / 7)), 2_000_000)
    other = other.astype(np.int64)
    drug = np.round(other * rng.uniform(0.08, 0.25, k)).astype(np.int64)
    dsvc = ((los + 1) * 38).astype(np.int64)
    t_dot = drug + dsvc + other
    part = persons.part_code[person]
    part_amt = np.where(part > 0, 0, np.minimum(np.round(t_dot * 0.1), 45_000)).astype(np.int64)
    t_appl = t_dot - part_amt
    reviewed = appl <= extract_day - 60
    ded = np.where(
        rng.random(k) < 0.08 * REGION_DEDUCT[inst.region[h]], np.round(t_appl * rng.uniform(0.02, 0.08, k)), 0
    ).astype(np.int64)
    dd_pts = np.bincount(inst.region[h], weights=t_dot, minlength=6)
    dd_drug = np.bincount(inst.region[h], weights=drug, minlength=6)
    dd_hosp = np.bincount(h, weights=t_dot, minlength=inst.n)
    dd_ded = np.bincount(inst.region[h], weights=np.minimum(ded, t_dot), minlength=6)
    w = np.flatnonzero(appl <= extract_day)
    case = _choose(rng, [0, 1, 2], [0.8, 0.15, 0.05], k)
    tbl = pa.Table.from_arrays(
        [
            W.const_str(fee_ym, w.size), W.take(APPL_ARROW, appl_type2[w].astype(np.int64)),
            W.date_array(appl[w]), W.take(inst.hosp_id, h[w]), W.take(DD_CASES, case[w]),
            W.arr(seq[w]), W.take(persons.ids, person[w]), W.date_array(persons.birth[person[w]]),
            W.take(persons.sex, person[w]), W.date_array(in_day[w]), W.date_array(out_day[w]),
            *[W.take(ICD_ARROW, x[w]) for x in icds],
            W.arr(drug[w]), W.arr(dsvc[w]), W.arr(other[w]), W.arr(t_dot[w]),
            W.arr(part_amt[w]), W.arr(t_appl[w]), W.arr(ded[w], mask=~reviewed[w]),
        ],
        schema=W.SCHEMAS["dd"],
    )  # fmt: skip
    return tbl, dd_pts, dd_drug, dd_ded, dd_hosp
