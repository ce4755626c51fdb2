-- 中醫抽審院所 TCM institutions at or above their region's PR95 of visits per patient (source 001
-- 註3: "抽審季平均就醫次數 ≥ PR95之院所"): per fee quarter and region, every TCM institution whose
-- quarterly visits per patient (visits as in tcm_visits_per_patient: 診察費 > 0, case types 22, 25,
-- A3, B6 left out) is at or above the var tcm_review_percentile (default 0.95, published) percentile
-- of the region's institutions with at least var tcm_review_min_patients patients (default 1: every
-- institution, as published). A list for review (抽審 candidates): institutions only — no patient
-- key, no physician key.

{%- set percentile = var('tcm_review_percentile', 0.95) %}
{%- set min_patients = var('tcm_review_min_patients', 1) | int %}

with claims as (

    select * from {{ ref('int_tcm_claims_flagged') }}
    where counts_as_visit

),

institutions as (

    select * from {{ ref('int_institutions_classified') }}

),

quarters_assessed as (

    select * from {{ ref('int_point_value_quarters_assessed') }}

),

institution_quarters as (

    select
        fee_quarter,
        roc_quarter,
        area_no_h,
        hosp_id,
        count(*) as visits,
        count(distinct patient_key) as patients
    from claims
    group by fee_quarter, roc_quarter, area_no_h, hosp_id

),

rated as (

    select
        *,
        {{ safe_ratio('visits', 'patients') }} as visits_per_patient
    from institution_quarters
    where patients >= {{ min_patients }}

),

thresholds as (

    select
        fee_quarter,
        area_no_h,
        count(*) as region_institutions,
        {{ percentile_cont('visits_per_patient', percentile) }} as region_threshold
    from rated
    group by fee_quarter, area_no_h

),

ranked as (

    select
        rated.*,
        thresholds.region_institutions,
        thresholds.region_threshold,
        rank() over (partition by rated.fee_quarter, rated.area_no_h order by rated.visits_per_patient desc)
            as rank_in_region
    from rated
    inner join thresholds
        on rated.fee_quarter = thresholds.fee_quarter
            and rated.area_no_h = thresholds.area_no_h

),

candidates as (

    select
        ranked.*,
        institutions.hosp_name,
        institutions.region_zh,
        quarters_assessed.is_complete
    from ranked
    left join institutions
        on ranked.hosp_id = institutions.hosp_id
    left join quarters_assessed
        on ranked.fee_quarter = quarters_assessed.fee_quarter
    where ranked.visits_per_patient >= ranked.region_threshold

),

final as (

    select
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(region_zh as {{ dbt.type_string() }}) as region_zh,
        cast(hosp_id as {{ dbt.type_string() }}) as hosp_id,
        cast(hosp_name as {{ dbt.type_string() }}) as hosp_name,
        cast(is_complete as boolean) as is_complete,
        cast(visits as bigint) as visits,
        cast(patients as bigint) as patients,
        cast(visits_per_patient as double) as visits_per_patient,
        cast(region_threshold as double) as region_threshold,
        cast({{ percentile }} as double) as threshold_percentile,
        cast(region_institutions as bigint) as region_institutions,
        cast(rank_in_region as integer) as rank_in_region
    from candidates

)

select * from final
