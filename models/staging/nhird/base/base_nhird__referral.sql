{{ config(materialized='view') }}

-- Electronic referrals (referral), typed, with the first contract rule each row breaks.

with source as (

    select * from {{ source('nhird', 'referral') }}

),

cleaned as (

    select
        {{ clean_text('"REFERRAL_NO"') }} as referral_no,
        {{ clean_text('"ISSUE_HOSP_ID"') }} as issue_hosp_id,
        {{ clean_text('"RECV_HOSP_ID"') }} as recv_hosp_id,
        {{ clean_text('"ID"') }} as patient_id,
        {{ clean_text('"ISSUE_DATE"') }} as issue_date_text,
        {{ clean_text('"RECV_DATE"') }} as recv_date_text,
        {{ clean_text('"REPLY_DATE"') }} as reply_date_text,
        _source_file as source_file
    from source

),

typed as (

    select
        *,
        {{ dbt.safe_cast('issue_date_text', 'date') }} as issue_date,
        {{ dbt.safe_cast('recv_date_text', 'date') }} as recv_date,
        {{ dbt.safe_cast('reply_date_text', 'date') }} as reply_date
    from cleaned

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
    from typed

)

select * from checked
