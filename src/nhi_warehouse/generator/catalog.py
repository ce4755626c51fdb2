"""Code lists and fixed parameters of the synthetic extract.

Published facts (region codes, case types, care-plan P-codes and points, referral fee codes)
are transcribed from the project's reference lists (``shared/reference``). The lab and imaging
codes are read from the warehouse's own seeds at run time — the re-examination map
(``seeds/reference/reexam_item_map.csv``: merged items and interval days) and the upload list
(``seeds/reference/upload_items.csv``, ~700 codes with their reward category) — so the extract
claims and uploads the codes the marts count, one list in one place. Everything else here —
drug and procedure codes, fee points of labs and procedures, probabilities — is *illustrative*:
shaped like the real thing so the marts look plausible, not a copy of the fee schedule.
"""

from __future__ import annotations

import csv
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
from numpy.typing import ArrayLike

from .open_list import OpenListItems, load_open_list_items


def _strs(values: list[str]) -> pa.Array:
    from .writer import strs

    return strs(values)


# --------------------------------------------------------------------------------------
# Regions and counties
# --------------------------------------------------------------------------------------

REGION_CODES = ["1", "2", "3", "4", "5", "6"]
# Share of persons (and so of primary-care claims) per region: 臺北 北區 中區 南區 高屏 東區.
REGION_SHARES = np.array([0.30, 0.16, 0.19, 0.15, 0.17, 0.03])

# (county, population weight, national-ID letter) per region.
COUNTIES: list[list[tuple[str, float, str]]] = [
    [
        ("臺北市", 2.50, "A"),
        ("新北市", 4.00, "F"),
        ("基隆市", 0.36, "C"),
        ("宜蘭縣", 0.45, "G"),
        ("金門縣", 0.14, "W"),
        ("連江縣", 0.014, "Z"),
    ],
    [("桃園市", 2.30, "H"), ("新竹市", 0.45, "O"), ("新竹縣", 0.59, "J"), ("苗栗縣", 0.54, "K")],
    [("臺中市", 2.85, "B"), ("彰化縣", 1.25, "N"), ("南投縣", 0.48, "M")],
    [("雲林縣", 0.67, "P"), ("嘉義市", 0.26, "I"), ("嘉義縣", 0.49, "Q"), ("臺南市", 1.86, "D")],
    [("高雄市", 2.74, "E"), ("屏東縣", 0.80, "T"), ("澎湖縣", 0.11, "X")],
    [("花蓮縣", 0.32, "U"), ("臺東縣", 0.21, "V")],
]
COUNTY_NAMES = [c[0] for region in COUNTIES for c in region]
COUNTY_REGION = np.array([r for r, region in enumerate(COUNTIES) for _ in region], dtype=np.int8)
COUNTY_LETTER = [c[2] for region in COUNTIES for c in region]
COUNTY_CODE_IN_REGION = np.array([i + 1 for region in COUNTIES for i in range(len(region))], dtype=np.int16)
COUNTY_OFFSETS = np.cumsum([0] + [len(r) for r in COUNTIES])

# --------------------------------------------------------------------------------------
# Institution types
# --------------------------------------------------------------------------------------

T_MC, T_RH, T_DH, T_WM, T_TCM, T_DEN, T_PHA, T_LAB = range(8)
N_TYPES = 8
TYPE_CONT = ["1", "2", "3", "4", "4", "4", "5", "C"]  # HOSP_CONT_TYPE
TYPE_KIND = ["1", "1", "1", "2", "3", "4", "5", "6"]  # HOSP_KIND
TYPE_LABEL = ["醫學中心", "區域醫院", "地區醫院", "診所", "中醫診所", "牙醫診所", "藥局", "醫事檢驗所"]
TYPE_DIGIT = ["1", "2", "3", "4", "5", "6", "7", "8"]
# Institutions per million persons, and per-region minimum (so tiny extracts have every type).
TYPE_RATE_PER_M = np.array([1.5, 5.0, 18.0, 480.0, 170.0, 290.0, 120.0, 20.0])
TYPE_MIN_PER_REGION = np.array([1, 2, 4, 10, 3, 4, 2, 1])
# Physicians (or pharmacists) per institution: low, high (inclusive).
TYPE_PHYS = np.array([[90, 160], [35, 70], [6, 16], [1, 3], [1, 2], [1, 3], [1, 2], [1, 2]])
TYPE_SIZE_SIGMA = np.array([0.25, 0.3, 0.4, 0.6, 0.5, 0.5, 0.5, 0.4])
HOSPITAL_TYPES = (T_MC, T_RH, T_DH)

# --------------------------------------------------------------------------------------
# Case types and visit settings
# --------------------------------------------------------------------------------------

CASE_CODES = [
    "01", "02", "04", "05", "08", "09", "E1",
    "11", "12", "13", "14", "15", "16", "19",
    "21", "22", "24", "29", "30",
]  # fmt: skip
CASE = {c: i for i, c in enumerate(CASE_CODES)}
CASE_IS_DENTAL = np.array([c[0] == "1" for c in CASE_CODES])
CASE_IS_TCM = np.array([c[0] in "23" and c != "E1" for c in CASE_CODES])

# Settings drive drugs, services and points of a claim.
(
    S_WM_ACUTE,
    S_WM_CHRONIC,
    S_OTHER,
    S_REFILL,
    S_HOSP_OPD,
    S_HOSP_CHRONIC,
    S_ER,
    S_TCM,
    S_TCM_ACU,
    S_DENTAL,
    S_DIALYSIS,
    S_E1,
) = range(12)
N_SETTINGS = 12

# Per setting: probability of any drug, drug lines = base + Binomial(n, p).
SET_P_DRUG = np.array([0.93, 1.0, 0.6, 1.0, 0.86, 1.0, 0.9, 0.96, 0.45, 0.3, 1.0, 0.0])
SET_DRUG_BASE = np.array([2, 2, 1, 2, 2, 2, 1, 4, 2, 1, 1, 0])
SET_DRUG_N = np.array([6, 8, 4, 8, 7, 8, 5, 6, 4, 2, 2, 0])
SET_DRUG_P = np.array([0.55, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.4, 0.5, 0.0])
# Drug pool per setting: 0 acute WM, 1 chronic WM, 2 TCM herbs, 3 dialysis drugs.
SET_POOL = np.array([0, 1, 0, 1, 0, 1, 0, 2, 2, 0, 3, 0])
# Probability of one procedure line, random labs per acute visit (mean).
SET_P_PROC = np.array([0.16, 0.04, 0.25, 0.0, 0.25, 0.05, 0.6, 0.06, 1.0, 1.0, 0.0, 0.0])
SET_LAB_MEAN = np.array([0.20, 0.25, 0.30, 0.0, 0.65, 0.4, 1.4, 0.0, 0.0, 0.0, 0.3, 0.0])
LEVEL_LAB_FACTOR = np.array([1.3, 1.1, 0.85, 1.0, 1.0, 1.0, 1.0, 1.0])

# Drug days per setting: (values, weights).
SET_DRUG_DAYS: list[tuple[list[int], list[float]]] = [
    ([3, 4, 5, 7], [0.65, 0.1, 0.05, 0.2]),
    ([28, 30, 14], [0.6, 0.25, 0.15]),
    ([3, 7, 14], [0.5, 0.3, 0.2]),
    ([28, 30], [0.7, 0.3]),
    ([3, 7, 14, 28], [0.25, 0.4, 0.2, 0.15]),
    ([28, 30, 14], [0.55, 0.25, 0.2]),
    ([1, 2, 3], [0.3, 0.3, 0.4]),
    ([7, 5, 3, 14], [0.55, 0.2, 0.15, 0.1]),
    ([3, 7], [0.5, 0.5]),
    ([3, 5], [0.8, 0.2]),
    ([30], [1.0]),
    ([0], [1.0]),
]

# --------------------------------------------------------------------------------------
# Diagnoses (ICD-10-CM without the dot)
# --------------------------------------------------------------------------------------

ICD_ACUTE = [
    ("J069", 10), ("J029", 6), ("J00", 5), ("J209", 4), ("J0190", 2), ("K219", 4),
    ("K297", 3), ("K5900", 2), ("A09", 3), ("R1084", 2), ("M545", 5), ("M25561", 2),
    ("M7918", 2), ("R51", 2), ("R05", 3), ("H6690", 2), ("H1033", 2), ("L309", 3),
    ("L089", 1), ("N390", 2), ("R42", 1), ("G4700", 2), ("F410", 1), ("J301", 4),
    ("M170", 2), ("R509", 2), ("B349", 3), ("Z0000", 1), ("H5213", 1), ("K3000", 1),
]  # fmt: skip
ICD_CHRONIC_OTHER = [("I10", 50), ("E785", 30), ("K219", 8), ("M170", 7), ("F329", 5)]
ICD_ER = [
    ("R079", 3), ("R1010", 2), ("R1013", 2), ("R509", 3), ("S0990XA", 2), ("J189", 2),
    ("N390", 2), ("R55", 1), ("T7840XA", 1), ("K3580", 1), ("S52501A", 1), ("R42", 1),
]  # fmt: skip
ICD_TCM = [
    ("M545", 6), ("M5416", 3), ("M6281", 2), ("S134XXA", 2), ("K5900", 2), ("R51", 2),
    ("N943", 2), ("J069", 3), ("G4700", 3), ("M25511", 2), ("R5383", 2), ("K3000", 1),
]  # fmt: skip
ICD_DENTAL = [
    ("K0251", 4), ("K0252", 3), ("K029", 2), ("K0530", 3), ("K0510", 2), ("K0889", 1),
    ("K047", 1), ("K0401", 1), ("K036", 3),
]  # fmt: skip
ICD_SECONDARY = [
    ("I10", 6), ("E785", 4), ("K219", 2), ("M545", 1), ("J301", 2), ("Z9889", 1),
    ("R05", 1), ("G4700", 1), ("E039", 1), ("M810", 1),
]  # fmt: skip
ICD_INPATIENT = [
    ("J189", 6), ("I639", 3), ("I214", 2), ("K3580", 2), ("S72001A", 2), ("N390", 3),
    ("C349", 2), ("O800", 2), ("A419", 3), ("I5020", 2), ("K8000", 2), ("C189", 1),
    ("J440", 2), ("E1165", 1), ("N186", 1), ("K922", 1), ("I10", 1), ("J9601", 1),
]  # fmt: skip
# The three care-plan conditions (see domain spec §6): codes and weights.
ICD_DM = [("E119", 55), ("E1165", 12), ("E1122", 6), ("E1140", 5), ("E1169", 5),
          ("E1129", 4), ("E109", 5), ("E139", 3), ("E0800", 1), ("E1310", 1), ("E1151", 3)]  # fmt: skip
ICD_CKD = [("N183", 30), ("N182", 20), ("N181", 10), ("N1830", 20), ("N1831", 20)]
ICD_ASTHMA = [("J45909", 40), ("J45901", 5), ("J4520", 10), ("J4530", 8),
              ("J4540", 8), ("J4550", 5), ("J449", 18), ("J441", 6)]  # fmt: skip
ICD_DIALYSIS = [("N186", 1)]

ICD_GROUPS = {
    "acute": ICD_ACUTE,
    "chronic_other": ICD_CHRONIC_OTHER,
    "er": ICD_ER,
    "tcm": ICD_TCM,
    "dental": ICD_DENTAL,
    "secondary": ICD_SECONDARY,
    "inpatient": ICD_INPATIENT,
    "dm": ICD_DM,
    "ckd": ICD_CKD,
    "asthma": ICD_ASTHMA,
    "dialysis": ICD_DIALYSIS,
}


LUT_BITS = 18


def lookup_table(weights: np.ndarray, bits: int = LUT_BITS) -> np.ndarray:
    """Positions 0..len(weights)-1 laid out in 2**bits slots in proportion to the weights.

    Drawing a uniform slot is an O(1) weighted choice (resolution 2**-bits), much faster than
    a binary search per draw on millions of rows.
    """
    cum = np.cumsum(np.asarray(weights, dtype=float))
    centers = (np.arange(1 << bits) + 0.5) / (1 << bits) * cum[-1]
    return np.minimum(np.searchsorted(cum, centers, side="right"), cum.size - 1).astype(np.int32)


@dataclass(frozen=True)
class CodeGroup:
    """Indices into a code list with their weights, sampled through a lookup table."""

    idx: np.ndarray
    cum: np.ndarray
    lut: np.ndarray

    @classmethod
    def of(cls, idx: ArrayLike, weights: ArrayLike) -> CodeGroup:
        idx = np.asarray(idx, dtype=np.int32)
        return cls(idx, np.cumsum(np.asarray(weights, dtype=float)), idx[lookup_table(weights)])

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return self.lut[rng.integers(0, 1 << LUT_BITS, size=n)]


def _build_icd() -> tuple[list[str], dict[str, CodeGroup]]:
    codes: list[str] = []
    pos: dict[str, int] = {}
    groups: dict[str, CodeGroup] = {}
    for name, items in ICD_GROUPS.items():
        idx = []
        for code, _ in items:
            if code not in pos:
                pos[code] = len(codes)
                codes.append(code)
            idx.append(pos[code])
        groups[name] = CodeGroup.of(idx, [w for _, w in items])
    return codes, groups


ICD_CODES, ICD = _build_icd()

# Specialties (就醫科別).
FUNC_TYPES = ["00", "01", "02", "03", "04", "05", "06", "08", "09", "10", "11", "12", "13", "14",
              "22", "40", "60"]  # fmt: skip
FT = {c: i for i, c in enumerate(FUNC_TYPES)}
CLINIC_SPECIALTIES = (
    [FT[c] for c in ["01", "02", "04", "09", "11", "05", "06", "10", "12", "13", "14", "08"]],
    [0.22, 0.2, 0.14, 0.12, 0.07, 0.05, 0.06, 0.05, 0.03, 0.02, 0.02, 0.02],
)
HOSPITAL_SPECIALTIES = (
    [FT[c] for c in ["02", "03", "04", "05", "06", "08", "09", "10", "11", "12", "13", "14", "01"]],
    [0.3, 0.1, 0.06, 0.07, 0.09, 0.06, 0.05, 0.07, 0.04, 0.06, 0.03, 0.03, 0.04],
)

# --------------------------------------------------------------------------------------
# Order codes: drugs, services, labs, care-plan and referral fee codes
# --------------------------------------------------------------------------------------

# Lab and imaging codes ordered often, with illustrative points, where they are done (0 anywhere,
# 1 hospitals only) and acute-visit ordering weight; every other code of the seeds' lists gets
# points and a small weight from its category (lab_code_defaults).
COMMON_LABS = {
    # code: (points, hospital_only, acute weight)
    "19001C": (800, 0, 0.10),
    "19003C": (400, 0, 0.03),
    "18005C": (1300, 1, 0.05),
    "18007C": (1800, 1, 0.025),
    "18001C": (150, 0, 0.45),
    "28016C": (1500, 1, 0.05),
    "28017C": (2800, 1, 0.02),
    "09001C": (70, 0, 0.30),
    "09004C": (110, 0, 0.30),
    "09043C": (150, 0, 0.15),
    "09044C": (250, 0, 0.18),
    "09005C": (40, 0, 0.9),
    "09006C": (200, 0, 0.12),
    "08011C": (150, 0, 0.9),
    "08012C": (110, 0, 0.15),
    "08082C": (200, 0, 0.25),
    "09002C": (40, 0, 0.5),
    "09015C": (40, 0, 0.8),
    "12111C": (180, 0, 0.06),
    "09025C": (40, 0, 0.7),
    "09026C": (40, 0, 0.85),
    "32011C": (270, 0, 0.10),
    "32012C": (300, 0, 0.06),
    "06013C": (75, 0, 0.8),
    "32001C": (200, 0, 0.5),
    "33070B": (3500, 1, 0.06),
    "33084B": (6500, 1, 0.025),
    # eye examinations: 眼部檢查 is about a quarter of a region's re-executions (source 000 slide 4-1)
    "23501C": (60, 0, 0.25),
    "23401C": (60, 0, 0.2),
    "23302C": (50, 0, 0.15),
    "23506C": (400, 0, 0.05),
}
# Points range and acute weight of the other codes, by upload reward category.
CATEGORY_DEFAULTS = {
    "LAB_REPORT": (60, 400, 0.004),
    "LAB_NONREPORT": (20, 60, 0.002),
    "ULTRASOUND": (500, 1300, 0.006),
    "XRAY": (200, 330, 0.008),
    "CT_MRI": (3500, 7000, 0.003),
    "ENDOSCOPY": (1500, 2800, 0.005),
    "OTHER_IMAGE": (100, 600, 0.003),
}
REEXAM_DEFAULT = (100, 400, 0.02)  # a re-examination code missing from the upload list
IMAGE_CATEGORIES = {"CT_MRI", "ULTRASOUND", "XRAY", "ENDOSCOPY", "OTHER_IMAGE"}


@dataclass(frozen=True)
class LabCode:
    code: str
    category: str  # upload reward category ('' when not on the upload list)
    merged: str  # re-examination merged item ('' when none)
    interval: int  # interval days of the merged item (0 when none)
    points: int
    hospital_only: bool
    weight: float

    @property
    def is_imaging(self) -> bool:
        return self.category in IMAGE_CATEGORIES


def find_seed_csv(name: str) -> Path:
    """A reference seed of this repository (the generator reads the warehouse's own code lists)."""
    for candidate in (
        Path(__file__).resolve().parents[3] / "seeds" / "reference" / name,
        Path.cwd() / "seeds" / "reference" / name,
    ):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"seed seeds/reference/{name} not found (run from the repository root)")


def _read_seed(name: str) -> list[dict[str, str]]:
    with find_seed_csv(name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def lab_codes() -> list[LabCode]:
    """Every lab/imaging code of the seeds upload_items and reexam_item_map, rows valid today.

    Points and weight come from COMMON_LABS, else from the category (points drawn from the
    category's range by a hash of the code, so the catalogue does not depend on a seed). Codes
    ending in B or A (支付標準 表別: hospitals, medical centres) are done in hospitals only.
    """
    categories = {r["order_code"]: r["category_code"] for r in _read_seed("upload_items.csv") if not r["valid_to"]}
    merged: dict[str, tuple[str, int]] = {
        r["order_code"]: (r["merged_item"], int(r["interval_days"]))
        for r in _read_seed("reexam_item_map.csv")
        if not r["valid_to"]
    }
    out = []
    for code in sorted(set(categories) | set(merged)):
        category = categories.get(code, "")
        item, interval = merged.get(code, ("", 0))
        if code in COMMON_LABS:
            points, hosp_only, weight = COMMON_LABS[code]
        else:
            low, high, weight = CATEGORY_DEFAULTS.get(category, REEXAM_DEFAULT)
            points = low + zlib.crc32(code.encode()) % (high - low + 1)
            hosp_only = int(code[-1] in "AB")
            if item:
                weight = max(weight, REEXAM_DEFAULT[2])
        out.append(LabCode(code, category, item, interval, int(points), bool(hosp_only), float(weight)))
    return out


# Procedures (illustrative codes and points).
PROC_WM = [("48001C", 75), ("48011C", 150), ("54019C", 50), ("47041C", 60), ("39004C", 120),
           ("50010C", 100), ("56001C", 60), ("47017C", 90)]  # fmt: skip
PROC_TCM = [("B41", 220), ("B42", 280), ("B53", 230), ("B54", 300), ("B62", 200)]
PROC_DENTAL = [("89001C", 500), ("89002C", 650), ("89004C", 800), ("91004C", 600),
               ("92013C", 650), ("90015C", 1200), ("34001C", 200)]  # fmt: skip
DIALYSIS_CODE = ("58001C", 4000)
# Care plans (domain spec §6; asthma points are not published — assumed here).
PCODES = {
    "DM": {"new": ("P1407C", 650), "follow": ("P1408C", 200), "annual": ("P1409C", 800)},
    "CKD": {"new": ("P4301C", 200), "follow": ("P4302C", 200), "annual": ("P4302C", 200)},
    "ASTHMA": {"new": ("P1612C", 400), "follow": ("P1613C", 200), "annual": ("P1615C", 500)},
}
REFERRAL_FEE_CODES = ["01036C", "01038C", "01034B"]  # up (clinic), receiving, down (hospital)

ORDER_TYPES = ["1", "2", "3", "4", "G"]
OT_DRUG, OT_SERVICE, OT_MATERIAL, OT_NOT_PRICED, OT_VIRTUAL = range(5)


@dataclass
class Codes:
    """Every order code as one table: text, default points / price, flags."""

    text: list[str]
    points: np.ndarray  # service points per unit (services) or price in 1/100 point (drugs)
    is_lab: np.ndarray  # uploadable lab/imaging code
    is_imaging: np.ndarray
    merged: np.ndarray  # re-exam merged-item index or -1
    merged_names: list[str]
    interval: np.ndarray  # re-exam interval days of the merged item (0 if none)
    pools: dict[str, CodeGroup]
    index: dict[str, int]
    arrow: pa.Array
    # Open-list items (seed open_list_items) and their positions in this catalogue (open_list.py).
    open_list: OpenListItems | None = None
    open_list_index: np.ndarray | None = None

    def idx(self, code: str) -> int:
        return self.index[code]


_DRUG_SUFFIXES = ["100", "100", "100", "1G0", "209", "151"]


def _drug_codes(rng: np.random.Generator, prefixes: list[str], n: int, used: set) -> list[str]:
    """n new drug codes shaped like NHI drug codes (2 letters + 5 digits + 3 characters)."""
    out: list[str] = []
    while len(out) < n:
        m = 2 * (n - len(out))
        pre = rng.integers(len(prefixes), size=m)
        num = rng.integers(0, 100000, size=m)
        suf = rng.integers(len(_DRUG_SUFFIXES), size=m)
        for a, b, c in zip(pre.tolist(), num.tolist(), suf.tolist(), strict=True):
            code = f"{prefixes[a]}{b:05d}{_DRUG_SUFFIXES[c]}"
            if code not in used:
                used.add(code)
                out.append(code)
                if len(out) == n:
                    break
    return out


def build_codes() -> Codes:
    """Build the (fixed, seed-independent) order-code catalogue."""
    rng = np.random.default_rng(20240101)
    text: list[str] = []
    points: list[int] = []
    is_lab: list[bool] = []
    is_img: list[bool] = []
    merged: list[int] = []
    interval: list[int] = []
    merged_names: list[str] = []
    pools: dict[str, CodeGroup] = {}
    used: set[str] = set()

    def add(code: str, pts: int, lab: bool = False, img: bool = False, m: int = -1, iv: int = 0) -> int:
        text.append(code)
        points.append(int(pts))
        is_lab.append(lab)
        is_img.append(img)
        merged.append(m)
        interval.append(iv)
        used.add(code)
        return len(text) - 1

    def pool(name: str, idx: list[int], weights: ArrayLike) -> None:
        pools[name] = CodeGroup.of(idx, weights)

    # Drugs: price in 1/100 point per unit; popularity Zipf-like.
    specs = [
        ("drug_acute", ["AC", "BC", "AB", "NC", "KC", "AA"], 1500, np.log(1.6), 0.9, 10, 8000),
        ("drug_chronic", ["AC", "BC", "BB", "KC"], 600, np.log(2.0), 0.8, 50, 15000),
        ("drug_hospital", ["KC", "BC", "X0", "NC"], 400, np.log(8.0), 1.0, 100, 200000),
        ("drug_tcm", ["A0"], 800, np.log(1.6), 0.5, 30, 1500),
        ("drug_dialysis", ["KC", "BC"], 20, np.log(700.0), 0.4, 20000, 300000),
        ("drug_inhaler", ["BC", "KC"], 30, np.log(350.0), 0.3, 10000, 120000),
    ]
    for name, prefixes, n, mu, sigma, lo, hi in specs:
        codes = _drug_codes(rng, prefixes, n, used)
        price = np.clip(np.round(np.exp(rng.normal(mu, sigma, n)) * 100), lo, hi).astype(int)
        idx = [add(c, p) for c, p in zip(codes, price.tolist(), strict=True)]
        pool(name, idx, 1.0 / np.arange(1, n + 1) ** 0.9)

    # Labs and imaging: the seeds' upload list and re-examination map.
    merged_pos: dict[str, int] = {}
    lab_idx, lab_w, lab_hosp_only = [], [], []
    for lab in lab_codes():
        m = -1
        if lab.merged:
            if lab.merged not in merged_pos:
                merged_pos[lab.merged] = len(merged_names)
                merged_names.append(lab.merged)
            m = merged_pos[lab.merged]
        lab_idx.append(add(lab.code, lab.points, True, lab.is_imaging, m, lab.interval))
        lab_w.append(lab.weight)
        lab_hosp_only.append(lab.hospital_only)
    lab_w_arr = np.array(lab_w)
    hosp_only_arr = np.array(lab_hosp_only, bool)
    pool("lab_hospital", lab_idx, lab_w_arr)
    pool("lab_clinic", lab_idx, np.where(hosp_only_arr, 0.0, lab_w_arr))

    def known_or_add(code: str, pts: int) -> int:
        # a procedure code already in the catalogue (the dental X-ray 34001C is on the upload list)
        return text.index(code) if code in used else add(code, pts)

    pool("proc_wm", [known_or_add(c, p) for c, p in PROC_WM], np.ones(len(PROC_WM)))
    pool("proc_tcm", [known_or_add(c, p) for c, p in PROC_TCM], [4, 2, 3, 1, 1])
    pool("proc_dental", [known_or_add(c, p) for c, p in PROC_DENTAL], [5, 2, 1, 4, 2, 1, 3])
    add(*DIALYSIS_CODE)
    for plan in PCODES.values():
        for code, pts in plan.values():
            if code not in used:
                add(code, pts)
    for code in REFERRAL_FEE_CODES:
        add(code, 0)
    open_list = load_open_list_items()
    for code, pts in zip(open_list.codes, open_list.points.tolist(), strict=True):
        if code not in used:
            add(code, pts)

    index = {c: i for i, c in enumerate(text)}
    return Codes(
        text=text,
        points=np.array(points, dtype=np.int64),
        is_lab=np.array(is_lab),
        is_imaging=np.array(is_img),
        merged=np.array(merged, dtype=np.int32),
        merged_names=merged_names,
        interval=np.array(interval, dtype=np.int32),
        pools=pools,
        index=index,
        arrow=_strs(text),
        open_list=open_list,
        open_list_index=np.array([index[c] for c in open_list.codes], dtype=np.int32),
    )


# Chronic panels: (codes ordered together, order probability when due).
CHRONIC_LAB_PANELS = {
    "DM": [
        (["09006C"], 0.85),
        (["09005C"], 0.45),
        (["09001C", "09004C", "09043C", "09044C"], 0.55),
        (["09015C"], 0.45),
        (["12111C"], 0.35),
    ],
    "CKD": [
        (["09015C", "09002C"], 0.6),
        (["12111C"], 0.45),
        (["06013C"], 0.4),
        (["08011C"], 0.25),
    ],
    "ASTHMA": [(["08011C"], 0.08)],
}

SECTORS = ["WM_PRIMARY", "HOSPITAL", "TCM", "DENTAL"]
SEC_WM, SEC_HOSP, SEC_TCM, SEC_DENTAL = range(4)
