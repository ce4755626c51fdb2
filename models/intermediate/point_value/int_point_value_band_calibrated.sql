-- The calibration of the forecast band (預估區間, docs/point_value.md, "The band"), per lag
-- (months after quarter end), as-of date and sector of the forecasts
-- (int_point_value_forecasts_projected): the errors (int_point_value_forecast_errors) of the
-- backtests at the same lag of the latest var pv_band_calibration_quarters (default 4) quarters
-- settled by the as-of date, regions 1-6 (not 'ALL'), and q = the coverage-quantile (var
-- pv_band_coverage, default 0.8) of their absolute values:
-- * var pv_band_pooling: 'sector' (default) - the errors of the request's sector (its six
--   regions pooled), falling back to all sectors when the sector has fewer than
--   var pv_band_min_errors (default 20); 'all' - all sectors pooled;
-- * var pv_band_quantile: 'interpolated' (default) - the empirical quantile, interpolated at
--   position 1 + (n - 1) x coverage (aims at the coverage itself); 'conformal' - the k-th
--   smallest, k = ceil((n + 1) x coverage) (at least the coverage: wider);
-- * var pv_band_error_scale: 'standardized' (default) - errors ln(settled / forecast) over the
--   forecast's relative_se; 'relative' - ln(settled / forecast).
-- One row per lag, as-of date and sector: the pool chosen (the first usable one, else the last
-- tried); is_usable is false when no pool has pv_band_min_errors errors.

{%- set band = pv_band_settings() %}
{%- set coverage = band.coverage %}
{%- set min_errors = band.min_errors %}
{%- set calibration_quarters = band.calibration_quarters %}
{%- set error_scale = band.error_scale %}
{%- set quantile_rule = band.quantile_rule %}
{%- set pools = ['SECTOR', 'ALL'] if band.pooling == 'sector' else ['ALL'] %}

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

final as (

    select
        months_after_quarter_end,
        as_of_date,
        sector,
        calibration_pool,
        calibration_errors,
        error_quantile,
        is_usable
    from calibrated
    where pool_preference = 1

)

select * from final
