{{ config(severity='warn') }}

-- What the meeting is shown (rpt_point_value_current) is plausible: a settled or forecast
-- regional average point value between 0.8 and 1.3, and nothing shown for a PROVISIONAL
-- quarter (no value, no rank, no band). An implausible forecast points at a budget that does not
-- match the claims or a forecast without enough history.

select
    sector,
    area_no_h,
    fee_quarter,
    status,
    avg_pv
from {{ ref('rpt_point_value_current') }}
where (status = 'PROVISIONAL' and (avg_pv is not null or avg_pv_rank is not null or avg_pv_low is not null))
    or (area_no_h != 'ALL' and status != 'PROVISIONAL' and (avg_pv < 0.8 or avg_pv > 1.3))
