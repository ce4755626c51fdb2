{{ config(materialized='view') }}

-- Institutions (hosb), typed, with the first contract rule each row breaks.

with source as (

    select * from {{ source('nhird', 'hosb') }}

),

cleaned as (

    select
        {{ clean_text('"HOSP_ID"') }} as hosp_id,
        {{ clean_text('"HOSP_NAME"') }} as hosp_name,
        {{ clean_text('"HOSP_CONT_TYPE"') }} as hosp_cont_type,
        {{ clean_text('"HOSP_KIND"') }} as hosp_kind,
        {{ clean_text('"AREA_NO_H"') }} as area_no_h,
        {{ clean_text('"COUNTY"') }} as county,
        {{ clean_text('"CONT_S_DATE"') }} as contract_start_text,
        {{ clean_text('"CONT_E_DATE"') }} as contract_end_text,
        _source_file as source_file
    from source

),

typed as (

    select
        *,
        {{ dbt.safe_cast('contract_start_text', 'date') }} as contract_start_date,
        {{ dbt.safe_cast('contract_end_text', 'date') }} as contract_end_date
    from cleaned

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
                or (contract_end_text is not null and contract_end_date is null)
                then 'invalid_date'
        end as rule_name
    from typed

)

select * from checked
