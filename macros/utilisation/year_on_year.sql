{#- Year-on-year helpers for the utilisation marts (open-list items, hospital claims overview,
    中醫 utilisation, review deductions). Plain SQL, identical on DuckDB and Spark. -#}

{#- The same period one year earlier, for a period label that starts with the Gregorian year:
    a quarter '2025Q1' -> '2024Q1', a month '202510' -> '202410'. -#}
{% macro previous_year_period(period) -%}
    concat(
        cast(cast(substr({{ period }}, 1, 4) as integer) - 1 as {{ dbt.type_string() }}),
        substr({{ period }}, 5)
    )
{%- endmacro %}

{#- Growth against a previous value (成長率): current / previous - 1, as double; null when the
    previous value is null or 0. -#}
{% macro growth_rate(current, previous) -%}
    (cast({{ current }} as double) / nullif(cast({{ previous }} as double), 0) - 1)
{%- endmacro %}

{#- A ratio of two counts or sums as double; null when the denominator is null or 0. -#}
{% macro safe_ratio(numerator, denominator) -%}
    (cast({{ numerator }} as double) / nullif(cast({{ denominator }} as double), 0))
{%- endmacro %}

{#- ROC month label of a 6-character fee month as printed on the slides: '202510' -> '114/10'. -#}
{% macro roc_month_label(fee_ym) -%}
    concat(
        cast(cast(substr({{ fee_ym }}, 1, 4) as integer) - 1911 as {{ dbt.type_string() }}),
        '/',
        substr({{ fee_ym }}, 5, 2)
    )
{%- endmacro %}

{#- A region code of a rolled-up row: 'ALL' (全區) on the whole-country grouping set. Use with
    `group by fee_quarter, rollup(area_no_h)` (or cube(...)). -#}
{% macro all_when_rolled_up(column) -%}
    case when grouping({{ column }}) = 1 then 'ALL' else {{ column }} end
{%- endmacro %}
