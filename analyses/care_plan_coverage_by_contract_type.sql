-- 照護率 Care-plan coverage (CKD, DM, asthma) of a region by contract type (特約類別), for the
-- latest through_month of the latest year, beside the whole country's rate for the same contract
-- type. Rates in percent (the published rate can exceed 100: its numerator is not restricted to
-- the eligible persons; the cohort rate is).
--
-- Vars: report_area (default '5' 高屏).

{% set report_area = var('report_area', '5') %}

with

coverage as (
    select * from {{ ref('care_plan_coverage') }}
),

contract_types as (
    select * from {{ ref('contract_types') }}
),

latest_period as (
    select max(year) as year
    from coverage
),

in_period as (
    select coverage.*
    from coverage
    inner join latest_period on coverage.year = latest_period.year
    where
        coverage.is_latest_through_month
        and coverage.sector = 'ALL'
),

country as (
    select
        plan,
        hosp_cont_type,
        coverage_rate as country_coverage_rate
    from in_period
    where area_no_h = 'ALL'
),

final as (
    select
        in_period.plan,
        in_period.roc_year,
        in_period.through_month,
        in_period.hosp_cont_type,
        coalesce(contract_types.contract_type_zh, '全部') as contract_type_zh,
        in_period.denominator,
        in_period.numerator,
        round(100 * in_period.coverage_rate, 2) as coverage_pct,
        round(100 * in_period.cohort_rate, 2) as cohort_pct,
        round(100 * country.country_coverage_rate, 2) as country_coverage_pct,
        round(100 * (in_period.coverage_rate - country.country_coverage_rate), 2) as diff_country_pp
    from in_period
    left join country
        on
            in_period.plan = country.plan
            and in_period.hosp_cont_type = country.hosp_cont_type
    left join contract_types on in_period.hosp_cont_type = contract_types.hosp_cont_type
    where in_period.area_no_h = '{{ report_area }}'
)

select * from final
order by plan, hosp_cont_type
