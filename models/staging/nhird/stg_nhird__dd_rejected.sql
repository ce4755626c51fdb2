-- Quarantine of inpatient claims (dd): rows that broke a contract rule, with the rule.

with rejected as (

    {{ quarantine_rows('base_nhird__dd', 'dd', ['hosp_id', 'fee_ym', 'appl_type', 'case_type', 'seq_no_text']) }}

)

select * from rejected
