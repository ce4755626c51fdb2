{{ config(materialized='view') }}

-- Inpatient claims (dd), typed, with the first contract rule each row breaks.

with source as (

    select * from {{ source('nhird', 'dd') }}

),

cleaned as (

    select
        {{ clean_text('"HOSP_ID"') }} as hosp_id,
        {{ clean_text('"FEE_YM"') }} as fee_ym,
        {{ clean_text('"APPL_TYPE"') }} as appl_type,
        {{ clean_text('"CASE_TYPE"') }} as case_type,
        {{ clean_text('"SEQ_NO"') }} as seq_no_text,
        {{ clean_text('"APPL_DATE"') }} as appl_date_text,
        {{ clean_text('"ID"') }} as patient_id,
        {{ clean_text('"ID_BIRTHDAY"') }} as birth_date_text,
        {{ clean_text('"ID_SEX"') }} as sex,
        {{ clean_text('"IN_DATE"') }} as admission_date_text,
        {{ clean_text('"OUT_DATE"') }} as discharge_date_text,
        {{ clean_text('"ICD_1"') }} as icd_1,
        {{ clean_text('"ICD_2"') }} as icd_2,
        {{ clean_text('"ICD_3"') }} as icd_3,
        {{ clean_text('"ICD_4"') }} as icd_4,
        {{ clean_text('"ICD_5"') }} as icd_5,
        {{ clean_text('"DRUG_DOT"') }} as drug_dot_text,
        {{ clean_text('"DSVC_DOT"') }} as dsvc_dot_text,
        {{ clean_text('"OTHER_DOT"') }} as other_dot_text,
        {{ clean_text('"T_DOT"') }} as t_dot_text,
        {{ clean_text('"PART_AMT"') }} as part_amt_text,
        {{ clean_text('"T_APPL_DOT"') }} as t_appl_dot_text,
        {{ clean_text('"DEDUCT_DOT"') }} as deduct_dot_text,
        _source_file as source_file
    from source

),

typed as (

    select
        *,
        {{ dbt.safe_cast('seq_no_text', 'integer') }} as seq_no,
        {{ dbt.safe_cast('appl_date_text', 'date') }} as appl_date,
        {{ dbt.safe_cast('birth_date_text', 'date') }} as birth_date,
        {{ dbt.safe_cast('admission_date_text', 'date') }} as admission_date,
        {{ dbt.safe_cast('discharge_date_text', 'date') }} as discharge_date,
        {{ dbt.safe_cast('drug_dot_text', dbt.type_bigint()) }} as drug_dot,
        {{ dbt.safe_cast('dsvc_dot_text', dbt.type_bigint()) }} as dsvc_dot,
        {{ dbt.safe_cast('other_dot_text', dbt.type_bigint()) }} as other_dot,
        {{ dbt.safe_cast('t_dot_text', dbt.type_bigint()) }} as t_dot,
        {{ dbt.safe_cast('part_amt_text', dbt.type_bigint()) }} as part_amt,
        {{ dbt.safe_cast('t_appl_dot_text', dbt.type_bigint()) }} as t_appl_dot,
        {{ dbt.safe_cast('deduct_dot_text', dbt.type_bigint()) }} as deduct_dot,
        {{ fee_month_start('fee_ym', safe=true) }} as fee_month_first_day
    from cleaned

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
