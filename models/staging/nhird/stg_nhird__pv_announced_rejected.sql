-- Quarantine of announced point values (pv_announced): rows that broke a contract rule.

with rejected as (

    {{ quarantine_rows('base_nhird__pv_announced', 'pv_announced', ['sector', 'fee_quarter', 'area_no_h', 'pv_kind']) }}

)

select * from rejected
