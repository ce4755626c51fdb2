-- hospital_claims_overview adds up along each of its three roll-ups: 門診 + 住院 = 合計 (setting
-- 'ALL'), the three levels = 總計 (level 'ALL'), the six regions = 全區 ('ALL'), for claims,
-- points and released (交付) points. Fails with the cell whose parts do not add up and the
-- roll-up that breaks.

with overview as (

    select * from {{ ref('hospital_claims_overview') }}

),

by_setting as (

    select
        fee_quarter,
        area_no_h,
        hospital_level,
        'setting' as rollup_name,
        sum(case when setting = 'ALL' then claims else 0 end) as total_claims,
        sum(case when setting <> 'ALL' then claims else 0 end) as part_claims,
        sum(case when setting = 'ALL' then points else 0 end) as total_points,
        sum(case when setting <> 'ALL' then points else 0 end) as part_points,
        sum(case when setting = 'ALL' then coalesce(released_points, 0) else 0 end) as total_released,
        sum(case when setting <> 'ALL' then coalesce(released_points, 0) else 0 end) as part_released
    from overview
    group by fee_quarter, area_no_h, hospital_level

),

by_level as (

    select
        fee_quarter,
        area_no_h,
        setting as hospital_level,
        'level' as rollup_name,
        sum(case when hospital_level = 'ALL' then claims else 0 end) as total_claims,
        sum(case when hospital_level <> 'ALL' then claims else 0 end) as part_claims,
        sum(case when hospital_level = 'ALL' then points else 0 end) as total_points,
        sum(case when hospital_level <> 'ALL' then points else 0 end) as part_points,
        sum(case when hospital_level = 'ALL' then coalesce(released_points, 0) else 0 end) as total_released,
        sum(case when hospital_level <> 'ALL' then coalesce(released_points, 0) else 0 end) as part_released
    from overview
    group by fee_quarter, area_no_h, setting

),

by_region as (

    select
        fee_quarter,
        hospital_level as area_no_h,
        setting as hospital_level,
        'region' as rollup_name,
        sum(case when area_no_h = 'ALL' then claims else 0 end) as total_claims,
        sum(case when area_no_h <> 'ALL' then claims else 0 end) as part_claims,
        sum(case when area_no_h = 'ALL' then points else 0 end) as total_points,
        sum(case when area_no_h <> 'ALL' then points else 0 end) as part_points,
        sum(case when area_no_h = 'ALL' then coalesce(released_points, 0) else 0 end) as total_released,
        sum(case when area_no_h <> 'ALL' then coalesce(released_points, 0) else 0 end) as part_released
    from overview
    group by fee_quarter, hospital_level, setting

),

checks as (

    select * from by_setting
    union all
    select * from by_level
    union all
    select * from by_region

)

select * from checks
where total_claims <> part_claims
    or total_points <> part_points
    or total_released <> part_released
