-- Each scheme hospital's inputs (hosp_prospective) beside what its claims say for the settled
-- quarter and the base quarter (int_prospective_claims_measured), with the growth of every
-- indicator of slide 22 (current / base − 1, null without a base): outpatient persons, visits,
-- visiting physicians and CMI, registered physicians, inpatient persons, patient days, nurses and
-- CMI. Rows of institutions that are not hospitals of hosb are quarantined
-- (int_prospective_inputs_quarantined), not compared.

with inputs as (

    select * from {{ ref('stg_nhird__hosp_prospective') }}

),

institutions as (

    select * from {{ ref('int_institutions_classified') }}

),

measured as (

    select * from {{ ref('int_prospective_claims_measured') }}

),

hospitals as (

    select
        inputs.*,
        {{ year_earlier_quarter('inputs.fee_quarter') }} as base_quarter,
        {{ quarter_start_date('inputs.fee_quarter') }} as quarter_start,
        institutions.hosp_name,
        institutions.hosp_cont_type,
        institutions.contract_type_zh,
        institutions.area_no_h,
        institutions.region_zh
    from inputs
    inner join institutions
        on inputs.hosp_id = institutions.hosp_id
    where institutions.institution_sector = 'HOSPITAL'

),

compared as (

    select
        hospitals.*,
        coalesce(current_quarter.opd_points, 0) as opd_points,
        coalesce(current_quarter.ipd_points, 0) as ipd_points,
        coalesce(current_quarter.claimed_points, 0) as claimed_points,
        coalesce(current_quarter.special_budget_points, 0) as special_budget_points,
        coalesce(current_quarter.deducted_points, 0) as deducted_points,
        coalesce(current_quarter.approved_points, 0) as approved_points,
        coalesce(current_quarter.opd_persons, 0) as opd_persons,
        coalesce(current_quarter.opd_visits, 0) as opd_visits,
        coalesce(current_quarter.visiting_physicians, 0) as visiting_physicians,
        coalesce(current_quarter.ipd_persons, 0) as ipd_persons,
        coalesce(current_quarter.patient_days, 0) as patient_days,
        coalesce(base_quarter.opd_points, 0) as opd_points_base,
        coalesce(base_quarter.ipd_points, 0) as ipd_points_base,
        coalesce(base_quarter.opd_persons, 0) as opd_persons_base,
        coalesce(base_quarter.opd_visits, 0) as opd_visits_base,
        coalesce(base_quarter.visiting_physicians, 0) as visiting_physicians_base,
        coalesce(base_quarter.ipd_persons, 0) as ipd_persons_base,
        coalesce(base_quarter.patient_days, 0) as patient_days_base
    from hospitals
    left join measured as current_quarter
        on hospitals.hosp_id = current_quarter.hosp_id
            and hospitals.fee_quarter = current_quarter.fee_quarter
    left join measured as base_quarter
        on hospitals.hosp_id = base_quarter.hosp_id
            and hospitals.base_quarter = base_quarter.fee_quarter

),

final as (

    select
        cast(hosp_id as {{ dbt.type_string() }}) as hosp_id,
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(base_quarter as {{ dbt.type_string() }}) as base_quarter,
        cast(quarter_start as date) as quarter_start,
        cast(hosp_name as {{ dbt.type_string() }}) as hosp_name,
        cast(hosp_cont_type as {{ dbt.type_string() }}) as hosp_cont_type,
        cast(contract_type_zh as {{ dbt.type_string() }}) as contract_type_zh,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(region_zh as {{ dbt.type_string() }}) as region_zh,
        cast(base_points as bigint) as base_points,
        cast(protected_points as bigint) as protected_points,
        cast(opd_share as decimal(6, 4)) as opd_share,
        cast(fee_adj_rate as decimal(8, 6)) as fee_adj_rate,
        cast(coalesce(base_avg_pv, {{ var('prospective_base_avg_pv') }}) as decimal(8, 4)) as base_avg_pv,
        cast(opd_points as bigint) as opd_points,
        cast(ipd_points as bigint) as ipd_points,
        cast(claimed_points as bigint) as claimed_points,
        cast(special_budget_points as bigint) as special_budget_points,
        cast(deducted_points as bigint) as deducted_points,
        cast(approved_points as bigint) as approved_points,
        cast(opd_points_base as bigint) as opd_points_base,
        cast(ipd_points_base as bigint) as ipd_points_base,
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
        {{ prospective_growth('opd_persons', 'opd_persons_base') }} as opd_persons_growth,
        {{ prospective_growth('opd_visits', 'opd_visits_base') }} as opd_visits_growth,
        {{ prospective_growth('reg_physicians', 'reg_physicians_base') }} as reg_physicians_growth,
        {{ prospective_growth('visiting_physicians', 'visiting_physicians_base') }} as visiting_physicians_growth,
        {{ prospective_growth('opd_cmi', 'opd_cmi_base') }} as opd_cmi_growth,
        {{ prospective_growth('ipd_persons', 'ipd_persons_base') }} as ipd_persons_growth,
        {{ prospective_growth('patient_days', 'patient_days_base') }} as patient_days_growth,
        {{ prospective_growth('nurses', 'nurses_base') }} as nurses_growth,
        {{ prospective_growth('ipd_cmi', 'ipd_cmi_base') }} as ipd_cmi_growth
    from compared

)

select * from final
