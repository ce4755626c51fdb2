-- Quarantine of inpatient claims (dd): rows that broke a contract rule, with the rule.

with checked as (

    select * from {{ ref('base_nhird__dd') }}

),

rejected as (

    {{ quarantine_rows('checked', 'dd', ['hosp_id', 'fee_ym', 'appl_type', 'case_type', 'seq_no_text']) }}

)

select * from rejected
