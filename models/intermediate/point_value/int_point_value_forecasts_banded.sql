-- The forecast (int_point_value_forecasts_projected) with its band (預估區間) of nominal coverage
-- var pv_band_coverage (default 0.8): projected points x exp(-/+ h), h the band's half-width on
-- the log scale, the point values recomputed at both ends (more points -> the lower value).
-- h is calibrated on the forecast's own record (int_point_value_band_calibrated: q, the
-- coverage-quantile of the past errors at the same lag): h = q x relative_se with var
-- pv_band_error_scale 'standardized' (default), h = q with 'relative'. With fewer than
-- pv_band_min_errors errors in every pool, h is the normal quantile x relative_se (band_method
-- MODEL: the projection's own standard error, not yet checked against settled values).

{%- set band = pv_band_settings() %}
{%- set coverage = band.coverage %}
{%- set error_scale = band.error_scale %}

with forecasts as (

    select * from {{ ref('int_point_value_forecasts_projected') }}

),

calibrated as (

    select * from {{ ref('int_point_value_band_calibrated') }}

),

multiplied as (

    select
        forecasts.*,
        coalesce(calibrated.calibration_errors, 0) as calibration_errors,
        case when calibrated.is_usable then calibrated.calibration_pool end as calibration_pool,
        case when calibrated.is_usable then 'CALIBRATED' else 'MODEL' end as band_method,
        case
            {%- if error_scale == 'relative' %}
            when calibrated.is_usable then calibrated.error_quantile
            {%- else %}
                when calibrated.is_usable then calibrated.error_quantile * forecasts.relative_se
            {%- endif %}
            else {{ pv_normal_quantile(0.5 + coverage / 2) }} * forecasts.relative_se
        end as band_half_width
    from forecasts
    left join calibrated
        on forecasts.months_after_quarter_end = calibrated.months_after_quarter_end
            and forecasts.as_of_date = calibrated.as_of_date
            and forecasts.sector = calibrated.sector

),

banded as (

    select
        *,
        band_half_width / nullif(relative_se, 0) as band_multiplier,
        exp(band_half_width) as band_factor
    from multiplied

),

final as (

    -- band bounds rounded to 12 decimals: exp() differs in the last binary digit between
    -- DuckDB and Spark, and point values are published to 4 decimals

    select
        banded.*,
        round(cast(banded.projected_points / banded.band_factor as double), 12) as projected_points_lower,
        round(cast(banded.projected_points * banded.band_factor as double), 12) as projected_points_upper,
        round(cast({{ float_point_value('budget_amt', 'allowed_nonfloat_points * band_factor', 'allowed_float_points * band_factor') }} as double), 12)
            as float_pv_low,
        round(cast({{ float_point_value('budget_amt', 'allowed_nonfloat_points / band_factor', 'allowed_float_points / band_factor') }} as double), 12)
            as float_pv_high,
        round(cast(banded.avg_pv / banded.band_factor as double), 12) as avg_pv_low,
        round(cast(banded.avg_pv * banded.band_factor as double), 12) as avg_pv_high,
        cast({{ coverage }} as double) as band_coverage
    from banded

)

select * from final
