"""Exit codes of `python -m nhi_warehouse.quality` (and `nhi pipeline`), stable for schedulers.

=====  ==========================================================================
code   meaning
=====  ==========================================================================
0      everything checked passed
2      usage or configuration error (bad option, unreadable config, no warehouse)
3      raw delivery refused: structurally broken, or a rule broken beyond its share
4      `dbt build` failed (a model, a data test or a unit test); marts not validated
5      mart validation failed (a mart expectation, an identifier-shaped string, ...)
6      dbt conventions check failed (manifest violations)
7      a file is locked by another process or not accessible (permission denied);
       try again when the other process has ended, or fix the permission (any `nhi`
       command)
=====  ==========================================================================
"""

from __future__ import annotations

OK = 0
USAGE = 2
RAW_REFUSED = 3
DBT_FAILED = 4
MARTS_FAILED = 5
CONVENTIONS_FAILED = 6
ACCESS = 7

MEANING = {
    OK: "ok",
    USAGE: "usage or configuration error",
    RAW_REFUSED: "raw delivery refused",
    DBT_FAILED: "dbt build failed",
    MARTS_FAILED: "mart validation failed",
    CONVENTIONS_FAILED: "dbt conventions violated",
    ACCESS: "locked by another process or permission denied",
}
