-- Quarantine of institutions (hosb): rows that broke a contract rule, with the rule.

with checked as (

    select * from {{ ref('base_nhird__hosb') }}

),

rejected as (

    {{ quarantine_rows('checked', 'hosb', ['hosp_id']) }}

)

select * from rejected
