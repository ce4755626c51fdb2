-- Every outpatient and inpatient claim (int_general_service_claims_attributed: 交付 claims in
-- the prescriber's sector and region) with its general-service points (一般服務點數) split into
-- non-floating (非浮動) and floating (浮動) points (domain spec §1-2). Special-budget items (seed
-- point_value_special_budget_rules) are taken out: whole claims (a sector, case type or setting
-- rule) or order lines (listed codes and prefixes, int_general_service_lines_matched).
-- Excluded points stay visible in special_budget_points. A claim all of whose points went to
-- special budgets is not a general-service claim.
-- Non-floating points: the rules of int_nonfloating_rules_unioned (drug points in every sector,
-- the year's protected items 保障項目) by points component, case type (both per claim class,
-- int_general_service_classes_matched) or order code, never more than the claim's
-- general-service points. Deducted points (核減) count for the general service, capped at its
-- points.
-- On DuckDB built by fee month: a run recomputes the fee months whose claims, matched lines or
-- claim classes changed (docs/incremental.md).

{{ fee_month_model(
    inputs=['int_general_service_claims_attributed', 'int_general_service_lines_matched'],
    monthly_rows=['int_general_service_classes_matched'],
) }}

with claims as (

    select attributed.* from {{ ref('int_general_service_claims_attributed') }} as attributed
    where true
    {{ fee_month_filter('attributed.fee_ym') }}

),

lines as (

    select matched.* from {{ ref('int_general_service_lines_matched') }} as matched
    where true
    {{ fee_month_filter('matched.fee_ym') }}

),

classes_matched as (

    select * from {{ ref('int_general_service_classes_matched') }}

),

matched as (

    select
        claims.*,
        classes_matched.special_budget_claim_rule_id,
        classes_matched.is_nonfloating_case,
        classes_matched.is_nonfloating_drug,
        classes_matched.is_nonfloating_diag,
        classes_matched.is_nonfloating_treat,
        classes_matched.is_nonfloating_dsvc,
        classes_matched.is_nonfloating_other,
        coalesce(lines.special_line_points, 0) as special_line_points,
        lines.special_budget_line_rule_id,
        coalesce(lines.nonfloating_line_points, 0) as nonfloating_line_points
    from claims
    inner join classes_matched
        on claims.setting = classes_matched.setting
            and claims.sector = classes_matched.sector
            and coalesce(claims.hosp_cont_type, '') = coalesce(classes_matched.hosp_cont_type, '')
            and claims.fee_ym = classes_matched.fee_ym
            and claims.case_type = classes_matched.case_type
    left join lines
        on claims.hosp_id = lines.hosp_id
            and claims.fee_ym = lines.fee_ym
            and claims.appl_type = lines.appl_type
            and claims.case_type = lines.case_type
            and claims.seq_no = lines.seq_no
            and claims.setting = 'OUTPATIENT'

),

general_service as (

    select
        *,
        case
            when special_budget_claim_rule_id is not null then t_dot
            else least(t_dot, special_line_points)
        end as special_budget_points,
        special_budget_claim_rule_id is null
        and (t_dot = 0 or special_line_points < t_dot) as is_general_service
    from matched

),

nonfloating_split as (

    select
        *,
        t_dot - special_budget_points as points,
        case
            when not is_general_service then 0
            when is_nonfloating_case = 1 then t_dot - special_budget_points
            else least(
                    t_dot - special_budget_points,
                    is_nonfloating_drug * coalesce(drug_dot, 0)
                    + is_nonfloating_diag * coalesce(diag_dot, 0)
                    + is_nonfloating_treat * coalesce(treat_dot, 0)
                    + is_nonfloating_dsvc * coalesce(dsvc_dot, 0)
                    + is_nonfloating_other * coalesce(other_dot, 0)
                    + nonfloating_line_points
                )
        end as nonfloat_points,
        case
            when not is_general_service then 0
            else least(coalesce(deduct_dot, 0), t_dot - special_budget_points)
        end as deducted_points
    from general_service

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
        cast(is_general_service as boolean) as is_general_service,
        cast(
            case
                when special_budget_claim_rule_id is not null then special_budget_claim_rule_id
                when special_budget_points > 0 then special_budget_line_rule_id
            end as {{ dbt.type_string() }}
        ) as special_budget_rule_id,
        cast(t_dot as bigint) as t_dot,
        cast(special_budget_points as bigint) as special_budget_points,
        cast(case when is_general_service then points else 0 end as bigint) as points,
        cast(nonfloat_points as bigint) as nonfloat_points,
        cast(case when is_general_service then points - nonfloat_points else 0 end as bigint) as float_points,
        cast(deduct_dot is not null and is_general_service as boolean) as is_reviewed,
        cast(deducted_points as bigint) as deducted_points
    from nonfloating_split

)

select * from final
