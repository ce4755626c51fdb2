{#- Data types written in the project (contracts' `data_type`, seeds' `column_types`, casts) are
    DuckDB/ANSI names: varchar, integer, bigint, double, date, boolean, decimal(p,s). Spark has
    no length-less varchar: there it is `string`. Every other name means the same on both. -#}
{% macro spark_type(data_type) -%}
    {%- set normalised = (data_type | string | lower | trim) -%}
    {%- if normalised in ['varchar', 'text', 'char varying', 'character varying', 'bpchar'] -%}
        {{ return('string') }}
    {%- else -%}
        {{ return(data_type) }}
    {%- endif -%}
{%- endmacro %}

{#- dbt.cast on Spark: builds the contract check's "empty schema" query from the yml types. -#}
{% macro spark__cast(field, type) -%}
    cast({{ field }} as {{ nhi_warehouse.spark_type(type) }})
{%- endmacro %}

{#- Seeds on Spark: dbt-spark's seed macros (dbt-spark 1.11 include/spark/macros/materializations/
    seed.sql) with the pinned column_types translated by spark_type. -#}
{% macro spark__create_csv_table(model, agate_table) %}
  {%- set column_override = model['config'].get('column_types', {}) -%}
  {%- set quote_seed_column = model['config'].get('quote_columns', None) -%}

  {% set sql %}
    create table {{ this.render() }} (
        {%- for col_name in agate_table.column_names -%}
            {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
            {%- set type = nhi_warehouse.spark_type(column_override.get(col_name, inferred_type)) -%}
            {%- set column_name = (col_name | string) -%}
            {{ adapter.quote_seed_column(column_name, quote_seed_column) }} {{ type }} {%- if not loop.last -%}, {%- endif -%}
        {%- endfor -%}
    )
    {{ file_format_clause() }}
    {{ partition_cols(label="partitioned by") }}
    {{ clustered_cols(label="clustered by") }}
    {{ location_clause() }}
    {{ comment_clause() }}
  {% endset %}

  {% call statement('_') -%}
    {{ sql }}
  {%- endcall %}

  {{ return(sql) }}
{% endmacro %}

{#- Rows as SQL literals rather than dbt-spark's bindings: its session cursor quotes bound values
    without escaping (a value with an apostrophe breaks the insert) and turns None into the
    text 'None'. -#}
{% macro spark__load_csv_rows(model, agate_table) %}

  {% set batch_size = get_batch_size() %}
  {% set column_override = model['config'].get('column_types', {}) %}

  {% set statements = [] %}

  {% for chunk in agate_table.rows | batch(batch_size) %}
      {% set sql %}
          insert into {{ this.render() }} values
          {% for row in chunk -%}
              ({%- for col_name in agate_table.column_names -%}
                  {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
                  {%- set type = nhi_warehouse.spark_type(column_override.get(col_name, inferred_type)) -%}
                  {%- set value = row[loop.index0] -%}
                  {%- if value is none -%}
                    cast(null as {{ type }})
                  {%- else -%}
                    cast({{ nhi_warehouse.spark_string_literal(value | string) }} as {{ type }})
                  {%- endif -%}
                  {%- if not loop.last %},{% endif -%}
              {%- endfor -%})
              {%- if not loop.last%},{%- endif %}
          {%- endfor %}
      {% endset %}

      {% do adapter.add_query(sql, abridge_sql_log=True) %}

      {% if loop.index0 == 0 %}
          {% do statements.append(sql) %}
      {% endif %}
  {% endfor %}

  {# Return SQL so we can render it out into the compiled files #}
  {{ return(statements[0]) }}
{% endmacro %}
