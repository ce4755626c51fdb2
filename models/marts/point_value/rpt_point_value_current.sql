-- 點值 What the co-management meeting shows now, per sector, region (and 全區 'ALL') and fee
-- quarter - the one place that decides it, read by the report and dashboards:
-- * SETTLED: the quarter is complete - its settled value and rank (point_value_settlement);
-- * FORECAST: not complete and forecast - the forecast, its rank and band (point_value_forecast);
-- * PROVISIONAL: not complete and no forecast possible (no complete history quarter yet) - no
--   point value and no rank, only the provisional budget ratio (not a point value).
-- With the previous quarter's and the same quarter last year's settled values and ranks, and
-- the announced value of the same kind (結算 for SETTLED, 預估 otherwise).

with settlement as (

    select * from {{ ref('point_value_settlement') }}

),

forecast as (

    select * from {{ ref('point_value_forecast') }}

),

latest as (

    select max(fee_quarter) as fee_quarter from settlement

),

chosen as (

    select
        settlement.*,
        case
            when settlement.status = 'SETTLED' then 'SETTLED'
            when forecast.avg_pv is not null then 'FORECAST'
            else 'PROVISIONAL'
        end as shown_status,
        forecast.avg_pv as forecast_avg_pv,
        forecast.float_pv as forecast_float_pv,
        forecast.avg_pv_rank as forecast_avg_pv_rank,
        forecast.avg_pv_low,
        forecast.avg_pv_high,
        forecast.band_coverage,
        forecast.band_method,
        forecast.completion_factor,
        forecast.as_of_date as forecast_as_of_date,
        forecast.months_after_quarter_end
    from settlement
    left join forecast
        on settlement.sector = forecast.sector
            and settlement.area_no_h = forecast.area_no_h
            and settlement.fee_quarter = forecast.fee_quarter

),

shown as (

    select
        chosen.*,
        chosen.fee_quarter = latest.fee_quarter as is_latest_quarter,
        case chosen.shown_status
            when 'SETTLED' then chosen.avg_pv
            when 'FORECAST' then chosen.forecast_avg_pv
        end as shown_avg_pv,
        case chosen.shown_status
            when 'SETTLED' then chosen.float_pv
            when 'FORECAST' then chosen.forecast_float_pv
        end as shown_float_pv,
        case chosen.shown_status
            when 'SETTLED' then chosen.avg_pv_rank
            when 'FORECAST' then chosen.forecast_avg_pv_rank
        end as shown_avg_pv_rank,
        case
            when chosen.shown_status = 'SETTLED' then chosen.announced_settled_avg_pv
            else chosen.announced_forecast_avg_pv
        end as announced_avg_pv,
        case
            when chosen.shown_status = 'SETTLED' then chosen.announced_settled_float_pv
            else chosen.announced_forecast_float_pv
        end as announced_float_pv
    from chosen
    cross join latest

),

final as (

    select
        cast(sector as {{ dbt.type_string() }}) as sector,
        cast(sector_zh as {{ dbt.type_string() }}) as sector_zh,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(region_zh as {{ dbt.type_string() }}) as region_zh,
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(is_latest_quarter as boolean) as is_latest_quarter,
        cast(shown_status as {{ dbt.type_string() }}) as status,
        cast(shown_avg_pv as double) as avg_pv,
        cast(shown_float_pv as double) as float_pv,
        {{ decimal_or_null('shown_avg_pv', 8, 4) }} as avg_pv_rounded,
        {{ decimal_or_null('shown_float_pv', 8, 4) }} as float_pv_rounded,
        cast({{ pv_rounded_null_reason('shown_float_pv', 'shown_avg_pv') }} as {{ dbt.type_string() }})
            as rounded_null_reason,
        cast(shown_avg_pv_rank as integer) as avg_pv_rank,
        cast(case when shown_status = 'FORECAST' then avg_pv_low end as double) as avg_pv_low,
        cast(case when shown_status = 'FORECAST' then avg_pv_high end as double) as avg_pv_high,
        cast(case when shown_status = 'FORECAST' then band_coverage end as double) as band_coverage,
        cast(case when shown_status = 'FORECAST' then band_method end as {{ dbt.type_string() }}) as band_method,
        cast(case when shown_status = 'FORECAST' then completion_factor end as double) as completion_factor,
        cast(case when shown_status = 'FORECAST' then months_after_quarter_end end as integer)
            as months_after_quarter_end,
        cast(provisional_budget_ratio as double) as provisional_budget_ratio,
        cast(announced_avg_pv as decimal(8, 4)) as announced_avg_pv,
        cast(announced_float_pv as decimal(8, 4)) as announced_float_pv,
        cast(previous_fee_quarter as {{ dbt.type_string() }}) as previous_fee_quarter,
        cast(previous_quarter_avg_pv as double) as previous_quarter_avg_pv,
        cast(previous_quarter_avg_pv_rank as integer) as previous_quarter_avg_pv_rank,
        cast(year_ago_fee_quarter as {{ dbt.type_string() }}) as year_ago_fee_quarter,
        cast(year_ago_avg_pv as double) as year_ago_avg_pv,
        cast(year_ago_avg_pv_rank as integer) as year_ago_avg_pv_rank,
        cast(points as bigint) as points,
        cast(claims as bigint) as claims,
        cast(as_of_date as date) as as_of_date
    from shown

)

select * from final
