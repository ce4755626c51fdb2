-- 20類重要檢查(驗) 再執行率 by merged item 歸併醫令 (domain spec §4; source 000 slides 4-2, 4-3): per
-- period (quarter, half; Gregorian with the ROC label beside), region (and 'ALL' 全區) and merged
-- item, the executions, re-executions and rate, against the base period named by var
-- reexam_base_year (率差 and 率成長; not compared when the base's look-back is incomplete) and
-- against the whole country. Computed in int_reexam_groups_compared (group_type 'item').

with compared as (

    select * from {{ ref('int_reexam_groups_compared') }}
    where group_type = 'item'

),

item_periods as (

    select * from {{ ref('int_reexam_item_periods_aggregated') }}

),

item_map as (

    select * from {{ ref('reexam_item_map') }}

),

regions as (

    select * from {{ ref('regions') }}

),

-- name, category and list flags of a merged item (the same on all its rows: singular test
-- reexam_item_map_merged_item_consistent)
items as (

    select
        merged_item,
        min(merged_item_zh) as merged_item_zh,
        min(merged_item_en) as merged_item_en,
        min(category_no) as category_no,
        max(case when is_control_10 then 1 else 0 end) as is_control_10_flag,
        max(case when is_focus_30 then 1 else 0 end) as is_focus_30_flag,
        max(case when is_published_item then 1 else 0 end) as is_published_item_flag
    from item_map
    group by merged_item

),

labelled as (

    select
        compared.*,
        items.merged_item_zh,
        items.merged_item_en,
        items.category_no,
        items.is_control_10_flag = 1 as is_control_10,
        items.is_focus_30_flag = 1 as is_focus_30,
        items.is_published_item_flag = 1 as is_published_item,
        item_periods.interval_days,
        case when compared.area_no_h = 'ALL' then '全區' else regions.region_zh end as region_zh
    from compared
    left join items
        on compared.group_code = items.merged_item
    left join item_periods
        on compared.period = item_periods.period
            and compared.area_no_h = item_periods.area_no_h
            and compared.group_code = item_periods.merged_item
    left join regions
        on compared.area_no_h = regions.area_no_h

),

final as (

    select
        cast(period as {{ dbt.type_string() }}) as period,
        cast(roc_period as {{ dbt.type_string() }}) as roc_period,
        cast(period_type as {{ dbt.type_string() }}) as period_type,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(region_zh as {{ dbt.type_string() }}) as region_zh,
        cast(group_code as {{ dbt.type_string() }}) as merged_item,
        cast(merged_item_zh as {{ dbt.type_string() }}) as merged_item_zh,
        cast(merged_item_en as {{ dbt.type_string() }}) as merged_item_en,
        cast(category_no as {{ dbt.type_string() }}) as category_no,
        cast(interval_days as integer) as interval_days,
        cast(is_control_10 as boolean) as is_control_10,
        cast(is_focus_30 as boolean) as is_focus_30,
        cast(is_published_item as boolean) as is_published_item,
        cast(executions as {{ dbt.type_bigint() }}) as executions,
        cast(order_points as {{ dbt.type_bigint() }}) as order_points,
        cast(reexecutions as {{ dbt.type_bigint() }}) as reexecutions,
        cast(same_inst_reexecutions as {{ dbt.type_bigint() }}) as same_inst_reexecutions,
        cast(cross_inst_reexecutions as {{ dbt.type_bigint() }}) as cross_inst_reexecutions,
        cast(reexec_rate as double) as reexec_rate,
        cast(is_lookback_complete as boolean) as is_lookback_complete,
        cast(base_period as {{ dbt.type_string() }}) as base_period,
        cast(base_roc_period as {{ dbt.type_string() }}) as base_roc_period,
        cast(base_comparison_status as {{ dbt.type_string() }}) as base_comparison_status,
        cast(base_executions as {{ dbt.type_bigint() }}) as base_executions,
        cast(base_order_points as {{ dbt.type_bigint() }}) as base_order_points,
        cast(base_reexecutions as {{ dbt.type_bigint() }}) as base_reexecutions,
        cast(base_reexec_rate as double) as base_reexec_rate,
        cast(reexec_rate_diff_base as double) as reexec_rate_diff_base,
        cast(reexec_rate_growth_base as double) as reexec_rate_growth_base,
        cast(national_reexec_rate as double) as national_reexec_rate,
        cast(reexec_rate_diff_national as double) as reexec_rate_diff_national
    from labelled

)

select * from final
