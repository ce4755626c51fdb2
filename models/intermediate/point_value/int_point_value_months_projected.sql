-- Completion (chain-ladder) of one fee month's general-service points, for every forecast
-- request (fee quarter, as-of date) of int_point_value_forecasts_requested, sector and region.
--
-- Claim lag is measured in calendar months after the fee month plus the day of the month of
-- APPL_DATE. As of date A, a fee month m has reached lag L = months(A) - months(m) up to day
-- cutoff_day = day(A) (31 when A is a month end): observed points are those with APPL_DATE <= A.
-- The completion factor is the share of final points that had arrived at the same lag
-- (lag < L, or lag = L and day <= cutoff_day) in the fee months of earlier complete quarters:
-- the pv_cf_history_quarters latest quarters complete at A (settle-due date <= A), "final"
-- meaning everything that had arrived by A. Pooled over those months (sum arrived / sum final)
-- for the central factor. The band comes from whole history quarters: each history quarter's
-- completion at the target quarter's lags (its k-th month at the lag of the target's k-th
-- month) = its arrived / its final points; the smallest and largest of those are
-- quarter_completion_factor_min / _max (repeated on the quarter's three month rows).
-- Factors are per sector and region; a region without usable history (no month with final
-- points, or a factor of 0) falls back to the sector's whole-country factor (and band).
-- projected = observed / factor (null when no usable factor: the month cannot be projected).
-- The expected review-deduction rate is the pooled deduction rate (deducted / reviewed points)
-- of the same history quarters, per sector and region (fallback: the sector, then 0); 0 when
-- var pv_points_after_deductions is false (point values on points before deductions).

{%- set history_quarter_count = var('pv_cf_history_quarters', 4) | int %}
{%- set after_deductions = var('pv_points_after_deductions', true) %}

with requests as (

    select * from {{ ref('int_point_value_forecasts_requested') }}

),

quarters as (

    select * from {{ ref('int_point_value_quarters_assessed') }}

),

points as (

    select * from {{ ref('int_general_service_points_aggregated') }}

),

month_offsets as (

    select 0 as month_offset
    union all
    select 1 as month_offset
    union all
    select 2 as month_offset

),

target_months as (

    select
        requests.request_kind,
        requests.fee_quarter,
        requests.as_of_date,
        month_offsets.month_offset,
        {{ pv_add_months('requests.quarter_start_date', 'month_offsets.month_offset') }} as target_month_start
    from requests
    cross join month_offsets

),

target_lags as (

    select
        request_kind,
        fee_quarter,
        as_of_date,
        month_offset,
        {{ yyyymm_of_date('target_month_start') }} as target_fee_ym,
        {{ pv_month_number('as_of_date') }} - {{ pv_month_number('target_month_start') }} as lag_months,
        case
            when as_of_date = {{ pv_month_end('as_of_date') }} then 31
            else dayofmonth(as_of_date)
        end as cutoff_day
    from target_months

),

history_candidates as (

    select
        requests.request_kind,
        requests.fee_quarter,
        requests.as_of_date,
        quarters.fee_quarter as history_fee_quarter,
        row_number() over (
            partition by requests.request_kind, requests.fee_quarter, requests.as_of_date
            order by quarters.fee_quarter desc
        ) as history_rank
    from requests
    inner join quarters
        on quarters.settle_due_date <= requests.as_of_date
            and quarters.fee_quarter < requests.fee_quarter

),

history_quarters as (

    select
        request_kind,
        fee_quarter,
        as_of_date,
        history_fee_quarter
    from history_candidates
    where history_rank <= {{ history_quarter_count }}

),

points_by_area as (

    select
        sector,
        area_no_h,
        fee_quarter,
        fee_ym,
        (cast(substr(fee_ym, 5, 2) as integer) - 1) % 3 as month_offset,
        appl_date,
        appl_lag_months,
        appl_day_of_month,
        claims,
        points,
        nonfloat_points,
        reviewed_points,
        deducted_points
    from points
    where claims > 0

    union all

    select
        sector,
        'ALL' as area_no_h,
        fee_quarter,
        fee_ym,
        (cast(substr(fee_ym, 5, 2) as integer) - 1) % 3 as month_offset,
        appl_date,
        appl_lag_months,
        appl_day_of_month,
        claims,
        points,
        nonfloat_points,
        reviewed_points,
        deducted_points
    from points
    where claims > 0

),

history_months as (

    select
        target_lags.request_kind,
        target_lags.fee_quarter,
        target_lags.as_of_date,
        target_lags.target_fee_ym,
        points_by_area.sector,
        points_by_area.area_no_h,
        points_by_area.fee_quarter as history_fee_quarter,
        points_by_area.fee_ym as history_fee_ym,
        target_lags.month_offset as target_month_offset,
        points_by_area.month_offset as history_month_offset,
        sum(
            case
                when points_by_area.appl_lag_months < target_lags.lag_months
                    or (
                        points_by_area.appl_lag_months = target_lags.lag_months
                        and points_by_area.appl_day_of_month <= target_lags.cutoff_day
                    )
                    then points_by_area.points
                else 0
            end
        ) as arrived_points,
        sum(points_by_area.points) as final_points
    from target_lags
    inner join history_quarters
        on target_lags.request_kind = history_quarters.request_kind
            and target_lags.fee_quarter = history_quarters.fee_quarter
            and target_lags.as_of_date = history_quarters.as_of_date
    inner join points_by_area
        on history_quarters.history_fee_quarter = points_by_area.fee_quarter
            and points_by_area.appl_date <= target_lags.as_of_date
    group by
        target_lags.request_kind,
        target_lags.fee_quarter,
        target_lags.as_of_date,
        target_lags.target_fee_ym,
        points_by_area.sector,
        points_by_area.area_no_h,
        points_by_area.fee_quarter,
        points_by_area.fee_ym,
        target_lags.month_offset,
        points_by_area.month_offset

),

completion_factors as (

    select
        request_kind,
        fee_quarter,
        as_of_date,
        target_fee_ym,
        sector,
        area_no_h,
        count(distinct history_fee_quarter) as history_quarters,
        count(*) as history_months,
        cast(sum(arrived_points) as double) / nullif(cast(sum(final_points) as double), 0) as completion_factor
    from history_months
    where final_points > 0
    group by
        request_kind,
        fee_quarter,
        as_of_date,
        target_fee_ym,
        sector,
        area_no_h

),

history_quarter_factors as (

    select
        request_kind,
        fee_quarter,
        as_of_date,
        sector,
        area_no_h,
        history_fee_quarter,
        cast(sum(arrived_points) as double) / nullif(cast(sum(final_points) as double), 0) as quarter_completion_factor
    from history_months
    where target_month_offset = history_month_offset
    group by
        request_kind,
        fee_quarter,
        as_of_date,
        sector,
        area_no_h,
        history_fee_quarter
    having sum(final_points) > 0

),

quarter_factor_bands as (

    select
        request_kind,
        fee_quarter,
        as_of_date,
        sector,
        area_no_h,
        min(quarter_completion_factor) as quarter_completion_factor_min,
        max(quarter_completion_factor) as quarter_completion_factor_max
    from history_quarter_factors
    group by
        request_kind,
        fee_quarter,
        as_of_date,
        sector,
        area_no_h

),

deduction_history as (

    select
        history_quarters.request_kind,
        history_quarters.fee_quarter,
        history_quarters.as_of_date,
        points_by_area.sector,
        points_by_area.area_no_h,
        cast(sum(points_by_area.deducted_points) as double)
        / nullif(cast(sum(points_by_area.reviewed_points) as double), 0) as deduction_rate
    from history_quarters
    inner join points_by_area
        on history_quarters.history_fee_quarter = points_by_area.fee_quarter
            and points_by_area.appl_date <= history_quarters.as_of_date
    group by
        history_quarters.request_kind,
        history_quarters.fee_quarter,
        history_quarters.as_of_date,
        points_by_area.sector,
        points_by_area.area_no_h

),

observed_months as (

    select
        requests.request_kind,
        requests.fee_quarter,
        requests.as_of_date,
        points.sector,
        points.area_no_h,
        points.fee_ym,
        sum(points.claims) as observed_claims,
        sum(points.points) as observed_points,
        sum(points.nonfloat_points) as observed_nonfloat_points
    from requests
    inner join points
        on requests.fee_quarter = points.fee_quarter
            and points.appl_date <= requests.as_of_date
    where points.claims > 0
    group by
        requests.request_kind,
        requests.fee_quarter,
        requests.as_of_date,
        points.sector,
        points.area_no_h,
        points.fee_ym

),

forecast_areas as (

    select distinct
        request_kind,
        fee_quarter,
        as_of_date,
        sector,
        area_no_h
    from observed_months

),

grid as (

    select
        forecast_areas.request_kind,
        forecast_areas.fee_quarter,
        forecast_areas.as_of_date,
        forecast_areas.sector,
        forecast_areas.area_no_h,
        target_lags.target_fee_ym,
        target_lags.lag_months,
        target_lags.cutoff_day
    from forecast_areas
    inner join target_lags
        on forecast_areas.request_kind = target_lags.request_kind
            and forecast_areas.fee_quarter = target_lags.fee_quarter
            and forecast_areas.as_of_date = target_lags.as_of_date

),

joined as (

    select
        grid.*,
        coalesce(observed_months.observed_claims, 0) as observed_claims,
        coalesce(observed_months.observed_points, 0) as observed_points,
        coalesce(observed_months.observed_nonfloat_points, 0) as observed_nonfloat_points,
        regional_factors.completion_factor > 0 as use_regional_factor,
        sector_factors.completion_factor > 0 as use_sector_factor,
        regional_factors.history_quarters as regional_history_quarters,
        regional_factors.history_months as regional_history_months,
        regional_factors.completion_factor as regional_factor,
        regional_bands.quarter_completion_factor_min as regional_band_min,
        regional_bands.quarter_completion_factor_max as regional_band_max,
        sector_factors.history_quarters as sector_history_quarters,
        sector_factors.history_months as sector_history_months,
        sector_factors.completion_factor as sector_factor,
        sector_bands.quarter_completion_factor_min as sector_band_min,
        sector_bands.quarter_completion_factor_max as sector_band_max,
        coalesce(regional_deductions.deduction_rate, sector_deductions.deduction_rate, 0)
        * {{ 1 if after_deductions else 0 }} as expected_deduction_rate
    from grid
    left join observed_months
        on grid.request_kind = observed_months.request_kind
            and grid.fee_quarter = observed_months.fee_quarter
            and grid.as_of_date = observed_months.as_of_date
            and grid.sector = observed_months.sector
            and grid.area_no_h = observed_months.area_no_h
            and grid.target_fee_ym = observed_months.fee_ym
    left join completion_factors as regional_factors
        on grid.request_kind = regional_factors.request_kind
            and grid.fee_quarter = regional_factors.fee_quarter
            and grid.as_of_date = regional_factors.as_of_date
            and grid.target_fee_ym = regional_factors.target_fee_ym
            and grid.sector = regional_factors.sector
            and grid.area_no_h = regional_factors.area_no_h
    left join completion_factors as sector_factors
        on grid.request_kind = sector_factors.request_kind
            and grid.fee_quarter = sector_factors.fee_quarter
            and grid.as_of_date = sector_factors.as_of_date
            and grid.target_fee_ym = sector_factors.target_fee_ym
            and grid.sector = sector_factors.sector
            and sector_factors.area_no_h = 'ALL'
    left join quarter_factor_bands as regional_bands
        on grid.request_kind = regional_bands.request_kind
            and grid.fee_quarter = regional_bands.fee_quarter
            and grid.as_of_date = regional_bands.as_of_date
            and grid.sector = regional_bands.sector
            and grid.area_no_h = regional_bands.area_no_h
    left join quarter_factor_bands as sector_bands
        on grid.request_kind = sector_bands.request_kind
            and grid.fee_quarter = sector_bands.fee_quarter
            and grid.as_of_date = sector_bands.as_of_date
            and grid.sector = sector_bands.sector
            and sector_bands.area_no_h = 'ALL'
    left join deduction_history as regional_deductions
        on grid.request_kind = regional_deductions.request_kind
            and grid.fee_quarter = regional_deductions.fee_quarter
            and grid.as_of_date = regional_deductions.as_of_date
            and grid.sector = regional_deductions.sector
            and grid.area_no_h = regional_deductions.area_no_h
    left join deduction_history as sector_deductions
        on grid.request_kind = sector_deductions.request_kind
            and grid.fee_quarter = sector_deductions.fee_quarter
            and grid.as_of_date = sector_deductions.as_of_date
            and grid.sector = sector_deductions.sector
            and sector_deductions.area_no_h = 'ALL'

),

chosen as (

    select
        request_kind,
        fee_quarter,
        as_of_date,
        sector,
        area_no_h,
        target_fee_ym,
        lag_months,
        cutoff_day,
        observed_claims,
        observed_points,
        observed_nonfloat_points,
        expected_deduction_rate,
        case
            when use_regional_factor then 'REGION'
            when use_sector_factor then 'SECTOR'
        end as completion_factor_source,
        case
            when use_regional_factor then regional_history_quarters
            when use_sector_factor then sector_history_quarters
            else 0
        end as history_quarters,
        case
            when use_regional_factor then regional_history_months
            when use_sector_factor then sector_history_months
            else 0
        end as history_months,
        case
            when use_regional_factor then regional_factor
            when use_sector_factor then sector_factor
        end as completion_factor,
        case
            when regional_band_min > 0 then regional_band_min
            when sector_band_min > 0 then sector_band_min
        end as quarter_completion_factor_min,
        case
            when regional_band_min > 0 then regional_band_max
            when sector_band_min > 0 then sector_band_max
        end as quarter_completion_factor_max
    from joined

),

projected as (

    select
        *,
        cast(observed_points as double) / nullif(completion_factor, 0) as projected_points,
        cast(observed_nonfloat_points as double) / nullif(completion_factor, 0) as projected_nonfloat_points
    from chosen

),

final as (

    select
        cast(request_kind as {{ dbt.type_string() }}) as request_kind,
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(as_of_date as date) as as_of_date,
        cast(sector as {{ dbt.type_string() }}) as sector,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(target_fee_ym as {{ dbt.type_string() }}) as fee_ym,
        cast(lag_months as integer) as lag_months,
        cast(cutoff_day as integer) as cutoff_day,
        cast(observed_claims as bigint) as observed_claims,
        cast(observed_points as bigint) as observed_points,
        cast(observed_nonfloat_points as bigint) as observed_nonfloat_points,
        cast(completion_factor_source as {{ dbt.type_string() }}) as completion_factor_source,
        cast(history_quarters as integer) as history_quarters,
        cast(history_months as integer) as history_months,
        cast(completion_factor as double) as completion_factor,
        cast(projected_points as double) as projected_points,
        cast(projected_nonfloat_points as double) as projected_nonfloat_points,
        cast(quarter_completion_factor_min as double) as quarter_completion_factor_min,
        cast(quarter_completion_factor_max as double) as quarter_completion_factor_max,
        cast(expected_deduction_rate as double) as expected_deduction_rate
    from projected

)

select * from final
