-- The growth rank of the focus items is 1..n without gaps or ties within a period and region,
-- and ranked rows are exactly those with a base-period value.

with focus as (

    select * from {{ ref('reexam_focus_items') }}

),

ranked as (

    select
        period,
        area_no_h,
        count(*) as ranked_rows,
        count(distinct points_growth_rank) as distinct_ranks,
        min(points_growth_rank) as min_rank,
        max(points_growth_rank) as max_rank
    from focus
    where points_growth_rank is not null
    group by period, area_no_h

),

rank_problems as (

    select
        period,
        area_no_h,
        'ranks are not 1..n' as problem
    from ranked
    where distinct_ranks <> ranked_rows
        or min_rank <> 1
        or max_rank <> ranked_rows

),

base_problems as (

    select
        period,
        area_no_h,
        'rank null exactly when the base value is null' as problem
    from focus
    where (points_growth_rank is null) <> (base_order_points is null)

)

select * from rank_problems
union all
select * from base_problems
