-- hospital_claims_overview adds up along each of its three roll-ups: 門診 + 住院 = 合計 (setting
-- 'ALL'), the three levels = 總計 (level 'ALL'), the six regions = 全區 ('ALL'), for claims, points
-- and released (交付) points (null on 住院 rows, counted as 0). One CTE per roll-up, written by a
-- Jinja loop (SQLFluff cannot place the indentation of loop-generated CTEs: its indentation rule is
-- off for this file). Fails with the cell whose parts do not add up and the roll-up that breaks.
-- noqa: disable=LT02

{%- set dimensions = ['setting', 'hospital_level', 'area_no_h'] %}

with overview as (

    select * from {{ ref('hospital_claims_overview') }}

),

{%- for dimension in dimensions %}
{%- set others = dimensions | reject('equalto', dimension) | list %}

by_{{ dimension }} as (

    select
        '{{ dimension }}' as rolled_up_dimension,
        fee_quarter,
        {{ others[0] }} as first_other_dimension,
        {{ others[1] }} as second_other_dimension,
        sum(case when {{ dimension }} = 'ALL' then claims else -claims end) as claims_gap,
        sum(case when {{ dimension }} = 'ALL' then points else -points end) as points_gap,
        sum(
            case when {{ dimension }} = 'ALL' then 1 else -1 end * coalesce(released_points, 0)
        ) as released_points_gap
    from overview
    group by fee_quarter, {{ others[0] }}, {{ others[1] }}

),
{%- endfor %}

gaps as (

    {%- for dimension in dimensions %}
    select * from by_{{ dimension }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}

)

select * from gaps
where claims_gap <> 0
    or points_gap <> 0
    or released_points_gap <> 0
