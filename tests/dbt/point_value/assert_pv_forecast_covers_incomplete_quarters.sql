-- Every (sector, region, quarter) of the settlement that is not complete has a forecast row.

select
    settlement.sector,
    settlement.area_no_h,
    settlement.fee_quarter
from {{ ref('point_value_settlement') }} as settlement
left join {{ ref('point_value_forecast') }} as forecast
    on settlement.sector = forecast.sector
        and settlement.area_no_h = forecast.area_no_h
        and settlement.fee_quarter = forecast.fee_quarter
where not settlement.is_complete
    and forecast.sector is null
