{#- Keyed hash of a personal identifier (ID, PRSN_ID): the first 20 hex characters of
    sha256(key || '|' || identifier). The key comes from the NHI_ID_KEY environment variable;
    the default is a public demo key meant only for the synthetic extract. Null stays null. -#}
{% macro pseudonymise(column) -%}
    {%- set key = env_var('NHI_ID_KEY', 'nhi-warehouse-demo-key') -%}
    {{ adapter.dispatch('sha256_hex', 'nhi_warehouse')("'" ~ key | replace("'", "''") ~ "|' || " ~ column) }}
{%- endmacro %}

{% macro default__sha256_hex(expression) -%}
    substr(sha256({{ expression }}), 1, 20)
{%- endmacro %}

{% macro spark__sha256_hex(expression) -%}
    substr(sha2({{ expression }}, 256), 1, 20)
{%- endmacro %}
