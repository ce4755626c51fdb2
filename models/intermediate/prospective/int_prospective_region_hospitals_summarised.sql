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

    select area_no_h, fee_quarter from caps
    union
    select area_no_h, fee_quarter from settlements

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
        sum(case when settlement_status = 'NO_EXCESS' then 1 else 0 end) as hospitals_no_excess,
        sum(case when unit_price_reduction_points > 0 then 1 else 0 end) as hospitals_unit_price_adjusted,
        {%- for tier in [1, 2, 3, 4] %}
        sum(case when highest_tier = {{ tier }} then 1 else 0 end) as hospitals_highest_tier_{{ tier }},
        sum(case when highest_tier >= {{ tier }} then 1 else 0 end) as hospitals_reaching_tier_{{ tier }},
        {%- endfor %}
        {%- for kind in ['default', 'fitted'] %}
        sum(paid_points_{{ kind }}) as paid_points_{{ kind }},
        sum(recovered_points_{{ kind }}) as discounted_points_{{ kind }},
        {%- endfor %}
        sum(case when pv_band_fitted = 'GE_098' then 1 else 0 end) as hospitals_pv_ge_098,
        sum(case when pv_band_fitted = 'B095_097' then 1 else 0 end) as hospitals_pv_095_097,
        sum(case when pv_band_fitted = 'B090_094' then 1 else 0 end) as hospitals_pv_090_094,
        sum(case when pv_band_fitted = 'LT_090' then 1 else 0 end) as hospitals_pv_lt_090
    from settlements
    group by area_no_h, fee_quarter

),

without_inputs as (

    select
        region_quarters.area_no_h,
        region_quarters.fee_quarter,
        count(*) as hospitals_without_inputs
    from region_quarters
    inner join institutions
        on region_quarters.area_no_h = institutions.area_no_h
            and institutions.institution_sector = 'HOSPITAL'
            and institutions.contract_start_date <= {{ prospective_quarter_start('region_quarters.fee_quarter') }}
            and (
                institutions.contract_end_date is null
                or institutions.contract_end_date >= {{ prospective_quarter_start('region_quarters.fee_quarter') }}
            )
    left join settlements
        on region_quarters.fee_quarter = settlements.fee_quarter
            and institutions.hosp_id = settlements.hosp_id
    where settlements.hosp_id is null
    group by region_quarters.area_no_h, region_quarters.fee_quarter

),

final as (

    select
        region_quarters.area_no_h,
        region_quarters.fee_quarter,
        coalesce(without_inputs.hospitals_without_inputs, 0) as hospitals_without_inputs,
        {%- for column in [
            'approved_points', 'deducted_points', 'base_points', 'base_points_adjusted', 'protected_points',
            'excess_points', 'paid_points_default', 'discounted_points_default', 'paid_points_fitted',
            'discounted_points_fitted'
        ] %}
        hospitals_settled.{{ column }},
        {%- endfor %}
        {%- for column in [
            'hospitals_no_excess', 'hospitals_unit_price_adjusted',
            'hospitals_highest_tier_1', 'hospitals_highest_tier_2', 'hospitals_highest_tier_3', 'hospitals_highest_tier_4',
            'hospitals_reaching_tier_1', 'hospitals_reaching_tier_2', 'hospitals_reaching_tier_3', 'hospitals_reaching_tier_4',
            'hospitals_pv_ge_098', 'hospitals_pv_095_097', 'hospitals_pv_090_094', 'hospitals_pv_lt_090'
        ] %}
        coalesce(hospitals_settled.{{ column }}, 0) as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from region_quarters
    left join hospitals_settled
        on region_quarters.area_no_h = hospitals_settled.area_no_h
            and region_quarters.fee_quarter = hospitals_settled.fee_quarter
    left join without_inputs
        on region_quarters.area_no_h = without_inputs.area_no_h
            and region_quarters.fee_quarter = without_inputs.fee_quarter

)

select * from final
