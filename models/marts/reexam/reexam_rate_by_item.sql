-- 20類重要檢查(驗) 再執行率 by merged item 歸併醫令: per period (quarter, half), region (and
-- 'ALL' 全區) and merged item, the executions, re-executions and rate, against the base period
-- and the national rate (domain spec §4). Computed in int_reexam_item_periods_aggregated.

with item_periods as (

    select * from {{ ref('int_reexam_item_periods_aggregated') }}

),

regions as (

    select * from {{ ref('regions') }}

),

labelled as (

    select
        item_periods.*,
        case when item_periods.area_no_h = 'ALL' then '全區' else regions.region_zh end as region_zh
    from item_periods
    left join regions
        on item_periods.area_no_h = regions.area_no_h

),

final as (

    select
        cast(period as {{ dbt.type_string() }}) as period,
        cast(period_type as {{ dbt.type_string() }}) as period_type,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(region_zh as {{ dbt.type_string() }}) as region_zh,
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
        cast(is_lookback_complete as boolean) as is_lookback_complete,
        cast(base_period as {{ dbt.type_string() }}) as base_period,
        cast(base_executions as {{ dbt.type_bigint() }}) as base_executions,
        cast(base_reexec_rate as double) as base_reexec_rate,
        cast(reexec_rate_diff_base as double) as reexec_rate_diff_base,
        cast(national_reexec_rate as double) as national_reexec_rate,
        cast(reexec_rate_diff_national as double) as reexec_rate_diff_national
    from labelled

)

select * from final
