"""Data quality you can see: Great Expectations on raw deliveries and marts, dbt conventions.

    python -m nhi_warehouse.quality raw [--raw DIR]        validate a delivery before `dbt build`
    python -m nhi_warehouse.quality marts                  validate the marts after `dbt build`
    python -m nhi_warehouse.quality conventions            check dbt's manifest against the project rules
    python -m nhi_warehouse.quality pipeline [--raw DIR]   raw validation -> dbt build -> mart validation

Results are written as Great Expectations Data Docs (HTML) to ``data/quality/data_docs``
(``NHI_QUALITY_DOCS``); the Great Expectations project (suites, results) lives in
``data/quality/gx`` (``NHI_QUALITY_DIR``), created at run time. Exit codes: see
:mod:`nhi_warehouse.quality.exit_codes`.
"""
