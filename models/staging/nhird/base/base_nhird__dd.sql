{{ config(materialized='view') }}

-- Inpatient claims (dd), typed, with the first contract rule each row breaks.

with source as (

    {{ typed_raw_rows(source('nhird', 'dd'), {
        'HOSP_ID': 'hosp_id',
        'FEE_YM': 'fee_ym',
        'APPL_TYPE': 'appl_type',
        'CASE_TYPE': 'case_type',
        'SEQ_NO': ['seq_no', 'integer'],
        'APPL_DATE': ['appl_date', 'date'],
        'ID': 'patient_id',
        'ID_BIRTHDAY': ['birth_date', 'date'],
        'ID_SEX': 'sex',
        'IN_DATE': ['admission_date', 'date'],
        'OUT_DATE': ['discharge_date', 'date'],
        'ICD_1': 'icd_1',
        'ICD_2': 'icd_2',
        'ICD_3': 'icd_3',
        'ICD_4': 'icd_4',
        'ICD_5': 'icd_5',
        'DRUG_DOT': ['drug_dot', 'bigint'],
        'DSVC_DOT': ['dsvc_dot', 'bigint'],
        'OTHER_DOT': ['other_dot', 'bigint'],
        'T_DOT': ['t_dot', 'bigint'],
        'PART_AMT': ['part_amt', 'bigint'],
        'T_APPL_DOT': ['t_appl_dot', 'bigint'],
        'DEDUCT_DOT': ['deduct_dot', 'bigint'],
    }) | indent(4) }}

),

typed as (

    select
        *,
        {{ fee_month_start('fee_ym', safe=true) }} as fee_month_first_day
    from source

),

checked as (

    select
        *,
        case
            when hosp_id is null or fee_ym is null or appl_type is null or case_type is null
                or seq_no is null or patient_id is null
                then 'missing_key'
            when not {{ is_valid_fee_ym('fee_ym') }} then 'invalid_fee_ym'
            when appl_type not in {{ contract_values('dd', 'APPL_TYPE') }} or sex is null
                or sex not in {{ contract_values('dd', 'ID_SEX') }}
                then 'invalid_code'
            when appl_date is null or admission_date is null or discharge_date is null or birth_date is null
                then 'invalid_date'
            when drug_dot is null or dsvc_dot is null or other_dot is null or t_dot is null
                or part_amt is null or t_appl_dot is null
                or (deduct_dot_text is not null and deduct_dot is null)
                or drug_dot < 0 or dsvc_dot < 0 or other_dot < 0 or t_dot < 0
                or part_amt < 0 or t_appl_dot < 0 or deduct_dot < 0
                then 'invalid_points'
            -- plausibility (docs/plausibility.md); the points bound first, so that the sums
            -- below never overflow
            when {{ is_above_bound(
                ['drug_dot', 'dsvc_dot', 'other_dot', 't_dot', 'part_amt', 't_appl_dot', 'deduct_dot'],
                'plausible_max_claim_points'
            ) }} then 'implausible_points'
            when t_dot != drug_dot + dsvc_dot + other_dot then 't_dot_mismatch'
            when t_appl_dot != t_dot - part_amt then 'appl_dot_mismatch'
            when discharge_date < admission_date then 'dates_out_of_order'
            when {{ is_implausible_age('birth_date', 'admission_date', 'discharge_date') }} then 'implausible_age'
            when {{ is_outside_fee_month('discharge_date', 'fee_month_first_day') }} then 'visit_outside_fee_month'
            when {{ is_late_application('appl_date', 'fee_month_first_day') }} then 'late_application'
        end as rule_name
    from typed

)

select * from checked
