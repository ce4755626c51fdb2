-- What the claims say about each scheme hospital in its settled quarter and in the base quarter
-- (the same quarter one year earlier), domain spec §9: general-service points of the HOSPITAL
-- sector (special-budget items excluded as for point values, int_general_service_claims_split)
-- claimed and deducted, outpatient persons (歸戶人數), visits (人次 = claims) and visiting
-- physicians (看診醫師), inpatient persons and patient days (住院人日 = discharge − admission, a
-- same-day stay counts one day). Only hospitals and quarters named by hosp_prospective rows.

with inputs as (

    select * from {{ ref('stg_nhird__hosp_prospective') }}

),

claims as (

    select * from {{ ref('int_general_service_claims_split') }}

),

outpatient_claims as (

    select * from {{ ref('int_outpatient_claims_classified') }}

),

inpatient_claims as (

    select * from {{ ref('int_inpatient_claims_classified') }}

),

wanted as (

    select distinct
        hosp_id,
        fee_quarter
    from (
        select
            hosp_id,
            fee_quarter
        from inputs
        union all
        select
            hosp_id,
            {{ year_earlier_quarter('fee_quarter') }} as fee_quarter
        from inputs
    ) as quarters

),

hospital_claims as (

    select claims.*
    from claims
    inner join wanted
        on claims.hosp_id = wanted.hosp_id
            and claims.fee_quarter = wanted.fee_quarter
    where claims.sector = 'HOSPITAL'

),

described as (

    select
        hospital_claims.*,
        outpatient_claims.physician_key,
        case
            when hospital_claims.setting = 'INPATIENT'
                then greatest({{ days_between('inpatient_claims.admission_date', 'inpatient_claims.discharge_date') }}, 1)
        end as patient_days
    from hospital_claims
    left join outpatient_claims
        on hospital_claims.setting = 'OUTPATIENT'
            and hospital_claims.hosp_id = outpatient_claims.hosp_id
            and hospital_claims.fee_ym = outpatient_claims.fee_ym
            and hospital_claims.appl_type = outpatient_claims.appl_type
            and hospital_claims.case_type = outpatient_claims.case_type
            and hospital_claims.seq_no = outpatient_claims.seq_no
    left join inpatient_claims
        on hospital_claims.setting = 'INPATIENT'
            and hospital_claims.hosp_id = inpatient_claims.hosp_id
            and hospital_claims.fee_ym = inpatient_claims.fee_ym
            and hospital_claims.appl_type = inpatient_claims.appl_type
            and hospital_claims.case_type = inpatient_claims.case_type
            and hospital_claims.seq_no = inpatient_claims.seq_no

),

measured as (

    select
        hosp_id,
        fee_quarter,
        sum(case when setting = 'OUTPATIENT' then points else 0 end) as opd_points,
        sum(case when setting = 'INPATIENT' then points else 0 end) as ipd_points,
        sum(special_budget_points) as special_budget_points,
        sum(deducted_points) as deducted_points,
        count(distinct case when setting = 'OUTPATIENT' and is_general_service then patient_key end) as opd_persons,
        sum(case when setting = 'OUTPATIENT' and is_general_service then 1 else 0 end) as opd_visits,
        count(distinct case when setting = 'OUTPATIENT' and is_general_service then physician_key end)
            as visiting_physicians,
        count(distinct case when setting = 'INPATIENT' and is_general_service then patient_key end) as ipd_persons,
        sum(case when setting = 'INPATIENT' and is_general_service then patient_days else 0 end) as patient_days
    from described
    group by hosp_id, fee_quarter

),

final as (

    select
        cast(hosp_id as {{ dbt.type_string() }}) as hosp_id,
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(opd_points as bigint) as opd_points,
        cast(ipd_points as bigint) as ipd_points,
        cast(opd_points + ipd_points as bigint) as claimed_points,
        cast(special_budget_points as bigint) as special_budget_points,
        cast(deducted_points as bigint) as deducted_points,
        cast(opd_points + ipd_points - deducted_points as bigint) as approved_points,
        cast(opd_persons as bigint) as opd_persons,
        cast(opd_visits as bigint) as opd_visits,
        cast(visiting_physicians as bigint) as visiting_physicians,
        cast(ipd_persons as bigint) as ipd_persons,
        cast(patient_days as bigint) as patient_days
    from measured

)

select * from final
