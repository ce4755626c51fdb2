-- Outpatient claims (門診處方及治療明細檔): valid rows, one per natural key, pseudonymised
-- (in base_nhird__cd).
-- On DuckDB built by fee month: a run recomputes the fee months whose raw files changed, from
-- every row of those months, so the latest-APPL_DATE winner is the one a full build picks
-- (docs/incremental.md). Ties on APPL_DATE and file go to the larger T_DOT, then the smaller
-- patient_key.

{{ fee_month_model(
    inputs=['base_nhird__cd'],
) }}

with checked as (

    select landed.* from {{ ref('base_nhird__cd') }} as landed
    where landed.rule_name is null
    {{ fee_month_filter('landed.fee_ym') }}

),

deduplicated as (

    {{ dedupe_latest(
        'checked',
        ['hosp_id', 'fee_ym', 'appl_type', 'case_type', 'seq_no'],
        'appl_date desc, source_file desc, t_dot desc, patient_key, visit_date'
    ) }}

),

final as (

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
        patient_key,
        physician_key,
        sex,
        age,
        {{ age_band('age') }} as age_band,
        visit_date,
        func_type,
        icd_1,
        icd_2,
        icd_3,
        part_code,
        coalesce(drug_day, 0) as drug_day,
        drug_dot,
        diag_dot,
        treat_dot,
        dsvc_dot,
        t_dot,
        part_amt,
        t_appl_dot,
        deduct_dot,
        orig_hosp_id
    from deduplicated

)

select * from final
