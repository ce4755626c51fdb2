-- 20類重要檢查(驗) 再執行率 by category 類別: per period (quarter, half), region (and 'ALL' 全區)
-- and category (and 'ALL', every category together), the executions, re-executions and rate,
-- against the base period (same period `reexam_base_years_back` years earlier) and the
-- national rate (domain spec §4). Summed from the merged-item counts: a re-execution is
-- always of the same merged item, never of another item of the category.

{%- set base_years_back = var('reexam_base_years_back', 1) | int %}

with item_periods as (

    select * from {{ ref('int_reexam_item_periods_aggregated') }}

),

categories as (

    select * from {{ ref('reexam_categories') }}

),

regions as (

    select * from {{ ref('regions') }}

),

by_category as (

    select
        period,
        period_type,
        area_no_h,
        category_no,
        count(*) as merged_items,
        sum(executions) as executions,
        sum(order_points) as order_points,
        sum(reexecutions) as reexecutions,
        sum(same_inst_reexecutions) as same_inst_reexecutions,
        sum(cross_inst_reexecutions) as cross_inst_reexecutions,
        sum(executions_lookback_incomplete) as executions_lookback_incomplete
    from item_periods
    group by period, period_type, area_no_h, category_no

),

overall as (

    select
        period,
        period_type,
        area_no_h,
        'ALL' as category_no,
        count(*) as merged_items,
        sum(executions) as executions,
        sum(order_points) as order_points,
        sum(reexecutions) as reexecutions,
        sum(same_inst_reexecutions) as same_inst_reexecutions,
        sum(cross_inst_reexecutions) as cross_inst_reexecutions,
        sum(executions_lookback_incomplete) as executions_lookback_incomplete
    from item_periods
    group by period, period_type, area_no_h

),

all_categories as (

    select * from by_category
    union all
    select * from overall

),

rated as (

    select
        all_categories.*,
        concat(
            cast(cast(substr(all_categories.period, 1, 4) as integer) - {{ base_years_back }} as {{ dbt.type_string() }}),
            substr(all_categories.period, 5, 2)
        ) as base_period,
        all_categories.reexecutions / cast(all_categories.executions as double) as reexec_rate
    from all_categories

),

compared as (

    select
        rated.*,
        case when rated.area_no_h = 'ALL' then '全區' else regions.region_zh end as region_zh,
        case when rated.category_no = 'ALL' then '全部類別' else categories.category_zh end as category_zh,
        case when rated.category_no = 'ALL' then 'all categories' else categories.category_en end
            as category_en,
        base.executions as base_executions,
        base.reexec_rate as base_reexec_rate,
        rated.reexec_rate - base.reexec_rate as reexec_rate_diff_base,
        national.reexec_rate as national_reexec_rate,
        rated.reexec_rate - national.reexec_rate as reexec_rate_diff_national
    from rated
    left join regions
        on rated.area_no_h = regions.area_no_h
    left join categories
        on rated.category_no = categories.category_no
    left join rated as base
        on rated.base_period = base.period
            and rated.area_no_h = base.area_no_h
            and rated.category_no = base.category_no
    left join rated as national
        on rated.period = national.period
            and national.area_no_h = 'ALL'
            and rated.category_no = national.category_no

),

final as (

    select
        cast(period as {{ dbt.type_string() }}) as period,
        cast(period_type as {{ dbt.type_string() }}) as period_type,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(region_zh as {{ dbt.type_string() }}) as region_zh,
        cast(category_no as {{ dbt.type_string() }}) as category_no,
        cast(category_zh as {{ dbt.type_string() }}) as category_zh,
        cast(category_en as {{ dbt.type_string() }}) as category_en,
        cast(merged_items as integer) as merged_items,
        cast(executions as {{ dbt.type_bigint() }}) as executions,
        cast(order_points as {{ dbt.type_bigint() }}) as order_points,
        cast(reexecutions as {{ dbt.type_bigint() }}) as reexecutions,
        cast(same_inst_reexecutions as {{ dbt.type_bigint() }}) as same_inst_reexecutions,
        cast(cross_inst_reexecutions as {{ dbt.type_bigint() }}) as cross_inst_reexecutions,
        cast(reexec_rate as double) as reexec_rate,
        cast(executions_lookback_incomplete = 0 as boolean) as is_lookback_complete,
        cast(base_period as {{ dbt.type_string() }}) as base_period,
        cast(base_executions as {{ dbt.type_bigint() }}) as base_executions,
        cast(base_reexec_rate as double) as base_reexec_rate,
        cast(reexec_rate_diff_base as double) as reexec_rate_diff_base,
        cast(national_reexec_rate as double) as national_reexec_rate,
        cast(reexec_rate_diff_national as double) as reexec_rate_diff_national
    from compared

)

select * from final
