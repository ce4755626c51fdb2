-- Every PROVISIONAL (sector, region, quarter) of the settlement has a forecast row (with a value
-- once a complete history quarter exists; rpt_point_value_current shows it).

select
    settlement.sector,
    settlement.area_no_h,
    settlement.fee_quarter
from {{ ref('point_value_settlement') }} as settlement
left join {{ ref('point_value_forecast') }} as forecast
    on settlement.sector = forecast.sector
        and settlement.area_no_h = forecast.area_no_h
        and settlement.fee_quarter = forecast.fee_quarter
where settlement.status = 'PROVISIONAL'
    and forecast.sector is null
