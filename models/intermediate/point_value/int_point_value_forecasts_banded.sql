-- The forecast (int_point_value_forecasts_projected) with its band (預估區間) of nominal coverage
-- var pv_band_coverage (default 0.8): projected points x exp(-/+ q x relative_se), the point
-- values recomputed at both ends (more points -> the lower value). q is calibrated on the
-- forecast's own record: the standardized errors (int_point_value_forecast_errors) of the
-- backtests at the same lag (months after quarter end) of the latest var
-- pv_band_calibration_quarters (default 4) quarters settled by the request's as-of date (the
-- recent record: the first year's forecasts, without seasonal ratios, were worse), all sectors
-- and regions (not 'ALL') pooled; q = the k-th smallest |error| with
-- k = ceil((n + 1) x coverage) (split-conformal: the band then holds the settled value with at
-- least the nominal probability when errors are exchangeable). With fewer than var
-- pv_band_min_errors (default 20) errors, q is the normal quantile (band_method MODEL: the
-- projection's own standard error, not yet checked against settled values).

{%- set coverage = var('pv_band_coverage', 0.8) | float %}
{%- set min_errors = var('pv_band_min_errors', 20) | int %}
{%- set calibration_quarters = var('pv_band_calibration_quarters', 4) | int %}

with forecasts as (

    select * from {{ ref('int_point_value_forecasts_projected') }}

),

errors as (

    select * from {{ ref('int_point_value_forecast_errors') }}
    where area_no_h != 'ALL'
        and standardized_error is not null

),

calibration_points as (

    select distinct
        months_after_quarter_end,
        as_of_date
    from forecasts

),

available as (

    select
        calibration_points.months_after_quarter_end,
        calibration_points.as_of_date,
        errors.fee_quarter,
        errors.sector,
        errors.area_no_h,
        abs(errors.standardized_error) as abs_error,
        dense_rank() over (
            partition by calibration_points.months_after_quarter_end, calibration_points.as_of_date
            order by errors.fee_quarter desc
        ) as quarter_recency
    from calibration_points
    inner join errors
        on calibration_points.months_after_quarter_end = errors.months_after_quarter_end
            and errors.settle_due_date <= calibration_points.as_of_date

),

samples as (

    select
        months_after_quarter_end,
        as_of_date,
        abs_error,
        row_number() over (
            partition by months_after_quarter_end, as_of_date
            order by abs_error, fee_quarter, sector, area_no_h
        ) as error_rank,
        count(*) over (partition by months_after_quarter_end, as_of_date) as error_count
    from available
    where quarter_recency <= {{ calibration_quarters }}

),

calibrated as (

    select
        months_after_quarter_end,
        as_of_date,
        max(error_count) as calibration_errors,
        max(case when error_rank = ceil((error_count + 1) * {{ coverage }}) then abs_error end) as band_multiplier
    from samples
    group by months_after_quarter_end, as_of_date

),

multiplied as (

    select
        forecasts.*,
        coalesce(calibrated.calibration_errors, 0) as calibration_errors,
        case
            when calibrated.calibration_errors >= {{ min_errors }} and calibrated.band_multiplier is not null
                then 'CALIBRATED'
            else 'MODEL'
        end as band_method,
        case
            when calibrated.calibration_errors >= {{ min_errors }} and calibrated.band_multiplier is not null
                then calibrated.band_multiplier
            else {{ pv_normal_quantile(0.5 + coverage / 2) }}
        end as band_multiplier
    from forecasts
    left join calibrated
        on forecasts.months_after_quarter_end = calibrated.months_after_quarter_end
            and forecasts.as_of_date = calibrated.as_of_date

),

banded as (

    select
        *,
        exp(band_multiplier * relative_se) as band_factor
    from multiplied

),

final as (

    select
        banded.*,
        cast(banded.projected_points / banded.band_factor as double) as projected_points_lower,
        cast(banded.projected_points * banded.band_factor as double) as projected_points_upper,
        cast({{ float_point_value('budget_amt', 'allowed_nonfloat_points * band_factor', 'allowed_float_points * band_factor') }} as double)
            as float_pv_low,
        cast({{ float_point_value('budget_amt', 'allowed_nonfloat_points / band_factor', 'allowed_float_points / band_factor') }} as double)
            as float_pv_high,
        cast(banded.avg_pv / banded.band_factor as double) as avg_pv_low,
        cast(banded.avg_pv * banded.band_factor as double) as avg_pv_high,
        cast({{ coverage }} as double) as band_coverage
    from banded

)

select * from final
