-- Point-value forecast inputs per request (fee quarter, as-of date), sector and region: the
-- quarter's projected points (the sum of its three projected months,
-- int_point_value_months_projected; null when a month cannot be projected), the region's budget
-- (stg_nhird__budget; only regions with a budget row are forecast) and the expected review
-- deduction: expected deducted points, its variance, and the allowed non-floating and floating
-- points after the deduction. int_point_value_forecasts_projected adds the whole country and
-- the point values.

with months as (

    select * from {{ ref('int_point_value_months_projected') }}

),

budgets as (

    select * from {{ ref('stg_nhird__budget') }}

),

regional_sums as (

    select
        request_kind,
        fee_quarter,
        as_of_date,
        sector,
        area_no_h,
        sum(observed_claims) as observed_claims,
        sum(observed_points) as observed_points,
        sum(observed_nonfloat_points) as observed_nonfloat_points,
        sum(expected_institutions) as expected_institutions,
        min(history_quarters) as history_quarters,
        3 - count(projected_points) as unprojected_months,
        {{ exact_sum('projected_points') }} as projected_points,
        {{ exact_sum('projected_nonfloat_points') }} as projected_nonfloat_points,
        {{ exact_sum('projected_variance') }} as projected_variance,
        max(expected_deduction_rate) as expected_deduction_rate,
        max(deduction_rate_variance) as deduction_rate_variance
    from months
    group by request_kind, fee_quarter, as_of_date, sector, area_no_h

),

regional as (

    select
        regional_sums.request_kind,
        regional_sums.fee_quarter,
        regional_sums.as_of_date,
        regional_sums.sector,
        regional_sums.area_no_h,
        regional_sums.observed_claims,
        regional_sums.observed_points,
        regional_sums.observed_nonfloat_points,
        regional_sums.expected_institutions,
        regional_sums.history_quarters,
        regional_sums.unprojected_months,
        regional_sums.expected_deduction_rate,
        regional_sums.deduction_rate_variance,
        budgets.budget_amt,
        case when regional_sums.unprojected_months = 0 then regional_sums.projected_points end as projected_points,
        case when regional_sums.unprojected_months = 0 then regional_sums.projected_nonfloat_points end
            as projected_nonfloat_points,
        case when regional_sums.unprojected_months = 0 then regional_sums.projected_variance end as projected_variance
    from regional_sums
    inner join budgets
        on regional_sums.sector = budgets.sector
            and regional_sums.fee_quarter = budgets.fee_quarter
            and regional_sums.area_no_h = budgets.area_no_h

),

deducted as (

    select
        *,
        projected_points * expected_deduction_rate as expected_deducted_points,
        power(projected_points, 2) * deduction_rate_variance / power(1 - expected_deduction_rate, 2)
            as deduction_variance,
        projected_nonfloat_points * (1 - expected_deduction_rate) as allowed_nonfloat_points,
        (projected_points - projected_nonfloat_points) * (1 - expected_deduction_rate) as allowed_float_points
    from regional

),

-- the types the sums and products have (no cast: the forecast goes on computing with them)
final as (

    select
        request_kind,
        fee_quarter,
        as_of_date,
        sector,
        area_no_h,
        observed_claims,
        observed_points,
        observed_nonfloat_points,
        expected_institutions,
        history_quarters,
        unprojected_months,
        expected_deduction_rate,
        budget_amt,
        projected_points,
        projected_nonfloat_points,
        projected_variance,
        deduction_variance,
        expected_deducted_points,
        allowed_nonfloat_points,
        allowed_float_points
    from deducted

)

select * from final
