{#- Plausibility rules of the quarantine (docs/plausibility.md): a row that is well formed but
    outside the bounds of the dbt vars plausible_* is quarantined under the rule that names it.
    The bounds also keep every numeric expression downstream finite: with points per claim at
    most plausible_max_claim_points, sums over any realistic extract stay far below 2^63. -#}

{#- Is any of the columns above the bound named by the var? (Null columns are not.) -#}
{% macro is_above_bound(columns, bound_var) -%}
    (
        {%- for column in columns %}
        {{ column }} > {{ var(bound_var) }}{% if not loop.last %} or{% endif %}
        {%- endfor %}
    )
{%- endmacro %}

{#- Is the quantity negative or above the bound named by the var? (Null is not.) -#}
{% macro is_out_of_range(column, bound_var) -%}
    ({{ column }} < 0 or {{ column }} > {{ var(bound_var) }})
{%- endmacro %}

{#- Is the age implausible: born after `earliest_date`, or older than plausible_max_age_years on
    `latest_date`? -#}
{% macro is_implausible_age(birth_date, earliest_date, latest_date) -%}
    (
        {{ birth_date }} > {{ earliest_date }}
        or {{ age_in_years(birth_date, latest_date) }} > {{ var('plausible_max_age_years') }}
    )
{%- endmacro %}

{#- Is the date more than plausible_fee_month_slack_days days before the first or after the last
    day of its fee month? -#}
{% macro is_outside_fee_month(date_expression, month_start) -%}
    (
        {{ date_expression }} < {{ add_days(month_start, -1 * var('plausible_fee_month_slack_days')) }}
        or {{ date_expression }} >= {{ add_days(dbt.dateadd('month', 1, month_start), var('plausible_fee_month_slack_days')) }}
    )
{%- endmacro %}

{#- Was the claim filed more than plausible_max_appl_lag_days days after the last day of its fee
    month? -#}
{% macro is_late_application(appl_date, month_start) -%}
    {{ appl_date }} >= {{ add_days(dbt.dateadd('month', 1, month_start), var('plausible_max_appl_lag_days')) }}
{%- endmacro %}

{#- A number as decimal(precision, scale), rounded to the scale, or null when it does not fit (or
    is not finite: NaN and infinity compare false): a mart cell that cannot be shown is null,
    never a failed cast. Pair it with a reason column (see fits_decimal). Same SQL on DuckDB and
    Spark. -#}
{% macro decimal_or_null(expression, precision, scale) -%}
    case
        when {{ fits_decimal(expression, precision, scale) }}
            then cast(round(cast({{ expression }} as double), {{ scale }}) as decimal({{ precision }}, {{ scale }}))
    end
{%- endmacro %}

{#- Does the number, rounded to the scale, fit decimal(precision, scale)? (Null: no.) -#}
{% macro fits_decimal(expression, precision, scale) -%}
    coalesce(abs(round(cast({{ expression }} as double), {{ scale }})) < {{ 10 ** (precision - scale) }}, false)
{%- endmacro %}

{#- Why a point value has no published (decimal(8,4)) figure although it was computed: null when
    both fit (or neither was computed), 'OUT_OF_DECIMAL_RANGE' when one does not fit. -#}
{% macro pv_rounded_null_reason(float_pv, avg_pv) -%}
    case
        when ({{ float_pv }} is not null and not {{ fits_decimal(float_pv, 8, 4) }})
            or ({{ avg_pv }} is not null and not {{ fits_decimal(avg_pv, 8, 4) }})
            then 'OUT_OF_DECIMAL_RANGE'
    end
{%- endmacro %}
