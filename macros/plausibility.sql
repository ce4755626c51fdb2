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

{#- First day of the FEE_YM month as a date, or null when FEE_YM is not a month (the rule
    invalid_fee_ym names such rows; this form never fails a cast on them). -#}
{% macro fee_month_start_or_null(fee_ym) -%}
    {{ dbt.safe_cast("concat(substr(" ~ fee_ym ~ ", 1, 4), '-', substr(" ~ fee_ym ~ ", 5, 2), '-01')", 'date') }}
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
