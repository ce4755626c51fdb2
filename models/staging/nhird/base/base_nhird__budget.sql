{{ config(materialized='view') }}

-- Regional general-service budgets (budget), typed, with the first contract rule each row breaks.

with source as (

    select * from {{ source('nhird', 'budget') }}

),

cleaned as (

    select
        {{ clean_text('"SECTOR"') }} as sector,
        {{ clean_text('"FEE_QUARTER"') }} as fee_quarter,
        {{ clean_text('"AREA_NO_H"') }} as area_no_h,
        {{ clean_text('"BUDGET_AMT"') }} as budget_amt_text,
        _source_file as source_file
    from source

),

typed as (

    select
        *,
        {{ dbt.safe_cast('budget_amt_text', 'decimal(18,2)') }} as budget_amt
    from cleaned

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
    from typed

)

select * from checked
