{{ config(materialized='view') }}

-- Regional general-service budgets (budget), typed, with the first contract rule each row breaks.

with source as (

    {{ typed_raw_rows(source('nhird', 'budget'), {
        'SECTOR': 'sector',
        'FEE_QUARTER': 'fee_quarter',
        'AREA_NO_H': 'area_no_h',
        'BUDGET_AMT': ['budget_amt', 'decimal(18,2)'],
    }) | indent(4) }}

),

checked as (

    select
        *,
        case
            when sector is null or fee_quarter is null or area_no_h is null then 'missing_key'
            when sector not in {{ contract_values('budget', 'SECTOR') }} then 'invalid_code'
            when area_no_h not in {{ contract_values('budget', 'AREA_NO_H') }} then 'unknown_region'
            when not {{ is_valid_fee_quarter('fee_quarter') }} then 'invalid_quarter'
            when budget_amt is null or budget_amt < 0 then 'invalid_amount'
        end as rule_name
    from source

)

select * from checked
