-- Electronic referral platform records (電子轉診平台轉診單): valid rows, one per referral.

with checked as (

    select * from {{ ref('base_nhird__referral') }}
    where rule_name is null

),

deduplicated as (

    {{ dedupe_latest(
        'checked',
        ['referral_no'],
        'reply_date desc nulls last, recv_date desc nulls last, source_file desc'
    ) }}

),

final as (

    select
        referral_no,
        issue_hosp_id,
        recv_hosp_id,
        {{ pseudonymise('patient_id') }} as patient_key,
        issue_date,
        {{ fee_quarter(yyyymm_of_date('issue_date')) }} as issue_quarter,
        recv_date,
        reply_date
    from deduplicated

)

select * from final
