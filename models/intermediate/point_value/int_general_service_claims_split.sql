-- Every outpatient and inpatient claim with its general-service points (一般服務點數) split into
-- non-floating (非浮動) and floating (浮動) points (domain spec §1-2). Special-budget items
-- (seed point_value_special_budget_rules) are taken out: whole claims (a sector or case type)
-- or order lines (an order-code prefix); a setting rule (INPATIENT) takes out the inpatient
-- claims when a budget covers outpatient care only. Excluded points stay visible in
-- special_budget_points.
-- Non-floating points follow seed point_value_nonfloating_rules (points components, case types,
-- order codes), never more than the claim's general-service points. Rules apply by the claim's
-- sector and fee month. Deducted points (核減) count for the general service, capped at its points.

with outpatient_claims as (

    select * from {{ ref('int_outpatient_claims_classified') }}

),

inpatient_claims as (

    select * from {{ ref('int_inpatient_claims_classified') }}

),

order_lines as (

    select * from {{ ref('int_outpatient_orders_joined') }}

),

special_budget_rules as (

    select * from {{ ref('point_value_special_budget_rules') }}

),

nonfloating_rules as (

    select * from {{ ref('point_value_nonfloating_rules') }}

),

claims as (

    select
        'OUTPATIENT' as setting,
        hosp_id,
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
        t_dot,
        drug_dot,
        diag_dot,
        treat_dot,
        dsvc_dot,
        cast(0 as bigint) as other_dot,
        deduct_dot
    from outpatient_claims

    union all

    select
        'INPATIENT' as setting,
        hosp_id,
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
        t_dot,
        drug_dot,
        cast(0 as bigint) as diag_dot,
        cast(0 as bigint) as treat_dot,
        dsvc_dot,
        other_dot,
        deduct_dot
    from inpatient_claims

),

claim_classes as (

    select distinct
        setting,
        sector,
        fee_ym,
        fee_month_start,
        case_type
    from claims

),

special_budget_classes as (

    select
        claim_classes.setting,
        claim_classes.sector,
        claim_classes.fee_ym,
        claim_classes.case_type,
        min(special_budget_rules.rule_id) as special_budget_rule_id
    from claim_classes
    inner join special_budget_rules
        on (
            (special_budget_rules.rule_kind = 'SETTING' and claim_classes.setting = special_budget_rules.match_value)
            or (special_budget_rules.rule_kind = 'SECTOR' and claim_classes.sector = special_budget_rules.match_value)
            or (special_budget_rules.rule_kind = 'CASE_TYPE' and claim_classes.case_type = special_budget_rules.match_value)
        )
        and (special_budget_rules.sector = '*' or special_budget_rules.sector = claim_classes.sector)
        and claim_classes.fee_month_start >= special_budget_rules.valid_from
        and (special_budget_rules.valid_to is null or claim_classes.fee_month_start <= special_budget_rules.valid_to)
    group by
        claim_classes.setting,
        claim_classes.sector,
        claim_classes.fee_ym,
        claim_classes.case_type

),

nonfloating_classes as (

    select
        claim_classes.setting,
        claim_classes.sector,
        claim_classes.fee_ym,
        claim_classes.case_type,
        max(case when nonfloating_rules.rule_kind = 'CASE_TYPE' then 1 else 0 end) as is_nonfloating_case,
        max(case when nonfloating_rules.rule_kind = 'COMPONENT' and nonfloating_rules.match_value = 'DRUG_DOT' then 1 else 0 end) as is_nonfloating_drug,
        max(case when nonfloating_rules.rule_kind = 'COMPONENT' and nonfloating_rules.match_value = 'DIAG_DOT' then 1 else 0 end) as is_nonfloating_diag,
        max(case when nonfloating_rules.rule_kind = 'COMPONENT' and nonfloating_rules.match_value = 'TREAT_DOT' then 1 else 0 end) as is_nonfloating_treat,
        max(case when nonfloating_rules.rule_kind = 'COMPONENT' and nonfloating_rules.match_value = 'DSVC_DOT' then 1 else 0 end) as is_nonfloating_dsvc,
        max(case when nonfloating_rules.rule_kind = 'COMPONENT' and nonfloating_rules.match_value = 'OTHER_DOT' then 1 else 0 end) as is_nonfloating_other
    from claim_classes
    inner join nonfloating_rules
        on (
            nonfloating_rules.rule_kind = 'COMPONENT'
            or (nonfloating_rules.rule_kind = 'CASE_TYPE' and claim_classes.case_type = nonfloating_rules.match_value)
        )
        and (nonfloating_rules.sector = '*' or nonfloating_rules.sector = claim_classes.sector)
        and claim_classes.fee_month_start >= nonfloating_rules.valid_from
        and (nonfloating_rules.valid_to is null or claim_classes.fee_month_start <= nonfloating_rules.valid_to)
    group by
        claim_classes.setting,
        claim_classes.sector,
        claim_classes.fee_ym,
        claim_classes.case_type

),

special_budget_lines as (

    select
        order_lines.hosp_id,
        order_lines.fee_ym,
        order_lines.appl_type,
        order_lines.case_type,
        order_lines.seq_no,
        order_lines.order_seq_no,
        max(order_lines.order_dot) as order_dot,
        min(special_budget_rules.rule_id) as special_budget_rule_id
    from order_lines
    inner join special_budget_rules
        on special_budget_rules.rule_kind = 'ORDER_CODE_PREFIX'
            and substr(order_lines.order_code, 1, length(special_budget_rules.match_value)) = special_budget_rules.match_value
            and (special_budget_rules.sector = '*' or special_budget_rules.sector = order_lines.sector)
            and order_lines.fee_month_start >= special_budget_rules.valid_from
            and (special_budget_rules.valid_to is null or order_lines.fee_month_start <= special_budget_rules.valid_to)
    group by
        order_lines.hosp_id,
        order_lines.fee_ym,
        order_lines.appl_type,
        order_lines.case_type,
        order_lines.seq_no,
        order_lines.order_seq_no

),

special_budget_line_points as (

    select
        hosp_id,
        fee_ym,
        appl_type,
        case_type,
        seq_no,
        sum(coalesce(order_dot, 0)) as special_line_points,
        min(special_budget_rule_id) as special_budget_line_rule_id
    from special_budget_lines
    group by hosp_id, fee_ym, appl_type, case_type, seq_no

),

nonfloating_lines as (

    select
        order_lines.hosp_id,
        order_lines.fee_ym,
        order_lines.appl_type,
        order_lines.case_type,
        order_lines.seq_no,
        order_lines.order_seq_no,
        max(order_lines.order_dot) as order_dot
    from order_lines
    inner join nonfloating_rules
        on nonfloating_rules.rule_kind = 'ORDER_CODE'
            and order_lines.order_code = nonfloating_rules.match_value
            and (nonfloating_rules.sector = '*' or nonfloating_rules.sector = order_lines.sector)
            and order_lines.fee_month_start >= nonfloating_rules.valid_from
            and (nonfloating_rules.valid_to is null or order_lines.fee_month_start <= nonfloating_rules.valid_to)
    group by
        order_lines.hosp_id,
        order_lines.fee_ym,
        order_lines.appl_type,
        order_lines.case_type,
        order_lines.seq_no,
        order_lines.order_seq_no

),

nonfloating_line_points as (

    select
        hosp_id,
        fee_ym,
        appl_type,
        case_type,
        seq_no,
        sum(coalesce(order_dot, 0)) as nonfloating_line_points
    from nonfloating_lines
    group by hosp_id, fee_ym, appl_type, case_type, seq_no

),

matched as (

    select
        claims.*,
        special_budget_classes.special_budget_rule_id as special_budget_claim_rule_id,
        coalesce(special_budget_line_points.special_line_points, 0) as special_line_points,
        special_budget_line_points.special_budget_line_rule_id,
        coalesce(nonfloating_classes.is_nonfloating_case, 0) as is_nonfloating_case,
        coalesce(nonfloating_classes.is_nonfloating_drug, 0) as is_nonfloating_drug,
        coalesce(nonfloating_classes.is_nonfloating_diag, 0) as is_nonfloating_diag,
        coalesce(nonfloating_classes.is_nonfloating_treat, 0) as is_nonfloating_treat,
        coalesce(nonfloating_classes.is_nonfloating_dsvc, 0) as is_nonfloating_dsvc,
        coalesce(nonfloating_classes.is_nonfloating_other, 0) as is_nonfloating_other,
        coalesce(nonfloating_line_points.nonfloating_line_points, 0) as nonfloating_line_points
    from claims
    left join special_budget_classes
        on claims.setting = special_budget_classes.setting
            and claims.sector = special_budget_classes.sector
            and claims.fee_ym = special_budget_classes.fee_ym
            and claims.case_type = special_budget_classes.case_type
    left join nonfloating_classes
        on claims.setting = nonfloating_classes.setting
            and claims.sector = nonfloating_classes.sector
            and claims.fee_ym = nonfloating_classes.fee_ym
            and claims.case_type = nonfloating_classes.case_type
    left join special_budget_line_points
        on claims.hosp_id = special_budget_line_points.hosp_id
            and claims.fee_ym = special_budget_line_points.fee_ym
            and claims.appl_type = special_budget_line_points.appl_type
            and claims.case_type = special_budget_line_points.case_type
            and claims.seq_no = special_budget_line_points.seq_no
            and claims.setting = 'OUTPATIENT'
    left join nonfloating_line_points
        on claims.hosp_id = nonfloating_line_points.hosp_id
            and claims.fee_ym = nonfloating_line_points.fee_ym
            and claims.appl_type = nonfloating_line_points.appl_type
            and claims.case_type = nonfloating_line_points.case_type
            and claims.seq_no = nonfloating_line_points.seq_no
            and claims.setting = 'OUTPATIENT'

),

special_budget_split as (

    select
        *,
        case
            when special_budget_claim_rule_id is not null then t_dot
            else least(t_dot, special_line_points)
        end as special_budget_points
    from matched

),

general_service as (

    select
        *,
        special_budget_claim_rule_id is null as is_general_service,
        t_dot - special_budget_points as points
    from special_budget_split

),

nonfloating_split as (

    select
        *,
        case
            when not is_general_service then 0
            when is_nonfloating_case = 1 then points
            else least(
                    points,
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
            else least(coalesce(deduct_dot, 0), points)
        end as deducted_points
    from general_service

),

final as (

    select
        cast(setting as {{ dbt.type_string() }}) as setting,
        cast(hosp_id as {{ dbt.type_string() }}) as hosp_id,
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
        cast(points as bigint) as points,
        cast(nonfloat_points as bigint) as nonfloat_points,
        cast(points - nonfloat_points as bigint) as float_points,
        cast(deduct_dot is not null and is_general_service as boolean) as is_reviewed,
        cast(deducted_points as bigint) as deducted_points
    from nonfloating_split

)

select * from final
