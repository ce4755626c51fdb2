-- Quarantine of outpatient claims (cd): rows that broke a contract rule, with the rule.

with rejected as (

    {{ quarantine_rows('base_nhird__cd', 'cd', ['hosp_id', 'fee_ym', 'appl_type', 'case_type', 'seq_no_text']) }}

)

select * from rejected
