{#- Whole days from start_date to end_date (end - start), on DuckDB and Spark. -#}
{% macro days_between(start_date, end_date) -%}
    {{ dbt.datediff(start_date, end_date, 'day') }}
{%- endmacro %}

{#- A date plus a number of days. -#}
{% macro add_days(date_expression, days) -%}
    {{ dbt.dateadd('day', days, date_expression) }}
{%- endmacro %}
