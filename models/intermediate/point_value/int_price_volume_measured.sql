-- 價量 Volumes per sector, region (and 全區 'ALL') and fee quarter of the general-service
-- claims that had arrived by the quarter's as-of date (int_point_value_quarters_assessed): claims
-- (件數) and points (before review deductions) from int_general_service_points_aggregated,
-- distinct patients (歸戶人數) from the general-service claims that are not 交付 claims
-- (int_general_service_claims_split), points per claim (= per visit) and claims per patient.
-- The growth and its decomposition are in the mart price_volume.

with points as (

    select * from {{ ref('int_general_service_points_aggregated') }}

),

claims as (

    select * from {{ ref('int_general_service_claims_split') }}

),

quarters as (

    select * from {{ ref('int_point_value_quarters_assessed') }}

),

sectors as (

    select * from {{ ref('point_value_sectors') }}

),

observed_points as (

    select points.*
    from points
    inner join quarters
        on points.fee_quarter = quarters.fee_quarter
    inner join sectors
        on points.sector = sectors.sector
    where points.appl_date <= quarters.as_of_date
        and (points.claims != 0 or points.points != 0)

),

observed_claims as (

    select claims.*
    from claims
    inner join quarters
        on claims.fee_quarter = quarters.fee_quarter
    inner join sectors
        on claims.sector = sectors.sector
    where claims.appl_date <= quarters.as_of_date
        and claims.is_general_service
        and not claims.is_delivered

),

volumes as (

    select
        sector,
        area_no_h,
        fee_quarter,
        sum(claims) as claims,
        sum(points) as points
    from observed_points
    group by sector, area_no_h, fee_quarter

    union all

    select
        sector,
        'ALL' as area_no_h,
        fee_quarter,
        sum(claims) as claims,
        sum(points) as points
    from observed_points
    group by sector, fee_quarter

),

patients as (

    select
        sector,
        area_no_h,
        fee_quarter,
        count(distinct patient_key) as patients
    from observed_claims
    group by sector, area_no_h, fee_quarter

    union all

    select
        sector,
        'ALL' as area_no_h,
        fee_quarter,
        count(distinct patient_key) as patients
    from observed_claims
    group by sector, fee_quarter

),

ratios as (

    select
        volumes.sector,
        volumes.area_no_h,
        volumes.fee_quarter,
        volumes.claims,
        volumes.points,
        patients.patients,
        cast(volumes.points as double) / nullif(cast(volumes.claims as double), 0) as points_per_claim,
        cast(volumes.claims as double) / nullif(cast(patients.patients as double), 0) as visits_per_patient
    from volumes
    left join patients
        on volumes.sector = patients.sector
            and volumes.area_no_h = patients.area_no_h
            and volumes.fee_quarter = patients.fee_quarter

),

final as (

    select
        cast(sector as {{ dbt.type_string() }}) as sector,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(claims as bigint) as claims,
        cast(points as bigint) as points,
        cast(patients as bigint) as patients,
        cast(points_per_claim as double) as points_per_claim,
        cast(visits_per_patient as double) as visits_per_patient
    from ratios

)

select * from final
