-- Outpatient order lines (門診醫令明細檔): valid rows, one per natural key.
-- The execution date is EXE_S_DATE when present, else the claim's visit date (resolved
-- downstream, where the claim is joined).
-- On DuckDB incremental: a run recomputes only the order-line keys whose landed rows changed
-- (incremental_state.changes_oo), from every landed row of those keys
-- (macros/incremental/incremental.sql).

{{ config(
    materialized=incremental_on_duckdb('table'),
    incremental_strategy='append',
    pre_hook="{{ incremental_before() }}",
    post_hook="{{ incremental_after() }}",
) }}

with checked as (

    select landed.* from {{ ref('base_nhird__oo') }} as landed
    where landed.rule_name is null
    {%- if incremental_scope() == 'delta' %}
        and {{ incremental_delta_match(incremental_delta_relation('oo'), {
            'hosp_id': 'landed.hosp_id', 'fee_ym': 'landed.fee_ym', 'appl_type': 'landed.appl_type',
            'case_type': 'landed.case_type', 'seq_no': 'landed.seq_no', 'order_seq_no': 'landed.order_seq_no'
        }) }}
    {%- endif %}

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
