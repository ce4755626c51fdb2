-- 監測項目-單價監測 unit-price monitoring (slide 17, domain spec §9): where a hospital's persons
-- fell by more than 5 % (var prospective_unit_price_person_drop; outpatient and inpatient
-- separately) and its points per person grew by F more than G = max(CMI growth + fee-schedule
-- adjustment, 5 %) (var prospective_unit_price_min_growth), its base (0階) is lowered by
-- current persons × base points per person × (F − G) × base average point value, in all at most
-- down to the smaller of the base at 0.94 per point (var prospective_unit_price_floor_pv) and
-- the hospital's current claimed points. Points per person: general-service claimed points of
-- the setting ÷ its persons, base and current quarter.

{%- set person_drop = var('prospective_unit_price_person_drop') %}
{%- set min_growth = var('prospective_unit_price_min_growth') %}

with indicators as (

    select * from {{ ref('int_prospective_indicators_compared') }}

),

unit_prices as (

    select
        hosp_id,
        fee_quarter,
        base_points,
        claimed_points,
        base_avg_pv,
        {%- for setting in ['opd', 'ipd'] %}
        {{ setting }}_persons_growth,
        case when {{ setting }}_persons_base > 0
            then cast({{ setting }}_points_base as double) / {{ setting }}_persons_base end as {{ setting }}_unit_price_base,
        case when {{ setting }}_persons > 0
            then cast({{ setting }}_points as double) / {{ setting }}_persons end as {{ setting }}_unit_price,
        {{ setting }}_persons as {{ setting }}_persons_current,
        {{ prospective_rate('greatest(' ~ setting ~ '_cmi_growth + fee_adj_rate, ' ~ min_growth ~ ')') }}
            as {{ setting }}_unit_price_tolerance{{ ',' if not loop.last }}
        {%- endfor %}
    from indicators

),

growth as (

    select
        *,
        {{ prospective_growth('opd_unit_price', 'opd_unit_price_base') }} as opd_unit_price_growth,
        {{ prospective_growth('ipd_unit_price', 'ipd_unit_price_base') }} as ipd_unit_price_growth
    from unit_prices

),

reductions as (

    select
        *,
        {%- for setting in ['opd', 'ipd'] %}
        case
            when {{ setting }}_persons_growth < {{ person_drop }}
                and {{ setting }}_unit_price_growth > {{ setting }}_unit_price_tolerance
                then cast({{ setting }}_persons_current as double) * {{ setting }}_unit_price_base
                    * cast({{ setting }}_unit_price_growth - {{ setting }}_unit_price_tolerance as double)
                    * cast(base_avg_pv as double)
            else 0
        end as {{ setting }}_reduction{{ ',' if not loop.last }}
        {%- endfor %}
    from growth

),

adjusted as (

    select
        *,
        case
            when opd_reduction + ipd_reduction > 0
                then greatest(
                    {{ prospective_points('base_points - (opd_reduction + ipd_reduction)') }},
                    least({{ prospective_points('base_points * ' ~ var('prospective_unit_price_floor_pv')) }}, claimed_points),
                    0
                )
            else base_points
        end as base_points_adjusted
    from reductions

),

final as (

    select
        cast(hosp_id as {{ dbt.type_string() }}) as hosp_id,
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(opd_unit_price_base as double) as opd_unit_price_base,
        cast(opd_unit_price as double) as opd_unit_price,
        opd_unit_price_growth,
        opd_unit_price_tolerance,
        {{ prospective_points('opd_reduction') }} as opd_unit_price_reduction,
        cast(ipd_unit_price_base as double) as ipd_unit_price_base,
        cast(ipd_unit_price as double) as ipd_unit_price,
        ipd_unit_price_growth,
        ipd_unit_price_tolerance,
        {{ prospective_points('ipd_reduction') }} as ipd_unit_price_reduction,
        cast(least(base_points_adjusted, base_points) as bigint) as base_points_adjusted,
        cast(base_points - least(base_points_adjusted, base_points) as bigint) as unit_price_reduction_points
    from adjusted

)

select * from final
