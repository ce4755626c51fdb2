"""Visits planned across months before the monthly generation runs.

Everything that must be consistent across months is decided here, in one process and in
month order: chronic-disease follow-up visits with their lab panels (so that the care-plan
eligibility rules of domain spec §6 find the patients and re-examinations stay a few percent),
care-plan (E1) claims with P-codes enrolled from the previous year's eligible persons,
dialysis months, and electronic referrals with the visits at the issuing and the receiving
institution (referral fee codes on those claims). Monthly workers add the random acute visits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from . import catalog as C
from .world import Institutions, Persons

if TYPE_CHECKING:
    from .config import GeneratorConfig

CONDITIONS = ("DM", "CKD", "ASTHMA")
CARE_TARGET = {"DM": 0.55, "CKD": 0.30, "ASTHMA": 0.40}
ICD_OF = {"DM": "dm", "CKD": "ckd", "ASTHMA": "asthma"}
# Referral directions: up, down to clinic, down to district hospital, other (平轉), to TCM/dental.
R_UP, R_DOWN_CLINIC, R_DOWN_DH, R_OTHER, R_TCM_DEN = range(5)
REFERRALS_PER_M_PER_MONTH = np.array([2466.0, 771.0, 421.0, 300.0, 30.0])
P_RECEIVED = np.array([0.9, 0.72, 0.82, 0.8, 0.7])
P_REPLY_IF_RECEIVED = np.array([0.676, 0.33, 0.60, 0.45, 0.3])

VISIT_FIELDS = ("month", "person", "hosp", "day", "case", "setting", "icd1", "icd2", "phys",
                "rand_services", "referred")  # fmt: skip
LINE_FIELDS = ("visit", "code", "qty", "dot", "otype", "exe")


@dataclass
class Plan:
    visits: dict[str, np.ndarray]
    lines: dict[str, np.ndarray]
    month_offsets: np.ndarray  # visits of month i are [off[i], off[i+1])
    referral: dict[str, np.ndarray]
    fee_lines_per_month: np.ndarray  # (months, 3) planned referral fee lines per code
    stats: dict = field(default_factory=dict)

    def month_slice(self, i: int) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        a, b = int(self.month_offsets[i]), int(self.month_offsets[i + 1])
        visits = {k: v[a:b] for k, v in self.visits.items()}
        la, lb = np.searchsorted(self.lines["visit"], [a, b])
        lines = {k: v[la:lb] for k, v in self.lines.items()}
        lines["visit"] = lines["visit"] - a
        return visits, lines


class _Builder:
    def __init__(self) -> None:
        self.visits: list[dict] = []
        self.lines: list[dict] = []
        self.n = 0

    def add_visits(self, **cols: Any) -> np.ndarray:
        n = len(cols["person"])
        defaults = {"icd2": -1, "phys": -1, "rand_services": False, "referred": False}
        out = {}
        for f in VISIT_FIELDS:
            v = cols.get(f, defaults.get(f))
            out[f] = np.broadcast_to(np.asarray(v), (n,)).copy()
        self.visits.append(out)
        ids = np.arange(self.n, self.n + n)
        self.n += n
        return ids

    def add_lines(
        self,
        visit: np.ndarray,
        code: ArrayLike,
        qty: ArrayLike = 100,
        dot: ArrayLike = 0,
        otype: ArrayLike = C.OT_SERVICE,
        exe: ArrayLike = False,
    ) -> None:
        n = len(visit)
        if n == 0:
            return
        cols = {"visit": visit, "code": code, "qty": qty, "dot": dot, "otype": otype, "exe": exe}
        self.lines.append({k: np.broadcast_to(np.asarray(v), (n,)).copy() for k, v in cols.items()})

    def build(self, months: int) -> tuple[dict, dict, np.ndarray]:
        dtypes = {"month": np.int32, "person": np.int64, "hosp": np.int64, "day": np.int64,
                  "case": np.int8, "setting": np.int8, "icd1": np.int32, "icd2": np.int32,
                  "phys": np.int64, "rand_services": bool, "referred": bool}  # fmt: skip
        visits = {
            f: np.concatenate([b[f] for b in self.visits]).astype(dtypes[f]) if self.visits else np.zeros(0, dtypes[f])
            for f in VISIT_FIELDS
        }
        ldt = {"visit": np.int64, "code": np.int32, "qty": np.int64, "dot": np.int64,
               "otype": np.int8, "exe": bool}  # fmt: skip
        lines = {
            f: np.concatenate([b[f] for b in self.lines]).astype(ldt[f]) if self.lines else np.zeros(0, ldt[f])
            for f in LINE_FIELDS
        }
        order = np.lexsort((visits["day"], visits["month"]))
        visits = {k: v[order] for k, v in visits.items()}
        inverse = np.empty_like(order)
        inverse[order] = np.arange(order.size)
        lines["visit"] = inverse[lines["visit"]]
        lorder = np.argsort(lines["visit"], kind="stable")
        lines = {k: v[lorder] for k, v in lines.items()}
        offsets = np.searchsorted(visits["month"], np.arange(months + 1))
        return visits, lines, offsets


def _eligible(
    person: np.ndarray, hosp: np.ndarray, phys: np.ndarray, day: np.ndarray, same_physician: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Persons with two visits at the same institution (and physician) <= 90 days apart."""
    if person.size == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    keys = (day, phys, hosp, person) if same_physician else (day, hosp, person)
    o = np.lexsort(keys)
    p, h, d = person[o], hosp[o], day[o]
    same = (p[1:] == p[:-1]) & (h[1:] == h[:-1])
    if same_physician:
        f = phys[o]
        same &= f[1:] == f[:-1]
    hit = same & (d[1:] - d[:-1] <= 90)
    persons, first = np.unique(p[1:][hit], return_index=True)
    return persons, h[1:][hit][first]


def build_plan(
    cfg: GeneratorConfig,
    inst: Institutions,
    persons: Persons,
    codes: C.Codes,
    rng: np.random.Generator,
    span: list[tuple[int, int, int, int]],
) -> Plan:
    """span: list of (year, month, first day number, number of days) per fee month."""
    months = len(span)
    b = _Builder()
    age = persons.age
    n = persons.n
    stats: dict = {}

    def other_institution(regions: np.ndarray, u: np.ndarray) -> np.ndarray:
        """A clinic or hospital in the region (for care-plan claims away from the usual place)."""
        out = inst.pick(C.T_WM, regions, u)
        hosp = u < 0.5
        if hosp.any():
            out[hosp] = inst.pick(C.T_RH, regions[hosp], rng.random(hosp.sum()))
        return out

    # ---------------------------------------------------------------- chronic cohorts
    adult = age >= 20
    p_cond = {
        "DM": adult * np.interp(age, [20, 40, 50, 60, 70, 80], [0.012, 0.035, 0.08, 0.13, 0.19, 0.21]),
        "CKD": adult * np.interp(age, [20, 40, 60, 80], [0.006, 0.015, 0.04, 0.075]),
        "ASTHMA": np.interp(age, [0, 10, 20, 40, 60, 80], [0.045, 0.035, 0.02, 0.02, 0.035, 0.06]),
    }
    p_clinic = {"DM": 0.65, "CKD": 0.45, "ASTHMA": 0.6}
    cohorts: dict[str, dict] = {}
    for cond in CONDITIONS:
        who = np.flatnonzero(rng.random(n) < p_cond[cond])
        m = who.size
        reg = persons.region[who]
        home = persons.home[C.T_WM][who].copy()
        hosp_level = rng.choice([C.T_MC, C.T_RH, C.T_DH], size=m, p=[0.3, 0.35, 0.35])
        at_hosp = rng.random(m) >= p_clinic[cond]
        h0 = home
        for t in (C.T_MC, C.T_RH, C.T_DH):
            sel = at_hosp & (hosp_level == t)
            h0[sel] = inst.pick(t, reg[sel], rng.random(sel.sum()))
        q = rng.choice([0.85, 0.5, 0.15], size=m, p=[0.65, 0.2, 0.15])
        panels = C.CHRONIC_LAB_PANELS[cond]
        last = []
        for codes_, _p in panels:
            iv = max(int(codes.interval[codes.idx(c)]) for c in codes_) or 90
            last.append(span[0][2] - rng.integers(0, iv + 30, m))
        cohorts[cond] = {"who": who, "h0": h0, "q": q, "u_phys": rng.random(m), "last": last,
                         "visits": []}  # fmt: skip
        stats[f"cohort_{cond}"] = int(m)

    icd_by_cond = {c: C.ICD[ICD_OF[c]] for c in CONDITIONS}
    case_04, case_01 = C.CASE["04"], C.CASE["01"]

    def chronic_setting(h: np.ndarray) -> np.ndarray:
        return np.where(np.isin(inst.type[h], C.HOSPITAL_TYPES), C.S_HOSP_CHRONIC, C.S_WM_CHRONIC).astype(np.int8)

    for i, (_y, _mo, first_day, ndays) in enumerate(span):
        for cond in CONDITIONS:
            co = cohorts[cond]
            sel = np.flatnonzero(rng.random(co["who"].size) < co["q"])
            if sel.size == 0:
                continue
            k = sel.size
            day = first_day + rng.integers(0, ndays, k)
            h = inst.remap(co["h0"][sel], day)
            same_doc = rng.random(k) < (0.95 if cond == "ASTHMA" else 0.85)
            phys = inst.physician(h, np.where(same_doc, co["u_phys"][sel], rng.random(k)))
            icd1 = icd_by_cond[cond].sample(rng, k)
            icd2 = np.full(k, -1, np.int32)
            if cond == "DM":
                secondary = rng.random(k) < 0.3
                icd2[secondary] = icd1[secondary]
                icd1[secondary] = C.ICD["chronic_other"].idx[0]  # I10 principal, DM secondary
            sec2 = (icd2 < 0) & (rng.random(k) < 0.25)
            icd2[sec2] = C.ICD["secondary"].sample(rng, int(sec2.sum()))
            case = np.where(rng.random(k) < 0.75, case_04, case_01)
            ids = b.add_visits(
                month=i, person=co["who"][sel], hosp=h, day=day, case=case,
                setting=chronic_setting(h), icd1=icd1, icd2=icd2, phys=phys,
            )  # fmt: skip
            co["visits"].append((co["who"][sel], h, phys, day))
            if cond == "ASTHMA":  # an inhaler on most asthma visits
                inh = rng.random(k) < 0.7
                pool = codes.pools["drug_inhaler"]
                dcode = pool.sample(rng, int(inh.sum()))
                qty = rng.choice([100, 200], size=int(inh.sum()))
                dot = (codes.points[dcode] * qty + 5000) // 10000
                b.add_lines(ids[inh], dcode, qty, dot, C.OT_DRUG)
            # lab panels: when due (interval passed), sometimes early (a re-execution)
            for pi, (panel_codes, p_order) in enumerate(C.CHRONIC_LAB_PANELS[cond]):
                last = co["last"][pi]
                iv = max(int(codes.interval[codes.idx(c)]) for c in panel_codes) or 90
                due = (day - last[sel]) > iv
                u = rng.random(k)
                order = (due & (u < p_order)) | (~due & (u < 0.012))
                last[sel[order]] = day[order]
                for c in panel_codes:
                    ci = codes.idx(c)
                    b.add_lines(ids[order], ci, 100, codes.points[ci], C.OT_SERVICE, True)

    # ---------------------------------------------------------------- dialysis
    dial_p = np.where(age >= 40, np.interp(age, [40, 60, 80], [0.0015, 0.005, 0.009]), 0.0)
    dial = np.flatnonzero(rng.random(n) < dial_p)
    persons.part_code[dial] = 1  # 重大傷病
    dial_h = np.empty(dial.size, dtype=np.int64)
    for r in range(6):
        cand = np.flatnonzero(inst.dialysis & (inst.region == r) & (inst.weight > 0))
        sel = persons.region[dial] == r
        dial_h[sel] = rng.choice(cand, size=sel.sum())
    stats["dialysis_persons"] = int(dial.size)
    code_58001 = codes.idx(C.DIALYSIS_CODE[0])
    for i, (_y, _mo, first_day, _nd) in enumerate(span):
        if dial.size == 0:
            break
        day = first_day + rng.integers(0, 4, dial.size)
        h = inst.remap(dial_h, day)
        ids = b.add_visits(
            month=i, person=dial, hosp=h, day=day, case=C.CASE["05"], setting=C.S_DIALYSIS,
            icd1=C.ICD["dialysis"].idx[0], phys=inst.physician(h, rng.random(dial.size)),
            rand_services=True,
        )  # fmt: skip
        sessions = rng.integers(11, 15, dial.size)
        b.add_lines(ids, code_58001, sessions * 100, sessions * C.DIALYSIS_CODE[1])

    # ---------------------------------------------------------------- care plans (E1)
    years = sorted({y for y, *_ in span})
    span_first = np.array([sp[2] for sp in span], dtype=np.int64)
    span_ndays = np.array([sp[3] for sp in span], dtype=np.int64)
    month_index = {(y, mo): i for i, (y, mo, *_rest) in enumerate(span)}
    enrolled_prev: dict[str, np.ndarray] = {c: np.zeros(0, np.int64) for c in CONDITIONS}
    for yi, year in enumerate(years):
        for cond in CONDITIONS:
            co = cohorts[cond]
            target = CARE_TARGET[cond]
            month_of = np.full(13, -1, dtype=np.int64)
            for mo_, i_ in ((mo_, i_) for (y_, mo_), i_ in month_index.items() if y_ == year):
                month_of[mo_] = i_
            if yi == 0:
                base = co["who"][co["q"] >= 0.5]
                base_h = co["h0"][co["q"] >= 0.5]
                enrol = rng.random(base.size) < target
                e_person, e_hosp = base[enrol], base_h[enrol]
                extra = np.zeros(0, np.int64)
            else:
                vis = co["visits"]
                pp = np.concatenate([v[0] for v in vis]) if vis else np.zeros(0, np.int64)
                hh = np.concatenate([v[1] for v in vis]) if vis else np.zeros(0, np.int64)
                ff = np.concatenate([v[2] for v in vis]) if vis else np.zeros(0, np.int64)
                dd = np.concatenate([v[3] for v in vis]) if vis else np.zeros(0, np.int64)
                lo = _day_of_year_start(year - 1)
                hi = _day_of_year_start(year)
                inyear = (dd >= lo) & (dd < hi)
                el_p, el_h = _eligible(pp[inyear], hh[inyear], ff[inyear], dd[inyear],
                                       same_physician=cond == "ASTHMA")  # fmt: skip
                stats[f"eligible_{cond}_{year - 1}"] = int(el_p.size)
                enrol = rng.random(el_p.size) < target * 0.95
                e_person, e_hosp = el_p[enrol], el_h[enrol]
                not_el = np.setdiff1d(co["who"], el_p)
                k_extra = min(not_el.size, round(target * 0.05 * el_p.size))
                extra = rng.choice(not_el, size=k_extra, replace=False)
                extra_h = co["h0"][np.searchsorted(co["who"], extra)]
                e_person = np.concatenate([e_person, extra])
                e_hosp = np.concatenate([e_hosp, extra_h])
                # a few eligible persons start only in the second half of the year
                late = ~enrol & (rng.random(el_p.size) < 0.08)
                stats[f"late_{cond}_{year}"] = int(late.sum())
            m = e_person.size
            first_month = rng.choice(6, size=m, p=[0.3, 0.2, 0.15, 0.15, 0.1, 0.1]) + 1
            if yi > 0 and late.any():
                e_person = np.concatenate([e_person, el_p[late]])
                e_hosp = np.concatenate([e_hosp, el_h[late]])
                first_month = np.concatenate([first_month, rng.integers(7, 13, int(late.sum()))])
                m = e_person.size
            stats[f"enrolled_h1_{cond}_{year}"] = int((first_month <= 6).sum())
            away = rng.random(m) < 0.1
            e_hosp = e_hosp.copy()
            e_hosp[away] = other_institution(persons.region[e_person[away]], rng.random(away.sum()))
            was = np.isin(e_person, enrolled_prev[cond])
            enrolled_prev[cond] = e_person
            plan = C.PCODES[cond]
            first_code = np.where(was, codes.idx(plan["annual"][0]), codes.idx(plan["new"][0]))
            follow = {"DM": [3, 6, 9], "CKD": [6], "ASTHMA": [3, 6]}[cond]
            events = [(first_month, first_code, np.ones(m, bool))]
            for add in follow:
                events.append((first_month + add, np.full(m, codes.idx(plan["follow"][0])), rng.random(m) < 0.8))
            u_phys = co["u_phys"][np.searchsorted(co["who"], e_person)]
            for mo, code, keep in events:
                keep = keep & (mo <= 12)
                idx = month_of[np.minimum(mo, 12)]
                keep &= idx >= 0
                if not keep.any():
                    continue
                k = int(keep.sum())
                mi = idx[keep]
                first_day = span_first[mi]
                ndays = span_ndays[mi]
                day = first_day + (rng.random(k) * ndays).astype(np.int64)
                h = inst.remap(e_hosp[keep], day)
                phys = inst.physician(h, u_phys[keep])
                ids = b.add_visits(
                    month=mi, person=e_person[keep], hosp=h, day=day, case=C.CASE["E1"],
                    setting=C.S_E1, icd1=icd_by_cond[cond].sample(rng, k), phys=phys,
                )  # fmt: skip
                co["visits"].append((e_person[keep], h, phys, day))
                b.add_lines(ids, code[keep], 100, codes.points[code[keep]])

    # ---------------------------------------------------------------- referrals
    referral = _plan_referrals(cfg, inst, persons, codes, rng, span, b)
    visits, lines, offsets = b.build(months)
    fee_codes = [codes.idx(c) for c in C.REFERRAL_FEE_CODES]
    fee_per_month = np.zeros((months, 3), dtype=np.int64)
    line_month = visits["month"][lines["visit"]] if lines["visit"].size else np.zeros(0, np.int32)
    for j, fc in enumerate(fee_codes):
        fee_per_month[:, j] = np.bincount(line_month[lines["code"] == fc], minlength=months)
    return Plan(visits, lines, offsets, referral, fee_per_month, stats)


def _day_of_year_start(year: int) -> int:
    return (dt.date(year, 1, 1) - dt.date(1970, 1, 1)).days


def _plan_referrals(
    cfg: GeneratorConfig,
    inst: Institutions,
    persons: Persons,
    codes: C.Codes,
    rng: np.random.Generator,
    span: list[tuple[int, int, int, int]],
    b: _Builder,
) -> dict:
    extract_day = _days(cfg.resolved_extract_date)
    last_day = span[-1][2] + span[-1][3] - 1
    cum_rate = np.cumsum(persons.rate)
    out = {k: [] for k in ("issue_h", "recv_h", "person", "issue", "recv", "reply", "dir")}
    fee_up, fee_recv, fee_down = (codes.idx(c) for c in C.REFERRAL_FEE_CODES)
    scale = persons.n / 1e6
    for i, (_y, _mo, first_day, ndays) in enumerate(span):
        counts = rng.poisson(REFERRALS_PER_M_PER_MONTH * scale)
        direction = np.repeat(np.arange(5), counts)
        k = direction.size
        if k == 0:
            continue
        person = np.searchsorted(cum_rate, rng.random(k) * cum_rate[-1], side="right")
        person = np.minimum(person, persons.n - 1)
        reg = persons.region[person]
        issue = first_day + rng.integers(0, ndays, k)
        issue_h = np.empty(k, np.int64)
        recv_h = np.empty(k, np.int64)
        home = persons.home[C.T_WM][person]
        u = rng.random(k)
        # issuer
        up = direction == R_UP
        issue_h[up] = home[up]
        down = (direction == R_DOWN_CLINIC) | (direction == R_DOWN_DH)
        lvl = np.where(rng.random(k) < 0.55, C.T_MC, C.T_RH)
        for t in (C.T_MC, C.T_RH):
            s = down & (lvl == t)
            issue_h[s] = inst.pick(t, reg[s], rng.random(s.sum()))
        oth = direction == R_OTHER
        oth_kind = rng.choice(4, size=k, p=[0.5, 0.2, 0.15, 0.15])
        pairs = [(C.T_MC, C.T_RH), (C.T_RH, C.T_RH), (C.T_DH, C.T_DH), (C.T_WM, C.T_WM)]
        for j, (ti, tr) in enumerate(pairs):
            s = oth & (oth_kind == j)
            issue_h[s] = inst.pick(ti, reg[s], rng.random(s.sum()))
            recv_h[s] = inst.pick(tr, reg[s], rng.random(s.sum()))
        td = direction == R_TCM_DEN
        from_hosp = td & (u < 0.3)
        issue_h[from_hosp] = inst.pick(C.T_RH, reg[from_hosp], rng.random(from_hosp.sum()))
        issue_h[td & ~from_hosp] = home[td & ~from_hosp]
        # receiver
        hl = rng.choice([C.T_MC, C.T_RH, C.T_DH], size=k, p=[0.4, 0.35, 0.25])
        for t in (C.T_MC, C.T_RH, C.T_DH):
            s = up & (hl == t)
            recv_h[s] = inst.pick(t, reg[s], rng.random(s.sum()))
        dc = direction == R_DOWN_CLINIC
        to_home = dc & (u < 0.7)
        recv_h[to_home] = home[to_home]
        s = dc & ~to_home
        recv_h[s] = inst.pick(C.T_WM, reg[s], rng.random(s.sum()))
        s = direction == R_DOWN_DH
        recv_h[s] = inst.pick(C.T_DH, reg[s], rng.random(s.sum()))
        tcm = td & (rng.random(k) < 0.5)
        recv_h[tcm] = inst.pick(C.T_TCM, reg[tcm], rng.random(tcm.sum()))
        recv_h[td & ~tcm] = inst.pick(C.T_DEN, reg[td & ~tcm], rng.random((td & ~tcm).sum()))
        issue_h = inst.remap(issue_h, issue)
        same = recv_h == issue_h
        recv_h[same] = inst.pick(C.T_DH, reg[same], rng.random(same.sum()))
        # dates
        received = rng.random(k) < P_RECEIVED[direction]
        recv_lag = _mixture(rng, k, [(0, 3, 0.6), (4, 14, 0.35), (15, 40, 0.05)])
        recv = np.where(received, issue + recv_lag, -1)
        recv_h = inst.remap(recv_h, np.where(received, recv, issue))
        replied = received & (rng.random(k) < P_REPLY_IF_RECEIVED[direction])
        reply_lag = _mixture(rng, k, [(0, 3, 0.72), (4, 14, 0.2), (15, 60, 0.08)])
        reply = np.where(replied, recv + reply_lag, -1)
        recv_in = received & (recv <= extract_day)
        reply = np.where(recv_in & (reply <= extract_day), reply, -1)
        recv_out = np.where(recv_in, recv, -1)
        for key, val in (("issue_h", issue_h), ("recv_h", recv_h), ("person", person),
                         ("issue", issue), ("recv", recv_out), ("reply", reply),
                         ("dir", direction)):  # fmt: skip
            out[key].append(val)

        # the visit at the issuer (fee code for up / down referrals)
        htype = inst.type[issue_h]
        is_hosp = np.isin(htype, C.HOSPITAL_TYPES)
        ids = b.add_visits(
            month=i, person=person, hosp=issue_h, day=issue, case=C.CASE["01"],
            setting=np.where(is_hosp, C.S_HOSP_OPD, C.S_WM_ACUTE),
            icd1=C.ICD["acute"].sample(rng, k), rand_services=True,
        )  # fmt: skip
        claim_fee = rng.random(k) < 0.95
        s = up & claim_fee
        b.add_lines(ids[s], fee_up)
        s = down & claim_fee
        b.add_lines(ids[s], fee_down)
        # the visit at the receiver, in the month of RECV_DATE (if inside the span)
        seen = received & (recv <= last_day)
        if seen.any():
            r_day = recv[seen]
            r_month = np.searchsorted([sp[2] for sp in span], r_day, side="right") - 1
            rh = recv_h[seen]
            rtype = inst.type[rh]
            setting = np.select(
                [np.isin(rtype, C.HOSPITAL_TYPES), rtype == C.T_TCM, rtype == C.T_DEN],
                [C.S_HOSP_OPD, C.S_TCM, C.S_DENTAL],
                C.S_WM_ACUTE,
            )
            case = np.select([rtype == C.T_TCM, rtype == C.T_DEN], [C.CASE["21"], C.CASE["11"]], C.CASE["01"])
            icd_group = np.select([rtype == C.T_TCM, rtype == C.T_DEN], [1, 2], 0)
            icd1 = np.where(
                icd_group == 1,
                C.ICD["tcm"].sample(rng, rh.size),
                np.where(icd_group == 2, C.ICD["dental"].sample(rng, rh.size),
                         C.ICD["acute"].sample(rng, rh.size)),
            )  # fmt: skip
            rids = b.add_visits(
                month=r_month, person=person[seen], hosp=rh, day=r_day, case=case,
                setting=setting, icd1=icd1, rand_services=True, referred=True,
            )  # fmt: skip
            dseen = direction[seen]
            fee = ((dseen == R_UP) | (dseen == R_DOWN_CLINIC) | (dseen == R_DOWN_DH)) & (rng.random(rh.size) < 0.92)
            b.add_lines(rids[fee], fee_recv)
    return {k: np.concatenate(v) if v else np.zeros(0, np.int64) for k, v in out.items()}


def _days(d: dt.date) -> int:
    return (d - dt.date(1970, 1, 1)).days


def _mixture(rng: np.random.Generator, n: int, parts: list[tuple[int, int, float]]) -> np.ndarray:
    """Integers drawn from a mixture of uniform ranges [lo, hi]."""
    w = np.array([p[2] for p in parts])
    comp = rng.choice(len(parts), size=n, p=w / w.sum())
    lo = np.array([p[0] for p in parts])[comp]
    hi = np.array([p[1] for p in parts])[comp]
    return lo + (rng.random(n) * (hi - lo + 1)).astype(np.int64)
