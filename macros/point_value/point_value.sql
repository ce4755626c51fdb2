{#- Point-value helpers (domain spec §2). Plain SQL, identical on DuckDB and Spark. -#}

{#- Floating point value 浮動點值 FPV = (B - NF) / F, as double; null when F is 0. -#}
{% macro float_point_value(budget, nonfloat_points, float_points) -%}
    (cast({{ budget }} as double) - cast({{ nonfloat_points }} as double))
    / nullif(cast({{ float_points }} as double), 0)
{%- endmacro %}

{#- Average point value 平均點值 APV = B / (NF + F), as double; null when NF + F is 0. -#}
{% macro average_point_value(budget, nonfloat_points, float_points) -%}
    cast({{ budget }} as double)
    / nullif(cast({{ nonfloat_points }} as double) + cast({{ float_points }} as double), 0)
{%- endmacro %}

{#- Months since year 0 of a date (year * 12 + month): month differences by subtraction. -#}
{% macro pv_month_number(date_expression) -%}
    (year({{ date_expression }}) * 12 + month({{ date_expression }}))
{%- endmacro %}

{#- First day of a Gregorian quarter label: '2022Q2' -> date '2022-04-01'. -#}
{% macro pv_quarter_start_date(fee_quarter) -%}
    cast(concat(
        substr({{ fee_quarter }}, 1, 4),
        case substr({{ fee_quarter }}, 6, 1)
            when '1' then '-01-01'
            when '2' then '-04-01'
            when '3' then '-07-01'
            else '-10-01'
        end
    ) as date)
{%- endmacro %}

{#- A date plus a number of whole months, as a date (dbt.dateadd yields a timestamp on DuckDB). -#}
{% macro pv_add_months(date_expression, months) -%}
    cast({{ dbt.dateadd('month', months, date_expression) }} as date)
{%- endmacro %}

{#- Last day of the month `months` after the month of a date (0 = its own month). -#}
{% macro pv_month_end(date_expression, months=0) -%}
    cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', months ~ ' + 1', dbt.date_trunc('month', date_expression))) }} as date)
{%- endmacro %}

{#- Quarter label of the same quarter one year earlier: '2025Q4' -> '2024Q4'. -#}
{% macro pv_previous_year_quarter(fee_quarter) -%}
    concat(
        cast(cast(substr({{ fee_quarter }}, 1, 4) as integer) - 1 as {{ dbt.type_string() }}),
        substr({{ fee_quarter }}, 5, 2)
    )
{%- endmacro %}

{#- Rank of a region's point value among the regions of the same partition (1 = highest, ties
    share a rank); null for the whole country (area_no_h 'ALL') and for null values. -#}
{% macro pv_region_rank(value, partition_by) -%}
    case
        when area_no_h != 'ALL' and {{ value }} is not null
            then rank() over (
                partition by
                    {{ partition_by | join(', ') }},
                    case when area_no_h != 'ALL' and {{ value }} is not null then 1 else 0 end
                order by {{ value }} desc
            )
    end
{%- endmacro %}
