-- Inpatient claims with the institution's region, contract type and sector (domain spec §1),
-- classified like outpatient claims. Institutions unknown to hosb are quarantined.

with claims as (

    select * from {{ ref('stg_nhird__dd') }}

),

institutions as (

    select * from {{ ref('int_institutions_classified') }}

),

case_types as (

    select * from {{ ref('case_types') }}

),

classified as (

    select
        claims.*,
        institutions.area_no_h,
        institutions.hosp_cont_type,
        institutions.institution_level,
        institutions.hosp_kind,
        coalesce(case_types.is_care_plan, false) as is_care_plan_case,
        {{ claim_sector('case_types.sector_rule', 'institutions.institution_sector') }} as sector
    from claims
    inner join institutions
        on claims.hosp_id = institutions.hosp_id
    left join case_types
        on claims.case_type = case_types.case_type

)

select * from classified
