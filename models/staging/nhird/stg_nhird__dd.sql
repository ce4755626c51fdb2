-- Inpatient claims (住院醫療費用清單明細檔): valid rows, one per natural key, pseudonymised.

with checked as (

    select * from {{ ref('base_nhird__dd') }}
    where rule_name is null

),

deduplicated as (

    {{ dedupe_latest(
        'checked',
        ['hosp_id', 'fee_ym', 'appl_type', 'case_type', 'seq_no'],
        'appl_date desc, source_file desc, t_dot desc, patient_id, admission_date'
    ) }}

),

derived as (

    select
        hosp_id,
        fee_ym,
        appl_type,
        case_type,
        seq_no,
        appl_date,
        {{ fee_month_start('fee_ym') }} as fee_month_start,
        cast(substr(fee_ym, 1, 4) as integer) as fee_year,
        {{ fee_quarter('fee_ym') }} as fee_quarter,
        {{ roc_quarter('fee_ym') }} as roc_quarter,
        {{ pseudonymise('patient_id') }} as patient_key,
        sex,
        {{ age_in_years('birth_date', 'admission_date') }} as age,
        admission_date,
        discharge_date,
        icd_1,
        icd_2,
        icd_3,
        icd_4,
        icd_5,
        drug_dot,
        dsvc_dot,
        other_dot,
        t_dot,
        part_amt,
        t_appl_dot,
        deduct_dot
    from deduplicated

),

final as (

    select
        hosp_id,
        fee_ym,
        appl_type,
        case_type,
        seq_no,
        appl_date,
        fee_month_start,
        fee_year,
        fee_quarter,
        roc_quarter,
        patient_key,
        sex,
        age,
        {{ age_band('age') }} as age_band,
        admission_date,
        discharge_date,
        icd_1,
        icd_2,
        icd_3,
        icd_4,
        icd_5,
        drug_dot,
        dsvc_dot,
        other_dot,
        t_dot,
        part_amt,
        t_appl_dot,
        deduct_dot
    from derived

)

select * from final
