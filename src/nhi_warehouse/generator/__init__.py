"""Synthetic NHI (全民健保) claims extract generator: demo and benchmark data.

Writes the raw-data contract (``shared/spec/raw-data-contract.md``; machine-readable copy in
``models/staging/nhird/_nhird__sources.yml``) under one output folder::

    OUT/hosb/hosb.parquet                       institutions (single file)
    OUT/cd/fee_ym=YYYYMM/part-0.parquet         outpatient claims, by FEE_YM
    OUT/oo/fee_ym=YYYYMM/part-0.parquet         order lines, by FEE_YM of the claim
    OUT/dd/fee_ym=YYYYMM/part-0.parquet         inpatient claims, by FEE_YM
    OUT/lab_upload/month=YYYYMM/part-0.parquet  uploads, by month of FUNC_DATE
    OUT/referral/month=YYYYMM/part-0.parquet    referrals, by month of ISSUE_DATE
    OUT/budget/budget.parquet, OUT/pv_announced/pv_announced.parquet
    OUT/_manifest.json

(``.csv`` instead of ``.parquet`` with ``--format csv``.) Every file carries all contract
columns with their upper-case names; FEE_YM is a real column in every file — the
``fee_ym=``/``month=`` folder names are informative only, read with ``hive_partitioning=false``.

Bad rows: for every (table, rule) of ``seeds/reference/quarantine_rules.csv`` (read at run
time), ``max(1, round(bad_share * rows))`` rows that each break exactly that rule (see
``inject.py`` for how each rule is broken and how their natural keys are kept apart from the
good rows). In Parquet mode, rows that need an unparseable text (``invalid_date``) are written
to ``late-fix-0.csv`` beside the Parquet files of the same folder (the warehouse reads CSV as
text); other bad rows of monthly tables go to ``late-fix-0.parquet``; those of single-file
tables are in the table's file. Duplicates: ``round(duplicate_share * rows)`` good ``cd`` and
``oo`` rows re-delivered as exact copies in ``rerun-0.*`` of their partition.

Parquet files carry the contract types as Parquet logical types (strings dictionary-encoded,
DATE, TIMESTAMP without time zone, INT32/INT64, decimals stored as INT32/INT64) and no embedded
Arrow schema. Read them with ``hive_partitioning=false``: DuckDB's auto-detection would
otherwise turn the ``fee_ym=`` folder into a column that replaces FEE_YM. Any CSV file in a
folder makes the warehouse's raw view read that table as text; ``--bad-share 0`` gives a
pure-Parquet extract (no ``late-fix`` files).

Rows whose APPL_DATE (claims) or UPLOAD_TIME (uploads) is after the extract date are not in
the extract; RECV_DATE / REPLY_DATE after it are empty. Budgets and announced point values are
computed from the complete (pre-cut) general-service points of ``cd`` and ``dd`` (``cd`` only
with ``GeneratorConfig(budget_includes_inpatient=False)``), before review deductions, as the
point-value marts define points (domain spec §2): sector by case type (11-19 dental,
21-31 TCM) else by contract type (1-3 hospital, 4 primary care); E1 care-plan claims and 05
dialysis are outside the four budgets. Pharmacy claims (contract type 5, case 08 refills) are
交付: they carry ORIG_HOSP_ID, the prescribing hospital or clinic, and count in its sector and
region (``month.DELIVERED_FROM_HOSPITAL``; the manifest's ``finance`` records the 交付 share).
``_manifest.json`` also records the per-stage seconds, the plan's cohort and eligibility counts
and the point-value targets, to help explain what the marts show.

What the data are shaped to show (see ``plan.py`` and ``month.py``): regional shares of
primary-care claims 30/16/19/15/17/3 %; chronic cohorts (diabetes ~8 % of adults, early CKD
~3 %, asthma ~3-4 %) with follow-up visits so that care-plan coverage of the previous year's
eligible persons is about 55 / 30 / 40 %; re-executions of the listed labs a few percent;
referral reply rates about 60 % up, 25 % down to clinics, 50 % down to district hospitals;
result uploads for >90 % of hospital and ~50 % of clinic lab orders; review deductions about
0.3 % of points; filing lags of days to weeks (supplementary claims months).

Usage::

    PYTHONPATH=src python -m nhi_warehouse.generator --out data/raw --size demo
    from nhi_warehouse.generator import GeneratorConfig, generate
    manifest = generate(GeneratorConfig(out="data/raw", size="tiny"))
"""

from .config import SIZES, GeneratorConfig
from .core import generate

__all__ = ["SIZES", "GeneratorConfig", "generate"]
