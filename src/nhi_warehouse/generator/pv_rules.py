"""The point-value seeds the generator needs to set budgets and announced point values on the
marts' definitions: protected items (保障項目) that make whole claims non-floating, read from
``seeds/point_value/point_value_protected_items.csv`` (one definition: the seed)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

PROTECTED_ITEMS = Path("seeds/point_value/point_value_protected_items.csv")


@dataclass(frozen=True)
class ProtectedCase:
    """Claims of ``case_type`` in ``sector`` and ``fee_year`` (optionally of one contract type and
    setting) whose general-service points are all non-floating."""

    sector: str
    fee_year: int
    case_type: str
    hosp_cont_type: str | None
    setting: str | None


def protected_cases(root: Path | None = None) -> list[ProtectedCase]:
    """CASE_TYPE rows of the protected-items seed (an absent seed: none)."""
    root = root or Path(__file__).resolve().parents[3]
    path = root / PROTECTED_ITEMS
    if not path.is_file():
        return []
    with open(path, newline="", encoding="utf-8") as f:
        return [
            ProtectedCase(
                row["sector"],
                int(row["fee_year"]),
                row["match_value"],
                row["hosp_cont_type"] or None,
                row["setting"] or None,
            )
            for row in csv.DictReader(f)
            if row["item_kind"] == "CASE_TYPE"
        ]
