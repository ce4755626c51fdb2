-- Expected review-deduction rate (核減率, domain spec §3) of each forecast request, per sector and
-- region: deducted / reviewed points of the request's history quarters (claims arrived by the
-- as-of date), pooled; a region without reviewed points takes its sector's whole-country rate,
-- then 0. deduction_rate_variance: the sample variance of the history quarters' rates (how far a
-- quarter's rate strays from the pooled one), for the forecast's standard error. Both are 0 when
-- var pv_points_after_deductions is false (point values on points before deductions).

{%- set after_deductions = var('pv_points_after_deductions', true) %}

with history_quarters as (

    select * from {{ ref('int_point_value_history_quarters') }}

),

points as (

    select * from {{ ref('int_general_service_points_aggregated') }}
    where reviewed_points != 0

),

regions as (

    select area_no_h from {{ ref('regions') }}

),

regional_quarters as (

    select
        history_quarters.request_kind,
        history_quarters.fee_quarter,
        history_quarters.as_of_date,
        history_quarters.history_fee_quarter,
        points.sector,
        points.area_no_h,
        sum(points.deducted_points) as deducted_points,
        sum(points.reviewed_points) as reviewed_points
    from history_quarters
    inner join points
        on history_quarters.history_fee_quarter = points.fee_quarter
            and points.appl_date <= history_quarters.as_of_date
    group by
        history_quarters.request_kind,
        history_quarters.fee_quarter,
        history_quarters.as_of_date,
        history_quarters.history_fee_quarter,
        points.sector,
        points.area_no_h

),

by_quarter as (

    select * from regional_quarters

    union all

    select
        request_kind,
        fee_quarter,
        as_of_date,
        history_fee_quarter,
        sector,
        'ALL' as area_no_h,
        sum(deducted_points) as deducted_points,
        sum(reviewed_points) as reviewed_points
    from regional_quarters
    group by request_kind, fee_quarter, as_of_date, history_fee_quarter, sector

),

by_area as (

    select
        request_kind,
        fee_quarter,
        as_of_date,
        sector,
        area_no_h,
        sum(deducted_points) as deducted_points,
        sum(reviewed_points) as reviewed_points,
        count(*) as quarters,
        -- quarterly rates in basis points, summed exactly (order-independent)
        {{ exact_sum('10000 * cast(deducted_points as double) / cast(reviewed_points as double)') }} as rate_bp_sum,
        {{ exact_sum('power(10000 * cast(deducted_points as double) / cast(reviewed_points as double), 2)') }}
            as rate_bp_squares
    from by_quarter
    where reviewed_points > 0
    group by request_kind, fee_quarter, as_of_date, sector, area_no_h

),

rated as (

    select
        *,
        cast(deducted_points as double) / nullif(cast(reviewed_points as double), 0) as deduction_rate,
        case
            when quarters >= 2
                then greatest(rate_bp_squares - rate_bp_sum * rate_bp_sum / quarters, 0) / (quarters - 1) / 1e8
        end as deduction_rate_variance
    from by_area

),

sector_rates as (

    select * from rated
    where area_no_h = 'ALL'

),

final as (

    select
        cast(sector_rates.request_kind as {{ dbt.type_string() }}) as request_kind,
        cast(sector_rates.fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(sector_rates.as_of_date as date) as as_of_date,
        cast(sector_rates.sector as {{ dbt.type_string() }}) as sector,
        cast(regions.area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(
            {{ 1 if after_deductions else 0 }}
            * coalesce(regional_rates.deduction_rate, sector_rates.deduction_rate, 0) as double
        ) as expected_deduction_rate,
        cast(
            {{ 1 if after_deductions else 0 }} * coalesce(
                case when regional_rates.deduction_rate is not null then regional_rates.deduction_rate_variance end,
                sector_rates.deduction_rate_variance,
                0
            ) as double
        ) as deduction_rate_variance
    from sector_rates
    cross join regions
    left join rated as regional_rates
        on sector_rates.request_kind = regional_rates.request_kind
            and sector_rates.fee_quarter = regional_rates.fee_quarter
            and sector_rates.as_of_date = regional_rates.as_of_date
            and sector_rates.sector = regional_rates.sector
            and regions.area_no_h = regional_rates.area_no_h

)

select * from final
