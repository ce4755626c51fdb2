{#- The Spark session settings the project's results depend on. The `spark` target passes them
    to the session builder, the `spark_thrift` target as `set:hiveconf:<key>` (profiles/profiles.yml;
    a Thrift server ignores plain keys). docs/spark.md tells cluster operators about them:
    * ansi.enabled=false: 1/0 and a failed cast give null (the tested DuckDB behaviour), not an error;
    * session.timeZone=UTC: raw timestamps are zone-less Taipei wall-clock times, kept unchanged;
    * constraintPropagation.enabled=false: the staging views' long rule `case` expressions make the
      optimizer's constraint propagation run for minutes per query;
    * parquet.outputTimestampType=TIMESTAMP_MICROS: timestamps readable by DuckDB and pandas. -#}
{% macro spark_required_session_settings() %}
    {{ return({
        'spark.sql.ansi.enabled': 'false',
        'spark.sql.session.timeZone': 'UTC',
        'spark.sql.constraintPropagation.enabled': 'false',
        'spark.sql.parquet.outputTimestampType': 'TIMESTAMP_MICROS',
    }) }}
{% endmacro %}

{#- on-run-start: on Spark, stop before anything is built when the session lacks a required
    setting, naming it. `report` lists further keys to print (e.g. spark.sql.shuffle.partitions).
    Also `dbt run-operation check_spark_session --target spark_thrift` to check a server. -#}
{% macro check_spark_session(report=[]) %}
    {{ return(adapter.dispatch('check_spark_session', 'nhi_warehouse')(report)) }}
{% endmacro %}

{% macro default__check_spark_session(report=[]) %}
    {{ return('') }}
{% endmacro %}

{% macro spark__check_spark_session(report=[]) %}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set required = spark_required_session_settings() -%}
    {%- set wrong = [] -%}
    {%- for key in required.keys() | list + report -%}
        {%- set value = run_query('set ' ~ key).columns[1].values()[0] | string -%}
        {%- do log('spark session: ' ~ key ~ ' = ' ~ value, info=True) -%}
        {%- if key in required and value | lower != required[key] | lower -%}
            {%- do wrong.append(key ~ ' is ' ~ value ~ ', required ' ~ required[key]) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if wrong -%}
        {{ exceptions.raise_compiler_error(
            'The Spark session lacks settings the project requires: ' ~ wrong | join('; ')
            ~ '. Pass them as set:hiveconf:<key> in the profile (a Thrift server ignores plain keys),'
            ~ ' or start the server with --conf <key>=<value>, and allow sessions to set them;'
            ~ ' see docs/spark.md.'
        ) }}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
