-- Order lines of re-examination codes 20類重要檢查(驗) per claim quarter, sector and scope
-- status: how many were counted as executions by the reexam marts ('in_scope') and how many
-- were left out and why (out-of-scope sector, no item-map row valid on the execution date,
-- missing patient or date). Nothing is dropped silently.

with executions as (

    select * from {{ ref('int_reexam_executions_flagged') }}

),

counted as (

    select
        fee_quarter,
        sector,
        scope_status,
        count(*) as order_lines,
        sum(coalesce(order_dot, 0)) as order_points,
        sum(case when is_reexecution then 1 else 0 end) as reexecutions
    from executions
    group by fee_quarter, sector, scope_status

),

final as (

    select
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(sector as {{ dbt.type_string() }}) as sector,
        cast(scope_status as {{ dbt.type_string() }}) as scope_status,
        cast(order_lines as {{ dbt.type_bigint() }}) as order_lines,
        cast(order_points as {{ dbt.type_bigint() }}) as order_points,
        cast(reexecutions as {{ dbt.type_bigint() }}) as reexecutions
    from counted

)

select * from final
