-- 個別醫院分階 each scheme hospital's excess and tiers (slides 14, 24-26, domain spec §9):
-- approved points A (claimed general-service points − review deductions), base B (0階, after
-- unit-price monitoring), protected points P; excess X = max(0, A − B − P). 階1 rate =
-- max(0, min(g, Y) + increment), the increment looked up on v = staff growth and w = g − Y in
-- the table of the hospital's size (claimed ≥ 4億 points a quarter: var
-- prospective_large_hospital_points). Tier widths in points: B × 階1 rate, B × 階2 width,
-- B × 階3 width (region's Z); X fills them in order, the rest is 階4.
-- settlement_status: NO_EXCESS (paid as claimed), TIERED, or INCOMPLETE (X > 0 but an input of
-- the tiers is missing; incomplete_reason says which).

with growth as (

    select * from {{ ref('int_prospective_growth_weighted') }}

),

monitored as (

    select * from {{ ref('int_prospective_base_monitored') }}

),

caps as (

    select * from {{ ref('int_prospective_region_caps_computed') }}

),

increments as (

    select * from {{ ref('prospective_tier1_increments') }}

),

excess as (

    select
        growth.*,
        monitored.base_points_adjusted,
        monitored.unit_price_reduction_points,
        monitored.opd_unit_price_growth,
        monitored.opd_unit_price_reduction,
        monitored.ipd_unit_price_growth,
        monitored.ipd_unit_price_reduction,
        caps.y_growth,
        caps.tier2_width,
        caps.tier3_width,
        caps.area_no_h is not null as has_region_inputs,
        case when growth.claimed_points >= {{ var('prospective_large_hospital_points') }} then 'GE_4E' else 'LT_4E' end
            as size_class,
        greatest(growth.approved_points - monitored.base_points_adjusted - growth.protected_points, 0) as excess_points,
        {{ prospective_rate('growth.weighted_growth - caps.y_growth') }} as w_growth,
        case
            when growth.weighted_growth is not null and caps.y_growth is not null
                then {{ prospective_rate('least(growth.weighted_growth, caps.y_growth)') }}
        end as capped_growth
    from growth
    inner join monitored
        on growth.hosp_id = monitored.hosp_id
            and growth.fee_quarter = monitored.fee_quarter
    left join caps
        on growth.area_no_h = caps.area_no_h
            and growth.fee_quarter = caps.fee_quarter

),

looked_up as (

    select
        excess.*,
        increments.increment as tier1_increment,
        case
            when excess.capped_growth is not null and increments.increment is not null
                then {{ prospective_rate('greatest(excess.capped_growth + increments.increment, 0)') }}
        end as tier1_rate
    from excess
    left join increments
        on excess.size_class = increments.size_class
            and (increments.v_from is null or excess.staff_growth > increments.v_from)
            and (increments.v_to is null or excess.staff_growth <= increments.v_to)
            and (increments.w_from is null or excess.w_growth > increments.w_from)
            and (increments.w_to is null or excess.w_growth <= increments.w_to)

),

widths as (

    select
        *,
        {{ prospective_points('base_points_adjusted * tier1_rate') }} as tier1_width_points,
        {{ prospective_points('base_points_adjusted * tier2_width') }} as tier2_width_points,
        {{ prospective_points('base_points_adjusted * tier3_width') }} as tier3_width_points,
        case
            when excess_points = 0 then null
            when not has_region_inputs then 'no prospective_region row for the region and quarter'
            when tier2_width is null then 'no 階2/階3 width for the region''s Z (seed prospective_tier_widths)'
            when cost_population_growth is null then 'no cost-and-population growth rate for the year'
            when opd_indicator_growth is null and opd_share > 0 then 'outpatient indicator growth missing (no base-quarter claims or counts)'
            when ipd_indicator_growth is null and opd_share < 1 then 'inpatient indicator growth missing (no base-quarter claims or counts)'
            when weighted_growth is null then 'indicator-weighted growth missing'
            when tier1_increment is null then 'no 階1 increment band matches (staff growth missing)'
        end as incomplete_reason
    from looked_up

),

statused as (

    select
        *,
        case
            when excess_points = 0 then 'NO_EXCESS'
            when incomplete_reason is null then 'TIERED'
            else 'INCOMPLETE'
        end as settlement_status
    from widths

),

filled as (

    select
        *,
        case
            when settlement_status = 'NO_EXCESS' then 0
            when settlement_status = 'TIERED' then least(excess_points, tier1_width_points)
        end as tier1_points
    from statused

),

filled_2 as (

    select
        *,
        case
            when settlement_status = 'NO_EXCESS' then 0
            when settlement_status = 'TIERED' then least(excess_points - tier1_points, tier2_width_points)
        end as tier2_points
    from filled

),

filled_3 as (

    select
        *,
        case
            when settlement_status = 'NO_EXCESS' then 0
            when settlement_status = 'TIERED' then least(excess_points - tier1_points - tier2_points, tier3_width_points)
        end as tier3_points
    from filled_2

),

final as (

    select
        *,
        excess_points - tier1_points - tier2_points - tier3_points as tier4_points,
        case
            when settlement_status = 'NO_EXCESS' then 0
            when settlement_status = 'TIERED' then
                case
                    when excess_points - tier1_points - tier2_points - tier3_points > 0 then 4
                    when tier3_points > 0 then 3
                    when tier2_points > 0 then 2
                    else 1
                end
        end as highest_tier
    from filled_3

)

select * from final
