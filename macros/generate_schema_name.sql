{#- Schemas without a target prefix: seeds in `reference`, staging in `staging`, and so on.
    A model without a custom schema lands in the target's own schema. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
