-- Quarantine of region prospective-budget inputs (prospective_region): rows that broke a
-- contract rule.

with rejected as (

    {{ quarantine_rows('base_nhird__prospective_region', 'prospective_region', ['area_no_h', 'fee_quarter']) }}

)

select * from rejected
