-- 階1各院指標加權成長率 each hospital's indicator-weighted growth (slides 22-23, domain spec §9):
-- outpatient = Σ weight × growth of the outpatient indicators (persons, visits, registered and
-- visiting physicians) + outpatient CMI growth; inpatient likewise (persons, patient days,
-- nurses, CMI); combined = OPD_SHARE × outpatient + (1 − OPD_SHARE) × inpatient (a setting with
-- no weight is left out, so a hospital without inpatients needs no inpatient growth);
-- weighted = combined + FEE_ADJ_RATE + the year's cost-and-population growth rate. Also v, the
-- staff growth of the 階1 increment lookup: registered-physician + nurse growth.
-- Weights: seed prospective_indicator_weights by the quarter's first day; rate: seed
-- prospective_cost_population_growth by its year. Null where an input is missing.

with indicators as (

    select * from {{ ref('int_prospective_indicators_compared') }}

),

weights as (

    select * from {{ ref('prospective_indicator_weights') }}

),

cost_population as (

    select * from {{ ref('prospective_cost_population_growth') }}

),

applicable_weights as (

    select
        indicators.hosp_id,
        indicators.fee_quarter,
        max(case when weights.setting = 'OUTPATIENT' and weights.indicator = 'PERSONS' then weights.weight end)
            as w_out_persons,
        max(case when weights.setting = 'OUTPATIENT' and weights.indicator = 'VISITS' then weights.weight end)
            as w_out_visits,
        max(case when weights.setting = 'OUTPATIENT' and weights.indicator = 'REG_PHYSICIANS' then weights.weight end)
            as w_out_reg_physicians,
        max(case when weights.setting = 'OUTPATIENT' and weights.indicator = 'VISITING_PHYSICIANS' then weights.weight end)
            as w_out_visiting_physicians,
        max(case when weights.setting = 'OUTPATIENT' and weights.indicator = 'CMI' then weights.weight end)
            as w_out_cmi,
        max(case when weights.setting = 'INPATIENT' and weights.indicator = 'PERSONS' then weights.weight end)
            as w_inp_persons,
        max(case when weights.setting = 'INPATIENT' and weights.indicator = 'PATIENT_DAYS' then weights.weight end)
            as w_inp_patient_days,
        max(case when weights.setting = 'INPATIENT' and weights.indicator = 'NURSES' then weights.weight end)
            as w_inp_nurses,
        max(case when weights.setting = 'INPATIENT' and weights.indicator = 'CMI' then weights.weight end)
            as w_inp_cmi
    from indicators
    inner join weights
        on indicators.quarter_start >= weights.valid_from
            and (weights.valid_to is null or indicators.quarter_start <= weights.valid_to)
    group by indicators.hosp_id, indicators.fee_quarter

),

by_setting as (

    select
        indicators.*,
        cost_population.growth_rate as cost_population_growth,
        {{ prospective_rate(
            'applicable_weights.w_out_persons * indicators.opd_persons_growth'
            ~ ' + applicable_weights.w_out_visits * indicators.opd_visits_growth'
            ~ ' + applicable_weights.w_out_reg_physicians * indicators.reg_physicians_growth'
            ~ ' + applicable_weights.w_out_visiting_physicians * indicators.visiting_physicians_growth'
            ~ ' + applicable_weights.w_out_cmi * indicators.opd_cmi_growth'
        ) }} as opd_indicator_growth,
        {{ prospective_rate(
            'applicable_weights.w_inp_persons * indicators.ipd_persons_growth'
            ~ ' + applicable_weights.w_inp_patient_days * indicators.patient_days_growth'
            ~ ' + applicable_weights.w_inp_nurses * indicators.nurses_growth'
            ~ ' + applicable_weights.w_inp_cmi * indicators.ipd_cmi_growth'
        ) }} as ipd_indicator_growth
    from indicators
    left join applicable_weights
        on indicators.hosp_id = applicable_weights.hosp_id
            and indicators.fee_quarter = applicable_weights.fee_quarter
    left join cost_population
        on year(indicators.quarter_start) = cost_population.year

),

combined as (

    select
        *,
        {{ prospective_rate(
            '(case when opd_share = 0 then 0 else opd_share * opd_indicator_growth end)'
            ~ ' + (case when opd_share = 1 then 0 else (1 - opd_share) * ipd_indicator_growth end)'
        ) }} as combined_growth
    from by_setting

),

final as (

    select
        *,
        {{ prospective_rate('combined_growth + fee_adj_rate + cost_population_growth') }} as weighted_growth,
        {{ prospective_rate('reg_physicians_growth + nurses_growth') }} as staff_growth
    from combined

)

select * from final
