-- Outpatient order lines (門診醫令明細檔): valid rows, one per natural key.
-- The execution date is EXE_S_DATE when present, else the claim's visit date (resolved
-- downstream, where the claim is joined).
-- A view: every order line, deduplicated, for analysts and ad-hoc SQL. The build does not read
-- it: int_outpatient_orders_joined applies the same dedupe (deduplicate_order_lines) to the keys
-- that carry a listed code only, so the 59 M lines of a region-year are never written.

{{ config(
    materialized='view',
    meta={'fee_month': {'tests_follow': 'base_nhird__oo'}},
) }}

with checked as (

    select * from {{ ref('base_nhird__oo') }}
    where rule_name is null

),

deduplicated as (

    {{ deduplicate_order_lines('checked') }}

),

final as (

    select
        hosp_id,
        fee_ym,
        appl_type,
        case_type,
        seq_no,
        order_seq_no,
        appl_date,
        order_type,
        order_code,
        order_qty,
        order_dot,
        executed_at
    from deduplicated

)

select * from final
