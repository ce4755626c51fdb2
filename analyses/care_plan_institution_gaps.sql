-- 照護缺口 An institution's care-gap list: the persons eligible there (qualifying visits in the
-- previous year) not enrolled there in the plan this year to date. Those not enrolled anywhere
-- come first, most recently seen first: they are the ones to call. Persons are pseudonymised
-- (patient_key).
--
-- Vars: report_hosp_id (default: the institution of region report_area with the most gaps),
-- report_area (default '5' 高屏, used only for that default), report_plan (default 'DM'; also
-- 'CKD', 'ASTHMA').

{% set report_hosp_id = var('report_hosp_id', none) %}
{% set report_area = var('report_area', '5') %}
{% set report_plan = var('report_plan', 'DM') %}

with

gaps as (
    select * from {{ ref('care_plan_gaps') }}
),

latest_year as (
    select max(year) as year
    from gaps
    where plan = '{{ report_plan }}'
),

plan_gaps as (
    select gaps.*
    from gaps
    inner join latest_year on gaps.year = latest_year.year
    where gaps.plan = '{{ report_plan }}'
),

gap_counts as (
    select
        hosp_id,
        count(*) as gaps,
        row_number() over (order by count(*) desc, hosp_id) as gap_rank
    from plan_gaps
    where area_no_h = '{{ report_area }}'
    group by hosp_id
),

chosen_institution as (
    {% if report_hosp_id %}
        select '{{ report_hosp_id }}' as hosp_id
    {% else %}
        select hosp_id
        from gap_counts
        where gap_rank = 1
    {% endif %}
),

final as (
    select
        plan_gaps.hosp_id,
        plan_gaps.plan,
        plan_gaps.roc_year,
        plan_gaps.through_month,
        plan_gaps.patient_key,
        plan_gaps.last_qualifying_visit_date,
        plan_gaps.qualifying_visit_days,
        plan_gaps.is_enrolled_elsewhere,
        plan_gaps.enrolled_elsewhere_institutions
    from plan_gaps
    inner join chosen_institution on plan_gaps.hosp_id = chosen_institution.hosp_id
)

select * from final
order by is_enrolled_elsewhere asc, last_qualifying_visit_date desc, patient_key asc
