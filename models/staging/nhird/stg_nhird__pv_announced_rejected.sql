-- Quarantine of announced point values (pv_announced): rows that broke a contract rule.

with checked as (

    select * from {{ ref('base_nhird__pv_announced') }}

),

rejected as (

    {{ quarantine_rows('checked', 'pv_announced', ['sector', 'fee_quarter', 'area_no_h', 'pv_kind']) }}

)

select * from rejected
