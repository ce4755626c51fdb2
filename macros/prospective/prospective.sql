{#- Hospital prospective budget (前瞻式預算管理, domain spec §9): small shared expressions. -#}

{#- A rate as the scheme computes with it: a fraction to 10 decimals (exact decimal arithmetic
    from here on, so band limits such as w = 2 % compare exactly on both engines). -#}
{% macro prospective_rate(expression) -%}
    cast({{ expression }} as decimal(18, 10))
{%- endmacro %}

{#- Growth of a current value over its base (成長率 = current / base - 1); null without a base. -#}
{% macro prospective_growth(current, base) -%}
    case
        when {{ base }} > 0
            then {{ prospective_rate('cast(' ~ current ~ ' as double) / cast(' ~ base ~ ' as double) - 1') }}
    end
{%- endmacro %}

{#- Points as whole points, rounded half up (tier widths, adjusted bases). -#}
{% macro prospective_points(expression) -%}
    cast(round({{ expression }}, 0) as bigint)
{%- endmacro %}
