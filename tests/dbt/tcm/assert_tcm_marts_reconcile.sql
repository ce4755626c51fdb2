-- The 中醫 marts agree with each other: per quarter and region the four fee items add up to the
-- case types' points (both are all TCM claims' points), and the regions add up to 'ALL' for points,
-- visits, excluded claims and institutions (an institution has one region). Patients and physicians
-- are distinct counts: 'ALL' may be less than the regions' sum, never more. Fails with the quarter
-- and region (or 'ALL') that disagrees.

with fee_items as (

    select
        fee_quarter,
        area_no_h,
        sum(points) as points
    from {{ ref('tcm_fee_item_points') }}
    group by fee_quarter, area_no_h

),

case_types as (

    select
        fee_quarter,
        area_no_h,
        sum(points) as points
    from {{ ref('tcm_case_type_points') }}
    group by fee_quarter, area_no_h

),

visits as (

    select
        fee_period as fee_quarter,
        sum(case when area_no_h = 'ALL' then visits else 0 end) as country_visits,
        sum(case when area_no_h <> 'ALL' then visits else 0 end) as region_visits,
        sum(case when area_no_h = 'ALL' then excluded_claims else 0 end) as country_excluded,
        sum(case when area_no_h <> 'ALL' then excluded_claims else 0 end) as region_excluded,
        sum(case when area_no_h = 'ALL' then patients else 0 end) as country_patients,
        sum(case when area_no_h <> 'ALL' then patients else 0 end) as region_patients
    from {{ ref('tcm_visits_per_patient') }}
    where period_kind = 'QUARTER'
    group by fee_period

),

providers as (

    select
        fee_quarter,
        sum(case when area_no_h = 'ALL' then institutions else 0 end) as country_institutions,
        sum(case when area_no_h <> 'ALL' then institutions else 0 end) as region_institutions,
        sum(case when area_no_h = 'ALL' then physicians else 0 end) as country_physicians,
        sum(case when area_no_h <> 'ALL' then physicians else 0 end) as region_physicians
    from {{ ref('tcm_providers') }}
    group by fee_quarter

),

points_disagree as (

    select
        fee_items.fee_quarter,
        fee_items.area_no_h,
        'fee items <> case types' as problem
    from fee_items
    left join case_types
        on fee_items.fee_quarter = case_types.fee_quarter
            and fee_items.area_no_h = case_types.area_no_h
    where fee_items.points <> coalesce(case_types.points, 0)

),

totals_disagree as (

    select
        visits.fee_quarter,
        'ALL' as area_no_h,
        'regions do not add up to ALL' as problem
    from visits
    inner join providers
        on visits.fee_quarter = providers.fee_quarter
    where visits.country_visits <> visits.region_visits
        or visits.country_excluded <> visits.region_excluded
        or visits.country_patients > visits.region_patients
        or providers.country_institutions <> providers.region_institutions
        or providers.country_physicians > providers.region_physicians

)

select * from points_disagree
union all
select * from totals_disagree
