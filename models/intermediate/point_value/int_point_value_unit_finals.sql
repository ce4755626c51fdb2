-- Each cell's points by the as-of date of each forecast request, month by month: for every
-- request, cell (sector, region, claiming institution hosp_id) and month of the window that
-- int_point_value_institution_history replays (the request's history quarters,
-- int_point_value_history_quarters, from three months before the first to the last), the
-- general-service points (int_general_service_points_aggregated) of claims applied for by the
-- as-of date. Months are month numbers (year x 12 + month, pv_month_number); a cell-month
-- without points by then has no row.

with history_quarters as (

    select * from {{ ref('int_point_value_history_quarters') }}

),

points as (

    select * from {{ ref('int_general_service_points_aggregated') }}
    where points != 0

),

windows as (

    select
        request_kind,
        fee_quarter,
        as_of_date,
        {{ pv_month_number('min(' ~ quarter_start_date('history_fee_quarter') ~ ')') }} - 3 as first_month_number,
        {{ pv_month_number('max(' ~ quarter_start_date('history_fee_quarter') ~ ')') }} + 2 as last_month_number
    from history_quarters
    group by request_kind, fee_quarter, as_of_date

),

unit_finals as (

    select
        windows.request_kind,
        windows.fee_quarter,
        windows.as_of_date,
        points.sector,
        points.area_no_h,
        points.hosp_id,
        {{ pv_month_number('points.fee_month_start') }} as month_number,
        sum(points.points) as final_points
    from windows
    inner join points
        on {{ pv_month_number('points.fee_month_start') }} between windows.first_month_number and windows.last_month_number
            and points.appl_date <= windows.as_of_date
    group by
        windows.request_kind,
        windows.fee_quarter,
        windows.as_of_date,
        points.sector,
        points.area_no_h,
        points.hosp_id,
        {{ pv_month_number('points.fee_month_start') }}

),

final as (

    select
        cast(request_kind as {{ dbt.type_string() }}) as request_kind,
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(as_of_date as date) as as_of_date,
        cast(sector as {{ dbt.type_string() }}) as sector,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(hosp_id as {{ dbt.type_string() }}) as hosp_id,
        cast(month_number as integer) as month_number,
        cast(final_points as bigint) as final_points
    from unit_finals

)

select * from final
