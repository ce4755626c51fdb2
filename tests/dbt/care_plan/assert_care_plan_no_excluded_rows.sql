{{ config(severity='warn') }}
-- Reports (warn) the rows the care-plan measures leave out, per reason, so they never
-- disappear silently: qualifying visits of asthma without a physician (MISSING_PHYSICIAN,
-- cannot prove "same physician") and P-codes claimed by institutions outside the care-plan
-- sectors (numerator OUT_OF_SCOPE_SECTOR). Visits in other sectors (e.g. a TCM claim with a
-- diabetes code) are out of scope by definition and not reported.

with visits as (

    select * from {{ ref('int_care_plan_visits_qualified') }}

),

numerator as (

    select * from {{ ref('int_care_plan_numerator_identified') }}

),

excluded as (

    select
        'int_care_plan_visits_qualified' as model_name,
        plan,
        exclusion_reason,
        count(*) as excluded_rows
    from visits
    where exclusion_reason = 'MISSING_PHYSICIAN'
    group by plan, exclusion_reason
    union all
    select
        'int_care_plan_numerator_identified' as model_name,
        plan,
        exclusion_reason,
        count(*) as excluded_rows
    from numerator
    where exclusion_reason is not null
    group by plan, exclusion_reason

)

select * from excluded
