-- Quarantine of outpatient claims (cd): rows that broke a contract rule, with the rule.

with checked as (

    select * from {{ ref('base_nhird__cd') }}

),

rejected as (

    {{ quarantine_rows('checked', 'cd', ['hosp_id', 'fee_ym', 'appl_type', 'case_type', 'seq_no_text']) }}

)

select * from rejected
