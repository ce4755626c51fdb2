{#- Hours from start_ts to end_ts (end - start) as a double, exact to the microsecond on DuckDB
    and Spark: 72 hours later is exactly 72.0, 72 hours and 1 minute later is 72.0166...
    (dbt.datediff counts unit boundaries crossed, which is not a duration for hours). -#}
{% macro hours_between(start_ts, end_ts) -%}
    {{ adapter.dispatch('hours_between', 'nhi_warehouse')(start_ts, end_ts) }}
{%- endmacro %}

{% macro default__hours_between(start_ts, end_ts) -%}
    (cast(epoch_us({{ end_ts }}) - epoch_us({{ start_ts }}) as double) / 3600000000.0)
{%- endmacro %}

{% macro spark__hours_between(start_ts, end_ts) -%}
    (cast(unix_micros({{ end_ts }}) - unix_micros({{ start_ts }}) as double) / 3600000000.0)
{%- endmacro %}
