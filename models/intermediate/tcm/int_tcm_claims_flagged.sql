-- 中醫 (TCM) outpatient claims — case types 21-31 by seed case_types (domain spec §1) — with the
-- points of the four fee items (四項費用: 藥費 DRUG_DOT, 藥品調劑費 DSVC_DOT, 診察費 DIAG_DOT,
-- 診療費 TREAT_DOT) and whether the claim counts as a visit in 平均就醫次數 (source 001 註2):
-- consultation points above 0 and a case type not in seed tcm_visit_count_exclusions (22, 25, A3,
-- B6). The reason a claim is not a visit is kept (visit_exclusion_reason), so nothing is dropped
-- silently. Every 中醫 utilisation mart reads this model.
-- On DuckDB built by fee month: a run recomputes the fee months whose claims changed
-- (docs/incremental.md).

{{ fee_month_model(
    inputs=['int_outpatient_claims_classified'],
) }}

with claims as (

    select classified.* from {{ ref('int_outpatient_claims_classified') }} as classified
    where classified.sector = 'TCM'
    {{ fee_month_filter('classified.fee_ym') }}

),

exclusions as (

    select * from {{ ref('tcm_visit_count_exclusions') }}

),

flagged as (

    select
        claims.*,
        case
            when exclusions.case_type is not null then 'EXCLUDED_CASE_TYPE'
            when coalesce(claims.diag_dot, 0) <= 0 then 'NO_CONSULTATION_FEE'
        end as visit_exclusion_reason
    from claims
    left join exclusions
        on claims.case_type = exclusions.case_type

),

final as (

    select
        cast(hosp_id as {{ dbt.type_string() }}) as hosp_id,
        cast(fee_ym as {{ dbt.type_string() }}) as fee_ym,
        cast(appl_type as {{ dbt.type_string() }}) as appl_type,
        cast(case_type as {{ dbt.type_string() }}) as case_type,
        cast(seq_no as integer) as seq_no,
        cast(fee_month_start as date) as fee_month_start,
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(patient_key as {{ dbt.type_string() }}) as patient_key,
        cast(physician_key as {{ dbt.type_string() }}) as physician_key,
        cast(coalesce(drug_dot, 0) as bigint) as drug_points,
        cast(coalesce(dsvc_dot, 0) as bigint) as dispensing_points,
        cast(coalesce(diag_dot, 0) as bigint) as consultation_points,
        cast(coalesce(treat_dot, 0) as bigint) as treatment_points,
        cast(coalesce(t_dot, 0) as bigint) as points,
        cast(visit_exclusion_reason is null as boolean) as counts_as_visit,
        cast(visit_exclusion_reason as {{ dbt.type_string() }}) as visit_exclusion_reason
    from flagged

)

select * from final
