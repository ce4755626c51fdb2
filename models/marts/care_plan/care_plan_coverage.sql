-- 照護率 care-plan coverage (domain spec §6) per plan, year, through_month and reporting group
-- (sector x contract type x region, each also 'ALL'). A person counts once per group: in its
-- denominator when eligible at an institution of the group, in its numerator when a P-code
-- was claimed at an institution of the group. coverage_rate is the published rate (numerator
-- not restricted to the denominator); cohort_rate restricts the numerator to the group's
-- denominator persons. Every consistent group exists for every plan and period (zero counts
-- included): sector ALL with contract type ALL or any of its types; a sector with ALL or its
-- own types; each with region ALL or '1'..'6'. The counts come from
-- int_care_plan_groups_aggregated.
--
-- Eligibility year: the denominator is built from the visits of year Y - 1. When the extract
-- does not hold all twelve months of Y - 1 (it starts mid-year, or a month is missing), some
-- eligible persons are missing and the rate is overstated: is_eligibility_year_complete =
-- false flags those rows (eligibility_year_data_months says how many months are there).

with group_counts as (

    select * from {{ ref('int_care_plan_groups_aggregated') }}

),

periods as (

    select * from {{ ref('int_care_plan_periods_enumerated') }}

),

definitions as (

    select * from {{ ref('care_plan_definitions') }}

),

contract_types as (

    select * from {{ ref('contract_types') }}

),

regions as (

    select * from {{ ref('regions') }}

),

sector_types as (

    select
        sector_if_by_institution as sector,
        hosp_cont_type
    from contract_types
    where sector_if_by_institution in {{ care_plan_sector_list() }}

),

sector_type_groups as (

    select
        'ALL' as sector,
        'ALL' as hosp_cont_type
    union all
    select
        'ALL' as sector,
        hosp_cont_type
    from sector_types
    union all
    select distinct
        sector,
        'ALL' as hosp_cont_type
    from sector_types
    union all
    select
        sector,
        hosp_cont_type
    from sector_types

),

area_groups as (

    select 'ALL' as area_no_h
    union all
    select area_no_h from regions

),

scaffold as (

    select
        definitions.plan,
        periods.year,
        periods.through_month,
        sector_type_groups.sector,
        sector_type_groups.hosp_cont_type,
        area_groups.area_no_h
    from definitions
    cross join periods
    cross join sector_type_groups
    cross join area_groups

),

combined as (

    -- full outer join: a group missing from the scaffold would still appear (and fail the
    -- accepted_values tests) rather than disappear
    select
        coalesce(scaffold.plan, group_counts.plan) as plan,
        coalesce(scaffold.year, group_counts.year) as year,
        coalesce(scaffold.through_month, group_counts.through_month) as through_month,
        coalesce(scaffold.sector, group_counts.sector) as sector,
        coalesce(scaffold.hosp_cont_type, group_counts.hosp_cont_type) as hosp_cont_type,
        coalesce(scaffold.area_no_h, group_counts.area_no_h) as area_no_h,
        coalesce(group_counts.denominator, 0) as denominator,
        coalesce(group_counts.numerator, 0) as numerator,
        coalesce(group_counts.cohort_numerator, 0) as cohort_numerator
    from scaffold
    full outer join group_counts
        on
            scaffold.plan = group_counts.plan
            and scaffold.year = group_counts.year
            and scaffold.through_month = group_counts.through_month
            and scaffold.sector = group_counts.sector
            and scaffold.hosp_cont_type = group_counts.hosp_cont_type
            and scaffold.area_no_h = group_counts.area_no_h

),

with_periods as (

    select
        combined.*,
        periods.roc_year,
        periods.eligibility_year,
        periods.eligibility_year_data_months,
        periods.is_latest_through_month
    from combined
    left join periods
        on
            combined.year = periods.year
            and combined.through_month = periods.through_month

),

final as (

    select
        cast(plan as {{ dbt.type_string() }}) as plan,
        cast(year as integer) as year,
        cast(roc_year as integer) as roc_year,
        cast(through_month as integer) as through_month,
        {{ fee_month_start('cast(year * 100 + through_month as ' ~ dbt.type_string() ~ ')') }} as through_month_start,
        cast(eligibility_year as integer) as eligibility_year,
        cast(eligibility_year_data_months as integer) as eligibility_year_data_months,
        cast(coalesce(eligibility_year_data_months = 12, false) as boolean) as is_eligibility_year_complete,
        cast(is_latest_through_month as boolean) as is_latest_through_month,
        cast(sector as {{ dbt.type_string() }}) as sector,
        cast(hosp_cont_type as {{ dbt.type_string() }}) as hosp_cont_type,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(denominator as {{ dbt.type_bigint() }}) as denominator,
        cast(numerator as {{ dbt.type_bigint() }}) as numerator,
        cast(
            case when denominator > 0 then cast(numerator as double) / cast(denominator as double) end
            as double
        ) as coverage_rate,
        cast(cohort_numerator as {{ dbt.type_bigint() }}) as cohort_numerator,
        cast(
            case when denominator > 0 then cast(cohort_numerator as double) / cast(denominator as double) end
            as double
        ) as cohort_rate
    from with_periods

)

select * from final
