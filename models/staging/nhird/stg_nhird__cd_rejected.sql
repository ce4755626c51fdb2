-- Quarantine of outpatient claims (cd): rows that broke a contract rule, with the rule.
-- Built by fee month on DuckDB like stg_nhird__cd (macros/increments/fee_month_increments.sql):
-- `fee_ym_key` is the row's FEE_YM as delivered ('' when empty), valid or not.

{{ fee_month_model(
    inputs=['base_nhird__cd'],
    column='fee_ym_key',
) }}

with rejected as (

    {{ quarantine_rows('base_nhird__cd', 'cd', ['hosp_id', 'fee_ym', 'appl_type', 'case_type', 'seq_no_text'], fee_month='fee_ym') }}

)

select * from rejected
