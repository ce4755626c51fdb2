-- 中醫平均就醫次數 TCM visits per patient (source 001, "105年第4季平均就醫次數統計"): per month
-- (月平均就醫次數) and per quarter (季平均就醫次數), region (1-6) and the whole country ('ALL'):
-- visits (claims with 診察費 > 0 and a case type not in seed tcm_visit_count_exclusions: 22, 25,
-- A3, B6), distinct patients, visits per patient, and the same period a year earlier with the
-- difference (成長差值, as the slide prints it) and the growth. A patient seen in two regions is a
-- patient of both and once of the country. Every region has a row for every period with TCM
-- claims; a period a year earlier that the extract does not cover gives null.

with calendar_quarters as (

    select * from {{ ref('int_calendar_quarters') }}

),

calendar_months as (

    select
        fee_ym as fee_month_label,
        month_start as fee_month_start
    from {{ ref('int_calendar_month_periods') }}
    where period_type = 'quarter'

),

claims as (

    select * from {{ ref('int_tcm_claims_flagged') }}

),

months as (

    select * from {{ ref('int_sector_months_observed') }}
    where sector = 'TCM'

),

regions as (

    select
        area_no_h,
        region_zh
    from {{ ref('regions') }}

    union all

    select
        'ALL' as area_no_h,
        '全區' as region_zh

),

periods as (

    select distinct
        'MONTH' as period_kind,
        fee_ym as fee_period,
        roc_month as roc_period,
        fee_quarter
    from months

    union all

    select distinct
        'QUARTER' as period_kind,
        fee_quarter as fee_period,
        roc_quarter as roc_period,
        fee_quarter
    from months

),

counted as (

    select
        'MONTH' as period_kind,
        fee_ym as fee_period,
        {{ all_when_rolled_up('area_no_h') }} as area_no_h,
        sum(case when counts_as_visit then 1 else 0 end) as visits,
        count(distinct case when counts_as_visit then patient_key end) as patients,
        sum(case when counts_as_visit then 0 else 1 end) as excluded_claims
    from claims
    group by fee_ym, rollup(area_no_h)

    union all

    select
        'QUARTER' as period_kind,
        fee_quarter as fee_period,
        {{ all_when_rolled_up('area_no_h') }} as area_no_h,
        sum(case when counts_as_visit then 1 else 0 end) as visits,
        count(distinct case when counts_as_visit then patient_key end) as patients,
        sum(case when counts_as_visit then 0 else 1 end) as excluded_claims
    from claims
    group by fee_quarter, rollup(area_no_h)

),

cells as (

    select
        periods.period_kind,
        periods.fee_period,
        periods.roc_period,
        periods.fee_quarter,
        regions.area_no_h,
        regions.region_zh,
        coalesce(counted.visits, 0) as visits,
        coalesce(counted.patients, 0) as patients,
        coalesce(counted.excluded_claims, 0) as excluded_claims,
        {{ safe_ratio('counted.visits', 'counted.patients') }} as visits_per_patient
    from periods
    cross join regions
    left join counted
        on periods.period_kind = counted.period_kind
            and periods.fee_period = counted.fee_period
            and regions.area_no_h = counted.area_no_h

),

compared as (

    select
        current_period.*,
        previous_period.fee_period as previous_fee_period,
        previous_period.visits as previous_visits,
        previous_period.patients as previous_patients,
        previous_period.visits_per_patient as previous_visits_per_patient
    from cells as current_period
    left join cells as previous_period
        on current_period.period_kind = previous_period.period_kind
            and current_period.area_no_h = previous_period.area_no_h
            and {{ previous_year_period('current_period.fee_period') }} = previous_period.fee_period

),


dated as (

    select
        compared.*,
        calendar_quarters.fee_quarter_start,
        calendar_months.fee_month_start
    from compared
    left join calendar_quarters
        on compared.fee_quarter = calendar_quarters.fee_quarter
    left join calendar_months
        on compared.fee_period = calendar_months.fee_month_label

),

final as (

    select
        cast(period_kind as {{ dbt.type_string() }}) as period_kind,
        cast(fee_period as {{ dbt.type_string() }}) as fee_period,
        cast(roc_period as {{ dbt.type_string() }}) as roc_period,
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(
            case when period_kind = 'MONTH' then fee_month_start else fee_quarter_start end
            as date
        ) as period_start,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(region_zh as {{ dbt.type_string() }}) as region_zh,
        cast(visits as bigint) as visits,
        cast(patients as bigint) as patients,
        cast(visits_per_patient as double) as visits_per_patient,
        cast(excluded_claims as bigint) as excluded_claims,
        cast(previous_fee_period as {{ dbt.type_string() }}) as previous_fee_period,
        cast(previous_visits as bigint) as previous_visits,
        cast(previous_patients as bigint) as previous_patients,
        cast(previous_visits_per_patient as double) as previous_visits_per_patient,
        cast(visits_per_patient - previous_visits_per_patient as double) as visits_per_patient_change,
        cast({{ growth_rate('visits_per_patient', 'previous_visits_per_patient') }} as double)
            as visits_per_patient_growth
    from dated

)

select * from final
