{{ config(severity='warn') }}

-- Every fee year with general-service points of a budget sector has that sector's protected-item
-- list (保障項目) in seed point_value_protected_items - a NONE row when the year has none. A
-- missing year means its protected items are not applied: add the year's agreed list.

with sector_years as (

    select distinct
        aggregated.sector,
        year(aggregated.fee_month_start) as fee_year
    from {{ ref('int_general_service_points_aggregated') }} as aggregated
    inner join {{ ref('point_value_sectors') }} as sectors
        on aggregated.sector = sectors.sector
    where aggregated.points != 0

),

listed as (

    select distinct
        sector,
        fee_year
    from {{ ref('point_value_protected_items') }}

)

select
    sector_years.sector,
    sector_years.fee_year
from sector_years
left join listed
    on sector_years.sector = listed.sector
        and sector_years.fee_year = listed.fee_year
where listed.sector is null
