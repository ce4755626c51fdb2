-- 西醫基層20類重要檢查(驗)管理 region table (source 000 slide 4-1): per period (quarter, half; the
-- slide uses 1-6月 halves, ROC label beside) and region (and 'ALL' 全區), the 20 categories'
-- order points 醫令點數 with their growth against the base period, the 20大類再執行率 with its
-- base rate and 率成長 (rate / base rate − 1), and the same for the 抑制資源不當耗用10項 rollup
-- (the merged items flagged is_control_10: the slide's 0.84 % vs 1.01 % for 高屏, 0.82 % vs
-- 1.01 % for 全區), each beside the whole country's rate. The base period is named by var
-- reexam_base_year (slide: 111 vs 108); a base whose look-back is incomplete is not compared
-- (its rate, difference and 率成長 are null, base_comparison_status says why).

with compared as (

    select * from {{ ref('int_reexam_groups_compared') }}
    where group_type in ('all', 'control_10')

),

regions as (

    select * from {{ ref('regions') }}

),

overall as (

    select * from compared
    where group_type = 'all'

),

control_10 as (

    select * from compared
    where group_type = 'control_10'

),

joined as (

    select
        overall.*,
        case when overall.area_no_h = 'ALL' then '全區' else regions.region_zh end as region_zh,
        coalesce(control_10.merged_items, 0) as control_10_merged_items,
        coalesce(control_10.executions, 0) as control_10_executions,
        coalesce(control_10.reexecutions, 0) as control_10_reexecutions,
        control_10.reexec_rate as control_10_reexec_rate,
        control_10.base_comparison_status as control_10_base_comparison_status,
        control_10.base_reexec_rate as base_control_10_reexec_rate,
        control_10.reexec_rate_diff_base as control_10_reexec_rate_diff_base,
        control_10.reexec_rate_growth_base as control_10_reexec_rate_growth_base,
        control_10.national_reexec_rate as national_control_10_reexec_rate
    from overall
    left join control_10
        on overall.period = control_10.period
            and overall.area_no_h = control_10.area_no_h
    left join regions
        on overall.area_no_h = regions.area_no_h

),

final as (

    select
        cast(period as {{ dbt.type_string() }}) as period,
        cast(roc_period as {{ dbt.type_string() }}) as roc_period,
        cast(period_type as {{ dbt.type_string() }}) as period_type,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(region_zh as {{ dbt.type_string() }}) as region_zh,
        cast(base_period as {{ dbt.type_string() }}) as base_period,
        cast(base_roc_period as {{ dbt.type_string() }}) as base_roc_period,
        cast(base_comparison_status as {{ dbt.type_string() }}) as base_comparison_status,
        cast(is_lookback_complete as boolean) as is_lookback_complete,
        cast(order_points as {{ dbt.type_bigint() }}) as order_points,
        cast(base_order_points as {{ dbt.type_bigint() }}) as base_order_points,
        cast(order_points_growth_base as double) as order_points_growth_base,
        cast(executions as {{ dbt.type_bigint() }}) as executions,
        cast(reexecutions as {{ dbt.type_bigint() }}) as reexecutions,
        cast(reexec_rate as double) as reexec_rate,
        cast(base_reexec_rate as double) as base_reexec_rate,
        cast(reexec_rate_diff_base as double) as reexec_rate_diff_base,
        cast(reexec_rate_growth_base as double) as reexec_rate_growth_base,
        cast(national_reexec_rate as double) as national_reexec_rate,
        cast(control_10_merged_items as integer) as control_10_merged_items,
        cast(control_10_executions as {{ dbt.type_bigint() }}) as control_10_executions,
        cast(control_10_reexecutions as {{ dbt.type_bigint() }}) as control_10_reexecutions,
        cast(control_10_reexec_rate as double) as control_10_reexec_rate,
        cast(control_10_base_comparison_status as {{ dbt.type_string() }}) as control_10_base_comparison_status,
        cast(base_control_10_reexec_rate as double) as base_control_10_reexec_rate,
        cast(control_10_reexec_rate_diff_base as double) as control_10_reexec_rate_diff_base,
        cast(control_10_reexec_rate_growth_base as double) as control_10_reexec_rate_growth_base,
        cast(national_control_10_reexec_rate as double) as national_control_10_reexec_rate
    from joined

)

select * from final
