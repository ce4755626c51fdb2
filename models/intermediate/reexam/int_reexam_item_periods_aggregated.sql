-- Re-execution counts per period, region and merged item 歸併醫令 (domain spec §4), with the
-- comparisons the meeting slides print: the same item's rate in the base period (same period
-- `reexam_base_years_back` years earlier) and in the whole country 全區 ('ALL') the same period.
--
-- Periods are those of the execution date: quarters ('2024Q1') and halves ('2024H1'); halves
-- are summed from quarters, 'ALL' from the six regions (all counts are additive). Only
-- in-scope executions (int_reexam_executions_flagged.scope_status = 'in_scope') count.

{%- set base_years_back = var('reexam_base_years_back', 1) | int %}

with executions as (

    select * from {{ ref('int_reexam_executions_flagged') }}
    where is_in_scope

),

item_map as (

    select * from {{ ref('reexam_item_map') }}

),

-- Name and category of a merged item (one per merged item: singular test
-- reexam_item_map_merged_item_consistent).
items as (

    select
        merged_item,
        min(merged_item_zh) as merged_item_zh,
        min(merged_item_en) as merged_item_en,
        min(category_no) as category_no
    from item_map
    group by merged_item

),

quarterly as (

    select
        execution_quarter as period,
        'quarter' as period_type,
        area_no_h,
        merged_item,
        count(*) as executions,
        sum(coalesce(order_dot, 0)) as order_points,
        sum(case when is_reexecution then 1 else 0 end) as reexecutions,
        sum(case when is_same_inst_reexecution then 1 else 0 end) as same_inst_reexecutions,
        sum(case when is_cross_inst_reexecution then 1 else 0 end) as cross_inst_reexecutions,
        sum(case when is_lookback_complete then 0 else 1 end) as executions_lookback_incomplete,
        max(interval_days) as interval_days,
        max(case when is_control_10 then 1 else 0 end) as is_control_10_flag,
        max(case when is_focus_30 then 1 else 0 end) as is_focus_30_flag
    from executions
    group by execution_quarter, area_no_h, merged_item

),

half_yearly as (

    select
        concat(substr(period, 1, 4), case when substr(period, 6, 1) in ('1', '2') then 'H1' else 'H2' end)
            as period,
        'half' as period_type,
        area_no_h,
        merged_item,
        sum(executions) as executions,
        sum(order_points) as order_points,
        sum(reexecutions) as reexecutions,
        sum(same_inst_reexecutions) as same_inst_reexecutions,
        sum(cross_inst_reexecutions) as cross_inst_reexecutions,
        sum(executions_lookback_incomplete) as executions_lookback_incomplete,
        max(interval_days) as interval_days,
        max(is_control_10_flag) as is_control_10_flag,
        max(is_focus_30_flag) as is_focus_30_flag
    from quarterly
    group by
        concat(substr(period, 1, 4), case when substr(period, 6, 1) in ('1', '2') then 'H1' else 'H2' end),
        area_no_h,
        merged_item

),

by_region as (

    select * from quarterly
    union all
    select * from half_yearly

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
        max(interval_days) as interval_days,
        max(is_control_10_flag) as is_control_10_flag,
        max(is_focus_30_flag) as is_focus_30_flag
    from by_region
    group by period, period_type, merged_item

),

all_areas as (

    select * from by_region
    union all
    select * from national

),

rated as (

    select
        all_areas.*,
        concat(
            cast(cast(substr(all_areas.period, 1, 4) as integer) - {{ base_years_back }} as {{ dbt.type_string() }}),
            substr(all_areas.period, 5, 2)
        ) as base_period,
        all_areas.reexecutions / cast(all_areas.executions as double) as reexec_rate
    from all_areas

),

compared as (

    select
        rated.period,
        rated.period_type,
        rated.area_no_h,
        rated.merged_item,
        items.merged_item_zh,
        items.merged_item_en,
        items.category_no,
        rated.interval_days,
        rated.is_control_10_flag = 1 as is_control_10,
        rated.is_focus_30_flag = 1 as is_focus_30,
        rated.executions,
        rated.order_points,
        rated.reexecutions,
        rated.same_inst_reexecutions,
        rated.cross_inst_reexecutions,
        rated.reexec_rate,
        rated.executions_lookback_incomplete,
        rated.executions_lookback_incomplete = 0 as is_lookback_complete,
        rated.base_period,
        base.executions as base_executions,
        base.order_points as base_order_points,
        base.reexecutions as base_reexecutions,
        base.reexec_rate as base_reexec_rate,
        rated.reexec_rate - base.reexec_rate as reexec_rate_diff_base,
        national.reexec_rate as national_reexec_rate,
        rated.reexec_rate - national.reexec_rate as reexec_rate_diff_national
    from rated
    left join items
        on rated.merged_item = items.merged_item
    left join rated as base
        on rated.base_period = base.period
            and rated.area_no_h = base.area_no_h
            and rated.merged_item = base.merged_item
    left join rated as national
        on rated.period = national.period
            and national.area_no_h = 'ALL'
            and rated.merged_item = national.merged_item

),

final as (

    select
        cast(period as {{ dbt.type_string() }}) as period,
        cast(period_type as {{ dbt.type_string() }}) as period_type,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(merged_item as {{ dbt.type_string() }}) as merged_item,
        cast(merged_item_zh as {{ dbt.type_string() }}) as merged_item_zh,
        cast(merged_item_en as {{ dbt.type_string() }}) as merged_item_en,
        cast(category_no as {{ dbt.type_string() }}) as category_no,
        cast(interval_days as integer) as interval_days,
        cast(is_control_10 as boolean) as is_control_10,
        cast(is_focus_30 as boolean) as is_focus_30,
        cast(executions as {{ dbt.type_bigint() }}) as executions,
        cast(order_points as {{ dbt.type_bigint() }}) as order_points,
        cast(reexecutions as {{ dbt.type_bigint() }}) as reexecutions,
        cast(same_inst_reexecutions as {{ dbt.type_bigint() }}) as same_inst_reexecutions,
        cast(cross_inst_reexecutions as {{ dbt.type_bigint() }}) as cross_inst_reexecutions,
        cast(reexec_rate as double) as reexec_rate,
        cast(executions_lookback_incomplete as {{ dbt.type_bigint() }}) as executions_lookback_incomplete,
        cast(is_lookback_complete as boolean) as is_lookback_complete,
        cast(base_period as {{ dbt.type_string() }}) as base_period,
        cast(base_executions as {{ dbt.type_bigint() }}) as base_executions,
        cast(base_order_points as {{ dbt.type_bigint() }}) as base_order_points,
        cast(base_reexecutions as {{ dbt.type_bigint() }}) as base_reexecutions,
        cast(base_reexec_rate as double) as base_reexec_rate,
        cast(reexec_rate_diff_base as double) as reexec_rate_diff_base,
        cast(national_reexec_rate as double) as national_reexec_rate,
        cast(reexec_rate_diff_national as double) as reexec_rate_diff_national
    from compared

)

select * from final
