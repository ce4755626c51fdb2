-- Every order line of a re-examination code in int_outpatient_orders_joined is counted in
-- reexam_scope_summary (in scope or with its reason), and the in-scope lines are the
-- executions of the quarterly 'ALL' rows of reexam_rate_by_category (category 'ALL').

with orders as (

    select * from {{ ref('int_outpatient_orders_joined') }}

),

reexam_codes as (

    select distinct order_code from {{ ref('reexam_item_map') }}

),

summary as (

    select * from {{ ref('reexam_scope_summary') }}

),

by_category as (

    select * from {{ ref('reexam_rate_by_category') }}

),

order_lines as (

    select count(*) as n
    from orders
    inner join reexam_codes
        on orders.order_code = reexam_codes.order_code

),

summarised as (

    select
        coalesce(sum(order_lines), 0) as n,
        coalesce(sum(case when scope_status = 'in_scope' then order_lines else 0 end), 0) as n_in_scope
    from summary

),

mart_executions as (

    select coalesce(sum(executions), 0) as n
    from by_category
    where period_type = 'quarter'
        and area_no_h = 'ALL'
        and category_no = 'ALL'

)

select
    order_lines.n as order_lines,
    summarised.n as summarised_lines,
    summarised.n_in_scope as in_scope_lines,
    mart_executions.n as mart_executions
from order_lines
cross join summarised
cross join mart_executions
where order_lines.n <> summarised.n
    or summarised.n_in_scope <> mart_executions.n
