{{ config(severity='warn') }}

-- Warns (never fails the build) when the delivery had rows that broke a contract rule.
-- One result row per table and rule with rejected rows; see marts.quarantine_summary and the
-- staging.stg_nhird__<table>_rejected relations for the rows themselves.

select
    table_name,
    rule_name,
    rejected_rows
from {{ ref('quarantine_summary') }}
where rejected_rows > 0
