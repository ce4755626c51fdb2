"""Institutions, physicians and persons: the static part of the synthetic world."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from . import catalog as C
from .ids import LETTERS, national_ids
from .writer import arr, strs

EPOCH = dt.date(1970, 1, 1)


def day_number(d: dt.date) -> int:
    return (d - EPOCH).days


@dataclass
class Institutions:
    n: int
    region: np.ndarray  # int8 0..5
    type: np.ndarray  # int8 catalog.T_*
    county: np.ndarray  # int16 index into catalog.COUNTY_NAMES
    weight: np.ndarray  # selection weight (0 = never chosen)
    cont_s: np.ndarray  # int32 day numbers
    cont_e: np.ndarray  # int32 day numbers (large = active)
    successor: np.ndarray  # int32: who takes the visits outside the contract period
    phys_start: np.ndarray
    phys_count: np.ndarray
    specialty: np.ndarray  # FUNC_TYPE index (clinics)
    dialysis: np.ndarray  # bool: does dialysis
    hosp_id: pa.Array
    name: list[str]
    by_type: list[np.ndarray]  # institution indices of a type, region-major
    cum_w: list[np.ndarray]
    seg_lo: list[np.ndarray]  # per region: cumulative weight at segment start
    seg_hi: list[np.ndarray]
    seg_start: list[np.ndarray]  # per region: first position in by_type
    seg_end: list[np.ndarray]

    def pick(self, t: int, regions: np.ndarray, u: np.ndarray) -> np.ndarray:
        """Institutions of type ``t`` in ``regions`` chosen by weight with uniforms ``u``."""
        lo, hi = self.seg_lo[t][regions], self.seg_hi[t][regions]
        pos = np.searchsorted(self.cum_w[t], lo + u * (hi - lo), side="right")
        pos = np.clip(pos, self.seg_start[t][regions], self.seg_end[t][regions] - 1)
        return self.by_type[t][pos]

    def remap(self, h: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Institution that takes a visit on ``day``: the successor outside the contract."""
        inactive = (day < self.cont_s[h]) | (day > self.cont_e[h])
        return np.where(inactive, self.successor[h], h)

    def physician(self, h: np.ndarray, u: np.ndarray) -> np.ndarray:
        return self.phys_start[h] + np.minimum((u * self.phys_count[h]).astype(np.int64), self.phys_count[h] - 1)


@dataclass
class Persons:
    n: int
    region: np.ndarray
    county: np.ndarray
    male: np.ndarray
    birth: np.ndarray  # day numbers
    age: np.ndarray  # age at span start (years)
    rate: np.ndarray  # acute visits per year
    home: dict[int, np.ndarray]  # type -> home institution
    part_code: np.ndarray  # index into PART_CODES (0 = ordinary / empty)
    ids: pa.Array
    sex: pa.Array


PART_CODES = [None, "001", "004", "007"]
NO_END = 2**31 - 1


def build_institutions(n_persons: int, span_start: int, span_end: int, rng: np.random.Generator) -> Institutions:
    counts = np.maximum(
        C.TYPE_MIN_PER_REGION[None, :],
        np.round(C.TYPE_RATE_PER_M[None, :] * n_persons / 1e6 * C.REGION_SHARES[:, None]),
    ).astype(int)
    region, typ = [], []
    for r in range(6):
        for t in range(C.N_TYPES):
            region += [r] * counts[r, t]
            typ += [t] * counts[r, t]
    region_a = np.array(region, dtype=np.int8)
    type_a = np.array(typ, dtype=np.int8)
    n = region_a.size

    # County inside the region, by population.
    county = np.empty(n, dtype=np.int16)
    for r in range(6):
        m = region_a == r
        w = np.array([c[1] for c in C.COUNTIES[r]])
        county[m] = C.COUNTY_OFFSETS[r] + rng.choice(len(w), size=m.sum(), p=w / w.sum())

    weight = np.exp(rng.normal(0.0, C.TYPE_SIZE_SIGMA[type_a]))
    start_floor = day_number(dt.date(1985, 1, 1))
    cont_s = rng.integers(start_floor, span_start - 400, size=n).astype(np.int64)
    cont_e = np.full(n, NO_END, dtype=np.int64)

    # Churn among clinics, pharmacies and labs; the first of each (region, type) is stable.
    first = np.ones(n, dtype=bool)
    key = region_a.astype(int) * C.N_TYPES + type_a
    first[1:] = key[1:] != key[:-1]
    churn_types = np.isin(type_a, [C.T_WM, C.T_TCM, C.T_DEN, C.T_PHA, C.T_LAB])
    u = rng.random(n)
    span_len = max(span_end - span_start, 60)
    ended_before = churn_types & ~first & (u < 0.01)
    ends_within = churn_types & ~first & (u >= 0.01) & (u < 0.04)
    starts_within = churn_types & ~first & (u >= 0.04) & (u < 0.07)
    cont_e[ended_before] = span_start - rng.integers(30, 2000, ended_before.sum())
    cont_s[ended_before] = np.minimum(cont_s[ended_before], cont_e[ended_before] - 365)
    cont_e[ends_within] = span_start + rng.integers(30, span_len, ends_within.sum())
    cont_s[starts_within] = span_start + rng.integers(0, span_len - 30, starts_within.sum())
    weight[ended_before] = 0.0

    stable = (cont_e == NO_END) & (cont_s < span_start)
    successor = np.arange(n, dtype=np.int64)
    for k in np.unique(key):
        members = np.flatnonzero(key == k)
        pool = members[stable[members]]
        movers = members[~stable[members]]
        if movers.size:
            successor[movers] = rng.choice(pool, size=movers.size)

    lo, hi = C.TYPE_PHYS[type_a, 0], C.TYPE_PHYS[type_a, 1]
    phys_count = rng.integers(lo, hi + 1)
    phys_start = np.concatenate([[0], np.cumsum(phys_count)[:-1]])

    specialty = np.full(n, C.FT["00"], dtype=np.int16)
    wm = type_a == C.T_WM
    specialty[wm] = rng.choice(
        C.CLINIC_SPECIALTIES[0],
        size=wm.sum(),
        p=np.array(C.CLINIC_SPECIALTIES[1]) / sum(C.CLINIC_SPECIALTIES[1]),
    )
    specialty[type_a == C.T_TCM] = C.FT["60"]
    specialty[type_a == C.T_DEN] = C.FT["40"]
    dialysis = np.isin(type_a, C.HOSPITAL_TYPES) | (wm & (rng.random(n) < 0.05))

    # HOSP_ID: '0' + region digit + county code (2) + type digit + serial (5) = 10 characters.
    serial = np.zeros(n, dtype=int)
    seen: dict[tuple, int] = {}
    ids, names = [], []
    for i in range(n):
        r, t, c = int(region_a[i]), int(type_a[i]), int(county[i])
        k = (r, c, t)
        seen[k] = seen.get(k, 0) + 1
        serial[i] = seen[k]
        ids.append(f"0{r + 1}{int(C.COUNTY_CODE_IN_REGION[c]):02d}{C.TYPE_DIGIT[t]}{seen[k]:05d}")
        names.append(f"{C.COUNTY_NAMES[c]}示範{C.TYPE_LABEL[t]}{seen[k]:03d}")

    by_type, cum_w, seg_lo, seg_hi, seg_start, seg_end = [], [], [], [], [], []
    for t in range(C.N_TYPES):
        idx = np.flatnonzero(type_a == t)  # region-major already
        w = weight[idx]
        cw = np.cumsum(w)
        reg = region_a[idx]
        starts = np.searchsorted(reg, np.arange(6), side="left")
        ends = np.searchsorted(reg, np.arange(6), side="right")
        cw0 = np.concatenate([[0.0], cw])
        by_type.append(idx)
        cum_w.append(cw)
        seg_lo.append(cw0[starts])
        seg_hi.append(cw0[ends])
        seg_start.append(starts)
        seg_end.append(ends)

    return Institutions(
        n=n,
        region=region_a,
        type=type_a,
        county=county,
        weight=weight,
        cont_s=cont_s,
        cont_e=cont_e,
        successor=successor,
        phys_start=phys_start,
        phys_count=phys_count,
        specialty=specialty,
        dialysis=dialysis,
        hosp_id=strs(ids),
        name=names,
        by_type=by_type,
        cum_w=cum_w,
        seg_lo=seg_lo,
        seg_hi=seg_hi,
        seg_start=seg_start,
        seg_end=seg_end,
    )


# Age bands (lower bound, share) roughly like Taiwan 2024, and acute visits per year.
_AGE_BANDS = np.array([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 100])
_AGE_SHARE = np.array([3.5, 4.5, 4.5, 4.5, 5.5, 6.0, 6.5, 7.5, 8.5, 7.5, 7.5, 7.5, 7.0, 6.5, 5.0, 3.0, 2.0, 2.5])


def acute_rate(age: np.ndarray) -> np.ndarray:
    """Acute (unplanned) outpatient visits per year by age."""
    return np.interp(age, [0, 4, 6, 14, 19, 30, 45, 60, 70, 80, 95],
                     [17, 14, 10, 8, 6, 6.5, 8, 11, 15, 18, 18])  # fmt: skip


def build_persons(n: int, inst: Institutions, span_start: int, rng: np.random.Generator) -> Persons:
    region = rng.choice(6, size=n, p=C.REGION_SHARES / C.REGION_SHARES.sum()).astype(np.int8)
    county = np.empty(n, dtype=np.int16)
    for r in range(6):
        m = region == r
        w = np.array([c[1] for c in C.COUNTIES[r]])
        county[m] = C.COUNTY_OFFSETS[r] + rng.choice(len(w), size=m.sum(), p=w / w.sum())
    male = rng.random(n) < 0.495
    band = rng.choice(len(_AGE_SHARE), size=n, p=_AGE_SHARE / _AGE_SHARE.sum())
    age_f = _AGE_BANDS[band] + rng.random(n) * (_AGE_BANDS[band + 1] - _AGE_BANDS[band])
    age = age_f.astype(np.int16)
    birth = (span_start - np.round(age_f * 365.25)).astype(np.int64)
    frailty = rng.gamma(2.0, 0.5, size=n)
    rate = acute_rate(age_f) * frailty

    home = {}
    for t in (C.T_WM, C.T_TCM, C.T_DEN, C.T_PHA):
        home[t] = inst.pick(t, region, rng.random(n))

    part = np.zeros(n, dtype=np.int8)
    u = rng.random(n)
    part[u < 0.012 + 0.03 * (age >= 60)] = 1  # 重大傷病
    part[(part == 0) & male & (age >= 70) & (rng.random(n) < 0.04)] = 2  # 榮民
    islands = np.isin(np.array(C.COUNTY_NAMES)[county], ["金門縣", "連江縣", "澎湖縣"])
    part[(part == 0) & islands & (rng.random(n) < 0.6)] = 3  # 山地離島

    letter_idx = np.array([LETTERS.index(c) for c in C.COUNTY_LETTER])[county]
    ids = national_ids(letter_idx, male, np.arange(n))
    sex = strs(["F", "M"]).take(arr(male.astype(np.int64)))
    return Persons(
        n=n,
        region=region,
        county=county,
        male=male,
        birth=birth,
        age=age,
        rate=rate,
        home=home,
        part_code=part,
        ids=ids,
        sex=sex,
    )


def physician_ids(inst: Institutions, n_persons: int, rng: np.random.Generator) -> pa.Array:
    n_phys = int(inst.phys_start[-1] + inst.phys_count[-1])
    owner = np.repeat(np.arange(inst.n), inst.phys_count)
    letter_idx = np.array([LETTERS.index(c) for c in C.COUNTY_LETTER])[inst.county[owner]]
    male = rng.random(n_phys) < 0.6
    return national_ids(letter_idx, male, n_persons + np.arange(n_phys))
