{{ config(materialized='view') }}

-- Announced point values (pv_announced), typed, with the first contract rule each row breaks.

with source as (

    {{ typed_raw_rows(source('nhird', 'pv_announced'), {
        'SECTOR': 'sector',
        'FEE_QUARTER': 'fee_quarter',
        'AREA_NO_H': 'area_no_h',
        'PV_KIND': 'pv_kind',
        'FLOAT_PV': ['float_pv', 'decimal(8,4)'],
        'AVG_PV': ['avg_pv', 'decimal(8,4)'],
        'ANNOUNCED_DATE': ['announced_date', 'date'],
    }) | indent(4) }}

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
    from source

)

select * from checked
