{{ config(materialized='view') }}

-- Region prospective-budget inputs (prospective_region), typed, with the first contract rule
-- each row breaks.

with source as (

    select * from {{ source('nhird', 'prospective_region') }}

),

cleaned as (

    select
        {{ clean_text('"AREA_NO_H"') }} as area_no_h,
        {{ clean_text('"FEE_QUARTER"') }} as fee_quarter,
        {{ clean_text('"BUDGET_AMT"') }} as budget_amt_text,
        {{ clean_text('"DELIVERED_AMT"') }} as delivered_amt_text,
        {{ clean_text('"PRIOR_PAID_AMT"') }} as prior_paid_amt_text,
        {{ clean_text('"EXCLUDED_AMT"') }} as excluded_amt_text,
        {{ clean_text('"BASE_INCOME_AMT"') }} as base_income_amt_text,
        _source_file as source_file
    from source

),

typed as (

    select
        *,
        {{ dbt.safe_cast('budget_amt_text', 'decimal(18,2)') }} as budget_amt,
        {{ dbt.safe_cast('delivered_amt_text', 'decimal(18,2)') }} as delivered_amt,
        {{ dbt.safe_cast('prior_paid_amt_text', 'decimal(18,2)') }} as prior_paid_amt,
        {{ dbt.safe_cast('excluded_amt_text', 'decimal(18,2)') }} as excluded_amt,
        {{ dbt.safe_cast('base_income_amt_text', 'decimal(18,2)') }} as base_income_amt
    from cleaned

),

checked as (

    select
        *,
        case
            when area_no_h is null or fee_quarter is null then 'missing_key'
            when area_no_h not in {{ contract_values('prospective_region', 'AREA_NO_H') }} then 'unknown_region'
            when not {{ is_valid_fee_quarter('fee_quarter') }} then 'invalid_quarter'
            when budget_amt is null or budget_amt < 0
                or delivered_amt is null or delivered_amt < 0
                or prior_paid_amt is null or prior_paid_amt < 0
                or excluded_amt is null or excluded_amt < 0
                or base_income_amt is null or base_income_amt <= 0
                then 'invalid_amount'
        end as rule_name
    from typed

)

select * from checked
