-- Per outpatient claim, the points of its order lines that a point-value rule takes by code:
-- special-budget lines (seed point_value_special_budget_rules, kinds ORDER_CODE_PREFIX and
-- ORDER_CODE: e.g. the care-plan fees P14, P43, P16, P70) and non-floating lines (ORDER_CODE
-- rules and protected items, int_nonfloating_rules_unioned). Rules apply by the claim's
-- attributed sector (the prescriber's for a 交付 claim), contract type, setting and fee month.
-- Order lines come from int_outpatient_orders_joined, which keeps the codes on the reference
-- lists (a warn-level test reports rules in force whose codes are not visible). A line matched by
-- two rules counts once. Claims without matched lines have no row.
-- On DuckDB built by fee month: a run recomputes the fee months whose order lines or claims
-- changed; a changed rule rebuilds every month (docs/incremental.md).

{{ fee_month_model(
    inputs=['int_outpatient_orders_joined', 'int_general_service_claims_attributed'],
    joined=['int_nonfloating_rules_unioned'],
) }}

with order_lines as (

    select joined.* from {{ ref('int_outpatient_orders_joined') }} as joined
    where true
    {{ fee_month_filter('joined.fee_ym') }}

),

claims as (

    select attributed.* from {{ ref('int_general_service_claims_attributed') }} as attributed
    where attributed.setting = 'OUTPATIENT'
    {{ fee_month_filter('attributed.fee_ym') }}

),

special_budget_rules as (

    select * from {{ ref('point_value_special_budget_rules') }}
    where rule_kind in ('ORDER_CODE_PREFIX', 'ORDER_CODE')

),

nonfloating_rules as (

    select * from {{ ref('int_nonfloating_rules_unioned') }}
    where rule_kind = 'ORDER_CODE'

),

lines as (

    select
        claims.setting,
        claims.hosp_id,
        claims.fee_ym,
        claims.appl_type,
        claims.case_type,
        claims.seq_no,
        claims.sector,
        claims.hosp_cont_type,
        claims.fee_month_start,
        order_lines.order_seq_no,
        order_lines.order_code,
        order_lines.order_dot
    from order_lines
    inner join claims
        on order_lines.hosp_id = claims.hosp_id
            and order_lines.fee_ym = claims.fee_ym
            and order_lines.appl_type = claims.appl_type
            and order_lines.case_type = claims.case_type
            and order_lines.seq_no = claims.seq_no

),

line_rules as (

    select
        lines.hosp_id,
        lines.fee_ym,
        lines.appl_type,
        lines.case_type,
        lines.seq_no,
        lines.order_seq_no,
        max(lines.order_dot) as order_dot,
        min(special_budget_rules.rule_id) as special_budget_rule_id,
        max(case when nonfloating_rules.rule_id is not null then 1 else 0 end) as is_nonfloating
    from lines
    left join special_budget_rules
        on
            {{ pv_order_code_matches('special_budget_rules', 'lines.order_code') }}
            and {{ pv_rule_applies('special_budget_rules', 'lines') }}
    left join nonfloating_rules
        on lines.order_code = nonfloating_rules.match_value
            and {{ pv_rule_applies('nonfloating_rules', 'lines', check_institution=true) }}
    group by
        lines.hosp_id,
        lines.fee_ym,
        lines.appl_type,
        lines.case_type,
        lines.seq_no,
        lines.order_seq_no

),

claim_lines as (

    select
        hosp_id,
        fee_ym,
        appl_type,
        case_type,
        seq_no,
        sum(case when special_budget_rule_id is not null then coalesce(order_dot, 0) else 0 end)
            as special_line_points,
        min(special_budget_rule_id) as special_budget_line_rule_id,
        sum(case when special_budget_rule_id is null and is_nonfloating = 1 then coalesce(order_dot, 0) else 0 end)
            as nonfloating_line_points
    from line_rules
    where special_budget_rule_id is not null
        or is_nonfloating = 1
    group by hosp_id, fee_ym, appl_type, case_type, seq_no

),

final as (

    select
        cast(hosp_id as {{ dbt.type_string() }}) as hosp_id,
        cast(fee_ym as {{ dbt.type_string() }}) as fee_ym,
        cast(appl_type as {{ dbt.type_string() }}) as appl_type,
        cast(case_type as {{ dbt.type_string() }}) as case_type,
        cast(seq_no as integer) as seq_no,
        cast(special_line_points as bigint) as special_line_points,
        cast(special_budget_line_rule_id as {{ dbt.type_string() }}) as special_budget_line_rule_id,
        cast(nonfloating_line_points as bigint) as nonfloating_line_points
    from claim_lines

)

select * from final
