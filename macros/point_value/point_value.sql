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

{#- A date plus a number of whole months, as a date (dbt.dateadd yields a timestamp on DuckDB). -#}
{% macro pv_add_months(date_expression, months) -%}
    cast({{ dbt.dateadd('month', months, date_expression) }} as date)
{%- endmacro %}

{#- Last day of the month `months` after the month of a date (0 = its own month). -#}
{% macro pv_month_end(date_expression, months=0) -%}
    cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', months ~ ' + 1', dbt.date_trunc('month', date_expression))) }} as date)
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

{#- The standard normal quantile of a probability p (a literal between 0.5 and 1), as SQL
    (Acklam's rational approximation, relative error < 1.2e-9): the fallback band's multiplier
    when too few past forecast errors calibrate it. -#}
{% macro pv_normal_quantile(p) -%}
    {%- set p = p | float -%}
    {%- if p < 0.5 or p >= 1 -%}
        {{ exceptions.raise_compiler_error("pv_normal_quantile: p must be in [0.5, 1), got " ~ p) }}
    {%- endif -%}
    {%- if p <= 0.97575 -%}
        {%- set q = p - 0.5 -%}
        {%- set r = q * q -%}
        {%- set z = (((((-39.69683028665376 * r + 220.9460984245205) * r - 275.9285104469687) * r
            + 138.3577518672690) * r - 30.66479806614716) * r + 2.506628277459239) * q
            / (((((-54.47609879822406 * r + 161.5858368580409) * r - 155.6989798598866) * r
            + 66.80131188771972) * r - 13.28068155288572) * r + 1) -%}
        cast({{ z }} as double)
    {%- else -%}
        {%- set t = 'sqrt(-2 * ln(' ~ (1 - p) ~ '))' -%}
        cast(0 - (((((-0.007784894002430293 * {{ t }} - 0.3223964580411365) * {{ t }} - 2.400758277161838) * {{ t }}
            - 2.549732539343734) * {{ t }} + 4.374664141464968) * {{ t }} + 2.938163982698783)
            / ((((0.007784695709041462 * {{ t }} + 0.3224671290700398) * {{ t }} + 2.445134137142996) * {{ t }}
            + 3.754408661907416) * {{ t }} + 1) as double)
    {%- endif -%}
{%- endmacro %}

{#- The forecast band's settings (vars pv_band_*, dbt_project.yml), checked once for the two
    models that use them (int_point_value_band_calibrated, int_point_value_forecasts_banded). -#}
{% macro pv_band_settings() -%}
    {%- set choices = [
        ('error_scale', 'pv_band_error_scale', 'standardized', ['relative', 'standardized']),
        ('quantile_rule', 'pv_band_quantile', 'interpolated', ['interpolated', 'conformal']),
        ('pooling', 'pv_band_pooling', 'sector', ['sector', 'all']),
    ] -%}
    {%- set settings = {
        'coverage': var('pv_band_coverage', 0.8) | float,
        'min_errors': var('pv_band_min_errors', 20) | int,
        'calibration_quarters': var('pv_band_calibration_quarters', 4) | int,
    } -%}
    {%- for key, name, default, values in choices -%}
        {%- set value = var(name, default) -%}
        {%- if value not in values -%}
            {{ exceptions.raise_compiler_error(
                "var " ~ name ~ " must be '" ~ values | join("' or '") ~ "', got '" ~ value ~ "'"
            ) }}
        {%- endif -%}
        {%- do settings.update({key: value}) -%}
    {%- endfor -%}
    {{ return(settings) }}
{%- endmacro %}
