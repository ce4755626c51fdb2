-- The gap list agrees with the coverage mart: at the latest through_month, the national
-- denominator persons without any enrolment (denominator - cohort_numerator of ALL/ALL/ALL)
-- are exactly the distinct gap persons not enrolled elsewhere, no plan/year has gaps without
-- a coverage row, and there are never more gap persons than denominator persons.

with coverage as (

    select * from {{ ref('care_plan_coverage') }}
    where
        is_latest_through_month
        and sector = 'ALL' and hosp_cont_type = 'ALL' and area_no_h = 'ALL'

),

gaps as (

    select * from {{ ref('care_plan_gaps') }}

),

gap_persons as (

    select
        plan,
        year,
        through_month,
        count(distinct case when not is_enrolled_elsewhere then patient_key end) as never_enrolled_persons,
        count(distinct patient_key) as gap_persons
    from gaps
    group by plan, year, through_month

),

compared as (

    select
        coverage.plan,
        coverage.year,
        coverage.through_month,
        coverage.denominator,
        coverage.cohort_numerator,
        coalesce(gap_persons.never_enrolled_persons, 0) as never_enrolled_persons,
        coalesce(gap_persons.gap_persons, 0) as gap_persons,
        gap_persons.through_month as gap_through_month
    from coverage
    full outer join gap_persons
        on
            coverage.plan = gap_persons.plan
            and coverage.year = gap_persons.year

)

select *
from compared
where
    plan is null
    or denominator is null
    or denominator - cohort_numerator != never_enrolled_persons
    or gap_persons > denominator
    or (gap_through_month is not null and gap_through_month != through_month)
