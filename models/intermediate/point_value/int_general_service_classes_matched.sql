-- The claim-level point-value rules of each class of claims (setting, attributed sector,
-- contract type, fee month, case type; int_general_service_claims_attributed): the whole-claim
-- special-budget rule it falls under (seed point_value_special_budget_rules, kinds SETTING,
-- SECTOR, CASE_TYPE; the lowest rule_id when several apply) and which points components
-- (COMPONENT rules) or case types (CASE_TYPE rules) of int_nonfloating_rules_unioned are
-- non-floating. Rules apply by sector, contract type, setting and fee month. Computed once per
-- class (a few thousand) rather than per claim; int_general_service_claims_split applies it.

with claims as (

    select * from {{ ref('int_general_service_claims_attributed') }}

),

special_budget_rules as (

    select * from {{ ref('point_value_special_budget_rules') }}
    where rule_kind in ('SETTING', 'SECTOR', 'CASE_TYPE')

),

nonfloating_rules as (

    select * from {{ ref('int_nonfloating_rules_unioned') }}
    where rule_kind in ('COMPONENT', 'CASE_TYPE')

),

claim_classes as (

    select distinct
        setting,
        sector,
        hosp_cont_type,
        fee_ym,
        fee_month_start,
        case_type
    from claims

),

classes_matched as (

    select
        claim_classes.setting,
        claim_classes.sector,
        claim_classes.hosp_cont_type,
        claim_classes.fee_ym,
        claim_classes.case_type,
        {%- for component in ['drug', 'diag', 'treat', 'dsvc', 'other'] %}
            max(
                case
                    when nonfloating_rules.rule_kind = 'COMPONENT'
                        and nonfloating_rules.match_value = '{{ component | upper }}_DOT' then 1
                    else 0
                end
            ) as is_nonfloating_{{ component }},
        {%- endfor %}
        min(special_budget_rules.rule_id) as special_budget_claim_rule_id,
        max(case when nonfloating_rules.rule_kind = 'CASE_TYPE' then 1 else 0 end) as is_nonfloating_case
    from claim_classes
    left join special_budget_rules
        on (
            (special_budget_rules.rule_kind = 'SETTING' and claim_classes.setting = special_budget_rules.match_value)
            or (special_budget_rules.rule_kind = 'SECTOR' and claim_classes.sector = special_budget_rules.match_value)
            or (special_budget_rules.rule_kind = 'CASE_TYPE' and claim_classes.case_type = special_budget_rules.match_value)
        )
        and {{ pv_rule_applies('special_budget_rules', 'claim_classes') }}
    left join nonfloating_rules
        on (
            nonfloating_rules.rule_kind = 'COMPONENT'
            or (nonfloating_rules.rule_kind = 'CASE_TYPE' and claim_classes.case_type = nonfloating_rules.match_value)
        )
        and {{ pv_rule_applies('nonfloating_rules', 'claim_classes', check_institution=true) }}
    group by
        claim_classes.setting,
        claim_classes.sector,
        claim_classes.hosp_cont_type,
        claim_classes.fee_ym,
        claim_classes.case_type

),

final as (

    select
        cast(setting as {{ dbt.type_string() }}) as setting,
        cast(sector as {{ dbt.type_string() }}) as sector,
        cast(hosp_cont_type as {{ dbt.type_string() }}) as hosp_cont_type,
        cast(fee_ym as {{ dbt.type_string() }}) as fee_ym,
        cast(case_type as {{ dbt.type_string() }}) as case_type,
        cast(special_budget_claim_rule_id as {{ dbt.type_string() }}) as special_budget_claim_rule_id,
        cast(is_nonfloating_case as integer) as is_nonfloating_case,
        cast(is_nonfloating_drug as integer) as is_nonfloating_drug,
        cast(is_nonfloating_diag as integer) as is_nonfloating_diag,
        cast(is_nonfloating_treat as integer) as is_nonfloating_treat,
        cast(is_nonfloating_dsvc as integer) as is_nonfloating_dsvc,
        cast(is_nonfloating_other as integer) as is_nonfloating_other
    from classes_matched

)

select * from final
