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

tier_payments as (

    select
        tiers.*,
        fitted.fitted_pv1,
        fitted.fitted_pv2,
        fitted.fitted_pv3,
        tiers.tier1_points * fitted.default_pv1 + tiers.tier2_points * fitted.default_pv2
        + tiers.tier3_points * fitted.default_pv3 as tier_paid_default,
        tiers.tier1_points * fitted.fitted_pv1 + tiers.tier2_points * fitted.fitted_pv2
        + tiers.tier3_points * fitted.fitted_pv3 as tier_paid_fitted
    from tiers
    left join fitted
        on
            tiers.area_no_h = fitted.area_no_h
            and tiers.fee_quarter = fitted.fee_quarter

),

paid as (

    select
        *,
        cast(
            case
                when settlement_status = 'NO_EXCESS' then approved_points
                when settlement_status = 'TIERED' then base_points_adjusted + protected_points + tier_paid_default
            end as decimal(20, 2)
        ) as paid_points_default,
        cast(
            case
                when settlement_status = 'NO_EXCESS' then approved_points
                when settlement_status = 'TIERED' then base_points_adjusted + protected_points + tier_paid_fitted
            end as decimal(20, 2)
        ) as paid_points_fitted
    from tier_payments

),

averaged as (

    select
        *,
        case
            when approved_points > 0
                then cast(cast(paid_points_default as double) / cast(approved_points as double) as decimal(12, 8))
        end as avg_pv_default,
        case
            when approved_points > 0
                then cast(cast(paid_points_fitted as double) / cast(approved_points as double) as decimal(12, 8))
        end as avg_pv_fitted
    from paid

),

banded as (

    select
        *,
        round(avg_pv_default, {{ band_decimals }}) as avg_pv_default_banded,
        round(avg_pv_fitted, {{ band_decimals }}) as avg_pv_fitted_banded
    from averaged

),

final as (

    select
        banded.*,
        cast(banded.approved_points - banded.paid_points_default as decimal(20, 2)) as recovered_points_default,
        cast(banded.paid_points_default - banded.base_points as decimal(20, 2)) as income_change_points_default,
        band_default.band_code as pv_band_default,
        cast(banded.approved_points - banded.paid_points_fitted as decimal(20, 2)) as recovered_points_fitted,
        cast(banded.paid_points_fitted - banded.base_points as decimal(20, 2)) as income_change_points_fitted,
        band_fitted.band_code as pv_band_fitted
    from banded
    left join bands as band_default
        on
            (band_default.min_point_value is null or banded.avg_pv_default_banded >= band_default.min_point_value)
            and (band_default.max_point_value is null or banded.avg_pv_default_banded < band_default.max_point_value)
    left join bands as band_fitted
        on
            (band_fitted.min_point_value is null or banded.avg_pv_fitted_banded >= band_fitted.min_point_value)
            and (band_fitted.max_point_value is null or banded.avg_pv_fitted_banded < band_fitted.max_point_value)

)

select * from final
