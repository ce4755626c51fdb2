-- Every outpatient (cd) and inpatient (dd) claim with the sector (總額部門) and region (分區) its
-- points count in (domain spec §1-2). A 交付 claim - a prescription written elsewhere and
-- dispensed here, cd.ORIG_HOSP_ID naming a prescribing institution known to hosb - counts in the
-- prescriber's sector and region: 「交付機構資料點數計，但件數不計」 (source 000, footnote 4: its
-- points count there, its claim is not counted; source 002: 醫療費用含交付處方). The sector
-- follows the same rule as every claim (macro claim_sector) with the prescriber in place of the
-- dispensing institution. A claim whose ORIG_HOSP_ID is unknown to hosb is quarantined
-- (int_claims_quarantined, unknown_prescriber) and does not reach the classified claims; every
-- claim of an extract without the optional column keeps its own classification.
-- On DuckDB built by fee month: a run recomputes the fee months whose outpatient or inpatient
-- claims changed; a changed institution table rebuilds every month (docs/incremental.md).

{{ fee_month_model(
    inputs=['int_outpatient_claims_classified'],
    monthly_rows=['int_inpatient_claims_classified'],
    joined=['int_institutions_classified'],
) }}

with outpatient_claims as (

    select classified.* from {{ ref('int_outpatient_claims_classified') }} as classified
    where true
    {{ fee_month_filter('classified.fee_ym') }}

),

inpatient_claims as (

    select classified.* from {{ ref('int_inpatient_claims_classified') }} as classified
    where true
    {{ fee_month_filter('classified.fee_ym') }}

),

institutions as (

    select * from {{ ref('int_institutions_classified') }}

),

case_types as (

    select * from {{ ref('case_types') }}

),

outpatient_attributed as (

    select
        outpatient_claims.*,
        prescribers.hosp_id is not null as is_delivered,
        coalesce(prescribers.area_no_h, outpatient_claims.area_no_h) as attributed_area_no_h,
        coalesce(prescribers.hosp_cont_type, outpatient_claims.hosp_cont_type) as attributed_hosp_cont_type,
        case
            when prescribers.hosp_id is not null
                then {{ claim_sector('case_types.sector_rule', 'prescribers.institution_sector') }}
            else outpatient_claims.sector
        end as attributed_sector
    from outpatient_claims
    left join institutions as prescribers
        on outpatient_claims.orig_hosp_id = prescribers.hosp_id
    left join case_types
        on outpatient_claims.case_type = case_types.case_type

),

claims as (

    select
        'OUTPATIENT' as setting,
        hosp_id,
        orig_hosp_id,
        is_delivered,
        fee_ym,
        appl_type,
        case_type,
        seq_no,
        appl_date,
        fee_month_start,
        fee_quarter,
        roc_quarter,
        patient_key,
        attributed_area_no_h as area_no_h,
        attributed_sector as sector,
        attributed_hosp_cont_type as hosp_cont_type,
        t_dot,
        drug_dot,
        diag_dot,
        treat_dot,
        dsvc_dot,
        cast(0 as bigint) as other_dot,
        deduct_dot
    from outpatient_attributed

    union all

    select
        'INPATIENT' as setting,
        hosp_id,
        cast(null as {{ dbt.type_string() }}) as orig_hosp_id,
        false as is_delivered,
        fee_ym,
        appl_type,
        case_type,
        seq_no,
        appl_date,
        fee_month_start,
        fee_quarter,
        roc_quarter,
        patient_key,
        area_no_h,
        sector,
        hosp_cont_type,
        t_dot,
        drug_dot,
        cast(0 as bigint) as diag_dot,
        cast(0 as bigint) as treat_dot,
        dsvc_dot,
        other_dot,
        deduct_dot
    from inpatient_claims

),

final as (

    select
        cast(setting as {{ dbt.type_string() }}) as setting,
        cast(hosp_id as {{ dbt.type_string() }}) as hosp_id,
        cast(orig_hosp_id as {{ dbt.type_string() }}) as orig_hosp_id,
        cast(is_delivered as boolean) as is_delivered,
        cast(fee_ym as {{ dbt.type_string() }}) as fee_ym,
        cast(appl_type as {{ dbt.type_string() }}) as appl_type,
        cast(case_type as {{ dbt.type_string() }}) as case_type,
        cast(seq_no as integer) as seq_no,
        cast(appl_date as date) as appl_date,
        cast(fee_month_start as date) as fee_month_start,
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(patient_key as {{ dbt.type_string() }}) as patient_key,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(sector as {{ dbt.type_string() }}) as sector,
        cast(hosp_cont_type as {{ dbt.type_string() }}) as hosp_cont_type,
        cast(t_dot as bigint) as t_dot,
        cast(drug_dot as bigint) as drug_dot,
        cast(diag_dot as bigint) as diag_dot,
        cast(treat_dot as bigint) as treat_dot,
        cast(dsvc_dot as bigint) as dsvc_dot,
        cast(other_dot as bigint) as other_dot,
        cast(deduct_dot as bigint) as deduct_dot
    from claims

)

select * from final
