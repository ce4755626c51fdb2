-- The forecast (int_point_value_forecasts_projected) with its band (預估區間) of nominal coverage
-- var pv_band_coverage (default 0.8): projected points x exp(-/+ h), h the band's half-width on
-- the log scale, the point values recomputed at both ends (more points -> the lower value).
-- h is calibrated on the forecast's own record: the errors (int_point_value_forecast_errors) of
-- the backtests at the same lag (months after quarter end) of the latest var
-- pv_band_calibration_quarters (default 4) quarters settled by the request's as-of date,
-- regions 1-6 (not 'ALL'); q = the coverage-quantile of their absolute values
-- (docs/point_value.md, "The band"):
-- * var pv_band_pooling: 'sector' (default) - the errors of the request's sector (its six
--   regions pooled), falling back to all sectors when the sector has fewer than
--   var pv_band_min_errors (default 20); 'all' - all sectors pooled;
-- * var pv_band_quantile: 'interpolated' (default) - the empirical quantile, interpolated at
--   position 1 + (n - 1) x coverage (aims at the coverage itself); 'conformal' - the k-th
--   smallest, k = ceil((n + 1) x coverage) (at least the coverage: wider);
-- * var pv_band_error_scale: 'standardized' (default) - ln(settled / forecast) over the
--   forecast's relative_se, h = q x relative_se; 'relative' - ln(settled / forecast), h = q.
-- With fewer than pv_band_min_errors errors in every pool, h is the normal quantile x
-- relative_se (band_method MODEL: the projection's own standard error, not yet checked against
-- settled values).

{%- set coverage = var('pv_band_coverage', 0.8) | float %}
{%- set min_errors = var('pv_band_min_errors', 20) | int %}
{%- set calibration_quarters = var('pv_band_calibration_quarters', 4) | int %}
{%- set error_scale = var('pv_band_error_scale', 'standardized') %}
{%- set quantile_rule = var('pv_band_quantile', 'interpolated') %}
{%- set pooling = var('pv_band_pooling', 'sector') %}
{%- if error_scale not in ['relative', 'standardized'] %}
    {{ exceptions.raise_compiler_error("var pv_band_error_scale must be 'relative' or 'standardized', got '" ~ error_scale ~ "'") }}
{%- endif %}
{%- if quantile_rule not in ['interpolated', 'conformal'] %}
    {{ exceptions.raise_compiler_error("var pv_band_quantile must be 'interpolated' or 'conformal', got '" ~ quantile_rule ~ "'") }}
{%- endif %}
{%- if pooling not in ['sector', 'all'] %}
    {{ exceptions.raise_compiler_error("var pv_band_pooling must be 'sector' or 'all', got '" ~ pooling ~ "'") }}
{%- endif %}
{%- set pools = ['SECTOR', 'ALL'] if pooling == 'sector' else ['ALL'] %}

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
        as_of_date,
        sector
    from forecasts

),

available as (
    {%- for pool in pools %}

        select
            '{{ pool }}' as calibration_pool,
            {{ loop.index }} as pool_order,
            calibration_points.months_after_quarter_end,
            calibration_points.as_of_date,
            calibration_points.sector,
            errors.fee_quarter,
            errors.sector as error_sector,
            errors.area_no_h,
            abs(errors.{{ 'log_error' if error_scale == 'relative' else 'standardized_error' }}) as abs_error,
            dense_rank() over (
                partition by calibration_points.months_after_quarter_end, calibration_points.as_of_date, calibration_points.sector
                order by errors.fee_quarter desc
            ) as quarter_recency
        from calibration_points
        inner join errors
            on calibration_points.months_after_quarter_end = errors.months_after_quarter_end
                and errors.settle_due_date <= calibration_points.as_of_date
                {%- if pool == 'SECTOR' %}
                    and calibration_points.sector = errors.sector
                {%- endif %}
        {%- if not loop.last %}

            union all
        {%- endif %}
    {%- endfor %}

),

samples as (

    select
        calibration_pool,
        pool_order,
        months_after_quarter_end,
        as_of_date,
        sector,
        abs_error,
        row_number() over (
            partition by calibration_pool, months_after_quarter_end, as_of_date, sector
            order by abs_error, fee_quarter, error_sector, area_no_h
        ) as error_rank,
        count(*) over (partition by calibration_pool, months_after_quarter_end, as_of_date, sector) as error_count
    from available
    where quarter_recency <= {{ calibration_quarters }}

),

pooled as (

    select
        calibration_pool,
        pool_order,
        months_after_quarter_end,
        as_of_date,
        sector,
        max(error_count) as calibration_errors,
        {%- if quantile_rule == 'conformal' %}
        max(case when error_rank = ceil((error_count + 1) * {{ coverage }}) then abs_error end) as error_quantile
        {%- else %}
            max(case when error_rank = floor(1 + (error_count - 1) * {{ coverage }}) then abs_error end)
            + (1 + (max(error_count) - 1) * {{ coverage }} - floor(1 + (max(error_count) - 1) * {{ coverage }}))
            * coalesce(
                max(case when error_rank = floor(1 + (error_count - 1) * {{ coverage }}) + 1 then abs_error end)
                - max(case when error_rank = floor(1 + (error_count - 1) * {{ coverage }}) then abs_error end),
                0
            ) as error_quantile
        {%- endif %}
    from samples
    group by calibration_pool, pool_order, months_after_quarter_end, as_of_date, sector

),

calibrated as (

    select
        *,
        calibration_errors >= {{ min_errors }} and error_quantile is not null as is_usable,
        row_number() over (
            partition by months_after_quarter_end, as_of_date, sector
            order by
                case when calibration_errors >= {{ min_errors }} and error_quantile is not null then 0 else 1 end,
                case when calibration_errors >= {{ min_errors }} and error_quantile is not null then pool_order else -pool_order end
        ) as pool_preference
    from pooled

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
            and calibrated.pool_preference = 1

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
