{#- Completed years of age on a date, as integer (year() is bigint on DuckDB, int on Spark). -#}
{% macro age_in_years(birth_date, on_date) -%}
    cast(
        year({{ on_date }}) - year({{ birth_date }})
        - case
            when month({{ on_date }}) * 100 + dayofmonth({{ on_date }})
                < month({{ birth_date }}) * 100 + dayofmonth({{ birth_date }})
                then 1
            else 0
        end
        as integer
    )
{%- endmacro %}

{#- Ten-year age band label: '00-09', '10-19', ..., '80+'. -#}
{% macro age_band(age) -%}
    case
        when {{ age }} is null then null
        when {{ age }} >= 80 then '80+'
        when {{ age }} < 10 then '00-09'
        else concat(cast(cast(floor({{ age }} / 10) * 10 as integer) as {{ dbt.type_string() }}), '-', cast(cast(floor({{ age }} / 10) * 10 + 9 as integer) as {{ dbt.type_string() }}))
    end
{%- endmacro %}
