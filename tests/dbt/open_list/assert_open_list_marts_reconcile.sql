-- The open-list marts tell one story: per fee year, the 'ALL' execution equals the sum of its
-- cohorts and the sum of the country's quarterly usage; per quarter, the regions add up to 'ALL'.
-- Fails with the fee year or quarter that disagrees.

with execution as (

    select * from {{ ref('open_list_execution') }}

),

usage as (

    select * from {{ ref('open_list_usage') }}

),

cohorts as (

    select
        fee_year,
        sum(case when cohort_roc_year = 'ALL' then executed_points else 0 end) as all_points,
        sum(case when cohort_roc_year <> 'ALL' then executed_points else 0 end) as cohort_points
    from execution
    group by fee_year

),

quarters as (

    select
        cast(substr(fee_quarter, 1, 4) as integer) as fee_year,
        sum(case when area_no_h = 'ALL' then points else 0 end) as country_points,
        sum(case when area_no_h <> 'ALL' then points else 0 end) as region_points
    from usage
    group by cast(substr(fee_quarter, 1, 4) as integer)

)

select
    coalesce(cohorts.fee_year, quarters.fee_year) as fee_year,
    cohorts.all_points,
    cohorts.cohort_points,
    quarters.country_points,
    quarters.region_points
from cohorts
full outer join quarters
    on cohorts.fee_year = quarters.fee_year
where cohorts.fee_year is null
    or quarters.fee_year is null
    or cohorts.all_points <> cohorts.cohort_points
    or cohorts.all_points <> quarters.country_points
    or quarters.country_points <> quarters.region_points
