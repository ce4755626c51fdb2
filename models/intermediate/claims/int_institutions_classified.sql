-- Institutions with their region, contract type, level (for referral direction) and the
-- sector their western-medicine claims belong to (domain spec §1).

with institutions as (

    select * from {{ ref('stg_nhird__hosb') }}

),

regions as (

    select * from {{ ref('regions') }}

),

contract_types as (

    select * from {{ ref('contract_types') }}

),

institution_kinds as (

    select * from {{ ref('institution_kinds') }}

),

classified as (

    select
        institutions.hosp_id,
        institutions.hosp_name,
        institutions.hosp_cont_type,
        contract_types.contract_type_zh,
        contract_types.contract_type_en,
        contract_types.institution_level,
        contract_types.sector_if_by_institution as institution_sector,
        institutions.hosp_kind,
        institution_kinds.institution_kind_zh,
        institution_kinds.is_excluded_referral_receiver,
        institutions.area_no_h,
        regions.region_zh,
        regions.region_en,
        institutions.county,
        institutions.contract_start_date,
        institutions.contract_end_date
    from institutions
    left join regions
        on institutions.area_no_h = regions.area_no_h
    left join contract_types
        on institutions.hosp_cont_type = contract_types.hosp_cont_type
    left join institution_kinds
        on institutions.hosp_kind = institution_kinds.hosp_kind

)

select * from classified
