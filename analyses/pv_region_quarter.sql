-- 點值 Point values of one region for one quarter, with rank and forecast band.
--
-- The question: "what is a point worth in 高屏 this quarter, where does it rank, and how sure are
-- we?" One row per sector, exactly what the meeting report shows: rpt_point_value_current decides
-- the status (SETTLED, FORECAST with its band, or PROVISIONAL without a value), this query only
-- picks the region and quarter and puts the whole country beside it.
--
-- Vars: report_area (default '5' 高屏), report_quarter (default: the latest quarter in the mart).
--   dbt compile --profiles-dir profiles --select pv_region_quarter --vars '{report_area: "1", report_quarter: "2025Q2"}'

{% set report_area = var('report_area', '5') %}
{% set report_quarter = var('report_quarter', none) %}

with

shown as (
    select * from {{ ref('rpt_point_value_current') }}
),

chosen as (
    select *
    from shown
    {% if report_quarter %}
        where fee_quarter = '{{ report_quarter }}'
    {% else %}
        where is_latest_quarter
    {% endif %}
),

final as (
    select
        region.roc_quarter,
        region.fee_quarter,
        region.status,
        region.sector_zh,
        region.region_zh,
        region.avg_pv_rank as rank_of_6,
        round(region.avg_pv, 4) as avg_pv,
        round(region.float_pv, 4) as float_pv,
        round(region.avg_pv_low, 4) as avg_pv_low,
        round(region.avg_pv_high, 4) as avg_pv_high,
        region.band_coverage,
        round(country.avg_pv, 4) as country_avg_pv,
        region.announced_avg_pv,
        round(region.previous_quarter_avg_pv, 4) as previous_quarter_avg_pv,
        round(region.year_ago_avg_pv, 4) as year_ago_avg_pv
    from chosen as region
    left join chosen as country
        on region.sector = country.sector
            and country.area_no_h = 'ALL'
    where region.area_no_h = '{{ report_area }}'
)

select * from final
order by sector_zh
