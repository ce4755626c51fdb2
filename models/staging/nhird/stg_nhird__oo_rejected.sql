-- Quarantine of outpatient order lines (oo): rows that broke a row-level contract rule.

with checked as (

    select * from {{ ref('base_nhird__oo') }}

),

rejected as (

    {{ quarantine_rows('checked', 'oo', ['hosp_id', 'fee_ym', 'appl_type', 'case_type', 'seq_no_text', 'order_seq_no_text']) }}

)

select * from rejected
