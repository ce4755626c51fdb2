{{ config(materialized='view') }}

-- Electronic referrals (referral), typed, with the first contract rule each row breaks.

with source as (

    {{ typed_raw_rows(source('nhird', 'referral'), {
        'REFERRAL_NO': 'referral_no',
        'ISSUE_HOSP_ID': 'issue_hosp_id',
        'RECV_HOSP_ID': 'recv_hosp_id',
        'ID': 'patient_id',
        'ISSUE_DATE': ['issue_date', 'date'],
        'RECV_DATE': ['recv_date', 'date'],
        'REPLY_DATE': ['reply_date', 'date'],
    }) | indent(4) }}

),

checked as (

    select
        *,
        case
            when referral_no is null or issue_hosp_id is null or recv_hosp_id is null or patient_id is null
                then 'missing_key'
            when issue_date is null
                or (recv_date_text is not null and recv_date is null)
                or (reply_date_text is not null and reply_date is null)
                then 'invalid_date'
            when recv_date < issue_date or reply_date < issue_date then 'dates_out_of_order'
        end as rule_name
    from source

)

select * from checked
