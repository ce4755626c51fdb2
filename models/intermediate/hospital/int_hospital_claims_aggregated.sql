-- General-service hospital claims (int_hospital_claims_measured, is_general_service) summed per fee
-- quarter over every combination of region (area_no_h), hospital level (1-3) and setting
-- (OUTPATIENT, INPATIENT), with 'ALL' for a dimension summed over (全區, 總計, 合計): the cube the
-- hospital claims overview reads. Drug points count towards 每日藥費 only on claims with drug days.

with claims as (

    select * from {{ ref('int_hospital_claims_measured') }}
    where is_general_service

),

aggregated as (

    select
        fee_quarter,
        {{ all_when_rolled_up('area_no_h') }} as area_no_h,
        {{ all_when_rolled_up('hospital_level') }} as hospital_level,
        {{ all_when_rolled_up('setting') }} as setting,
        count(*) as claims,
        sum(points) as points,
        sum(case when setting = 'OUTPATIENT' then points else 0 end) as outpatient_points,
        sum(case when drug_days > 0 then drug_points else 0 end) as drug_points,
        sum(drug_days) as drug_days,
        sum(patient_days) as patient_days
    from claims
    group by fee_quarter, cube(area_no_h, hospital_level, setting)

),

final as (

    select
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(hospital_level as {{ dbt.type_string() }}) as hospital_level,
        cast(setting as {{ dbt.type_string() }}) as setting,
        cast(claims as bigint) as claims,
        cast(points as bigint) as points,
        cast(outpatient_points as bigint) as outpatient_points,
        cast(drug_points as bigint) as drug_points,
        cast(drug_days as bigint) as drug_days,
        cast(patient_days as bigint) as patient_days
    from aggregated

)

select * from final
