-- 點值預估 Point-value forecast as of var pv_as_of_date (default: the latest APPL_DATE) for
-- every quarter not yet complete, per sector, region and 全區 ('ALL'), with the band and the
-- announced forecast beside it. Computed in int_point_value_forecasts_projected and
-- int_point_value_forecasts_banded (request kind FORECAST); the backtest mart replays the same
-- models for past quarters.

with forecasts as (

    select * from {{ ref('int_point_value_forecasts_banded') }}
    where request_kind = 'FORECAST'

),

sectors as (

    select * from {{ ref('point_value_sectors') }}

),

regions as (

    select * from {{ ref('regions') }}

),

announced as (

    select * from {{ ref('stg_nhird__pv_announced') }}
    where pv_kind = 'FORECAST'

),

joined as (

    select
        forecasts.*,
        sectors.sector_zh,
        case when forecasts.area_no_h = 'ALL' then '全區' else regions.region_zh end as region_zh,
        announced.float_pv as announced_forecast_float_pv,
        announced.avg_pv as announced_forecast_avg_pv
    from forecasts
    left join sectors
        on forecasts.sector = sectors.sector
    left join regions
        on forecasts.area_no_h = regions.area_no_h
    left join announced
        on forecasts.sector = announced.sector
            and forecasts.fee_quarter = announced.fee_quarter
            and forecasts.area_no_h = announced.area_no_h

),

final as (

    select
        cast(sector as {{ dbt.type_string() }}) as sector,
        cast(sector_zh as {{ dbt.type_string() }}) as sector_zh,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(region_zh as {{ dbt.type_string() }}) as region_zh,
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(as_of_date as date) as as_of_date,
        cast(months_after_quarter_end as integer) as months_after_quarter_end,
        cast(history_quarters as integer) as history_quarters,
        cast(unprojected_months as integer) as unprojected_months,
        cast(expected_institutions as integer) as expected_institutions,
        cast(observed_claims as bigint) as observed_claims,
        cast(observed_points as bigint) as observed_points,
        cast(observed_nonfloat_points as bigint) as observed_nonfloat_points,
        cast(completion_factor as double) as completion_factor,
        cast(projected_points as double) as projected_points,
        cast(projected_points_upper as double) as projected_points_upper,
        cast(projected_points_lower as double) as projected_points_lower,
        cast(relative_se as double) as relative_se,
        cast(expected_deduction_rate as double) as expected_deduction_rate,
        cast(expected_deducted_points as double) as expected_deducted_points,
        cast(allowed_nonfloat_points as double) as nonfloat_points,
        cast(allowed_float_points as double) as float_points,
        cast(budget_amt as decimal(18, 2)) as budget_amt,
        cast(float_pv as double) as float_pv,
        cast(float_pv_low as double) as float_pv_low,
        cast(float_pv_high as double) as float_pv_high,
        cast(avg_pv as double) as avg_pv,
        cast(avg_pv_low as double) as avg_pv_low,
        cast(avg_pv_high as double) as avg_pv_high,
        cast(band_coverage as double) as band_coverage,
        cast(band_method as {{ dbt.type_string() }}) as band_method,
        cast(calibration_errors as integer) as calibration_errors,
        cast(band_multiplier as double) as band_multiplier,
        {{ decimal_or_null('float_pv', 8, 4) }} as float_pv_rounded,
        {{ decimal_or_null('avg_pv', 8, 4) }} as avg_pv_rounded,
        cast({{ pv_rounded_null_reason('float_pv', 'avg_pv') }} as {{ dbt.type_string() }}) as rounded_null_reason,
        cast(avg_pv_rank as integer) as avg_pv_rank,
        cast(announced_forecast_float_pv as decimal(8, 4)) as announced_forecast_float_pv,
        cast(announced_forecast_avg_pv as decimal(8, 4)) as announced_forecast_avg_pv
    from joined

)

select * from final
