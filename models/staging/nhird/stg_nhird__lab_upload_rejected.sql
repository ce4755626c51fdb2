-- Quarantine of lab-result uploads (lab_upload): rows that broke a contract rule.

with checked as (

    select * from {{ ref('base_nhird__lab_upload') }}

),

rejected as (

    {{ quarantine_rows('checked', 'lab_upload', ['hosp_id', 'visit_date_text', 'order_code', 'uploaded_at_text']) }}

)

select * from rejected
