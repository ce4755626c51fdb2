-- Outpatient claims (cd), typed, with the first contract rule each row breaks, identifiers
-- already pseudonymised and the birth date reduced to age (no raw identifier is stored).
-- Shared by stg_nhird__cd (valid rows) and stg_nhird__cd_rejected (quarantine).
-- The one read of the raw files: on DuckDB a table built by fee month (a run reads only the
-- raw files holding the months it rebuilds, docs/incremental.md), read by the staging,
-- quarantine and intermediate models of the table; a view on other engines.

{{ fee_month_model(
    inputs=['raw.cd'],
    fallback='view',
) }}

with source as (

    {{ typed_raw_rows(source('nhird', 'cd'), {
        'HOSP_ID': 'hosp_id',
        'FEE_YM': 'fee_ym',
        'APPL_TYPE': 'appl_type',
        'CASE_TYPE': 'case_type',
        'SEQ_NO': ['seq_no', 'integer'],
        'APPL_DATE': ['appl_date', 'date'],
        'ID': 'patient_id',
        'ID_BIRTHDAY': ['birth_date', 'date'],
        'ID_SEX': 'sex',
        'FUNC_DATE': ['visit_date', 'date'],
        'FUNC_TYPE': 'func_type',
        'PRSN_ID': 'physician_id',
        'ICD_1': 'icd_1',
        'ICD_2': 'icd_2',
        'ICD_3': 'icd_3',
        'PART_CODE': 'part_code',
        'DRUG_DAY': ['drug_day', 'integer'],
        'DRUG_DOT': ['drug_dot', 'bigint'],
        'DIAG_DOT': ['diag_dot', 'bigint'],
        'TREAT_DOT': ['treat_dot', 'bigint'],
        'DSVC_DOT': ['dsvc_dot', 'bigint'],
        'T_DOT': ['t_dot', 'bigint'],
        'PART_AMT': ['part_amt', 'bigint'],
        'T_APPL_DOT': ['t_appl_dot', 'bigint'],
        'DEDUCT_DOT': ['deduct_dot', 'bigint'],
        'ORIG_HOSP_ID': 'orig_hosp_id',
    }, where=fee_month_filter(clean_text('"FEE_YM"'), file_column='_source_file')) | indent(4) }}

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
            when appl_type not in {{ contract_values('cd', 'APPL_TYPE') }} or sex is null
                or sex not in {{ contract_values('cd', 'ID_SEX') }}
                then 'invalid_code'
            when appl_date is null or visit_date is null or birth_date is null then 'invalid_date'
            when drug_dot is null or diag_dot is null or treat_dot is null or dsvc_dot is null
                or t_dot is null or part_amt is null or t_appl_dot is null
                or (deduct_dot_text is not null and deduct_dot is null)
                or drug_dot < 0 or diag_dot < 0 or treat_dot < 0 or dsvc_dot < 0
                or t_dot < 0 or part_amt < 0 or t_appl_dot < 0 or deduct_dot < 0
                or (drug_day_text is not null and drug_day is null)
                then 'invalid_points'
            -- plausibility (docs/plausibility.md); the points bound first, so that the sums
            -- below never overflow
            when {{ is_above_bound(
                ['drug_dot', 'diag_dot', 'treat_dot', 'dsvc_dot', 't_dot', 'part_amt', 't_appl_dot', 'deduct_dot'],
                'plausible_max_claim_points'
            ) }} then 'implausible_points'
            when t_dot != drug_dot + diag_dot + treat_dot + dsvc_dot then 't_dot_mismatch'
            when t_appl_dot != t_dot - part_amt then 'appl_dot_mismatch'
            when appl_date < visit_date then 'appl_before_visit'
            when {{ is_out_of_range('drug_day', 'plausible_max_drug_days') }} then 'implausible_drug_days'
            when {{ is_implausible_age('birth_date', 'visit_date', 'visit_date') }} then 'implausible_age'
            when {{ is_outside_fee_month('visit_date', 'fee_month_first_day') }} then 'visit_outside_fee_month'
            when {{ is_late_application('appl_date', 'fee_month_first_day') }} then 'late_application'
        end as rule_name
    from typed

),

final as (

    select
        hosp_id,
        fee_ym,
        appl_type,
        case_type,
        seq_no_text,
        seq_no,
        appl_date,
        {{ pseudonymise('patient_id') }} as patient_key,
        {{ pseudonymise('physician_id') }} as physician_key,
        sex,
        {{ age_in_years('birth_date', 'visit_date') }} as age,
        visit_date,
        func_type,
        icd_1,
        icd_2,
        icd_3,
        part_code,
        drug_day,
        drug_dot,
        diag_dot,
        treat_dot,
        dsvc_dot,
        t_dot,
        part_amt,
        t_appl_dot,
        deduct_dot,
        orig_hosp_id,
        rule_name,
        -- content of a rejected row (every cleaned raw value), to report a re-delivered
        -- rejected row once (stg_nhird__cd_rejected)
        case when rule_name is not null then {{ row_hash([
            'hosp_id', 'fee_ym', 'appl_type', 'case_type', 'seq_no_text', 'appl_date_text', 'patient_id',
            'birth_date_text', 'sex', 'visit_date_text', 'func_type', 'physician_id', 'icd_1', 'icd_2', 'icd_3',
            'part_code', 'drug_day_text', 'drug_dot_text', 'diag_dot_text', 'treat_dot_text', 'dsvc_dot_text',
            't_dot_text', 'part_amt_text', 't_appl_dot_text', 'deduct_dot_text', 'orig_hosp_id'
        ]) }} end as row_hash,
        source_file
    from checked

)

select * from final
