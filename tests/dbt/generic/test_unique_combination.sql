{#-
    unique_combination: no two rows share the same values of `columns` (a composite key).

    Usage (dbt >= 1.10 `arguments:` syntax):
        data_tests:
          - unique_combination:
              arguments:
                columns: [order_code, valid_from]

    Fails with one row per duplicated key and the number of rows carrying it. Rows where a key
    column is null are grouped like any other value (pair with not_null tests on the columns).
    Plain SQL (group by / having): portable across DuckDB and Spark.
-#}
{% test unique_combination(model, columns) %}
    {%- if columns is string -%}
        {%- set columns = [columns] -%}
    {%- endif -%}
    {%- if columns | length == 0 -%}
        {{ exceptions.raise_compiler_error('unique_combination needs a non-empty `columns` list') }}
    {%- endif -%}

select
    {% for column in columns -%}
    {{ column }},
    {% endfor -%}
    count(*) as n_rows
from {{ model }}
group by
    {% for column in columns -%}
    {{ column }}{% if not loop.last %},{% endif %}
    {% endfor -%}
having count(*) > 1

{% endtest %}
