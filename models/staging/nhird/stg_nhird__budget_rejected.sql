-- Quarantine of budget rows (budget): rows that broke a contract rule.

with checked as (

    select * from {{ ref('base_nhird__budget') }}

),

rejected as (

    {{ quarantine_rows('checked', 'budget', ['sector', 'fee_quarter', 'area_no_h']) }}

)

select * from rejected
