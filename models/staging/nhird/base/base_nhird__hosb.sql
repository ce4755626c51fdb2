{{ config(materialized='view') }}

-- Institutions (hosb), typed, with the first contract rule each row breaks.

with source as (

    {{ typed_raw_rows(source('nhird', 'hosb'), {
        'HOSP_ID': 'hosp_id',
        'HOSP_NAME': 'hosp_name',
        'HOSP_CONT_TYPE': 'hosp_cont_type',
        'HOSP_KIND': 'hosp_kind',
        'AREA_NO_H': 'area_no_h',
        'COUNTY': 'county',
        'CONT_S_DATE': ['contract_start_date', 'date'],
        'CONT_E_DATE': ['contract_end_date', 'date'],
    }) | indent(4) }}

),

checked as (

    select
        *,
        case
            when hosp_id is null then 'missing_key'
            when area_no_h is null or area_no_h not in {{ contract_values('hosb', 'AREA_NO_H') }}
                then 'unknown_region'
            when hosp_cont_type is null or hosp_cont_type not in {{ contract_values('hosb', 'HOSP_CONT_TYPE') }}
                or hosp_kind is null or hosp_kind not in {{ contract_values('hosb', 'HOSP_KIND') }}
                then 'invalid_code'
            when contract_start_date is null
                or (contract_end_date_text is not null and contract_end_date is null)
                then 'invalid_date'
        end as rule_name
    from source

)

select * from checked
