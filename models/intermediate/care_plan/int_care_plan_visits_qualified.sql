-- Qualifying outpatient visits of the care-plan denominators (domain spec §6): one row per
-- plan and outpatient claim whose diagnosis is on the plan's code list (seed
-- care_plan_diagnosis_codes) at an allowed position (seed care_plan_definitions:
-- PRINCIPAL = ICD_1 only, ANY = ICD_1..ICD_3). Codes are compared without dots, upper case.
-- Rows that cannot be used for eligibility are kept with an exclusion_reason:
-- OUT_OF_SCOPE_SECTOR (claim outside var care_plan_sectors, e.g. TCM or dialysis) and
-- MISSING_PHYSICIAN (the plan needs the same physician and the claim has none).
-- On DuckDB built by fee month: a run recomputes the fee months whose claims changed; a changed
-- code list or var care_plan_sectors rebuilds every month (docs/incremental.md).

{{ fee_month_model(
    inputs=['int_outpatient_claims_classified'],
    vars=['care_plan_sectors'],
) }}

with claims as (

    select classified.* from {{ ref('int_outpatient_claims_classified') }} as classified
    where true
    {{ fee_month_filter('classified.fee_ym') }}

),

definitions as (

    select * from {{ ref('care_plan_definitions') }}

),

diagnosis_codes as (

    select * from {{ ref('care_plan_diagnosis_codes') }}

),

diagnosis_positions as (

    select 1 as diagnosis_position_no
    union all
    select 2 as diagnosis_position_no
    union all
    select 3 as diagnosis_position_no

),

claim_diagnoses as (

    -- one row per claim and diagnosis position (1 = ICD_1 principal, 2-3 = secondary)
    select
        claims.hosp_id,
        claims.fee_ym,
        claims.appl_type,
        claims.case_type,
        claims.seq_no,
        claims.patient_key,
        claims.physician_key,
        claims.visit_date,
        claims.area_no_h,
        claims.hosp_cont_type,
        claims.sector,
        diagnosis_positions.diagnosis_position_no,
        upper(replace(trim(
            case diagnosis_positions.diagnosis_position_no
                when 1 then claims.icd_1
                when 2 then claims.icd_2
                else claims.icd_3
            end
        ), '.', '')) as diagnosis_code
    from claims
    cross join diagnosis_positions

),

code_list_entries as (

    select
        definitions.plan,
        definitions.diagnosis_position,
        definitions.requires_same_physician,
        diagnosis_codes.icd10_code,
        diagnosis_codes.match_type,
        substr(diagnosis_codes.icd10_code, 1, 3) as icd10_category
    from definitions
    inner join diagnosis_codes
        on definitions.diagnosis_code_list = diagnosis_codes.code_list

),

matched as (

    -- equi-join on the three-character category first, then the exact/prefix rule
    select
        code_list_entries.plan,
        code_list_entries.requires_same_physician,
        claim_diagnoses.*
    from claim_diagnoses
    inner join code_list_entries
        on substr(claim_diagnoses.diagnosis_code, 1, 3) = code_list_entries.icd10_category
    where
        (
            (
                code_list_entries.match_type = 'EXACT'
                and claim_diagnoses.diagnosis_code = code_list_entries.icd10_code
            )
            or (
                code_list_entries.match_type = 'PREFIX'
                and substr(claim_diagnoses.diagnosis_code, 1, length(code_list_entries.icd10_code))
                = code_list_entries.icd10_code
            )
        )
        and (
            code_list_entries.diagnosis_position = 'ANY'
            or claim_diagnoses.diagnosis_position_no = 1
        )

),

per_claim as (

    select
        plan,
        hosp_id,
        fee_ym,
        appl_type,
        case_type,
        seq_no,
        patient_key,
        physician_key,
        visit_date,
        area_no_h,
        hosp_cont_type,
        sector,
        requires_same_physician,
        min(diagnosis_position_no) as first_matching_position_no
    from matched
    group by
        plan,
        hosp_id,
        fee_ym,
        appl_type,
        case_type,
        seq_no,
        patient_key,
        physician_key,
        visit_date,
        area_no_h,
        hosp_cont_type,
        sector,
        requires_same_physician

),

flagged as (

    select
        *,
        case
            when sector is null or sector not in {{ care_plan_sector_list() }} then 'OUT_OF_SCOPE_SECTOR'
            when requires_same_physician and physician_key is null then 'MISSING_PHYSICIAN'
        end as exclusion_reason
    from per_claim

),

final as (

    select
        cast(plan as {{ dbt.type_string() }}) as plan,
        cast(hosp_id as {{ dbt.type_string() }}) as hosp_id,
        cast(fee_ym as {{ dbt.type_string() }}) as fee_ym,
        cast(appl_type as {{ dbt.type_string() }}) as appl_type,
        cast(case_type as {{ dbt.type_string() }}) as case_type,
        cast(seq_no as integer) as seq_no,
        cast(patient_key as {{ dbt.type_string() }}) as patient_key,
        cast(physician_key as {{ dbt.type_string() }}) as physician_key,
        cast(visit_date as date) as visit_date,
        cast(year(visit_date) as integer) as visit_year,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(hosp_cont_type as {{ dbt.type_string() }}) as hosp_cont_type,
        cast(sector as {{ dbt.type_string() }}) as sector,
        cast(first_matching_position_no as integer) as first_matching_position_no,
        cast(first_matching_position_no = 1 as boolean) as is_principal_diagnosis,
        cast(exclusion_reason as {{ dbt.type_string() }}) as exclusion_reason
    from flagged

)

select * from final
