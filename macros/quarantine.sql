{#- Rows of a checked base model that broke a contract rule, in the common quarantine shape:
    table_name, rule_name, source_file, natural_key (the key columns as text joined by '|').
    Personal identifiers are never copied here: a row is found again by file and key.
    A rejected row delivered twice (the same content in two files, e.g. a re-run monthly drop)
    is reported once, under the first file name, so re-delivery never changes the counts.
    A base model with a `row_hash` column (the content hash of its rejected rows, computed from
    the raw values: base_nhird__cd/oo, which expose pseudonyms, not the raw identifiers) is
    grouped by it; otherwise by a hash of all its columns.
    `fee_month`: the base model's fee-month column, for the quarantine of the claim tables built
    by fee month (macros/increments/fee_month_increments.sql): adds `fee_ym_key` and selects only
    the months the run rebuilds. -#}
{% macro quarantine_rows(base_model, table_name, key_columns, fee_month=none) -%}
    {%- set base_relation = ref(base_model) -%}
    {%- set content_columns = [] -%}
    {%- if execute -%}
        {%- set column_names = [] -%}
        {%- for column in adapter.get_columns_in_relation(base_relation) -%}
            {%- do column_names.append(column.name | lower) -%}
        {%- endfor -%}
        {%- if 'row_hash' in column_names -%}
            {%- do content_columns.append('row_hash') -%}
        {%- else -%}
            {%- for column in adapter.get_columns_in_relation(base_relation) -%}
                {%- if column.name | lower not in ['source_file', 'rule_name'] -%}
                    {%- do content_columns.append(adapter.quote(column.name)) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endif -%}
    select
        table_name,
        rule_name,
        source_file,
        natural_key
        {%- if fee_month %},
        fee_ym_key
        {%- endif %}
    from (
        select
            '{{ table_name }}' as table_name,
            rule_name,
            source_file,
            concat_ws('|', {% for column in key_columns -%}
                coalesce(cast({{ column }} as {{ dbt.type_string() }}), '')
                {%- if not loop.last %}, {% endif %}
            {%- endfor %}) as natural_key,
            row_number() over (
                partition by rule_name,
                    {% if content_columns == ['row_hash'] %}row_hash{% else %}{{ row_hash(content_columns or ['rule_name']) }}{% endif %}
                order by source_file
            ) as delivery_rank
            {%- if fee_month %},
            coalesce({{ fee_month }}, '') as fee_ym_key
            {%- endif %}
        from {{ base_relation }}
        where rule_name is not null
        {%- if fee_month %}
        {{ fee_month_filter(fee_month) }}
        {%- endif %}
    ) as rejected
    where delivery_rank = 1
{%- endmacro %}

{#- A 64-bit hash of a row's columns (for grouping identical rows; not a pseudonym). -#}
{% macro row_hash(columns) -%}
    {{ adapter.dispatch('row_hash', 'nhi_warehouse')(columns) }}
{%- endmacro %}

{% macro default__row_hash(columns) -%}
    hash({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__row_hash(columns) -%}
    xxhash64({{ columns | join(', ') }})
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
