-- The numerator is cumulative from January and the denominator is fixed by Y-1: per plan,
-- year and group, the denominator is the same in every through_month and neither numerator
-- nor cohort numerator decreases from one month to the next.

with coverage as (

    select * from {{ ref('care_plan_coverage') }}

),

with_previous as (

    select
        *,
        lag(denominator) over (
            partition by plan, year, sector, hosp_cont_type, area_no_h order by through_month
        ) as previous_denominator,
        lag(numerator) over (
            partition by plan, year, sector, hosp_cont_type, area_no_h order by through_month
        ) as previous_numerator,
        lag(cohort_numerator) over (
            partition by plan, year, sector, hosp_cont_type, area_no_h order by through_month
        ) as previous_cohort_numerator
    from coverage

)

select *
from with_previous
where
    denominator != previous_denominator
    or numerator < previous_numerator
    or cohort_numerator < previous_cohort_numerator
