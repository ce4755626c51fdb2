-- The region table (reexam_region_summary) agrees with the category mart's 'ALL' category row
-- (same executions, re-executions, points and base comparison), and the 抑制資源不當耗用10項
-- rollup is part of it (its executions and re-executions never exceed the 20 categories').

with summary as (

    select * from {{ ref('reexam_region_summary') }}

),

overall as (

    select * from {{ ref('reexam_rate_by_category') }}
    where category_no = 'ALL'

)

select
    summary.period,
    summary.area_no_h,
    'region summary differs from category ALL or the 10-item rollup exceeds it' as problem
from summary
left join overall
    on summary.period = overall.period
        and summary.area_no_h = overall.area_no_h
where overall.period is null
    or summary.executions <> overall.executions
    or summary.reexecutions <> overall.reexecutions
    or summary.order_points <> overall.order_points
    or summary.base_comparison_status <> overall.base_comparison_status
    or summary.control_10_executions > summary.executions
    or summary.control_10_reexecutions > summary.reexecutions
    or summary.control_10_reexecutions > summary.control_10_executions
