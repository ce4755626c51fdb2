-- review_deduction_rate is internally consistent: deducted points never exceed the reviewed
-- claims' points, reviewed claims never exceed claims, and the six regions add up to 'ALL' for
-- every count. Fails with the sector and quarter that break it.

with rates as (

    select * from {{ ref('review_deduction_rate') }}

),

regions_vs_country as (

    select
        sector,
        fee_quarter,
        sum(case when area_no_h = 'ALL' then claims else -claims end) as claims_gap,
        sum(case when area_no_h = 'ALL' then reviewed_claims else -reviewed_claims end) as reviewed_claims_gap,
        sum(case when area_no_h = 'ALL' then reviewed_points else -reviewed_points end) as reviewed_points_gap,
        sum(
            case when area_no_h = 'ALL' then deducted_points_any_stage else -deducted_points_any_stage end
        ) as deducted_points_gap
    from rates
    group by sector, fee_quarter

),

row_problems as (

    select
        sector,
        fee_quarter,
        area_no_h
    from rates
    where deducted_points_any_stage > reviewed_points
        or reviewed_claims > claims

)

select
    sector,
    fee_quarter,
    'ALL' as area_no_h
from regions_vs_country
where claims_gap <> 0
    or reviewed_claims_gap <> 0
    or reviewed_points_gap <> 0
    or deducted_points_gap <> 0

union all

select * from row_problems
