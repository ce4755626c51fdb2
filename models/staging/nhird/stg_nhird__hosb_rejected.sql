-- Quarantine of institutions (hosb): rows that broke a contract rule, with the rule.

with rejected as (

    {{ quarantine_rows('base_nhird__hosb', 'hosb', ['hosp_id']) }}

)

select * from rejected
