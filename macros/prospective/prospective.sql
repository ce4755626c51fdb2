{#- Hospital prospective budget (前瞻式預算管理, domain spec §9): small shared expressions. -#}

{#- The same quarter one year earlier (基期): '2025Q1' -> '2024Q1'. -#}
{% macro prospective_base_quarter(fee_quarter) -%}
    concat(cast(cast(substr({{ fee_quarter }}, 1, 4) as integer) - 1 as {{ dbt.type_string() }}), substr({{ fee_quarter }}, 5, 2))
{%- endmacro %}

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

{#- First day of a Gregorian quarter label: '2025Q2' -> date 2025-04-01. -#}
{% macro prospective_quarter_start(fee_quarter) -%}
    cast(concat(
        substr({{ fee_quarter }}, 1, 4),
        case substr({{ fee_quarter }}, 6, 1) when '1' then '-01-01' when '2' then '-04-01' when '3' then '-07-01' else '-10-01' end
    ) as date)
{%- endmacro %}
