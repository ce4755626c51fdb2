{#-
    no_overlapping_validity: for an effective-dated table, each key's validity periods
    [valid_from, valid_to] (inclusive; valid_to null = open-ended) must not overlap, and
    valid_to must not be earlier than valid_from. Use it on seeds/models keyed by
    (key columns, valid_from) so that "the row valid on date D" is at most one row.

    Usage:
        data_tests:
          - no_overlapping_validity:
              arguments:
                key_columns: [order_code]
                valid_from: valid_from      # optional, default valid_from
                valid_to: valid_to          # optional, default valid_to

    Fails with one row per offending pair (or per row with an inverted period).
-#}
{% test no_overlapping_validity(model, key_columns, valid_from='valid_from', valid_to='valid_to') %}
    {%- if key_columns is string -%}
        {%- set key_columns = [key_columns] -%}
    {%- endif -%}

with periods as (
    select
        {% for column in key_columns -%}
        {{ column }},
        {% endfor -%}
        {{ valid_from }} as period_from,
        coalesce({{ valid_to }}, cast('9999-12-31' as date)) as period_to
    from {{ model }}
),

inverted as (
    select
        {% for column in key_columns -%}
        {{ column }},
        {% endfor -%}
        period_from,
        period_to,
        cast(null as date) as other_period_from,
        'valid_to before valid_from' as problem
    from periods
    where period_to < period_from
),

overlapping as (
    select
        {% for column in key_columns -%}
        a.{{ column }},
        {% endfor -%}
        a.period_from,
        a.period_to,
        b.period_from as other_period_from,
        'overlaps a later period of the same key' as problem
    from periods as a
    inner join periods as b
        on {% for column in key_columns -%}
        a.{{ column }} = b.{{ column }}{% if not loop.last %} and {% endif %}
        {% endfor -%}
        and a.period_from < b.period_from
        and b.period_from <= a.period_to
)

select * from inverted
union all
select * from overlapping

{% endtest %}
