-- The history behind each forecast request, institution by institution: for every month of the
-- request's history quarters (int_point_value_history_quarters) and every cell (sector, region,
-- claiming institution hosp_id) with points in it or one of the three months before it, the
-- cell's points by the as-of date (final_points) and its recent level then
-- (recent_mean_points: mean of its final points over the three months before that the
-- institution filed - an institution files all its claims of a month at once, a pharmacy's 交付
-- claims of several sectors and regions too - 0 in those it filed without claims in the cell):
-- what the projection uses for the target months, replayed on months whose outcome is known.
-- What had arrived by each target month's lag is in int_point_value_institution_arrivals; each
-- cell's points by the as-of date, month by month, in int_point_value_unit_finals.

with history_quarters as (

    select * from {{ ref('int_point_value_history_quarters') }}

),

unit_finals as (

    select * from {{ ref('int_point_value_unit_finals') }}

),

institution_finals as (

    select
        request_kind,
        fee_quarter,
        as_of_date,
        hosp_id,
        month_number,
        sum(final_points) as final_points
    from unit_finals
    group by request_kind, fee_quarter, as_of_date, hosp_id, month_number

),

history_units as (

    select
        unit_finals.request_kind,
        unit_finals.fee_quarter,
        unit_finals.as_of_date,
        unit_finals.sector,
        unit_finals.area_no_h,
        unit_finals.hosp_id,
        unit_finals.month_number + months_ahead.months_ahead as month_number
    from unit_finals
    cross join (
        {%- for months_ahead in range(4) %}
            select {{ months_ahead }} as months_ahead
            {{ 'union all' if not loop.last }}
        {%- endfor %}
    ) as months_ahead
    where unit_finals.final_points > 0

),

history_calendar as (

    select
        history_quarters.request_kind,
        history_quarters.fee_quarter,
        history_quarters.as_of_date,
        history_quarters.history_fee_quarter,
        {{ pv_add_months(quarter_start_date('history_quarters.history_fee_quarter'), 'offsets.month_offset') }}
            as month_start
    from history_quarters
    cross join (
        {%- for offset in range(3) %}
            select {{ offset }} as month_offset
            {{ 'union all' if not loop.last }}
        {%- endfor %}
    ) as offsets

),

history_months as (

    select distinct
        history_units.*,
        {{ yyyymm_of_date('history_calendar.month_start') }} as fee_ym,
        history_calendar.history_fee_quarter,
        coalesce(history_month.final_points, 0) as final_points
    from history_units
    inner join history_calendar
        on history_units.request_kind = history_calendar.request_kind
            and history_units.fee_quarter = history_calendar.fee_quarter
            and history_units.as_of_date = history_calendar.as_of_date
            and history_units.month_number = {{ pv_month_number('history_calendar.month_start') }}
    left join unit_finals as history_month
        on history_units.request_kind = history_month.request_kind
            and history_units.fee_quarter = history_month.fee_quarter
            and history_units.as_of_date = history_month.as_of_date
            and history_units.sector = history_month.sector
            and history_units.area_no_h = history_month.area_no_h
            and history_units.hosp_id = history_month.hosp_id
            and history_units.month_number = history_month.month_number

),

recent as (

    select
        history_months.request_kind,
        history_months.fee_quarter,
        history_months.as_of_date,
        history_months.sector,
        history_months.area_no_h,
        history_months.hosp_id,
        history_months.month_number,
        cast(sum(coalesce(earlier.final_points, 0)) as double) / count(*) as recent_mean_points
    from history_months
    inner join institution_finals as filed
        on history_months.request_kind = filed.request_kind
            and history_months.fee_quarter = filed.fee_quarter
            and history_months.as_of_date = filed.as_of_date
            and history_months.hosp_id = filed.hosp_id
            and filed.month_number between history_months.month_number - 3 and history_months.month_number - 1
            and filed.final_points > 0
    left join unit_finals as earlier
        on history_months.request_kind = earlier.request_kind
            and history_months.fee_quarter = earlier.fee_quarter
            and history_months.as_of_date = earlier.as_of_date
            and history_months.sector = earlier.sector
            and history_months.area_no_h = earlier.area_no_h
            and history_months.hosp_id = earlier.hosp_id
            and filed.month_number = earlier.month_number
    group by
        history_months.request_kind,
        history_months.fee_quarter,
        history_months.as_of_date,
        history_months.sector,
        history_months.area_no_h,
        history_months.hosp_id,
        history_months.month_number

),

final as (

    select
        cast(history_months.request_kind as {{ dbt.type_string() }}) as request_kind,
        cast(history_months.fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(history_months.as_of_date as date) as as_of_date,
        cast(history_months.sector as {{ dbt.type_string() }}) as sector,
        cast(history_months.area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(history_months.hosp_id as {{ dbt.type_string() }}) as hosp_id,
        cast(history_months.history_fee_quarter as {{ dbt.type_string() }}) as history_fee_quarter,
        cast(history_months.fee_ym as {{ dbt.type_string() }}) as history_fee_ym,
        cast(history_months.final_points as bigint) as final_points,
        cast(recent.recent_mean_points as double) as recent_mean_points
    from history_months
    left join recent
        on history_months.request_kind = recent.request_kind
            and history_months.fee_quarter = recent.fee_quarter
            and history_months.as_of_date = recent.as_of_date
            and history_months.sector = recent.sector
            and history_months.area_no_h = recent.area_no_h
            and history_months.hosp_id = recent.hosp_id
            and history_months.month_number = recent.month_number

)

select * from final
