-- Errors of the replayed forecasts (BACKTEST requests) against the settled average point value:
-- the announced SETTLED value (pv_announced) when the extract has one, else the warehouse's own
-- settlement of the complete quarter. log_error = ln(actual / forecast); standardized_error =
-- log_error / relative_se (the forecast's own standard error, int_point_value_forecasts_projected).
-- The spread of the standardized errors at the same lag, of quarters settled before a request's
-- as-of date, calibrates that request's band (int_point_value_forecasts_banded).

with forecasts as (

    select * from {{ ref('int_point_value_forecasts_projected') }}
    where request_kind = 'BACKTEST'

),

settled as (

    select * from {{ ref('int_point_values_settled') }}
    where status = 'SETTLED'

),

announced as (

    select * from {{ ref('stg_nhird__pv_announced') }}
    where pv_kind = 'SETTLED'

),

joined as (

    select
        forecasts.fee_quarter,
        forecasts.as_of_date,
        forecasts.months_after_quarter_end,
        forecasts.sector,
        forecasts.area_no_h,
        forecasts.avg_pv as forecast_avg_pv,
        forecasts.relative_se,
        settled.settle_due_date,
        settled.avg_pv as settled_avg_pv,
        cast(announced.avg_pv as double) as announced_avg_pv,
        case when announced.avg_pv is not null then 'ANNOUNCED' else 'WAREHOUSE' end as actual_source,
        coalesce(cast(announced.avg_pv as double), settled.avg_pv) as actual_avg_pv
    from forecasts
    inner join settled
        on forecasts.sector = settled.sector
            and forecasts.area_no_h = settled.area_no_h
            and forecasts.fee_quarter = settled.fee_quarter
    left join announced
        on forecasts.sector = announced.sector
            and forecasts.fee_quarter = announced.fee_quarter
            and forecasts.area_no_h = announced.area_no_h
    where forecasts.avg_pv > 0

),

final as (

    select
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(as_of_date as date) as as_of_date,
        cast(months_after_quarter_end as integer) as months_after_quarter_end,
        cast(sector as {{ dbt.type_string() }}) as sector,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(settle_due_date as date) as settle_due_date,
        cast(forecast_avg_pv as double) as forecast_avg_pv,
        cast(relative_se as double) as relative_se,
        cast(settled_avg_pv as double) as settled_avg_pv,
        cast(actual_source as {{ dbt.type_string() }}) as actual_source,
        cast(actual_avg_pv as double) as actual_avg_pv,
        cast(ln(actual_avg_pv / forecast_avg_pv) as double) as log_error,
        cast(ln(actual_avg_pv / forecast_avg_pv) / nullif(relative_se, 0) as double) as standardized_error
    from joined
    where actual_avg_pv > 0

)

select * from final
