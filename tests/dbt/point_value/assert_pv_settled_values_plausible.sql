{{ config(severity='warn') }}

-- Realism check: settled regional average point values normally lie between 0.8 and 1.3
-- (quality/mart_expectations.yml checks the same on the published marts); values outside point
-- at a missing budget or mis-classified claims.

select
    sector,
    area_no_h,
    fee_quarter,
    avg_pv
from {{ ref('point_value_settlement') }}
where status = 'SETTLED'
    and (avg_pv < 0.8 or avg_pv > 1.3)
