"""Open-list items (西醫基層開放表別) in the synthetic extract.

The items, their cohorts and validity dates are read from the warehouse's own seed
(``seeds/open_list/open_list_items.csv``) so that the generator claims exactly the codes the marts
look for — one list, not two. Everything else here is *illustrative*: the points of an item, how
often a claim carries one (about 1 % of clinic claims, the open list's share of primary-care points)
and the usage per item of each cohort, shaped like source 004's 113 column (executed 百萬點 ÷
items: 106 cohort 26.6, 107 23.7, 108 15.6, 109 3.4, 110 9.1, 111 0.13, 112 4.7). A new item's use
ramps up over its first year. Hospitals claim the codes too, less often; their lines must not count
as open-list execution (clinics only).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SEED_RELATIVE = Path("seeds/open_list/open_list_items.csv")
# Usage per item by cohort (ROC year opened), illustrative (see the module docstring).
COHORT_WEIGHT = {106: 26.6, 107: 23.7, 108: 15.6, 109: 3.4, 110: 9.1, 111: 0.13, 112: 4.7, 113: 4.0, 114: 4.0}
DEFAULT_WEIGHT = 4.0
P_CLINIC_CLAIM = 0.012  # share of clinic (西醫基層) acute claims with an open-list line
P_HOSPITAL_CLAIM = 0.004  # share of hospital outpatient claims with one
RAMP_MONTHS = 12
POINTS_SEED = 20240707


def find_open_list_csv() -> Path:
    """The seed file: in the repository holding this package, else under the working directory."""
    candidates = [Path(__file__).resolve().parents[3] / SEED_RELATIVE, Path.cwd() / SEED_RELATIVE]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("open-list item seed not found (looked for " + ", ".join(str(c) for c in candidates) + ")")


@dataclass(frozen=True)
class OpenListItems:
    """The seed's rows: code, cohort, validity (dates inclusive; None = open) and illustrative points."""

    codes: list[str]
    cohort: np.ndarray
    valid_from: list[dt.date]
    valid_to: list[dt.date | None]
    points: np.ndarray

    def weights_on(self, day: dt.date) -> np.ndarray:
        """Usage weight of each item on a date: 0 off the list, ramping up over its first year."""
        weights = np.zeros(len(self.codes))
        for k, (start, end) in enumerate(zip(self.valid_from, self.valid_to, strict=True)):
            if day < start or (end is not None and day > end):
                continue
            months = (day.year - start.year) * 12 + day.month - start.month
            ramp = min(1.0, (months + 1) / RAMP_MONTHS)
            weights[k] = COHORT_WEIGHT.get(int(self.cohort[k]), DEFAULT_WEIGHT) * ramp
        return weights


def load_open_list_items(path: Path | None = None) -> OpenListItems:
    path = path or find_open_list_csv()
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rng = np.random.default_rng(POINTS_SEED)
    points = np.round(np.exp(rng.normal(np.log(700), 0.6, len(rows))) / 10) * 10
    return OpenListItems(
        codes=[r["order_code"] for r in rows],
        cohort=np.array([int(r["roc_year_opened"]) for r in rows], dtype=np.int32),
        valid_from=[dt.date.fromisoformat(r["valid_from"]) for r in rows],
        valid_to=[dt.date.fromisoformat(r["valid_to"]) if r["valid_to"] else None for r in rows],
        points=np.clip(points, 100, 6000).astype(np.int64),
    )


def sample_lines(
    rng: np.random.Generator,
    items: OpenListItems,
    code_index: np.ndarray,
    month_start: dt.date,
    clinic_claims: np.ndarray,
    hospital_claims: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Claims (sorted, one line each) that carry an open-list line this month and the catalogue index
    of the code. ``code_index`` maps the seed's rows to the order-code catalogue."""
    weights = items.weights_on(month_start)
    if weights.sum() <= 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int32)
    chosen = np.concatenate(
        [
            clinic_claims[rng.random(clinic_claims.size) < P_CLINIC_CLAIM],
            hospital_claims[rng.random(hospital_claims.size) < P_HOSPITAL_CLAIM],
        ]
    )
    chosen = np.sort(chosen)
    picked = rng.choice(len(items.codes), size=chosen.size, p=weights / weights.sum())
    return chosen.astype(np.int64), code_index[picked].astype(np.int32)
