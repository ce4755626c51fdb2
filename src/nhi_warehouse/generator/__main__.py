"""Command line: ``python -m nhi_warehouse.generator --out DIR [options]``."""

from __future__ import annotations

import argparse
import sys

from .config import SIZES, GeneratorConfig
from .core import generate


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m nhi_warehouse.generator",
        description="Write a synthetic NHI claims extract (raw-data contract) under --out.",
    )
    p.add_argument("--out", required=True, help="output folder (one sub-folder per table)")
    p.add_argument("--size", choices=sorted(SIZES), default="demo",
                   help="tiny ~1k, demo ~15k, region ~1M persons (default demo)")  # fmt: skip
    p.add_argument("--persons", type=int, help="number of persons (overrides --size)")
    p.add_argument("--months", type=int, default=24, help="fee months (default 24)")
    p.add_argument("--start-ym", default="202401", help="first fee month YYYYMM (default 202401)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    p.add_argument("--bad-share", type=float, default=0.001, help="bad rows per rule / rows")
    p.add_argument("--duplicate-share", type=float, default=0.002, help="re-delivered cd/oo rows")
    p.add_argument("--extract-date", help="YYYY-MM-DD (default: the 20th of the month after the last)")
    p.add_argument("--workers", type=int, help="worker processes (default: automatic, at most 2)")
    p.add_argument("--quiet", action="store_true", help="no progress lines (the summary stays)")
    a = p.parse_args(argv)
    try:
        cfg = GeneratorConfig(
            out=a.out, size=a.size, persons=a.persons, months=a.months, start_ym=a.start_ym,
            seed=a.seed, format=a.format, bad_share=a.bad_share, duplicate_share=a.duplicate_share,
            extract_date=a.extract_date, quiet=a.quiet, workers=a.workers,
        )  # fmt: skip
        m = generate(cfg)
    except (ValueError, FileExistsError, FileNotFoundError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    rows = " ".join(f"{t}={n:,}" for t, n in m["rows"].items())
    print(
        f"generated {a.out}: {rows} | {m['seconds']:.1f} s, {m['claims_per_second']:,.0f} claims/s",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
