-- Hospital claims (醫院總額: sector HOSPITAL, institutions of level 1 醫學中心, 2 區域醫院, 3 地區醫院)
-- with what the hospital claims overview (source 002, 一般服務項目申報概況) measures: the claim's
-- general-service points (一般服務項目點數: special-budget items taken out by
-- int_general_service_claims_split, the one definition of the general service), drug points and
-- drug days of an outpatient claim (for 每日藥費), and patient days of an inpatient claim (住院日數
-- = discharge − admission date, the discharge day not counted; a same-day stay counts as one day).
-- Only the hospital's own claims: prescriptions it released to pharmacies (交付) are claimed by
-- the pharmacy and are not here (002: 不含交付處方點數).
-- On DuckDB built by fee month: a run recomputes the fee months whose claims changed
-- (docs/incremental.md).

{{ fee_month_model(
    inputs=['int_general_service_claims_split', 'int_outpatient_claims_classified'],
    monthly_rows=['int_inpatient_claims_classified'],
) }}

with split as (

    select claims_split.* from {{ ref('int_general_service_claims_split') }} as claims_split
    where claims_split.sector = 'HOSPITAL'
    {{ fee_month_filter('claims_split.fee_ym') }}

),

outpatient as (

    select classified.* from {{ ref('int_outpatient_claims_classified') }} as classified
    where classified.sector = 'HOSPITAL'
    {{ fee_month_filter('classified.fee_ym') }}

),

inpatient as (

    select classified.* from {{ ref('int_inpatient_claims_classified') }} as classified
    where classified.sector = 'HOSPITAL'
    {{ fee_month_filter('classified.fee_ym') }}

),

details as (

    select
        'OUTPATIENT' as setting,
        hosp_id,
        fee_ym,
        appl_type,
        case_type,
        seq_no,
        institution_level,
        coalesce(drug_dot, 0) as drug_points,
        coalesce(drug_day, 0) as drug_days,
        0 as patient_days
    from outpatient

    union all

    select
        'INPATIENT' as setting,
        hosp_id,
        fee_ym,
        appl_type,
        case_type,
        seq_no,
        institution_level,
        coalesce(drug_dot, 0) as drug_points,
        0 as drug_days,
        greatest({{ days_between('admission_date', 'discharge_date') }}, 1) as patient_days
    from inpatient

),

measured as (

    select
        split.setting,
        split.hosp_id,
        split.fee_ym,
        split.appl_type,
        split.case_type,
        split.seq_no,
        split.fee_quarter,
        split.roc_quarter,
        split.area_no_h,
        details.institution_level,
        split.is_general_service,
        split.points,
        details.drug_points,
        details.drug_days,
        details.patient_days
    from split
    inner join details
        on split.setting = details.setting
            and split.hosp_id = details.hosp_id
            and split.fee_ym = details.fee_ym
            and split.appl_type = details.appl_type
            and split.case_type = details.case_type
            and split.seq_no = details.seq_no

),

final as (

    select
        cast(setting as {{ dbt.type_string() }}) as setting,
        cast(hosp_id as {{ dbt.type_string() }}) as hosp_id,
        cast(fee_ym as {{ dbt.type_string() }}) as fee_ym,
        cast(appl_type as {{ dbt.type_string() }}) as appl_type,
        cast(case_type as {{ dbt.type_string() }}) as case_type,
        cast(seq_no as integer) as seq_no,
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(cast(institution_level as integer) as {{ dbt.type_string() }}) as hospital_level,
        cast(is_general_service as boolean) as is_general_service,
        cast(points as bigint) as points,
        cast(drug_points as bigint) as drug_points,
        cast(drug_days as bigint) as drug_days,
        cast(patient_days as bigint) as patient_days
    from measured

)

select * from final
