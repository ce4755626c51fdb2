-- 照護缺口 care gaps (domain spec §6): per plan, measurement year and institution, the persons
-- eligible there (denominator, visits in Y-1) who have no plan P-code claimed there in Y up to
-- the latest through_month of Y in the extract - the list an institution acts on. Persons are
-- pseudonymised (patient_key). is_enrolled_elsewhere tells whether the person has a P-code of
-- the plan at another institution in the same period.

with persons as (

    select * from {{ ref('int_care_plan_persons_flagged') }}
    where is_latest_through_month

),

enrolment_counts as (

    select
        *,
        sum(case when in_numerator then 1 else 0 end) over (
            partition by plan, year, patient_key
        ) as enrolled_institutions
    from persons

),

gaps as (

    -- the row itself is not enrolled, so every enrolled institution is another one
    select * from enrolment_counts
    where in_denominator and not in_numerator

),

final as (

    select
        cast(plan as {{ dbt.type_string() }}) as plan,
        cast(year as integer) as year,
        cast(roc_year as integer) as roc_year,
        cast(through_month as integer) as through_month,
        cast(eligibility_year as integer) as eligibility_year,
        cast(hosp_id as {{ dbt.type_string() }}) as hosp_id,
        cast(sector as {{ dbt.type_string() }}) as sector,
        cast(hosp_cont_type as {{ dbt.type_string() }}) as hosp_cont_type,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(patient_key as {{ dbt.type_string() }}) as patient_key,
        cast(qualifying_visit_days as integer) as qualifying_visit_days,
        cast(last_qualifying_visit_date as date) as last_qualifying_visit_date,
        cast(enrolled_institutions > 0 as boolean) as is_enrolled_elsewhere,
        cast(enrolled_institutions as integer) as enrolled_elsewhere_institutions
    from gaps

)

select * from final
