-- Point-value forecast (點值預估) per request (fee quarter, as-of date), sector and region, and
-- for the whole country (area_no_h 'ALL', 全區, the sum of the regions): from the quarter's
-- projected points after the expected review deduction (int_point_value_forecasts_deducted),
-- split into non-floating and floating points, FPV = (B - NF) / F and APV = B / (NF + F) with
-- the quarter's budget. relative_se is the forecast's relative standard error: the projection's
-- variance plus that of the deduction rate (the whole country's: the sum of the regions'); the
-- band is set in int_point_value_forecasts_banded.
-- A region with a month that cannot be projected has null projections; the whole country is then
-- null too. Only regions with a budget row are forecast.

with deducted as (

    select * from {{ ref('int_point_value_forecasts_deducted') }}

),

requests as (

    select * from {{ ref('int_point_value_forecasts_requested') }}

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
