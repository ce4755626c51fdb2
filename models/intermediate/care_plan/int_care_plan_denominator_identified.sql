-- Care-plan denominator 分母 (domain spec §6): persons eligible at an institution for
-- measurement year Y because of their visits in calendar year Y-1 = eligibility_year.
-- Eligible: at least two qualifying visits (distinct visit dates, int_care_plan_visits_qualified
-- without exclusion_reason) at the same institution - and with the same physician where the
-- plan requires it (asthma) - whose dates are at most max_interval_days apart (90 counts,
-- 91 does not), both in Y-1. Computed with lag() over each person's visit dates (no self-join).
-- Every year Y whose Y-1 has qualifying visits is produced, including a Y not yet in the
-- extract (its cohort is known before its numerator).

with visits as (

    select * from {{ ref('int_care_plan_visits_qualified') }}
    where exclusion_reason is null

),

definitions as (

    select * from {{ ref('care_plan_definitions') }}

),

visit_days as (

    -- several claims on one day at one institution (and physician) are one visit
    select distinct
        visits.plan,
        visits.visit_year as eligibility_year,
        visits.patient_key,
        visits.hosp_id,
        case when definitions.requires_same_physician then visits.physician_key end as pairing_physician_key,
        visits.visit_date,
        definitions.max_interval_days
    from visits
    inner join definitions
        on visits.plan = definitions.plan

),

previous_visits as (

    select
        *,
        lag(visit_date) over (
            partition by plan, eligibility_year, patient_key, hosp_id, pairing_physician_key
            order by visit_date
        ) as previous_visit_date
    from visit_days

),

intervals as (

    select
        *,
        {{ days_between('previous_visit_date', 'visit_date') }} as days_since_previous_visit
    from previous_visits

),

qualifying_pairs as (

    select
        *,
        coalesce(days_since_previous_visit <= max_interval_days, false) as completes_qualifying_pair
    from intervals

),

eligible_institutions as (

    select
        plan,
        eligibility_year,
        patient_key,
        hosp_id,
        min(case when completes_qualifying_pair then visit_date end) as eligibility_met_date,
        min(case when completes_qualifying_pair then days_since_previous_visit end) as shortest_interval_days
    from qualifying_pairs
    group by plan, eligibility_year, patient_key, hosp_id
    having max(case when completes_qualifying_pair then 1 else 0 end) = 1

),

institution_visits as (

    -- all qualifying visits at the institution in Y-1 (any physician), for the gap list
    select
        plan,
        visit_year as eligibility_year,
        patient_key,
        hosp_id,
        max(area_no_h) as area_no_h,
        max(hosp_cont_type) as hosp_cont_type,
        max(sector) as sector,
        count(distinct visit_date) as qualifying_visit_days,
        min(visit_date) as first_qualifying_visit_date,
        max(visit_date) as last_qualifying_visit_date
    from visits
    group by plan, visit_year, patient_key, hosp_id

),

final as (

    select
        cast(eligible_institutions.plan as {{ dbt.type_string() }}) as plan,
        cast(eligible_institutions.eligibility_year + 1 as integer) as year,
        cast(eligible_institutions.eligibility_year as integer) as eligibility_year,
        cast(eligible_institutions.patient_key as {{ dbt.type_string() }}) as patient_key,
        cast(eligible_institutions.hosp_id as {{ dbt.type_string() }}) as hosp_id,
        cast(institution_visits.sector as {{ dbt.type_string() }}) as sector,
        cast(institution_visits.hosp_cont_type as {{ dbt.type_string() }}) as hosp_cont_type,
        cast(institution_visits.area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(institution_visits.qualifying_visit_days as integer) as qualifying_visit_days,
        cast(institution_visits.first_qualifying_visit_date as date) as first_qualifying_visit_date,
        cast(institution_visits.last_qualifying_visit_date as date) as last_qualifying_visit_date,
        cast(eligible_institutions.eligibility_met_date as date) as eligibility_met_date,
        cast(eligible_institutions.shortest_interval_days as integer) as shortest_interval_days
    from eligible_institutions
    inner join institution_visits
        on
            eligible_institutions.plan = institution_visits.plan
            and eligible_institutions.eligibility_year = institution_visits.eligibility_year
            and eligible_institutions.patient_key = institution_visits.patient_key
            and eligible_institutions.hosp_id = institution_visits.hosp_id

)

select * from final
