{{ config(materialized='view') }}

-- Announced point values (pv_announced), typed, with the first contract rule each row breaks.

with source as (

    select * from {{ source('nhird', 'pv_announced') }}

),

cleaned as (

    select
        {{ clean_text('"SECTOR"') }} as sector,
        {{ clean_text('"FEE_QUARTER"') }} as fee_quarter,
        {{ clean_text('"AREA_NO_H"') }} as area_no_h,
        {{ clean_text('"PV_KIND"') }} as pv_kind,
        {{ clean_text('"FLOAT_PV"') }} as float_pv_text,
        {{ clean_text('"AVG_PV"') }} as avg_pv_text,
        {{ clean_text('"ANNOUNCED_DATE"') }} as announced_date_text,
        _source_file as source_file
    from source

),

typed as (

    select
        *,
        {{ dbt.safe_cast('float_pv_text', 'decimal(8,4)') }} as float_pv,
        {{ dbt.safe_cast('avg_pv_text', 'decimal(8,4)') }} as avg_pv,
        {{ dbt.safe_cast('announced_date_text', 'date') }} as announced_date
    from cleaned

),

checked as (

    select
        *,
        case
            when sector is null or fee_quarter is null or area_no_h is null or pv_kind is null then 'missing_key'
            when sector not in {{ contract_values('pv_announced', 'SECTOR') }}
                or pv_kind not in {{ contract_values('pv_announced', 'PV_KIND') }}
                then 'invalid_code'
            when area_no_h not in {{ contract_values('pv_announced', 'AREA_NO_H') }} then 'unknown_region'
            when not {{ is_valid_fee_quarter('fee_quarter') }} then 'invalid_quarter'
            when float_pv is null or avg_pv is null or float_pv <= 0 or avg_pv <= 0 then 'invalid_amount'
        end as rule_name
    from typed

)

select * from checked
