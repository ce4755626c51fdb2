{{ config(severity='warn') }}

-- General-service points of a budget sector with no budget row for their region and quarter:
-- they cannot get a point value and are left out of the settlement and the forecast.

with points as (

    select
        aggregated.sector,
        aggregated.area_no_h,
        aggregated.fee_quarter,
        sum(aggregated.claims) as claims,
        sum(aggregated.points) as points
    from {{ ref('int_general_service_points_aggregated') }} as aggregated
    inner join {{ ref('point_value_sectors') }} as sectors
        on aggregated.sector = sectors.sector
    group by aggregated.sector, aggregated.area_no_h, aggregated.fee_quarter

)

select
    points.sector,
    points.area_no_h,
    points.fee_quarter,
    points.claims,
    points.points
from points
left join {{ ref('stg_nhird__budget') }} as budgets
    on
        points.sector = budgets.sector
        and points.area_no_h = budgets.area_no_h
        and points.fee_quarter = budgets.fee_quarter
where
    points.points > 0
    and budgets.sector is null
