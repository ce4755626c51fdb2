-- The quarter × region spine of the utilisation marts: every fee quarter a sector has claims in
-- (int_sector_months_observed) × the six regions and the whole country ('ALL', 全區), with the
-- region's name and whether the quarter is complete (int_point_value_quarters_assessed, the one
-- definition the point-value marts use). A mart left-joins its figures onto it, so a region
-- without claims in a quarter shows 0 and a quarter the extract does not cover has no row.

with months as (

    select * from {{ ref('int_sector_months_observed') }}

),

quarters_assessed as (

    select * from {{ ref('int_point_value_quarters_assessed') }}

),

regions as (

    select
        area_no_h,
        region_zh
    from {{ ref('regions') }}

    union all

    select
        'ALL' as area_no_h,
        '全區' as region_zh

),

sector_quarters as (

    select distinct
        sector,
        fee_quarter,
        roc_quarter
    from months

),

final as (

    select
        cast(sector_quarters.sector as {{ dbt.type_string() }}) as sector,
        cast(sector_quarters.fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(sector_quarters.roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(regions.area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(regions.region_zh as {{ dbt.type_string() }}) as region_zh,
        cast(quarters_assessed.is_complete as boolean) as is_complete
    from sector_quarters
    cross join regions
    left join quarters_assessed
        on sector_quarters.fee_quarter = quarters_assessed.fee_quarter

)

select * from final
