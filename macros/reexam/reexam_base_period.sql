{#-
    Base period 基期 of the re-execution comparisons (domain spec §4; source 000 slide 4-1 compares
    111年 with 108年, 1-6月 each). var `reexam_base_year` names the base year, Gregorian (2019) or
    ROC 民國 (108: a number below 1911 is read as ROC); a period 'YYYYQn' / 'YYYYHn' is compared
    with the same quarter / half of that year. Without it, the base is the same period
    `reexam_base_years_back` (default 1) years earlier.
-#}

{#- The base year as a Gregorian integer, or none when var reexam_base_year is not set. -#}
{% macro reexam_base_year() -%}
    {%- set value = var('reexam_base_year', none) -%}
    {%- if value is none or (value | string | trim | lower) in ['', 'none', 'null'] -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set year = value | string | trim | int -%}
    {%- if year <= 0 -%}
        {{ exceptions.raise_compiler_error("var reexam_base_year must be a year such as 2019 or 108 (ROC), got " ~ value) }}
    {%- endif -%}
    {{ return(year + 1911 if year < 1911 else year) }}
{%- endmacro %}

{#- SQL expression: the base period label of the period label expression. -#}
{% macro reexam_base_period(period) -%}
    {%- set base_year = reexam_base_year() -%}
    {%- if base_year is not none -%}
        concat('{{ base_year }}', substr({{ period }}, 5, 2))
    {%- else -%}
        concat(
            cast(cast(substr({{ period }}, 1, 4) as integer) - {{ var('reexam_base_years_back', 1) | int }} as {{ dbt.type_string() }}),
            substr({{ period }}, 5, 2)
        )
    {%- endif -%}
{%- endmacro %}
