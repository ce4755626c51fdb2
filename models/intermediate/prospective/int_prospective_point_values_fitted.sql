-- 依當季可支用預算調整各階支付點值 the budget fit of the tier point values (slide 27, domain spec
-- §9), per region and quarter. What the region has left for the tiers after the bases:
-- tier budget = G − Σ min(A, B) over the scheme hospitals (protected points are paid from F,
-- which G already excludes). If the tiers at the default values (seed prospective_tiers) cost
-- more, the steps of seed prospective_budget_fit_steps direction SHORT are taken until they fit
-- (the first step that fits; the floors when none does); if they cost less, the SURPLUS steps
-- are taken as long as they still fit (直到預算用完). No fit while a scheme hospital of the region
-- is INCOMPLETE (its tiers are unknown) or the region has no prospective_region row.
-- The candidate point values of every step: int_prospective_fit_steps_enumerated.

with tiers as (

    select * from {{ ref('int_prospective_tiers_allocated') }}

),

caps as (

    select * from {{ ref('int_prospective_region_caps_computed') }}

),

candidates as (

    select * from {{ ref('int_prospective_fit_steps_enumerated') }}

),

regional as (

    select
        tiers.area_no_h,
        tiers.fee_quarter,
        count(*) as hospitals,
        sum(case when tiers.settlement_status = 'INCOMPLETE' then 1 else 0 end) as hospitals_incomplete,
        sum(least(tiers.approved_points, tiers.base_points_adjusted)) as base_demand_points,
        sum(coalesce(tiers.tier1_points, 0)) as tier1_points,
        sum(coalesce(tiers.tier2_points, 0)) as tier2_points,
        sum(coalesce(tiers.tier3_points, 0)) as tier3_points,
        sum(coalesce(tiers.tier4_points, 0)) as tier4_points
    from tiers
    group by tiers.area_no_h, tiers.fee_quarter

),

budgeted as (

    select
        regional.*,
        caps.remaining_budget_amt - regional.base_demand_points as tier_budget,
        regional.hospitals_incomplete = 0 and caps.area_no_h is not null as can_fit
    from regional
    left join caps
        on regional.area_no_h = caps.area_no_h
            and regional.fee_quarter = caps.fee_quarter

),

costed as (

    select
        budgeted.area_no_h,
        budgeted.fee_quarter,
        budgeted.tier_budget,
        candidates.direction,
        candidates.step_no,
        candidates.pv1,
        candidates.pv2,
        candidates.pv3,
        budgeted.tier1_points * candidates.pv1 + budgeted.tier2_points * candidates.pv2
        + budgeted.tier3_points * candidates.pv3 as tier_cost
    from budgeted
    cross join candidates
    where budgeted.can_fit

),

directed as (

    select
        costed.*,
        case
            when default_cost.tier_cost > costed.tier_budget then 'SHORT'
            when default_cost.tier_cost < costed.tier_budget then 'SURPLUS'
            else 'NONE'
        end as fit_direction
    from costed
    inner join costed as default_cost
        on costed.area_no_h = default_cost.area_no_h
            and costed.fee_quarter = default_cost.fee_quarter
            and default_cost.direction = 'DEFAULT'

),

ranked as (

    select
        *,
        row_number() over (
            partition by area_no_h, fee_quarter
            order by
                case
                    -- short: the first step that fits, else the last step (the floors)
                    when fit_direction = 'SHORT' and tier_cost <= tier_budget then step_no
                    when fit_direction = 'SHORT' then 1000000 - step_no
                    -- surplus: the last step (or the defaults) that still fits
                    when tier_cost <= tier_budget then -step_no
                    else 1000000 + step_no
                end
        ) as preference
    from directed
    where direction = 'DEFAULT'
        or direction = fit_direction

),

chosen as (

    select * from ranked
    where preference = 1

),

final as (

    select
        cast(budgeted.area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(budgeted.fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(budgeted.hospitals as bigint) as hospitals,
        cast(budgeted.hospitals_incomplete as bigint) as hospitals_incomplete,
        cast(budgeted.base_demand_points as bigint) as base_demand_points,
        cast(budgeted.tier1_points as bigint) as tier1_points,
        cast(budgeted.tier2_points as bigint) as tier2_points,
        cast(budgeted.tier3_points as bigint) as tier3_points,
        cast(budgeted.tier4_points as bigint) as tier4_points,
        cast(budgeted.tier_budget as decimal(20, 2)) as tier_budget,
        cast(defaults.pv1 as decimal(4, 2)) as default_pv1,
        cast(defaults.pv2 as decimal(4, 2)) as default_pv2,
        cast(defaults.pv3 as decimal(4, 2)) as default_pv3,
        cast(
            budgeted.tier1_points * defaults.pv1 + budgeted.tier2_points * defaults.pv2 + budgeted.tier3_points * defaults.pv3
            as decimal(20, 2)
        ) as tier_cost_default,
        cast(chosen.fit_direction as {{ dbt.type_string() }}) as fit_direction,
        cast(chosen.step_no as integer) as fit_step,
        cast(chosen.pv1 as decimal(4, 2)) as fitted_pv1,
        cast(chosen.pv2 as decimal(4, 2)) as fitted_pv2,
        cast(chosen.pv3 as decimal(4, 2)) as fitted_pv3,
        cast(chosen.tier_cost as decimal(20, 2)) as tier_cost_fitted
    from budgeted
    cross join (
        select * from candidates
        where direction = 'DEFAULT'
    ) as defaults
    left join chosen
        on budgeted.area_no_h = chosen.area_no_h
            and budgeted.fee_quarter = chosen.fee_quarter

)

select * from final
