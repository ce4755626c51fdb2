-- 點值預估回測 Backtest of the point-value forecast: every complete quarter replayed as of the
-- last day of the 1st-4th month after its end (the same model as the live forecast,
-- int_point_value_forecasts_projected, request kind BACKTEST), against the settled value: the
-- announced SETTLED value when supplied, else the warehouse's own settlement from complete data.
-- Errors per sector, region and lag; the mean absolute percentage errors (MAPE) per lag are
-- summary columns repeated on every row of that lag, over the six regions (not 'ALL') of all
-- sectors, and of the row's sector. The *_vs_warehouse columns measure the forecast method
-- alone (against the warehouse's own settlement, same definitions); the others measure it
-- against what was announced (definitions of the announced values may differ).

with forecasts as (

    select * from {{ ref('int_point_value_forecasts_projected') }}
    where request_kind = 'BACKTEST'

),

settled as (

    select * from {{ ref('int_point_values_settled') }}
    where is_complete

),

sectors as (

    select * from {{ ref('point_value_sectors') }}

),

regions as (

    select * from {{ ref('regions') }}

),

announced as (

    select * from {{ ref('stg_nhird__pv_announced') }}
    where pv_kind = 'SETTLED'

),

joined as (

    select
        forecasts.sector,
        sectors.sector_zh,
        forecasts.area_no_h,
        case when forecasts.area_no_h = 'ALL' then '全區' else regions.region_zh end as region_zh,
        forecasts.fee_quarter,
        forecasts.roc_quarter,
        forecasts.months_after_quarter_end,
        forecasts.as_of_date,
        forecasts.history_quarters,
        forecasts.completion_factor,
        forecasts.projected_points,
        settled.points as settled_points,
        forecasts.float_pv as forecast_float_pv,
        forecasts.avg_pv as forecast_avg_pv,
        forecasts.avg_pv_low as forecast_avg_pv_low,
        forecasts.avg_pv_high as forecast_avg_pv_high,
        forecasts.avg_pv_rank as forecast_avg_pv_rank,
        settled.float_pv as settled_float_pv,
        settled.avg_pv as settled_avg_pv,
        settled.avg_pv_rank as settled_avg_pv_rank,
        announced.float_pv as announced_settled_float_pv,
        announced.avg_pv as announced_settled_avg_pv,
        case when announced.avg_pv is not null then 'ANNOUNCED' else 'WAREHOUSE' end as actual_source,
        coalesce(cast(announced.float_pv as double), settled.float_pv) as actual_float_pv,
        coalesce(cast(announced.avg_pv as double), settled.avg_pv) as actual_avg_pv
    from forecasts
    inner join settled
        on forecasts.sector = settled.sector
            and forecasts.area_no_h = settled.area_no_h
            and forecasts.fee_quarter = settled.fee_quarter
    left join sectors
        on forecasts.sector = sectors.sector
    left join regions
        on forecasts.area_no_h = regions.area_no_h
    left join announced
        on forecasts.sector = announced.sector
            and forecasts.fee_quarter = announced.fee_quarter
            and forecasts.area_no_h = announced.area_no_h

),

errors as (

    select
        *,
        cast(projected_points as double) / nullif(cast(settled_points as double), 0) - 1 as points_pct_error,
        forecast_float_pv - actual_float_pv as float_pv_error,
        abs(forecast_float_pv - actual_float_pv) / nullif(actual_float_pv, 0) as float_pv_abs_pct_error,
        forecast_avg_pv - actual_avg_pv as avg_pv_error,
        abs(forecast_avg_pv - actual_avg_pv) / nullif(actual_avg_pv, 0) as avg_pv_abs_pct_error,
        abs(forecast_avg_pv - settled_avg_pv) / nullif(settled_avg_pv, 0) as avg_pv_abs_pct_error_vs_warehouse,
        actual_avg_pv >= forecast_avg_pv_low and actual_avg_pv <= forecast_avg_pv_high as is_actual_within_band
    from joined

),

summarised as (

    select
        *,
        cast(avg({{ exact_decimal("case when area_no_h != 'ALL' then avg_pv_abs_pct_error end") }})
            over (partition by months_after_quarter_end)
        as double) as lag_mape_avg_pv,
        cast(avg({{ exact_decimal("case when area_no_h != 'ALL' then float_pv_abs_pct_error end") }})
            over (partition by months_after_quarter_end)
        as double) as lag_mape_float_pv,
        cast(avg({{ exact_decimal("case when area_no_h != 'ALL' then avg_pv_abs_pct_error end") }})
            over (partition by months_after_quarter_end, sector)
        as double) as sector_lag_mape_avg_pv,
        cast(avg({{ exact_decimal("case when area_no_h != 'ALL' then avg_pv_abs_pct_error_vs_warehouse end") }})
            over (partition by months_after_quarter_end)
        as double) as lag_mape_avg_pv_vs_warehouse,
        cast(avg({{ exact_decimal("case when area_no_h != 'ALL' then abs(points_pct_error) end") }})
            over (partition by months_after_quarter_end)
        as double) as lag_mape_points
    from errors

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
        cast(forecast_float_pv as double) as forecast_float_pv,
        cast(forecast_avg_pv as double) as forecast_avg_pv,
        cast(forecast_avg_pv_low as double) as forecast_avg_pv_low,
        cast(forecast_avg_pv_high as double) as forecast_avg_pv_high,
        cast(forecast_avg_pv_rank as integer) as forecast_avg_pv_rank,
        cast(settled_float_pv as double) as settled_float_pv,
        cast(settled_avg_pv as double) as settled_avg_pv,
        cast(settled_avg_pv_rank as integer) as settled_avg_pv_rank,
        cast(announced_settled_float_pv as decimal(8, 4)) as announced_settled_float_pv,
        cast(announced_settled_avg_pv as decimal(8, 4)) as announced_settled_avg_pv,
        cast(actual_source as {{ dbt.type_string() }}) as actual_source,
        cast(actual_float_pv as double) as actual_float_pv,
        cast(actual_avg_pv as double) as actual_avg_pv,
        cast(float_pv_error as double) as float_pv_error,
        cast(float_pv_abs_pct_error as double) as float_pv_abs_pct_error,
        cast(avg_pv_error as double) as avg_pv_error,
        cast(avg_pv_abs_pct_error as double) as avg_pv_abs_pct_error,
        cast(avg_pv_abs_pct_error_vs_warehouse as double) as avg_pv_abs_pct_error_vs_warehouse,
        cast(is_actual_within_band as boolean) as is_actual_within_band,
        cast(lag_mape_avg_pv as double) as lag_mape_avg_pv,
        cast(lag_mape_float_pv as double) as lag_mape_float_pv,
        cast(sector_lag_mape_avg_pv as double) as sector_lag_mape_avg_pv,
        cast(lag_mape_avg_pv_vs_warehouse as double) as lag_mape_avg_pv_vs_warehouse,
        cast(lag_mape_points as double) as lag_mape_points
    from summarised

)

select * from final
