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
        opd_persons,
        opd_persons_growth,
        ipd_persons,
        ipd_persons_growth,
        case when opd_persons_base > 0 then cast(opd_points_base as double) / opd_persons_base end as opd_unit_price_base,
        case when opd_persons > 0 then cast(opd_points as double) / opd_persons end as opd_unit_price,
        case when ipd_persons_base > 0 then cast(ipd_points_base as double) / ipd_persons_base end as ipd_unit_price_base,
        case when ipd_persons > 0 then cast(ipd_points as double) / ipd_persons end as ipd_unit_price,
        {{ prospective_rate('greatest(opd_cmi_growth + fee_adj_rate, ' ~ min_growth ~ ')') }} as opd_unit_price_tolerance,
        {{ prospective_rate('greatest(ipd_cmi_growth + fee_adj_rate, ' ~ min_growth ~ ')') }} as ipd_unit_price_tolerance
    from indicators

),

growth as (

    select
        *,
        {{ prospective_growth('opd_unit_price', 'opd_unit_price_base') }} as opd_unit_price_growth,
        {{ prospective_growth('ipd_unit_price', 'ipd_unit_price_base') }} as ipd_unit_price_growth
    from unit_prices

),

candidates as (

    select
        *,
        cast(opd_persons as double) * opd_unit_price_base * cast(opd_unit_price_growth - opd_unit_price_tolerance as double)
        * cast(base_avg_pv as double) as opd_candidate_reduction,
        cast(ipd_persons as double) * ipd_unit_price_base * cast(ipd_unit_price_growth - ipd_unit_price_tolerance as double)
        * cast(base_avg_pv as double) as ipd_candidate_reduction,
        least({{ prospective_points('base_points * ' ~ var('prospective_unit_price_floor_pv')) }}, claimed_points) as floor_points
    from growth

),

reductions as (

    select
        *,
        case
            when opd_persons_growth < {{ person_drop }} and opd_unit_price_growth > opd_unit_price_tolerance
                then opd_candidate_reduction
            else 0
        end as opd_reduction,
        case
            when ipd_persons_growth < {{ person_drop }} and ipd_unit_price_growth > ipd_unit_price_tolerance
                then ipd_candidate_reduction
            else 0
        end as ipd_reduction
    from candidates

),

adjusted as (

    select
        *,
        case
            when opd_reduction + ipd_reduction > 0
                then greatest({{ prospective_points('base_points - (opd_reduction + ipd_reduction)') }}, floor_points, 0)
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
