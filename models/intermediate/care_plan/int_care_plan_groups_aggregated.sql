-- 照護率 counts per reporting group (domain spec §6): per plan, year, through_month and group
-- (sector x contract type x region, each also 'ALL'), the distinct persons in the denominator,
-- in the numerator, and in both (cohort). A person counts once per group: in its denominator
-- when eligible at an institution of the group, in its numerator when a P-code was claimed at
-- an institution of the group. Only groups with at least one person; care_plan_coverage adds
-- the empty groups.

with persons as (

    select * from {{ ref('int_care_plan_persons_flagged') }}

),

person_groups as (

    -- one row per person and group: the 8 roll-ups (cube) of sector x contract type x region;
    -- plain columns mixed with cube() work on DuckDB and Spark >= 3.2
    select
        plan,
        year,
        through_month,
        patient_key,
        sector,
        hosp_cont_type,
        area_no_h,
        max(case when in_denominator then 1 else 0 end) as in_denominator,
        max(case when in_numerator then 1 else 0 end) as in_numerator
    from persons
    group by
        plan,
        year,
        through_month,
        patient_key,
        cube(sector, hosp_cont_type, area_no_h)

),

labelled_person_groups as (

    -- a rolled-up column is null after cube(); persons rows never carry null groups
    -- (not_null tests on int_care_plan_persons_flagged)
    select
        plan,
        year,
        through_month,
        patient_key,
        coalesce(sector, 'ALL') as sector,
        coalesce(hosp_cont_type, 'ALL') as hosp_cont_type,
        coalesce(area_no_h, 'ALL') as area_no_h,
        in_denominator,
        in_numerator
    from person_groups

),

group_counts as (

    select
        plan,
        year,
        through_month,
        sector,
        hosp_cont_type,
        area_no_h,
        sum(in_denominator) as denominator,
        sum(in_numerator) as numerator,
        sum(in_denominator * in_numerator) as cohort_numerator
    from labelled_person_groups
    group by plan, year, through_month, sector, hosp_cont_type, area_no_h

),

final as (

    select
        cast(plan as {{ dbt.type_string() }}) as plan,
        cast(year as integer) as year,
        cast(through_month as integer) as through_month,
        cast(sector as {{ dbt.type_string() }}) as sector,
        cast(hosp_cont_type as {{ dbt.type_string() }}) as hosp_cont_type,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(denominator as {{ dbt.type_bigint() }}) as denominator,
        cast(numerator as {{ dbt.type_bigint() }}) as numerator,
        cast(cohort_numerator as {{ dbt.type_bigint() }}) as cohort_numerator
    from group_counts

)

select * from final
