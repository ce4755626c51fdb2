-- Reconciliation arithmetic: matched + unmatched = claimed on every row, and the claimed lines
-- add up to every claimed order line of a REFERRAL-family code (none lost).

with reconciliation as (

    select * from {{ ref('referral_claim_reconciliation') }}

),

orders as (

    select * from {{ ref('int_outpatient_orders_joined') }}

),

fee_schedule as (

    select * from {{ ref('fee_schedule_items') }}

),

referral_fee_codes as (

    select distinct order_code
    from fee_schedule
    where item_family = 'REFERRAL'

),

claimed as (

    select count(*) as n
    from orders
    inner join referral_fee_codes
        on orders.order_code = referral_fee_codes.order_code

),

reconciled as (

    select coalesce(sum(claimed_lines), 0) as n
    from reconciliation

),

row_errors as (

    select
        hosp_id,
        fee_quarter,
        order_code,
        'matched + unmatched <> claimed' as problem
    from reconciliation
    where
        matched_lines + unmatched_lines <> claimed_lines
        or claimed_lines <= 0
        or unmatched_share < 0
        or unmatched_share > 1

),

total_error as (

    select
        cast(null as {{ dbt.type_string() }}) as hosp_id,
        cast(null as {{ dbt.type_string() }}) as fee_quarter,
        cast(null as {{ dbt.type_string() }}) as order_code,
        'claimed lines lost' as problem
    from claimed
    cross join reconciled
    where claimed.n <> reconciled.n

)

select * from row_errors
union all
select * from total_error
