-- Re-execution counts per period, region and reporting group (domain spec §4; source 000 slides
-- 4-1…4-3), summed from the merged-item counts (a re-execution is always of the same merged
-- item, never of another item of the group):
--   group_type 'item'        one merged item 歸併醫令 (group_code = merged_item)
--   group_type 'category'    one category 類別 (group_code = category_no)
--   group_type 'all'         every category together, 20大類 / 整體醫令再執行率 (group_code 'ALL')
--   group_type 'control_10'  the 抑制資源不當耗用10項 list (group_code 'CONTROL_10': the merged items
--                            flagged is_control_10 in seed reexam_item_map; 7 of the 10 are printed)
-- A merged item's category and list flag are those of seed reexam_item_map (the same on all its
-- rows: singular test reexam_item_map_merged_item_consistent).
-- SQLFluff cannot place the indentation of Jinja-generated lines (loops, conditionals,
-- multi-line macro calls), so its indentation rule is off for this file.
-- noqa: disable=LT02

with item_periods as (

    select * from {{ ref('int_reexam_item_periods_aggregated') }}

),

item_map as (

    select * from {{ ref('reexam_item_map') }}

),

items as (

    select
        merged_item,
        min(category_no) as category_no,
        max(case when is_control_10 then 1 else 0 end) as is_control_10_flag
    from item_map
    group by merged_item

),

classified as (

    select
        item_periods.*,
        items.category_no,
        coalesce(items.is_control_10_flag, 0) as is_control_10_flag
    from item_periods
    left join items
        on item_periods.merged_item = items.merged_item

),

item_rows as (

    select
        period,
        period_type,
        area_no_h,
        'item' as group_type,
        merged_item as group_code,
        1 as merged_items,
        executions,
        order_points,
        reexecutions,
        same_inst_reexecutions,
        cross_inst_reexecutions,
        executions_lookback_incomplete
    from classified

),

{%- set groupings = [
    ('category_rows', "'category'", 'category_no', 'true'),
    ('all_rows', "'all'", "'ALL'", 'true'),
    ('control_10_rows', "'control_10'", "'CONTROL_10'", 'is_control_10_flag = 1'),
] %}
{% for cte, group_type, group_code, condition in groupings %}

{{ cte }} as (

    select
        period,
        period_type,
        area_no_h,
        {{ group_type }} as group_type,
        {{ group_code }} as group_code,
        count(*) as merged_items,
        sum(executions) as executions,
        sum(order_points) as order_points,
        sum(reexecutions) as reexecutions,
        sum(same_inst_reexecutions) as same_inst_reexecutions,
        sum(cross_inst_reexecutions) as cross_inst_reexecutions,
        sum(executions_lookback_incomplete) as executions_lookback_incomplete
    from classified
    where {{ condition }}
    group by period, period_type, area_no_h, {{ group_code }}

),
{% endfor %}

unioned as (

    select * from item_rows
    {%- for cte, group_type, group_code, condition in groupings %}
    union all
    select * from {{ cte }}
    {%- endfor %}

),

final as (

    select
        cast(period as {{ dbt.type_string() }}) as period,
        cast(period_type as {{ dbt.type_string() }}) as period_type,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(group_type as {{ dbt.type_string() }}) as group_type,
        cast(group_code as {{ dbt.type_string() }}) as group_code,
        cast(merged_items as integer) as merged_items,
        cast(executions as {{ dbt.type_bigint() }}) as executions,
        cast(order_points as {{ dbt.type_bigint() }}) as order_points,
        cast(reexecutions as {{ dbt.type_bigint() }}) as reexecutions,
        cast(same_inst_reexecutions as {{ dbt.type_bigint() }}) as same_inst_reexecutions,
        cast(cross_inst_reexecutions as {{ dbt.type_bigint() }}) as cross_inst_reexecutions,
        cast(executions_lookback_incomplete as {{ dbt.type_bigint() }}) as executions_lookback_incomplete
    from unioned

)

select * from final
