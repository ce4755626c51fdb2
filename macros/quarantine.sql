{#- Rows of a checked base model that broke a contract rule, in the common quarantine shape:
    table_name, rule_name, source_file, natural_key (the key columns as text joined by '|').
    Personal identifiers are never copied here: a row is found again by file and key. -#}
{% macro quarantine_rows(base_relation, table_name, key_columns) -%}
    select
        '{{ table_name }}' as table_name,
        rule_name,
        source_file,
        concat_ws('|', {% for column in key_columns -%}
            coalesce(cast({{ column }} as {{ dbt.type_string() }}), '')
            {%- if not loop.last %}, {% endif %}
        {%- endfor %}) as natural_key
    from {{ base_relation }}
    where rule_name is not null
{%- endmacro %}

{#- Keep one row per natural key: the latest APPL_DATE (or the given order), ties broken by
    the source file name so re-delivered extracts give identical results. -#}
{% macro dedupe_latest(relation, key_columns, order_by) -%}
    select * from (
        select
            *,
            row_number() over (
                partition by {{ key_columns | join(', ') }}
                order by {{ order_by }}
            ) as _row_rank
        from {{ relation }}
    ) as ranked
    where _row_rank = 1
{%- endmacro %}
