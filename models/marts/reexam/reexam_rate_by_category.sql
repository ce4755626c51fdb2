-- 20類重要檢查(驗) 再執行率 by category 類別 (domain spec §4; source 000 slide 4-1 per-category
-- table): per period (quarter, half; ROC label beside), region (and 'ALL' 全區) and category (and
-- 'ALL' = every category together, 整體醫令再執行率), the executions, re-executions and rate,
-- against the base period named by var reexam_base_year (率差, 率成長; not compared when the
-- base's look-back is incomplete) and the whole country. Summed from the merged-item counts: a
-- re-execution is always of the same merged item, never of another item of the category.
-- Computed in int_reexam_groups_compared (group_type 'category' and 'all').

with compared as (

    select * from {{ ref('int_reexam_groups_compared') }}
    where group_type in ('category', 'all')

),

categories as (

    select * from {{ ref('reexam_categories') }}

),

regions as (

    select * from {{ ref('regions') }}

),

calendar as (

    select * from {{ ref('int_calendar_periods') }}

),

labelled as (

    select
        compared.*,
        case when compared.area_no_h = 'ALL' then '全區' else regions.region_zh end as region_zh,
        case when compared.group_type = 'all' then '全部類別' else categories.category_zh end as category_zh,
        case when compared.group_type = 'all' then 'all categories' else categories.category_en end
            as category_en,
        calendar.period_start
    from compared
    left join regions
        on compared.area_no_h = regions.area_no_h
    left join categories
        on compared.group_code = categories.category_no
    left join calendar
        on compared.period_type = calendar.period_type
            and compared.period = calendar.period

),

final as (

    select
        cast(period as {{ dbt.type_string() }}) as period,
        cast(roc_period as {{ dbt.type_string() }}) as roc_period,
        cast(period_type as {{ dbt.type_string() }}) as period_type,
        cast(period_start as date) as period_start,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(region_zh as {{ dbt.type_string() }}) as region_zh,
        cast(group_code as {{ dbt.type_string() }}) as category_no,
        cast(category_zh as {{ dbt.type_string() }}) as category_zh,
        cast(category_en as {{ dbt.type_string() }}) as category_en,
        cast(merged_items as integer) as merged_items,
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
        cast(base_reexec_rate as double) as base_reexec_rate,
        cast(reexec_rate_diff_base as double) as reexec_rate_diff_base,
        cast(reexec_rate_growth_base as double) as reexec_rate_growth_base,
        cast(national_reexec_rate as double) as national_reexec_rate,
        cast(reexec_rate_diff_national as double) as reexec_rate_diff_national
    from labelled

)

select * from final
