-- 點值預估回測 Backtest of the point-value forecast: every complete quarter replayed as of the
-- last day of the 1st-5th month after its end (the same models as the live forecast, request
-- kind BACKTEST, each replay seeing only the claims and the settled quarters of its own as-of
-- date), against the settled value: the announced SETTLED value when supplied, else the
-- warehouse's own settlement. Errors per sector, region and lag, and whether the settled value
-- fell inside the band. Per lag, as summary columns repeated on every row of the lag, over the
-- six regions (not 'ALL') of all sectors and of the row's sector: the mean absolute percentage
-- error (MAPE) of the average point value and the band's actual coverage (share of settled
-- values inside it, of the rows with a band) next to its nominal coverage. The *_vs_warehouse
-- MAPE measures the forecast method alone (against the warehouse's own settlement).

with forecasts as (

    select * from {{ ref('int_point_value_forecasts_banded') }}
    where request_kind = 'BACKTEST'

),

errors as (

    select * from {{ ref('int_point_value_forecast_errors') }}

),

settled as (

    select * from {{ ref('int_point_values_settled') }}
    where status = 'SETTLED'

),

sectors as (

    select * from {{ ref('point_value_sectors') }}

),

regions as (

    select * from {{ ref('regions') }}

),

joined as (

    select
        forecasts.*,
        sectors.sector_zh,
        case when forecasts.area_no_h = 'ALL' then '全區' else regions.region_zh end as region_zh,
        settled.points as settled_points,
        settled.float_pv as settled_float_pv,
        settled.avg_pv as settled_avg_pv,
        settled.avg_pv_rank as settled_avg_pv_rank,
        errors.actual_source,
        errors.actual_avg_pv,
        errors.standardized_error
    from forecasts
    inner join settled
        on forecasts.sector = settled.sector
            and forecasts.area_no_h = settled.area_no_h
            and forecasts.fee_quarter = settled.fee_quarter
    left join errors
        on forecasts.fee_quarter = errors.fee_quarter
            and forecasts.as_of_date = errors.as_of_date
            and forecasts.sector = errors.sector
            and forecasts.area_no_h = errors.area_no_h
    left join sectors
        on forecasts.sector = sectors.sector
    left join regions
        on forecasts.area_no_h = regions.area_no_h

),

scored as (

    select
        *,
        cast(projected_points as double) / nullif(cast(settled_points as double), 0) - 1 as points_pct_error,
        avg_pv - actual_avg_pv as avg_pv_error,
        abs(avg_pv - actual_avg_pv) / nullif(actual_avg_pv, 0) as avg_pv_abs_pct_error,
        abs(avg_pv - settled_avg_pv) / nullif(settled_avg_pv, 0) as avg_pv_abs_pct_error_vs_warehouse,
        abs(float_pv - settled_float_pv) / nullif(settled_float_pv, 0) as float_pv_abs_pct_error,
        case
            when avg_pv_low is not null and avg_pv_high is not null and actual_avg_pv is not null
                then case when actual_avg_pv >= avg_pv_low and actual_avg_pv <= avg_pv_high then 1 else 0 end
        end as within_band
    from joined

),

summarised as (

    select
        *,
        {%- for name, expression in [
            ('lag_mape_avg_pv', 'avg_pv_abs_pct_error'),
            ('lag_mape_avg_pv_vs_warehouse', 'avg_pv_abs_pct_error_vs_warehouse'),
            ('lag_mape_float_pv', 'float_pv_abs_pct_error'),
            ('lag_mape_points', 'abs(points_pct_error)'),
            ('lag_band_coverage', 'within_band'),
        ] %}
            cast(avg({{ exact_decimal("case when area_no_h != 'ALL' then " ~ expression ~ " end") }})
                over (partition by months_after_quarter_end)
            as double) as {{ name }},
        {%- endfor %}
        cast(avg({{ exact_decimal("case when area_no_h != 'ALL' then avg_pv_abs_pct_error end") }})
            over (partition by months_after_quarter_end, sector)
        as double) as sector_lag_mape_avg_pv,
        cast(avg({{ exact_decimal("case when area_no_h != 'ALL' then within_band end") }})
            over (partition by months_after_quarter_end, sector)
        as double) as sector_lag_band_coverage
    from scored

),

final as (

    select
        cast(sector as {{ dbt.type_string() }}) as sector,
        cast(sector_zh as {{ dbt.type_string() }}) as sector_zh,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(region_zh as {{ dbt.type_string() }}) as region_zh,
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(months_after_quarter_end as integer) as months_after_quarter_end,
        cast(as_of_date as date) as as_of_date,
        cast(history_quarters as integer) as history_quarters,
        cast(completion_factor as double) as completion_factor,
        cast(projected_points as double) as projected_points,
        cast(settled_points as bigint) as settled_points,
        cast(points_pct_error as double) as points_pct_error,
        cast(float_pv as double) as forecast_float_pv,
        cast(avg_pv as double) as forecast_avg_pv,
        cast(avg_pv_low as double) as forecast_avg_pv_low,
        cast(avg_pv_high as double) as forecast_avg_pv_high,
        cast(avg_pv_rank as integer) as forecast_avg_pv_rank,
        cast(relative_se as double) as relative_se,
        cast(band_method as {{ dbt.type_string() }}) as band_method,
        cast(calibration_errors as integer) as calibration_errors,
        cast(settled_float_pv as double) as settled_float_pv,
        cast(settled_avg_pv as double) as settled_avg_pv,
        cast(settled_avg_pv_rank as integer) as settled_avg_pv_rank,
        cast(actual_source as {{ dbt.type_string() }}) as actual_source,
        cast(actual_avg_pv as double) as actual_avg_pv,
        cast(avg_pv_error as double) as avg_pv_error,
        cast(avg_pv_abs_pct_error as double) as avg_pv_abs_pct_error,
        cast(avg_pv_abs_pct_error_vs_warehouse as double) as avg_pv_abs_pct_error_vs_warehouse,
        cast(float_pv_abs_pct_error as double) as float_pv_abs_pct_error,
        cast(standardized_error as double) as standardized_error,
        cast(within_band = 1 as boolean) as is_actual_within_band,
        cast(band_coverage as double) as band_nominal_coverage,
        cast(lag_mape_avg_pv as double) as lag_mape_avg_pv,
        cast(lag_mape_avg_pv_vs_warehouse as double) as lag_mape_avg_pv_vs_warehouse,
        cast(lag_mape_float_pv as double) as lag_mape_float_pv,
        cast(lag_mape_points as double) as lag_mape_points,
        cast(lag_band_coverage as double) as lag_band_coverage,
        cast(sector_lag_mape_avg_pv as double) as sector_lag_mape_avg_pv,
        cast(sector_lag_band_coverage as double) as sector_lag_band_coverage
    from summarised

)

select * from final
