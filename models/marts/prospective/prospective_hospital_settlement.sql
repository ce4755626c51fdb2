-- 個別醫院前瞻式預算結算 the hospital prospective budget settlement per hospital and quarter
-- (domain spec §9, 002 slides 14-27): inputs, claims-derived indicators against the same quarter
-- a year earlier, indicator-weighted growth, the 階1 cap and increment, points per tier, and the
-- virtual income (paid) and recovered points at the default tier point values and at the
-- region's budget-fitted ones. Computed in int_prospective_settlements_computed; empty when the
-- extract has no hosp_prospective rows.

with settlements as (

    select * from {{ ref('int_prospective_settlements_computed') }}

),

final as (

    select
        cast(hosp_id as {{ dbt.type_string() }}) as hosp_id,
        cast(hosp_name as {{ dbt.type_string() }}) as hosp_name,
        cast(hosp_cont_type as {{ dbt.type_string() }}) as hosp_cont_type,
        cast(contract_type_zh as {{ dbt.type_string() }}) as contract_type_zh,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(region_zh as {{ dbt.type_string() }}) as region_zh,
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(base_quarter as {{ dbt.type_string() }}) as base_quarter,
        cast(size_class as {{ dbt.type_string() }}) as size_class,
        cast(settlement_status as {{ dbt.type_string() }}) as settlement_status,
        cast(incomplete_reason as {{ dbt.type_string() }}) as incomplete_reason,
        cast(claimed_points as bigint) as claimed_points,
        cast(special_budget_points as bigint) as special_budget_points,
        cast(deducted_points as bigint) as deducted_points,
        cast(approved_points as bigint) as approved_points,
        cast(base_points as bigint) as base_points,
        cast(opd_unit_price_growth as decimal(18, 10)) as opd_unit_price_growth,
        cast(opd_unit_price_reduction as bigint) as opd_unit_price_reduction,
        cast(ipd_unit_price_growth as decimal(18, 10)) as ipd_unit_price_growth,
        cast(ipd_unit_price_reduction as bigint) as ipd_unit_price_reduction,
        cast(unit_price_reduction_points as bigint) as unit_price_reduction_points,
        cast(base_points_adjusted as bigint) as base_points_adjusted,
        cast(protected_points as bigint) as protected_points,
        cast(excess_points as bigint) as excess_points,
        cast(opd_persons as bigint) as opd_persons,
        cast(opd_persons_base as bigint) as opd_persons_base,
        cast(opd_visits as bigint) as opd_visits,
        cast(opd_visits_base as bigint) as opd_visits_base,
        cast(visiting_physicians as bigint) as visiting_physicians,
        cast(visiting_physicians_base as bigint) as visiting_physicians_base,
        cast(reg_physicians as bigint) as reg_physicians,
        cast(reg_physicians_base as bigint) as reg_physicians_base,
        cast(ipd_persons as bigint) as ipd_persons,
        cast(ipd_persons_base as bigint) as ipd_persons_base,
        cast(patient_days as bigint) as patient_days,
        cast(patient_days_base as bigint) as patient_days_base,
        cast(nurses as bigint) as nurses,
        cast(nurses_base as bigint) as nurses_base,
        cast(opd_cmi as decimal(8, 4)) as opd_cmi,
        cast(opd_cmi_base as decimal(8, 4)) as opd_cmi_base,
        cast(ipd_cmi as decimal(8, 4)) as ipd_cmi,
        cast(ipd_cmi_base as decimal(8, 4)) as ipd_cmi_base,
        cast(opd_persons_growth as decimal(18, 10)) as opd_persons_growth,
        cast(opd_visits_growth as decimal(18, 10)) as opd_visits_growth,
        cast(reg_physicians_growth as decimal(18, 10)) as reg_physicians_growth,
        cast(visiting_physicians_growth as decimal(18, 10)) as visiting_physicians_growth,
        cast(opd_cmi_growth as decimal(18, 10)) as opd_cmi_growth,
        cast(ipd_persons_growth as decimal(18, 10)) as ipd_persons_growth,
        cast(patient_days_growth as decimal(18, 10)) as patient_days_growth,
        cast(nurses_growth as decimal(18, 10)) as nurses_growth,
        cast(ipd_cmi_growth as decimal(18, 10)) as ipd_cmi_growth,
        cast(opd_share as decimal(6, 4)) as opd_share,
        cast(opd_indicator_growth as decimal(18, 10)) as opd_indicator_growth,
        cast(ipd_indicator_growth as decimal(18, 10)) as ipd_indicator_growth,
        cast(combined_growth as decimal(18, 10)) as combined_growth,
        cast(fee_adj_rate as decimal(8, 6)) as fee_adj_rate,
        cast(cost_population_growth as decimal(8, 6)) as cost_population_growth,
        cast(weighted_growth as decimal(18, 10)) as weighted_growth,
        cast(y_growth as decimal(18, 10)) as y_growth,
        cast(staff_growth as decimal(18, 10)) as staff_growth,
        cast(w_growth as decimal(18, 10)) as w_growth,
        cast(tier1_increment as decimal(10, 6)) as tier1_increment,
        cast(tier1_rate as decimal(18, 10)) as tier1_rate,
        cast(tier2_width as decimal(10, 6)) as tier2_width,
        cast(tier3_width as decimal(10, 6)) as tier3_width,
        cast(tier1_width_points as bigint) as tier1_width_points,
        cast(tier2_width_points as bigint) as tier2_width_points,
        cast(tier3_width_points as bigint) as tier3_width_points,
        cast(tier1_points as bigint) as tier1_points,
        cast(tier2_points as bigint) as tier2_points,
        cast(tier3_points as bigint) as tier3_points,
        cast(tier4_points as bigint) as tier4_points,
        cast(highest_tier as integer) as highest_tier,
        cast(paid_points_default as decimal(20, 2)) as paid_points_default,
        cast(recovered_points_default as decimal(20, 2)) as recovered_points_default,
        cast(income_change_points_default as decimal(20, 2)) as income_change_points_default,
        cast(avg_pv_default as decimal(12, 8)) as avg_pv_default,
        cast(pv_band_default as {{ dbt.type_string() }}) as pv_band_default,
        cast(fitted_pv1 as decimal(4, 2)) as fitted_pv1,
        cast(fitted_pv2 as decimal(4, 2)) as fitted_pv2,
        cast(fitted_pv3 as decimal(4, 2)) as fitted_pv3,
        cast(paid_points_fitted as decimal(20, 2)) as paid_points_fitted,
        cast(recovered_points_fitted as decimal(20, 2)) as recovered_points_fitted,
        cast(income_change_points_fitted as decimal(20, 2)) as income_change_points_fitted,
        cast(avg_pv_fitted as decimal(12, 8)) as avg_pv_fitted,
        cast(pv_band_fitted as {{ dbt.type_string() }}) as pv_band_fitted
    from settlements

)

select * from final
