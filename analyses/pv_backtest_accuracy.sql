-- 點值預估回測 How far off was the point-value forecast, 1-5 months after a quarter ended? Mean
-- absolute percentage error (MAPE) of the average point value per lag, against the settled value
-- (announced when supplied) and against the warehouse's own settlement, and how often the settled
-- value fell inside the forecast band next to the band's nominal coverage. Regions 1-6 only (the
-- ALL rows are not in the means).

with

backtest as (
    select * from {{ ref('point_value_backtest') }}
),

regional as (
    select *
    from backtest
    where area_no_h <> 'ALL'
),

final as (
    select
        months_after_quarter_end as lag_months,
        count(*) as replays,
        count(forecast_avg_pv) as replays_with_forecast,
        round(100 * max(lag_mape_avg_pv), 3) as mape_avg_pv_pct,
        round(100 * max(lag_mape_avg_pv_vs_warehouse), 3) as mape_vs_warehouse_pct,
        round(100 * max(lag_mape_points), 3) as mape_points_pct,
        round(100 * max(lag_band_coverage), 1) as within_band_pct,
        round(100 * max(band_nominal_coverage), 1) as band_nominal_pct
    from regional
    group by months_after_quarter_end
)

select * from final
order by lag_months
