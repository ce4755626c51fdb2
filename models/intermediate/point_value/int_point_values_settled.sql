-- Point values (點值) per sector, region and fee quarter from the claims that had arrived by the
-- as-of date, plus the whole country (area_no_h 'ALL', 全區) as the sum of the regions. Only
-- (sector, region, quarter) combinations with general-service points and a budget row; points
-- without a budget row are reported by a warn-level test.
-- By default (var pv_points_after_deductions = true) the budget is divided over the points left
-- after review deductions (核定點數), as the NHI settles (docs/point_value.md): a region's
-- deducted points are taken from its non-floating and floating points in proportion to them.
-- With the var false it is divided over 醫療費用點數 before deductions.
-- FPV = (B - NF) / F, APV = B / (NF + F) (domain spec §2), on those allowed points.
-- status: SETTLED once the quarter is complete (int_point_value_quarters_assessed), else
-- PROVISIONAL: a provisional quarter has no point value and no rank (its claims are still
-- arriving; point_value_forecast holds its forecast) - only provisional_budget_ratio, B over the
-- points received so far, which is not a point value.

{%- set after_deductions = var('pv_points_after_deductions', true) %}
{%- if after_deductions %}
    {%- set deducted_share = '(cast(regional.deducted_points as double) / nullif(cast(regional.points as double), 0))' %}
{%- else %}
    {%- set deducted_share = '0' %}
{%- endif %}

with points as (

    select * from {{ ref('int_general_service_points_aggregated') }}

),

quarters as (

    select * from {{ ref('int_point_value_quarters_assessed') }}

),

budgets as (

    select * from {{ ref('stg_nhird__budget') }}

),

observed as (

    select points.*
    from points
    inner join quarters
        on points.fee_quarter = quarters.fee_quarter
    where points.appl_date <= quarters.as_of_date

),

regional as (

    select
        observed.sector,
        observed.area_no_h,
        observed.fee_quarter,
        sum(observed.claims) as claims,
        sum(observed.points) as points,
        sum(observed.delivered_points) as delivered_points,
        sum(observed.nonfloat_points) as nonfloat_points,
        sum(observed.float_points) as float_points,
        sum(observed.reviewed_claims) as reviewed_claims,
        sum(observed.reviewed_points) as reviewed_points,
        sum(observed.deducted_points) as deducted_points
    from observed
    group by
        observed.sector,
        observed.area_no_h,
        observed.fee_quarter

),

budgeted as (

    select
        regional.*,
        budgets.budget_amt,
        cast(regional.nonfloat_points as double) * (1 - {{ deducted_share }}) as allowed_nonfloat_points,
        cast(regional.float_points as double) * (1 - {{ deducted_share }}) as allowed_float_points
    from regional
    inner join budgets
        on regional.sector = budgets.sector
            and regional.fee_quarter = budgets.fee_quarter
            and regional.area_no_h = budgets.area_no_h
    where regional.points > 0

),

whole_country as (

    select
        sector,
        'ALL' as area_no_h,
        fee_quarter,
        sum(claims) as claims,
        sum(points) as points,
        sum(delivered_points) as delivered_points,
        sum(nonfloat_points) as nonfloat_points,
        sum(float_points) as float_points,
        sum(reviewed_claims) as reviewed_claims,
        sum(reviewed_points) as reviewed_points,
        sum(deducted_points) as deducted_points,
        sum(budget_amt) as budget_amt,
        {{ exact_sum('allowed_nonfloat_points') }} as allowed_nonfloat_points,
        {{ exact_sum('allowed_float_points') }} as allowed_float_points
    from budgeted
    group by sector, fee_quarter

),

combined as (

    {%- for relation in ['budgeted', 'whole_country'] %}
        select
            sector,
            area_no_h,
            fee_quarter,
            claims,
            points,
            delivered_points,
            nonfloat_points,
            float_points,
            reviewed_claims,
            reviewed_points,
            deducted_points,
            budget_amt,
            allowed_nonfloat_points,
            allowed_float_points
        from {{ relation }}
        {{ 'union all' if not loop.last }}
    {%- endfor %}

),

valued as (

    select
        combined.*,
        quarters.roc_quarter,
        quarters.quarter_end_date,
        quarters.settle_due_date,
        quarters.as_of_date,
        quarters.is_complete,
        {{ float_point_value('combined.budget_amt', 'combined.allowed_nonfloat_points', 'combined.allowed_float_points') }} as budget_float_ratio,
        {{ average_point_value('combined.budget_amt', 'combined.allowed_nonfloat_points', 'combined.allowed_float_points') }} as budget_ratio
    from combined
    inner join quarters
        on combined.fee_quarter = quarters.fee_quarter

),

settled as (

    select
        *,
        case when is_complete then budget_float_ratio end as float_pv,
        case when is_complete then budget_ratio end as avg_pv
    from valued

),

final as (

    select
        cast(sector as {{ dbt.type_string() }}) as sector,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(case when is_complete then 'SETTLED' else 'PROVISIONAL' end as {{ dbt.type_string() }}) as status,
        cast(claims as bigint) as claims,
        cast(points as bigint) as points,
        cast(delivered_points as bigint) as delivered_points,
        cast(nonfloat_points as bigint) as nonfloat_points,
        cast(float_points as bigint) as float_points,
        cast(reviewed_claims as bigint) as reviewed_claims,
        cast(reviewed_points as bigint) as reviewed_points,
        cast(deducted_points as bigint) as deducted_points,
        cast(cast(deducted_points as double) / nullif(cast(reviewed_points as double), 0) as double) as deduction_rate,
        cast(allowed_nonfloat_points as double) as allowed_nonfloat_points,
        cast(allowed_float_points as double) as allowed_float_points,
        cast(budget_amt as decimal(18, 2)) as budget_amt,
        cast(float_pv as double) as float_pv,
        cast(avg_pv as double) as avg_pv,
        {{ decimal_or_null('float_pv', 8, 4) }} as float_pv_rounded,
        {{ decimal_or_null('avg_pv', 8, 4) }} as avg_pv_rounded,
        cast({{ pv_rounded_null_reason('float_pv', 'avg_pv') }} as {{ dbt.type_string() }}) as rounded_null_reason,
        cast({{ pv_region_rank('avg_pv', ['sector', 'fee_quarter']) }} as integer) as avg_pv_rank,
        cast(case when not is_complete then budget_ratio end as double) as provisional_budget_ratio,
        cast(quarter_end_date as date) as quarter_end_date,
        cast(settle_due_date as date) as settle_due_date,
        cast(as_of_date as date) as as_of_date,
        cast(is_complete as boolean) as is_complete
    from settled

)

select * from final
