"""Generator configuration."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import asdict, dataclass
from pathlib import Path

SIZES = {"tiny": 1_000, "demo": 15_000, "region": 1_000_000}
FORMATS = ("parquet", "csv")


@dataclass
class GeneratorConfig:
    """What to generate. ``persons`` overrides the person count of ``size``."""

    out: str | Path = "data/raw"
    size: str = "demo"
    persons: int | None = None
    months: int = 24
    start_ym: int | str = 202401
    seed: int = 42
    format: str = "parquet"
    bad_share: float = 0.001
    duplicate_share: float = 0.002
    extract_date: str | dt.date | None = None
    quiet: bool = True
    workers: int | None = None  # None: automatic (1 for small runs, else up to 2)
    rules_csv: str | Path | None = None  # default: seeds/reference/quarantine_rules.csv
    budget_includes_inpatient: bool = True  # HOSPITAL budget base: cd + dd (default, as the marts) or cd only
    prospective_regions: tuple[str, ...] = ("3",)  # regions whose hospitals get prospective-budget inputs (中區)

    def __post_init__(self) -> None:
        if self.size not in SIZES:
            raise ValueError(f"size must be one of {sorted(SIZES)}, not {self.size!r}")
        if self.format not in FORMATS:
            raise ValueError(f"format must be one of {FORMATS}, not {self.format!r}")
        if self.months < 1:
            raise ValueError("months must be at least 1")
        ym = str(self.start_ym)
        if len(ym) != 6 or not ym.isdigit() or not 1 <= int(ym[4:]) <= 12:
            raise ValueError(f"start_ym must be YYYYMM, not {self.start_ym!r}")
        if not 0 <= self.bad_share < 0.5 or not 0 <= self.duplicate_share < 0.5:
            raise ValueError("bad_share and duplicate_share must be in [0, 0.5)")
        if self.n_persons < 10:
            raise ValueError("persons must be at least 10")
        self.prospective_regions = tuple(str(r) for r in self.prospective_regions)
        if any(r not in ("1", "2", "3", "4", "5", "6") for r in self.prospective_regions):
            raise ValueError(f"prospective_regions must be region codes 1-6, not {self.prospective_regions!r}")
        if self.extract_date is not None and not isinstance(self.extract_date, dt.date):
            self.extract_date = dt.date.fromisoformat(str(self.extract_date))
        if self.extract_date is not None and self.extract_date <= self.month_start(self.months):
            last = self.month_start(self.months - 1)
            raise ValueError(f"extract_date must be after the last fee month {last:%Y-%m}")

    @property
    def n_persons(self) -> int:
        return int(self.persons) if self.persons is not None else SIZES[self.size]

    def month_start(self, i: int) -> dt.date:
        """First day of the i-th fee month of the span (i may be ``months``: the month after)."""
        ym = str(self.start_ym)
        y, m = int(ym[:4]), int(ym[4:]) - 1 + i
        return dt.date(y + m // 12, m % 12 + 1, 1)

    def fee_ym(self, i: int) -> str:
        return self.month_start(i).strftime("%Y%m")

    @property
    def resolved_extract_date(self) -> dt.date:
        """Default: the 20th of the month after the last fee month."""
        if self.extract_date is not None:
            return self.extract_date  # type: ignore[return-value]
        return self.month_start(self.months).replace(day=20)

    @property
    def n_workers(self) -> int:
        if self.workers is not None:
            return max(1, int(self.workers))
        if self.n_persons * self.months < 2_000_000:
            return 1
        return max(1, min(2, os.cpu_count() or 1))

    def as_dict(self) -> dict:
        d = asdict(self)
        d["out"] = str(self.out)
        d["start_ym"] = str(self.start_ym)
        d["persons"] = self.n_persons
        d["extract_date"] = self.resolved_extract_date.isoformat()
        d["rules_csv"] = str(self.rules_csv) if self.rules_csv else None
        d["workers"] = self.n_workers
        return d
