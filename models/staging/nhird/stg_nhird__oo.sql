-- Outpatient order lines (門診醫令明細檔): valid rows, one per natural key.
-- The execution date is EXE_S_DATE when present, else the claim's visit date (resolved
-- downstream, where the claim is joined).

with checked as (

    select * from {{ ref('base_nhird__oo') }}
    where rule_name is null

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
