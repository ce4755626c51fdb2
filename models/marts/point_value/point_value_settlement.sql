-- 點值結算 Point values per sector, region (and 全區 'ALL') and fee quarter, every quarter with its
-- status: SETTLED once complete, else PROVISIONAL - no point value and no rank (the forecast is
-- in point_value_forecast; provisional_budget_ratio is B over the points received so far, not a
-- point value). Beside them the comparisons the slides print: the previous quarter's and the
-- same quarter last year's settled value and rank, and the announced values. Computed in
-- int_point_values_settled; see there for the rules.

with calendar_quarters as (

    select * from {{ ref('int_calendar_quarters') }}

),

settled as (

    select * from {{ ref('int_point_values_settled') }}

),

sectors as (

    select * from {{ ref('point_value_sectors') }}

),

regions as (

    select * from {{ ref('regions') }}

),

announced as (

    select * from {{ ref('stg_nhird__pv_announced') }}

),

announced_pivoted as (

    select
        sector,
        fee_quarter,
        area_no_h,
        max(case when pv_kind = 'SETTLED' then float_pv end) as announced_settled_float_pv,
        max(case when pv_kind = 'SETTLED' then avg_pv end) as announced_settled_avg_pv,
        max(case when pv_kind = 'FORECAST' then float_pv end) as announced_forecast_float_pv,
        max(case when pv_kind = 'FORECAST' then avg_pv end) as announced_forecast_avg_pv
    from announced
    group by sector, fee_quarter, area_no_h

),

compared as (

    select
        settled.*,
        previous_quarter.fee_quarter as previous_fee_quarter,
        previous_quarter.avg_pv as previous_quarter_avg_pv,
        previous_quarter.avg_pv_rank as previous_quarter_avg_pv_rank,
        year_ago.fee_quarter as year_ago_fee_quarter,
        year_ago.avg_pv as year_ago_avg_pv,
        year_ago.avg_pv_rank as year_ago_avg_pv_rank
    from settled
    left join settled as previous_quarter
        on settled.sector = previous_quarter.sector
            and settled.area_no_h = previous_quarter.area_no_h
            and {{ previous_quarter('settled.fee_quarter') }} = previous_quarter.fee_quarter
            and previous_quarter.status = 'SETTLED'
    left join settled as year_ago
        on settled.sector = year_ago.sector
            and settled.area_no_h = year_ago.area_no_h
            and {{ year_earlier_quarter('settled.fee_quarter') }} = year_ago.fee_quarter
            and year_ago.status = 'SETTLED'

),

joined as (

    select
        compared.*,
        sectors.sector_zh,
        case when compared.area_no_h = 'ALL' then '全區' else regions.region_zh end as region_zh,
        announced_pivoted.announced_settled_float_pv,
        announced_pivoted.announced_settled_avg_pv,
        announced_pivoted.announced_forecast_float_pv,
        announced_pivoted.announced_forecast_avg_pv
    from compared
    left join sectors
        on compared.sector = sectors.sector
    left join regions
        on compared.area_no_h = regions.area_no_h
    left join announced_pivoted
        on compared.sector = announced_pivoted.sector
            and compared.fee_quarter = announced_pivoted.fee_quarter
            and compared.area_no_h = announced_pivoted.area_no_h

),


dated as (

    select
        joined.*,
        calendar_quarters.fee_quarter_start
    from joined
    left join calendar_quarters
        on joined.fee_quarter = calendar_quarters.fee_quarter

),

final as (

    select
        cast(sector as {{ dbt.type_string() }}) as sector,
        cast(sector_zh as {{ dbt.type_string() }}) as sector_zh,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(region_zh as {{ dbt.type_string() }}) as region_zh,
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(fee_quarter_start as date) as fee_quarter_start,
        cast(roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(status as {{ dbt.type_string() }}) as status,
        cast(claims as bigint) as claims,
        cast(points as bigint) as points,
        cast(delivered_points as bigint) as delivered_points,
        cast(nonfloat_points as bigint) as nonfloat_points,
        cast(float_points as bigint) as float_points,
        cast(reviewed_points as bigint) as reviewed_points,
        cast(deducted_points as bigint) as deducted_points,
        cast(deduction_rate as double) as deduction_rate,
        cast(allowed_nonfloat_points as double) as allowed_nonfloat_points,
        cast(allowed_float_points as double) as allowed_float_points,
        cast(budget_amt as decimal(18, 2)) as budget_amt,
        cast(float_pv as double) as float_pv,
        cast(avg_pv as double) as avg_pv,
        cast(float_pv_rounded as decimal(8, 4)) as float_pv_rounded,
        cast(avg_pv_rounded as decimal(8, 4)) as avg_pv_rounded,
        cast(rounded_null_reason as {{ dbt.type_string() }}) as rounded_null_reason,
        cast(avg_pv_rank as integer) as avg_pv_rank,
        cast(provisional_budget_ratio as double) as provisional_budget_ratio,
        cast(previous_fee_quarter as {{ dbt.type_string() }}) as previous_fee_quarter,
        cast(previous_quarter_avg_pv as double) as previous_quarter_avg_pv,
        cast(previous_quarter_avg_pv_rank as integer) as previous_quarter_avg_pv_rank,
        cast(avg_pv - previous_quarter_avg_pv as double) as avg_pv_change_vs_previous_quarter,
        cast(year_ago_fee_quarter as {{ dbt.type_string() }}) as year_ago_fee_quarter,
        cast(year_ago_avg_pv as double) as year_ago_avg_pv,
        cast(year_ago_avg_pv_rank as integer) as year_ago_avg_pv_rank,
        cast(avg_pv - year_ago_avg_pv as double) as avg_pv_change_vs_year_ago,
        cast(as_of_date as date) as as_of_date,
        cast(settle_due_date as date) as settle_due_date,
        cast(is_complete as boolean) as is_complete,
        cast(announced_settled_float_pv as decimal(8, 4)) as announced_settled_float_pv,
        cast(announced_settled_avg_pv as decimal(8, 4)) as announced_settled_avg_pv,
        cast(announced_forecast_float_pv as decimal(8, 4)) as announced_forecast_float_pv,
        cast(announced_forecast_avg_pv as decimal(8, 4)) as announced_forecast_avg_pv
    from dated

)

select * from final
