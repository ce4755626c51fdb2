-- Outpatient order lines (門診醫令明細檔): valid rows, one per natural key.
-- The execution date is EXE_S_DATE when present, else the claim's visit date (resolved
-- downstream, where the claim is joined).
-- On DuckDB built by fee month: a run recomputes the fee months whose raw files changed, from
-- every row of those months (docs/incremental.md).

{{ config(
    materialized=incremental_on_duckdb('table'),
    incremental_strategy='append',
    pre_hook="{{ delete_fee_months() }}",
    post_hook="{{ record_fee_months() }}",
    meta={'fee_month': {'inputs': ['raw.oo']}},
) }}

with checked as (

    select landed.* from {{ ref('base_nhird__oo') }} as landed
    where landed.rule_name is null
    {{ fee_month_filter('landed.fee_ym', file_column='landed.source_file') }}

),

deduplicated as (

    {{ dedupe_latest(
        'checked',
        ['hosp_id', 'fee_ym', 'appl_type', 'case_type', 'seq_no', 'order_seq_no'],
        'appl_date desc, source_file desc, order_code, order_dot desc'
    ) }}

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
