-- Outpatient claims (cd), typed, with the first contract rule each row breaks, identifiers
-- already pseudonymised and the birth date reduced to age (no raw identifier is stored).
-- Shared by stg_nhird__cd (valid rows) and stg_nhird__cd_rejected (quarantine).
-- The one read of the raw files: on DuckDB a table built by fee month (a run reads only the
-- raw files holding the months it rebuilds, docs/incremental.md), read by the staging,
-- quarantine and intermediate models of the table; a view on other engines.

{{ config(
    materialized=incremental_on_duckdb('view'),
    incremental_strategy='append',
    pre_hook="{{ delete_fee_months() }}",
    post_hook="{{ record_fee_months() }}",
    meta={'fee_month': {'inputs': ['raw.cd']}},
) }}

with source as (

    select * from {{ source('nhird', 'cd') }}
    where true
    {{ fee_month_filter(clean_text('"FEE_YM"'), file_column='_source_file') }}

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
        {{ clean_text('"FUNC_DATE"') }} as visit_date_text,
        {{ clean_text('"FUNC_TYPE"') }} as func_type,
        {{ clean_text('"PRSN_ID"') }} as physician_id,
        {{ clean_text('"ICD_1"') }} as icd_1,
        {{ clean_text('"ICD_2"') }} as icd_2,
        {{ clean_text('"ICD_3"') }} as icd_3,
        {{ clean_text('"PART_CODE"') }} as part_code,
        {{ clean_text('"DRUG_DAY"') }} as drug_day_text,
        {{ clean_text('"DRUG_DOT"') }} as drug_dot_text,
        {{ clean_text('"DIAG_DOT"') }} as diag_dot_text,
        {{ clean_text('"TREAT_DOT"') }} as treat_dot_text,
        {{ clean_text('"DSVC_DOT"') }} as dsvc_dot_text,
        {{ clean_text('"T_DOT"') }} as t_dot_text,
        {{ clean_text('"PART_AMT"') }} as part_amt_text,
        {{ clean_text('"T_APPL_DOT"') }} as t_appl_dot_text,
        {{ clean_text('"DEDUCT_DOT"') }} as deduct_dot_text,
        {{ clean_text('"ORIG_HOSP_ID"') }} as orig_hosp_id,
        _source_file as source_file
    from source

),

typed as (

    select
        *,
        {{ dbt.safe_cast('seq_no_text', 'integer') }} as seq_no,
        {{ dbt.safe_cast('appl_date_text', 'date') }} as appl_date,
        {{ dbt.safe_cast('birth_date_text', 'date') }} as birth_date,
        {{ dbt.safe_cast('visit_date_text', 'date') }} as visit_date,
        {{ dbt.safe_cast('drug_day_text', 'integer') }} as drug_day,
        {{ dbt.safe_cast('drug_dot_text', dbt.type_bigint()) }} as drug_dot,
        {{ dbt.safe_cast('diag_dot_text', dbt.type_bigint()) }} as diag_dot,
        {{ dbt.safe_cast('treat_dot_text', dbt.type_bigint()) }} as treat_dot,
        {{ dbt.safe_cast('dsvc_dot_text', dbt.type_bigint()) }} as dsvc_dot,
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
