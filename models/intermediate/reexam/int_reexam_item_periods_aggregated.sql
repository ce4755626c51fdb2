-- Re-execution counts per period, region and merged item 歸併醫令 (domain spec §4): executions,
-- points, re-executions (同院 / 跨院) and executions whose look-back window starts before the
-- extract. Periods are those of the execution date's month in the period dimension
-- int_calendar_month_periods: quarters ('2024Q1') and halves ('2024H1'; source 000 slide 4-1 compares
-- 1-6月 halves); area_no_h '1'-'6' and
-- 'ALL' (summed from the regions). Only in-scope executions count (int_reexam_executions_flagged).
-- Comparisons (base period, national) are in int_reexam_groups_compared.

with executions as (

    select * from {{ ref('int_reexam_executions_flagged') }}
    where is_in_scope

),

calendar as (

    select * from {{ ref('int_calendar_month_periods') }}

),

execution_periods as (

    select
        calendar.period,
        calendar.period_type,
        executions.*
    from executions
    inner join calendar
        on executions.execution_ym = calendar.fee_ym

),

by_region as (

    select
        period,
        period_type,
        area_no_h,
        merged_item,
        count(*) as executions,
        sum(coalesce(order_dot, 0)) as order_points,
        sum(case when is_reexecution then 1 else 0 end) as reexecutions,
        sum(case when is_same_inst_reexecution then 1 else 0 end) as same_inst_reexecutions,
        sum(case when is_cross_inst_reexecution then 1 else 0 end) as cross_inst_reexecutions,
        sum(case when is_lookback_complete then 0 else 1 end) as executions_lookback_incomplete,
        max(interval_days) as interval_days
    from execution_periods
    group by period, period_type, area_no_h, merged_item

),

national as (

    select
        period,
        period_type,
        'ALL' as area_no_h,
        merged_item,
        sum(executions) as executions,
        sum(order_points) as order_points,
        sum(reexecutions) as reexecutions,
        sum(same_inst_reexecutions) as same_inst_reexecutions,
        sum(cross_inst_reexecutions) as cross_inst_reexecutions,
        sum(executions_lookback_incomplete) as executions_lookback_incomplete,
        max(interval_days) as interval_days
    from by_region
    group by period, period_type, merged_item

),

all_areas as (

    select * from by_region
    union all
    select * from national

),

final as (

    select
        cast(period as {{ dbt.type_string() }}) as period,
        cast(period_type as {{ dbt.type_string() }}) as period_type,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(merged_item as {{ dbt.type_string() }}) as merged_item,
        cast(executions as {{ dbt.type_bigint() }}) as executions,
        cast(order_points as {{ dbt.type_bigint() }}) as order_points,
        cast(reexecutions as {{ dbt.type_bigint() }}) as reexecutions,
        cast(same_inst_reexecutions as {{ dbt.type_bigint() }}) as same_inst_reexecutions,
        cast(cross_inst_reexecutions as {{ dbt.type_bigint() }}) as cross_inst_reexecutions,
        cast(executions_lookback_incomplete as {{ dbt.type_bigint() }}) as executions_lookback_incomplete,
        cast(interval_days as integer) as interval_days
    from all_areas

)

select * from final
