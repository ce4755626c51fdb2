{#- Continuous (interpolated) percentile of an expression as an aggregate, e.g.
    {{ percentile_cont('reexec_rate', 0.9) }}. Use inside group by or over (partition by ...). -#}
{% macro percentile_cont(expression, fraction) -%}
    {{ adapter.dispatch('percentile_cont', 'nhi_warehouse')(expression, fraction) }}
{%- endmacro %}

{% macro default__percentile_cont(expression, fraction) -%}
    quantile_cont({{ expression }}, {{ fraction }})
{%- endmacro %}

{% macro spark__percentile_cont(expression, fraction) -%}
    percentile({{ expression }}, {{ fraction }})
{%- endmacro %}

{#- Median (interpolated) of an expression as an aggregate. -#}
{% macro median_cont(expression) -%}
    {{ percentile_cont(expression, 0.5) }}
{%- endmacro %}
