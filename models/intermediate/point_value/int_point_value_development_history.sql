-- The chain-ladder triangle of each forecast request's TARGET months, in long form, summed from
-- int_point_value_institution_history and _arrivals (an institution has filed a history month by
-- a target month's lag when any of its cells has points arrived by then) per history fee month,
-- sector and region (1-6 and 'ALL',
-- the sector's whole country, for the fallback):
-- * arrived_points / final_points: all institutions, by the target month's lag / by the as-of date;
-- * filed_*: the institutions that had filed the month by that lag (what is left to come for a
--   filed month is its supplementary claims 補報);
-- * expected_*: the institutions that had not filed it by that lag but filed one of the three
--   months before - their recent level (expected_prior_points) and what they finally claimed
--   (expected_final_points: late filers, or nothing for institutions that stopped).

with institution_history as (

    select * from {{ ref('int_point_value_institution_history') }}

),

arrivals as (

    select * from {{ ref('int_point_value_institution_arrivals') }}

),

target_months as (

    select * from {{ ref('int_point_value_request_months') }}
    where month_role = 'TARGET'

),

replayed as (

    select
        institution_history.*,
        target_months.month_offset,
        coalesce(arrivals.arrived_points, 0) as arrived_points
    from institution_history
    inner join target_months
        on institution_history.request_kind = target_months.request_kind
            and institution_history.fee_quarter = target_months.fee_quarter
            and institution_history.as_of_date = target_months.as_of_date
    left join arrivals
        on institution_history.request_kind = arrivals.request_kind
            and institution_history.fee_quarter = arrivals.fee_quarter
            and institution_history.as_of_date = arrivals.as_of_date
            and target_months.month_offset = arrivals.month_offset
            and institution_history.sector = arrivals.sector
            and institution_history.area_no_h = arrivals.area_no_h
            and institution_history.hosp_id = arrivals.hosp_id
            and institution_history.history_fee_ym = arrivals.history_fee_ym

),

filed as (

    select
        *,
        max(case when arrived_points > 0 then 1 else 0 end) over (
            partition by request_kind, fee_quarter, as_of_date, month_offset, hosp_id, history_fee_ym
        ) = 1 as institution_has_filed
    from replayed

),

by_region as (

    select
        request_kind,
        fee_quarter,
        as_of_date,
        month_offset,
        history_fee_quarter,
        history_fee_ym,
        sector,
        area_no_h,
        sum(arrived_points) as arrived_points,
        sum(final_points) as final_points,
        sum(case when institution_has_filed then arrived_points else 0 end) as filed_arrived_points,
        sum(case when institution_has_filed then final_points else 0 end) as filed_final_points,
        {{ exact_sum('case when not institution_has_filed and recent_mean_points > 0 then recent_mean_points else 0 end') }}
            as expected_prior_points,
        sum(case when not institution_has_filed and recent_mean_points > 0 then final_points else 0 end)
            as expected_final_points
    from filed
    group by request_kind, fee_quarter, as_of_date, month_offset, history_fee_quarter, history_fee_ym, sector, area_no_h

),

whole_country as (

    select
        request_kind,
        fee_quarter,
        as_of_date,
        month_offset,
        history_fee_quarter,
        history_fee_ym,
        sector,
        'ALL' as area_no_h,
        sum(arrived_points) as arrived_points,
        sum(final_points) as final_points,
        sum(filed_arrived_points) as filed_arrived_points,
        sum(filed_final_points) as filed_final_points,
        {{ exact_sum('expected_prior_points') }} as expected_prior_points,
        sum(expected_final_points) as expected_final_points
    from by_region
    group by request_kind, fee_quarter, as_of_date, month_offset, history_fee_quarter, history_fee_ym, sector

),

by_area as (

    select * from by_region
    union all
    select * from whole_country

),

final as (

    select
        cast(request_kind as {{ dbt.type_string() }}) as request_kind,
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(as_of_date as date) as as_of_date,
        cast(month_offset as integer) as month_offset,
        cast(sector as {{ dbt.type_string() }}) as sector,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(history_fee_quarter as {{ dbt.type_string() }}) as history_fee_quarter,
        cast(history_fee_ym as {{ dbt.type_string() }}) as history_fee_ym,
        cast(arrived_points as bigint) as arrived_points,
        cast(final_points as bigint) as final_points,
        cast(filed_arrived_points as bigint) as filed_arrived_points,
        cast(filed_final_points as bigint) as filed_final_points,
        cast(expected_prior_points as double) as expected_prior_points,
        cast(expected_final_points as bigint) as expected_final_points
    from by_area

)

select * from final
