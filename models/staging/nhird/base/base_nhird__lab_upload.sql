{{ config(materialized='view') }}

-- Lab/imaging result uploads (lab_upload), typed, with the first contract rule each row breaks.

with source as (

    {{ typed_raw_rows(source('nhird', 'lab_upload'), {
        'HOSP_ID': 'hosp_id',
        'ORDER_HOSP_ID': 'order_hosp_id',
        'ID': 'patient_id',
        'FUNC_DATE': ['visit_date', 'date'],
        'ORDER_CODE': 'order_code',
        'REPORT_TIME': ['reported_at', 'timestamp'],
        'UPLOAD_TIME': ['uploaded_at', 'timestamp'],
        'CHANNEL': 'channel',
    }) | indent(4) }}

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
    from source

)

select * from checked
