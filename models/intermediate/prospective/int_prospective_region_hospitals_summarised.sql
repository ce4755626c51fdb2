-- The scheme hospitals of each region and quarter summed up for the region summary (002 slide
-- 16): points, hospitals without excess, by the highest tier they reach and reaching each tier,
-- with a unit-price adjustment, per average-point-value band (fitted values); paid and recovered
-- (discounted) points at default and fitted values; and the region's hospitals (hosb, HOSPITAL
-- sector, contracted on the quarter's first day) that have no hosp_prospective row.
-- One row per region and quarter of prospective_region or of a scheme hospital.

with caps as (

    select * from {{ ref('int_prospective_region_caps_computed') }}

),

settlements as (

    select * from {{ ref('int_prospective_settlements_computed') }}

),

institutions as (

    select * from {{ ref('int_institutions_classified') }}

),

region_quarters as (

    select
        area_no_h,
        fee_quarter
    from caps
    union
    select
        area_no_h,
        fee_quarter
    from settlements

),

hospitals_settled as (

    select
        area_no_h,
        fee_quarter,
        sum(approved_points) as approved_points,
        sum(deducted_points) as deducted_points,
        sum(base_points) as base_points,
        sum(base_points_adjusted) as base_points_adjusted,
        sum(protected_points) as protected_points,
        sum(excess_points) as excess_points,
        sum(paid_points_default) as paid_points_default,
        sum(recovered_points_default) as discounted_points_default,
        sum(paid_points_fitted) as paid_points_fitted,
        sum(recovered_points_fitted) as discounted_points_fitted,
        sum(case when settlement_status = 'NO_EXCESS' then 1 else 0 end) as hospitals_no_excess,
        sum(case when unit_price_reduction_points > 0 then 1 else 0 end) as hospitals_unit_price_adjusted,
        sum(case when highest_tier = 1 then 1 else 0 end) as hospitals_highest_tier_1,
        sum(case when highest_tier = 2 then 1 else 0 end) as hospitals_highest_tier_2,
        sum(case when highest_tier = 3 then 1 else 0 end) as hospitals_highest_tier_3,
        sum(case when highest_tier = 4 then 1 else 0 end) as hospitals_highest_tier_4,
        sum(case when highest_tier >= 1 then 1 else 0 end) as hospitals_reaching_tier_1,
        sum(case when highest_tier >= 2 then 1 else 0 end) as hospitals_reaching_tier_2,
        sum(case when highest_tier >= 3 then 1 else 0 end) as hospitals_reaching_tier_3,
        sum(case when highest_tier >= 4 then 1 else 0 end) as hospitals_reaching_tier_4,
        sum(case when pv_band_fitted = 'GE_098' then 1 else 0 end) as hospitals_pv_ge_098,
        sum(case when pv_band_fitted = 'B095_097' then 1 else 0 end) as hospitals_pv_095_097,
        sum(case when pv_band_fitted = 'B090_094' then 1 else 0 end) as hospitals_pv_090_094,
        sum(case when pv_band_fitted = 'LT_090' then 1 else 0 end) as hospitals_pv_lt_090
    from settlements
    group by area_no_h, fee_quarter

),

region_hospitals as (

    select
        region_quarters.area_no_h,
        region_quarters.fee_quarter,
        institutions.hosp_id
    from region_quarters
    inner join institutions
        on region_quarters.area_no_h = institutions.area_no_h
    where
        institutions.institution_sector = 'HOSPITAL'
        and institutions.contract_start_date <= {{ quarter_start_date('region_quarters.fee_quarter') }}
        and (
            institutions.contract_end_date is null
            or institutions.contract_end_date >= {{ quarter_start_date('region_quarters.fee_quarter') }}
        )

),

without_inputs as (

    select
        region_hospitals.area_no_h,
        region_hospitals.fee_quarter,
        count(*) as hospitals_without_inputs
    from region_hospitals
    left join settlements
        on
            region_hospitals.fee_quarter = settlements.fee_quarter
            and region_hospitals.hosp_id = settlements.hosp_id
    where settlements.hosp_id is null
    group by region_hospitals.area_no_h, region_hospitals.fee_quarter

),

final as (

    select
        region_quarters.area_no_h,
        region_quarters.fee_quarter,
        coalesce(without_inputs.hospitals_without_inputs, 0) as hospitals_without_inputs,
        hospitals_settled.approved_points,
        hospitals_settled.deducted_points,
        hospitals_settled.base_points,
        hospitals_settled.base_points_adjusted,
        hospitals_settled.protected_points,
        hospitals_settled.excess_points,
        hospitals_settled.paid_points_default,
        hospitals_settled.discounted_points_default,
        hospitals_settled.paid_points_fitted,
        hospitals_settled.discounted_points_fitted,
        coalesce(hospitals_settled.hospitals_no_excess, 0) as hospitals_no_excess,
        coalesce(hospitals_settled.hospitals_unit_price_adjusted, 0) as hospitals_unit_price_adjusted,
        coalesce(hospitals_settled.hospitals_highest_tier_1, 0) as hospitals_highest_tier_1,
        coalesce(hospitals_settled.hospitals_highest_tier_2, 0) as hospitals_highest_tier_2,
        coalesce(hospitals_settled.hospitals_highest_tier_3, 0) as hospitals_highest_tier_3,
        coalesce(hospitals_settled.hospitals_highest_tier_4, 0) as hospitals_highest_tier_4,
        coalesce(hospitals_settled.hospitals_reaching_tier_1, 0) as hospitals_reaching_tier_1,
        coalesce(hospitals_settled.hospitals_reaching_tier_2, 0) as hospitals_reaching_tier_2,
        coalesce(hospitals_settled.hospitals_reaching_tier_3, 0) as hospitals_reaching_tier_3,
        coalesce(hospitals_settled.hospitals_reaching_tier_4, 0) as hospitals_reaching_tier_4,
        coalesce(hospitals_settled.hospitals_pv_ge_098, 0) as hospitals_pv_ge_098,
        coalesce(hospitals_settled.hospitals_pv_095_097, 0) as hospitals_pv_095_097,
        coalesce(hospitals_settled.hospitals_pv_090_094, 0) as hospitals_pv_090_094,
        coalesce(hospitals_settled.hospitals_pv_lt_090, 0) as hospitals_pv_lt_090
    from region_quarters
    left join hospitals_settled
        on
            region_quarters.area_no_h = hospitals_settled.area_no_h
            and region_quarters.fee_quarter = hospitals_settled.fee_quarter
    left join without_inputs
        on
            region_quarters.area_no_h = without_inputs.area_no_h
            and region_quarters.fee_quarter = without_inputs.fee_quarter

)

select * from final
