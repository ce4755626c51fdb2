-- Quarantine of outpatient order lines (oo): rows that broke a row-level contract rule.
-- Built by fee month on DuckDB like stg_nhird__oo (macros/increments/fee_month_increments.sql):
-- `fee_ym_key` is the row's FEE_YM as delivered ('' when empty), valid or not.

{{ fee_month_model(
    inputs=['base_nhird__oo'],
    column='fee_ym_key',
) }}

with rejected as (

    {{ quarantine_rows('base_nhird__oo', 'oo', ['hosp_id', 'fee_ym', 'appl_type', 'case_type', 'seq_no_text', 'order_seq_no_text'], fee_month='fee_ym') }}

)

select * from rejected
