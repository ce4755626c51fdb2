-- Seed prospective_budget_fit_steps against prospective_tiers (slide 27): every step moves its
-- tier by exactly 0.05 from the tier's previous value (its default before the first step) —
-- down when the budget is short, up when it is left over — and stays within the tier's range;
-- the last step of each direction leaves every tier at its floor (SHORT) or cap (SURPLUS).
-- Returns the offending steps and tiers.

with steps as (

    select * from {{ ref('prospective_budget_fit_steps') }}

),

tiers as (

    select * from {{ ref('prospective_tiers') }}

),

sequenced as (

    select
        steps.direction,
        steps.step_no,
        steps.tier,
        steps.point_value,
        coalesce(
            lag(steps.point_value) over (partition by steps.direction, steps.tier order by steps.step_no),
            tiers.default_point_value
        ) as previous_value,
        row_number() over (partition by steps.direction, steps.tier order by steps.step_no desc) as from_last,
        tiers.min_point_value,
        tiers.max_point_value
    from steps
    inner join tiers
        on steps.tier = tiers.tier

),

bad_steps as (

    select
        direction,
        step_no,
        tier,
        'step is not 0.05 in its direction or leaves the range' as problem
    from sequenced
    where point_value <> previous_value + case when direction = 'SHORT' then -0.05 else 0.05 end
        or point_value < min_point_value
        or point_value > max_point_value

),

final_values as (

    select
        tiers.tier,
        directions.direction,
        coalesce(last_steps.point_value, tiers.default_point_value) as final_value,
        case when directions.direction = 'SHORT' then tiers.min_point_value else tiers.max_point_value end as bound
    from tiers
    cross join (select distinct direction from steps) as directions
    left join (
        select * from sequenced
        where from_last = 1
    ) as last_steps
        on tiers.tier = last_steps.tier
            and directions.direction = last_steps.direction

),

unfinished as (

    select
        direction,
        cast(null as integer) as step_no,
        tier,
        'the steps stop before the tier reaches its floor or cap' as problem
    from final_values
    where final_value <> bound

)

select * from bad_steps
union all
select * from unfinished
