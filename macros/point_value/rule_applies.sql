{#- Whether a point-value rule row (seed point_value_special_budget_rules or
    int_nonfloating_rules_unioned) applies to a claim or order line: the rule's sector is '*' or
    the claim's (attributed) sector, the fee month lies in [valid_from, valid_to], and - for
    rules that carry them (pass check_institution=true) - the contract type and setting match
    when the rule names one. -#}
{% macro pv_rule_applies(rules, claims, check_institution=false) -%}
    ({{ rules }}.sector = '*' or {{ rules }}.sector = {{ claims }}.sector)
    and {{ claims }}.fee_month_start >= {{ rules }}.valid_from
    and ({{ rules }}.valid_to is null or {{ claims }}.fee_month_start <= {{ rules }}.valid_to)
    {%- if check_institution %}
    and ({{ rules }}.hosp_cont_type is null or {{ rules }}.hosp_cont_type = {{ claims }}.hosp_cont_type)
    and ({{ rules }}.setting is null or {{ rules }}.setting = {{ claims }}.setting)
    {%- endif %}
{%- endmacro %}

{#- Whether an order line's code matches an ORDER_CODE_PREFIX or ORDER_CODE rule. -#}
{% macro pv_order_code_matches(rules, code) -%}
    (
        ({{ rules }}.rule_kind = 'ORDER_CODE_PREFIX'
            and substr({{ code }}, 1, length({{ rules }}.match_value)) = {{ rules }}.match_value)
        or ({{ rules }}.rule_kind = 'ORDER_CODE' and {{ code }} = {{ rules }}.match_value)
    )
{%- endmacro %}
