-- Point-value forecast (點值預估) per request (fee quarter, as-of date), sector and region, and
-- for the whole country (area_no_h 'ALL', 全區, the sum of the regions): the quarter's projected
-- points (its three projected months, int_point_value_months_projected), reduced by the
-- expected review-deduction rate, split into non-floating and floating points, then
-- FPV = (B - NF) / F and APV = B / (NF + F) with the quarter's budget. relative_se is the
-- forecast's relative standard error: the projection's variance plus that of the deduction rate
-- (the whole country's: the sum of the regions'); the band is set in
-- int_point_value_forecasts_banded.
-- A region with a month that cannot be projected has null projections; the whole country is then
-- null too. Only regions with a budget row are forecast.

with months as (

    select * from {{ ref('int_point_value_months_projected') }}

),

requests as (

    select * from {{ ref('int_point_value_forecasts_requested') }}

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

whole_country as (

    select
        request_kind,
        fee_quarter,
        as_of_date,
        sector,
        'ALL' as area_no_h,
        sum(observed_claims) as observed_claims,
        sum(observed_points) as observed_points,
        sum(observed_nonfloat_points) as observed_nonfloat_points,
        sum(expected_institutions) as expected_institutions,
        min(history_quarters) as history_quarters,
        sum(unprojected_months) as unprojected_months,
        {{ exact_sum('expected_deducted_points') }} / nullif({{ exact_sum('projected_points') }}, 0)
            as expected_deduction_rate,
        {%- for column in ['projected_points', 'projected_nonfloat_points', 'projected_variance', 'deduction_variance',
                           'expected_deducted_points', 'allowed_nonfloat_points', 'allowed_float_points'] %}
            case when count({{ column }}) = count(*) then {{ exact_sum(column) }} end as {{ column }},
        {%- endfor %}
        sum(budget_amt) as budget_amt
    from deducted
    group by request_kind, fee_quarter, as_of_date, sector

),

combined as (

    {%- for relation in ['deducted', 'whole_country'] %}
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
        from {{ relation }}
        {{ 'union all' if not loop.last }}
    {%- endfor %}

),

valued as (

    select
        *,
        {{ float_point_value('budget_amt', 'allowed_nonfloat_points', 'allowed_float_points') }} as float_pv,
        {{ average_point_value('budget_amt', 'allowed_nonfloat_points', 'allowed_float_points') }} as avg_pv,
        sqrt(projected_variance + deduction_variance) / nullif(projected_points, 0) as relative_se
    from combined

),

ranked as (

    select
        *,
        {{ pv_region_rank('avg_pv', ['request_kind', 'fee_quarter', 'as_of_date', 'sector']) }} as avg_pv_rank
    from valued

),

final as (

    select
        cast(ranked.request_kind as {{ dbt.type_string() }}) as request_kind,
        cast(ranked.fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(requests.roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(ranked.as_of_date as date) as as_of_date,
        cast(requests.months_after_quarter_end as integer) as months_after_quarter_end,
        cast(ranked.sector as {{ dbt.type_string() }}) as sector,
        cast(ranked.area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(ranked.history_quarters as integer) as history_quarters,
        cast(ranked.unprojected_months as integer) as unprojected_months,
        cast(ranked.expected_institutions as integer) as expected_institutions,
        cast(ranked.observed_claims as bigint) as observed_claims,
        cast(ranked.observed_points as bigint) as observed_points,
        cast(ranked.observed_nonfloat_points as bigint) as observed_nonfloat_points,
        cast(cast(ranked.observed_points as double) / nullif(ranked.projected_points, 0) as double) as completion_factor,
        cast(ranked.projected_points as double) as projected_points,
        cast(ranked.projected_nonfloat_points as double) as projected_nonfloat_points,
        cast(ranked.relative_se as double) as relative_se,
        cast(ranked.expected_deduction_rate as double) as expected_deduction_rate,
        cast(ranked.expected_deducted_points as double) as expected_deducted_points,
        cast(ranked.allowed_nonfloat_points as double) as allowed_nonfloat_points,
        cast(ranked.allowed_float_points as double) as allowed_float_points,
        cast(ranked.budget_amt as decimal(18, 2)) as budget_amt,
        cast(ranked.float_pv as double) as float_pv,
        cast(ranked.avg_pv as double) as avg_pv,
        cast(ranked.avg_pv_rank as integer) as avg_pv_rank
    from ranked
    inner join requests
        on ranked.request_kind = requests.request_kind
            and ranked.fee_quarter = requests.fee_quarter
            and ranked.as_of_date = requests.as_of_date

)

select * from final
