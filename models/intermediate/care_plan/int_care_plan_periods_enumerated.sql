-- Measurement periods of the care-plan coverage rates 照護率 (domain spec §6): every year Y
-- whose previous calendar year Y-1 has outpatient claims in the extract and which has claims
-- itself, with through_month 1 .. the latest month of Y present in the extract (cumulative
-- from January; months after the latest data month of Y are not produced). A month "has data"
-- when outpatient claims carry that 費用年月 (FEE_YM). The number of data months is kept so
-- that a partial year (an extract starting mid-year) is visible rather than hidden.

with claims as (

    select * from {{ ref('int_outpatient_claims_classified') }}

),

data_months as (

    select distinct
        fee_year as data_year,
        cast(substr(fee_ym, 5, 2) as integer) as data_month
    from claims

),

data_years as (

    select
        data_year,
        count(*) as data_months,
        max(data_month) as latest_data_month
    from data_months
    group by data_year

),

measure_years as (

    select
        current_year.data_year as measure_year,
        previous_year.data_year as eligibility_year,
        current_year.latest_data_month,
        previous_year.data_months as eligibility_year_data_months
    from data_years as current_year
    inner join data_years as previous_year
        on current_year.data_year - 1 = previous_year.data_year

),

month_spine as (

    {% for month_number in range(1, 13) %}
        select {{ month_number }} as through_month
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

periods as (

    select
        measure_years.measure_year,
        measure_years.eligibility_year,
        month_spine.through_month,
        measure_years.latest_data_month,
        measure_years.eligibility_year_data_months,
        month_spine.through_month = measure_years.latest_data_month as is_latest_through_month
    from measure_years
    inner join month_spine
        on month_spine.through_month <= measure_years.latest_data_month

),

months_to_date as (

    select
        periods.measure_year,
        periods.through_month,
        count(data_months.data_month) as data_months_to_date
    from periods
    left join data_months
        on
            periods.measure_year = data_months.data_year
            and data_months.data_month <= periods.through_month
    group by periods.measure_year, periods.through_month

),

final as (

    select
        cast(periods.measure_year as integer) as year,
        cast(periods.measure_year - 1911 as integer) as roc_year,
        cast(periods.through_month as integer) as through_month,
        cast(periods.eligibility_year as integer) as eligibility_year,
        cast(periods.latest_data_month as integer) as latest_data_month,
        cast(periods.is_latest_through_month as boolean) as is_latest_through_month,
        cast(months_to_date.data_months_to_date as integer) as data_months_to_date,
        cast(periods.eligibility_year_data_months as integer) as eligibility_year_data_months
    from periods
    inner join months_to_date
        on
            periods.measure_year = months_to_date.measure_year
            and periods.through_month = months_to_date.through_month

)

select * from final
