{#- dbt's default safe_cast is a plain cast on DuckDB and Spark; both engines have try_cast,
    which yields null for an unparseable value. Quarantine rules rely on that null. -#}
{% macro duckdb__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}

{% macro spark__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}

{#- Text of a raw column with surrounding blanks removed; empty text is null. -#}
{% macro clean_text(column) -%}
    nullif(trim(cast({{ column }} as {{ dbt.type_string() }})), '')
{%- endmacro %}
