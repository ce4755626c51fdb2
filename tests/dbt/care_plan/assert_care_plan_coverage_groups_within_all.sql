-- A person counts once in any group: no group can count more persons than the national
-- ALL/ALL/ALL row of the same plan and period, and since every eligible (enrolled) person
-- is eligible (enrolled) at an institution of some region, the six regions together count at
-- least as many persons as ALL (more when persons are eligible in several regions).

with coverage as (

    select * from {{ ref('care_plan_coverage') }}

),

national as (

    select * from coverage
    where sector = 'ALL' and hosp_cont_type = 'ALL' and area_no_h = 'ALL'

),

regions_summed as (

    select
        plan,
        year,
        through_month,
        sum(denominator) as denominator,
        sum(numerator) as numerator,
        sum(cohort_numerator) as cohort_numerator
    from coverage
    where sector = 'ALL' and hosp_cont_type = 'ALL' and area_no_h != 'ALL'
    group by plan, year, through_month

),

groups_above_national as (

    select
        coverage.plan,
        coverage.year,
        coverage.through_month,
        coverage.sector,
        coverage.hosp_cont_type,
        coverage.area_no_h,
        'group above ALL/ALL/ALL' as problem
    from coverage
    inner join national
        on
            coverage.plan = national.plan
            and coverage.year = national.year
            and coverage.through_month = national.through_month
    where
        coverage.denominator > national.denominator
        or coverage.numerator > national.numerator
        or coverage.cohort_numerator > national.cohort_numerator

),

regions_below_national as (

    select
        national.plan,
        national.year,
        national.through_month,
        national.sector,
        national.hosp_cont_type,
        national.area_no_h,
        'regions together below ALL' as problem
    from national
    inner join regions_summed
        on
            national.plan = regions_summed.plan
            and national.year = regions_summed.year
            and national.through_month = regions_summed.through_month
    where
        regions_summed.denominator < national.denominator
        or regions_summed.numerator < national.numerator

)

select * from groups_above_national
union all
select * from regions_below_national
