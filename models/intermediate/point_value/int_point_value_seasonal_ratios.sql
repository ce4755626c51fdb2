-- Seasonal ratio of each forecast request's TARGET months, per sector (all regions together):
-- the sector's points of the same fee month a year earlier over the mean of the three months
-- before that one (e.g. for December: last December over last September-November), from the
-- claims that had arrived by the as-of date. It turns an institution's recent level into its
-- prior for the target month (int_point_value_months_projected): recent months x seasonal ratio.
-- 1 when a year-earlier month is missing from the extract (the first year of data).

with months as (

    select * from {{ ref('int_point_value_request_months') }}
    where month_role = 'TARGET'

),

points as (

    select * from {{ ref('int_general_service_points_aggregated') }}

),

year_ago_months as (

    select
        months.request_kind,
        months.fee_quarter,
        months.as_of_date,
        months.month_offset,
        back.months_back,
        {{ yyyymm_of_date(pv_add_months('months.fee_month_start', '0 - back.months_back')) }} as fee_ym
    from months
    cross join (
        {%- for months_back in [12, 13, 14, 15] %}
            select {{ months_back }} as months_back
            {{ 'union all' if not loop.last }}
        {%- endfor %}
    ) as back

),

year_ago_points as (

    select
        year_ago_months.request_kind,
        year_ago_months.fee_quarter,
        year_ago_months.as_of_date,
        year_ago_months.month_offset,
        year_ago_months.months_back,
        points.sector,
        sum(points.points) as points
    from year_ago_months
    inner join points
        on year_ago_months.fee_ym = points.fee_ym
            and points.appl_date <= year_ago_months.as_of_date
    group by
        year_ago_months.request_kind,
        year_ago_months.fee_quarter,
        year_ago_months.as_of_date,
        year_ago_months.month_offset,
        year_ago_months.months_back,
        points.sector

),

ratios as (

    select
        request_kind,
        fee_quarter,
        as_of_date,
        month_offset,
        sector,
        sum(case when months_back = 12 then points else 0 end) as same_month_points,
        sum(case when months_back > 12 then points else 0 end) as before_points,
        sum(case when months_back > 12 and points > 0 then 1 else 0 end) as before_months
    from year_ago_points
    group by request_kind, fee_quarter, as_of_date, month_offset, sector

),

final as (

    select
        cast(request_kind as {{ dbt.type_string() }}) as request_kind,
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(as_of_date as date) as as_of_date,
        cast(month_offset as integer) as month_offset,
        cast(sector as {{ dbt.type_string() }}) as sector,
        cast(
            case
                when same_month_points > 0 and before_months = 3
                    then cast(same_month_points as double) / (cast(before_points as double) / 3)
                else 1
            end as double
        ) as seasonal_ratio,
        cast(same_month_points > 0 and before_months = 3 as boolean) as has_year_ago_months
    from ratios

)

select * from final
