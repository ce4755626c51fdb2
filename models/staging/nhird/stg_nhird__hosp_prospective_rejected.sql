-- Quarantine of hospital prospective-budget inputs (hosp_prospective): rows that broke a
-- row-level contract rule.

with rejected as (

    {{ quarantine_rows('base_nhird__hosp_prospective', 'hosp_prospective', ['hosp_id', 'fee_quarter']) }}

)

select * from rejected
