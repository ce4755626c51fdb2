-- Uploaded lab and imaging results (檢驗(查)結果上傳): valid rows, one per natural key.

with checked as (

    select * from {{ ref('base_nhird__lab_upload') }}
    where rule_name is null

),

deduplicated as (

    {{ dedupe_latest(
        'checked',
        ['hosp_id', 'patient_id', 'visit_date', 'order_code', 'uploaded_at'],
        'source_file desc, reported_at desc, channel'
    ) }}

),

final as (

    select
        hosp_id,
        coalesce(order_hosp_id, hosp_id) as order_hosp_id,
        {{ pseudonymise('patient_id') }} as patient_key,
        visit_date,
        order_code,
        reported_at,
        uploaded_at,
        channel
    from deduplicated

)

select * from final
