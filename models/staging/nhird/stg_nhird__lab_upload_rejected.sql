-- Quarantine of lab-result uploads (lab_upload): rows that broke a contract rule.

with rejected as (

    {{ quarantine_rows('base_nhird__lab_upload', 'lab_upload', ['hosp_id', 'visit_date_text', 'order_code', 'uploaded_at_text']) }}

)

select * from rejected
