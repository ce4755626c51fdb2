-- The history months' points by the TARGET months' lags: for every forecast request, TARGET
-- month (its lag and day cutoff, int_point_value_request_months) and month of the request's
-- history quarters, the points of each cell (sector, region, claiming institution) that had
-- arrived by that lag - the replay of what the projection sees of the target month, on months
-- whose outcome is known (int_point_value_institution_history). Cells without arrivals have no row.

with target_months as (

    select * from {{ ref('int_point_value_request_months') }}
    where month_role = 'TARGET'

),

history_quarters as (

    select * from {{ ref('int_point_value_history_quarters') }}

),

points as (

    select * from {{ ref('int_general_service_points_aggregated') }}
    where points != 0

),

arrivals as (

    select
        target_months.request_kind,
        target_months.fee_quarter,
        target_months.as_of_date,
        target_months.month_offset,
        points.sector,
        points.area_no_h,
        points.hosp_id,
        points.fee_ym,
        sum(points.points) as arrived_points
    from target_months
    inner join history_quarters
        on target_months.request_kind = history_quarters.request_kind
            and target_months.fee_quarter = history_quarters.fee_quarter
            and target_months.as_of_date = history_quarters.as_of_date
    inner join points
        on history_quarters.history_fee_quarter = points.fee_quarter
            and points.appl_date <= target_months.as_of_date
            and (
                points.appl_lag_months < target_months.lag_months
                or (points.appl_lag_months = target_months.lag_months and points.appl_day_of_month <= target_months.cutoff_day)
            )
    group by
        target_months.request_kind,
        target_months.fee_quarter,
        target_months.as_of_date,
        target_months.month_offset,
        points.sector,
        points.area_no_h,
        points.hosp_id,
        points.fee_ym

),

final as (

    select
        cast(request_kind as {{ dbt.type_string() }}) as request_kind,
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(as_of_date as date) as as_of_date,
        cast(month_offset as integer) as month_offset,
        cast(sector as {{ dbt.type_string() }}) as sector,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(hosp_id as {{ dbt.type_string() }}) as hosp_id,
        cast(fee_ym as {{ dbt.type_string() }}) as history_fee_ym,
        cast(arrived_points as bigint) as arrived_points
    from arrivals

)

select * from final
