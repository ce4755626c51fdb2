-- The region's figures of slide 15 and the caps of slide 24 (domain spec §9), per region and
-- quarter of prospective_region: A = the region's hospitals' general-service points claimed
-- (all HOSPITAL-sector claims of the region, int_general_service_points_aggregated), C–F and B
-- as delivered, G = C − D − E − F, Y = G / B − 1 (階1 cap: the remaining budget's growth over
-- the base income) and Z = A / B − 1 (the hospitals' overall growth), both as announced:
-- rounded to var prospective_cap_decimals (4 = 0.01 %); the 階2 / 階3 widths by Z (seed
-- prospective_tier_widths); DIFF = (A + D + E) − C / 0.98 (var prospective_diff_point_value).

{%- set decimals = var('prospective_cap_decimals') %}

with region_inputs as (

    select * from {{ ref('stg_nhird__prospective_region') }}

),

points as (

    select * from {{ ref('int_general_service_points_aggregated') }}

),

widths as (

    select * from {{ ref('prospective_tier_widths') }}

),

regions as (

    select * from {{ ref('regions') }}

),

claimed as (

    select
        area_no_h,
        fee_quarter,
        sum(points) as claimed_points
    from points
    where sector = 'HOSPITAL'
    group by area_no_h, fee_quarter

),

remaining as (

    select
        region_inputs.*,
        coalesce(claimed.claimed_points, 0) as claimed_points,
        region_inputs.budget_amt - region_inputs.delivered_amt - region_inputs.prior_paid_amt
        - region_inputs.excluded_amt as remaining_budget_amt
    from region_inputs
    left join claimed
        on
            region_inputs.area_no_h = claimed.area_no_h
            and region_inputs.fee_quarter = claimed.fee_quarter

),

growth as (

    select
        *,
        cast(remaining_budget_amt as double) / cast(base_income_amt as double) - 1 as y_growth_exact,
        cast(claimed_points as double) / cast(base_income_amt as double) - 1 as z_growth_exact
    from remaining

),

announced as (

    select
        *,
        {{ prospective_rate('round(y_growth_exact, ' ~ decimals ~ ')') }} as y_growth,
        {{ prospective_rate('round(z_growth_exact, ' ~ decimals ~ ')') }} as z_growth
    from growth

),

final as (

    select
        cast(announced.area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(regions.region_zh as {{ dbt.type_string() }}) as region_zh,
        cast(announced.fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(announced.roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(announced.claimed_points as bigint) as claimed_points,
        cast(announced.base_income_amt as decimal(18, 2)) as base_income_amt,
        cast(announced.budget_amt as decimal(18, 2)) as budget_amt,
        cast(announced.delivered_amt as decimal(18, 2)) as delivered_amt,
        cast(announced.prior_paid_amt as decimal(18, 2)) as prior_paid_amt,
        cast(announced.excluded_amt as decimal(18, 2)) as excluded_amt,
        cast(announced.remaining_budget_amt as decimal(18, 2)) as remaining_budget_amt,
        cast(announced.y_growth_exact as double) as y_growth_exact,
        announced.y_growth,
        cast(announced.z_growth_exact as double) as z_growth_exact,
        announced.z_growth,
        cast(widths.tier2_width as decimal(10, 6)) as tier2_width,
        cast(widths.tier3_width as decimal(10, 6)) as tier3_width,
        cast(round(
            announced.claimed_points + announced.delivered_amt + announced.prior_paid_amt
            - cast(announced.budget_amt as double) / {{ var('prospective_diff_point_value') }}, 2
        ) as decimal(20, 2)) as diff_points
    from announced
    left join widths
        on (widths.z_from is null or announced.z_growth > widths.z_from)
            and (widths.z_to is null or announced.z_growth <= widths.z_to)
    left join regions
        on announced.area_no_h = regions.area_no_h

)

select * from final
