-- Quarantine of budget rows (budget): rows that broke a contract rule.

with rejected as (

    {{ quarantine_rows('base_nhird__budget', 'budget', ['sector', 'fee_quarter', 'area_no_h']) }}

)

select * from rejected
