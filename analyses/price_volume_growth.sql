-- 價量 Why did the points of a region grow? Year-on-year growth of points split into patients,
-- visits per patient and points per visit: (1 + g_points) = (1 + g_patients)
-- (1 + g_visits_per_patient)(1 + g_points_per_visit), for every sector and quarter of the region,
-- beside the country's points growth. Recent quarters (is_complete false) are still filling up.
--
-- Vars: report_area (default '5' 高屏).

{% set report_area = var('report_area', '5') %}

with

price_volume as (
    select * from {{ ref('price_volume') }}
),

country as (
    select
        sector,
        fee_quarter,
        points_growth as country_points_growth
    from price_volume
    where area_no_h = 'ALL'
),

final as (
    select
        price_volume.roc_quarter,
        price_volume.sector_zh,
        price_volume.region_zh,
        price_volume.is_complete,
        price_volume.claims,
        price_volume.points,
        price_volume.patients,
        round(price_volume.visits_per_patient, 3) as visits_per_patient,
        round(price_volume.points_per_visit, 1) as points_per_visit,
        round(100 * price_volume.patients_growth, 2) as patients_growth_pct,
        round(100 * price_volume.visits_per_patient_growth, 2) as visits_per_patient_growth_pct,
        round(100 * price_volume.points_per_visit_growth, 2) as points_per_visit_growth_pct,
        round(100 * price_volume.points_growth, 2) as points_growth_pct,
        round(100 * country.country_points_growth, 2) as country_points_growth_pct
    from price_volume
    left join country
        on
            price_volume.sector = country.sector
            and price_volume.fee_quarter = country.fee_quarter
    where price_volume.area_no_h = '{{ report_area }}'
)

select * from final
order by roc_quarter desc, sector_zh asc
