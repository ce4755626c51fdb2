{{ config(severity='warn') }}

-- Realism check: settled regional average point values of complete quarters normally lie
-- between about 0.8 and 1.3; values outside point at a missing budget or mis-classified claims.

select
    sector,
    area_no_h,
    fee_quarter,
    avg_pv
from {{ ref('point_value_settlement') }}
where is_complete
    and (avg_pv < 0.8 or avg_pv > 1.3)
