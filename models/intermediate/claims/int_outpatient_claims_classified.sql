-- Outpatient claims with the institution's region and contract type and the claim's sector
-- (總額部門, domain spec §1): case types 11-19 DENTAL, 21-31 TCM, 05 DIALYSIS (seed
-- `case_types`), otherwise the institution's contract type (1-3 HOSPITAL, 4 WM_PRIMARY).
-- Case types missing from the seed follow the institution rule. Claims of institutions
-- unknown to hosb are quarantined (int_claims_quarantined), not classified here.

with claims as (

    select * from {{ ref('stg_nhird__cd') }}

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
        case
            when case_types.sector_rule is null or case_types.sector_rule = 'BY_INSTITUTION'
                then coalesce(institutions.institution_sector, 'OTHER')
            else case_types.sector_rule
        end as sector
    from claims
    inner join institutions
        on claims.hosp_id = institutions.hosp_id
    left join case_types
        on claims.case_type = case_types.case_type

)

select * from classified
