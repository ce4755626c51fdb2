-- 前瞻式預算管理 總額折算結果推估 the region's prospective-budget summary per region and quarter,
-- as on 002 slides 15-16 (domain spec §9): A-G, Y and Z, DIFF; tier widths; the budget fit;
-- hospitals by the highest tier they reach (and reaching each tier, as slide 16 counts them);
-- points per tier; paid and discounted points and the discount rate (discounted / A); hospitals
-- per average-point-value band (fitted values). Paid, discounted and band figures are null
-- while a scheme hospital of the region is INCOMPLETE (is_complete false).

with caps as (

    select * from {{ ref('int_prospective_region_caps_computed') }}

),

fitted as (

    select * from {{ ref('int_prospective_point_values_fitted') }}

),

hospitals as (

    select * from {{ ref('int_prospective_region_hospitals_summarised') }}

),

regions as (

    select * from {{ ref('regions') }}

),

joined as (

    select
        hospitals.*,
        regions.region_zh,
        {{ roc_quarter_of_quarter('hospitals.fee_quarter') }} as roc_quarter,
        caps.claimed_points,
        caps.base_income_amt,
        caps.budget_amt,
        caps.delivered_amt,
        caps.prior_paid_amt,
        caps.excluded_amt,
        caps.remaining_budget_amt,
        caps.y_growth_exact,
        caps.y_growth,
        caps.z_growth_exact,
        caps.z_growth,
        caps.diff_points,
        caps.tier2_width,
        caps.tier3_width,
        coalesce(fitted.hospitals, 0) as hospitals,
        coalesce(fitted.hospitals_incomplete, 0) as hospitals_incomplete,
        fitted.tier1_points,
        fitted.tier2_points,
        fitted.tier3_points,
        fitted.tier4_points,
        fitted.base_demand_points,
        fitted.tier_budget,
        fitted.default_pv1,
        fitted.default_pv2,
        fitted.default_pv3,
        fitted.tier_cost_default,
        fitted.fit_direction,
        fitted.fit_step,
        fitted.fitted_pv1,
        fitted.fitted_pv2,
        fitted.fitted_pv3,
        fitted.tier_cost_fitted,
        coalesce(fitted.fitted_pv1 is not null, false) as is_complete
    from hospitals
    left join regions
        on hospitals.area_no_h = regions.area_no_h
    left join caps
        on hospitals.area_no_h = caps.area_no_h
            and hospitals.fee_quarter = caps.fee_quarter
    left join fitted
        on hospitals.area_no_h = fitted.area_no_h
            and hospitals.fee_quarter = fitted.fee_quarter

),

rated as (

    select
        *,
        case
            when claimed_points > 0 then cast(discounted_points_default as double) / cast(claimed_points as double)
        end as discount_rate_default,
        case
            when claimed_points > 0 then cast(discounted_points_fitted as double) / cast(claimed_points as double)
        end as discount_rate_fitted
    from joined

),

final as (

    select
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(region_zh as {{ dbt.type_string() }}) as region_zh,
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(claimed_points as bigint) as claimed_points,
        cast(base_income_amt as decimal(18, 2)) as base_income_amt,
        cast(base_points as bigint) as base_points,
        cast(base_points_adjusted as bigint) as base_points_adjusted,
        cast(budget_amt as decimal(18, 2)) as budget_amt,
        cast(delivered_amt as decimal(18, 2)) as delivered_amt,
        cast(prior_paid_amt as decimal(18, 2)) as prior_paid_amt,
        cast(excluded_amt as decimal(18, 2)) as excluded_amt,
        cast(remaining_budget_amt as decimal(18, 2)) as remaining_budget_amt,
        cast(y_growth_exact as double) as y_growth_exact,
        cast(y_growth as decimal(18, 10)) as y_growth,
        cast(z_growth_exact as double) as z_growth_exact,
        cast(z_growth as decimal(18, 10)) as z_growth,
        cast(diff_points as decimal(20, 2)) as diff_points,
        cast(tier2_width as decimal(10, 6)) as tier2_width,
        cast(tier3_width as decimal(10, 6)) as tier3_width,
        cast(hospitals as bigint) as hospitals,
        cast(hospitals_without_inputs as bigint) as hospitals_without_inputs,
        cast(hospitals_incomplete as bigint) as hospitals_incomplete,
        cast(hospitals_no_excess as bigint) as hospitals_no_excess,
        cast(hospitals_highest_tier_1 as bigint) as hospitals_highest_tier_1,
        cast(hospitals_highest_tier_2 as bigint) as hospitals_highest_tier_2,
        cast(hospitals_highest_tier_3 as bigint) as hospitals_highest_tier_3,
        cast(hospitals_highest_tier_4 as bigint) as hospitals_highest_tier_4,
        cast(hospitals_reaching_tier_1 as bigint) as hospitals_reaching_tier_1,
        cast(hospitals_reaching_tier_2 as bigint) as hospitals_reaching_tier_2,
        cast(hospitals_reaching_tier_3 as bigint) as hospitals_reaching_tier_3,
        cast(hospitals_reaching_tier_4 as bigint) as hospitals_reaching_tier_4,
        cast(hospitals_unit_price_adjusted as bigint) as hospitals_unit_price_adjusted,
        cast(approved_points as bigint) as approved_points,
        cast(deducted_points as bigint) as deducted_points,
        cast(protected_points as bigint) as protected_points,
        cast(excess_points as bigint) as excess_points,
        cast(tier1_points as bigint) as tier1_points,
        cast(tier2_points as bigint) as tier2_points,
        cast(tier3_points as bigint) as tier3_points,
        cast(tier4_points as bigint) as tier4_points,
        cast(base_demand_points as bigint) as base_demand_points,
        cast(tier_budget as decimal(20, 2)) as tier_budget,
        cast(default_pv1 as decimal(4, 2)) as default_pv1,
        cast(default_pv2 as decimal(4, 2)) as default_pv2,
        cast(default_pv3 as decimal(4, 2)) as default_pv3,
        cast(tier_cost_default as decimal(20, 2)) as tier_cost_default,
        cast(fit_direction as {{ dbt.type_string() }}) as fit_direction,
        cast(fit_step as integer) as fit_step,
        cast(fitted_pv1 as decimal(4, 2)) as fitted_pv1,
        cast(fitted_pv2 as decimal(4, 2)) as fitted_pv2,
        cast(fitted_pv3 as decimal(4, 2)) as fitted_pv3,
        cast(tier_cost_fitted as decimal(20, 2)) as tier_cost_fitted,
        cast(is_complete as boolean) as is_complete,
        cast(case when is_complete then paid_points_default end as decimal(20, 2)) as paid_points_default,
        cast(case when is_complete then discounted_points_default end as decimal(20, 2)) as discounted_points_default,
        cast(case when is_complete then discount_rate_default end as double) as discount_rate_default,
        cast(case when is_complete then paid_points_fitted end as decimal(20, 2)) as paid_points_fitted,
        cast(case when is_complete then discounted_points_fitted end as decimal(20, 2)) as discounted_points_fitted,
        cast(case when is_complete then discount_rate_fitted end as double) as discount_rate_fitted,
        cast(case when is_complete then hospitals_pv_ge_098 end as bigint) as hospitals_pv_ge_098,
        cast(case when is_complete then hospitals_pv_095_097 end as bigint) as hospitals_pv_095_097,
        cast(case when is_complete then hospitals_pv_090_094 end as bigint) as hospitals_pv_090_094,
        cast(case when is_complete then hospitals_pv_lt_090 end as bigint) as hospitals_pv_lt_090
    from rated

)

select * from final
