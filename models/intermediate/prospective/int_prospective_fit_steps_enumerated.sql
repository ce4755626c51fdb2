-- The budget fit's candidate point values (slide 27): the tiers' defaults (direction DEFAULT,
-- step 0, seed prospective_tiers) and, for every step of seed prospective_budget_fit_steps, the
-- values of 階1-階3 after it (each tier keeps the value of its latest step so far, else its
-- default).

with tier_values as (

    select * from {{ ref('prospective_tiers') }}

),

steps as (

    select * from {{ ref('prospective_budget_fit_steps') }}

),

defaults as (

    select
        max(case when tier = 1 then default_point_value end) as pv1,
        max(case when tier = 2 then default_point_value end) as pv2,
        max(case when tier = 3 then default_point_value end) as pv3
    from tier_values

),

-- every step's point values: per tier, the value of its latest step so far, else the default
step_states as (

    select
        current_step.direction,
        current_step.step_no,
        max(case when earlier.tier = 1 then earlier.step_no end) as last_step_1,
        max(case when earlier.tier = 2 then earlier.step_no end) as last_step_2,
        max(case when earlier.tier = 3 then earlier.step_no end) as last_step_3
    from steps as current_step
    inner join steps as earlier
        on
            current_step.direction = earlier.direction
            and earlier.step_no <= current_step.step_no
    group by current_step.direction, current_step.step_no

),

candidates as (

    select
        step_states.direction,
        step_states.step_no,
        coalesce(step_1.point_value, defaults.pv1) as pv1,
        coalesce(step_2.point_value, defaults.pv2) as pv2,
        coalesce(step_3.point_value, defaults.pv3) as pv3
    from step_states
    cross join defaults
    left join steps as step_1
        on
            step_states.direction = step_1.direction
            and step_states.last_step_1 = step_1.step_no
    left join steps as step_2
        on
            step_states.direction = step_2.direction
            and step_states.last_step_2 = step_2.step_no
    left join steps as step_3
        on
            step_states.direction = step_3.direction
            and step_states.last_step_3 = step_3.step_no

    union all

    select
        'DEFAULT' as direction,
        0 as step_no,
        pv1,
        pv2,
        pv3
    from defaults

),

final as (

    select
        cast(direction as {{ dbt.type_string() }}) as direction,
        cast(step_no as integer) as step_no,
        cast(pv1 as decimal(4, 2)) as pv1,
        cast(pv2 as decimal(4, 2)) as pv2,
        cast(pv3 as decimal(4, 2)) as pv3
    from candidates

)

select * from final
