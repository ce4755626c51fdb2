-- The 'ALL' rows of lab_upload_rate add up the other rows of their dimension, for each of the
-- three dimensions (region, provider group, category) with the other two fixed: every line has
-- a responsible institution with a region and a group, and a category, so nothing is counted
-- only in ALL. The measures are the additive counts (macro lab_upload_count_columns).
-- One pair of CTEs per dimension, written by a Jinja loop; SQLFluff cannot place the indentation
-- of loop-generated CTEs, so its indentation rule is off for this file.
-- noqa: disable=LT02

{%- set dimensions = ['area_no_h', 'provider_group', 'category_code'] %}
{%- set measures = lab_upload_count_columns() %}

with rates as (

    select * from {{ ref('lab_upload_rate') }}

),

{%- for dimension in dimensions %}
{%- set others = dimensions | reject('equalto', dimension) | list %}

parts_by_{{ dimension }} as (

    select
        fee_ym,
        {{ others[0] }},
        {{ others[1] }},
        {%- for measure in measures %}
        sum({{ measure }}) as {{ measure }}{{ ',' if not loop.last }}
        {%- endfor %}
    from rates
    where {{ dimension }} <> 'ALL'
    group by fee_ym, {{ others[0] }}, {{ others[1] }}

),

mismatched_{{ dimension }} as (

    select
        '{{ dimension }}' as rolled_up_dimension,
        all_rows.fee_ym,
        all_rows.{{ others[0] }} as first_other_dimension,
        all_rows.{{ others[1] }} as second_other_dimension
    from rates as all_rows
    left join parts_by_{{ dimension }} as parts
        on all_rows.fee_ym = parts.fee_ym
            and all_rows.{{ others[0] }} = parts.{{ others[0] }}
            and all_rows.{{ others[1] }} = parts.{{ others[1] }}
    where all_rows.{{ dimension }} = 'ALL'
        and (
            parts.fee_ym is null
            {%- for measure in measures %}
            or all_rows.{{ measure }} <> parts.{{ measure }}
            {%- endfor %}
        )

){{ ',' if not loop.last }}
{%- endfor %}

{% for dimension in dimensions %}
select * from mismatched_{{ dimension }}
{% if not loop.last %}union all{% endif %}
{%- endfor %}
