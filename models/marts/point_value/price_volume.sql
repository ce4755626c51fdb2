-- 價量分析 Price-volume analysis per sector, region (and 全區 'ALL') and fee quarter of the
-- general-service claims that had arrived by the as-of date: claims (件數), points, distinct
-- patients (歸戶人數), visits per patient and points per visit, their growth against the same
-- quarter of the previous year (成長率), and the multiplicative decomposition
-- (1 + g_points) = (1 + g_patients)(1 + g_visits_per_patient)(1 + g_points_per_visit).
-- A visit is a claim (件數 = 就診次數): visits per patient = claims / patients, points per
-- visit = points per claim. Points are before review deductions (醫療費用點數, T_DOT). A 交付
-- claim's points count in the prescriber's sector and region, its claim and patient do not
-- (交付機構資料點數計，但件數不計, source 000). The quarter's volumes: int_price_volume_measured.

with calendar_quarters as (

    select * from {{ ref('int_calendar_quarters') }}

),

ratios as (

    select * from {{ ref('int_price_volume_measured') }}

),

quarters as (

    select * from {{ ref('int_point_value_quarters_assessed') }}

),

sectors as (

    select * from {{ ref('point_value_sectors') }}

),

regions as (

    select * from {{ ref('regions') }}

),

with_previous as (

    select
        current_quarter.*,
        previous_quarter.fee_quarter as previous_fee_quarter,
        previous_quarter.claims as previous_claims,
        previous_quarter.points as previous_points,
        previous_quarter.patients as previous_patients,
        previous_quarter.points_per_claim as previous_points_per_claim,
        previous_quarter.visits_per_patient as previous_visits_per_patient
    from ratios as current_quarter
    left join ratios as previous_quarter
        on current_quarter.sector = previous_quarter.sector
            and current_quarter.area_no_h = previous_quarter.area_no_h
            and {{ year_earlier_quarter('current_quarter.fee_quarter') }} = previous_quarter.fee_quarter

),

growth as (

    select
        *,
        cast(claims as double) / nullif(cast(previous_claims as double), 0) - 1 as claims_growth,
        cast(points as double) / nullif(cast(previous_points as double), 0) - 1 as points_growth,
        cast(patients as double) / nullif(cast(previous_patients as double), 0) - 1 as patients_growth,
        points_per_claim / nullif(previous_points_per_claim, 0) - 1 as points_per_claim_growth,
        visits_per_patient / nullif(previous_visits_per_patient, 0) - 1 as visits_per_patient_growth
    from with_previous

),

labelled as (

    select
        growth.*,
        sectors.sector_zh,
        case when growth.area_no_h = 'ALL' then '全區' else regions.region_zh end as region_zh,
        quarters.roc_quarter,
        quarters.is_complete,
        (1 + growth.patients_growth) * (1 + growth.visits_per_patient_growth) * (1 + growth.points_per_claim_growth) - 1
            as points_growth_decomposed
    from growth
    inner join quarters
        on growth.fee_quarter = quarters.fee_quarter
    left join sectors
        on growth.sector = sectors.sector
    left join regions
        on growth.area_no_h = regions.area_no_h

),


dated as (

    select
        labelled.*,
        calendar_quarters.fee_quarter_start
    from labelled
    left join calendar_quarters
        on labelled.fee_quarter = calendar_quarters.fee_quarter

),

final as (

    select
        cast(sector as {{ dbt.type_string() }}) as sector,
        cast(sector_zh as {{ dbt.type_string() }}) as sector_zh,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(region_zh as {{ dbt.type_string() }}) as region_zh,
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(fee_quarter_start as date) as fee_quarter_start,
        cast(roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(is_complete as boolean) as is_complete,
        cast(claims as bigint) as claims,
        cast(points as bigint) as points,
        cast(points_per_claim as double) as points_per_claim,
        cast(patients as bigint) as patients,
        cast(visits_per_patient as double) as visits_per_patient,
        cast(points_per_claim as double) as points_per_visit,
        cast(previous_fee_quarter as {{ dbt.type_string() }}) as previous_fee_quarter,
        cast(previous_claims as bigint) as previous_claims,
        cast(previous_points as bigint) as previous_points,
        cast(previous_patients as bigint) as previous_patients,
        cast(claims_growth as double) as claims_growth,
        cast(points_growth as double) as points_growth,
        cast(points_per_claim_growth as double) as points_per_claim_growth,
        cast(patients_growth as double) as patients_growth,
        cast(visits_per_patient_growth as double) as visits_per_patient_growth,
        cast(points_per_claim_growth as double) as points_per_visit_growth,
        cast(points_growth_decomposed as double) as points_growth_decomposed
    from dated

)

select * from final
