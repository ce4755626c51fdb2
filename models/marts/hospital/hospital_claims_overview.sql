-- 醫院一般服務項目申報概況 Hospital claims overview (source 002, slides 12-13 and the level tables):
-- per fee quarter, region (1-6, 'ALL' 全區), hospital level (1 醫學中心, 2 區域醫院, 3 地區醫院,
-- 'ALL' 總計) and setting (門診 OUTPATIENT, 住院 INPATIENT, 'ALL' 合計): general-service claims and
-- points (一般服務項目, special-budget items out; the hospital's own claims, without prescriptions
-- released to pharmacies), the same quarter a year earlier and the growth, the outpatient share
-- (門診占率, on 合計 rows), points per claim, drug points per drug day (每日藥費, outpatient rows) and
-- patient days per inpatient claim (每件住院日) with points per patient day (每日點數, inpatient
-- rows), and the prescriptions the hospitals released to pharmacies (交付, by cd.ORIG_HOSP_ID) with
-- their growth (門診 and 合計 rows). Region = the hospital's region. Every cell has a row in every
-- quarter with hospital claims.

with calendar_quarters as (

    select * from {{ ref('int_calendar_quarters') }}

),

aggregated as (

    select * from {{ ref('int_hospital_claims_aggregated') }}

),

releases as (

    select * from {{ ref('int_hospital_releases_aggregated') }}

),

spine as (

    select * from {{ ref('int_sector_quarter_regions') }}
    where sector = 'HOSPITAL'

),

levels as (

    select distinct
        cast(institution_level as {{ dbt.type_string() }}) as hospital_level,
        institution_level_zh as hospital_level_zh
    from {{ ref('contract_types') }}
    where sector_if_by_institution = 'HOSPITAL'

    union all

    select
        'ALL' as hospital_level,
        '總計' as hospital_level_zh

),

settings as (

    select
        setting,
        setting_zh
    from {{ ref('claim_settings') }}

    union all

    select
        'ALL' as setting,
        '合計' as setting_zh

),

cells as (

    select
        spine.fee_quarter,
        spine.roc_quarter,
        spine.area_no_h,
        spine.region_zh,
        spine.is_complete,
        levels.hospital_level,
        levels.hospital_level_zh,
        settings.setting,
        settings.setting_zh,
        coalesce(aggregated.claims, 0) as claims,
        coalesce(aggregated.points, 0) as points,
        coalesce(aggregated.outpatient_points, 0) as outpatient_points,
        coalesce(aggregated.drug_points, 0) as drug_points,
        coalesce(aggregated.drug_days, 0) as drug_days,
        coalesce(aggregated.patient_days, 0) as patient_days,
        case when settings.setting <> 'INPATIENT' then coalesce(releases.released_claims, 0) end as released_claims,
        case when settings.setting <> 'INPATIENT' then coalesce(releases.released_points, 0) end as released_points
    from spine
    cross join levels
    cross join settings
    left join aggregated
        on spine.fee_quarter = aggregated.fee_quarter
            and spine.area_no_h = aggregated.area_no_h
            and levels.hospital_level = aggregated.hospital_level
            and settings.setting = aggregated.setting
    left join releases
        on spine.fee_quarter = releases.fee_quarter
            and spine.area_no_h = releases.area_no_h
            and levels.hospital_level = releases.hospital_level

),

compared as (

    select
        current_year.*,
        previous_year.fee_quarter as previous_fee_quarter,
        previous_year.claims as previous_year_claims,
        previous_year.points as previous_year_points,
        previous_year.outpatient_points as previous_year_outpatient_points,
        previous_year.released_points as previous_year_released_points
    from cells as current_year
    left join cells as previous_year
        on current_year.area_no_h = previous_year.area_no_h
            and current_year.hospital_level = previous_year.hospital_level
            and current_year.setting = previous_year.setting
            and {{ previous_year_period('current_year.fee_quarter') }} = previous_year.fee_quarter

),

ratios as (

    select
        *,
        case when setting = 'ALL' then {{ safe_ratio('outpatient_points', 'points') }} end as outpatient_share,
        case
            when setting = 'ALL' then {{ safe_ratio('previous_year_outpatient_points', 'previous_year_points') }}
        end as previous_year_outpatient_share,
        {{ safe_ratio('drug_points', 'drug_days') }} as drug_points_per_drug_day,
        {{ safe_ratio('patient_days', 'claims') }} as patient_days_per_claim,
        {{ safe_ratio('points', 'patient_days') }} as points_per_patient_day
    from compared

),


dated as (

    select
        ratios.*,
        calendar_quarters.fee_quarter_start
    from ratios
    left join calendar_quarters
        on ratios.fee_quarter = calendar_quarters.fee_quarter

),

final as (

    select
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(fee_quarter_start as date) as fee_quarter_start,
        cast(roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(region_zh as {{ dbt.type_string() }}) as region_zh,
        cast(hospital_level as {{ dbt.type_string() }}) as hospital_level,
        cast(hospital_level_zh as {{ dbt.type_string() }}) as hospital_level_zh,
        cast(setting as {{ dbt.type_string() }}) as setting,
        cast(setting_zh as {{ dbt.type_string() }}) as setting_zh,
        cast(is_complete as boolean) as is_complete,
        cast(claims as bigint) as claims,
        cast(points as bigint) as points,
        cast(previous_fee_quarter as {{ dbt.type_string() }}) as previous_fee_quarter,
        cast(previous_year_claims as bigint) as previous_year_claims,
        cast(previous_year_points as bigint) as previous_year_points,
        cast({{ growth_rate('claims', 'previous_year_claims') }} as double) as claims_growth,
        cast({{ growth_rate('points', 'previous_year_points') }} as double) as points_growth,
        cast(outpatient_share as double) as outpatient_share,
        cast(previous_year_outpatient_share as double) as previous_year_outpatient_share,
        cast({{ safe_ratio('points', 'claims') }} as double) as points_per_claim,
        cast(case when setting = 'OUTPATIENT' then drug_points end as bigint) as drug_points,
        cast(case when setting = 'OUTPATIENT' then drug_days end as bigint) as drug_days,
        cast(case when setting = 'OUTPATIENT' then drug_points_per_drug_day end as double) as drug_points_per_drug_day,
        cast(case when setting = 'INPATIENT' then patient_days end as bigint) as patient_days,
        cast(case when setting = 'INPATIENT' then patient_days_per_claim end as double) as patient_days_per_claim,
        cast(case when setting = 'INPATIENT' then points_per_patient_day end as double) as points_per_patient_day,
        cast(released_claims as bigint) as released_claims,
        cast(released_points as bigint) as released_points,
        cast(previous_year_released_points as bigint) as previous_year_released_points,
        cast({{ growth_rate('released_points', 'previous_year_released_points') }} as double) as released_points_growth
    from dated

)

select * from final
