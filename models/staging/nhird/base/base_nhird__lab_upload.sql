{{ config(materialized='view') }}

-- Lab/imaging result uploads (lab_upload), typed, with the first contract rule each row breaks.

with source as (

    select * from {{ source('nhird', 'lab_upload') }}

),

cleaned as (

    select
        {{ clean_text('"HOSP_ID"') }} as hosp_id,
        {{ clean_text('"ORDER_HOSP_ID"') }} as order_hosp_id,
        {{ clean_text('"ID"') }} as patient_id,
        {{ clean_text('"FUNC_DATE"') }} as visit_date_text,
        {{ clean_text('"ORDER_CODE"') }} as order_code,
        {{ clean_text('"REPORT_TIME"') }} as reported_at_text,
        {{ clean_text('"UPLOAD_TIME"') }} as uploaded_at_text,
        {{ clean_text('"CHANNEL"') }} as channel,
        _source_file as source_file
    from source

),

typed as (

    select
        *,
        {{ dbt.safe_cast('visit_date_text', 'date') }} as visit_date,
        {{ dbt.safe_cast('reported_at_text', dbt.type_timestamp()) }} as reported_at,
        {{ dbt.safe_cast('uploaded_at_text', dbt.type_timestamp()) }} as uploaded_at
    from cleaned

),

checked as (

    select
        *,
        case
            when hosp_id is null or patient_id is null or visit_date_text is null or order_code is null
                or uploaded_at_text is null
                then 'missing_key'
            when visit_date is null or uploaded_at is null
                or (reported_at_text is not null and reported_at is null)
                then 'invalid_date'
            when channel is null or channel not in {{ contract_values('lab_upload', 'CHANNEL') }}
                then 'invalid_code'
        end as rule_name
    from typed

)

select * from checked
