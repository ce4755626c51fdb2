-- 重點管理30項 the "30 key items" (merged items flagged is_focus_30 in reexam_item_map: the ten
-- printed on source 000 slide 4-3), ranked per period and region (and 'ALL' 全區) by growth in
-- points 費用差值 against the base period (named by var reexam_base_year, as slide 4-3's
-- 醫令點值成長差值 against 108), with their current re-execution rate (domain spec §4). Every focus
-- item has a row in every period and region (zero executions when none); items are not ranked
-- when the base period is not in the data. Points do not depend on the look-back, so they are
-- compared whenever the base period is in the data; the base re-execution rate only when the
-- base's look-back is complete.

with compared_items as (

    select * from {{ ref('int_reexam_groups_compared') }}
    where group_type = 'item'

),

compared_overall as (

    select * from {{ ref('int_reexam_groups_compared') }}
    where group_type = 'all' and area_no_h = 'ALL'

),

item_map as (

    select * from {{ ref('reexam_item_map') }}

),

regions as (

    select * from {{ ref('regions') }}

),

focus_items as (

    select
        merged_item,
        min(merged_item_zh) as merged_item_zh,
        min(merged_item_en) as merged_item_en,
        min(category_no) as category_no,
        max(case when is_control_10 then 1 else 0 end) as is_control_10_flag
    from item_map
    where is_focus_30
    group by merged_item

),

-- the periods of the data with their base period; base points exist when the base period is in
-- the data and before the period
periods as (

    select
        period,
        roc_period,
        period_type,
        base_period,
        base_roc_period,
        base_comparison_status in ('compared', 'base_lookback_incomplete') as has_base_period
    from compared_overall

),

areas as (

    select
        area_no_h,
        region_zh
    from regions
    union all
    select
        'ALL' as area_no_h,
        '全區' as region_zh

),

spine as (

    select
        periods.period,
        periods.roc_period,
        periods.period_type,
        periods.base_period,
        periods.base_roc_period,
        periods.has_base_period,
        areas.area_no_h,
        areas.region_zh,
        focus_items.merged_item,
        focus_items.merged_item_zh,
        focus_items.merged_item_en,
        focus_items.category_no,
        focus_items.is_control_10_flag
    from periods
    cross join areas
    cross join focus_items

),

joined as (

    select
        spine.*,
        coalesce(current_period.executions, 0) as executions,
        coalesce(current_period.order_points, 0) as order_points,
        coalesce(current_period.reexecutions, 0) as reexecutions,
        current_period.reexec_rate,
        current_period.national_reexec_rate,
        case when spine.has_base_period then coalesce(base.order_points, 0) end as base_order_points,
        case when spine.has_base_period and base.is_lookback_complete then base.reexec_rate end as base_reexec_rate
    from spine
    left join compared_items as current_period
        on spine.period = current_period.period
            and spine.area_no_h = current_period.area_no_h
            and spine.merged_item = current_period.group_code
    left join compared_items as base
        on spine.base_period = base.period
            and spine.area_no_h = base.area_no_h
            and spine.merged_item = base.group_code

),

growth as (

    select
        joined.*,
        joined.order_points - joined.base_order_points as points_diff,
        case
            when joined.base_order_points > 0
                then (joined.order_points - joined.base_order_points) / cast(joined.base_order_points as double)
        end as points_growth_rate
    from joined

),

ranked as (

    select
        period,
        area_no_h,
        merged_item,
        row_number() over (
            partition by period, area_no_h
            order by points_diff desc, merged_item asc
        ) as points_growth_rank
    from growth
    where points_diff is not null

),

final as (

    select
        cast(growth.period as {{ dbt.type_string() }}) as period,
        cast(growth.roc_period as {{ dbt.type_string() }}) as roc_period,
        cast(growth.period_type as {{ dbt.type_string() }}) as period_type,
        cast(growth.area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(growth.region_zh as {{ dbt.type_string() }}) as region_zh,
        cast(ranked.points_growth_rank as integer) as points_growth_rank,
        cast(growth.merged_item as {{ dbt.type_string() }}) as merged_item,
        cast(growth.merged_item_zh as {{ dbt.type_string() }}) as merged_item_zh,
        cast(growth.merged_item_en as {{ dbt.type_string() }}) as merged_item_en,
        cast(growth.category_no as {{ dbt.type_string() }}) as category_no,
        cast(growth.is_control_10_flag = 1 as boolean) as is_control_10,
        cast(growth.executions as {{ dbt.type_bigint() }}) as executions,
        cast(growth.order_points as {{ dbt.type_bigint() }}) as order_points,
        cast(growth.base_period as {{ dbt.type_string() }}) as base_period,
        cast(growth.base_roc_period as {{ dbt.type_string() }}) as base_roc_period,
        cast(growth.base_order_points as {{ dbt.type_bigint() }}) as base_order_points,
        cast(growth.points_diff as {{ dbt.type_bigint() }}) as points_diff,
        cast(growth.points_growth_rate as double) as points_growth_rate,
        cast(growth.reexecutions as {{ dbt.type_bigint() }}) as reexecutions,
        cast(growth.reexec_rate as double) as reexec_rate,
        cast(growth.base_reexec_rate as double) as base_reexec_rate,
        cast(growth.national_reexec_rate as double) as national_reexec_rate
    from growth
    left join ranked
        on growth.period = ranked.period
            and growth.area_no_h = ranked.area_no_h
            and growth.merged_item = ranked.merged_item

)

select * from final
