{#- The value set of a raw-contract column as an SQL list, e.g. ('1', '2'), from the var
    `raw_contract_values` (dbt_project.yml), the contract's one copy of its value sets. -#}
{% macro contract_values(table_name, column_name) -%}
    {%- set value_sets = var('raw_contract_values') -%}
    {%- if table_name not in value_sets or column_name not in value_sets[table_name] -%}
        {{ exceptions.raise_compiler_error('No value set for raw column ' ~ table_name ~ '.' ~ column_name ~ ' in var raw_contract_values') }}
    {%- endif -%}
    ({%- for value in value_sets[table_name][column_name] -%}'{{ value }}'{%- if not loop.last %}, {% endif -%}{%- endfor -%})
{%- endmacro %}
