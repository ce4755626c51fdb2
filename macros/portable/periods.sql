{#- Period derivations from a 6-character Gregorian FEE_YM ('202204'). -#}

{#- Gregorian quarter label: '202204' -> '2022Q2'. -#}
{% macro fee_quarter(fee_ym) -%}
    concat(substr({{ fee_ym }}, 1, 4), 'Q', {{ quarter_of_month('cast(substr(' ~ fee_ym ~ ', 5, 2) as integer)') }})
{%- endmacro %}

{#- ROC (民國) quarter label: '202204' -> '111Q2' (ROC year = Gregorian year - 1911). -#}
{% macro roc_quarter(fee_ym) -%}
    concat(
        cast(cast(substr({{ fee_ym }}, 1, 4) as integer) - 1911 as {{ dbt.type_string() }}),
        'Q',
        {{ quarter_of_month('cast(substr(' ~ fee_ym ~ ', 5, 2) as integer)') }}
    )
{%- endmacro %}

{#- Quarter number (as text) of a month number 1-12. -#}
{% macro quarter_of_month(month_number) -%}
    cast(cast(floor(({{ month_number }} - 1) / 3) as integer) + 1 as {{ dbt.type_string() }})
{%- endmacro %}

{#- Gregorian quarter label -> ROC quarter label: '2022Q2' -> '111Q2'. -#}
{% macro roc_quarter_of_quarter(fee_quarter) -%}
    concat(
        cast(cast(substr({{ fee_quarter }}, 1, 4) as integer) - 1911 as {{ dbt.type_string() }}),
        substr({{ fee_quarter }}, 5, 2)
    )
{%- endmacro %}

{#- First day of the FEE_YM month as a date. safe=true: null when FEE_YM is not a month instead
    of a cast error (for staging, where the rule invalid_fee_ym names such rows). -#}
{% macro fee_month_start(fee_ym, safe=false) -%}
    {%- set first_day = "concat(substr(" ~ fee_ym ~ ", 1, 4), '-', substr(" ~ fee_ym ~ ", 5, 2), '-01')" -%}
    {%- if safe -%}
        {{ dbt.safe_cast(first_day, 'date') }}
    {%- else -%}
        cast({{ first_day }} as date)
    {%- endif -%}
{%- endmacro %}

{#- Is the text a valid YYYYMM month? (6 digits, month 01-12, year within vars fee_year_min and
    fee_year_max; compared as text, which for 6 digits is the numeric comparison: one pattern, not
    three strict casts.) -#}
{% macro is_valid_fee_ym(fee_ym) -%}
    (
        {{ regexp_full_match(fee_ym, '^[0-9]{6}$') }}
        and substr({{ fee_ym }}, 5, 2) between '01' and '12'
        and substr({{ fee_ym }}, 1, 4) between '{{ "%04d" | format(var("fee_year_min") | int) }}' and '{{ "%04d" | format(var("fee_year_max") | int) }}'
    )
{%- endmacro %}

{#- First day of a Gregorian quarter label: '2022Q2' -> date '2022-04-01'. -#}
{% macro quarter_start_date(fee_quarter) -%}
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

{#- The same quarter one year earlier (基期, 去年同期): '2025Q4' -> '2024Q4'. -#}
{% macro year_earlier_quarter(fee_quarter) -%}
    concat(
        cast(cast(substr({{ fee_quarter }}, 1, 4) as integer) - 1 as {{ dbt.type_string() }}),
        substr({{ fee_quarter }}, 5, 2)
    )
{%- endmacro %}

{#- The previous quarter: '2025Q1' -> '2024Q4', '2025Q3' -> '2025Q2'. -#}
{% macro previous_quarter(fee_quarter) -%}
    case
        when substr({{ fee_quarter }}, 6, 1) = '1'
            then concat(cast(cast(substr({{ fee_quarter }}, 1, 4) as integer) - 1 as {{ dbt.type_string() }}), 'Q4')
        else concat(
            substr({{ fee_quarter }}, 1, 5),
            cast(cast(substr({{ fee_quarter }}, 6, 1) as integer) - 1 as {{ dbt.type_string() }})
        )
    end
{%- endmacro %}

{#- Is the text a valid Gregorian quarter 'YYYYQn'? -#}
{% macro is_valid_fee_quarter(fee_quarter) -%}
    (
        length({{ fee_quarter }}) = 6
        and substr({{ fee_quarter }}, 5, 1) = 'Q'
        and {{ dbt.safe_cast('substr(' ~ fee_quarter ~ ', 1, 4)', 'integer') }} between {{ var('fee_year_min') | int }} and {{ var('fee_year_max') | int }}
        and substr({{ fee_quarter }}, 6, 1) in ('1', '2', '3', '4')
    )
{%- endmacro %}

{#- 'YYYYMM' text of a date: date '2022-04-15' -> '202204'. -#}
{% macro yyyymm_of_date(date_expression) -%}
    cast(year({{ date_expression }}) * 100 + month({{ date_expression }}) as {{ dbt.type_string() }})
{%- endmacro %}
