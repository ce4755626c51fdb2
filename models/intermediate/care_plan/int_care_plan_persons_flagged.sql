-- Long form of the care-plan measures (domain spec §6), in the shape of a quality-measure
-- "long" table: one row per plan, measurement year, through_month, person and institution
-- where the person is in the denominator (eligible at the institution in Y-1) or in the
-- numerator (a plan P-code claimed there in Y from January up to through_month), with both
-- flags. Years and months come from int_care_plan_periods_enumerated. Numerator rows of
-- institutions outside the care-plan sectors (exclusion_reason) are left out here; they are
-- kept in int_care_plan_numerator_identified and reported by a warn-level test.

with periods as (

    select * from {{ ref('int_care_plan_periods_enumerated') }}

),

denominator as (

    select * from {{ ref('int_care_plan_denominator_identified') }}

),

numerator as (

    select * from {{ ref('int_care_plan_numerator_identified') }}
    where exclusion_reason is null

),

person_institutions as (

    select
        coalesce(denominator.plan, numerator.plan) as plan,
        coalesce(denominator.year, numerator.year) as year,
        coalesce(denominator.patient_key, numerator.patient_key) as patient_key,
        coalesce(denominator.hosp_id, numerator.hosp_id) as hosp_id,
        coalesce(denominator.sector, numerator.sector) as sector,
        coalesce(denominator.hosp_cont_type, numerator.hosp_cont_type) as hosp_cont_type,
        coalesce(denominator.area_no_h, numerator.area_no_h) as area_no_h,
        denominator.patient_key is not null as is_eligible,
        denominator.qualifying_visit_days,
        denominator.last_qualifying_visit_date,
        numerator.first_claim_month,
        numerator.first_claim_visit_date
    from denominator
    full outer join numerator
        on
            denominator.plan = numerator.plan
            and denominator.year = numerator.year
            and denominator.patient_key = numerator.patient_key
            and denominator.hosp_id = numerator.hosp_id

),

person_months as (

    select
        person_institutions.plan,
        person_institutions.year,
        periods.roc_year,
        periods.through_month,
        periods.is_latest_through_month,
        periods.eligibility_year,
        person_institutions.patient_key,
        person_institutions.hosp_id,
        person_institutions.sector,
        person_institutions.hosp_cont_type,
        person_institutions.area_no_h,
        person_institutions.is_eligible as in_denominator,
        coalesce(person_institutions.first_claim_month <= periods.through_month, false) as in_numerator,
        person_institutions.qualifying_visit_days,
        person_institutions.last_qualifying_visit_date,
        case
            when person_institutions.first_claim_month <= periods.through_month
                then person_institutions.first_claim_month
        end as first_claim_month,
        case
            when person_institutions.first_claim_month <= periods.through_month
                then person_institutions.first_claim_visit_date
        end as first_claim_visit_date
    from person_institutions
    inner join periods
        on person_institutions.year = periods.year

),

final as (

    select
        cast(plan as {{ dbt.type_string() }}) as plan,
        cast(year as integer) as year,
        cast(roc_year as integer) as roc_year,
        cast(through_month as integer) as through_month,
        cast(is_latest_through_month as boolean) as is_latest_through_month,
        cast(eligibility_year as integer) as eligibility_year,
        cast(patient_key as {{ dbt.type_string() }}) as patient_key,
        cast(hosp_id as {{ dbt.type_string() }}) as hosp_id,
        cast(sector as {{ dbt.type_string() }}) as sector,
        cast(hosp_cont_type as {{ dbt.type_string() }}) as hosp_cont_type,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(in_denominator as boolean) as in_denominator,
        cast(in_numerator as boolean) as in_numerator,
        cast(qualifying_visit_days as integer) as qualifying_visit_days,
        cast(last_qualifying_visit_date as date) as last_qualifying_visit_date,
        cast(first_claim_month as integer) as first_claim_month,
        cast(first_claim_visit_date as date) as first_claim_visit_date
    from person_months
    where in_denominator or in_numerator

)

select * from final
