{#-
    not_null_columns: none of `columns` is null, checked in one scan of the model (one test per
    model instead of one dbt not_null test per column: the same check at a fraction of the fixed
    cost of a test, docs/incremental.md).

    Usage:
        data_tests:
          - not_null_columns:
              arguments:
                columns: [hosp_id, fee_ym]

    Fails with one row per column that has nulls: the column's name and how many rows are null.
    Plain SQL (sum of case / union all): portable across DuckDB and Spark.
-#}
{% test not_null_columns(model, columns) %}
    {%- if columns is string -%}
        {%- set columns = [columns] -%}
    {%- endif -%}
    {%- if columns | length == 0 -%}
        {{ exceptions.raise_compiler_error('not_null_columns needs a non-empty `columns` list') }}
    {%- endif -%}

with counted as (

    select
        {% for column in columns -%}
        sum(case when {{ column }} is null then 1 else 0 end) as null_rows_{{ loop.index }}
        {%- if not loop.last %},{% endif %}
        {% endfor %}
    from {{ model }}

)

{% for column in columns -%}
select '{{ column }}' as column_name, null_rows_{{ loop.index }} as null_rows
from counted
where null_rows_{{ loop.index }} > 0
{% if not loop.last %}union all
{% endif -%}
{% endfor %}

{% endtest %}
