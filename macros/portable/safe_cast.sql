{#- dbt.safe_cast(field, type): the value as `type`, or null when the text is not a valid literal
    of that type. Quarantine rules rely on that null, so both engines must agree on what is
    valid. Their try_cast does not: DuckDB accepts '1.5', '1e3', '0x1F' and '1_000' as integers,
    Spark accepts '2024', '2024-01' and '2024-01-05 junk' as dates. So integers, decimals,
    floating-point numbers, dates and timestamps are first checked against one strict pattern
    (the raw-data contract's formats, surrounding blanks allowed) and only then try_cast, which
    still turns impossible values (2024-02-30, overflow) into null. Other types: plain try_cast. -#}
{% macro duckdb__safe_cast(field, type) -%}
    {{ nhi_warehouse.strict_safe_cast(field, type) }}
{%- endmacro %}

{% macro spark__safe_cast(field, type) -%}
    {{ nhi_warehouse.strict_safe_cast(field, nhi_warehouse.spark_type(type)) }}
{%- endmacro %}

{% macro strict_safe_cast(field, type) -%}
    {%- set pattern = nhi_warehouse.safe_cast_pattern(type) -%}
    {%- if pattern is none -%}
        try_cast({{ field }} as {{ type }})
    {%- else -%}
        case
            when {{ nhi_warehouse.regexp_full_match('cast(' ~ field ~ ' as ' ~ dbt.type_string() ~ ')', pattern) }}
                then try_cast({{ field }} as {{ type }})
        end
    {%- endif -%}
{%- endmacro %}

{#- The text pattern a value must match before it is cast to `type` (none: no pattern). Written
    without backslashes: Spark string literals treat them as escapes. -#}
{% macro safe_cast_pattern(type) -%}
    {%- set base = (type | string | lower | trim).split('(')[0] | trim -%}
    {%- if base in ['integer', 'int', 'int4', 'bigint', 'int8', 'long', 'smallint', 'int2', 'short', 'tinyint', 'byte', 'hugeint'] -%}
        {{ return('^ *[+-]?[0-9]+ *$') }}
    {%- elif base in ['decimal', 'numeric', 'dec'] -%}
        {{ return('^ *[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+) *$') }}
    {%- elif base in ['double', 'float', 'real', 'float4', 'float8', 'double precision'] -%}
        {{ return('^ *[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)? *$') }}
    {%- elif base == 'date' -%}
        {{ return('^ *[0-9]{4}-[0-9]{1,2}-[0-9]{1,2} *$') }}
    {%- elif base in ['timestamp', 'datetime', 'timestamp_ntz'] -%}
        {{ return('^ *[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([ T][0-9]{1,2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,9})?)?)? *$') }}
    {%- else -%}
        {{ return(none) }}
    {%- endif -%}
{%- endmacro %}

{#- Does the whole text match the regular expression? (Patterns use ^...$ anchors.) -#}
{% macro regexp_full_match(expression, pattern) -%}
    {{ adapter.dispatch('regexp_full_match', 'nhi_warehouse')(expression, pattern) }}
{%- endmacro %}

{% macro default__regexp_full_match(expression, pattern) -%}
    regexp_matches({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{% macro spark__regexp_full_match(expression, pattern) -%}
    ({{ expression }} rlike '{{ pattern }}')
{%- endmacro %}

{#- Text of a raw column with surrounding blanks removed; empty text is null. The column is
    written as the raw-contract name in double quotes ('"HOSP_ID"'); Spark reads double quotes
    as a string literal, so its variant quotes with backticks instead. -#}
{% macro clean_text(column) -%}
    {{ adapter.dispatch('clean_text', 'nhi_warehouse')(column) }}
{%- endmacro %}

{% macro default__clean_text(column) -%}
    nullif(trim(cast({{ column }} as {{ dbt.type_string() }})), '')
{%- endmacro %}

{% macro spark__clean_text(column) -%}
    nullif(trim(cast({{ column | replace('"', '`') }} as {{ dbt.type_string() }})), '')
{%- endmacro %}
