{#-
    exact_sum(expression): the sum of a floating-point expression, independent of row order.

    Summing doubles in parallel hash aggregates adds them in whatever order the threads see the
    rows, so the last bits of the result can change between two runs on the same input (for
    example when a re-delivered extract reorders the files). Summing through a fixed-point decimal
    makes the result exact and order-independent; nine decimals are far below a point's
    resolution and a percentage error's.
    Works unchanged on DuckDB and Spark SQL.
-#}
{% macro exact_sum(expression) -%}
    cast(sum(cast({{ expression }} as decimal(38, 9))) as double)
{%- endmacro %}

{#- exact_decimal(expression): the same fixed-point cast, for window aggregates such as
    cast(avg({{ exact_decimal('x') }}) over (...) as double). -#}
{% macro exact_decimal(expression) -%}
    cast({{ expression }} as decimal(38, 9))
{%- endmacro %}
