-- Point-value forecast (點值預估) per request (fee quarter, as-of date), sector and region, and
-- for the whole country (area_no_h 'ALL', 全區, the sum of the regions): the quarter's projected
-- points (sum of its completed months), reduced by the expected review-deduction rate, split
-- into non-floating and floating points, then FPV = (B - NF) / F and APV = B / (NF + F) with the
-- quarter's budget. The band: the *_low point values use the quarter's observed points
-- completed with the smallest whole-quarter completion factor of the history quarters (more
-- points still to come), the *_high values with the largest, each widened to include the
-- central projection; non-floating points scale with the projected points.
-- A region with a month that cannot be projected (no usable history) has null projections;
-- the whole country is then null too. Only regions with a budget row are forecast.

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
        min(history_quarters) as history_quarters,
        sum(case when projected_points is null then 1 else 0 end) as unprojected_months,
        {{ exact_sum('projected_points') }} as projected_points,
        {{ exact_sum('projected_nonfloat_points') }} as projected_nonfloat_points,
        max(quarter_completion_factor_min) as quarter_completion_factor_min,
        max(quarter_completion_factor_max) as quarter_completion_factor_max,
        max(expected_deduction_rate) as expected_deduction_rate
    from months
    group by
        request_kind,
        fee_quarter,
        as_of_date,
        sector,
        area_no_h

),

regional_banded as (

    select
        *,
        case
            when unprojected_months = 0 and quarter_completion_factor_min > 0
                then greatest(projected_points, cast(observed_points as double) / quarter_completion_factor_min)
        end as projected_points_upper,
        case
            when unprojected_months = 0 and quarter_completion_factor_max > 0
                then least(projected_points, cast(observed_points as double) / quarter_completion_factor_max)
        end as projected_points_lower
    from regional_sums

),

regional_split as (

    select
        *,
        case
            when projected_points > 0 then projected_nonfloat_points * projected_points_upper / projected_points
            else 0
        end as projected_nonfloat_points_upper,
        case
            when projected_points > 0 then projected_nonfloat_points * projected_points_lower / projected_points
            else 0
        end as projected_nonfloat_points_lower,
        case when projected_points_upper is null or projected_points_lower is null then 1 else 0 end as is_unbanded
    from regional_banded

),

regional as (

    select
        regional_split.request_kind,
        regional_split.fee_quarter,
        regional_split.as_of_date,
        regional_split.sector,
        regional_split.area_no_h,
        regional_split.observed_claims,
        regional_split.observed_points,
        regional_split.observed_nonfloat_points,
        regional_split.history_quarters,
        regional_split.unprojected_months,
        regional_split.expected_deduction_rate,
        budgets.budget_amt,
        case when regional_split.unprojected_months = 0 then regional_split.projected_points end as projected_points,
        regional_split.projected_points_upper,
        regional_split.projected_points_lower,
        case when regional_split.unprojected_months = 0 then regional_split.projected_points * regional_split.expected_deduction_rate end
            as expected_deducted_points,
        case
            when regional_split.unprojected_months = 0
                then regional_split.projected_nonfloat_points * (1 - regional_split.expected_deduction_rate)
        end as allowed_nonfloat_points,
        case
            when regional_split.unprojected_months = 0
                then (regional_split.projected_points - regional_split.projected_nonfloat_points)
                    * (1 - regional_split.expected_deduction_rate)
        end as allowed_float_points,
        case
            when regional_split.is_unbanded = 0
                then regional_split.projected_nonfloat_points_upper * (1 - regional_split.expected_deduction_rate)
        end as allowed_nonfloat_points_upper,
        case
            when regional_split.is_unbanded = 0
                then (regional_split.projected_points_upper - regional_split.projected_nonfloat_points_upper)
                    * (1 - regional_split.expected_deduction_rate)
        end as allowed_float_points_upper,
        case
            when regional_split.is_unbanded = 0
                then regional_split.projected_nonfloat_points_lower * (1 - regional_split.expected_deduction_rate)
        end as allowed_nonfloat_points_lower,
        case
            when regional_split.is_unbanded = 0
                then (regional_split.projected_points_lower - regional_split.projected_nonfloat_points_lower)
                    * (1 - regional_split.expected_deduction_rate)
        end as allowed_float_points_lower
    from regional_split
    inner join budgets
        on regional_split.sector = budgets.sector
            and regional_split.fee_quarter = budgets.fee_quarter
            and regional_split.area_no_h = budgets.area_no_h

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
        min(history_quarters) as history_quarters,
        sum(unprojected_months) as unprojected_months,
        {{ exact_sum('expected_deducted_points') }} / nullif({{ exact_sum('projected_points') }}, 0) as expected_deduction_rate,
        sum(budget_amt) as budget_amt,
        case when count(projected_points) = count(*) then {{ exact_sum('projected_points') }} end as projected_points,
        case when count(projected_points_upper) = count(*) then {{ exact_sum('projected_points_upper') }} end as projected_points_upper,
        case when count(projected_points_lower) = count(*) then {{ exact_sum('projected_points_lower') }} end as projected_points_lower,
        case when count(expected_deducted_points) = count(*) then {{ exact_sum('expected_deducted_points') }} end as expected_deducted_points,
        case when count(allowed_nonfloat_points) = count(*) then {{ exact_sum('allowed_nonfloat_points') }} end as allowed_nonfloat_points,
        case when count(allowed_float_points) = count(*) then {{ exact_sum('allowed_float_points') }} end as allowed_float_points,
        case when count(allowed_nonfloat_points_upper) = count(*) then {{ exact_sum('allowed_nonfloat_points_upper') }} end
            as allowed_nonfloat_points_upper,
        case when count(allowed_float_points_upper) = count(*) then {{ exact_sum('allowed_float_points_upper') }} end
            as allowed_float_points_upper,
        case when count(allowed_nonfloat_points_lower) = count(*) then {{ exact_sum('allowed_nonfloat_points_lower') }} end
            as allowed_nonfloat_points_lower,
        case when count(allowed_float_points_lower) = count(*) then {{ exact_sum('allowed_float_points_lower') }} end
            as allowed_float_points_lower
    from regional
    group by
        request_kind,
        fee_quarter,
        as_of_date,
        sector

),

combined as (

    select
        request_kind,
        fee_quarter,
        as_of_date,
        sector,
        area_no_h,
        observed_claims,
        observed_points,
        observed_nonfloat_points,
        history_quarters,
        unprojected_months,
        expected_deduction_rate,
        budget_amt,
        projected_points,
        projected_points_upper,
        projected_points_lower,
        expected_deducted_points,
        allowed_nonfloat_points,
        allowed_float_points,
        allowed_nonfloat_points_upper,
        allowed_float_points_upper,
        allowed_nonfloat_points_lower,
        allowed_float_points_lower
    from regional

    union all

    select
        request_kind,
        fee_quarter,
        as_of_date,
        sector,
        area_no_h,
        observed_claims,
        observed_points,
        observed_nonfloat_points,
        history_quarters,
        unprojected_months,
        expected_deduction_rate,
        budget_amt,
        projected_points,
        projected_points_upper,
        projected_points_lower,
        expected_deducted_points,
        allowed_nonfloat_points,
        allowed_float_points,
        allowed_nonfloat_points_upper,
        allowed_float_points_upper,
        allowed_nonfloat_points_lower,
        allowed_float_points_lower
    from whole_country

),

valued as (

    select
        *,
        {{ float_point_value('budget_amt', 'allowed_nonfloat_points', 'allowed_float_points') }} as float_pv,
        {{ float_point_value('budget_amt', 'allowed_nonfloat_points_upper', 'allowed_float_points_upper') }} as float_pv_low,
        {{ float_point_value('budget_amt', 'allowed_nonfloat_points_lower', 'allowed_float_points_lower') }} as float_pv_high,
        {{ average_point_value('budget_amt', 'allowed_nonfloat_points', 'allowed_float_points') }} as avg_pv,
        {{ average_point_value('budget_amt', 'allowed_nonfloat_points_upper', 'allowed_float_points_upper') }} as avg_pv_low,
        {{ average_point_value('budget_amt', 'allowed_nonfloat_points_lower', 'allowed_float_points_lower') }} as avg_pv_high
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
        cast(ranked.observed_claims as bigint) as observed_claims,
        cast(ranked.observed_points as bigint) as observed_points,
        cast(ranked.observed_nonfloat_points as bigint) as observed_nonfloat_points,
        cast(cast(ranked.observed_points as double) / nullif(ranked.projected_points, 0) as double) as completion_factor,
        cast(ranked.projected_points as double) as projected_points,
        cast(ranked.projected_points_upper as double) as projected_points_upper,
        cast(ranked.projected_points_lower as double) as projected_points_lower,
        cast(ranked.expected_deduction_rate as double) as expected_deduction_rate,
        cast(ranked.expected_deducted_points as double) as expected_deducted_points,
        cast(ranked.allowed_nonfloat_points as double) as allowed_nonfloat_points,
        cast(ranked.allowed_float_points as double) as allowed_float_points,
        cast(ranked.budget_amt as decimal(18, 2)) as budget_amt,
        cast(ranked.float_pv as double) as float_pv,
        cast(ranked.float_pv_low as double) as float_pv_low,
        cast(ranked.float_pv_high as double) as float_pv_high,
        cast(ranked.avg_pv as double) as avg_pv,
        cast(ranked.avg_pv_low as double) as avg_pv_low,
        cast(ranked.avg_pv_high as double) as avg_pv_high,
        cast(ranked.avg_pv_rank as integer) as avg_pv_rank
    from ranked
    inner join requests
        on ranked.request_kind = requests.request_kind
            and ranked.fee_quarter = requests.fee_quarter
            and ranked.as_of_date = requests.as_of_date

)

select * from final
