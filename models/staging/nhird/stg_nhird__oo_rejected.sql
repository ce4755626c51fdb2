-- Quarantine of outpatient order lines (oo): rows that broke a row-level contract rule.

with rejected as (

    {{ quarantine_rows('base_nhird__oo', 'oo', ['hosp_id', 'fee_ym', 'appl_type', 'case_type', 'seq_no_text', 'order_seq_no_text']) }}

)

select * from rejected
