-- 'ALL' 全區 rows are the sum of the six regions, and category 'ALL' is the sum of the
-- categories, which is the sum of the merged items (same executions and re-executions).

with by_item as (

    select * from {{ ref('reexam_rate_by_item') }}

),

by_category as (

    select * from {{ ref('reexam_rate_by_category') }}

),

item_regions_summed as (

    select
        period,
        merged_item,
        sum(executions) as executions,
        sum(reexecutions) as reexecutions
    from by_item
    where area_no_h <> 'ALL'
    group by period, merged_item

),

item_national_mismatch as (

    select
        national.period,
        national.merged_item as grouping_key,
        'item ALL region differs from the sum of regions' as problem
    from by_item as national
    left join item_regions_summed as summed
        on national.period = summed.period
            and national.merged_item = summed.merged_item
    where national.area_no_h = 'ALL'
        and (
            summed.executions is null
            or national.executions <> summed.executions
            or national.reexecutions <> summed.reexecutions
        )

),

items_summed as (

    select
        period,
        area_no_h,
        sum(executions) as executions,
        sum(reexecutions) as reexecutions
    from by_item
    group by period, area_no_h

),

category_all_mismatch as (

    select
        overall.period,
        overall.area_no_h as grouping_key,
        'category ALL differs from the sum of merged items' as problem
    from by_category as overall
    left join items_summed
        on overall.period = items_summed.period
            and overall.area_no_h = items_summed.area_no_h
    where overall.category_no = 'ALL'
        and (
            items_summed.executions is null
            or overall.executions <> items_summed.executions
            or overall.reexecutions <> items_summed.reexecutions
        )

),

categories_summed as (

    select
        period,
        area_no_h,
        sum(executions) as executions,
        sum(reexecutions) as reexecutions
    from by_category
    where category_no <> 'ALL'
    group by period, area_no_h

),

category_sum_mismatch as (

    select
        overall.period,
        overall.area_no_h as grouping_key,
        'category ALL differs from the sum of categories' as problem
    from by_category as overall
    left join categories_summed
        on overall.period = categories_summed.period
            and overall.area_no_h = categories_summed.area_no_h
    where overall.category_no = 'ALL'
        and (
            categories_summed.executions is null
            or overall.executions <> categories_summed.executions
            or overall.reexecutions <> categories_summed.reexecutions
        )

)

select * from item_national_mismatch
union all
select * from category_all_mismatch
union all
select * from category_sum_mismatch
