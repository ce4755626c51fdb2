-- 點值 Point values of one region for one quarter, with rank and forecast band.
--
-- The question: "what is a point worth in 高屏 this quarter, where does it rank, and how sure are
-- we?" One row per sector. A complete quarter comes from point_value_settlement (status SETTLED);
-- a quarter still filling up from point_value_forecast (status FORECAST, with the low/high band);
-- the announced value is shown beside when the extract has one.
--
-- Vars: report_area (default '5' 高屏), report_quarter (default: the latest quarter in the marts).
--   dbt compile --profiles-dir profiles --select pv_region_quarter --vars '{report_area: "1", report_quarter: "2025Q2"}'

{% set report_area = var('report_area', '5') %}
{% set report_quarter = var('report_quarter', none) %}

with

settlement as (
    select * from {{ ref('point_value_settlement') }}
),

forecast as (
    select * from {{ ref('point_value_forecast') }}
),

chosen_quarter as (
    {% if report_quarter %}
        select '{{ report_quarter }}' as fee_quarter
    {% else %}
        select max(fee_quarter) as fee_quarter from settlement
    {% endif %}
),

settled_rows as (
    select
        settlement.sector,
        settlement.sector_zh,
        settlement.area_no_h,
        settlement.region_zh,
        settlement.fee_quarter,
        settlement.roc_quarter,
        'SETTLED' as status,
        settlement.avg_pv,
        settlement.float_pv,
        settlement.avg_pv_rank,
        cast(null as double) as avg_pv_low,
        cast(null as double) as avg_pv_high,
        settlement.announced_settled_avg_pv as announced_avg_pv
    from settlement
    inner join chosen_quarter on settlement.fee_quarter = chosen_quarter.fee_quarter
    where settlement.is_complete
),

forecast_rows as (
    select
        forecast.sector,
        forecast.sector_zh,
        forecast.area_no_h,
        forecast.region_zh,
        forecast.fee_quarter,
        forecast.roc_quarter,
        'FORECAST' as status,
        forecast.avg_pv,
        forecast.float_pv,
        forecast.avg_pv_rank,
        forecast.avg_pv_low,
        forecast.avg_pv_high,
        forecast.announced_forecast_avg_pv as announced_avg_pv
    from forecast
    inner join chosen_quarter on forecast.fee_quarter = chosen_quarter.fee_quarter
),

region_and_country as (
    select * from settled_rows
    union all
    select * from forecast_rows
),

country as (
    select
        sector,
        avg_pv as country_avg_pv
    from region_and_country
    where area_no_h = 'ALL'
),

final as (
    select
        region_and_country.roc_quarter,
        region_and_country.fee_quarter,
        region_and_country.status,
        region_and_country.sector_zh,
        region_and_country.region_zh,
        region_and_country.avg_pv_rank as rank_of_6,
        round(region_and_country.avg_pv, 4) as avg_pv,
        round(region_and_country.float_pv, 4) as float_pv,
        round(region_and_country.avg_pv_low, 4) as avg_pv_low,
        round(region_and_country.avg_pv_high, 4) as avg_pv_high,
        round(country.country_avg_pv, 4) as country_avg_pv,
        region_and_country.announced_avg_pv
    from region_and_country
    left join country on region_and_country.sector = country.sector
    where region_and_country.area_no_h = '{{ report_area }}'
)

select * from final
order by sector_zh
