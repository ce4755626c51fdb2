-- 虛擬收入 each scheme hospital's settlement (slide 27 example, domain spec §9), at the tiers'
-- default point values and at the region's budget-fitted ones: paid = B + P + 階1 × pv1 +
-- 階2 × pv2 + 階3 × pv3 (階4 unpaid) for a hospital with excess, A for one without (paid as
-- claimed); recovered (追扣) = A − paid; income change over last year = paid − B (as
-- delivered); average point value = paid / A, with its slide-16 band (seed
-- prospective_point_value_bands, on the value rounded to var prospective_pv_band_decimals).

{%- set band_decimals = var('prospective_pv_band_decimals') %}

with tiers as (

    select * from {{ ref('int_prospective_tiers_allocated') }}

),

fitted as (

    select * from {{ ref('int_prospective_point_values_fitted') }}

),

bands as (

    select * from {{ ref('prospective_point_value_bands') }}

),

paid as (

    select
        tiers.*,
        fitted.fitted_pv1,
        fitted.fitted_pv2,
        fitted.fitted_pv3,
        {%- for kind in ['default', 'fitted'] %}
        case
            when tiers.settlement_status = 'NO_EXCESS' then cast(tiers.approved_points as decimal(20, 2))
            when tiers.settlement_status = 'TIERED'
                then cast(
                    tiers.base_points_adjusted + tiers.protected_points + tiers.tier1_points * fitted.{{ kind }}_pv1
                    + tiers.tier2_points * fitted.{{ kind }}_pv2 + tiers.tier3_points * fitted.{{ kind }}_pv3
                    as decimal(20, 2)
                )
        end as paid_points_{{ kind }}{{ ',' if not loop.last }}
        {%- endfor %}
    from tiers
    left join fitted
        on tiers.area_no_h = fitted.area_no_h
            and tiers.fee_quarter = fitted.fee_quarter

),

averaged as (

    select
        *,
        {%- for kind in ['default', 'fitted'] %}
        case
            when approved_points > 0
                then cast(cast(paid_points_{{ kind }} as double) / cast(approved_points as double) as decimal(12, 8))
        end as avg_pv_{{ kind }}{{ ',' if not loop.last }}
        {%- endfor %}
    from paid

),

final as (

    select
        averaged.*,
        {%- for kind in ['default', 'fitted'] %}
        cast(averaged.approved_points - averaged.paid_points_{{ kind }} as decimal(20, 2)) as recovered_points_{{ kind }},
        cast(averaged.paid_points_{{ kind }} - averaged.base_points as decimal(20, 2)) as income_change_points_{{ kind }},
        band_{{ kind }}.band_code as pv_band_{{ kind }}{{ ',' if not loop.last }}
        {%- endfor %}
    from averaged
    {%- for kind in ['default', 'fitted'] %}
    left join bands as band_{{ kind }}
        on (band_{{ kind }}.min_point_value is null
            or round(averaged.avg_pv_{{ kind }}, {{ band_decimals }}) >= band_{{ kind }}.min_point_value)
            and (band_{{ kind }}.max_point_value is null
                or round(averaged.avg_pv_{{ kind }}, {{ band_decimals }}) < band_{{ kind }}.max_point_value)
            and averaged.avg_pv_{{ kind }} is not null
    {%- endfor %}

)

select * from final
