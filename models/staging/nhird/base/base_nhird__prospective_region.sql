{{ config(materialized='view') }}

-- Region prospective-budget inputs (prospective_region), typed, with the first contract rule
-- each row breaks.

with source as (

    {{ typed_raw_rows(source('nhird', 'prospective_region'), {
        'AREA_NO_H': 'area_no_h',
        'FEE_QUARTER': 'fee_quarter',
        'BUDGET_AMT': ['budget_amt', 'decimal(18,2)'],
        'DELIVERED_AMT': ['delivered_amt', 'decimal(18,2)'],
        'PRIOR_PAID_AMT': ['prior_paid_amt', 'decimal(18,2)'],
        'EXCLUDED_AMT': ['excluded_amt', 'decimal(18,2)'],
        'BASE_INCOME_AMT': ['base_income_amt', 'decimal(18,2)'],
    }) | indent(4) }}

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
    from source

)

select * from checked
